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

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.errors import UserFacingError
from bot.store import SearchHit, Store, StoredReview
from bot.text import fold
from bot.thesaurus import Thesaurus

# bm25 weights, in the order of the FTS columns: pick_if, really_about, synopsis, rest.
WEIGHTS = (10.0, 5.0, 2.5, 1.0)
MAX_WORDS = 8
MAX_THEMES_LENGTH = 200
CANDIDATES = 60
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
        self._known: frozenset[str] = frozenset()

    async def refresh(self) -> None:
        if self._version != self._store.version:
            version = self._store.version
            terms = await self._store.terms()
            self._terms = [term for term, _ in terms if not term.isdigit()]
            self._known = frozenset(term for term, _ in terms)
            self._version = version

    def knows(self, word: str) -> bool:
        return stem(word) in self._known

    def correct(self, word: str) -> str | None:
        """The closest catalog word for a typo, compared stem to stem; None if none is close."""
        if len(word) < 4 or word.isdigit():
            return None
        found = process.extractOne(
            stem(word),
            self._terms,
            scorer=DamerauLevenshtein.normalized_similarity,
            score_cutoff=0.75,
        )
        return found[0] if found else None


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
        exclude_seen = not include_seen
        groups = [_group(word) for word in words]
        hits: dict[int, SearchHit] = {}
        if len(groups) > 1:
            for hit in await self._run(guild_id, " AND ".join(groups), exclude_seen):
                hits[hit.stored.id] = hit
        for hit in await self._run(guild_id, " OR ".join(groups), exclude_seen):
            hits.setdefault(hit.stored.id, hit)
        counts = dict.fromkeys(hits, 1 if len(groups) == 1 else 0)
        if len(groups) > 1:
            for group in groups:
                for review_id in await self._store.matching_ids(group, list(hits)):
                    counts[review_id] += 1
        ordered = sorted(hits.values(), key=lambda hit: (-counts[hit.stored.id], hit.rank))
        matches = tuple(
            Match(
                stored=hit.stored,
                reasons=tuple(line for line in hit.pick_if.splitlines() if _marked(line)),
                theme=hit.really_about if _marked(hit.really_about) else None,
                matched=counts[hit.stored.id],
                rank=hit.rank,
            )
            for hit in ordered[:limit]
        )
        suggestions = () if matches else await self._suggest(words)
        return PickIfResult(tuple(words), matches, suggestions)

    async def _run(self, guild_id: int, match: str, exclude_seen: bool) -> list[SearchHit]:
        return await self._store.search(
            guild_id,
            match,
            weights=WEIGHTS,
            limit=CANDIDATES,
            exclude_seen=exclude_seen,
            marks=(MARK_START, MARK_END),
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
