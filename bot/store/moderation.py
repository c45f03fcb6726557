"""Moderators' work in progress: /review add drafts, and changes waiting for their Save button."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.review import Review, from_json, to_json
from bot.store.base import StoreBase, first_row
from bot.store.records import REVIEW_COLUMNS, StoredReview, iso, row_to_stored

PendingKind = Literal["import", "add", "remove"]
Outcome = Literal["confirmed", "cancelled"]

KEEP_SETTLED = timedelta(days=1)
"""How long a pending change is remembered after it expires, to answer a late click exactly."""


@dataclass(frozen=True, slots=True)
class Pending:
    """A preview waiting for its moderator: save ``review`` (import, add) or remove a review."""

    token: str
    guild_id: int
    user_id: int
    kind: PendingKind
    review: Review | None  # import/add: what Save writes
    target_id: int | None  # remove: the review Remove hides
    base: str  # fingerprint of what the preview showed as "before"
    expires_at: datetime
    outcome: Outcome | None = None


class ModerationQueries(StoreBase):
    """Drafts and pending changes; mixed into :class:`bot.store.Store`."""

    # --- drafts of /review add ----------------------------------------------------------------

    async def draft(self, guild_id: int, user_id: int) -> dict[str, str]:
        """What the moderator has typed into the /review add forms so far (empty if nothing)."""
        row = await first_row(
            self._reader,
            "SELECT texts FROM review_drafts WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return json.loads(row[0]) if row else {}

    async def update_draft(
        self, guild_id: int, user_id: int, texts: Mapping[str, str]
    ) -> dict[str, str]:
        """Merge one form's inputs into the draft; returns the whole draft."""
        async with self.transaction() as db:
            row = await first_row(
                db,
                "SELECT texts FROM review_drafts WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            merged = {**(json.loads(row[0]) if row else {}), **texts}
            await db.execute(
                "INSERT INTO review_drafts (guild_id, user_id, texts, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id)"
                " DO UPDATE SET texts = excluded.texts, updated_at = excluded.updated_at",
                (guild_id, user_id, json.dumps(merged, ensure_ascii=False), iso(self._clock())),
            )
        return merged

    async def drop_draft(self, guild_id: int, user_id: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM review_drafts WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )

    # --- reviews as a moderator sees them -------------------------------------------------------

    async def review_by_key(self, guild_id: int, key: str) -> StoredReview | None:
        """The review of one film in one scope, live or removed (what a save would replace)."""
        row = await first_row(
            self._reader,
            f"SELECT {REVIEW_COLUMNS} FROM reviews r WHERE r.guild_id = ? AND r.film_key = ?",
            (guild_id, key),
        )
        return row_to_stored(row) if row else None

    # --- changes waiting for a button ---------------------------------------------------------

    async def add_pending(self, pending: Pending) -> None:
        """Remember a preview; pending changes long past their expiry are forgotten here."""
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM review_pending WHERE expires_at < ?",
                (iso(self._clock() - KEEP_SETTLED),),
            )
            await db.execute(
                "INSERT INTO review_pending (token, guild_id, user_id, kind, data, target_id,"
                " base, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    pending.token,
                    pending.guild_id,
                    pending.user_id,
                    pending.kind,
                    pending.review and json.dumps(to_json(pending.review), ensure_ascii=False),
                    pending.target_id,
                    pending.base,
                    iso(pending.expires_at),
                ),
            )

    async def pending(self, token: str) -> Pending | None:
        row = await first_row(
            self._reader,
            "SELECT token, guild_id, user_id, kind, data, target_id, base, expires_at, outcome"
            " FROM review_pending WHERE token = ?",
            (token,),
        )
        if row is None:
            return None
        token, guild_id, user_id, kind, data, target_id, base, expires_at, outcome = row
        return Pending(
            token=token,
            guild_id=guild_id,
            user_id=user_id,
            kind=kind,
            review=data and from_json(json.loads(data)),
            target_id=target_id,
            base=base,
            expires_at=datetime.fromisoformat(expires_at),
            outcome=outcome,
        )

    async def settle_pending(
        self, token: str, outcome: Outcome, *, base: str | None = None
    ) -> bool:
        """Close a pending change exactly once, while it is still open and unexpired.

        With ``base``, only if what the preview was made against is still what is stored.
        False when another click (or time, or another change) got there first.
        """
        query = (
            "UPDATE review_pending SET outcome = ?"
            " WHERE token = ? AND outcome IS NULL AND expires_at > ?"
        )
        values: tuple[object, ...] = (outcome, token, iso(self._clock()))
        if base is not None:
            query += " AND base = ?"
            values += (base,)
        async with self.transaction() as db:
            cursor = await db.execute(query, values)
        return cursor.rowcount == 1
