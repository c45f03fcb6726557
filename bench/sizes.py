"""Where the database's bytes go: each table with its indexes, beside the review text itself.

The pages of each table and index come from SQLite's ``dbstat`` virtual table (compiled into the
SQLite of most Python builds; where it is missing, the per-table sizes are left out and the
report says so). The review text is the JSON of every review, uncompressed: what the database
would hold if it kept the text once and nothing else.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.store.packed import unpack

MB = 1_000_000
PER_TABLE = """
    SELECT coalesce(m.tbl_name, d.name) AS owner, sum(d.pgsize) FROM dbstat d
    LEFT JOIN sqlite_schema m ON m.name = d.name GROUP BY owner ORDER BY 2 DESC
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
