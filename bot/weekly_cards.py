"""What the weekly movie night says: its posts, vote buttons, results, and moderators' answers.

Every function returns a :class:`~bot.message.Message` or a sentence. Every post starts with a
marker naming its kind and night (:func:`marker`), so after a crash the bot can find its own
message in the channel and not send it twice. Vote buttons carry ids the Discord edge routes
without keeping any state in memory (:data:`VOTE_TEMPLATE`), so they answer after a restart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import cards, counts, limits, votes
from bot.i18n import ENGLISH, N_, Texts
from bot.message import Button, Embed, Field, Mentions, Message, Option, Select
from bot.schedule import WeeklyTime, next_night, next_post
from bot.store import StoredReview
from bot.store.suggestions import Suggestion
from bot.store.weekly import Candidate, PostKind, WeeklyPost, WeeklySchedule

VOTE_TEMPLATE = r"weekly:vote:(?P<post>[0-9]+):(?P<slot>[0-9]+)"
"""A vote button: the post and the candidate, all a restarted bot needs to count a click."""
RANK_TEMPLATE = r"weekly:(?P<verb>rank|ranked):(?P<post>[0-9]+)"
"""Rank the films (open the ranking, or start it over), and Done."""
RANKS_TEMPLATE = r"weekly:ranks:(?P<post>[0-9]+):(?P<ranked>(?:[0-9]-?)*)"
"""The select menu of a ranking step: the post and the films ranked so far, in order."""
NO_OPEN_VOTE = N_("This server has no vote open right now.")

RESTART_NOTE = N_(
    "Every film this server has not seen was suggested in the last 8 weeks, so suggestions start "
    "again with the ones suggested longest ago."
)
ONE_LEFT_NOTE = N_("Only one film is left to suggest, so this week is a pick instead of a vote.")
THEMES_FALLBACK = N_(
    "Nothing unseen matches the themes “{themes}”, so this comes from the whole catalog."
)
"""The notes a post can carry (kept with it by :func:`kept_note`)."""
VOTE_CLOSED = N_("This vote has closed.")
VOTE_GONE = N_("This vote no longer exists.")
RANKED_TWICE = N_("You ranked that film already; pick another.")
NO_SCHEDULE = N_("This server has no weekly movie night yet. Set one up with `/weekly set`.")
TURNED_OFF = N_(
    "The weekly movie night is off: nothing more will be posted. A vote already open still "
    "closes when its movie night starts."
)
THEMES_UNMATCHED = N_(
    "Nothing in the catalog matches those themes yet, so posts will come from the whole catalog "
    "until something does."
)
MISSED_THIS_WEEK = N_(
    "This week's post time has already passed, so the first post is next week's. Use "
    "`/weekly now` to post this week's right away."
)
CANNOT_POST = N_("I cannot post there: {problem}")

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


def marker(post: WeeklyPost, *, result: bool = False, t: Texts = ENGLISH) -> str:
    """How the bot's post (or vote result) for a night begins; recovery looks for it."""
    when = t.gettext("Movie night on {when}").format(when=stamp(post.night_at))
    return f"{_MARK['result' if result else post.kind]} {when}"


def is_marked(post: WeeklyPost, content: str, *, result: bool = False) -> bool:
    """Whether a message begins as the bot's post (or vote result) for this night does, in any
    language: its mark and the night's time stamp, which no translation changes. (Discord
    does not give a message's nonce back in a channel's history; the server's language may
    have changed since the post.)"""
    first = content.partition("\n")[0]
    return first.startswith(_MARK["result" if result else post.kind]) and (
        stamp(post.night_at) in first
    )


def kept_note(message: str, **values: str | list[str]) -> str:
    """A note as it is kept (one a line): its message, marked N_, and the values it names, so
    it is said in the language of whoever reads it. A list value holds messages too (names
    of permissions, say), said one by one and joined with commas."""
    return json.dumps([message, values], ensure_ascii=False)


def said_note(note: str | None, t: Texts) -> str:
    """Kept notes in ``t``'s language (a note kept as plain text, as written)."""
    said = []
    for line in (note or "").splitlines():
        try:
            message, values = json.loads(line)
            shown = {
                name: ", ".join(map(t.gettext, value)) if isinstance(value, list) else value
                for name, value in values.items()
            }
            said.append(t.gettext(message).format(**shown))
        except (ValueError, TypeError, AttributeError):
            said.append(line)
    return " ".join(said)


def _noted(text: str, note: str | None, t: Texts) -> str:
    said = said_note(note, t)
    return f"{text}\n-# {said}" if said else text


def pick_card(
    post: WeeklyPost,
    film: StoredReview | None,
    suggestion: Suggestion | None = None,
    t: Texts = ENGLISH,
) -> Message:
    """This week's pick: its full card, with when movie night starts."""
    title = post.candidates[0].title
    message = cards.film_card(film, suggestion, t=t) if film else Message()
    text = t.gettext("{marker} ({relative}): this week's pick is **{film}**.").format(
        marker=marker(post, t=t), relative=stamp(post.night_at, "R"), film=cards.escape(title)
    )
    message.content = _noted(text, post.note, t)
    message.ephemeral = False
    return message


def _first_reason(film: StoredReview | None, t: Texts) -> str:
    if film is None or not film.review.pick_if:
        return t.gettext("Pick if you trust the vote.")
    reason = cards.escape(film.review.pick_if[0].headline)
    return t.gettext("Pick if {reason}").format(reason=reason)


def _label(title: str, count: int) -> str:
    """A vote button's label: the title, shortened if need be, then the count."""
    suffix = f" · {count}"
    return limits.shorten(title, limits.BUTTON_LABEL - len(suffix)) + suffix


_HOW = {
    "vote": N_(
        "Vote for the film you want to watch: one vote each, click another film to change yours."
    ),
    "approval": N_(
        "Click every film you would happily watch (click one again to take it back): the film "
        "most of you approve of wins."
    ),
    "ranked": N_(
        "Press **Rank the films** and choose your first choice, then your second, and so on; "
        "stop whenever you like, your ballot counts as it is. Counted by instant runoff: the "
        "film with the fewest first choices drops out and its ballots go to their next choice, "
        "until one film has more than half."
    ),
}
RANK_THE_FILMS = N_("Rank the films")


def _closing(post: WeeklyPost, t: Texts) -> str:
    if post.closes_at is None:
        starts = t.gettext("Voting closes when movie night starts ({relative}).")
        return starts.format(relative=stamp(post.night_at, "R"))
    closes = t.gettext("Voting closes {when} ({relative}).")
    return closes.format(when=stamp(post.closes), relative=stamp(post.closes, "R"))


def _suggested(candidate: Candidate, suggestion: Suggestion | None, t: Texts) -> str:
    if suggestion is None:
        return ""
    by = t.gettext("Suggested by <@{user}> · {backers}")
    return "\n" + by.format(user=suggestion.user_id, backers=counts.backers(candidate.backers, t))


def _vote_buttons(
    post: WeeklyPost, counted: Mapping[int, int], closed: bool, t: Texts
) -> list[list[Button]]:
    if post.vote_mode == "ranked":
        return [] if closed else [[Button(rank_id(post.id), t.gettext(RANK_THE_FILMS), "primary")]]
    buttons = [
        Button(
            vote_id(post.id, c.slot),
            _label(c.title, counted.get(c.slot, 0)),
            style="success" if closed and c.slot == post.winner_slot else "primary",
            disabled=closed,
        )
        for c in post.candidates
    ]
    return [buttons[start : start + limits.BUTTONS_PER_ROW] for start in range(0, len(buttons), 5)]


def _tally(mode: str, count: int, t: Texts) -> str:
    """Approvals or votes, as a vote's mode counts them."""
    return counts.approvals(count, t) if mode == "approval" else counts.votes(count, t)


def vote_card(
    post: WeeklyPost,
    films: Mapping[int, StoredReview | None],
    ballots: Sequence[Sequence[int]],
    suggestions: Mapping[int, Suggestion | None],
    *,
    closed: bool = False,
    t: Texts = ENGLISH,
) -> Message:
    """The vote: one field per candidate and, by mode, a button each with its count (vote,
    approval) or one button to rank them (ranked)."""
    mode = post.vote_mode or "vote"
    counted = votes.shown_counts(mode, ballots)
    fields = []
    for candidate in post.candidates:
        won = closed and candidate.slot == post.winner_slot
        value = _first_reason(films.get(candidate.slot), t)
        value += _suggested(candidate, suggestions.get(candidate.slot), t)
        if mode != "ranked":
            value += f"\n**{_tally(mode, counted.get(candidate.slot, 0), t)}**"
        fields.append(
            Field(
                f"{'🏆 ' if won else ''}{candidate.slot + 1}. {cards.escape(candidate.title)}",
                value,
            )
        )
    cast = sum(1 for ballot in ballots if ballot)
    tally = counts.votes(sum(counted.values()), t) if mode == "vote" else counts.ballots(cast, t)
    if closed:
        how = t.gettext("Voting has closed.")
        footer = t.gettext("Final count: {tally}").format(tally=tally)
    else:
        how = f"{t.gettext(_HOW[mode])} {_closing(post, t)}"
        footer = t.gettext("{tally} so far").format(tally=tally)
    rule = t.gettext("Ties: {rule}.").format(rule=t.gettext(votes.TIE_RULE))
    return Message(
        content=_noted(f"{marker(post, t=t)} ({stamp(post.night_at, 'R')}). {how}", post.note, t),
        embeds=[
            Embed(
                t.gettext(_TITLES[mode]),
                fields=fields,
                footer=f"{footer} · {rule}",
                color=cards.COLOR,
            )
        ],
        buttons=_vote_buttons(post, counted, closed, t),
        ephemeral=False,
    )


_TITLES = {
    "vote": N_("This week's vote"),
    "approval": N_("This week's vote: approve of any number"),
    "ranked": N_("This week's vote: rank the films"),
}


def _names(candidates: Sequence[Candidate], t: Texts) -> str:
    return t.join([f"**{cards.escape(c.title)}**" for c in candidates])


def _bold_title(post: WeeklyPost, slot: int | None) -> str:
    candidate = post.candidate(slot) if slot is not None else None
    return f"**{cards.escape(candidate.title if candidate else '?')}**"


_TIE_WORDS = {
    ("backers", True): N_("{film} had more backers ({ours} to {theirs})"),
    ("backers", False): N_("{film} had fewer backers ({ours} to {theirs})"),
    ("first choices", True): N_("{film} had more first choices ({ours} to {theirs})"),
    ("first choices", False): N_("{film} had fewer first choices ({ours} to {theirs})"),
}


def _how_tie(post: WeeklyPost, tie: votes.Tie, result: votes.Result, t: Texts) -> str:
    """Why the tie rule chose the film it chose, with the numbers."""
    name = _bold_title(post, tie.chosen)
    others = [slot for slot in tie.among if slot != tie.chosen]
    if tie.by == "draw":
        drawn = t.gettext("{film} was drawn at random (seed {seed})")
        return drawn.format(film=name, seed=result.seed)
    backers = {c.slot: c.backers for c in post.candidates}
    measure = backers if tie.by == "backers" else result.firsts
    theirs = (
        max(measure.get(slot, 0) for slot in others)
        if tie.for_win
        else min(measure.get(slot, 0) for slot in others)
    )
    said = t.gettext(_TIE_WORDS[tie.by, tie.for_win])
    return said.format(film=name, ours=measure.get(tie.chosen, 0), theirs=theirs)


def _round_line(
    post: WeeklyPost, number: int, round_: votes.Round, result: votes.Result, t: Texts
) -> str:
    counted = " · ".join(
        f"{cards.escape(c.title)} {round_.counts[c.slot]}"
        for c in post.candidates
        if c.slot in round_.counts
    )
    if round_.out is None:
        if len(round_.counts) == 1:
            end = t.gettext("Round {number}: {counts} — {film} is the last film in the running.")
        else:
            end = t.gettext("Round {number}: {counts} — {film} has more than half.")
        return end.format(number=number, counts=counted, film=_bold_title(post, result.winner))
    if round_.tie is None:
        out = t.gettext("Round {number}: {counts} — {film} drops out.")
        return out.format(number=number, counts=counted, film=_bold_title(post, round_.out))
    tied = [c for c in post.candidates if c.slot in round_.tie.among]
    line = t.gettext("Round {number}: {counts} — {films} tied for fewest: {how}, so it drops out.")
    how = _how_tie(post, round_.tie, result, t)
    return line.format(number=number, counts=counted, films=_names(tied, t), how=how)


def _outcome(post: WeeklyPost, result: votes.Result, t: Texts) -> list[str]:
    """How a closed vote went: who won and by how much (each round of a ranked vote)."""
    name = _bold_title(post, result.winner)
    first = result.rounds[0].counts
    if result.ballots == 0:
        return [t.gettext("nobody voted, so the tie rule chose {film}.").format(film=name)]
    if result.mode == "ranked":
        won = t.gettext("{film} won the ranked vote, counted by instant runoff ({ballots}):")
        return [
            won.format(film=name, ballots=counts.ballots(result.ballots, t)),
            *(
                _round_line(post, number, round_, result, t)
                for number, round_ in enumerate(result.rounds, start=1)
            ),
        ]
    best = first[result.winner]
    if result.mode == "approval":
        won = t.gettext("{film} won with {approvals} from {ballots}.")
        approvals = counts.approvals(best, t)
        return [
            won.format(film=name, approvals=approvals, ballots=counts.ballots(result.ballots, t))
        ]
    won = t.gettext("{film} won the vote with {best} of {votes}.")
    return [won.format(film=name, best=best, votes=counts.votes(sum(first.values()), t))]


def result_card(
    post: WeeklyPost,
    film: StoredReview | None,
    suggestion: Suggestion | None = None,
    t: Texts = ENGLISH,
) -> Message:
    """The winner of a closed vote and how it won (each round of a ranked vote), the tie rule
    with the seed of its draw, and the film's card."""
    result = post.result
    assert result is not None and post.winner is not None, post.id
    lines = _outcome(post, result, t)
    lines[0] = f"{marker(post, result=True, t=t)}: {lines[0]}"
    if result.tie is not None:
        how = _how_tie(post, result.tie, result, t)
        if result.ballots:
            tied = [c for c in post.candidates if c.slot in result.tie.among]
            each = _tally(result.mode, result.rounds[0].counts[result.winner], t)
            between = t.gettext("It was a tie between {films} ({each} each): {how}.")
            lines.append(between.format(films=_names(tied, t), each=each, how=how))
        else:
            lines.append(f"{how}.")
    lines.append(t.gettext("It is on this server's seen list now."))
    seeded = t.gettext("Ties: {rule} (this vote's seed: {seed}).")
    lines.append("-# " + seeded.format(rule=t.gettext(votes.TIE_RULE), seed=result.seed))
    message = cards.film_card(film, suggestion, t=t) if film else Message()
    message.content = "\n".join(lines)
    message.ephemeral = False
    return message


def none_card(post: WeeklyPost, t: Texts = ENGLISH) -> Message:
    nothing = t.gettext(
        "there is nothing left to suggest, this server has seen every film in the catalog. Add "
        "reviews with `/review add`, or take a film off the seen list with `/seen remove`."
    )
    return Message(content=f"{marker(post, t=t)}: {nothing}", ephemeral=False)


def _listed(post: WeeklyPost, slots: Sequence[int], t: Texts) -> str:
    chosen = [c for slot in slots if (c := post.candidate(slot)) is not None]
    return _names(chosen, t) if chosen else ""


def vote_receipt(
    post: WeeklyPost, before: Sequence[int], after: Sequence[int], t: Texts = ENGLISH
) -> Message:
    """The private answer to a click on a vote's film."""
    if post.vote_mode == "approval":
        if not after:
            return cards.notice(
                t.gettext("You approve of no film now. Click a film to approve of it.")
            )
        approve = t.gettext("You approve of {films} now. Click a film again to take it back.")
        return cards.notice(approve.format(films=_listed(post, after, t)))
    name = _listed(post, after, t)
    if not before:
        text = t.gettext("You voted for {film}. Click another film to change your vote.")
    elif list(before) == list(after):
        text = t.gettext("Your vote is already for {film}.")
    else:
        text = t.gettext("You changed your vote from {before} to {film}.")
    return cards.notice(text.format(film=name, before=_listed(post, before, t)))


def ranking(post: WeeklyPost, slots: Sequence[int]) -> str:
    return "\n".join(
        f"{number}. {cards.escape(c.title)}"
        for number, slot in enumerate(slots, start=1)
        if (c := post.candidate(slot)) is not None
    )


def rank_step(
    post: WeeklyPost, ranked: Sequence[int], ballot: Sequence[int], t: Texts = ENGLISH
) -> Message:
    """One step of ranking, privately: the ballot as it stands, and the next choice to make."""
    if ballot:
        text = t.gettext("Your ballot counts as it is now:\n{ranking}")
        text = text.format(ranking=ranking(post, ballot))
    else:
        text = t.gettext("You have not ranked the films yet.")
    left = [c for c in post.candidates if c.slot not in ranked]
    select = None
    if left:
        place = len(ranked) + 1
        choose = t.gettext("Choose the film for place {number} on your ballot, or stop here.")
        text += "\n\n" + choose.format(number=place)
        select = Select(
            ranks_id(post.id, ranked),
            t.gettext("Place {number} on your ballot").format(number=place),
            tuple(Option(c.title, str(c.slot)) for c in left),
        )
    else:
        text += "\n\n" + t.gettext("That is every film.")
    buttons = [
        Button(ranked_id(post.id), t.gettext("Done"), "success"),
        Button(rank_id(post.id), t.gettext("Start over")),
    ]
    return Message(content=text, select=select, buttons=[buttons], ephemeral=True)


def rank_done(post: WeeklyPost, ballot: Sequence[int], t: Texts = ENGLISH) -> Message:
    if not ballot:
        return cards.notice(
            t.gettext("You have not ranked the films: press **Rank the films** to vote.")
        )
    done = t.gettext("Your ballot is in:\n{ranking}\nPress **Rank the films** again to change it.")
    return cards.notice(done.format(ranking=ranking(post, ballot)))


def event_name(title: str | None, t: Texts = ENGLISH) -> str:
    """The Discord scheduled event's name (at most 100 characters)."""
    if title:
        name = t.gettext("Movie night: {film}").format(film=title)
    else:
        name = t.gettext("Movie night")
    return name if len(name) <= 100 else name[:99] + "…"


def event_description(post: WeeklyPost, channel_name: str, t: Texts = ENGLISH) -> str:
    if post.kind == "vote" and post.winner_slot is None:
        text = t.gettext("Vote for the film in #{channel} until movie night starts.")
    else:
        text = t.gettext("This week's film, as posted in #{channel}.")
    return text.format(channel=channel_name)


# --- moderators' answers ------------------------------------------------------------------------


def _when(moment: datetime, zone: ZoneInfo, t: Texts) -> str:
    local = moment.astimezone(zone)
    return f"{t.day_time(local)} {local.tzname()}\n{stamp(moment)} · {stamp(moment, 'R')}"


def pause_line(reason: str, t: Texts = ENGLISH) -> str:
    """The pause and its kept ``reason``, in ``t``'s language."""
    paused = t.gettext(
        "⏸️ The weekly movie night is paused: {reason} Fix that, then run `/weekly set` again."
    )
    return paused.format(reason=said_note(reason, t))


def channel_gone(channel_id: int) -> str:
    """Why a channel cannot be posted in, kept as a note (see :func:`kept_note`), like the
    two reasons below: a pause keeps it, and each reader is told in their own language."""
    return kept_note(
        N_("its channel (<#{channel}>) was deleted or I can no longer see it."),
        channel=str(channel_id),
    )


def missing_permissions(channel_id: int, names: Sequence[str]) -> str:
    """``names`` are Discord's names of the permissions (marked N_)."""
    return kept_note(
        N_("I am missing {permissions} in <#{channel}>."),
        permissions=list(names),
        channel=str(channel_id),
    )


def refused(channel_id: int) -> str:
    """Discord said no (403) although the permissions the bot can see look right."""
    return kept_note(
        N_(
            "Discord refused my post in <#{channel}> for lack of a permission; check the "
            "channel's permission settings for my role."
        ),
        channel=str(channel_id),
    )


_MODES = {
    "vote": N_("A vote between {count} films, one vote each"),
    "approval": N_("An approval vote between {count} films"),
    "ranked": N_("A ranked vote between {count} films (instant runoff)"),
}


def schedule_card(
    schedule: WeeklySchedule, spec: WeeklyTime, now: datetime, t: Texts = ENGLISH
) -> Message:
    """/weekly show: the schedule, the next post and the next movie night, in local time and as
    Discord timestamps (each member sees their own time)."""
    upcoming = next_post(spec, max(now, schedule.since))
    night = next_night(spec, now)
    if schedule.mode == "pick":
        mode = t.gettext("A pick")
    else:
        mode = t.gettext(_MODES[schedule.mode]).format(count=schedule.size)
    description = t.gettext("Every **{day}** at **{time}** ({zone}), posted in <#{channel}>.")
    description = description.format(
        day=t.weekday(schedule.weekday),
        time=f"{schedule.at:%H:%M}",
        zone=schedule.zone,
        channel=schedule.channel_id,
    )
    if schedule.paused_reason:
        description += "\n\n" + pause_line(schedule.paused_reason, t)
    themes = cards.escape(schedule.themes) if schedule.themes else t.gettext("Any")
    lead = t.ngettext(
        "{count} hour before movie night", "{count} hours before movie night", schedule.lead_hours
    )
    fields = [
        Field(t.gettext("Mode"), mode, inline=True),
        Field(t.gettext("Themes"), themes, inline=True),
        Field(t.gettext("Posted"), lead.format(count=schedule.lead_hours), inline=True),
        Field(t.gettext("Next post"), _when(upcoming.post_at, spec.zone, t)),
        Field(t.gettext("Next movie night"), _when(night.night, spec.zone, t)),
    ]
    fields.append(Field(t.gettext("Reminder"), _reminder(schedule, t)))
    if schedule.mode != "pick":
        rests = t.ngettext(
            "A film that lost {count} vote rests for {weeks}.",
            "A film that lost {count} votes rests for {weeks}.",
            schedule.rest_after,
        )
        weeks = counts.weeks(schedule.rest_weeks, t)
        fields.append(
            Field(
                t.gettext("Films that keep losing"),
                rests.format(count=schedule.rest_after, weeks=weeks),
            )
        )
    return Message(
        embeds=[
            Embed(
                t.gettext("Weekly movie night"),
                description,
                fields=fields,
                color=cards.NOTICE_COLOR,
            )
        ],
        ephemeral=True,
    )


def schedule_saved(
    schedule: WeeklySchedule,
    spec: WeeklyTime,
    now: datetime,
    notes: Sequence[str],
    t: Texts = ENGLISH,
) -> Message:
    """/weekly set's answer: the schedule as /weekly show gives it, and anything to know
    (``notes`` marked N_)."""
    message = schedule_card(schedule, spec, now, t)
    saved = t.gettext("Saved. The weekly movie night runs like this:")
    message.content = "\n".join([saved, *map(t.gettext, notes)])
    return message


def post_link(post: WeeklyPost, message_id: int | None = None) -> str:
    """A link to the post (or to another of its messages, such as the result)."""
    shown = message_id or post.message_id
    return f"https://discord.com/channels/{post.guild_id}/{post.channel_id}/{shown}"


_POSTED: dict[tuple[PostKind, bool], str] = {
    ("pick", True): N_("Posted the pick for the coming movie night: {link}"),
    ("vote", True): N_("Posted the vote for the coming movie night: {link}"),
    ("none", True): N_("Posted the notice for the coming movie night: {link}"),
    ("pick", False): N_("The coming movie night's pick is already posted: {link}"),
    ("vote", False): N_("The coming movie night's vote is already posted: {link}"),
    ("none", False): N_("The coming movie night's notice is already posted: {link}"),
}


def posted_now(post: WeeklyPost, *, made: bool, t: Texts = ENGLISH) -> Message:
    """/weekly now's answer, with a link to the post."""
    return cards.notice(t.gettext(_POSTED[post.kind, made]).format(link=post_link(post)))


def closed_early(post: WeeklyPost, t: Texts = ENGLISH) -> Message:
    """/weekly close's answer."""
    winner = post.winner
    name = f"**{cards.escape(winner.title)}**" if winner else t.gettext("the winner")
    closed = t.gettext("Closed the vote early: {film} won. The result is posted: {link}")
    return cards.notice(closed.format(film=name, link=post_link(post, post.result_message_id)))


def extended(post: WeeklyPost, hours: int, t: Texts = ENGLISH) -> Message:
    """/weekly extend's answer."""
    later = t.gettext("The vote now closes {when} ({relative}), {hours} later; the post says so.")
    text = later.format(
        when=stamp(post.closes), relative=stamp(post.closes, "R"), hours=counts.hours(hours, t)
    )
    if post.closes > post.night_at:
        after = t.gettext("That is after movie night starts ({when}).")
        text += " " + after.format(when=stamp(post.night_at))
    return cards.notice(text)


# --- reminders -----------------------------------------------------------------------------------

REMIND_LIMIT = 80
"""The most members "starting soon" pings by name (their mentions must fit one message)."""
EVERYONE_REFUSED = N_("The reminder can't ping @everyone: pick a role only movie-goers have.")
ROLE_MISSING = N_("Pick the role to ping with `role:` (or choose `remind:none` or `interested`).")


def starting_soon(
    post: WeeklyPost,
    schedule: WeeklySchedule,
    title: str | None,
    interested: Sequence[int],
    t: Texts = ENGLISH,
) -> Message:
    """Movie night starts soon; it pings exactly whom the server chose, and nobody else."""
    starts = {"relative": stamp(post.night_at, "R"), "time": stamp(post.night_at, "t")}
    if title is not None:
        text = t.gettext("🎬 Movie night starts {relative} ({time}): **{film}**.")
        text = text.format(film=cards.escape(title), **starts)
    else:
        text = t.gettext(
            "🎬 Movie night starts {relative} ({time}). The vote is still open: it closes {closes}."
        )
        text = text.format(closes=stamp(post.closes, "R"), **starts)
    mentions = Mentions()
    if schedule.remind == "role" and schedule.remind_role is not None:
        text = f"<@&{schedule.remind_role}> {text}"
        mentions = Mentions(roles=(schedule.remind_role,))
    elif schedule.remind == "interested" and interested:
        pinged = tuple(dict.fromkeys(interested))[:REMIND_LIMIT]
        more = len(set(interested)) - len(pinged)
        names = " ".join(f"<@{user}>" for user in pinged)
        text += "\n" + t.gettext("{members}: you marked it Interested.").format(members=names)
        if more:
            text += " " + t.gettext("(And {count} more.)").format(count=t.number(more))
        mentions = Mentions(users=pinged)
    return Message(content=text, mentions=mentions, ephemeral=False)


def closing_soon(post: WeeklyPost, t: Texts = ENGLISH) -> Message:
    """An hour before an open vote closes; pings nobody."""
    closing = t.gettext(
        "⏳ The vote for movie night on {night} closes {relative}. Still time to vote: {link}"
    )
    text = closing.format(
        night=stamp(post.night_at), relative=stamp(post.closes, "R"), link=post_link(post)
    )
    return Message(content=text, ephemeral=False)


_WHOM = {
    "none": N_("“Starting soon” {minutes} before, pinging nobody"),
    "interested": N_(
        "“Starting soon” {minutes} before, pinging the members who marked the event Interested"
    ),
    "role": N_("“Starting soon” {minutes} before, pinging <@&{role}>"),
}


def _reminder(schedule: WeeklySchedule, t: Texts) -> str:
    if not schedule.remind_minutes:
        return t.gettext("None")
    return t.gettext(_WHOM[schedule.remind]).format(
        minutes=counts.minutes(schedule.remind_minutes, t), role=schedule.remind_role
    )
