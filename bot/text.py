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
    so non-Latin titles still get a usable key.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("&", " and ").replace("_", " ")
    return _NON_WORD.sub(" ", stripped).strip()


def title_year(title: str, year: int | None) -> str:
    """A film as people name it: "Brick (2005)"; the year tells remakes apart."""
    return f"{title} ({year})" if year else title
