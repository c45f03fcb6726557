"""Lists and settings: what a server has seen, members' watchlists, the mod role."""

from __future__ import annotations

from datetime import datetime

from bot.store.base import StoreBase, first_row
from bot.store.records import REVIEW_COLUMNS, VISIBLE, StoredReview, iso, row_to_stored


class ServerQueries(StoreBase):
    """Seen lists, watchlists and server settings; mixed into :class:`bot.store.Store`."""

    # --- seen list, watchlists, server settings, bookkeeping ------------------------------------

    async def mark_seen(
        self, guild_id: int, key: str, *, by: int | None, on: datetime | None = None
    ) -> bool:
        """Record that the server watched a film; False when it was already on the list."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO seen (guild_id, film_key, seen_on, added_by)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, key, iso(on or self._clock()), by),
            )
        return cursor.rowcount == 1

    async def mark_many_seen(
        self, guild_id: int, seen: dict[str, datetime], *, by: int | None
    ) -> int:
        """Record that the server watched these films (film key -> when), in one transaction;
        how many were not on the list yet."""
        async with self.transaction() as db:
            cursor = await db.executemany(
                "INSERT INTO seen (guild_id, film_key, seen_on, added_by)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(guild_id, key, iso(on), by) for key, on in seen.items()],
            )
            return cursor.rowcount

    async def unmark_seen(self, guild_id: int, key: str) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM seen WHERE guild_id = ? AND film_key = ?", (guild_id, key)
            )
        return cursor.rowcount == 1

    async def seen(self, guild_id: int) -> list[tuple[StoredReview, datetime]]:
        """What the server has watched, newest first, as the reviews it sees now."""
        rows = await self._reader.execute_fetchall(
            f"SELECT {REVIEW_COLUMNS}, s.seen_on FROM seen s"
            f" JOIN reviews r ON r.film_key = s.film_key AND {VISIBLE}"
            " WHERE s.guild_id = :guild ORDER BY s.seen_on DESC, r.title",
            {"guild": guild_id},
        )
        return [(row_to_stored(row[:6]), datetime.fromisoformat(row[6])) for row in rows]

    async def seen_on(self, guild_id: int, key: str) -> datetime | None:
        """When the server watched a film, if it has."""
        row = await first_row(
            self._reader,
            "SELECT seen_on FROM seen WHERE guild_id = ? AND film_key = ?",
            (guild_id, key),
        )
        return datetime.fromisoformat(row[0]) if row else None

    async def seen_keys(self, guild_id: int) -> set[str]:
        rows = await self._reader.execute_fetchall(
            "SELECT film_key FROM seen WHERE guild_id = ?", (guild_id,)
        )
        return {row[0] for row in rows}

    async def add_to_watchlist(self, guild_id: int, user_id: int, key: str) -> bool:
        """Put a film on the member's one watchlist; ``guild_id`` is the catalog it came from
        (the server's, or :data:`SHARED` outside one). False when it was on the list already."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO watchlist (user_id, film_key, guild_id, added_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (user_id, key, guild_id, iso(self._clock())),
            )
        return cursor.rowcount == 1

    async def add_many_to_watchlist(self, guild_id: int, user_id: int, keys: list[str]) -> int:
        """Add these films to a member's one watchlist in one transaction; how many were new
        (``guild_id`` is the catalog they came from, as for :meth:`add_to_watchlist`)."""
        now = iso(self._clock())
        async with self.transaction() as db:
            cursor = await db.executemany(
                "INSERT INTO watchlist (user_id, film_key, guild_id, added_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(user_id, key, guild_id, now) for key in keys],
            )
            return cursor.rowcount

    async def remove_from_watchlist(self, user_id: int, key: str) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM watchlist WHERE user_id = ? AND film_key = ?", (user_id, key)
            )
        return cursor.rowcount == 1

    async def watchlist(self, user_id: int) -> list[StoredReview]:
        """The member's watchlist, the same wherever they ask: each film as the catalog it was
        added from sees it."""
        visible_there = VISIBLE.replace(":guild", "w.guild_id")
        rows = await self._reader.execute_fetchall(
            f"SELECT {REVIEW_COLUMNS} FROM watchlist w"
            f" JOIN reviews r ON r.film_key = w.film_key AND {visible_there}"
            " WHERE w.user_id = :user ORDER BY w.added_at, r.title",
            {"user": user_id},
        )
        return [row_to_stored(row) for row in rows]

    async def mod_role(self, guild_id: int) -> int | None:
        row = await first_row(
            self._reader, "SELECT mod_role_id FROM guild_config WHERE guild_id = ?", (guild_id,)
        )
        return row[0] if row else None

    async def set_mod_role(self, guild_id: int, role_id: int | None) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO guild_config (guild_id, mod_role_id) VALUES (?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET mod_role_id = excluded.mod_role_id",
                (guild_id, role_id),
            )
