"""What the club's memory says: /history's pages of movie nights, and /stats for a year."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot import cards, counts
from bot.i18n import ENGLISH, N_, Texts
from bot.message import Embed, Field, File, Message
from bot.store.history import Night, YearFigures
from bot.store.suggestions import Suggestion
from bot.votes import Result

PAGE_SIZE = 5
CHART = "stats.png"
NO_NIGHTS = N_("No movie night is recorded yet: they are, once `/weekly` runs them.")
_SETTLED = {
    "first choices": N_("; a tie, settled by more first choices"),
    "backers": N_("; a tie, settled by more backers"),
}


def _tie(result: Result, t: Texts) -> str:
    tie = result.tie or next((r.tie for r in result.rounds if r.tie), None)
    if tie is None:
        return ""
    if tie.by == "draw":
        return t.gettext("; a tie, drawn at random (seed {seed})").format(seed=result.seed)
    return t.gettext(_SETTLED[tie.by])


def how_chosen(night: Night, t: Texts = ENGLISH) -> str:
    """How the night's film was chosen, with the vote's numbers and rounds."""
    result = night.result
    if result is None:
        if night.suggested_by is None:
            return t.gettext("Picked by the bot")
        return t.gettext("Picked: the top suggestion")
    winner, first = result.winner, result.rounds[0].counts
    if result.ballots == 0:
        return t.gettext("Nobody voted; the tie rule chose it") + _tie(result, t)
    ballots = counts.ballots(result.ballots, t)
    if result.mode == "ranked":
        path = " → ".join(str(r.counts.get(winner, 0)) for r in result.rounds)
        ranked = t.gettext(
            "Ranked vote: won in round {round} of instant runoff ({path} of {ballots})"
        )
        return ranked.format(round=len(result.rounds), path=path, ballots=ballots) + _tie(result, t)
    if result.mode == "approval":
        approval = t.gettext("Approval vote: {approvals} from {ballots}")
        approvals = counts.approvals(first[winner], t)
        return approval.format(approvals=approvals, ballots=ballots) + _tie(result, t)
    vote = t.gettext("Vote: {count} of {votes}")
    votes = counts.votes(sum(first.values()), t)
    return vote.format(count=first[winner], votes=votes) + _tie(result, t)


def _night_field(night: Night, t: Texts) -> Field:
    day = date.fromisoformat(night.week)
    lines = [how_chosen(night, t)]
    if night.suggested_by is not None:
        suggested = t.gettext("Suggested by <@{user}> ({backers})")
        backers = counts.backers(night.backers, t)
        lines.append(suggested.format(user=night.suggested_by, backers=backers))
    if night.interested is not None:
        interested = t.ngettext(
            "{count} member marked it Interested",
            "{count} members marked it Interested",
            night.interested,
        )
        lines.append(interested.format(count=t.number(night.interested)))
    return Field(f"{t.weekday_day(day)} · {night.title}", "\n".join(lines))


def history_page(nights: Sequence[Night], page: int, total: int, t: Texts = ENGLISH) -> Message:
    """A page of /history, the latest night first."""
    if not nights:
        return cards.notice(t.gettext(NO_NIGHTS))
    count = cards.pages(total, PAGE_SIZE)
    footer = f"{cards.page_footer(page, count, t)} · {counts.nights(total, t)}"
    return Message(
        embeds=[
            Embed(
                t.gettext("Movie nights"),
                fields=[_night_field(night, t) for night in nights],
                footer=footer,
                color=cards.COLOR,
            )
        ],
        buttons=cards.page_buttons("history", page, count, t),
        ephemeral=True,
    )


def stats_card(
    figures: YearFigures, backed: Sequence[Suggestion], chart: bytes, t: Texts = ENGLISH
) -> Message:
    """/stats: the year's figures in words, and the same as a chart."""
    months = " · ".join(
        f"{name} {count}" for name, count in zip(t.months(), figures.per_month, strict=True)
    )
    backing = "\n".join(
        f"{number}. {cards.escape(s.title)} — {counts.backers(len(s.backers), t)}"
        for number, s in enumerate(backed, start=1)
    )
    suggested = t.gettext("<@{user}> — {films} suggested, {watched} watched")
    suggesters = "\n".join(
        suggested.format(user=user, films=counts.films(count, t), watched=watched)
        for user, count, watched in figures.suggesters
    )
    nobody = t.gettext("Nobody suggested a film in {year} yet.").format(year=figures.year)
    fields = [
        Field(t.gettext("Movie nights held"), t.number(figures.nights), inline=True),
        Field(t.gettext("Films per month"), months),
        Field(
            t.gettext("Most backed, not watched yet"),
            backing or t.gettext("Nothing is suggested right now."),
        ),
        Field(t.gettext("Top suggesters"), suggesters or nobody),
    ]
    return Message(
        embeds=[
            Embed(
                t.gettext("This server's {year} at the movies").format(year=figures.year),
                fields=fields,
                color=cards.COLOR,
                image=f"attachment://{CHART}",
            )
        ],
        files=[File(CHART, chart)],
        ephemeral=True,
    )
