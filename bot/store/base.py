"""The store's foundation: connections, migrations, transactions and bookkeeping."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from importlib import resources
from typing import Any, Self

import aiosqlite

from bot.keyed_locks import KeyedLocks
from bot.store.presence import Presence
from bot.store.records import Clock, StoreError, film_key

log = logging.getLogger(__name__)

_open_transaction: ContextVar[tuple[int, asyncio.Task[object] | None] | None] = ContextVar(
    "open_transaction", default=None
)
"""The store and task whose write transaction is open here, for nested ones to join."""


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files("bot.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


LATEST_VERSION = _migrations()[-1][0]

SQL_FUNCTIONS: tuple[tuple[str, int, Callable[..., object]], ...] = (("film_key", 2, film_key),)
"""Python rules the SQL may call, by name and number of arguments: a migration that recomputes
stored film keys computes them exactly as the store does."""


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
OPENING_TIMEOUT_MS = 600_000
"""How long a process that starts waits for another to finish migrating the same database."""


async def connect(path: str) -> aiosqlite.Connection:
    db = await aiosqlite.connect(path, isolation_level=None)
    for name, arity, function in SQL_FUNCTIONS:
        await db.create_function(name, arity, function, deterministic=True)
    await db.execute("PRAGMA foreign_keys = ON")
    await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if path != ":memory:":
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
    return db


async def first_row(
    db: aiosqlite.Connection, sql: str, parameters: Iterable[Any] = ()
) -> sqlite3.Row | None:
    """The first row a query returns, or None when it returns none."""
    return next(iter(await db.execute_fetchall(sql, parameters)), None)


class StoreBase:
    """Connections, migrations and transactions; the query mixins build on it."""

    def __init__(
        self,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        clock: Clock,
        presence: Presence,
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
        self.presence.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        [(version,)] = await self._reader.execute_fetchall("PRAGMA user_version")
        return version

    async def _migrate(self) -> None:
        """Apply every migration newer than the database, each in one transaction.

        Several processes may start on one database at once: each migration's transaction
        reads the version again after taking the write lock, so a migration another process
        applied meanwhile is not applied twice.
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
                        log.info("Applying migration %s", name)
                        for statement in statements(sql):
                            await db.execute(statement)
                        await db.execute(f"PRAGMA user_version = {number}")
                    await db.execute("COMMIT")
                except BaseException:
                    await db.execute("ROLLBACK")
                    raise

    # --- transactions --------------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
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
            await self._writer.execute("BEGIN IMMEDIATE")
            mark = _open_transaction.set((id(self), asyncio.current_task()))
            try:
                yield self._writer
                await self._writer.execute("COMMIT")
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            finally:
                _open_transaction.reset(mark)

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[None]:
        await self._writer.execute("SAVEPOINT inner")
        try:
            yield
        except BaseException:
            await self._writer.execute("ROLLBACK TO inner")
            raise
        finally:
            await self._writer.execute("RELEASE inner")

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
