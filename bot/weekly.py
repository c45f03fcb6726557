"""Weekly movie night, the core: which films to put forward, what is due, and what posts say.

The Discord side (``cogs/weekly.py``) asks :func:`decide` what to do at a given moment, picks
films with :func:`choose`, and sends the cards built here. Nothing in this module sends
anything or reads a clock.

Rules kept here:

- A film the server has seen is never put forward; a film put forward (picked, or a vote
  candidate) is not put forward again within 8 weeks. When every unseen film was put forward in
  that time, the post says so and starts again with the films put forward longest ago.
- A post is made once if it is less than 6 hours late and movie night has not started yet;
  later than that it is skipped (the scheduler logs it). A vote closes when movie night starts;
  a tie is broken at random, and the result says so.
- Every post starts with a marker naming its kind and night, so after a crash the bot can find
  its own message in the channel and not send it twice.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import cards, limits
from bot.core import Core
from bot.message import Button, Embed, Field, Message
from bot.schedule import Occurrence, Weekday, WeeklyTime, latest_due, next_night, next_post
from bot.search import SearchInputError
from bot.store import StoredReview
from bot.store.weekly import Candidate, Mode, PostKind, WeeklyPost, WeeklySchedule

RECENT_DAYS = 56
"""A film put forward within this many days before a night is not put forward again."""
LATE_LIMIT = timedelta(hours=6)
"""A post (or a vote's result) this late or later is skipped instead of made."""
CHECK_BACK = timedelta(days=8)
"""How far back the scheduler looks for post records (more than a week: one post a week)."""
VOTE_SIZE = 3
THEMED_POOL = 60
VOTE_PREFIX = "weekly:vote"

RESTART_NOTE = (
    "Every film this server has not seen was suggested in the last 8 weeks, so suggestions start "
    "again with the ones suggested longest ago."
)
ONE_LEFT_NOTE = "Only one film is left to suggest, so this week is a pick instead of a vote."


def spec_of(schedule: WeeklySchedule) -> WeeklyTime:
    return WeeklyTime(
        weekday=schedule.weekday,
        at=schedule.at,
        zone=ZoneInfo(schedule.zone),
        lead=timedelta(hours=schedule.lead_hours),
    )


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


def vote_id(post_id: int, slot: int) -> str:
    """The custom id of a vote button; it carries all a restarted bot needs to count a click."""
    return f"{VOTE_PREFIX}:{post_id}:{slot}"


def nonce_for(guild_id: int, week: str, what: str) -> str:
    """The message nonce of a week's post (``what="post"``) or result: the same on every try.

    Discord's nonces are at most 25 characters, so this is a short hash of server and week.
    """
    digest = hashlib.blake2b(f"movienight:{guild_id}:{week}:{what}".encode(), digest_size=10)
    return digest.hexdigest()


# --- what posts say -----------------------------------------------------------------------------

_MARK = {"pick": "🍿", "vote": "🗳️", "none": "🍿", "result": "🏆"}


def _stamp(moment: datetime, style: str = "F") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def marker(post: WeeklyPost, *, result: bool = False) -> str:
    """How the bot's post (or vote result) for a night begins; recovery looks for it."""
    return f"{_MARK['result' if result else post.kind]} Movie night on {_stamp(post.night_at)}"


def _noted(text: str, note: str | None) -> str:
    return f"{text}\n-# {note}" if note else text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def pick_card(post: WeeklyPost, film: StoredReview | None) -> Message:
    """This week's pick: its full card, with when movie night starts."""
    title = post.candidates[0].title
    message = cards.film_card(film) if film else Message()
    message.content = _noted(
        f"{marker(post)} ({_stamp(post.night_at, 'R')}): this week's pick is "
        f"**{cards.escape(title)}**.",
        post.note,
    )
    message.ephemeral = False
    return message


def _first_reason(film: StoredReview | None) -> str:
    if film is None or not film.review.pick_if:
        return "Pick if you trust the vote."
    return f"Pick if {cards.escape(film.review.pick_if[0].headline)}"


def _label(title: str, count: int) -> str:
    """A vote button's label: the title, shortened if need be, then the count."""
    suffix = f" · {count}"
    return limits.shorten(title, limits.BUTTON_LABEL - len(suffix)) + suffix


def vote_card(
    post: WeeklyPost,
    films: Mapping[int, StoredReview | None],
    counts: Mapping[int, int],
    *,
    closed: bool = False,
) -> Message:
    """The vote: one field and one button per candidate, each showing its count."""
    total = sum(counts.values())
    fields = []
    buttons = []
    for candidate in post.candidates:
        count = counts.get(candidate.slot, 0)
        won = closed and candidate.slot == post.winner_slot
        fields.append(
            Field(
                f"{'🏆 ' if won else ''}{candidate.slot + 1}. {cards.escape(candidate.title)}",
                f"{_first_reason(films.get(candidate.slot))}\n**{_plural(count, 'vote')}**",
            )
        )
        buttons.append(
            Button(
                vote_id(post.id, candidate.slot),
                _label(candidate.title, count),
                style="success" if won else "primary",
                disabled=closed,
            )
        )
    if closed:
        how = "Voting has closed."
        footer = f"Final count: {_plural(total, 'vote')}"
    else:
        how = (
            "Vote for the film you want to watch: one vote each, click another film to change "
            "yours. Voting closes when movie night starts."
        )
        footer = f"{_plural(total, 'vote')} so far"
    return Message(
        content=_noted(f"{marker(post)} ({_stamp(post.night_at, 'R')}). {how}", post.note),
        embeds=[Embed("This week's vote", fields=fields, footer=footer, color=cards.COLOR)],
        buttons=[buttons],
        ephemeral=False,
    )


def _names(candidates: Sequence[Candidate]) -> str:
    names = [f"**{cards.escape(c.title)}**" for c in candidates]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def result_card(
    post: WeeklyPost, winner: Candidate, counts: Mapping[int, int], film: StoredReview | None
) -> Message:
    """The winner of a closed vote, with its card; a random tie-break is said out loud."""
    full = {c.slot: counts.get(c.slot, 0) for c in post.candidates}
    total = sum(full.values())
    best = max(full.values())
    name = cards.escape(winner.title)
    if total == 0:
        text = f"{marker(post, result=True)}: nobody voted, so **{name}** was drawn at random."
    else:
        text = (
            f"{marker(post, result=True)}: **{name}** won the vote with {best} of "
            f"{_plural(total, 'vote')}."
        )
    if total and post.tie:
        tied = [c for c in post.candidates if full[c.slot] == best]
        text += (
            f" It was a tie between {_names(tied)} ({_plural(best, 'vote')} each), so the "
            "winner was drawn at random."
        )
    text += " It is on this server's seen list now."
    message = cards.film_card(film) if film else Message()
    message.content = text
    message.ephemeral = False
    return message


def none_card(post: WeeklyPost) -> Message:
    return Message(
        content=(
            f"{marker(post)}: there is nothing left to suggest, this server has seen every film "
            "in the catalog. Add reviews with `/review add`, or take a film off the seen list "
            "with `/seen remove`."
        ),
        ephemeral=False,
    )


def vote_receipt(chosen: Candidate, previous: Candidate | None) -> Message:
    """The private answer to a vote click."""
    name = cards.escape(chosen.title)
    if previous is None:
        text = f"You voted for **{name}**. Click another film to change your vote."
    elif previous.slot == chosen.slot:
        text = f"Your vote is already for **{name}**."
    else:
        text = f"You changed your vote from **{cards.escape(previous.title)}** to **{name}**."
    return cards.notice(text)


VOTE_CLOSED = "This vote has closed."
VOTE_GONE = "This vote no longer exists."


def event_name(title: str | None) -> str:
    """The Discord scheduled event's name (at most 100 characters)."""
    name = f"Movie night: {title}" if title else "Movie night"
    return name if len(name) <= 100 else name[:99] + "…"


def event_description(post: WeeklyPost, channel_name: str) -> str:
    if post.kind == "vote" and post.winner_slot is None:
        return f"Vote for the film in #{channel_name} until movie night starts."
    return f"This week's film, as posted in #{channel_name}."


# --- moderators' views -------------------------------------------------------------------------


def _when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()}\n{_stamp(moment)} · {_stamp(moment, 'R')}"


def pause_line(reason: str) -> str:
    return f"⏸️ The weekly movie night is paused: {reason} Fix that, then run `/weekly set` again."


def channel_gone(channel_id: int) -> str:
    return f"its channel (<#{channel_id}>) was deleted or I can no longer see it."


def missing_permissions(channel_id: int, names: Sequence[str]) -> str:
    return f"I am missing {', '.join(names)} in <#{channel_id}>."


def refused(channel_id: int) -> str:
    """Discord said no (403) although the permissions the bot can see look right."""
    return (
        f"Discord refused my post in <#{channel_id}> for lack of a permission; check the "
        "channel's permission settings for my role."
    )


def schedule_card(schedule: WeeklySchedule, now: datetime) -> Message:
    """/weekly show: the schedule, the next post and the next movie night, in local time and as
    Discord timestamps (each member sees their own time)."""
    spec = spec_of(schedule)
    upcoming = next_post(spec, max(now, schedule.since))
    night = next_night(spec, now)
    mode = "A pick" if schedule.mode == "pick" else f"A vote between {VOTE_SIZE} films"
    description = (
        f"Every **{Weekday(schedule.weekday).name}** at **{schedule.at:%H:%M}** "
        f"({schedule.zone}), posted in <#{schedule.channel_id}>."
    )
    if schedule.paused_reason:
        description += "\n\n" + pause_line(schedule.paused_reason)
    fields = [
        Field("Mode", mode, inline=True),
        Field("Themes", cards.escape(schedule.themes) if schedule.themes else "Any", inline=True),
        Field(
            "Posted",
            f"{_plural(schedule.lead_hours, 'hour')} before movie night",
            inline=True,
        ),
        Field("Next post", _when(upcoming.post_at, spec.zone)),
        Field("Next movie night", _when(night.night, spec.zone)),
    ]
    return Message(
        embeds=[Embed("Weekly movie night", description, fields=fields, color=cards.NOTICE_COLOR)],
        ephemeral=True,
    )


def schedule_saved(schedule: WeeklySchedule, now: datetime, notes: Sequence[str]) -> Message:
    """/weekly set's answer: the schedule as /weekly show gives it, and anything to know."""
    message = schedule_card(schedule, now)
    message.content = "\n".join(["Saved. The weekly movie night runs like this:", *notes])
    return message


def posted_now(post: WeeklyPost, link: str, *, made: bool) -> Message:
    """/weekly now's answer, with a link to the post."""
    what = {"pick": "pick", "vote": "vote", "none": "notice"}[post.kind]
    if made:
        return cards.notice(f"Posted the {what} for the coming movie night: {link}")
    return cards.notice(f"The coming movie night's {what} is already posted: {link}")


NO_SCHEDULE = "This server has no weekly movie night yet. Set one up with `/weekly set`."
TURNED_OFF = (
    "The weekly movie night is off: nothing more will be posted. A vote already open still "
    "closes when its movie night starts."
)
THEMES_UNMATCHED = (
    "Nothing in the catalog matches those themes yet, so posts will come from the whole catalog "
    "until something does."
)
MISSED_THIS_WEEK = (
    "This week's post time has already passed, so the first post is next week's. Use "
    "`/weekly now` to post this week's right away."
)
