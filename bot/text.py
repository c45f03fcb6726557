"""Text rules shared by the parser, the store, the search and the cards: one definition of "the
same", and what text from outside loses before it is kept or shown."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a UTF-16 surrogate pair: JSON can carry one, UTF-8 cannot encode it."""


def clean(text: str) -> str:
    """Text from outside (Discord's JSON, a terminal) in a form every store and screen takes.

    A :data:`LONE_SURROGATE` ("\\ud800" in JSON) is refused by SQLite and by terminals alike;
    each becomes U+FFFD, the replacement character, so what was typed is still kept (a draft)
    and quoted back ("No film called ...").
    """
    return LONE_SURROGATE.sub("\ufffd", text)


BIDI_CONTROL = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Unicode's Bidi_Control characters (PropList.txt; unicodedata does not list them): marks,
embeddings, overrides and isolates. An override (U+202E) shows the rest of a line backwards."""

_TRAILING_YEAR = re.compile(r"\s*\(?\b(18|19|20)\d\d\)?\s*$")


def fold_spaces(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Fold case, accents and punctuation: ``"Amélie!"`` and ``"amelie"`` fold alike.

    Letters of scripts without a decomposition (Japanese, Cyrillic, ...) are kept as they are,
    so non-Latin titles still get a usable key. Text without letters keeps its symbols, or
    failing those its punctuation, so "🎬🍿" and "🍕🍕" do not fold alike (to nothing).
    """
    stripped = unicodedata.normalize("NFKD", text.casefold())
    if not stripped.isascii():  # marks (accents) and invisible characters go
        stripped = "".join(
            ch for ch in stripped if not unicodedata.combining(ch) and not _invisible(ch)
        )
    words = _NON_WORD.sub(" ", stripped.replace("&", " and ").replace("_", " ")).strip()
    if any(ch.isalpha() for ch in words):
        return words
    return _fold_symbols(stripped) or "".join(stripped.split())


def _selector(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("VARIATION SELECTOR")


def _invisible(ch: str) -> bool:
    """A character that shows nothing by itself: a format character (zero-width space and
    joiners, word joiner, byte order mark, soft hyphen, bidi controls, tags) or a variation
    selector. One inside a title only makes a look-alike of another title."""
    return not ch.isascii() and (unicodedata.category(ch) == "Cf" or _selector(ch))


def _joins(ch: str) -> bool:
    """An invisible character that shapes what it follows: a joiner or non-joiner, a variation
    selector, an emoji tag (the flags of Scotland, Wales and England)."""
    return ch in "\u200c\u200d" or "\U000e0020" <= ch <= "\U000e007f" or _selector(ch)


def visible(title: str) -> str:
    """``title`` without its invisible characters: "Br", U+200B, "ick" is "Brick". Those that
    shape a character other than ASCII stay (an emoji sequence such as a family joined by
    U+200D, a heart with its emoji selector, a Persian non-joiner)."""
    if title.isascii():
        return title
    kept: list[str] = []
    for ch in title:
        if not _invisible(ch) or (_joins(ch) and kept and not kept[-1].isascii()):
            kept.append(ch)
    return "".join(kept)


def _fold_symbols(text: str) -> str:
    """The digits and symbols (emoji) of a text without letters, anything else a space:
    ``"🎬🍿 (2016)"`` -> ``"🎬🍿 2016"``."""
    kept = (ch if ch.isalnum() or unicodedata.category(ch)[0] == "S" else " " for ch in text)
    return " ".join("".join(kept).split())


def title_year(title: str, year: int | None) -> str:
    """A film as people name it: "Brick (2005)"; the year tells remakes apart."""
    return f"{title} ({year})" if year else title


def title_key(title: str) -> str:
    """A film's title as requests for it are matched: folded, without a trailing year."""
    return fold(_TRAILING_YEAR.sub("", title) or title)
