"""Weekly movie night's rules: which films to put forward, and what is due at a given moment.

Nothing here sends anything or reads a clock; :mod:`bot.weekly` and the Discord poster pass in
the moment they reason about.

- Members' open suggestions come first (most backed, then oldest), then the films that lost
  last week's vote, then the bot's own picks (themes respected). A film that lost a vote
  ``rest_after`` times rests for the next ``rest_weeks`` weeks; films kept out of suggestions
  are never put forward.
- The bot never picks a film the server has seen (a member's suggestion of one, confirmed, is
  theirs to make); a film it picked is not picked again within 8 weeks. When every unseen film
  was picked in that time, the post says so and starts again with the ones picked longest ago.
- A post is made once if it is less than 6 hours late and movie night has not started yet;
  later than that it is skipped (the scheduler logs it). A vote closes when movie night starts,
  unless a moderator closes it earlier or extends it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import cards
from bot.core import Core
from bot.schedule import Occurrence, WeeklyTime, latest_due
from bot.search import SearchInputError
from bot.store import StoredReview
from bot.store.suggestions import Suggestion
from bot.store.weekly import Candidate, PostKind, WeeklyPost, WeeklySchedule
from bot.weekly_cards import ONE_LEFT_NOTE, RESTART_NOTE, THEMES_FALLBACK, kept_note

RECENT_DAYS = 56
"""A film put forward within this many days before a night is not put forward again."""
LATE_LIMIT = timedelta(hours=6)
"""A post (or a vote's result) this late or later is skipped instead of made."""
CHECK_BACK = timedelta(days=8)
"""How far back the scheduler looks for post records (more than a week: one post a week)."""
THEMED_POOL = 60


def spec_of(schedule: WeeklySchedule) -> WeeklyTime:
    return WeeklyTime(
        weekday=schedule.weekday,
        at=schedule.at,
        zone=ZoneInfo(schedule.zone),
        lead=timedelta(hours=schedule.lead_hours),
    )


def nonce_for(guild_id: int, week: str, what: str) -> str:
    """The message nonce of a week's post (``what="post"``) or result: the same on every try.

    Discord's nonces are at most 25 characters, so this is a short hash of server and week.
    """
    digest = hashlib.blake2b(f"movienight:{guild_id}:{week}:{what}".encode(), digest_size=10)
    return digest.hexdigest()


# --- choosing films ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Selection:
    films: tuple[StoredReview, ...]
    restarted: bool  # some of them were put forward within the last 8 weeks


def select(
    pool: Sequence[StoredReview],
    last_week: Mapping[str, str],
    week: str,
    count: int,
    rng: random.Random,
) -> Selection:
    """Up to ``count`` films from ``pool``, at random among those not put forward recently.

    ``last_week`` maps a film key to the week (local date) it was last put forward. When too
    few films are fresh, the rest are the ones put forward longest ago.
    """
    night = date.fromisoformat(week)

    def recent(stored: StoredReview) -> bool:
        last = last_week.get(stored.film_key)
        return last is not None and (night - date.fromisoformat(last)).days <= RECENT_DAYS

    fresh = [stored for stored in pool if not recent(stored)]
    chosen = rng.sample(fresh, min(count, len(fresh)))
    if len(chosen) < count:
        stale = sorted(
            (stored for stored in pool if recent(stored)),
            key=lambda stored: (last_week[stored.film_key], stored.review.title),
        )
        chosen += stale[: count - len(chosen)]
    return Selection(tuple(chosen), restarted=any(recent(stored) for stored in chosen))


def resting(
    losses: Mapping[str, Sequence[str]], week: str, *, after: int, weeks: int
) -> dict[str, date]:
    """Films that rest at ``week``: film key -> the first week they may come back.

    Every ``after`` losses (counted while not resting) start a rest for the next ``weeks``
    weeks; losses are the weeks of the votes a film lost, in order.
    """
    night = date.fromisoformat(week)
    found = {}
    for key, lost in losses.items():
        count, until = 0, None
        for day in map(date.fromisoformat, lost):
            if until is not None and day < until:
                continue
            count += 1
            if count == after:
                count, until = 0, day + timedelta(weeks=weeks + 1)
        if until is not None and night < until:
            found[key] = until
    return found


@dataclass(frozen=True, slots=True)
class Plan:
    """What a week's post will put forward, decided before the intent is recorded."""

    kind: PostKind
    candidates: tuple[Candidate, ...]
    note: str | None


def _candidate(stored: StoredReview, suggestion: Suggestion | None = None) -> Candidate:
    return Candidate(
        slot=0,  # numbered when the post is claimed
        review_id=stored.id,
        film_key=stored.film_key,
        title=cards.heading(stored.review),
        suggestion_id=suggestion.id if suggestion else None,
        backers=len(suggestion.backers) if suggestion else 0,
    )


async def _pool(
    core: Core, guild_id: int, themes: str | None, skip: Container[str]
) -> tuple[list[StoredReview], str]:
    """Unseen films, those matching ``themes`` when any do; and a note when none did."""
    unseen = await core.store.visible_reviews(guild_id, exclude_seen=True)
    unseen = [stored for stored in unseen if stored.film_key not in skip]
    if not themes or not unseen:
        return unseen, ""
    try:
        result = await core.pickif.search(guild_id, themes, limit=THEMED_POOL)
    except SearchInputError:
        result = None
    themed = [m.stored for m in result.matches if m.stored.film_key not in skip] if result else []
    if themed:
        return themed, ""
    return unseen, kept_note(THEMES_FALLBACK, themes=cards.escape(themes))


async def _from_members(
    core: Core, schedule: WeeklySchedule, rest: Container[str], count: int
) -> list[Candidate]:
    """Open suggestions of films the server sees, most backed first, then oldest."""
    found: list[Candidate] = []
    for suggestion in await core.store.suggestions_in(schedule.guild_id, "open"):
        if len(found) == count:
            break
        if suggestion.film_key is None or suggestion.film_key in rest:
            continue
        stored = await core.store.visible_by_key(schedule.guild_id, suggestion.film_key)
        if stored is not None:
            found.append(_candidate(stored, suggestion))
    return found


async def _carried_over(
    core: Core, schedule: WeeklySchedule, week: str, skip: Container[str]
) -> list[Candidate]:
    """The bot's own films that lost last week's vote, to come back (suggestions come back as
    long as they are open)."""
    found: list[Candidate] = []
    for lost in await core.store.last_losers(schedule.guild_id, before_week=week):
        if lost.suggestion_id is not None or lost.film_key in skip:
            continue
        stored = await core.store.visible_by_key(schedule.guild_id, lost.film_key)
        if stored is not None:
            found.append(_candidate(stored))
    return found


async def choose(core: Core, schedule: WeeklySchedule, *, week: str, rng: random.Random) -> Plan:
    """The films a week's post puts forward: one for a pick, ``schedule.size`` for a vote."""
    store = core.store
    guild_id = schedule.guild_id
    count = 1 if schedule.mode == "pick" else schedule.size
    losses = await store.losses(guild_id, before_week=week)
    rest = set(resting(losses, week, after=schedule.rest_after, weeks=schedule.rest_weeks))
    chosen = await _from_members(core, schedule, rest, count)
    skip = rest | {c.film_key for c in chosen} | await store.seen_keys(guild_id)
    skip |= await store.blocked_keys(guild_id)
    chosen += (await _carried_over(core, schedule, week, skip))[: count - len(chosen)]
    notes = []
    if len(chosen) < count:
        skip |= {c.film_key for c in chosen}
        pool, note = await _pool(core, guild_id, schedule.themes, skip)
        last = await store.last_suggested(guild_id, before_week=week)
        selection = select(pool, last, week, count - len(chosen), rng)
        chosen += [_candidate(stored) for stored in selection.films]
        notes += [note] if note and selection.films else []
        notes += [kept_note(RESTART_NOTE)] if selection.restarted else []
    if not chosen:
        return Plan("none", (), None)
    kind: PostKind = "pick"
    if schedule.mode != "pick":
        if len(chosen) > 1:
            kind = "vote"
        else:
            notes.append(kept_note(ONE_LEFT_NOTE))
    return Plan(kind, tuple(chosen), "\n".join(notes) or None)


# --- what is due --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostDue:
    """A week's post should go out now."""

    schedule: WeeklySchedule
    occurrence: Occurrence

    @property
    def guild_id(self) -> int:
        return self.schedule.guild_id


@dataclass(frozen=True, slots=True)
class SkipDue:
    """A week's post fell due too long ago (or after movie night began): record and log it."""

    schedule: WeeklySchedule
    occurrence: Occurrence
    late: timedelta

    @property
    def guild_id(self) -> int:
        return self.schedule.guild_id


@dataclass(frozen=True, slots=True)
class _OnPost:
    """Something to do about a week's post record."""

    post: WeeklyPost

    @property
    def guild_id(self) -> int:
        return self.post.guild_id


@dataclass(frozen=True, slots=True)
class RecoverPost(_OnPost):
    """An intent without a result: the bot may have sent it before stopping. Look, then act."""


@dataclass(frozen=True, slots=True)
class CloseVote(_OnPost):
    """A vote's time is up: close it and announce the winner (or finish doing so)."""


@dataclass(frozen=True, slots=True)
class RemindSoon(_OnPost):
    """Movie night starts within the server's reminder time: post "starting soon" (once)."""

    schedule: WeeklySchedule


@dataclass(frozen=True, slots=True)
class WarnClosing(_OnPost):
    """An open vote closes within the hour: say so in the channel (once, pinging nobody)."""


Action = PostDue | SkipDue | RecoverPost | CloseVote | RemindSoon | WarnClosing

CLOSING_WARNING = timedelta(hours=1)
"""How long before an open vote closes the channel is told (when the vote was posted before)."""


def _reminders(now: datetime, post: WeeklyPost, schedule: WeeklySchedule | None) -> list[Action]:
    if post.state != "posted" or post.kind == "none":
        return []
    found: list[Action] = []
    minutes = timedelta(minutes=schedule.remind_minutes) if schedule else timedelta(0)
    soon = post.night_at - minutes
    if schedule and minutes and post.soon_state is None and soon <= now < post.night_at:
        found.append(RemindSoon(post, schedule))
    warn_at = post.closes - CLOSING_WARNING
    if (
        post.kind == "vote"
        and post.winner_slot is None
        and post.closing_state is None
        and warn_at <= now < post.closes
        and post.posted_at is not None
        and post.posted_at <= warn_at
    ):
        found.append(WarnClosing(post))
    return found


def decide(
    now: datetime, schedules: Sequence[WeeklySchedule], posts: Sequence[WeeklyPost]
) -> list[Action]:
    """Everything due at ``now``, given the schedules and the post records of recent weeks.

    ``posts`` must hold every record for nights after ``now - CHECK_BACK``, every unfinished
    intent and every vote not yet announced (``Store.weekly_posts_to_check``).
    """
    actions: list[Action] = []
    weeks = {(post.guild_id, post.week) for post in posts}
    by_guild = {schedule.guild_id: schedule for schedule in schedules}
    for post in posts:
        actions += _reminders(now, post, by_guild.get(post.guild_id))
        if post.state == "intent":
            actions.append(RecoverPost(post))
        elif (
            post.kind == "vote"
            and post.state == "posted"
            and post.result_state in (None, "intent")
            and now >= post.closes
        ):
            actions.append(CloseVote(post))
    for schedule in schedules:
        if schedule.paused_reason is not None:
            continue
        due = latest_due(spec_of(schedule), now)
        if due.post_at <= schedule.since or (schedule.guild_id, due.week) in weeks:
            continue
        late = now - due.post_at
        if late < LATE_LIMIT and now < due.night:
            actions.append(PostDue(schedule, due))
        else:
            actions.append(SkipDue(schedule, due, late))
    return actions


def too_late(now: datetime, post: WeeklyPost) -> bool:
    """Whether an unsent post should be given up rather than sent now."""
    return now - post.due_at >= LATE_LIMIT or now >= post.night_at


def announce_too_late(now: datetime, post: WeeklyPost) -> bool:
    """Whether a closed vote's result is too late to announce."""
    return now - post.closes >= LATE_LIMIT
