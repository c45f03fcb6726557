"""This process's SQLite copy of the catalog, for full-text search when the store is PostgreSQL.

PostgreSQL's own ranking (``ts_rank``) has no inverse document frequency, so its order is not
bm25's, and ranking a broad match costs about seven times FTS5's (see the README). So each
process keeps the reviews (and, per search, the asking server's seen list) in a SQLite file of
its own, with the same FTS5 index the SQLite store keeps, and every search runs the SQLite
store's queries on it: the same ranking, the same speed, on either backend.

The copy follows PostgreSQL by the catalog version (``catalog_version``, see the migration
``postgresql/0015_schema.sql``): every transaction that writes reviews stamps them with a version
given out in commit order, so reading the rows stamped after the copy's version, in one
snapshot, misses nothing. The store catches up before each search (one small query when nothing
changed) and in the background when PostgreSQL announces a change (LISTEN/NOTIFY).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
from filelock import FileLock

from bot.store.base import connect
from bot.store.postgres import PgConnection
from bot.store.presence import ended

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY, guild_id INTEGER NOT NULL, film_key TEXT NOT NULL,
    title TEXT NOT NULL, year INTEGER, runtime_minutes INTEGER, data BLOB NOT NULL,
    checked_at TEXT, updated_at TEXT NOT NULL, deleted_at TEXT
);
CREATE INDEX reviews_by_scope ON reviews (guild_id, film_key);
CREATE INDEX reviews_by_film ON reviews (film_key);
CREATE TABLE seen (guild_id INTEGER, film_key TEXT, PRIMARY KEY (guild_id, film_key))
    WITHOUT ROWID;
CREATE VIEW review_search AS
    SELECT id, search_text(data, 0) AS pick_if, search_text(data, 1) AS really_about,
           search_text(data, 2) AS synopsis, search_text(data, 3) AS rest
    FROM reviews WHERE deleted_at IS NULL;
CREATE VIRTUAL TABLE review_fts USING fts5 (
    pick_if, really_about, synopsis, rest,
    content = 'review_search', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE review_terms USING fts5vocab (review_fts, 'row');
"""
"""The reviews as the search queries read them; the index is the SQLite store's (0015)."""

COLUMNS = (
    "id, guild_id, film_key, title, year, runtime_minutes, data, checked_at, updated_at, deleted_at"
)
PAGE = 5000
"""Rows read from PostgreSQL at a time while catching up."""
FILE = "search.db"
PREFIX = "movienight-search-"
"""Each copy's folder (under the temporary folder) and, beside it, the lock its process holds."""


class SearchCopy:
    """The copy: written by catching up, read by the search queries."""

    def __init__(
        self,
        folder: Path,
        held: FileLock,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
    ) -> None:
        self.reader = reader
        self.version = 0
        """The catalog version the copy holds."""
        self.path = folder / FILE
        """The copy's SQLite file (the search queries read it through ``reader``)."""
        self._folder = folder
        self._held = held
        self._writer = writer
        self._writing = asyncio.Lock()
        self._seen: dict[int, tuple[str, ...]] = {}

    @classmethod
    async def create(cls, root: Path | None = None) -> SearchCopy:
        """A new, empty copy in a folder of its own under ``root`` (the system's temporary
        folder), which copies that ended processes left there are swept from first."""
        root = Path(root or tempfile.gettempdir())
        _sweep(root)
        # The folder's lock is held before the folder exists: a sweep never finds it unheld.
        name = f"{PREFIX}{secrets.token_hex(8)}"
        held = FileLock(root / f"{name}.lock")
        held.acquire(timeout=0)
        folder = root / name
        folder.mkdir()
        path = str(folder / FILE)
        writer = await connect(path)
        await writer.execute("PRAGMA synchronous = OFF")  # a copy: lost with the process anyway
        await writer.executescript(SCHEMA)
        return cls(folder, held, writer, await connect(path))

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """No catch-up runs meanwhile (one cancelled halfway would leave a transaction open)."""
        async with self._writing:
            yield

    async def close(self) -> None:
        await self.reader.close()
        await self._writer.close()
        shutil.rmtree(self._folder, ignore_errors=True)
        Path(self._held.lock_file).unlink(missing_ok=True)
        self._held.release()

    async def catch_up(self, source: PgConnection) -> None:
        """Take in every review PostgreSQL changed after the copy's version (``source`` is a
        connection of the copy's own: the snapshot is a transaction on it)."""
        async with self._writing:
            if source.in_transaction:  # a catch-up cancelled halfway (a search given up)
                await source.execute("ROLLBACK")
            await source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                [(version,)] = await source.execute_fetchall("SELECT version FROM catalog_version")
                if version > self.version:
                    await self._take_changes(source, version)
            finally:
                await source.execute("COMMIT")

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction on the copy (the caller holds ``_writing``); one left open by
        a task cancelled while writing is ended first."""
        db = self._writer
        if db.in_transaction:
            await db.execute("ROLLBACK")
        await db.execute("BEGIN")
        try:
            yield db
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise

    async def _take_changes(self, source: PgConnection, version: int) -> None:
        first = self.version == 0
        async with self._transaction() as db:
            after = 0
            while rows := await source.execute_fetchall(
                f"SELECT {COLUMNS} FROM reviews WHERE changed_in > ? AND id > ?"
                " ORDER BY id LIMIT ?",
                (self.version, after, PAGE),
            ):
                after = rows[-1][0]
                if first:  # indexed at once below
                    await db.executemany(f"INSERT INTO reviews ({COLUMNS}) VALUES ({_MARKS})", rows)
                else:
                    for row in rows:
                        await self._replace(row)
            if first:
                await db.execute("INSERT INTO review_fts (review_fts) VALUES ('rebuild')")
        log.debug("Search copy: catalog version %d -> %d", self.version, version)
        self.version = version

    async def _replace(self, row: tuple[Any, ...]) -> None:
        """One changed review: out of the index as it was indexed, in again as it is now."""
        db = self._writer
        await db.execute(
            "DELETE FROM review_fts WHERE rowid = ? AND EXISTS"
            " (SELECT 1 FROM reviews WHERE id = ? AND deleted_at IS NULL)",
            (row[0], row[0]),
        )
        await db.execute(f"INSERT OR REPLACE INTO reviews ({COLUMNS}) VALUES ({_MARKS})", row)
        await db.execute(
            "INSERT INTO review_fts (rowid, pick_if, really_about, synopsis, rest)"
            " SELECT id, pick_if, really_about, synopsis, rest FROM review_search WHERE id = ?",
            (row[0],),
        )

    async def use_seen(self, guild_id: int, read: Callable[[], Awaitable[list[str]]]) -> None:
        """Hold ``guild_id``'s seen list as PostgreSQL has it now (``read`` reads it there).

        Read and written in turn with other searches', so an older list never replaces a newer.
        """
        async with self._writing:
            listed = tuple(sorted(await read()))
            if self._seen.get(guild_id) == listed:
                return
            async with self._transaction() as db:
                await db.execute("DELETE FROM seen WHERE guild_id = ?", (guild_id,))
                await db.executemany(
                    "INSERT INTO seen (guild_id, film_key) VALUES (?, ?)",
                    [(guild_id, key) for key in listed],
                )
            self._seen[guild_id] = listed


def _sweep(root: Path) -> None:
    """Remove the copies of processes that ended without closing theirs (``kill -9``): the
    system dropped their folder's lock."""
    for folder in root.glob(f"{PREFIX}*"):
        if folder.is_dir() and ended(Path(f"{folder}.lock")):
            shutil.rmtree(folder, ignore_errors=True)


_MARKS = ", ".join("?" for _ in COLUMNS.split(","))
