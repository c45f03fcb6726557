"""What the weekly movie night says: its posts, vote buttons, results, and moderators' answers.

Every function returns a :class:`~bot.message.Message` or a sentence. Every post starts with a
marker naming its kind and night (:func:`marker`), so after a crash the bot can find its own
message in the channel and not send it twice. Vote buttons carry ids the Discord edge routes
without keeping any state in memory (:data:`VOTE_TEMPLATE`), so they answer after a restart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import cards, limits
from bot.message import Button, Embed, Field, Message
from bot.schedule import Weekday, WeeklyTime, next_night, next_post
from bot.store import StoredReview
from bot.store.weekly import Candidate, WeeklyPost, WeeklySchedule

VOTE_TEMPLATE = r"weekly:vote:(?P<post>[0-9]+):(?P<slot>[0-9]+)"
"""A vote button: the post and the candidate, all a restarted bot needs to count a click."""

RESTART_NOTE = (
    "Every film this server has not seen was suggested in the last 8 weeks, so suggestions start "
    "again with the ones suggested longest ago."
)
ONE_LEFT_NOTE = "Only one film is left to suggest, so this week is a pick instead of a vote."
VOTE_CLOSED = "This vote has closed."
VOTE_GONE = "This vote no longer exists."
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

_MARK = {"pick": "🍿", "vote": "🗳️", "none": "🍿", "result": "🏆"}


def vote_id(post_id: int, slot: int) -> str:
    return f"weekly:vote:{post_id}:{slot}"


def stamp(moment: datetime, style: str = "F") -> str:
    """A Discord timestamp: every member sees it in their own time."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def marker(post: WeeklyPost, *, result: bool = False) -> str:
    """How the bot's post (or vote result) for a night begins; recovery looks for it."""
    return f"{_MARK['result' if result else post.kind]} Movie night on {stamp(post.night_at)}"


def _noted(text: str, note: str | None) -> str:
    return f"{text}\n-# {note}" if note else text


def pick_card(post: WeeklyPost, film: StoredReview | None) -> Message:
    """This week's pick: its full card, with when movie night starts."""
    title = post.candidates[0].title
    message = cards.film_card(film) if film else Message()
    message.content = _noted(
        f"{marker(post)} ({stamp(post.night_at, 'R')}): this week's pick is "
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
                f"{_first_reason(films.get(candidate.slot))}\n**{plural(count, 'vote')}**",
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
        footer = f"Final count: {plural(total, 'vote')}"
    else:
        how = (
            "Vote for the film you want to watch: one vote each, click another film to change "
            "yours. Voting closes when movie night starts."
        )
        footer = f"{plural(total, 'vote')} so far"
    return Message(
        content=_noted(f"{marker(post)} ({stamp(post.night_at, 'R')}). {how}", post.note),
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
            f"{plural(total, 'vote')}."
        )
    if total and post.tie:
        tied = [c for c in post.candidates if full[c.slot] == best]
        text += (
            f" It was a tie between {_names(tied)} ({plural(best, 'vote')} each), so the "
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


def event_name(title: str | None) -> str:
    """The Discord scheduled event's name (at most 100 characters)."""
    name = f"Movie night: {title}" if title else "Movie night"
    return name if len(name) <= 100 else name[:99] + "…"


def event_description(post: WeeklyPost, channel_name: str) -> str:
    if post.kind == "vote" and post.winner_slot is None:
        return f"Vote for the film in #{channel_name} until movie night starts."
    return f"This week's film, as posted in #{channel_name}."


# --- moderators' answers ------------------------------------------------------------------------


def _when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a %d %b %Y, %H:%M} {local.tzname()}\n{stamp(moment)} · {stamp(moment, 'R')}"


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


def schedule_card(schedule: WeeklySchedule, spec: WeeklyTime, now: datetime) -> Message:
    """/weekly show: the schedule, the next post and the next movie night, in local time and as
    Discord timestamps (each member sees their own time)."""
    upcoming = next_post(spec, max(now, schedule.since))
    night = next_night(spec, now)
    mode = "A pick" if schedule.mode == "pick" else "A vote between 3 films"
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
            f"{plural(schedule.lead_hours, 'hour')} before movie night",
            inline=True,
        ),
        Field("Next post", _when(upcoming.post_at, spec.zone)),
        Field("Next movie night", _when(night.night, spec.zone)),
    ]
    return Message(
        embeds=[Embed("Weekly movie night", description, fields=fields, color=cards.NOTICE_COLOR)],
        ephemeral=True,
    )


def schedule_saved(
    schedule: WeeklySchedule, spec: WeeklyTime, now: datetime, notes: Sequence[str]
) -> Message:
    """/weekly set's answer: the schedule as /weekly show gives it, and anything to know."""
    message = schedule_card(schedule, spec, now)
    message.content = "\n".join(["Saved. The weekly movie night runs like this:", *notes])
    return message


def post_link(post: WeeklyPost) -> str:
    return f"https://discord.com/channels/{post.guild_id}/{post.channel_id}/{post.message_id}"


def posted_now(post: WeeklyPost, *, made: bool) -> Message:
    """/weekly now's answer, with a link to the post."""
    what = {"pick": "pick", "vote": "vote", "none": "notice"}[post.kind]
    if made:
        return cards.notice(f"Posted the {what} for the coming movie night: {post_link(post)}")
    return cards.notice(f"The coming movie night's {what} is already posted: {post_link(post)}")
