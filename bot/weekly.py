"""Weekly movie night as plain calls: /weekly's commands, a week's post, ballots and closing.

Each command takes the :class:`~bot.core.Caller` and plain values and returns the
:class:`~bot.message.Message` to send; anything the moderator can fix raises
:class:`~bot.errors.UserFacingError`. The one Discord fact a command needs (whether the bot can
post in a channel) is passed in as a value. The Discord side (:mod:`bot.discord_weekly`) calls
the rest when the schedule or a click says so, and only sends what comes back.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import cards, i18n, votes
from bot import weekly_cards as wcards
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.message import Message
from bot.moderation import require_moderator
from bot.schedule import Occurrence, Weekday, latest_due
from bot.store.suggestions import Suggestion
from bot.store.weekly import Mode, Remind, WeeklyPost, WeeklySchedule
from bot.text import clean
from bot.weekly_plan import choose, spec_of

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
    size: int = 3,
    rest_after: int = 3,
    rest_weeks: int = 8,
    remind: Remind = "none",
    remind_role: int | None = None,
    remind_minutes: int = 15,
) -> Message:
    """Save a server's schedule once its channel is usable (``channel_problem`` says why not);
    the answer says what comes next."""
    require_moderator(caller)
    t = caller.texts
    if channel_problem is not None:
        raise UserFacingError(
            t.gettext(wcards.CANNOT_POST).format(problem=wcards.said_note(channel_problem, t))
        )
    if remind == "role" and remind_role is None:
        raise UserFacingError(t.gettext(wcards.ROLE_MISSING))
    if remind == "role" and remind_role == caller.guild_id:
        raise UserFacingError(t.gettext(wcards.EVERYONE_REFUSED))
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
        themes=clean(themes).strip() if themes else None,
        since=now,
        set_by=caller.user_id,
        size=size,
        rest_after=rest_after,
        rest_weeks=rest_weeks,
        remind=remind,
        remind_role=remind_role if remind == "role" else None,
        remind_minutes=remind_minutes,
    )
    await core.store.set_weekly_schedule(schedule)
    due = latest_due(spec_of(schedule), now)
    if now < due.night and await core.store.weekly_post_for(caller.guild_id, due.week) is None:
        notes.append(wcards.MISSED_THIS_WEEK)
    return wcards.schedule_saved(schedule, spec_of(schedule), now, notes, t)


async def _schedule(core: Core, caller: Caller) -> WeeklySchedule:
    require_moderator(caller)
    schedule = await core.store.weekly_schedule(caller.guild_id)
    if schedule is None:
        raise UserFacingError(caller.texts.gettext(wcards.NO_SCHEDULE))
    return schedule


async def show(core: Core, caller: Caller) -> Message:
    """The schedule card (which also says whether it is paused)."""
    schedule = await _schedule(core, caller)
    await core.store.take_pause_notice(caller.guild_id)  # the card says it
    return wcards.schedule_card(schedule, spec_of(schedule), core.clock(), caller.texts)


async def turn_off(core: Core, caller: Caller) -> Message:
    require_moderator(caller)
    if not await core.store.remove_weekly_schedule(caller.guild_id):
        raise UserFacingError(caller.texts.gettext(wcards.NO_SCHEDULE))
    return cards.notice(caller.texts.gettext(wcards.TURNED_OFF))


async def schedule_to_post(core: Core, caller: Caller) -> WeeklySchedule:
    """/weekly now: the schedule to post for right away; refused without one, or when paused."""
    schedule = await _schedule(core, caller)
    if schedule.paused_reason is not None:
        await core.store.take_pause_notice(caller.guild_id)
        raise UserFacingError(wcards.pause_line(schedule.paused_reason, caller.texts))
    return schedule


async def pause_notice(core: Core, caller: Caller) -> Message | None:
    """Once, after a moderator's command: that this server's schedule is paused, and why."""
    if not caller.is_moderator:
        return None
    reason = await core.store.take_pause_notice(caller.guild_id)
    return None if reason is None else cards.notice(wcards.pause_line(reason, caller.texts))


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
    plan = await choose(core, schedule, week=occurrence.week, rng=rng)
    post = await store.claim_weekly_post(
        schedule.guild_id,
        occurrence.week,
        kind=plan.kind,
        channel_id=channel_id,
        night_at=occurrence.night,
        due_at=due_at,
        note=plan.note,
        candidates=plan.candidates,
        vote_mode=None if plan.kind != "vote" or schedule.mode == "pick" else schedule.mode,
    )
    if post is None:  # another process claimed the week a moment ago
        claimed = await store.weekly_post_for(schedule.guild_id, occurrence.week)
        assert claimed is not None, (schedule.guild_id, occurrence.week)
        return claimed, False
    return post, True


async def _suggestions(core: Core, post: WeeklyPost) -> dict[int, Suggestion | None]:
    return {
        c.slot: await core.store.suggestion(c.suggestion_id) if c.suggestion_id else None
        for c in post.candidates
    }


async def post_message(
    core: Core, post: WeeklyPost, locale: str | None, *, closed: bool = False
) -> Message:
    """What a week's post says now, in the server's language (``locale``, a Discord code): the
    pick, the vote with its counts, or that none is left."""
    t = i18n.texts(locale)
    if post.kind == "none":
        return wcards.none_card(post, t)
    films = {c.slot: await core.store.get(c.review_id) for c in post.candidates}
    suggestions = await _suggestions(core, post)
    if post.kind == "pick":
        return wcards.pick_card(post, films[0], suggestions[0], t)
    ballots = await core.store.ballots(post.id)
    return wcards.vote_card(post, films, ballots, suggestions, closed=closed, t=t)


# --- ballots --------------------------------------------------------------------------------------


def vote_lock(post_id: int) -> str:
    """The key under which a vote's ballots are written and the vote is closed, one at a time."""
    return f"weekly vote {post_id}"


@dataclass(frozen=True, slots=True)
class Receipt:
    """The private answer to a ballot, and whether the counts on the post changed."""

    message: Message
    changed: bool


async def _vote_of(core: Core, caller: Caller, post_id: int) -> WeeklyPost:
    post = await core.store.weekly_post(post_id)
    if post is None or post.kind != "vote" or post.guild_id != caller.guild_id:
        raise UserFacingError(caller.texts.gettext(wcards.VOTE_GONE))
    return post


async def _cast(
    core: Core, caller: Caller, post_id: int, choose: Callable[[WeeklyPost, list[int]], list[int]]
) -> tuple[WeeklyPost, list[int], list[int]]:
    """Cast a member's ballot, worked out by ``choose`` from their ballot so far, while the
    vote is open: one ballot a member, written under the vote's lock."""
    store = core.store
    async with store.exclusive(vote_lock(post_id)):
        post = await _vote_of(core, caller, post_id)
        if post.winner_slot is not None or core.clock() >= post.closes:
            raise UserFacingError(caller.texts.gettext(wcards.VOTE_CLOSED))
        before = await store.ballot(post_id, caller.user_id)
        after = choose(post, before)
        if after != before:
            await store.cast_ballot(post_id, caller.user_id, after)
    return post, before, after


async def vote(core: Core, caller: Caller, post_id: int, slot: int) -> Receipt:
    """A film's button on a vote (one choice) or an approval vote (any number) was clicked."""

    def choose(post: WeeklyPost, before: list[int]) -> list[int]:
        if post.candidate(slot) is None or post.vote_mode == "ranked":
            raise UserFacingError(caller.texts.gettext(wcards.VOTE_GONE))
        return votes.next_ballot(post.vote_mode or "vote", before, slot)

    post, before, after = await _cast(core, caller, post_id, choose)
    receipt = wcards.vote_receipt(post, before, after, caller.texts)
    return Receipt(receipt, changed=after != before)


async def rank(
    core: Core, caller: Caller, post_id: int, ranked: Sequence[int], slot: int | None = None
) -> Receipt:
    """A step of ranking: with ``slot``, the member's ballot becomes ``ranked`` then ``slot``;
    without, the step to make next is shown (the ballot stays as it is until they choose)."""
    post, t = await _vote_of(core, caller, post_id), caller.texts
    if post.vote_mode != "ranked" or any(post.candidate(s) is None for s in [*ranked, slot or 0]):
        raise UserFacingError(t.gettext(wcards.VOTE_GONE))
    if slot is None:
        if post.winner_slot is not None or core.clock() >= post.closes:
            raise UserFacingError(t.gettext(wcards.VOTE_CLOSED))
        ballot = await core.store.ballot(post_id, caller.user_id)
        return Receipt(wcards.rank_step(post, ranked, ballot, t), changed=False)
    try:
        ballot = votes.next_ballot("ranked", (), slot, ranked=ranked)
    except votes.BallotError:
        raise UserFacingError(t.gettext(wcards.RANKED_TWICE)) from None
    post, before, after = await _cast(core, caller, post_id, lambda post, before: ballot)
    return Receipt(wcards.rank_step(post, after, after, t), changed=after != before)


async def ranked_ballot(core: Core, caller: Caller, post_id: int) -> Message:
    """Done pressed: the member's ballot, as it is kept."""
    post = await _vote_of(core, caller, post_id)
    ballot = await core.store.ballot(post_id, caller.user_id)
    return wcards.rank_done(post, ballot, caller.texts)


# --- closing -------------------------------------------------------------------------------------


def recount(post: WeeklyPost, ballots: Sequence[Sequence[int]], seed: int) -> votes.Result:
    """Count a vote from its ballots (a closed vote's own seed gives its own result again)."""
    backers = {c.slot: c.backers for c in post.candidates}
    slots = [c.slot for c in post.candidates]
    return votes.count(post.vote_mode or "vote", slots, ballots, backers, seed)


async def close_vote(core: Core, post_id: int, rng: random.Random) -> tuple[WeeklyPost, bool]:
    """Close a vote: count its ballots, keep the result and the winner (on the seen list), once.

    Returns the post and whether this call closed it (False: it was closed before, and only its
    announcement may be missing). The tie-break draw's seed is chosen here and kept.
    """
    store = core.store
    async with store.exclusive(vote_lock(post_id)):
        post = await store.weekly_post(post_id)
        assert post is not None, post_id
        if post.winner_slot is not None:
            return post, False
        result = recount(post, await store.ballots(post_id), rng.randrange(1_000_000))
        await store.close_weekly_vote(post_id, result)
        closed = await store.weekly_post(post_id)
        assert closed is not None, post_id
        return closed, True


async def result_message(core: Core, post: WeeklyPost, locale: str | None) -> Message:
    """The announcement of a closed vote's winner, in the server's language (``locale``)."""
    winner = post.winner
    assert winner is not None, post.id  # closed: close_weekly_vote kept a winner
    film = await core.store.get(winner.review_id)
    suggestion = await core.store.suggestion(winner.suggestion_id) if winner.suggestion_id else None
    return wcards.result_card(post, film, suggestion, i18n.texts(locale))


async def open_vote(core: Core, caller: Caller) -> WeeklyPost:
    """/weekly close and extend: the server's vote that is open now."""
    require_moderator(caller)
    post = await core.store.open_vote(caller.guild_id)
    if post is None:
        raise UserFacingError(caller.texts.gettext(wcards.NO_OPEN_VOTE))
    return post


async def extend(core: Core, caller: Caller, hours: int) -> tuple[WeeklyPost, Message]:
    """/weekly extend: the open vote closes ``hours`` later (the post is then edited to say so)."""
    post = await open_vote(core, caller)
    async with core.store.exclusive(vote_lock(post.id)):
        if not await core.store.move_vote_close(post.id, post.closes + timedelta(hours=hours)):
            raise UserFacingError(caller.texts.gettext(wcards.NO_OPEN_VOTE))
    moved = await core.store.weekly_post(post.id)
    assert moved is not None, post.id
    return moved, wcards.extended(moved, hours, caller.texts)


# --- reminders -----------------------------------------------------------------------------------


def starting_soon(
    post: WeeklyPost, schedule: WeeklySchedule, interested: Sequence[int], locale: str | None
) -> Message:
    """Starting soon, naming the film when it is known (a pick, or a vote already closed), in
    the server's language; ``interested`` is who marked the night's event Interested (the
    Discord side asks)."""
    film = post.candidates[0] if post.kind == "pick" else post.winner
    title = film.title if film else None
    return wcards.starting_soon(post, schedule, title, interested, i18n.texts(locale))
