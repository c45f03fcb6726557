"""The word lists /pickif reads a query with: phrases and what they mean, and plain word sets.

A :class:`Phrasebook` maps phrases of one or more words ("lustig", "feel good", "histoire
d'amour") to the English words they stand for. Words are compared by their stems in each
language the book is for, so "lustiger" finds "lustig" (German) and "laughs" finds "laugh"
(English), and never a key through another language's stemmer.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import snowballstemmer

from bot.text import fold

log = logging.getLogger(__name__)

ENGLISH = ("porter",)  # the algorithm of SQLite's porter tokenizer
EUROPEAN = ("porter", "german", "french", "spanish")


def read_entries(path: Path) -> dict[str, tuple[str, ...]]:
    """``key: word, word`` lines (``#`` starts a comment), keys and words folded.

    A missing file gives no entries (and a warning); a line that is no entry is skipped.
    """
    if not path.is_file():
        log.warning("No word list at %s: /pickif reads queries without it", path)
        return {}
    entries: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, sep, words = line.partition(":")
        meaning = tuple(fold(word) for word in words.split(",") if fold(word))
        if not sep or not fold(key) or not meaning:
            log.warning("%s:%d is not 'word: word, word': skipped", path, number)
            continue
        entries[fold(key)] = entries.get(fold(key), ()) + meaning
    return entries


def read_words(path: Path) -> frozenset[str]:
    """Whitespace-separated words, folded; a line in double quotes is one phrase."""
    if not path.is_file():
        log.warning("No word list at %s: /pickif reads queries without it", path)
        return frozenset()
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        phrases = line.split('"')
        words.update(fold(phrase) for phrase in phrases[1::2])
        words.update(fold(word) for part in phrases[::2] for word in part.split())
    words.discard("")
    return frozenset(words)


@functools.lru_cache(maxsize=65536)
def stem(language: str, word: str) -> str:
    """``word``'s stem in ``language`` (a snowball algorithm), remembered: stemming is slow in
    pure Python and members use the same words again and again."""
    return _STEMMERS[language].stemWord(word)


_STEMMERS = {name: snowballstemmer.stemmer(name) for name in EUROPEAN}


class Phrasebook:
    """Phrases and their meanings, looked up by the stems of their words."""

    def __init__(self, entries: Mapping[str, tuple[str, ...]], languages: Sequence[str]) -> None:
        self._languages = tuple(languages)
        self._index: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}
        self._starts: set[tuple[str, str]] = set()  # (language, first stem) of longer phrases
        for key, meaning in entries.items():
            for language in self._languages:
                stems = tuple(stem(language, word) for word in key.split())
                self._index.setdefault((language, stems), (key, meaning))
                if len(stems) > 1:
                    self._starts.add((language, stems[0]))

    def lookup(self, words: Sequence[str]) -> tuple[str, tuple[str, ...]] | None:
        """(the book's phrase, its meaning) when ``words`` are a phrase of the book."""
        for language in self._languages:
            first = stem(language, words[0])
            if len(words) > 1 and (language, first) not in self._starts:
                continue
            stems = (first, *(stem(language, word) for word in words[1:]))
            hit = self._index.get((language, stems))
            if hit is not None:
                return hit
        return None
