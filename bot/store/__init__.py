"""The catalog store: the one place that speaks SQL.

SQLite through aiosqlite, in WAL mode with foreign keys on. The schema comes from the numbered
files in ``bot/migrations`` (applied in order, tracked with ``PRAGMA user_version``). Every write
runs in one transaction behind a single writer lock; reads use their own connection, so they see
only committed data and never wait for a writer.

Everything above this package (search, cards, cogs, the console) talks to :class:`Store` and
never sees a cursor, so another backend could stand in its place. The queries are grouped by
subject in mixins (reviews, per-server lists, ...) over one connection pair.
"""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from pathlib import Path

import aiosqlite

from bot.catalog_files import read_reviews
from bot.review import latest_year
from bot.settings import is_postgres
from bot.store.backup import backup_database, backup_version, restore_database
from bot.store.base import (
    BUSY_TIMEOUT_MS,
    LATEST_VERSION,
    OPENING_TIMEOUT_MS,
    connect,
    first_row,
)
from bot.store.films import CachedFilm, FilmLink, FilmQueries
from bot.store.history import HistoryQueries
from bot.store.leases import LeaseQueries
from bot.store.lists import ServerQueries
from bot.store.moderation import ModerationQueries
from bot.store.pages import PageQueries, ResultPages
from bot.store.presence import Presence
from bot.store.records import (
    SHARED,
    AuditEntry,
    Bounds,
    Clock,
    PackedReview,
    SaveResult,
    SearchHit,
    StoredReview,
    StoreError,
    TitleRow,
    film_key,
    utcnow,
)
from bot.store.reviews import ReviewQueries
from bot.store.suggestions import SuggestionQueries
from bot.store.weekly import WeeklyQueries

__all__ = [
    "LATEST_VERSION",
    "SHARED",
    "AuditEntry",
    "Bounds",
    "CachedFilm",
    "Clock",
    "FilmLink",
    "PackedReview",
    "ResultPages",
    "SaveResult",
    "SearchHit",
    "Store",
    "StoreError",
    "StoredReview",
    "TitleRow",
    "backup_version",
    "film_key",
    "restore_database",
    "utcnow",
]

log = logging.getLogger(__name__)


class Store(
    ReviewQueries,
    ServerQueries,
    ModerationQueries,
    PageQueries,
    SuggestionQueries,
    WeeklyQueries,
    HistoryQueries,
    FilmQueries,
    LeaseQueries,
):
    """The catalog and everything the bot remembers per server."""

    # --- opening and closing -----------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        starter: Path | None = None,
        clock: Clock = utcnow,
    ) -> Store:
        """Open (creating and migrating as needed) the database at ``path``.

        A database that has never held a review gets the reviews in ``starter``: also when a
        first start died before the starter catalog was in (its load is one transaction).
        Several processes may open a new database at once: one migrates and loads it, the
        others wait for the write lock (up to ``OPENING_TIMEOUT_MS``) and find it done. A
        failed opening closes what it opened, so the process can still end.
        """
        if is_postgres(path):
            from bot.store.pg_store import PostgresStore  # it builds on Store

            return await PostgresStore.open_postgres(str(path), starter=starter, clock=clock)
        path = str(path)
        async with AsyncExitStack() as opening:  # undone unless the opening succeeds
            presence = Presence(path, LATEST_VERSION)
            opening.callback(presence.close)
            writer = await connect(path, OPENING_TIMEOUT_MS)
            opening.push_async_callback(writer.close)
            reader = writer if path == ":memory:" else await connect(path, OPENING_TIMEOUT_MS)
            if reader is not writer:
                opening.push_async_callback(reader.close)
            store = cls(writer, reader, clock, presence)
            await store._migrate()
            if starter is not None and await store._never_held_a_review():
                await store._load_starter(starter)
            for db in {writer, reader}:
                await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            opening.pop_all()
        return store

    async def backup(self, target: Path) -> None:
        """Write a consistent copy of the database to ``target`` while it stays in use."""
        assert isinstance(self._reader, aiosqlite.Connection)  # PostgresStore has its own
        await backup_database(self._reader, target)

    async def _never_held_a_review(self) -> bool:
        rows = await self._reader.execute_fetchall("SELECT 1 FROM reviews LIMIT 1")
        return not rows

    async def _load_starter(self, folder: Path) -> None:
        loaded = []
        for item in read_reviews([folder], newest=latest_year(self._clock().date())):
            if item.review is None:
                log.warning("Starter review %s skipped: %s", item.path, item.error)
            else:
                loaded.append(item.review)
        async with self.transaction() as db:
            if await first_row(db, "SELECT 1 FROM reviews LIMIT 1"):
                return  # another process starting on this database loaded it first
            await self.save_many(loaded)
        log.info("Loaded %d starter reviews from %s", len(loaded), folder)
