"""Weekly movie night as plain calls: /weekly's commands, a week's post, ballots and closing.

Each command takes the :class:`~bot.core.Caller` and plain values and returns the
:class:`~bot.message.Message` to send; anything the moderator can fix raises
:class:`~bot.errors.UserFacingError`. The one Discord fact a command needs (whether the bot can
post in a channel) is passed in as a value. The Discord side (:mod:`bot.discord_weekly`) calls
the rest when the schedule or a click says so, and only sends what comes back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot import cards
from bot import weekly_cards as wcards
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.message import Message
from bot.moderation import require_moderator
from bot.schedule import Occurrence, Weekday, latest_due
from bot.store import StoredReview
from bot.store.weekly import Mode, WeeklyPost, WeeklySchedule
from bot.weekly_plan import choose, spec_of, tally

# --- the /weekly commands ------------------------------------------------------------------------


async def set_schedule(
    core: Core,
    caller: Caller,
    channel_id: int,
    *,
    channel_problem: str | None,
    weekday: Weekday,
    at: time,
    zone: ZoneInfo,
    themes: str | None,
    mode: Mode,
    lead_hours: int,
) -> Message:
    """Save a server's schedule once its channel is usable (``channel_problem`` says why not);
    the answer says what comes next."""
    require_moderator(caller)
    if channel_problem is not None:
        raise UserFacingError(f"I cannot post there: {channel_problem}")
    notes = []
    if themes and not (await core.pickif.search(caller.guild_id, themes)).matches:
        notes.append(wcards.THEMES_UNMATCHED)
    now = core.clock()
    schedule = WeeklySchedule(
        guild_id=caller.guild_id,
        channel_id=channel_id,
        weekday=int(weekday),
        at=at,
        zone=zone.key,
        lead_hours=lead_hours,
        mode=mode,
        themes=themes.strip() if themes else None,
        since=now,
        set_by=caller.user_id,
    )
    await core.store.set_weekly_schedule(schedule)
    due = latest_due(spec_of(schedule), now)
    if now < due.night and await core.store.weekly_post_for(caller.guild_id, due.week) is None:
        notes.append(wcards.MISSED_THIS_WEEK)
    return wcards.schedule_saved(schedule, spec_of(schedule), now, notes)


async def _schedule(core: Core, caller: Caller) -> WeeklySchedule:
    require_moderator(caller)
    schedule = await core.store.weekly_schedule(caller.guild_id)
    if schedule is None:
        raise UserFacingError(wcards.NO_SCHEDULE)
    return schedule


async def show(core: Core, caller: Caller) -> Message:
    """The schedule card (which also says whether it is paused)."""
    schedule = await _schedule(core, caller)
    await core.store.take_pause_notice(caller.guild_id)  # the card says it
    return wcards.schedule_card(schedule, spec_of(schedule), core.clock())


async def turn_off(core: Core, caller: Caller) -> Message:
    require_moderator(caller)
    if not await core.store.remove_weekly_schedule(caller.guild_id):
        raise UserFacingError(wcards.NO_SCHEDULE)
    return cards.notice(wcards.TURNED_OFF)


async def schedule_to_post(core: Core, caller: Caller) -> WeeklySchedule:
    """/weekly now: the schedule to post for right away; refused without one, or when paused."""
    schedule = await _schedule(core, caller)
    if schedule.paused_reason is not None:
        await core.store.take_pause_notice(caller.guild_id)
        raise UserFacingError(wcards.pause_line(schedule.paused_reason))
    return schedule


async def pause_notice(core: Core, caller: Caller) -> Message | None:
    """Once, after a moderator's command: that this server's schedule is paused, and why."""
    if not caller.is_moderator:
        return None
    reason = await core.store.take_pause_notice(caller.guild_id)
    return None if reason is None else cards.notice(wcards.pause_line(reason))


# --- a week's post -------------------------------------------------------------------------------


async def claim_week(
    core: Core,
    schedule: WeeklySchedule,
    occurrence: Occurrence,
    *,
    channel_id: int,
    due_at: datetime,
    rng: random.Random,
) -> tuple[WeeklyPost, bool]:
    """The week's post record, claimed now if nobody has (True: the caller must send it)."""
    store = core.store
    existing = await store.weekly_post_for(schedule.guild_id, occurrence.week)
    if existing is not None and existing.state != "skipped":
        return existing, False
    plan = await choose(
        core,
        schedule.guild_id,
        themes=schedule.themes,
        mode=schedule.mode,
        week=occurrence.week,
        rng=rng,
    )
    post = await store.claim_weekly_post(
        schedule.guild_id,
        occurrence.week,
        kind=plan.kind,
        channel_id=channel_id,
        night_at=occurrence.night,
        due_at=due_at,
        note=plan.note,
        candidates=plan.candidates(),
    )
    if post is None:  # another process claimed the week a moment ago
        claimed = await store.weekly_post_for(schedule.guild_id, occurrence.week)
        assert claimed is not None, (schedule.guild_id, occurrence.week)
        return claimed, False
    return post, True


async def _films(core: Core, post: WeeklyPost) -> dict[int, StoredReview | None]:
    return {c.slot: await core.store.get(c.review_id) for c in post.candidates}


async def post_message(core: Core, post: WeeklyPost, *, closed: bool = False) -> Message:
    """What a week's post says now: the pick, the vote with its counts, or that none is left."""
    if post.kind == "none":
        return wcards.none_card(post)
    films = await _films(core, post)
    if post.kind == "pick":
        return wcards.pick_card(post, films[0])
    counts = await core.store.vote_counts(post.id)
    return wcards.vote_card(post, films, counts, closed=closed)


# --- ballots and closing -------------------------------------------------------------------------


def vote_lock(post_id: int) -> str:
    """The key under which a vote's ballots are written and the vote is closed, one at a time."""
    return f"weekly vote {post_id}"


@dataclass(frozen=True, slots=True)
class Receipt:
    """The private answer to a vote click, and whether the counts on the post changed."""

    message: Message
    changed: bool


async def vote(core: Core, caller: Caller, post_id: int, slot: int) -> Receipt:
    """A vote button was clicked: record (or change) the member's ballot, once per member."""
    store = core.store
    post = await store.weekly_post(post_id)
    chosen = None
    if post is not None and post.kind == "vote" and post.guild_id == caller.guild_id:
        chosen = post.candidate(slot)
    if post is None or chosen is None:
        raise UserFacingError(wcards.VOTE_GONE)
    async with store.exclusive(vote_lock(post_id)):
        post = await store.weekly_post(post_id)
        assert post is not None, post_id
        if post.winner_slot is not None or core.clock() >= post.night_at:
            raise UserFacingError(wcards.VOTE_CLOSED)
        before = await store.cast_vote(post_id, caller.user_id, slot)
    previous = post.candidate(before) if before is not None else None
    return Receipt(wcards.vote_receipt(chosen, previous), changed=before != slot)


async def close_vote(core: Core, post_id: int, rng: random.Random) -> tuple[WeeklyPost, bool]:
    """Close a vote at movie night: keep the winner and put it on the seen list, once.

    Returns the post and whether this call closed it (False: it was closed before, and only its
    announcement may be missing).
    """
    store = core.store
    async with store.exclusive(vote_lock(post_id)):
        post = await store.weekly_post(post_id)
        assert post is not None, post_id
        if post.winner_slot is not None:
            return post, False
        counts = await store.vote_counts(post_id)
        result = tally([c.slot for c in post.candidates], counts, rng)
        await store.close_weekly_vote(post_id, winner_slot=result.winner, tie=len(result.tied) > 1)
        closed = await store.weekly_post(post_id)
        assert closed is not None, post_id
        return closed, True


async def result_message(core: Core, post: WeeklyPost) -> Message:
    """The announcement of a closed vote's winner."""
    winner = post.winner
    assert winner is not None, post.id  # closed: close_weekly_vote kept a winner
    film = await core.store.get(winner.review_id)
    counts = await core.store.vote_counts(post.id)
    return wcards.result_card(post, winner, counts, film)
