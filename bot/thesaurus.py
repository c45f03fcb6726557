"""Mood words for /pickif: a small, editable file that maps a word to the themes it means.

The file (``data/thesaurus.txt`` by default) has one entry a line, ``word: theme, theme, ...``;
``#`` starts a comment. A word or a theme may be several words ("feel good", "second chance").
"""

from __future__ import annotations

import logging
from pathlib import Path

from bot.lexicon import read_entries
from bot.text import fold

log = logging.getLogger(__name__)


class Thesaurus:
    def __init__(self, entries: dict[str, tuple[str, ...]] | None = None) -> None:
        self._entries = {fold(word): themes for word, themes in (entries or {}).items()}

    @classmethod
    def load(cls, path: Path) -> Thesaurus:
        """Read a thesaurus file; a missing file gives an empty thesaurus (and a warning)."""
        if not path.is_file():
            log.warning("No thesaurus at %s: mood words will not be expanded", path)
            return cls()
        return cls(read_entries(path))

    def expand(self, word: str) -> tuple[str, ...]:
        """The themes a (folded) word stands for; empty when it is no mood word."""
        return self._entries.get(word, ())

    def entries(self) -> dict[str, tuple[str, ...]]:
        return dict(self._entries)

    def words(self) -> list[str]:
        return sorted(self._entries)

    def themes(self) -> list[str]:
        """Every theme the file names, without repeats, in file order."""
        return list(dict.fromkeys(theme for themes in self._entries.values() for theme in themes))
