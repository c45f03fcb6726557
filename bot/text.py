"""Text folding shared by the parser, the store and the search: one definition of "the same"."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_TRAILING_YEAR = re.compile(r"\s*\(?\b(18|19|20)\d\d\)?\s*$")


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


def title_key(title: str) -> str:
    """A film's title as requests for it are matched: folded, without a trailing year."""
    return fold(_TRAILING_YEAR.sub("", title) or title)
