"""``movienight copy-db``: everything from one database into an empty one, SQLite or PostgreSQL
either way, in one transaction, then checked table by table (rows and checksums).

Both sides must be at this movienight's schema version (opening them migrates them). What a
running bot keeps only for a while (leases, IDENTIFY turns, its processes) is not copied; the
target builds its own full-text index (SQLite) or its processes build their search copies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.store import Store, StoreError
from bot.store.base import Db
from bot.store.postgres import PgConnection

TABLES = (
    "meta",
    "guild_config",
    "guild_watch",
    "reviews",
    "review_audit",
    "review_vectors",
    "review_drafts",
    "review_pending",
    "seen",
    "watchlist",
    "pickif_pages",
    "suggestions",
    "suggestion_backers",
    "suggestion_blocks",
    "weekly_schedules",
    "weekly_posts",
    "weekly_candidates",
    "weekly_ballots",
    "movie_nights",
    "film_links",
    "film_data",
    "film_availability",
    "film_offers",
)
"""What is copied, each table after those it refers to."""
NOT_COPIED = ("leases", "identify_slots", "processes", "catalog_version", "schema_migrations")
"""A running bot's own bookkeeping, and PostgreSQL's alone (see the module docstring)."""
ORDERED = ("suggestion_backers", "weekly_ballots")
"""Tables whose rows keep the order they came in (SQLite's rowid, a column on PostgreSQL)."""
ONLY_HERE = {"rowid", "changed_in"}
"""PostgreSQL's columns that it fills itself (see ``postgresql/0015_schema.sql``)."""
BATCH = 2000


@dataclass(frozen=True, slots=True)
class Copied:
    table: str
    rows: int
    checksum: str


async def copy_database(
    source: Store, target: Store, progress: Callable[[str, int], None] = lambda t, n: None
) -> list[Copied]:
    """Copy every table of ``source`` into ``target`` (which must hold nothing yet) and check
    that each holds the same rows; ``progress(table, rows)`` is told as rows are written."""
    filled = [table for table in TABLES if await _count(target._reader, table)]
    if filled:
        raise StoreError(
            f"the target already holds data ({', '.join(filled)}); copy-db only fills an "
            "empty database"
        )
    reader = source._reader
    await reader.execute(_snapshot(reader))
    try:
        copied = []
        async with target.transaction() as db:
            for table in TABLES:
                columns = [c for c in await _columns(reader, table) if c not in ONLY_HERE]
                names = ", ".join(columns)
                marks = ", ".join("?" for _ in columns)
                rows = list(
                    await reader.execute_fetchall(f"SELECT {names} FROM {table}{_order(table)}")
                )
                for start in range(0, len(rows), BATCH):
                    batch = rows[start : start + BATCH]
                    await db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
                    progress(table, len(batch))
                if "id" in columns:
                    await target._after_explicit_ids(db, table)
                copied.append(Copied(table, len(rows), _checksum(rows)))
            await target._index_everything(db)
    finally:
        await reader.execute("COMMIT")
    for done in copied:
        there = await _rows(target._reader, done.table)
        if (len(there), _checksum(there)) != (done.rows, done.checksum):
            raise StoreError(f"{done.table} differs after the copy: {len(there)} rows there")
    return copied


async def _rows(db: Db, table: str) -> list[Any]:
    columns = [c for c in await _columns(db, table) if c not in ONLY_HERE]
    return list(await db.execute_fetchall(f"SELECT {', '.join(columns)} FROM {table}"))


def _snapshot(db: Db) -> str:
    """What starts a read of one moment on ``db`` (a bot writing meanwhile changes nothing)."""
    if isinstance(db, PgConnection):
        return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    return "BEGIN"


def _order(table: str) -> str:
    return " ORDER BY rowid" if table in ORDERED else ""


async def _count(db: Db, table: str) -> int:
    [(count,)] = await db.execute_fetchall(f"SELECT count(*) FROM {table}")
    return int(count)


async def _columns(db: Db, table: str) -> list[str]:
    rows: Any
    if isinstance(db, PgConnection):
        rows = await db.execute_fetchall(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
    else:
        rows = await db.execute_fetchall("SELECT name FROM pragma_table_info(?)", (table,))
    return [name for (name,) in rows]


def _checksum(rows: list[Any]) -> str:
    """The rows' checksum, whatever order they are read in."""
    digests = sorted(
        hashlib.blake2b(repr(tuple(row)).encode(), digest_size=16).digest() for row in rows
    )
    return hashlib.sha256(b"".join(digests)).hexdigest()
