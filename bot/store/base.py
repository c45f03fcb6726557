"""The store's foundation: connections, migrations, transactions and bookkeeping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Self

import aiosqlite

from bot.store.records import Clock, StoreError, film_key

log = logging.getLogger(__name__)


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


async def connect(path: str) -> aiosqlite.Connection:
    db = await aiosqlite.connect(path, isolation_level=None)
    for name, arity, function in SQL_FUNCTIONS:
        await db.create_function(name, arity, function, deterministic=True)
    await db.execute("PRAGMA foreign_keys = ON")
    await db.execute("PRAGMA busy_timeout = 5000")
    if path != ":memory:":
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
    return db


class StoreBase:
    """Connections, migrations and transactions; the query mixins build on it."""

    def __init__(
        self, writer: aiosqlite.Connection, reader: aiosqlite.Connection, clock: Clock
    ) -> None:
        self._writer = writer
        self._reader = reader
        self._clock = clock
        self._write_lock = asyncio.Lock()
        self._key_locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def exclusive(self, key: str) -> AsyncIterator[None]:
        """One holder at a time per ``key``: for a check-then-write that spans transactions
        (a moderator's Save checks the film it previewed is unchanged, then writes it)."""
        lock = self._key_locks.setdefault(key, asyncio.Lock())
        async with lock:
            yield

    async def close(self) -> None:
        if self._reader is not self._writer:
            await self._reader.close()
        await self._writer.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        async with self._reader.execute("PRAGMA user_version") as cursor:
            (version,) = await cursor.fetchone()
        return version

    async def _migrate(self) -> None:
        """Apply every migration newer than the database, each in one transaction."""
        async with self._write_lock:
            async with self._writer.execute("PRAGMA user_version") as cursor:
                (current,) = await cursor.fetchone()
            if current > LATEST_VERSION:
                raise StoreError(
                    f"the database is at schema version {current}, newer than this movienight "
                    f"({LATEST_VERSION}); upgrade movienight"
                )
            for number, name, sql in _migrations():
                if number <= current:
                    continue
                log.info("Applying migration %s", name)
                try:
                    await self._writer.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
                    )
                except Exception:
                    await self._writer.execute("ROLLBACK")
                    raise

    # --- transactions --------------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: all of it commits, or none of it does."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    async def get_meta(self, key: str) -> str | None:
        rows = await self._reader.execute_fetchall("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
