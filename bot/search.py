"""/pickif: rank films by how well a few words match their curated reasons.

The store's FTS5 index does recall and bm25 ranking, weighing the "Pick if" reasons most, then
"What's it really about?", then synopsis and tagline, then the rest. Before searching, each word
is expanded through the thesaurus and, when the catalog has never used it, corrected against
the index's vocabulary with rapidfuzz. A film that matches every word ranks above one that
matches some; among equals, bm25 decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.errors import UserFacingError
from bot.store import Store, StoredReview
from bot.text import fold
from bot.thesaurus import Thesaurus

# bm25 weights, in the order of the FTS columns: pick_if, really_about, synopsis, rest.
WEIGHTS = (10.0, 5.0, 2.5, 1.0)
MAX_WORDS = 8
MAX_THEMES_LENGTH = 200
CANDIDATES = 60
MAX_SUBSETS = 8
"""The most AND queries one level of :meth:`PickIf._ranked` runs before one OR query instead."""
MARK_START, MARK_END = "\x02", "\x03"
"""What the index wraps matched words in; the card builder turns them into bold."""

STOPWORDS = frozenset(
    """a an and about are as at be but by film films for from i i m id in into is it its
    like me movie movies my of on or please show some something that the this to want wants
    watch watching we with you your""".split()
)
_STEMMER = snowballstemmer.stemmer("porter")  # the algorithm of SQLite's porter tokenizer
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchInputError(UserFacingError):
    """The themes cannot be searched; the message tells the member what to type instead."""


@dataclass(frozen=True, slots=True)
class QueryWord:
    typed: str
    used: str  # the word searched for: as typed, or the catalog word it was corrected to
    synonyms: tuple[str, ...]

    @property
    def corrected(self) -> bool:
        return self.used != self.typed


@dataclass(frozen=True, slots=True)
class Match:
    stored: StoredReview
    reasons: tuple[str, ...]  # matching "Pick if" reasons, matched words between the marks
    theme: str | None  # "What's it really about?" when it matched
    matched: int  # how many of the query's words the film matches
    rank: float


@dataclass(frozen=True, slots=True)
class PickIfResult:
    words: tuple[QueryWord, ...]
    matches: tuple[Match, ...]
    suggestions: tuple[str, ...]  # themes the catalog does have, when nothing matched

    @property
    def corrections(self) -> dict[str, str]:
        return {word.typed: word.used for word in self.words if word.corrected}


class Vocabulary:
    """The index's stemmed terms, reloaded only when the catalog has changed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._version = -1
        self._terms: list[str] = []
        self._docs: dict[str, int] = {}

    async def refresh(self) -> None:
        version = await self._store.catalog_stamp()
        if self._version != version:
            self._docs = dict(await self._store.terms())
            self._terms = [term for term in self._docs if not term.isdigit()]
            self._version = version

    def knows(self, word: str) -> bool:
        return stem(word) in self._docs

    def correct(self, word: str) -> str | None:
        """A word that searches for the closest catalog term to a typo; None if none is close.

        Stems are compared (so "sprots" finds "sport"); among equally close terms the one
        more films use wins ("greif" is "grief", not the stem of "grey").
        """
        if len(word) < 4 or word.isdigit():
            return None
        close = process.extract(
            stem(word),
            self._terms,
            scorer=DamerauLevenshtein.normalized_similarity,
            score_cutoff=0.75,
            limit=20,
        )
        if not close:
            return None
        term, _, _ = max(close, key=lambda found: (round(found[1], 6), self._docs[found[0]]))
        return surface(term)


def surface(term: str) -> str:
    """A word whose stem is ``term``, so searching for it finds the term again.

    Porter stems are not always stable ("hous" stems to "hou"), and shown to members they
    look odd ("comedi"): "comedy", "house" and "amuse" are searched and shown instead.
    """
    tries = [term[:-1] + "y"] if term.endswith("i") else []
    tries += [term, term + "e", term + "s", term + "ing"]
    return next((word for word in tries if stem(word) == term), term)


def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def query_words(themes: str) -> list[str]:
    """The words of a /pickif query that carry meaning, folded, without repeats."""
    themes = themes.strip()
    if not themes:
        raise SearchInputError("Tell me a few words, like `grief sports` or `heist comedy`.")
    if len(themes) > MAX_THEMES_LENGTH:
        raise SearchInputError(
            f"That is {len(themes)} characters; a few words work best "
            f"(at most {MAX_THEMES_LENGTH} characters)."
        )
    words = [word for word in _WORD.findall(fold(themes)) if word not in STOPWORDS]
    words = list(dict.fromkeys(words))
    if not words:
        raise SearchInputError(
            "Those words are too common to search for; try themes like `sad romance`."
        )
    return words[:MAX_WORDS]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _group(word: QueryWord) -> str:
    return "(" + " OR ".join(_quote(term) for term in (word.used, *word.synonyms)) + ")"


def _marked(text: str) -> bool:
    return MARK_START in text


class PickIf:
    """The /pickif search over one store, with the thesaurus and a vocabulary cache."""

    def __init__(self, store: Store, thesaurus: Thesaurus) -> None:
        self._store = store
        self._thesaurus = thesaurus
        self._vocabulary = Vocabulary(store)

    async def search(
        self, guild_id: int, themes: str, *, include_seen: bool = False, limit: int = 10
    ) -> PickIfResult:
        words = await self._understand(query_words(themes))
        groups = [_group(word) for word in words]
        ranked = await self._ranked(guild_id, groups, exclude_seen=not include_seen, limit=limit)
        matched = {review_id: count for review_id, _, count in ranked}
        found = await self._store.hits(
            " OR ".join(groups),
            [(review_id, rank) for review_id, rank, _ in ranked],
            marks=(MARK_START, MARK_END),
        )
        matches = tuple(
            Match(
                stored=hit.stored,
                reasons=tuple(line for line in hit.pick_if.splitlines() if _marked(line)),
                theme=hit.really_about if _marked(hit.really_about) else None,
                matched=matched[hit.stored.id],
                rank=hit.rank,
            )
            for hit in found
        )
        suggestions = () if matches else await self._suggest(words)
        return PickIfResult(tuple(words), matches, suggestions)

    async def _ranked(
        self, guild_id: int, groups: list[str], *, exclude_seen: bool, limit: int
    ) -> list[tuple[int, float, int]]:
        """(review id, bm25 rank, words matched) of the best ``limit`` films, best first.

        Level by level, from films having every word down: the films having exactly ``n`` of
        the words are the matches of an AND of ``n`` words that no earlier level took, and
        their bm25 under that AND is their bm25 under the whole query (they have none of the
        other words). An AND is cheap when one of its words is rare, so a common word is ranked
        over all its films only when the levels above run out of films.
        """
        found: list[tuple[int, float, int]] = []
        taken: set[int] = set()
        for size in range(len(groups), 0, -1):
            subsets = list(combinations(groups, size))
            if len(subsets) > MAX_SUBSETS:
                return found + await self._counted(guild_id, groups, exclude_seen, limit, taken)
            wanted = limit - len(found)
            deep = wanted + len(taken)
            level: list[tuple[int, float, int]] = []
            for subset in subsets:
                ranked = await self._run(guild_id, " AND ".join(subset), exclude_seen, deep)
                level.extend((i, rank, size) for i, rank in ranked if i not in taken)
            level.sort(key=lambda hit: hit[1])
            found.extend(level[:wanted])
            taken.update(review_id for review_id, _, _ in level[:wanted])
            if len(found) == limit:
                break
        return found

    async def _counted(
        self, guild_id: int, groups: list[str], exclude_seen: bool, limit: int, taken: set[int]
    ) -> list[tuple[int, float, int]]:
        """The best of what ``taken`` leaves, from one OR query, counted word by word.

        For long queries, where one AND per combination of words would be too many queries.
        """
        ranked = await self._run(
            guild_id, " OR ".join(groups), exclude_seen, CANDIDATES + len(taken)
        )
        some = [(review_id, rank) for review_id, rank in ranked if review_id not in taken]
        counts = dict.fromkeys((review_id for review_id, _ in some[:CANDIDATES]), 0)
        for group in groups:
            for review_id in await self._store.matching_ids(group, list(counts)):
                counts[review_id] += 1
        rest = sorted(
            ((review_id, rank, counts[review_id]) for review_id, rank in some[:CANDIDATES]),
            key=lambda hit: (-hit[2], hit[1]),
        )
        return rest[: limit - len(taken)]

    async def _run(
        self, guild_id: int, match: str, exclude_seen: bool, limit: int
    ) -> list[tuple[int, float]]:
        return await self._store.ranked(
            guild_id, match, weights=WEIGHTS, limit=limit, exclude_seen=exclude_seen
        )

    async def _understand(self, words: list[str]) -> list[QueryWord]:
        await self._vocabulary.refresh()
        understood = []
        for word in words:
            synonyms = self._thesaurus.expand(word)
            used = word
            if not synonyms and not self._vocabulary.knows(word):
                used = self._vocabulary.correct(word) or word
            understood.append(QueryWord(word, used, synonyms))
        return understood

    async def _suggest(self, words: list[QueryWord]) -> tuple[str, ...]:
        """Themes from the thesaurus that the catalog really has, closest to the query first."""
        candidates = [
            theme
            for theme in dict.fromkeys([*self._thesaurus.words(), *self._thesaurus.themes()])
            if " " not in theme and self._vocabulary.knows(theme)
        ]
        query = " ".join(word.typed for word in words)
        ranked = process.extract(query, candidates, scorer=fuzz.WRatio, limit=5)
        return tuple(theme for theme, _, _ in ranked)
