"""Finding a film by its title: autocomplete suggestions and resolving what a member typed.

Titles are compared folded (case, accents and punctuation), so "amelie" finds "Amélie" and
"1 mile" finds "1 Mile to You". Every command that takes a title resolves it here.

Scoring every title with rapidfuzz's WRatio takes about 100 ms at 100,000 titles, so a word
index picks the few hundred candidates first: titles sharing words with what was typed, where
the last word may be half typed (a prefix) and any word may carry one typo (a word one edit
away, found through a table of each title word with one letter deleted). Candidates are
ordered by how many of the typed words they have, rarer words counting more, shorter titles
first; WRatio then scores only those. A query of one or two letters, which no word index can
narrow, takes the shortest titles that contain it.

Whatever is typed, the work is bounded: only a title's length of it is compared (see
:data:`TYPED`), and only its first :data:`WORDS` words are looked up.
"""

from __future__ import annotations

import asyncio
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.review import MAX_TITLE
from bot.store import SHARED, Store, TitleRow
from bot.text import fold, title_year

_YEAR = re.compile(r"\b(18|19|20)\d\d\b")
_ARTICLE = re.compile(r"^(the|a|an) ")
CHOICE_PREFIX = "id:"
"""Autocomplete choices carry ``id:<review id>`` so a picked title resolves exactly."""
MAX_ID = 2**63 - 1
"""The largest id SQLite can hold (a signed 64-bit integer)."""
NO_ID = -1
"""An id no review has: what a choice value that cannot be a review id stands for."""
MIN_SCORE = 60.0
CLEAR_SCORE = 85.0
CLEAR_LEAD = 8.0
CANDIDATES = 400
"""Titles WRatio scores per query; the word index orders them so the best come first."""
COMMON = 0.02
"""A word in more than this share of titles ("the", "of") only adds to a candidate's weight; a
candidate must come from a rarer word, unless every typed word is that common."""
FULL_SCAN = 3000
"""Catalogs this small are scored whole: WRatio over them takes a few milliseconds."""
SHORT = 2
"""Queries this long or shorter are matched as substrings of the shortest titles."""
PROMISING = 2000
"""The best-weighted candidates checked for containing the whole query."""
PER_WORD = 30
"""Candidates each typed word brings, of each kind (see :meth:`_Words.candidates`)."""
EXACT, PREFIX, TYPO = 1.0, 0.9, 0.7
"""How much a typed word counts when it is a title word, the start of one, or one edit away."""
TYPED = MAX_TITLE + len(" (2000)")
"""The most of a typed title that is compared: the longest title with its year. Discord's title
options stop there too; anything longer cannot be a title, and scoring it would only cost time
(a 6,000-character paste of catalog words held the event loop for seconds)."""
WORDS = 12
"""Typed words the word index looks up: plenty to find a title, and a bound on the work."""
MESSAGE_WORDS, STRETCH, MIN_STRETCH, CLOSEST = 40, 6, 4, 5
"""A chat message's words read for a title, the most words a title stretch spans, the fewest
characters it has ("up" in "I'm up for it" is no film), and the candidates offered at most."""


def choice_id(typed: str) -> int | None:
    """The review id an autocomplete choice value names, or None when ``typed`` is a title.

    Anything of the form ``id:<digits>`` is a choice value. Only ASCII digits within SQLite's
    range make a real id: "id:²" (a digit to ``str.isdigit``, not to ``int``), "id:٣" and a
    number of 5,000 digits are :data:`NO_ID`, which no review has.
    """
    text = typed.strip()
    digits = text[len(CHOICE_PREFIX) :]
    if not (text.startswith(CHOICE_PREFIX) and digits.isdigit()):
        return None
    if digits.isascii() and len(digits) <= len(str(MAX_ID)) and int(digits) <= MAX_ID:
        return int(digits)
    return NO_ID


def label(row: TitleRow) -> str:
    """How a title is shown in lists: with its year, so remakes are told apart."""
    return title_year(row.title, row.year)


def compared(typed: str) -> str:
    """What of a typed title is compared with the catalog: its first :data:`TYPED` characters,
    folded."""
    return fold(typed[:TYPED])


def _decide(folded: str, scored: list[tuple[TitleRow, str, float]]) -> Resolution:
    """One film when the best is clearly ahead and is the typed title as a whole, else ask."""
    if (
        scored
        and scored[0][2] >= CLEAR_SCORE
        and (len(scored) == 1 or scored[0][2] - scored[1][2] >= CLEAR_LEAD)
        and _whole(folded, scored[0][1])
    ):
        return Resolution(scored[0][0], ())
    return Resolution(None, tuple(row for row, _, _ in scored))


def rank_among(rows: list[TitleRow], typed: str, limit: int | None = None) -> list[TitleRow]:
    """A short list of titles (a server's removed reviews) best first for ``typed``."""
    folded = compared(typed)
    return [row for row, _, _ in _score_among(rows, folded, limit)] if folded else rows


def resolve_among(rows: list[TitleRow], typed: str) -> Resolution:
    """:meth:`TitleIndex.resolve`'s rules over a short list of titles."""
    chosen = choice_id(typed)
    if chosen is not None:
        picked = [row for row in rows if row.id == chosen]
        return Resolution(picked[0] if picked else None, ())
    folded = compared(typed)
    exact = [row for row in rows if folded in (fold(row.title), fold(label(row)))]
    if len(exact) == 1 or not folded:
        return Resolution(exact[0] if exact else None, ())
    if exact:
        return Resolution(None, tuple(exact))
    return _decide(folded, _score_among(rows, folded, 5))


def _score_among(
    rows: list[TitleRow], folded: str, limit: int | None
) -> list[tuple[TitleRow, str, float]]:
    names = [fold(label(row) if _YEAR.search(folded) else row.title) for row in rows]
    found = process.extract(
        folded, dict(enumerate(names)), scorer=fuzz.WRatio, limit=limit, score_cutoff=MIN_SCORE
    )
    return [(rows[i], names[i], score) for _, score, i in found]


def _whole(typed: str, name: str) -> bool:
    """Whether ``typed`` is this title as a whole, give or take typos, or its start.

    WRatio scores a title high when it merely appears inside what was typed ("brick lane"
    holds "brick") or what was typed appears inside it ("home alone" in "a girl walks home
    alone at night"): good for ordering suggestions, not for deciding alone.
    """
    bare = _ARTICLE.sub("", name)
    return (
        fuzz.ratio(typed, name) >= CLEAR_SCORE or bare.startswith(typed) or name.startswith(typed)
    )


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a typed title means: one film, or the closest candidates to ask about."""

    found: TitleRow | None
    candidates: tuple[TitleRow, ...]


class _Words:
    """Which titles hold which words, and the words a typed one may stand for."""

    def __init__(self, labels: list[str], titles: list[str]) -> None:
        self.labels = labels
        self.lengths = [len(title) for title in titles]  # what WRatio compares, mostly
        self.by_length = sorted(range(len(labels)), key=self.lengths.__getitem__)
        postings: dict[str, list[int]] = defaultdict(list)
        for i in self.by_length:  # so every posting list runs from the shortest title
            for word in dict.fromkeys(labels[i].split()):
                postings[word].append(i)
        self.postings = dict(postings)
        self.sorted_words = sorted(postings)
        common = max(50, int(len(labels) * COMMON))
        self.sets = {w: set(p) for w, p in postings.items() if len(p) > common}
        self.weight = {w: math.log(1 + len(labels) / len(p)) for w, p in postings.items()}
        near: dict[str, list[str]] = defaultdict(list)
        for word in postings:
            if len(word) > 3:
                for variant in _deletions(word):
                    near[variant].append(word)
        self.near = dict(near)

    def matches(self, typed: str, *, partial: bool) -> dict[str, float]:
        """Title words ``typed`` may stand for, with how much each counts.

        A word counts more the rarer it is (idf); the start of a word or a word one typo away
        counts less than the word itself, and never more than the typed word would.
        """
        found: dict[str, float] = {}
        if partial and len(typed) > SHORT:  # "s" would stand for a tenth of all words
            start = bisect_left(self.sorted_words, typed)
            for word in self.sorted_words[start:]:
                if not word.startswith(typed):
                    break
                found[word] = PREFIX
        if len(typed) > 3 and not typed.isdigit():  # a year is typed as meant
            for word in self.near.get(typed, ()):  # a letter left out
                found.setdefault(word, TYPO)
            for variant in _deletions(typed):
                if variant in self.postings:  # a letter too many
                    found.setdefault(variant, TYPO)
                for word in self.near.get(variant, ()):  # a wrong or swapped letter
                    found.setdefault(word, TYPO)
        if not found and typed not in self.postings and len(typed) > SHORT and typed.isalpha():
            # More than one typo: the closest words of all.
            for word, score, _ in process.extract(
                typed, self.sorted_words, scorer=fuzz.ratio, limit=3, score_cutoff=60
            ):
                found[word] = TYPO * score / 100
        ceiling = self.weight.get(typed, math.inf)
        weighted = {word: q * min(self.weight[word], ceiling) for word, q in found.items()}
        if typed in self.postings:
            weighted[typed] = EXACT * self.weight[typed]
        return weighted

    def candidates(self, folded: str) -> list[int]:
        """Title positions worth scoring for ``folded``, the most promising first.

        The titles with the most typed words (rarer words counting more), then for each typed
        word the shortest titles with it (WRatio ranks a title that is one word of the query
        very high), titles that contain all that was typed, titles sharing a word and long
        enough for WRatio's partial scores, then the rest of the first kind. The order only
        settles ties: WRatio ranks whichever candidates it is given.
        """
        typed = folded.split()[:WORDS]
        per_word: list[tuple[dict[int, float], list[tuple[str, float]]]] = []
        shortest: list[int] = []
        longer: list[int] = []
        for n, word in enumerate(typed):
            matches = self.matches(word, partial=n == len(typed) - 1)
            for match in sorted(matches, key=lambda w: (-matches[w], -len(self.postings[w])))[:2]:
                shortest.extend(self.postings[match][:PER_WORD])
            if word in self.postings:
                # WRatio gives a title 85.5 for sharing any one word with the query when one
                # is at least 1.5 times as long as the other: the shortest such titles.
                titles = self.postings[word]
                start = bisect_left(titles, 1.5 * len(folded), key=self.lengths.__getitem__)
                longer.extend(titles[start : start + PER_WORD])
            best: dict[int, float] = {}  # title -> the most this typed word gives it
            common: list[tuple[str, float]] = []  # they add weight, they add no title
            for match, score in matches.items():
                if match in self.sets:
                    common.append((match, score))
                    continue
                for i in self.postings[match]:
                    if best.get(i, 0.0) < score:
                        best[i] = score
            per_word.append((best, common))
        found = {i for best, _ in per_word for i in best}
        if not found:  # every word is common: the shortest titles with the rarest one
            pool = [match for _, common in per_word for match, _ in common]
            if pool:
                rarest = min(pool, key=lambda match: len(self.postings[match]))
                found = set(self.postings[rarest][:PROMISING])
        weights = dict.fromkeys(found, 0.0)
        for best, common in per_word:
            for i in weights:
                score = best.get(i, 0.0)
                for match, extra in common:
                    if extra > score and i in self.sets[match]:
                        score = extra
                weights[i] += score
        order = sorted(weights, key=lambda i: -weights[i])
        contained = [i for i in order[:PROMISING] if folded in self.labels[i]]
        head = order[:PER_WORD]
        return list(dict.fromkeys(head + shortest + contained[:PER_WORD] + longer + order))


class _Built(NamedTuple):
    """A :class:`TitleIndex`'s parts, built together from the live titles."""

    rows: list[TitleRow]
    titles: list[str]
    labels: list[str]
    by_id: dict[int, int]
    exact: dict[str, list[int]]
    own: dict[int, set[str]]
    words: _Words


class TitleIndex:
    """Every live title, rebuilt from the store only after the catalog has changed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._version = -1
        self._rows: list[TitleRow] = []
        self._titles: list[str] = []  # folded titles
        self._labels: list[str] = []  # folded "title year"
        self._by_id: dict[int, int] = {}
        self._exact: dict[str, list[int]] = {}  # folded title or label -> positions
        self._own: dict[int, set[str]] = {}  # a server's own film keys
        self._words = _Words([], [])
        self._rebuilding = asyncio.Lock()

    async def _refresh(self) -> None:
        """Catch up with the catalog after a change: one caller rebuilds, the others wait.

        Without the lock every request arriving after a saved review rebuilt the index itself
        (40 autocompletes, 40 rebuilds). The building runs in a thread: it takes a while in a
        big catalog, and the event loop has other members to answer meanwhile.
        """
        if self._version == await self._store.catalog_stamp():
            return
        async with self._rebuilding:
            version = await self._store.catalog_stamp()
            if self._version != version:  # else it was rebuilt while this one waited
                built = await asyncio.to_thread(self._build, await self._store.live_titles())
                (
                    self._rows,
                    self._titles,
                    self._labels,
                    self._by_id,
                    self._exact,
                    self._own,
                    self._words,
                ) = built
                self._version = version

    @staticmethod
    def _build(fetched: list[TitleRow]) -> _Built:
        """Every part of the index from the live titles; touches nothing shared (a thread)."""
        folded = [row.film_key.rpartition("|")[0] for row in fetched]  # fold(title), stored
        order = sorted(range(len(fetched)), key=lambda i: (folded[i], fetched[i].year or 0))
        rows = [fetched[i] for i in order]
        titles = [folded[i] for i in order]
        labels = [
            (f"{title} {row.year}" if title else str(row.year)) if row.year else title
            for title, row in zip(titles, rows, strict=True)
        ]
        exact: dict[str, list[int]] = defaultdict(list)
        for i, (title, text) in enumerate(zip(titles, labels, strict=True)):
            exact[title].append(i)
            if text != title:
                exact[text].append(i)
        own: dict[int, set[str]] = defaultdict(set)
        for row in rows:
            if row.guild_id != SHARED:
                own[row.guild_id].add(row.film_key)
        by_id = {row.id: i for i, row in enumerate(rows)}
        return _Built(rows, titles, labels, by_id, dict(exact), dict(own), _Words(labels, titles))

    def _sees(self, guild_id: int, i: int) -> bool:
        """Whether a server sees row ``i``: its own, and shared ones it has not replaced."""
        row = self._rows[i]
        if row.guild_id == guild_id:
            return True
        return row.guild_id == SHARED and row.film_key not in self._own.get(guild_id, ())

    async def suggest(self, guild_id: int, query: str, *, limit: int = 25) -> list[TitleRow]:
        """Titles for autocomplete, best first; the first few alphabetically for empty input."""
        await self._refresh()
        folded = compared(query)
        if not folded:
            first = []
            for i in range(len(self._rows)):
                if self._sees(guild_id, i):
                    first.append(self._rows[i])
                    if len(first) == limit:
                        break
            return first
        return [self._rows[i] for i, _ in self._scored(guild_id, folded, limit)]

    async def resolve(self, guild_id: int, query: str) -> Resolution:
        """The film a typed title means when one is clearly ahead, else the closest few."""
        await self._refresh()
        chosen = choice_id(query)
        if chosen is not None:
            i = self._by_id.get(chosen)
            if i is not None and self._sees(guild_id, i):
                return Resolution(self._rows[i], ())
            return Resolution(None, ())
        folded = compared(query)
        if not folded:
            return Resolution(None, ())
        exact = [i for i in self._exact.get(folded, ()) if self._sees(guild_id, i)]
        if len(exact) == 1:
            return Resolution(self._rows[exact[0]], ())
        if exact:
            return Resolution(None, tuple(self._rows[i] for i in exact))
        names = self._names(folded)
        scored = [
            (self._rows[i], names[i], score) for i, score in self._scored(guild_id, folded, 5)
        ]
        return _decide(folded, scored)

    async def named_in(self, guild_id: int, text: str) -> Resolution:
        """The film a chat message names: the message itself as a title, else the longest
        stretch of its words that is clearly one title as a whole; else the closest few.

        Only the first :data:`MESSAGE_WORDS` words are read, in stretches of up to
        :data:`STRETCH` words, so a long message costs a bounded number of lookups.
        """
        whole = await self.resolve(guild_id, text)
        if whole.found is not None:
            return whole
        words = compared(text).split()[:MESSAGE_WORDS]
        closest = dict.fromkeys(whole.candidates)
        for size in range(min(len(words), STRETCH), 0, -1):
            for start in range(len(words) - size + 1):
                stretch = " ".join(words[start : start + size])
                if len(stretch) < MIN_STRETCH:
                    continue
                found = await self.resolve(guild_id, stretch)
                row = found.found
                if row is not None and fuzz.ratio(stretch, fold(row.title)) >= CLEAR_SCORE:
                    return found
                closest.update(dict.fromkeys(found.candidates[:1]))
        return Resolution(None, tuple(closest)[:CLOSEST])

    def _names(self, folded: str) -> list[str]:
        """Titles, or "title year" when a year was typed."""
        return self._labels if _YEAR.search(folded) else self._titles

    def _scored(self, guild_id: int, folded: str, limit: int) -> list[tuple[int, float]]:
        names = self._names(folded)
        if len(names) <= FULL_SCAN:
            found: Iterable[int] = range(len(names))
        elif len(folded) <= SHORT:
            found = (i for i in self._words.by_length if folded in names[i])
        else:
            found = self._words.candidates(folded)
        picked: dict[int, str] = {}
        for i in found:
            if self._sees(guild_id, i):
                picked[i] = names[i]
                if len(picked) == CANDIDATES and len(names) > FULL_SCAN:
                    break
        scored = process.extract(
            folded, picked, scorer=fuzz.WRatio, limit=limit, score_cutoff=MIN_SCORE
        )
        return [(i, score) for _, score, i in scored]
