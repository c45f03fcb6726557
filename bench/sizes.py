"""Where the database's bytes go: each table with its indexes, beside the review text itself.

The pages of each table and index come from SQLite's ``dbstat`` virtual table (compiled into the
SQLite of most Python builds; where it is missing, the per-table sizes are left out and the
report says so). The review text is the JSON of every review, uncompressed: what the database
would hold if it kept the text once and nothing else. On PostgreSQL the sizes are its own
(``pg_database_size``, ``pg_total_relation_size``: a table with its indexes and TOAST).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg

from bot.store.packed import unpack

MB = 1_000_000
PER_TABLE = """
    SELECT coalesce(m.tbl_name, d.name) AS owner, sum(d.pgsize) FROM dbstat d
    LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY owner ORDER BY 2 DESC
"""
PG_PER_TABLE = """
    SELECT relname, pg_total_relation_size(relid) FROM pg_stat_user_tables ORDER BY 2 DESC
"""


def measure(path: Path) -> dict[str, Any]:
    """``table_mb`` (each table with its indexes; None without dbstat), ``free_mb`` (pages kept
    for reuse) and ``review_json_mb``."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        try:
            tables: dict[str, float] | None = {
                name: size / MB for name, size in db.execute(PER_TABLE)
            }
        except sqlite3.OperationalError:  # no such table: dbstat
            tables = None
        [(free,)] = db.execute("PRAGMA freelist_count")
        [(page,)] = db.execute("PRAGMA page_size")
        text = sum(len(unpack(data).encode()) for (data,) in db.execute("SELECT data FROM reviews"))
    return {"table_mb": tables, "free_mb": free * page / MB, "review_json_mb": text / MB}


def measure_postgres(url: str) -> dict[str, Any]:
    """``db_mb`` (the whole database, PostgreSQL's own catalog included), ``table_mb`` and
    ``review_json_mb`` of the PostgreSQL database at ``url``; ``free_mb`` is None (PostgreSQL
    keeps no free list: dead rows are vacuumed in place)."""
    with psycopg.connect(url) as db:
        tables = {name: size / MB for name, size in db.execute(PG_PER_TABLE)}
        [(total,)] = db.execute("SELECT pg_database_size(current_database())")
        text = sum(len(unpack(data).encode()) for (data,) in db.execute("SELECT data FROM reviews"))
    return {"db_mb": total / MB, "table_mb": tables, "free_mb": None, "review_json_mb": text / MB}
