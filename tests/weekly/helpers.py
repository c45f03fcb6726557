"""What the weekly tests share: the server's members, a schedule, and driving a week as core
calls (set the schedule, claim and "send" the post, close the vote) on the fake clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot import weekly
from bot.core import Caller
from bot.message import Message
from bot.schedule import Weekday, next_post
from bot.store.weekly import WeeklyPost, WeeklySchedule
from bot.weekly_plan import spec_of
from tests.fakes import GUILD_ID, MEMBER_ID, MODERATOR_ID, OTHER_MEMBER_ID

CHANNEL_ID = 3001
FRIDAY = 4
MOD = Caller(GUILD_ID, MODERATOR_ID, is_moderator=True)
ANA = Caller(GUILD_ID, MEMBER_ID)
BEN = Caller(GUILD_ID, OTHER_MEMBER_ID)
CLEO = Caller(GUILD_ID, 2005)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC moment, for setting the fake clock."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def schedule(**changes) -> WeeklySchedule:
    """Fridays at 19:00 in Berlin, posted a day ahead, as a plain record."""
    values = {
        "guild_id": GUILD_ID,
        "channel_id": CHANNEL_ID,
        "weekday": FRIDAY,
        "at": time(19, 0),
        "zone": "Europe/Berlin",
        "lead_hours": 24,
        "mode": "pick",
        "themes": None,
        "since": at(2026, 11, 25),
    }
    return WeeklySchedule(**(values | changes))


async def weekly_set(core, caller: Caller = MOD, **options) -> Message:
    """/weekly set for Fridays at 19:00 in Berlin, a pick unless ``options`` say otherwise."""
    values = {
        "channel_problem": None,
        "weekday": Weekday.Friday,
        "at": time(19, 0),
        "zone": ZoneInfo("Europe/Berlin"),
        "themes": None,
        "mode": "pick",
        "lead_hours": 24,
    }
    return await weekly.set_schedule(core, caller, CHANNEL_ID, **(values | options))


async def scheduled(core, mode: str = "vote", **options) -> WeeklySchedule:
    """/weekly set, then the schedule as stored."""
    await weekly_set(core, mode=mode, **options)
    stored = await core.store.weekly_schedule(GUILD_ID)
    assert stored is not None
    return stored


async def post_week(core, clock, schedule: WeeklySchedule, seed: int = 1) -> WeeklyPost:
    """The scheduler's next post, as if sent; the clock at its post time."""
    coming = next_post(spec_of(schedule), clock.now)
    clock.now = coming.post_at
    post, claimed = await weekly.claim_week(
        core,
        schedule,
        coming,
        channel_id=CHANNEL_ID,
        due_at=coming.post_at,
        rng=random.Random(seed),
    )
    assert claimed
    await core.store.record_weekly_posted(post.id, 900 + post.id)
    return await core.store.weekly_post(post.id)


async def close(core, clock, post: WeeklyPost, seed: int = 3) -> WeeklyPost:
    """The vote's time is up: it closes, with ``seed`` choosing the draw's seed."""
    clock.now = post.closes
    closed, _ = await weekly.close_vote(core, post.id, random.Random(seed))
    return closed
