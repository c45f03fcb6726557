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

from bot import cards, limits, votes
from bot.message import Button, Embed, Field, Mentions, Message, Option, Select
from bot.schedule import Weekday, WeeklyTime, next_night, next_post
from bot.store import StoredReview
from bot.store.suggestions import Suggestion
from bot.store.weekly import Candidate, WeeklyPost, WeeklySchedule

VOTE_TEMPLATE = r"weekly:vote:(?P<post>[0-9]+):(?P<slot>[0-9]+)"
"""A vote button: the post and the candidate, all a restarted bot needs to count a click."""
RANK_TEMPLATE = r"weekly:(?P<verb>rank|ranked):(?P<post>[0-9]+)"
"""Rank the films (open the ranking, or start it over), and Done."""
RANKS_TEMPLATE = r"weekly:ranks:(?P<post>[0-9]+):(?P<ranked>(?:[0-9]-?)*)"
"""The select menu of a ranking step: the post and the films ranked so far, in order."""
NO_OPEN_VOTE = "This server has no vote open right now."

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


def rank_id(post_id: int) -> str:
    return f"weekly:rank:{post_id}"


def ranked_id(post_id: int) -> str:
    return f"weekly:ranked:{post_id}"


def ranks_id(post_id: int, ranked: Sequence[int]) -> str:
    return f"weekly:ranks:{post_id}:{'-'.join(map(str, ranked))}"


def stamp(moment: datetime, style: str = "F") -> str:
    """A Discord timestamp: every member sees it in their own time."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def marker(post: WeeklyPost, *, result: bool = False) -> str:
    """How the bot's post (or vote result) for a night begins; recovery looks for it."""
    return f"{_MARK['result' if result else post.kind]} Movie night on {stamp(post.night_at)}"


def _noted(text: str, note: str | None) -> str:
    return f"{text}\n-# {note}" if note else text


def pick_card(
    post: WeeklyPost, film: StoredReview | None, suggestion: Suggestion | None = None
) -> Message:
    """This week's pick: its full card, with when movie night starts."""
    title = post.candidates[0].title
    message = cards.film_card(film, suggestion) if film else Message()
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


_HOW = {
    "vote": "Vote for the film you want to watch: one vote each, click another film to change "
    "yours.",
    "approval": "Click every film you would happily watch (click one again to take it back): "
    "the film most of you approve of wins.",
    "ranked": "Press **Rank the films** and choose your first choice, then your second, and so "
    "on; stop whenever you like, your ballot counts as it is. Counted by instant runoff: the "
    "film with the fewest first choices drops out and its ballots go to their next choice, "
    "until one film has more than half.",
}
_COUNTED = {"vote": "vote", "approval": "approval"}


def _closing(post: WeeklyPost) -> str:
    if post.closes_at is None:
        return f"Voting closes when movie night starts ({stamp(post.night_at, 'R')})."
    return f"Voting closes {stamp(post.closes)} ({stamp(post.closes, 'R')})."


def _suggested(candidate: Candidate, suggestion: Suggestion | None) -> str:
    if suggestion is None:
        return ""
    return f"\nSuggested by <@{suggestion.user_id}> · {cards.plural(candidate.backers, 'backer')}"


def _vote_buttons(post: WeeklyPost, counts: Mapping[int, int], closed: bool) -> list[list[Button]]:
    if post.vote_mode == "ranked":
        return [] if closed else [[Button(rank_id(post.id), "Rank the films", "primary")]]
    buttons = [
        Button(
            vote_id(post.id, c.slot),
            _label(c.title, counts.get(c.slot, 0)),
            style="success" if closed and c.slot == post.winner_slot else "primary",
            disabled=closed,
        )
        for c in post.candidates
    ]
    return [buttons[start : start + limits.BUTTONS_PER_ROW] for start in range(0, len(buttons), 5)]


def vote_card(
    post: WeeklyPost,
    films: Mapping[int, StoredReview | None],
    ballots: Sequence[Sequence[int]],
    suggestions: Mapping[int, Suggestion | None],
    *,
    closed: bool = False,
) -> Message:
    """The vote: one field per candidate and, by mode, a button each with its count (vote,
    approval) or one button to rank them (ranked)."""
    mode = post.vote_mode or "vote"
    counts = votes.shown_counts(mode, ballots)
    fields = []
    for candidate in post.candidates:
        won = closed and candidate.slot == post.winner_slot
        value = _first_reason(films.get(candidate.slot))
        value += _suggested(candidate, suggestions.get(candidate.slot))
        if mode in _COUNTED:
            value += f"\n**{cards.plural(counts.get(candidate.slot, 0), _COUNTED[mode])}**"
        fields.append(
            Field(
                f"{'🏆 ' if won else ''}{candidate.slot + 1}. {cards.escape(candidate.title)}",
                value,
            )
        )
    cast = sum(1 for ballot in ballots if ballot)
    tally = (
        cards.plural(sum(counts.values()), "vote")
        if mode == "vote"
        else cards.plural(cast, "ballot")
    )
    if closed:
        how, footer = "Voting has closed.", f"Final count: {tally}"
    else:
        how, footer = f"{_HOW[mode]} {_closing(post)}", f"{tally} so far"
    rule = f"Ties: {votes.TIE_RULE}."
    return Message(
        content=_noted(f"{marker(post)} ({stamp(post.night_at, 'R')}). {how}", post.note),
        embeds=[
            Embed(_TITLES[mode], fields=fields, footer=f"{footer} · {rule}", color=cards.COLOR)
        ],
        buttons=_vote_buttons(post, counts, closed),
        ephemeral=False,
    )


_TITLES = {
    "vote": "This week's vote",
    "approval": "This week's vote: approve of any number",
    "ranked": "This week's vote: rank the films",
}


def _names(candidates: Sequence[Candidate]) -> str:
    names = [f"**{cards.escape(c.title)}**" for c in candidates]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _how_tie(post: WeeklyPost, tie: votes.Tie, result: votes.Result) -> str:
    """Why the tie rule chose the film it chose, with the numbers."""
    chosen = post.candidate(tie.chosen)
    name = f"**{cards.escape(chosen.title if chosen else '?')}**"
    others = [slot for slot in tie.among if slot != tie.chosen]
    if tie.by == "draw":
        return f"{name} was drawn at random (seed {result.seed})"
    if tie.by == "backers":
        measure = {c.slot: c.backers for c in post.candidates}
        word = "more backers" if tie.for_win else "fewer backers"
    else:
        measure = result.firsts
        word = "more first choices" if tie.for_win else "fewer first choices"
    theirs = (
        max(measure.get(slot, 0) for slot in others)
        if tie.for_win
        else min(measure.get(slot, 0) for slot in others)
    )
    return f"{name} had {word} ({measure.get(tie.chosen, 0)} to {theirs})"


def _round_line(post: WeeklyPost, number: int, round_: votes.Round, result: votes.Result) -> str:
    counts = " · ".join(
        f"{cards.escape(c.title)} {round_.counts[c.slot]}"
        for c in post.candidates
        if c.slot in round_.counts
    )
    if round_.out is None:
        winner = post.candidate(result.winner)
        name = f"**{cards.escape(winner.title if winner else '?')}**"
        end = "is the last film in the running" if len(round_.counts) == 1 else "has more than half"
        return f"Round {number}: {counts} — {name} {end}."
    out = post.candidate(round_.out)
    name = f"**{cards.escape(out.title if out else '?')}**"
    if round_.tie is None:
        return f"Round {number}: {counts} — {name} drops out."
    tied = [c for c in post.candidates if c.slot in round_.tie.among]
    return (
        f"Round {number}: {counts} — {_names(tied)} tied for fewest: "
        f"{_how_tie(post, round_.tie, result)}, so it drops out."
    )


def result_card(
    post: WeeklyPost, film: StoredReview | None, suggestion: Suggestion | None = None
) -> Message:
    """The winner of a closed vote and how it won (each round of a ranked vote), the tie rule
    with the seed of its draw, and the film's card."""
    result, winner = post.result, post.winner
    assert result is not None and winner is not None, post.id
    name = f"**{cards.escape(winner.title)}**"
    first = result.rounds[0].counts
    best = first[result.winner]
    lines = [f"{marker(post, result=True)}: "]
    if result.ballots == 0:
        lines[0] += f"nobody voted, so the tie rule chose {name}."
    elif result.mode == "ranked":
        lines[0] += (
            f"{name} won the ranked vote, counted by instant runoff "
            f"({cards.plural(result.ballots, 'ballot')}):"
        )
        lines += [
            _round_line(post, number, round_, result)
            for number, round_ in enumerate(result.rounds, start=1)
        ]
    elif result.mode == "approval":
        approvals = cards.plural(best, "approval")
        lines[0] += f"{name} won with {approvals} from {cards.plural(result.ballots, 'ballot')}."
    else:
        lines[0] += (
            f"{name} won the vote with {best} of {cards.plural(sum(first.values()), 'vote')}."
        )
    if result.tie is not None:
        tied = [c for c in post.candidates if c.slot in result.tie.among]
        each = cards.plural(best, "approval" if result.mode == "approval" else "vote")
        if result.ballots:
            lines.append(
                f"It was a tie between {_names(tied)} ({each} each): "
                f"{_how_tie(post, result.tie, result)}."
            )
        else:
            lines.append(f"{_how_tie(post, result.tie, result)}.")
    lines.append("It is on this server's seen list now.")
    lines.append(f"-# Ties: {votes.TIE_RULE} (this vote's seed: {result.seed}).")
    message = cards.film_card(film, suggestion) if film else Message()
    message.content = "\n".join(lines)
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


def _listed(post: WeeklyPost, slots: Sequence[int]) -> str:
    chosen = [c for slot in slots if (c := post.candidate(slot)) is not None]
    return _names(chosen) if chosen else ""


def vote_receipt(post: WeeklyPost, before: Sequence[int], after: Sequence[int]) -> Message:
    """The private answer to a click on a vote's film."""
    if post.vote_mode == "approval":
        if not after:
            return cards.notice("You approve of no film now. Click a film to approve of it.")
        return cards.notice(
            f"You approve of {_listed(post, after)} now. Click a film again to take it back."
        )
    name = _listed(post, after)
    if not before:
        text = f"You voted for {name}. Click another film to change your vote."
    elif list(before) == list(after):
        text = f"Your vote is already for {name}."
    else:
        text = f"You changed your vote from {_listed(post, before)} to {name}."
    return cards.notice(text)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def ranking(post: WeeklyPost, slots: Sequence[int]) -> str:
    return "\n".join(
        f"{number}. {cards.escape(c.title)}"
        for number, slot in enumerate(slots, start=1)
        if (c := post.candidate(slot)) is not None
    )


def rank_step(post: WeeklyPost, ranked: Sequence[int], ballot: Sequence[int]) -> Message:
    """One step of ranking, privately: the ballot as it stands, and the next choice to make."""
    if ballot:
        text = f"Your ballot counts as it is now:\n{ranking(post, ballot)}"
    else:
        text = "You have not ranked the films yet."
    left = [c for c in post.candidates if c.slot not in ranked]
    select = None
    if left:
        text += f"\n\nChoose your {_ordinal(len(ranked) + 1)} choice, or stop here."
        select = Select(
            ranks_id(post.id, ranked),
            f"Your {_ordinal(len(ranked) + 1)} choice",
            tuple(Option(c.title, str(c.slot)) for c in left),
        )
    else:
        text += "\n\nThat is every film."
    buttons = [
        Button(ranked_id(post.id), "Done", "success"),
        Button(rank_id(post.id), "Start over"),
    ]
    return Message(content=text, select=select, buttons=[buttons], ephemeral=True)


def rank_done(post: WeeklyPost, ballot: Sequence[int]) -> Message:
    if not ballot:
        return cards.notice("You have not ranked the films: press **Rank the films** to vote.")
    return cards.notice(
        f"Your ballot is in:\n{ranking(post, ballot)}\nPress **Rank the films** again to change it."
    )


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


_MODES = {
    "vote": "A vote between {} films, one vote each",
    "approval": "An approval vote between {} films",
    "ranked": "A ranked vote between {} films (instant runoff)",
}


def schedule_card(schedule: WeeklySchedule, spec: WeeklyTime, now: datetime) -> Message:
    """/weekly show: the schedule, the next post and the next movie night, in local time and as
    Discord timestamps (each member sees their own time)."""
    upcoming = next_post(spec, max(now, schedule.since))
    night = next_night(spec, now)
    mode = "A pick" if schedule.mode == "pick" else _MODES[schedule.mode].format(schedule.size)
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
            f"{cards.plural(schedule.lead_hours, 'hour')} before movie night",
            inline=True,
        ),
        Field("Next post", _when(upcoming.post_at, spec.zone)),
        Field("Next movie night", _when(night.night, spec.zone)),
    ]
    fields.append(Field("Reminder", _reminder(schedule)))
    if schedule.mode != "pick":
        fields.append(
            Field(
                "Films that keep losing",
                f"A film that lost {cards.plural(schedule.rest_after, 'vote')} rests for "
                f"{cards.plural(schedule.rest_weeks, 'week')}.",
            )
        )
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


def post_link(post: WeeklyPost, message_id: int | None = None) -> str:
    """A link to the post (or to another of its messages, such as the result)."""
    shown = message_id or post.message_id
    return f"https://discord.com/channels/{post.guild_id}/{post.channel_id}/{shown}"


def posted_now(post: WeeklyPost, *, made: bool) -> Message:
    """/weekly now's answer, with a link to the post."""
    what = {"pick": "pick", "vote": "vote", "none": "notice"}[post.kind]
    if made:
        return cards.notice(f"Posted the {what} for the coming movie night: {post_link(post)}")
    return cards.notice(f"The coming movie night's {what} is already posted: {post_link(post)}")


def closed_early(post: WeeklyPost) -> Message:
    """/weekly close's answer."""
    winner = post.winner
    name = f"**{cards.escape(winner.title)}**" if winner else "the winner"
    link = post_link(post, post.result_message_id)
    return cards.notice(f"Closed the vote early: {name} won. The result is posted: {link}")


def extended(post: WeeklyPost, hours: int) -> Message:
    """/weekly extend's answer."""
    text = (
        f"The vote now closes {stamp(post.closes)} ({stamp(post.closes, 'R')}), "
        f"{cards.plural(hours, 'hour')} later; the post says so."
    )
    if post.closes > post.night_at:
        text += f" That is after movie night starts ({stamp(post.night_at)})."
    return cards.notice(text)


# --- reminders -----------------------------------------------------------------------------------

REMIND_LIMIT = 80
"""The most members "starting soon" pings by name (their mentions must fit one message)."""
EVERYONE_REFUSED = "The reminder can't ping @everyone: pick a role only movie-goers have."
ROLE_MISSING = "Pick the role to ping with `role:` (or choose `remind:none` or `interested`)."


def starting_soon(
    post: WeeklyPost, schedule: WeeklySchedule, title: str | None, interested: Sequence[int]
) -> Message:
    """Movie night starts soon; it pings exactly whom the server chose, and nobody else."""
    text = f"🎬 Movie night starts {stamp(post.night_at, 'R')} ({stamp(post.night_at, 't')})"
    if title is not None:
        text += f": **{cards.escape(title)}**."
    else:
        text += f". The vote is still open: it closes {stamp(post.closes, 'R')}."
    mentions = Mentions()
    if schedule.remind == "role" and schedule.remind_role is not None:
        text = f"<@&{schedule.remind_role}> {text}"
        mentions = Mentions(roles=(schedule.remind_role,))
    elif schedule.remind == "interested" and interested:
        pinged = tuple(dict.fromkeys(interested))[:REMIND_LIMIT]
        more = len(set(interested)) - len(pinged)
        names = " ".join(f"<@{user}>" for user in pinged)
        text += f"\n{names}: you marked it Interested."
        if more:
            text += f" (And {more} more.)"
        mentions = Mentions(users=pinged)
    return Message(content=text, mentions=mentions, ephemeral=False)


def closing_soon(post: WeeklyPost) -> Message:
    """An hour before an open vote closes; pings nobody."""
    return Message(
        content=(
            f"⏳ The vote for movie night on {stamp(post.night_at)} closes "
            f"{stamp(post.closes, 'R')}. Still time to vote: {post_link(post)}"
        ),
        ephemeral=False,
    )


def _reminder(schedule: WeeklySchedule) -> str:
    if not schedule.remind_minutes:
        return "None"
    whom = {
        "none": "pinging nobody",
        "interested": "pinging the members who marked the event Interested",
        "role": f"pinging <@&{schedule.remind_role}>",
    }[schedule.remind]
    return f"“Starting soon” {cards.plural(schedule.remind_minutes, 'minute')} before, {whom}"
