"""A generated catalog's titles, and a store that holds only them: for title index tests."""

from __future__ import annotations

import asyncio

from bench.catalog import titles
from bot.store import SHARED, TitleRow, film_key


def title_rows(count: int, seed: int) -> list[TitleRow]:
    return [
        TitleRow(i, SHARED, title, year, film_key(title, year))
        for i, (title, year) in enumerate(titles(count, seed), 1)
    ]


class TitlesOnly:
    """Just what the title index asks a store for, counting the reads of every title.

    Each call yields to the event loop once, as a real store's does (aiosqlite answers from
    its own thread), so concurrent requests interleave as they would in the bot.
    """

    def __init__(self, rows: list[TitleRow]) -> None:
        self.rows = rows
        self.stamp = 1
        self.reads = 0

    async def catalog_stamp(self) -> int:
        await asyncio.sleep(0)
        return self.stamp

    async def live_titles(self) -> list[TitleRow]:
        await asyncio.sleep(0)
        self.reads += 1
        return list(self.rows)

    def change(self, rows: list[TitleRow]) -> None:
        """The catalog as it is after a review was saved."""
        self.rows = rows
        self.stamp += 1
