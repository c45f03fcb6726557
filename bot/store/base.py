"""The store's foundation: connections, migrations, transactions and bookkeeping."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from importlib import resources
from typing import Any, Self

import aiosqlite

from bot.keyed_locks import KeyedLocks
from bot.store import packed
from bot.store.pg_presence import PgPresence
from bot.store.postgres import PgConnection
from bot.store.presence import Presence
from bot.store.records import Clock, StoreError, film_key

Db = aiosqlite.Connection | PgConnection
"""A connection the queries speak to: SQLite's, or PostgreSQL's in the same SQL."""

log = logging.getLogger(__name__)

_open_transaction: ContextVar[tuple[int, asyncio.Task[object] | None] | None] = ContextVar(
    "open_transaction", default=None
)
"""The store and task whose write transaction is open here, for nested ones to join."""


def _migrations(folder: str = "") -> list[tuple[int, str, str]]:
    """The numbered migrations (number, file name, SQL) in ``bot/migrations``, or in its
    ``folder`` (``postgresql``), in order."""
    found = []
    for entry in resources.files("bot.migrations").joinpath(folder).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


LATEST_VERSION = _migrations()[-1][0]

BULK_CHECKPOINT_PAGES = 16_000
"""Pages (64 MB) the write-ahead log may hold during :meth:`StoreBase.bulk` before a checkpoint."""
COMPACT_PAGES = 1000
"""Free pages (4 MB) below which a database is not worth a VACUUM."""

SQL_FUNCTIONS: tuple[tuple[str, int, Callable[..., object]], ...] = (
    ("film_key", 2, film_key),
    ("search_text", 2, packed.search_text),
    ("review_pack", 1, packed.pack),
    ("review_delta", 2, packed.delta),
)
"""Python rules the SQL may call, by name and number of arguments: a migration that recomputes
stored film keys or packs stored text does it exactly as the store does, and the full-text index
reads its columns from the stored reviews through ``search_text``."""


def statements(script: str) -> list[str]:
    """A migration's SQL as single statements, split where SQLite itself sees one end (so a
    trigger's body stays whole), for running inside a transaction the store holds."""
    found, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip() and sqlite3.complete_statement(pending + ";"):
        found.append(pending.strip())
    return [statement for statement in found if not _only_comments(statement)]


def _only_comments(statement: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in statement.splitlines())


BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another connection's (another process's) write to end."""
WAL_RETRY_SECONDS = 0.02
"""How often a new connection asks again for WAL mode while another connection writes."""
OPENING_TIMEOUT_MS = 600_000
"""How long a process that starts waits for another to finish migrating the same database."""


async def connect(path: str, busy_ms: int = BUSY_TIMEOUT_MS) -> aiosqlite.Connection:
    """A connection set up as the store uses it; closed again if setting it up fails (its
    thread would otherwise keep the process from ending)."""
    db = await aiosqlite.connect(path, isolation_level=None)
    try:
        for name, arity, function in SQL_FUNCTIONS:
            await db.create_function(name, arity, function, deterministic=True)
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute(f"PRAGMA busy_timeout = {busy_ms}")
        if path != ":memory:":
            await _into_wal(db, busy_ms)
            await db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        await db.close()
        raise
    return db


async def _into_wal(db: aiosqlite.Connection, busy_ms: int) -> None:
    """Turn on WAL mode, waiting up to ``busy_ms`` for another connection's write to end.

    On a database not yet in WAL mode (a new one, while another process creates it) SQLite
    answers "database is locked" at once, without waiting the busy timeout: switching needs the
    lock a writer holds, taken from a read, and SQLite never waits there (it could deadlock).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + busy_ms / 1000
    while True:
        try:
            await db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or loop.time() >= deadline:
                raise
        await asyncio.sleep(WAL_RETRY_SECONDS)


async def first_row(db: Db, sql: str, parameters: Any = ()) -> Any:
    """The first row a query returns, or None when it returns none."""
    return next(iter(await db.execute_fetchall(sql, parameters)), None)


def older_processes_refused(count: int, current: int) -> StoreError:
    return StoreError(
        f"{count} other movienight process(es) of an older version still run on this "
        f"database; stop them all, then start this version to upgrade the database from "
        f"schema {current} to {LATEST_VERSION}"
    )


class StoreBase:
    """Connections, migrations and transactions; the query mixins build on it."""

    def __init__(
        self, writer: Db, reader: Db, clock: Clock, presence: Presence | PgPresence
    ) -> None:
        self.presence = presence
        """This process among others on the same database (see ``bot/store/leases.py``)."""
        self._writer = writer
        self._reader = reader
        self._clock = clock
        self._write_lock = asyncio.Lock()
        self.exclusive = KeyedLocks()
        """One holder at a time per key: for a check-then-write that must not interleave with
        another (a moderator's Save checks the film it previewed is unchanged, then writes)."""

    async def close(self) -> None:
        if self._reader is not self._writer:
            await self._reader.close()
        await self._writer.close()
        assert isinstance(self.presence, Presence)
        self.presence.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        [(version,)] = await self._reader.execute_fetchall("PRAGMA user_version")
        return version

    async def _migrate(self) -> None:
        """Apply every migration newer than the database, each in one transaction; then compact.

        Several processes may start on one database at once: each migration's transaction
        reads the version again after taking the write lock, so a migration another process
        applied meanwhile is not applied twice. No migration is applied while a process of an
        older movienight runs on the database (a rolling upgrade stops them all first).
        """
        async with self._write_lock:
            db = self._writer
            for number, name, sql in _migrations():
                await db.execute("BEGIN IMMEDIATE")
                try:
                    [(current,)] = await db.execute_fetchall("PRAGMA user_version")
                    if current > LATEST_VERSION:
                        raise StoreError(
                            f"the database is at schema version {current}, newer than this "
                            f"movienight ({LATEST_VERSION}); upgrade movienight"
                        )
                    if number > current:
                        await self._refuse_beside_older_processes(current)
                        log.info("Applying migration %s", name)
                        for statement in statements(sql):
                            await db.execute(statement)
                        await db.execute(f"PRAGMA user_version = {number}")
                    await db.execute("COMMIT")
                except BaseException:
                    await db.execute("ROLLBACK")
                    raise
            await self._compact()

    async def _refuse_beside_older_processes(self, current: int) -> None:
        """An upgrade waits until no older movienight runs on the database: its code would
        read and write the new schema as the old one."""
        older = [v for v in await self.presence.others() if v is None or v < LATEST_VERSION]
        if older:
            raise older_processes_refused(len(older), current)

    async def _compact(self) -> None:
        """Give back free space when it is a good part of the file, as after a migration that
        dropped a copy of the review text.

        VACUUM rewrites the database into as few pages as it needs, as one more transaction of
        its own: a database killed meanwhile is the migrated one, compacted on the next start.
        """
        [(pages,)] = await self._writer.execute_fetchall("PRAGMA page_count")
        [(free,)] = await self._writer.execute_fetchall("PRAGMA freelist_count")
        if free < COMPACT_PAGES or free * 4 < pages:
            return
        log.info("Compacting the database: %d of its %d pages are free", free, pages)
        await self._writer.execute("VACUUM")
        await self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- transactions --------------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Db]:
        """One write transaction: all of it commits, or none of it does.

        Opened inside another transaction of the same task, it joins that one as a savepoint,
        so a user action that calls several store methods is one unit of work: the core wraps
        them in ``async with store.transaction():`` and they commit together or not at all
        (a failed inner part rolls back only itself, for the caller to handle).
        """
        outer = _open_transaction.get()
        if outer is not None and outer == (id(self), asyncio.current_task()):
            async with self._savepoint():
                yield self._writer
            return
        async with self._write_lock:
            await self._begin()
            mark = _open_transaction.set((id(self), asyncio.current_task()))
            try:
                yield self._writer
                await self._writer.execute("COMMIT")
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            finally:
                _open_transaction.reset(mark)

    async def _begin(self) -> None:
        """Start a write transaction that no other connection (or process) writes beside."""
        assert isinstance(self._writer, aiosqlite.Connection)
        if self._writer.in_transaction:  # a BEGIN whose task was cancelled went through after all
            await self._writer.execute("ROLLBACK")
        await self._writer.execute("BEGIN IMMEDIATE")

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[None]:
        await self._writer.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            await self._writer.execute("ROLLBACK TO nested")
            raise
        finally:
            await self._writer.execute("RELEASE nested")

    @asynccontextmanager
    async def bulk(self) -> AsyncIterator[None]:
        """Many large write transactions in a row (an import of many files).

        SQLite copies the write-ahead log into the database (a checkpoint, with its fsyncs)
        whenever the log passes a threshold, 4 MB by default; an import fills that every few
        batches, and copies the same index pages again each time. Meanwhile the log may grow
        to 64 MB: far fewer checkpoints, each page copied once or twice.
        """
        [(usual,)] = await self._writer.execute_fetchall("PRAGMA wal_autocheckpoint")
        await self._writer.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
        try:
            yield
        finally:
            await self._writer.execute(f"PRAGMA wal_autocheckpoint = {usual}")

    async def prepare_search(self) -> None:
        """Have search ready before the first member asks (PostgreSQL builds its copy)."""

    async def _after_explicit_ids(self, db: Db, table: str) -> None:
        """After rows were inserted into ``table`` with ids of the store's choosing (SQLite
        gives the next one from the largest id anyway; PostgreSQL's counter must be moved)."""

    async def _search_db(self, guild_id: int | None = None, *, exclude_seen: bool = False) -> Db:
        """The connection full-text search reads (``review_fts`` beside ``reviews`` and
        ``seen``): the database itself; on PostgreSQL, this process's copy of the catalog,
        brought up to date (and ``guild_id``'s seen list with it, when it is to be left out)."""
        return self._reader

    async def get_meta(self, key: str) -> str | None:
        row = await first_row(self._reader, "SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
