"""Finding a film by its title: autocomplete suggestions and resolving what a member typed.

Titles are compared folded (case, accents and punctuation), so "amelie" finds "Amélie" and
"1 mile" finds "1 Mile to You". Every command that takes a title resolves it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.store import SHARED, Store, TitleRow
from bot.text import fold

_YEAR = re.compile(r"\b(18|19|20)\d\d\b")
CHOICE_PREFIX = "id:"
"""Autocomplete choices carry ``id:<review id>`` so a picked title resolves exactly."""
MIN_SCORE = 60.0
CLEAR_SCORE = 85.0
CLEAR_LEAD = 8.0


def label(row: TitleRow) -> str:
    """How a title is shown in lists: with its year, so remakes are told apart."""
    return f"{row.title} ({row.year})" if row.year else row.title


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a typed title means: one film, or the closest candidates to ask about."""

    found: TitleRow | None
    candidates: tuple[TitleRow, ...]


class TitleIndex:
    """Every live title, rebuilt from the store only after the catalog has changed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._version = -1
        self._rows: list[TitleRow] = []
        self._titles: list[str] = []  # folded titles
        self._labels: list[str] = []  # folded "title year"

    async def _refresh(self) -> None:
        if self._version == self._store.version:
            return
        version = self._store.version
        rows = sorted(
            await self._store.live_titles(), key=lambda row: (fold(row.title), row.year or 0)
        )
        self._rows = rows
        self._titles = [fold(row.title) for row in rows]
        self._labels = [fold(label(row)) for row in rows]
        self._version = version

    def _visible(self, guild_id: int) -> list[int]:
        """Positions of the rows a server sees: its own, and shared ones it has not replaced."""
        own = {row.film_key for row in self._rows if row.guild_id == guild_id != SHARED}
        return [
            i
            for i, row in enumerate(self._rows)
            if row.guild_id == guild_id or (row.guild_id == SHARED and row.film_key not in own)
        ]

    async def suggest(self, guild_id: int, query: str, *, limit: int = 25) -> list[TitleRow]:
        """Titles for autocomplete, best first; the first few alphabetically for empty input."""
        await self._refresh()
        visible = self._visible(guild_id)
        folded = fold(query)
        if not folded:
            return [self._rows[i] for i in visible[:limit]]
        return [self._rows[i] for i, _ in self._scored(folded, visible, limit)]

    async def resolve(self, guild_id: int, query: str) -> Resolution:
        """The film a typed title means when one is clearly ahead, else the closest few."""
        await self._refresh()
        visible = self._visible(guild_id)
        text = query.strip()
        if text.startswith(CHOICE_PREFIX) and text[len(CHOICE_PREFIX) :].isdigit():
            wanted = int(text[len(CHOICE_PREFIX) :])
            for i in visible:
                if self._rows[i].id == wanted:
                    return Resolution(self._rows[i], ())
            return Resolution(None, ())
        folded = fold(text)
        if not folded:
            return Resolution(None, ())
        exact = [i for i in visible if folded in (self._titles[i], self._labels[i])]
        if len(exact) == 1:
            return Resolution(self._rows[exact[0]], ())
        scored = self._scored(folded, visible, 5)
        rows = tuple(self._rows[i] for i, _ in scored)
        if exact:
            return Resolution(None, tuple(self._rows[i] for i in exact))
        if (
            scored
            and scored[0][1] >= CLEAR_SCORE
            and (len(scored) == 1 or scored[0][1] - scored[1][1] >= CLEAR_LEAD)
        ):
            return Resolution(rows[0], ())
        return Resolution(None, rows)

    def _scored(self, folded: str, visible: list[int], limit: int) -> list[tuple[int, float]]:
        names = self._labels if _YEAR.search(folded) else self._titles
        choices = {i: names[i] for i in visible}
        found = process.extract(
            folded, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=MIN_SCORE
        )
        return [(i, score) for _, score, i in found]
