"""Weekly movie night in SQLite: schedules, post records, the films put forward, and ballots.

A post is claimed before anything is sent (``state = 'intent'``, unique per server and week) and
completed with the message id afterwards, so whoever claims a week is the only one who may post
it, and an intent left behind by a crash tells the bot to look before sending again. A vote's
result follows the same pattern in ``result_state``. Ballots are kept as cast, one a member (the
primary key), and a closed vote keeps its counted result and the seed of its draw.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Literal

from bot.store.base import StoreBase, first_row
from bot.store.history import record_night
from bot.store.records import iso, when
from bot.votes import Result, VoteMode, from_json, to_json

Mode = Literal["pick", "vote", "approval", "ranked"]
Remind = Literal["none", "interested", "role"]
Reminder = Literal["soon", "closing"]
PostKind = Literal["pick", "vote", "none"]  # "none": nothing unseen was left to suggest
State = Literal["intent", "posted", "skipped"]


@dataclass(frozen=True, slots=True)
class WeeklySchedule:
    guild_id: int
    channel_id: int
    weekday: int  # 0 = Monday
    at: time  # local wall-clock time
    zone: str  # IANA name
    lead_hours: int
    mode: Mode
    themes: str | None
    since: datetime  # when it was set; post times before it are not due
    set_by: int | None = None
    paused_reason: str | None = None
    paused_at: datetime | None = None
    pause_told: bool = False
    size: int = 3  # films a vote puts forward
    rest_after: int = 3  # a film that lost this many times ...
    rest_weeks: int = 8  # ... rests this many weeks
    remind: Remind = "none"  # whom "starting soon" pings
    remind_role: int | None = None
    remind_minutes: int = 15  # how long before movie night "starting soon" is posted (0: not)


@dataclass(frozen=True, slots=True)
class Candidate:
    slot: int
    review_id: int
    film_key: str
    title: str
    suggestion_id: int | None = None  # the member's suggestion it came from
    backers: int = 0  # how many backed that suggestion when the film was put forward


@dataclass(frozen=True, slots=True)
class WeeklyPost:
    id: int
    guild_id: int
    week: str
    kind: PostKind
    state: State
    channel_id: int
    night_at: datetime
    due_at: datetime
    note: str | None
    created_at: datetime
    message_id: int | None
    posted_at: datetime | None
    winner_slot: int | None
    tie: bool
    closed_at: datetime | None
    result_state: State | None
    result_message_id: int | None
    event_id: int | None
    candidates: tuple[Candidate, ...]
    vote_mode: VoteMode | None = None
    closes_at: datetime | None = None
    seed: int | None = None
    result: Result | None = None
    soon_state: State | None = None  # "starting soon"
    closing_state: State | None = None  # "the vote closes in 1 hour"

    @property
    def closes(self) -> datetime:
        """When the vote closes: movie night's start, unless a moderator moved it."""
        return self.closes_at or self.night_at

    def candidate(self, slot: int) -> Candidate | None:
        return next((c for c in self.candidates if c.slot == slot), None)

    @property
    def winner(self) -> Candidate | None:
        """A closed vote's winning film."""
        return None if self.winner_slot is None else self.candidate(self.winner_slot)


_SCHEDULE_COLUMNS = (
    "guild_id, channel_id, weekday, at_time, zone, lead_hours, mode, themes, since, set_by,"
    " paused_reason, paused_at, pause_told, size, rest_after, rest_weeks, remind, remind_role,"
    " remind_minutes"
)
_POST_COLUMNS = (
    "id, guild_id, week, kind, state, channel_id, night_at, due_at, note, created_at, message_id,"
    " posted_at, winner_slot, tie, closed_at, result_state, result_message_id, event_id,"
    " vote_mode, closes_at, seed, result, soon_state, closing_state"
)
_CANDIDATE_COLUMNS = "slot, review_id, film_key, title, suggestion_id, backers"
# Posts the scheduler looks at: recent weeks, unfinished intents, and votes not yet announced.
_TO_CHECK = """
    night_at > :recent OR state = 'intent'
    OR (kind = 'vote' AND state = 'posted' AND (result_state IS NULL OR result_state = 'intent'))
"""


def _schedule(row: Sequence[Any]) -> WeeklySchedule:
    return WeeklySchedule(
        guild_id=row[0],
        channel_id=row[1],
        weekday=row[2],
        at=time.fromisoformat(row[3]),
        zone=row[4],
        lead_hours=row[5],
        mode=row[6],
        themes=row[7],
        since=datetime.fromisoformat(row[8]),
        set_by=row[9],
        paused_reason=row[10],
        paused_at=when(row[11]),
        pause_told=bool(row[12]),
        size=row[13],
        rest_after=row[14],
        rest_weeks=row[15],
        remind=row[16],
        remind_role=row[17],
        remind_minutes=row[18],
    )


def _post(row: Sequence[Any], candidates: tuple[Candidate, ...]) -> WeeklyPost:
    return WeeklyPost(
        id=row[0],
        guild_id=row[1],
        week=row[2],
        kind=row[3],
        state=row[4],
        channel_id=row[5],
        night_at=datetime.fromisoformat(row[6]),
        due_at=datetime.fromisoformat(row[7]),
        note=row[8],
        created_at=datetime.fromisoformat(row[9]),
        message_id=row[10],
        posted_at=when(row[11]),
        winner_slot=row[12],
        tie=bool(row[13]),
        closed_at=when(row[14]),
        result_state=row[15],
        result_message_id=row[16],
        event_id=row[17],
        candidates=candidates,
        vote_mode=row[18],
        closes_at=when(row[19]),
        seed=row[20],
        result=from_json(row[21]) if row[21] else None,
        soon_state=row[22],
        closing_state=row[23],
    )


class WeeklyQueries(StoreBase):
    """Weekly schedules, posts and votes; mixed into :class:`bot.store.Store`."""

    # --- schedules -------------------------------------------------------------------------------

    async def weekly_schedule(self, guild_id: int) -> WeeklySchedule | None:
        row = await first_row(
            self._reader,
            f"SELECT {_SCHEDULE_COLUMNS} FROM weekly_schedules WHERE guild_id = ?",
            (guild_id,),
        )
        return _schedule(row) if row else None

    async def weekly_schedules(self) -> list[WeeklySchedule]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM weekly_schedules ORDER BY guild_id"
        )
        return [_schedule(row) for row in rows]

    async def set_weekly_schedule(self, schedule: WeeklySchedule) -> None:
        """Create or replace a server's schedule; a pause ends here (the caller checked)."""
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM weekly_schedules WHERE guild_id = ?", (schedule.guild_id,)
            )
            await db.execute(
                f"INSERT INTO weekly_schedules ({_SCHEDULE_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?, ?, ?, ?, ?, ?)",
                (
                    schedule.guild_id,
                    schedule.channel_id,
                    schedule.weekday,
                    schedule.at.strftime("%H:%M"),
                    schedule.zone,
                    schedule.lead_hours,
                    schedule.mode,
                    schedule.themes,
                    iso(schedule.since),
                    schedule.set_by,
                    schedule.size,
                    schedule.rest_after,
                    schedule.rest_weeks,
                    schedule.remind,
                    schedule.remind_role,
                    schedule.remind_minutes,
                ),
            )

    async def remove_weekly_schedule(self, guild_id: int) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM weekly_schedules WHERE guild_id = ?", (guild_id,)
            )
        return cursor.rowcount == 1

    async def pause_weekly_schedule(self, guild_id: int, reason: str) -> bool:
        """Stop posting for a server until a moderator sets the schedule again.

        False when there is no schedule or it was already paused for that reason.
        """
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE weekly_schedules SET paused_reason = ?, paused_at = ?, pause_told = 0"
                " WHERE guild_id = ? AND (paused_reason IS NULL OR paused_reason != ?)",
                (reason, iso(self._clock()), guild_id, reason),
            )
        return cursor.rowcount == 1

    async def take_pause_notice(self, guild_id: int) -> str | None:
        """The reason a server's schedule is paused, once: later calls return None."""
        async with self.transaction() as db:
            row = await first_row(
                db,
                "UPDATE weekly_schedules SET pause_told = 1"
                " WHERE guild_id = ? AND paused_reason IS NOT NULL AND pause_told = 0"
                " RETURNING paused_reason",
                (guild_id,),
            )
        return row[0] if row else None

    # --- posts -----------------------------------------------------------------------------------

    async def _posts(self, where: str, params: dict[str, Any]) -> list[WeeklyPost]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_POST_COLUMNS} FROM weekly_posts WHERE {where} ORDER BY night_at, id", params
        )
        found: dict[int, list[Candidate]] = {row[0]: [] for row in rows}
        if found:
            for row in await self._reader.execute_fetchall(
                f"SELECT post_id, {_CANDIDATE_COLUMNS} FROM weekly_candidates"
                f" WHERE post_id IN (SELECT id FROM weekly_posts WHERE {where}) ORDER BY slot",
                params,
            ):
                if row[0] in found:
                    found[row[0]].append(Candidate(*row[1:]))
        return [_post(row, tuple(found[row[0]])) for row in rows]

    async def weekly_post(self, post_id: int) -> WeeklyPost | None:
        posts = await self._posts("id = :id", {"id": post_id})
        return posts[0] if posts else None

    async def weekly_post_for(self, guild_id: int, week: str) -> WeeklyPost | None:
        posts = await self._posts(
            "guild_id = :guild AND week = :week", {"guild": guild_id, "week": week}
        )
        return posts[0] if posts else None

    async def open_vote(self, guild_id: int) -> WeeklyPost | None:
        """The server's vote that is posted and not closed yet (the latest, if several)."""
        posts = await self._posts(
            "guild_id = :guild AND kind = 'vote' AND state = 'posted' AND winner_slot IS NULL",
            {"guild": guild_id},
        )
        return posts[-1] if posts else None

    async def weekly_posts_to_check(self, recent: datetime) -> list[WeeklyPost]:
        """Posts for nights after ``recent``, intents never completed, and unannounced votes."""
        return await self._posts(_TO_CHECK, {"recent": iso(recent)})

    async def claim_weekly_post(
        self,
        guild_id: int,
        week: str,
        *,
        kind: PostKind,
        channel_id: int,
        night_at: datetime,
        due_at: datetime,
        note: str | None,
        candidates: Sequence[Candidate],
        vote_mode: VoteMode | None = None,
    ) -> WeeklyPost | None:
        """Record the intent to post a week, with its films (their slots are renumbered).

        None when the week already has a post or an intent; a skipped week may be claimed.
        """
        async with self.transaction() as db:
            row = await first_row(
                db,
                "INSERT INTO weekly_posts (guild_id, week, kind, state, channel_id, night_at,"
                " due_at, note, created_at, vote_mode) VALUES (?, ?, ?, 'intent', ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id, week) DO UPDATE SET kind = excluded.kind,"
                " state = 'intent', channel_id = excluded.channel_id,"
                " night_at = excluded.night_at, due_at = excluded.due_at, note = excluded.note,"
                " created_at = excluded.created_at, vote_mode = excluded.vote_mode"
                " WHERE weekly_posts.state = 'skipped' RETURNING id",
                (
                    guild_id,
                    week,
                    kind,
                    channel_id,
                    iso(night_at),
                    iso(due_at),
                    note,
                    iso(self._clock()),
                    vote_mode,
                ),
            )
            if row is None:
                return None
            post_id = row[0]
            await db.execute("DELETE FROM weekly_candidates WHERE post_id = ?", (post_id,))
            await db.executemany(
                f"INSERT INTO weekly_candidates (post_id, {_CANDIDATE_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (post_id, slot, c.review_id, c.film_key, c.title, c.suggestion_id, c.backers)
                    for slot, c in enumerate(candidates)
                ],
            )
        return await self.weekly_post(post_id)

    async def skip_weekly_post(
        self, guild_id: int, week: str, *, channel_id: int, night_at: datetime, due_at: datetime
    ) -> bool:
        """Record that a week's post was not made (too late); False if the week has a record."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT INTO weekly_posts (guild_id, week, kind, state, channel_id, night_at,"
                " due_at, created_at) VALUES (?, ?, 'none', 'skipped', ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (guild_id, week, channel_id, iso(night_at), iso(due_at), iso(self._clock())),
            )
        return cursor.rowcount == 1

    async def record_weekly_posted(self, post_id: int, message_id: int) -> None:
        """The post went out; a pick that came from a member's suggestion closes it as watched."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE weekly_posts SET state = 'posted', message_id = ?, posted_at = ?"
                " WHERE id = ?",
                (message_id, iso(self._clock()), post_id),
            )
            await db.execute(
                "UPDATE suggestions SET state = 'watched', closed_at = ? WHERE state = 'open'"
                " AND id = (SELECT c.suggestion_id FROM weekly_candidates c"
                " JOIN weekly_posts p ON p.id = c.post_id"
                " WHERE c.post_id = ? AND c.slot = 0 AND p.kind = 'pick')",
                (iso(self._clock()), post_id),
            )
            await record_night(db, post_id, self._clock())

    async def give_up_weekly_post(self, post_id: int) -> None:
        """An intent that will not be sent after all (too late now): the week is skipped."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE weekly_posts SET state = 'skipped' WHERE id = ? AND state = 'intent'",
                (post_id,),
            )

    async def drop_weekly_intent(self, post_id: int) -> None:
        """Forget an intent whose message Discord refused, so the week can be tried again."""
        async with self.transaction() as db:
            await db.execute(
                "DELETE FROM weekly_posts WHERE id = ? AND state = 'intent'", (post_id,)
            )

    async def record_reminder(self, post_id: int, reminder: Reminder, state: State) -> bool:
        """A reminder went out (or was skipped); False when it had been already."""
        column = {"soon": "soon_state", "closing": "closing_state"}[reminder]
        async with self.transaction() as db:
            cursor = await db.execute(
                f"UPDATE weekly_posts SET {column} = ? WHERE id = ? AND {column} IS NULL",
                (state, post_id),
            )
        return cursor.rowcount == 1

    async def set_weekly_event(self, post_id: int, event_id: int) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE weekly_posts SET event_id = ? WHERE id = ?", (event_id, post_id)
            )

    async def last_suggested(self, guild_id: int, *, before_week: str) -> dict[str, str]:
        """Film key -> the latest week it was put forward (picked or a vote candidate)."""
        rows = await self._reader.execute_fetchall(
            "SELECT c.film_key, MAX(p.week) FROM weekly_candidates c"
            " JOIN weekly_posts p ON p.id = c.post_id"
            " WHERE p.guild_id = ? AND p.week < ? AND p.state = 'posted' GROUP BY c.film_key",
            (guild_id, before_week),
        )
        return {row[0]: row[1] for row in rows}

    async def losses(self, guild_id: int, *, before_week: str) -> dict[str, list[str]]:
        """Film key -> the weeks (in order) of the closed votes it lost, before ``before_week``."""
        rows = await self._reader.execute_fetchall(
            "SELECT c.film_key, p.week FROM weekly_candidates c"
            " JOIN weekly_posts p ON p.id = c.post_id"
            " WHERE p.guild_id = ? AND p.week < ? AND p.kind = 'vote'"
            " AND p.winner_slot IS NOT NULL AND c.slot != p.winner_slot ORDER BY p.week",
            (guild_id, before_week),
        )
        found: dict[str, list[str]] = {}
        for key, week in rows:
            found.setdefault(key, []).append(week)
        return found

    async def last_losers(self, guild_id: int, *, before_week: str) -> list[Candidate]:
        """The films that lost the server's latest closed vote before ``before_week``."""
        posts = await self._posts(
            "id = (SELECT id FROM weekly_posts WHERE guild_id = :guild AND week < :week"
            " AND kind = 'vote' AND winner_slot IS NOT NULL ORDER BY week DESC LIMIT 1)",
            {"guild": guild_id, "week": before_week},
        )
        if not posts:
            return []
        return [c for c in posts[0].candidates if c.slot != posts[0].winner_slot]

    # --- ballots ---------------------------------------------------------------------------------

    async def cast_ballot(self, post_id: int, user_id: int, choices: Sequence[int]) -> None:
        """Keep a member's ballot as cast, replacing their earlier one (one ballot a member)."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO weekly_ballots (post_id, user_id, choices, cast_at)"
                " VALUES (?, ?, ?, ?)"
                " ON CONFLICT (post_id, user_id) DO UPDATE SET choices = excluded.choices,"
                " cast_at = excluded.cast_at",
                (post_id, user_id, json.dumps(list(choices)), iso(self._clock())),
            )

    async def ballot(self, post_id: int, user_id: int) -> list[int]:
        """A member's ballot (empty when they have not cast one)."""
        row = await first_row(
            self._reader,
            "SELECT choices FROM weekly_ballots WHERE post_id = ? AND user_id = ?",
            (post_id, user_id),
        )
        return json.loads(row[0]) if row else []

    async def ballots(self, post_id: int) -> list[list[int]]:
        """Every ballot of a vote, in the order they were first cast."""
        rows = await self._reader.execute_fetchall(
            "SELECT choices FROM weekly_ballots WHERE post_id = ? ORDER BY rowid", (post_id,)
        )
        return [json.loads(row[0]) for row in rows]

    async def move_vote_close(self, post_id: int, closes_at: datetime) -> bool:
        """A moderator extended an open vote; False when it has closed."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "UPDATE weekly_posts SET closes_at = ? WHERE id = ? AND winner_slot IS NULL",
                (iso(closes_at), post_id),
            )
        return cursor.rowcount == 1

    async def close_weekly_vote(self, post_id: int, result: Result) -> bool:
        """Close a vote: keep its result, put the winner on the seen list, close the winner's
        suggestion as watched, and mark the announcement to send.

        False (and nothing changes) when the vote was already closed.
        """
        async with self.transaction() as db:
            row = await first_row(
                db,
                "UPDATE weekly_posts SET winner_slot = ?, tie = ?, seed = ?, result = ?,"
                " closed_at = ?, result_state = 'intent' WHERE id = ? AND winner_slot IS NULL"
                " RETURNING guild_id, night_at",
                (
                    result.winner,
                    int(result.tied),
                    result.seed,
                    to_json(result),
                    iso(self._clock()),
                    post_id,
                ),
            )
            if row is None:
                return False
            guild_id, night_at = row
            await db.execute(
                "INSERT INTO seen (guild_id, film_key, seen_on, added_by)"
                " SELECT ?, film_key, ?, NULL FROM weekly_candidates"
                " WHERE post_id = ? AND slot = ? ON CONFLICT DO NOTHING",
                (guild_id, night_at, post_id, result.winner),
            )
            await db.execute(
                "UPDATE suggestions SET state = 'watched', closed_at = ? WHERE id ="
                " (SELECT suggestion_id FROM weekly_candidates WHERE post_id = ? AND slot = ?)"
                " AND state = 'open'",
                (iso(self._clock()), post_id, result.winner),
            )
            await record_night(db, post_id, self._clock())
        return True

    async def record_weekly_result(
        self, post_id: int, *, state: State, message_id: int | None = None
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                "UPDATE weekly_posts SET result_state = ?, result_message_id = ? WHERE id = ?",
                (state, message_id, post_id),
            )
