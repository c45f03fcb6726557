"""The store on PostgreSQL: the same queries, PostgreSQL's locks, and a search copy.

What differs from SQLite, and only that, is here:

- Migrations come from ``bot/migrations/postgresql`` (one numbering with SQLite's; PostgreSQL
  starts at 15) and are recorded in ``schema_migrations`` with a checksum of each file: a file
  changed after it was applied is refused by name. Migrating and loading the starter catalog
  happen under an advisory lock, so processes that start at once take turns.
- A write transaction takes an advisory lock for its length, so writers on one database take
  turns as SQLite's do (the store's check-then-write steps rely on that), and so do processes.
- Full-text search runs on this process's SQLite copy of the catalog
  (:mod:`bot.store.search_copy`), caught up before each search and in the background whenever
  PostgreSQL announces a catalog change.
- Which processes are alive: :mod:`bot.store.pg_presence`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Self

import psycopg

from bot.review import Review
from bot.settings import database_shown
from bot.store import Store
from bot.store.base import LATEST_VERSION, Db, _migrations, older_processes_refused
from bot.store.pg_presence import PgPresence, older_processes
from bot.store.postgres import PgConnection
from bot.store.records import Clock, StoreError, utcnow
from bot.store.search_copy import SearchCopy

log = logging.getLogger(__name__)

LOCKS = 0x6D6E0000
"""The advisory locks' first key: the store's own (the second says which lock)."""
WRITING, MIGRATING = 1, 2
CHANNEL = "movienight_catalog"
"""What PostgreSQL announces a catalog version on (see ``postgresql/0015_schema.sql``)."""
RECONNECT_SECONDS = 5.0


def pg_migrations() -> list[tuple[int, str, str]]:
    return _migrations("postgresql")


def checksum(sql: str) -> str:
    return hashlib.sha256(sql.encode()).hexdigest()


class PostgresStore(Store):
    """:class:`bot.store.Store` over PostgreSQL."""

    @classmethod
    async def open_postgres(
        cls, url: str, *, starter: Path | None = None, clock: Clock = utcnow
    ) -> Self:
        try:
            return await cls._open(url, starter, clock)
        except psycopg.OperationalError as error:  # says what failed; never the password
            raise StoreError(f"cannot use {database_shown(url)}: {error}") from None
        except psycopg.ProgrammingError:  # psycopg quotes the part it could not read
            raise StoreError(f"cannot read the database URL {database_shown(url)}") from None

    @classmethod
    async def _open(cls, url: str, starter: Path | None, clock: Clock) -> Self:
        async with AsyncExitStack() as opening:  # undone unless the opening succeeds
            writer = await PgConnection.connect(url)
            opening.push_async_callback(writer.close)
            reader = await PgConnection.connect(url)
            opening.push_async_callback(reader.close)
            await writer.execute("SELECT pg_advisory_lock(?, ?)", (LOCKS, MIGRATING))
            try:
                await _migrate(writer)
                presence = await PgPresence.join(reader, LATEST_VERSION)
                store = cls(writer, reader, clock, presence, url)
                if starter is not None and await store._never_held_a_review():
                    await store._load_starter(starter)
            finally:
                await writer.execute("SELECT pg_advisory_unlock(?, ?)", (LOCKS, MIGRATING))
            opening.pop_all()
        return store

    def __init__(
        self,
        writer: PgConnection,
        reader: PgConnection,
        clock: Clock,
        presence: PgPresence,
        url: str,
    ) -> None:
        super().__init__(writer, reader, clock, presence)
        self._url = url
        self._making = asyncio.Lock()
        self._copy: SearchCopy | None = None
        self._following: tuple[asyncio.Task[None], ...] = ()

    async def prepare_search(self) -> None:
        await self._search_copy()

    async def _search_copy(self) -> SearchCopy:
        """This process's search copy, made and filled at its first use, then followed."""
        async with self._making:
            if self._copy is None:
                async with AsyncExitStack() as making:
                    copy = await SearchCopy.create()
                    making.push_async_callback(copy.close)
                    self._source = await PgConnection.connect(self._url)
                    making.push_async_callback(self._source.close)
                    await copy.catch_up(self._source)
                    making.pop_all()
                self._copy, self._changed = copy, asyncio.Event()
                self._following = (
                    asyncio.create_task(self._listen(), name="catalog listener"),
                    asyncio.create_task(self._follow(copy), name="search copy"),
                )
            return self._copy

    async def _listen(self) -> None:
        """Wake :meth:`_follow` whenever PostgreSQL announces a catalog change. A listener
        that had to reconnect may have missed an announcement, so it wakes it then too."""
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._changed.set()
                    async for _ in conn.notifies():
                        self._changed.set()
            except psycopg.OperationalError as error:
                log.warning("Catalog listener lost PostgreSQL (%s); reconnecting", error)
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _follow(self, copy: SearchCopy) -> None:
        while True:
            await self._changed.wait()
            self._changed.clear()
            try:
                await copy.catch_up(self._source)
            except Exception as error:
                log.warning("Search copy behind (%r); the next search catches up", error)

    async def close(self) -> None:
        async with AsyncExitStack() as closing:  # all of it, whatever fails on the way
            closing.push_async_callback(self._writer.close)
            closing.push_async_callback(self._reader.close)
            assert isinstance(self.presence, PgPresence)
            closing.push_async_callback(self.presence.leave)
            if self._copy is None:
                return
            closing.push_async_callback(self._source.close)
            closing.push_async_callback(self._copy.close)
            async with self._copy.held():
                for task in self._following:
                    task.cancel()
                for task in self._following:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    # --- what differs from SQLite ---------------------------------------------------------------

    async def _begin(self) -> None:
        writer = self._writer
        assert isinstance(writer, PgConnection)
        if writer.in_transaction:  # left by a BEGIN whose lock wait failed or was cancelled
            await writer.execute("ROLLBACK")
        await writer.execute("BEGIN")
        try:
            await writer.execute("SELECT pg_advisory_xact_lock(?, ?)", (LOCKS, WRITING))
        except BaseException:
            with contextlib.suppress(psycopg.Error):
                await writer.execute("ROLLBACK")
            raise

    async def schema_version(self) -> int:
        [(version,)] = await self._reader.execute_fetchall(
            "SELECT max(version) FROM schema_migrations"
        )
        return int(version)

    @asynccontextmanager
    async def bulk(self) -> AsyncIterator[None]:
        """Nothing to tune: PostgreSQL checkpoints on its own schedule."""
        yield

    async def backup(self, target: Path) -> None:
        raise StoreError(
            "a PostgreSQL database is backed up with PostgreSQL's own tools: "
            f"pg_dump --format=custom --file {target} <database URL>"
        )

    async def catalog_stamp(self) -> int:
        [(version,)] = await self._reader.execute_fetchall("SELECT version FROM catalog_version")
        return int(version)

    async def _search_db(self, guild_id: int | None = None, *, exclude_seen: bool = False) -> Db:
        copy = await self._search_copy()
        if await self.catalog_stamp() > copy.version:
            await copy.catch_up(self._source)
        if exclude_seen and guild_id is not None:

            async def seen() -> list[str]:
                rows = await self._reader.execute_fetchall(
                    "SELECT film_key FROM seen WHERE guild_id = ?", (guild_id,)
                )
                return [key for (key,) in rows]

            await copy.use_seen(guild_id, seen)
        return copy.reader

    async def terms(self) -> list[tuple[str, int]]:
        """The copy's vocabulary, read from its index (each process has its own copy)."""
        source = await self._search_db()
        rows = await source.execute_fetchall("SELECT term, doc FROM review_terms")
        return [(term, doc) for term, doc in rows]

    async def _index_columns(self, db: Db, rows: list[tuple[int, str, str, str, str]]) -> None:
        """The search copies index the reviews (see :mod:`bot.store.search_copy`)."""

    async def _index_everything(self, db: Db) -> None:
        """The search copies index the reviews (see :mod:`bot.store.search_copy`)."""

    async def _index(self, db: Db, review_id: int, review: Review) -> None:
        await self._save_vectors(db, [(review_id, review)])

    async def _unindex(self, db: Db, review_id: int) -> None:
        """The search copies take the review out of their index."""

    async def _after_explicit_ids(self, db: Db, table: str) -> None:
        await db.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )


async def _migrate(db: PgConnection) -> None:
    """Apply the migrations PostgreSQL has not recorded, each in one transaction (the caller
    holds the migration lock)."""
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY,"
        " name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT now()::text)"
    )
    applied: dict[int, str] = dict(
        await db.execute_fetchall("SELECT version, checksum FROM schema_migrations")
    )
    newest = max(applied, default=0)
    if newest > LATEST_VERSION:
        raise StoreError(
            f"the database is at schema version {newest}, newer than this movienight "
            f"({LATEST_VERSION}); upgrade movienight"
        )
    for number, name, sql in pg_migrations():
        if number in applied:
            if applied[number] != checksum(sql):
                raise StoreError(
                    f"migration {name} differs from the one applied to this database on "
                    "PostgreSQL; a migration is never edited once released"
                )
            continue
        if applied and (older := await older_processes(db, LATEST_VERSION)):
            raise older_processes_refused(older, newest)
        log.info("Applying migration %s (PostgreSQL)", name)
        await db.execute("BEGIN")
        try:
            await db.raw.execute(sql.encode())  # the whole file, as PostgreSQL reads it
            await db.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                (number, name, checksum(sql)),
            )
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
