"""Members' suggestions in SQLite: films put forward, who backs them, films kept out, settings.

A film has at most one live (pending or open) suggestion per server, and a requested title at
most one live request; unique indexes hold that even when two members suggest at once. The
suggester is the first backer, so "how many back it" is one count over one table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from bot.store.base import StoreBase, first_row
from bot.store.records import iso, when

State = Literal["asking", "pending", "open", "withdrawn", "removed", "denied", "watched", "merged"]
LIVE: tuple[State, ...] = ("pending", "open")
DEFAULT_LIMIT = 3


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    guild_id: int
    film_key: str | None  # None: a request for a film the catalog lacks
    title: str
    note: str | None
    user_id: int
    created_at: datetime
    state: State
    closed_at: datetime | None
    backers: tuple[int, ...]  # user ids, the suggester first, then in the order they backed it

    @property
    def is_request(self) -> bool:
        return self.film_key is None


@dataclass(frozen=True, slots=True)
class SuggestionSettings:
    limit: int = DEFAULT_LIMIT  # open suggestions a member may have
    approval: bool = False  # new suggestions wait for a moderator


_COLUMNS = "id, guild_id, film_key, title, note, user_id, created_at, state, closed_at"
_BACKERS = (
    "(SELECT group_concat(user_id) FROM (SELECT user_id FROM suggestion_backers b"
    " WHERE b.suggestion_id = s.id ORDER BY b.backed_at, b.rowid) AS backers)"
)
_ORDER = "(SELECT COUNT(*) FROM suggestion_backers b WHERE b.suggestion_id = s.id) DESC, s.id"
"""Most backed first, then oldest."""


def _suggestion(row: Sequence[Any]) -> Suggestion:
    return Suggestion(
        id=row[0],
        guild_id=row[1],
        film_key=row[2],
        title=row[3],
        note=row[4],
        user_id=row[5],
        created_at=datetime.fromisoformat(row[6]),
        state=row[7],
        closed_at=when(row[8]),
        backers=tuple(int(user) for user in row[9].split(",")) if row[9] else (),
    )


class SuggestionQueries(StoreBase):
    """Suggestions, backers, blocks and settings; mixed into :class:`bot.store.Store`."""

    async def _suggestions(self, where: str, params: dict[str, Any]) -> list[Suggestion]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_COLUMNS}, {_BACKERS} FROM suggestions s WHERE {where} ORDER BY {_ORDER}",
            params,
        )
        return [_suggestion(row) for row in rows]

    async def suggestion(self, suggestion_id: int) -> Suggestion | None:
        found = await self._suggestions("id = :id", {"id": suggestion_id})
        return found[0] if found else None

    async def live_suggestion(self, guild_id: int, film_key: str) -> Suggestion | None:
        """The film's pending or open suggestion in a server, if any."""
        found = await self._suggestions(
            "guild_id = :guild AND film_key = :key AND state IN ('pending', 'open')",
            {"guild": guild_id, "key": film_key},
        )
        return found[0] if found else None

    async def open_suggestion(self, guild_id: int, film_key: str) -> Suggestion | None:
        """The film's open suggestion (not one waiting for approval), for its card."""
        live = await self.live_suggestion(guild_id, film_key)
        return live if live is not None and live.state == "open" else None

    async def live_request(self, guild_id: int, title_key: str) -> Suggestion | None:
        found = await self._suggestions(
            "guild_id = :guild AND film_key IS NULL AND title_key = :key"
            " AND state IN ('pending', 'open')",
            {"guild": guild_id, "key": title_key},
        )
        return found[0] if found else None

    async def suggestions_in(self, guild_id: int, *states: State) -> list[Suggestion]:
        """A server's suggestions in these states, most backed first, then oldest."""
        marks = ", ".join(f":s{n}" for n in range(len(states)))
        params: dict[str, Any] = {f"s{n}": state for n, state in enumerate(states)}
        return await self._suggestions(
            f"guild_id = :guild AND state IN ({marks})", {"guild": guild_id, **params}
        )

    async def suggested_by(self, guild_id: int, user_id: int) -> list[Suggestion]:
        """The live suggestions a member put forward (what counts against their limit)."""
        return await self._suggestions(
            "guild_id = :guild AND user_id = :user AND state IN ('pending', 'open')",
            {"guild": guild_id, "user": user_id},
        )

    async def backed_by(self, guild_id: int, user_id: int) -> list[Suggestion]:
        """The live suggestions a member suggested or backs."""
        return await self._suggestions(
            "guild_id = :guild AND state IN ('pending', 'open') AND id IN"
            " (SELECT suggestion_id FROM suggestion_backers WHERE user_id = :user)",
            {"guild": guild_id, "user": user_id},
        )

    async def add_suggestion(
        self,
        guild_id: int,
        user_id: int,
        *,
        film_key: str | None,
        title: str,
        title_key: str,
        note: str | None,
        state: State,
    ) -> Suggestion:
        """A new suggestion; the suggester backs it unless it is only ``asking``."""
        now = self._clock()
        async with self.transaction() as db:
            row = await first_row(
                db,
                "INSERT INTO suggestions (guild_id, film_key, title, title_key, note, user_id,"
                " created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (guild_id, film_key, title, title_key, note, user_id, iso(now), state),
            )
            assert row is not None
            if state != "asking":
                await db.execute(
                    "INSERT INTO suggestion_backers (suggestion_id, user_id, backed_at)"
                    " VALUES (?, ?, ?)",
                    (row[0], user_id, iso(now)),
                )
        backers = () if state == "asking" else (user_id,)
        return Suggestion(
            row[0], guild_id, film_key, title, note, user_id, now, state, None, backers
        )

    async def go_on(self, asking: Suggestion, state: State) -> Suggestion | None:
        """An ``asking`` suggestion goes on (pending or open), its suggester backing it; None
        when it was not asking any more."""
        now = self._clock()
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE suggestions SET state = ?, created_at = ? WHERE id = ?"
                " AND state = 'asking'",
                (state, iso(now), asking.id),
            )
            if cursor.rowcount != 1:
                return None
            await db.execute(
                "INSERT INTO suggestion_backers (suggestion_id, user_id, backed_at)"
                " VALUES (?, ?, ?)",
                (asking.id, asking.user_id, iso(now)),
            )
        return replace(asking, state=state, created_at=now, backers=(asking.user_id,))

    async def back(self, suggestion_id: int, user_id: int) -> bool:
        """A member backs a suggestion; False when they already did."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO suggestion_backers (suggestion_id, user_id, backed_at)"
                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (suggestion_id, user_id, iso(self._clock())),
            )
        return cursor.rowcount == 1

    async def unback(self, suggestion: Suggestion, user_id: int) -> Suggestion | None:
        """A member withdraws their backing. The suggester's withdrawal hands the suggestion to
        the member who backed it first after them, or withdraws it when nobody else backs it.

        Returns the suggestion afterwards (None when it was withdrawn).
        """
        others = [backer for backer in suggestion.backers if backer != user_id]
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM suggestion_backers WHERE suggestion_id = ? AND user_id = ?",
                (suggestion.id, user_id),
            )
            if not others:
                await db.execute(
                    "UPDATE suggestions SET state = 'withdrawn', closed_at = ?, closed_by = ?"
                    " WHERE id = ?",
                    (iso(self._clock()), user_id, suggestion.id),
                )
                return None
            if suggestion.user_id == user_id:
                await db.execute(
                    "UPDATE suggestions SET user_id = ? WHERE id = ?", (others[0], suggestion.id)
                )
        return await self.suggestion(suggestion.id)

    async def move_suggestion(
        self, suggestion_id: int, state: State, *, by: int | None, was: Sequence[State] = LIVE
    ) -> bool:
        """Move a suggestion from one of the states ``was`` to ``state`` (who did it and when
        are kept when that closes it); False when it was in none of them."""
        marks = ", ".join("?" for _ in was)
        closes = state not in LIVE
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE suggestions SET state = ?, closed_at = ?, closed_by = ?"
                f" WHERE id = ? AND state IN ({marks})",
                (state, iso(self._clock()) if closes else None, by, suggestion_id, *was),
            )
        return cursor.rowcount == 1

    async def fulfil_requests(
        self, guild_id: int, *, title_key: str, film_key: str, title: str
    ) -> int:
        """Requests for a title the catalog now has become suggestions of that film; when the
        film already has one, their backers join it. Returns how many requests were met."""
        live = await self.live_suggestion(guild_id, film_key)
        request = await self.live_request(guild_id, title_key)
        if request is None:
            return 0
        async with self.transaction() as db:
            if live is None:
                await db.execute(
                    "UPDATE suggestions SET film_key = ?, title = ? WHERE id = ?",
                    (film_key, title, request.id),
                )
                return 1
            await db.execute(
                "INSERT INTO suggestion_backers (suggestion_id, user_id, backed_at)"
                " SELECT ?, user_id, backed_at FROM suggestion_backers WHERE suggestion_id = ?"
                " ORDER BY rowid ON CONFLICT DO NOTHING",
                (live.id, request.id),
            )
            await db.execute(
                "UPDATE suggestions SET state = 'merged', closed_at = ? WHERE id = ?",
                (iso(self._clock()), request.id),
            )
        return 1

    # --- films kept out, and settings ------------------------------------------------------------

    async def block_film(self, guild_id: int, film_key: str, *, by: int) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO suggestion_blocks (guild_id, film_key, blocked_by,"
                " blocked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, film_key, by, iso(self._clock())),
            )
        return cursor.rowcount == 1

    async def unblock_film(self, guild_id: int, film_key: str) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM suggestion_blocks WHERE guild_id = ? AND film_key = ?",
                (guild_id, film_key),
            )
        return cursor.rowcount == 1

    async def blocked_keys(self, guild_id: int) -> set[str]:
        rows = await self._reader.execute_fetchall(
            "SELECT film_key FROM suggestion_blocks WHERE guild_id = ?", (guild_id,)
        )
        return {row[0] for row in rows}

    async def blocked(self, guild_id: int, film_key: str) -> bool:
        row = await first_row(
            self._reader,
            "SELECT 1 FROM suggestion_blocks WHERE guild_id = ? AND film_key = ?",
            (guild_id, film_key),
        )
        return row is not None

    async def suggestion_settings(self, guild_id: int) -> SuggestionSettings:
        row = await first_row(
            self._reader,
            "SELECT suggestion_limit, suggestion_approval FROM guild_config WHERE guild_id = ?",
            (guild_id,),
        )
        return SuggestionSettings(row[0], bool(row[1])) if row else SuggestionSettings()

    async def set_suggestion_settings(self, guild_id: int, settings: SuggestionSettings) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO guild_config (guild_id, suggestion_limit, suggestion_approval)"
                " VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
                " suggestion_limit = excluded.suggestion_limit,"
                " suggestion_approval = excluded.suggestion_approval",
                (guild_id, settings.limit, int(settings.approval)),
            )
