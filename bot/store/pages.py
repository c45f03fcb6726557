"""/pickif result lists that outlive the process: the query, the page on show, the pick."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store.base import StoreBase, first_row
from bot.store.records import iso

KEPT_FOR = timedelta(days=1)
"""How long a result list is kept at all; members see it expire much sooner (bot.members)."""


@dataclass(frozen=True, slots=True)
class ResultPages:
    token: str
    guild_id: int
    owner_id: int
    themes: str
    include_seen: bool
    private: bool
    page: int
    picked: bool
    created_at: datetime
    available: bool = False  # kept to films on the server's services (see bot.watch)


class PageQueries(StoreBase):
    """Result lists of /pickif; mixed into :class:`bot.store.Store`."""

    async def open_pages(
        self,
        guild_id: int,
        owner_id: int,
        themes: str,
        *,
        include_seen: bool,
        private: bool,
        available: bool = False,
    ) -> str:
        """Remember a new result list; returns its token (it goes into the buttons' ids)."""
        token = secrets.token_urlsafe(9)
        now = self._clock()
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM pickif_pages WHERE created_at < ?", (iso(now - KEPT_FOR),)
            )
            await db.execute(
                "INSERT INTO pickif_pages (token, guild_id, owner_id, themes, include_seen,"
                " private, created_at, available) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (token, guild_id, owner_id, themes, include_seen, private, iso(now), available),
            )
        return token

    async def pages(self, token: str) -> ResultPages | None:
        row = await first_row(
            self._reader,
            "SELECT token, guild_id, owner_id, themes, include_seen, private, page,"
            " picked_at IS NOT NULL, created_at, available FROM pickif_pages WHERE token = ?",
            (token,),
        )
        if row is None:
            return None
        *fields, created_at, available = row
        token, guild_id, owner_id, themes, include_seen, private, page, picked = fields
        return ResultPages(
            token,
            guild_id,
            owner_id,
            themes,
            bool(include_seen),
            bool(private),
            page,
            bool(picked),
            datetime.fromisoformat(created_at),
            bool(available),
        )

    async def show_page(self, token: str, page: int) -> None:
        async with self.transaction() as db:
            await db.execute("UPDATE pickif_pages SET page = ? WHERE token = ?", (page, token))

    async def pick_from_pages(self, token: str) -> bool:
        """Mark the list as picked from; False when a film was already picked (once only)."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE pickif_pages SET picked_at = ? WHERE token = ? AND picked_at IS NULL",
                (iso(self._clock()), token),
            )
        return cursor.rowcount == 1
