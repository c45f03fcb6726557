"""The club's memory in SQLite: movie nights as they happened, and the figures of a year.

A night is written in the same transaction that settles its film (the pick is posted, the vote
closes), once per server and week, so it is never missing or doubled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.store.base import Db, StoreBase, first_row
from bot.store.records import iso
from bot.votes import Result, from_json

How = Literal["pick", "vote", "approval", "ranked"]

RECORD_NIGHT = """
    INSERT INTO movie_nights (guild_id, week, night_at, post_id, film_key, title, how,
        result, suggested_by, backers, recorded_at)
    SELECT p.guild_id, p.week, p.night_at, p.id, c.film_key, c.title,
        COALESCE(p.vote_mode, 'pick'), p.result, s.user_id, c.backers, :now
    FROM weekly_posts p
    JOIN weekly_candidates c ON c.post_id = p.id AND c.slot = COALESCE(p.winner_slot, 0)
    LEFT JOIN suggestions s ON s.id = c.suggestion_id
    WHERE p.id = :post AND (p.kind = 'pick' OR p.winner_slot IS NOT NULL)
    ON CONFLICT DO NOTHING
"""


async def record_night(db: Db, post_id: int, now: datetime) -> None:
    """Record the night of a post whose film is settled (inside the settling transaction)."""
    await db.execute(RECORD_NIGHT, {"post": post_id, "now": iso(now)})


@dataclass(frozen=True, slots=True)
class Night:
    week: str
    night_at: datetime
    title: str
    film_key: str
    how: How
    result: Result | None
    suggested_by: int | None
    backers: int
    interested: int | None


@dataclass(frozen=True, slots=True)
class YearFigures:
    year: int
    nights: int
    per_month: tuple[int, ...]  # January to December
    suggesters: tuple[tuple[int, int, int], ...]  # (member, films suggested, of them watched)


def _night(row: Sequence[Any]) -> Night:
    return Night(
        week=row[0],
        night_at=datetime.fromisoformat(row[1]),
        title=row[2],
        film_key=row[3],
        how=row[4],
        result=from_json(row[5]) if row[5] else None,
        suggested_by=row[6],
        backers=row[7],
        interested=row[8],
    )


class HistoryQueries(StoreBase):
    """Movie nights and yearly figures; mixed into :class:`bot.store.Store`."""

    async def nights(self, guild_id: int, *, limit: int, offset: int = 0) -> list[Night]:
        """A server's movie nights, the latest first."""
        rows = await self._reader.execute_fetchall(
            "SELECT n.week, n.night_at, n.title, n.film_key, n.how, n.result, n.suggested_by,"
            " n.backers, p.interested FROM movie_nights n"
            " LEFT JOIN weekly_posts p ON p.id = n.post_id"
            " WHERE n.guild_id = ? ORDER BY n.week DESC LIMIT ? OFFSET ?",
            (guild_id, limit, offset),
        )
        return [_night(row) for row in rows]

    async def night_count(self, guild_id: int) -> int:
        row = await first_row(
            self._reader, "SELECT COUNT(*) FROM movie_nights WHERE guild_id = ?", (guild_id,)
        )
        return row[0] if row else 0

    async def set_interested(self, post_id: int, count: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE weekly_posts SET interested = ? WHERE id = ?", (count, post_id)
            )

    async def year_figures(self, guild_id: int, year: int, *, top: int = 5) -> YearFigures:
        """Nights held in ``year`` (by their local date), per month, and the members whose
        suggestions put the most films forward that year (with how many were watched)."""
        rows = await self._reader.execute_fetchall(
            "SELECT CAST(substr(week, 6, 2) AS INTEGER), COUNT(*) FROM movie_nights"
            " WHERE guild_id = ? AND substr(week, 1, 4) = ? GROUP BY 1",
            (guild_id, f"{year:04d}"),
        )
        per_month = [0] * 12
        for month, count in rows:
            per_month[month - 1] = count
        suggesters = await self._reader.execute_fetchall(
            "SELECT user_id, COUNT(*), COUNT(*) FILTER (WHERE state = 'watched') FROM suggestions"
            " WHERE guild_id = ? AND substr(created_at, 1, 4) = ?"
            " AND state NOT IN ('asking', 'denied', 'merged')"
            " GROUP BY user_id ORDER BY 2 DESC, 3 DESC, user_id LIMIT ?",
            (guild_id, f"{year:04d}", top),
        )
        return YearFigures(
            year,
            sum(per_month),
            tuple(per_month),
            tuple((row[0], row[1], row[2]) for row in suggesters),
        )
