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


def fold_spaces(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return " ".join(text.split())


def fold(text: str) -> str:
    """Fold case, accents and punctuation: ``"Amélie!"`` and ``"amelie"`` fold alike.

    Letters of scripts without a decomposition (Japanese, Cyrillic, ...) are kept as they are,
    so non-Latin titles still get a usable key. Text without letters keeps its symbols, or
    failing those its punctuation, so "🎬🍿" and "🍕🍕" do not fold alike (to nothing).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", stripped.replace("&", " and ").replace("_", " ")).strip()
    if any(ch.isalpha() for ch in words):
        return words
    return _fold_symbols(stripped) or "".join(stripped.split())


def _fold_symbols(text: str) -> str:
    """Digits and symbols (emoji) kept, marks such as variation selectors dropped, anything
    else a space: ``"❤️ (2016)"`` -> ``"❤ 2016"``."""
    kept = []
    for ch in text:
        kind = unicodedata.category(ch)[0]
        if ch.isalnum() or kind == "S":
            kept.append(ch)
        elif kind != "M":
            kept.append(" ")
    return " ".join("".join(kept).split())


def title_year(title: str, year: int | None) -> str:
    """A film as people name it: "Brick (2005)"; the year tells remakes apart."""
    return f"{title} ({year})" if year else title
