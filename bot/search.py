"""/pickif: rank films by how well a member's words match their curated reasons.

:mod:`bot.query` reads the words first: what is wanted, what is not, runtime and era limits.
The store's FTS5 index does recall and bm25 ranking, weighing the "Pick if" reasons most, then
"What's it really about?", then synopsis and tagline, then the rest. Each wanted word comes
with its thesaurus themes (or its English meaning) and, when the catalog has never used it, is
corrected against the index's vocabulary with rapidfuzz. A film that matches every word ranks
above one that matches some; among equals, bm25 decides. Films about an unwanted word come
after all the others; runtime and era limits filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path
from typing import Any

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.embeddings import Model
from bot.meaning import VectorIndex, fused
from bot.query import (
    MAX_THEMES_LENGTH,
    MAX_WORDS,
    NO_LIMITS,
    TOO_COMMON,
    Limits,
    QueryReader,
    SearchInputError,
    Term,
    checked,
)
from bot.store import Bounds, Clock, Store, StoredReview, utcnow
from bot.text import fold
from bot.thesaurus import Thesaurus

# bm25 weights, in the order of the FTS columns: pick_if, really_about, synopsis, rest.
WEIGHTS = (10.0, 5.0, 2.5, 1.0)

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


__all__ = ["MAX_THEMES_LENGTH", "SearchInputError"]


@dataclass(frozen=True, slots=True)
class Match:
    stored: StoredReview
    reasons: tuple[str, ...]  # matching "Pick if" reasons, matched words between the marks
    theme: str | None  # "What's it really about?" when it matched
    matched: int  # how many of the query's words the film matches
    rank: float
    unwanted: bool = False  # it is also about a word the member did not want
    closest: str | None = None  # found by meaning: its reason nearest to the query


@dataclass(frozen=True, slots=True)
class PickIfResult:
    words: tuple[Term, ...]
    matches: tuple[Match, ...]
    suggestions: tuple[str, ...]  # themes the catalog does have, when nothing matched
    unwanted: tuple[Term, ...] = ()
    limits: Limits = NO_LIMITS

    @property
    def corrections(self) -> dict[str, str]:
        return {word.typed: word.used for word in self.words if word.read_as}


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
    """The plain words of a /pickif query, folded, without filler words or repeats: what a
    bare full-text search would look for (the benchmark's floor)."""
    words = [word for word in _WORD.findall(fold(checked(themes))) if word not in STOPWORDS]
    if not words:
        raise SearchInputError(TOO_COMMON)
    return list(dict.fromkeys(words))[:MAX_WORDS]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _group(word: Term) -> str:
    return "(" + " OR ".join(_quote(term) for term in (word.used, *word.synonyms)) + ")"


def _spoken(words: list[Term]) -> list[str]:
    """The member's wanted words as typed and as read, for the query's vector."""
    return list(dict.fromkeys(word for term in words for word in (term.typed, term.used)))


def _marked(text: str) -> bool:
    return MARK_START in text


@dataclass(frozen=True, slots=True)
class _Plan:
    """One search: the wanted groups ranked level by level, and what every match must meet."""

    guild_id: int
    groups: list[str]
    unwanted: str | None  # an FTS5 OR of the unwanted groups
    bounds: Bounds
    exclude_seen: bool
    avoiding: bool = False  # leave out films matching ``unwanted``

    def match(self, core: str) -> str:
        """The FTS5 expression for ``core`` (some of the groups), avoiding what the plan
        avoids."""
        if self.avoiding and self.unwanted:
            return f"({core}) NOT ({self.unwanted})"
        return core


class PickIf:
    """The /pickif search over one store, with the thesaurus and a vocabulary cache."""

    def __init__(
        self,
        store: Store,
        thesaurus: Thesaurus,
        *,
        data: Path,
        clock: Clock = utcnow,
        model: Model | None = None,
    ) -> None:
        self._store = store
        self._thesaurus = thesaurus
        self._reader = QueryReader(thesaurus, data)
        self._vocabulary = Vocabulary(store)
        self._clock = clock
        self._meaning = VectorIndex(store, model) if model is not None else None

    @property
    def by_meaning(self) -> bool:
        """Whether a sentence-embedding model is installed (otherwise: words only)."""
        return self._meaning is not None

    async def search(
        self, guild_id: int, themes: str, *, include_seen: bool = False, limit: int = 10
    ) -> PickIfResult:
        query = self._reader.read(themes, self._clock().year)
        words = await self._understand(query.wanted)
        plan = _Plan(
            guild_id,
            groups=[_group(word) for word in words],
            unwanted=" OR ".join(_group(term) for term in query.unwanted) or None,
            bounds=query.limits.bounds,
            exclude_seen=not include_seen,
        )
        ranked = await self._ranked_avoiding(plan, limit)
        lexical = {review_id for review_id, _, _, _ in ranked}
        vector = None
        if self._meaning is not None and words:
            vector = self._meaning.query(" ".join(_spoken(words)))
            ranked = await self._with_meaning(plan, vector, ranked, limit)
        matched = {review_id: count for review_id, _, count, _ in ranked}
        unwanted = {review_id for review_id, _, _, avoided in ranked if not avoided}
        found = await self._store.hits(
            " OR ".join(plan.groups) or None,
            [(review_id, rank) for review_id, rank, _, _ in ranked if review_id in lexical],
            marks=(MARK_START, MARK_END),
        )
        found += await self._store.hits(
            None,
            [(review_id, rank) for review_id, rank, _, _ in ranked if review_id not in lexical],
            marks=(MARK_START, MARK_END),
        )
        by_id = {hit.stored.id: hit for hit in found}
        matches = tuple(
            Match(
                stored=hit.stored,
                reasons=tuple(line for line in hit.pick_if.splitlines() if _marked(line)),
                theme=hit.really_about if _marked(hit.really_about) else None,
                matched=matched[hit.stored.id],
                rank=hit.rank,
                unwanted=plan.unwanted is not None and hit.stored.id in unwanted,
                closest=(
                    self._meaning.closest(vector, hit.stored.review)
                    if self._meaning is not None and review_id not in lexical
                    else None
                ),
            )
            for review_id, _, _, _ in ranked
            if (hit := by_id.get(review_id)) is not None
        )
        suggestions = () if matches else await self._suggest(words)
        return PickIfResult(tuple(words), matches, suggestions, query.unwanted, query.limits)

    async def _with_meaning(
        self, plan: _Plan, vector: Any, ranked: list[tuple[int, float, int, bool]], limit: int
    ) -> list[tuple[int, float, int, bool]]:
        """The bm25 ranking fused with the reviews nearest in meaning that the plan allows;
        films about an unwanted word stay last."""
        assert self._meaning is not None
        await self._meaning.refresh()
        near = self._meaning.nearest(vector, CANDIDATES)
        allowed = await self._store.shown_of(
            plan.guild_id,
            near,
            bounds=plan.bounds,
            exclude_seen=plan.exclude_seen,
            unless=plan.unwanted,
        )
        kept = {hit[0]: hit for hit in ranked if hit[3]}
        order = fused(list(kept), [review_id for review_id in near if review_id in allowed])
        first = [kept.get(review_id, (review_id, 0.0, 0, True)) for review_id in order]
        return (first + [hit for hit in ranked if not hit[3]])[:limit]

    async def _ranked_avoiding(self, plan: _Plan, limit: int) -> list[tuple[int, float, int, bool]]:
        """:meth:`_ranked`, with films about an unwanted word after all the others.

        The fourth item says whether the film was found without the unwanted words.
        """
        if plan.unwanted is None:
            return [(*hit, True) for hit in await self._ranked(plan, limit)]
        first = [(*hit, True) for hit in await self._ranked(replace(plan, avoiding=True), limit)]
        if len(first) == limit:
            return first
        taken = {review_id for review_id, _, _, _ in first}
        rest = [hit for hit in await self._ranked(plan, limit + len(first)) if hit[0] not in taken]
        return first + [(*hit, False) for hit in rest[: limit - len(first)]]

    async def _ranked(self, plan: _Plan, limit: int) -> list[tuple[int, float, int]]:
        """(review id, bm25 rank, words matched) of the best ``limit`` films, best first.

        Level by level, from films having every word down: the films having exactly ``n`` of
        the words are the matches of an AND of ``n`` words that no earlier level took, and
        their bm25 under that AND is their bm25 under the whole query (they have none of the
        other words). An AND is cheap when one of its words is rare, so a common word is ranked
        over all its films only when the levels above run out of films. Without any word to
        rank by, the films within the plan's limits come in catalog order.
        """
        groups = plan.groups
        if not groups:
            browsed = await self._store.browse(
                plan.guild_id,
                bounds=plan.bounds,
                exclude_seen=plan.exclude_seen,
                limit=limit,
                unless=plan.unwanted if plan.avoiding else None,
            )
            return [(review_id, rank, 0) for review_id, rank in browsed]
        found: list[tuple[int, float, int]] = []
        taken: set[int] = set()
        for size in range(len(groups), 0, -1):
            subsets = list(combinations(groups, size))
            if len(subsets) > MAX_SUBSETS:
                return found + await self._counted(plan, limit, taken)
            wanted = limit - len(found)
            deep = wanted + len(taken)
            level: list[tuple[int, float, int]] = []
            for subset in subsets:
                ranked = await self._run(plan, plan.match(" AND ".join(subset)), deep)
                level.extend((i, rank, size) for i, rank in ranked if i not in taken)
            level.sort(key=lambda hit: hit[1])
            found.extend(level[:wanted])
            taken.update(review_id for review_id, _, _ in level[:wanted])
            if len(found) == limit:
                break
        return found

    async def _counted(
        self, plan: _Plan, limit: int, taken: set[int]
    ) -> list[tuple[int, float, int]]:
        """The best of what ``taken`` leaves, from one OR query, counted word by word.

        For long queries, where one AND per combination of words would be too many queries.
        """
        ranked = await self._run(
            plan, plan.match(" OR ".join(plan.groups)), CANDIDATES + len(taken)
        )
        some = [(review_id, rank) for review_id, rank in ranked if review_id not in taken]
        counts = dict.fromkeys((review_id for review_id, _ in some[:CANDIDATES]), 0)
        for group in plan.groups:
            for review_id in await self._store.matching_ids(group, list(counts)):
                counts[review_id] += 1
        rest = sorted(
            ((review_id, rank, counts[review_id]) for review_id, rank in some[:CANDIDATES]),
            key=lambda hit: (-hit[2], hit[1]),
        )
        return rest[: limit - len(taken)]

    async def _run(self, plan: _Plan, match: str, limit: int) -> list[tuple[int, float]]:
        return await self._store.ranked(
            plan.guild_id,
            match,
            weights=WEIGHTS,
            limit=limit,
            exclude_seen=plan.exclude_seen,
            bounds=plan.bounds,
        )

    async def _understand(self, terms: tuple[Term, ...]) -> list[Term]:
        """The terms, each plain word the catalog has never used corrected to one it has."""
        await self._vocabulary.refresh()
        understood = []
        for term in terms:
            plain = not term.synonyms and not term.read_as and " " not in term.used
            if plain and not self._vocabulary.knows(term.used):
                corrected = self._vocabulary.correct(term.used)
                term = replace(term, used=corrected) if corrected else term
            understood.append(term)
        return understood

    async def _suggest(self, words: list[Term]) -> tuple[str, ...]:
        """Themes from the thesaurus that the catalog really has, closest to the query first."""
        candidates = [
            theme
            for theme in dict.fromkeys([*self._thesaurus.words(), *self._thesaurus.themes()])
            if " " not in theme and self._vocabulary.knows(theme)
        ]
        query = " ".join(word.typed for word in words)
        if not query:
            return ()
        ranked = process.extract(query, candidates, scorer=fuzz.WRatio, limit=5)
        return tuple(theme for theme, _, _ in ranked)
