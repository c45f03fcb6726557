"""Streaming-service names: turn a "Where can I watch?" sentence into canonical service names.

The sentence is split into word tokens ("+" is its own token, read as "plus", so "Disney+" and
"Disney Plus" agree and "Apple TV+" never collapses into "Apple TV"). At each token the longest
known alias wins: "Amazon Prime Video" beats "Amazon", "Amazon Freevee" beats "Amazon".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.text import fold

CANONICAL_SERVICES: tuple[str, ...] = (
    "Netflix",
    "Amazon Prime Video",
    "YouTube",
    "Hulu",
    "Max",
    "Disney+",
    "Apple TV+",
    "Apple TV",
    "Mubi",
    "The Criterion Channel",
    "Kanopy",
    "Tubi",
    "Pluto TV",
    "Peacock",
    "Paramount+",
    "Shudder",
    "BFI Player",
    "Google Play",
    "Fandango at Home",
    "Hoopla",
    "Plex",
    "Freevee",
    "Curzon Home Cinema",
)

# Every alias in folded token form ("+" spelled "plus"). Bare words that could mean another thing
# ("Disney", "Paramount", "Criterion", "Prime", "HBO") are deliberately absent: a sentence such as
# "a Disney classic" names no service, and a service must never be invented.
_ALIASES: dict[str, str] = {
    "netflix": "Netflix",
    "amazon prime video": "Amazon Prime Video",
    "amazon prime": "Amazon Prime Video",
    "amazon video": "Amazon Prime Video",
    "amazon instant video": "Amazon Prime Video",
    "prime video": "Amazon Prime Video",
    "amazon": "Amazon Prime Video",
    "youtube": "YouTube",
    "you tube": "YouTube",
    "hulu": "Hulu",
    "max": "Max",
    "hbo max": "Max",
    "hbo go": "Max",
    "hbo now": "Max",
    "disney plus": "Disney+",
    "apple tv plus": "Apple TV+",
    "appletv plus": "Apple TV+",
    "apple tv": "Apple TV",
    "appletv": "Apple TV",
    "itunes": "Apple TV",
    "mubi": "Mubi",
    "the criterion channel": "The Criterion Channel",
    "criterion channel": "The Criterion Channel",
    "kanopy": "Kanopy",
    "tubi": "Tubi",
    "pluto tv": "Pluto TV",
    "peacock": "Peacock",
    "paramount plus": "Paramount+",
    "shudder": "Shudder",
    "bfi player": "BFI Player",
    "google play": "Google Play",
    "google play movies": "Google Play",
    "google play movies and tv": "Google Play",
    "fandango at home": "Fandango at Home",
    "fandangonow": "Fandango at Home",
    "vudu": "Fandango at Home",
    "hoopla": "Hoopla",
    "plex": "Plex",
    "freevee": "Freevee",
    "amazon freevee": "Freevee",
    "imdb tv": "Freevee",
    "curzon home cinema": "Curzon Home Cinema",
    "curzon": "Curzon Home Cinema",
}

# One-word aliases that are also ordinary English words: they count only when capitalised
# ("streaming on Max" names a service, "turned up to the max" does not).
_NEEDS_CAPITAL = frozenset({"max", "peacock", "shudder", "plex", "hoopla"})

_TABLE: dict[tuple[str, ...], str] = {tuple(key.split()): name for key, name in _ALIASES.items()}
_LONGEST = max(len(key) for key in _TABLE)
_FIRST_WORDS = frozenset(key[0] for key in _TABLE)
_TOKEN = re.compile(r"\+|[^\W_]+")


def _fold_word(word: str) -> str:
    if word == "+":
        return "plus"
    folded = word.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _folded_tokens(text: str) -> list[str]:
    if not text.isascii():
        return [_fold_word(word) for word in _TOKEN.findall(text)]
    words = _TOKEN.findall(text.lower())  # lowering ASCII folds it and moves no token's bounds
    return [_fold_word(word) for word in words] if "+" in text else words


def _title_mask(folded: list[str], title: str | None) -> list[bool]:
    """Mark the tokens that spell the film's own title, so "Mad Max" is not the service Max."""
    mask = [False] * len(folded)
    title_tokens = _folded_tokens(title) if title else []
    if title_tokens[:1] in (["the"], ["a"], ["an"]) and len(title_tokens) > 1:
        title_tokens = title_tokens[1:]  # "Peacock Spring is on Tubi" for "The Peacock Spring"
    size = len(title_tokens)
    if size == 0:
        return mask
    for start, word in enumerate(folded):
        if word == title_tokens[0] and folded[start : start + size] == title_tokens:
            mask[start : start + size] = [True] * size
    return mask


def normalise_services(sentence: str, *, title: str | None = None) -> tuple[str, ...]:
    """Canonical service names mentioned in ``sentence``, in order of first mention, no repeats.

    ``title`` (optional) is the film's title: where the sentence repeats it, those words are not
    read as a service. A sentence that names no known service gives ``()``.
    """
    folded = _folded_tokens(sentence)
    if _FIRST_WORDS.isdisjoint(folded):
        return ()
    raw = _TOKEN.findall(sentence)
    mask = _title_mask(folded, title)
    found: dict[str, None] = {}
    index = 0
    while index < len(folded):
        size = _match(raw, folded, mask, index) if folded[index] in _FIRST_WORDS else 0
        if size:
            found.setdefault(_TABLE[tuple(folded[index : index + size])], None)
            index += size
        else:
            index += 1
    return tuple(found)


def _match(raw: list[str], folded: list[str], mask: list[bool], index: int) -> int:
    """How many tokens from ``index`` the longest alias there spans (0: none)."""
    for size in range(min(_LONGEST, len(folded) - index), 0, -1):
        key = tuple(folded[index : index + size])
        if key not in _TABLE or any(mask[index : index + size]):
            continue
        if size == 1 and key[0] in _NEEDS_CAPITAL and not raw[index][:1].isupper():
            continue
        return size
    return 0


@lru_cache(maxsize=2048)
def service_key(name: str) -> str:
    """How one service is compared, whoever names it: TMDB ("Netflix basic with Ads", "Tubi TV")
    or a moderator ("netflix"). The canonical service it names, else the name itself; folded.
    Remembered: a film's offers name the same few hundred services again and again."""
    named = normalise_services(name)
    return fold((named[0] if len(named) == 1 else name).replace("+", " plus"))
