"""The history of each review: who changed what and when, and every earlier version, kept small.

The newest version of a review is its row. A change that rewrote the text keeps the version it
replaced (``replaced``), as a delta from the version that replaced it
(:func:`bot.store.packed.delta`); adding, removing and restoring change no text and keep none.
So a review that never changed has no copy in its history, and a one-field edit costs about the
old text of that field. Reading walks back from the row, newest change first: each change's
"after" is the version in hand, and its earlier version is unpacked with it.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.review import Review, from_json
from bot.store.base import Db
from bot.store.packed import undelta, unpack
from bot.store.records import AuditEntry


async def record(
    db: Db,
    review_id: int,
    actor_id: int | None,
    action: str,
    at: str,
    *,
    replaced: bytes | None = None,
    removed: bool = False,
) -> None:
    """Note one change; ``replaced`` is the delta of the text it replaced, when it rewrote it."""
    await db.execute(
        "INSERT INTO review_audit (review_id, actor_id, action, at, replaced, removed)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (review_id, actor_id, action, at, replaced, removed),
    )


async def read(db: Db, review_id: int, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` changes of a review, newest first, with the versions around each."""
    # One statement, so one snapshot: the row is the version the newest change left.
    rows = list(
        await db.execute_fetchall(
            "SELECT a.at, a.actor_id, a.action, a.replaced, a.removed, r.data"
            " FROM review_audit a JOIN reviews r ON r.id = a.review_id"
            " WHERE a.review_id = ? ORDER BY a.id DESC LIMIT ?",
            (review_id, limit),
        )
    )
    found = []
    version = unpack(rows[0][5]) if rows else ""  # the text the change being read left
    for at, actor_id, action, replaced, removed, _ in rows:
        before: str | None
        after: str | None = version
        if removed:
            before, after = version, None
        elif replaced is not None:
            before = undelta(replaced, version)
            version = before
        else:
            before = None
        found.append(
            AuditEntry(
                datetime.fromisoformat(at), actor_id, action, _review(before), _review(after)
            )
        )
    return found


def _review(text: str | None) -> Review | None:
    return None if text is None else from_json(json.loads(text))
