"""Weekly movie night's rules: which films to put forward, and what is due at a given moment.

Nothing here sends anything or reads a clock; :mod:`bot.weekly` and the Discord poster pass in
the moment they reason about.

- A film the server has seen is never put forward; a film put forward (picked, or a vote
  candidate) is not put forward again within 8 weeks. When every unseen film was put forward in
  that time, the post says so and starts again with the films put forward longest ago.
- A post is made once if it is less than 6 hours late and movie night has not started yet;
  later than that it is skipped (the scheduler logs it). A vote closes when movie night starts.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import cards
from bot.core import Core
from bot.schedule import Occurrence, WeeklyTime, latest_due
from bot.search import SearchInputError
from bot.store import StoredReview
from bot.store.weekly import Mode, PostKind, WeeklyPost, WeeklySchedule
from bot.weekly_cards import ONE_LEFT_NOTE, RESTART_NOTE

RECENT_DAYS = 56
"""A film put forward within this many days before a night is not put forward again."""
LATE_LIMIT = timedelta(hours=6)
"""A post (or a vote's result) this late or later is skipped instead of made."""
CHECK_BACK = timedelta(days=8)
"""How far back the scheduler looks for post records (more than a week: one post a week)."""
VOTE_SIZE = 3
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


@dataclass(frozen=True, slots=True)
class Plan:
    """What a week's post will put forward, decided before the intent is recorded."""

    kind: PostKind
    films: tuple[StoredReview, ...]
    note: str | None

    def candidates(self) -> list[tuple[int, str, str]]:
        return [(s.id, s.film_key, cards.heading(s.review)) for s in self.films]


async def _pool(core: Core, guild_id: int, themes: str | None) -> tuple[list[StoredReview], str]:
    """Unseen films, those matching ``themes`` when any do; and a note when none did."""
    unseen = await core.store.visible_reviews(guild_id, exclude_seen=True)
    if not themes or not unseen:
        return unseen, ""
    try:
        result = await core.pickif.search(guild_id, themes, limit=THEMED_POOL)
    except SearchInputError:
        result = None
    themed = [match.stored for match in result.matches] if result else []
    if themed:
        return themed, ""
    return unseen, (
        f"Nothing unseen matches the themes “{cards.escape(themes)}”, so this comes from the "
        "whole catalog."
    )


async def choose(
    core: Core, guild_id: int, *, themes: str | None, mode: Mode, week: str, rng: random.Random
) -> Plan:
    """The films a week's post puts forward: one for a pick, three for a vote."""
    pool, note = await _pool(core, guild_id, themes)
    if not pool:
        return Plan("none", (), None)
    last = await core.store.last_suggested(guild_id, before_week=week)
    selection = select(pool, last, week, VOTE_SIZE if mode == "vote" else 1, rng)
    notes = [note] if note else []
    if selection.restarted:
        notes.append(RESTART_NOTE)
    kind: PostKind = "pick"
    if mode == "vote":
        if len(selection.films) > 1:
            kind = "vote"
        else:
            notes.append(ONE_LEFT_NOTE)
    return Plan(kind, selection.films, " ".join(notes) or None)


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
class RecoverPost:
    """An intent without a result: the bot may have sent it before stopping. Look, then act."""

    post: WeeklyPost

    @property
    def guild_id(self) -> int:
        return self.post.guild_id


@dataclass(frozen=True, slots=True)
class CloseVote:
    """Movie night has started: close the vote and announce the winner (or finish doing so)."""

    post: WeeklyPost

    @property
    def guild_id(self) -> int:
        return self.post.guild_id


Action = PostDue | SkipDue | RecoverPost | CloseVote


def decide(
    now: datetime, schedules: Sequence[WeeklySchedule], posts: Sequence[WeeklyPost]
) -> list[Action]:
    """Everything due at ``now``, given the schedules and the post records of recent weeks.

    ``posts`` must hold every record for nights after ``now - CHECK_BACK``, every unfinished
    intent and every vote not yet announced (``Store.weekly_posts_to_check``).
    """
    actions: list[Action] = []
    weeks = {(post.guild_id, post.week) for post in posts}
    for post in posts:
        if post.state == "intent":
            actions.append(RecoverPost(post))
        elif (
            post.kind == "vote"
            and post.state == "posted"
            and post.result_state in (None, "intent")
            and now >= post.night_at
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
    return now - post.night_at >= LATE_LIMIT


# --- votes --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    winner: int
    tied: tuple[int, ...]  # the slots that shared the most votes (one slot: no tie)
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def tally(slots: Sequence[int], counts: Mapping[int, int], rng: random.Random) -> Tally:
    """The winning slot: the most votes, a tie broken at random."""
    full = {slot: counts.get(slot, 0) for slot in slots}
    best = max(full.values())
    tied = tuple(slot for slot in slots if full[slot] == best)
    return Tally(tied[0] if len(tied) == 1 else rng.choice(tied), tied, full)
