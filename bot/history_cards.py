"""What the club's memory says: /history's pages of movie nights, and /stats for a year."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot import cards
from bot.charts import MONTHS
from bot.message import Embed, Field, File, Message
from bot.store.history import Night, YearFigures
from bot.store.suggestions import Suggestion
from bot.votes import Result

PAGE_SIZE = 5
CHART = "stats.png"
NO_NIGHTS = "No movie night is recorded yet: they are, once `/weekly` runs them."
_DRAWN = {"first choices": "more first choices", "backers": "more backers", "draw": "a draw"}


def _tie(result: Result) -> str:
    tie = result.tie or next((r.tie for r in result.rounds if r.tie), None)
    if tie is None:
        return ""
    if tie.by == "draw":
        return f"; a tie, drawn at random (seed {result.seed})"
    return f"; a tie, settled by {_DRAWN[tie.by]}"


def how_chosen(night: Night) -> str:
    """How the night's film was chosen, with the vote's numbers and rounds."""
    result = night.result
    if result is None:
        return "Picked by the bot" if night.suggested_by is None else "Picked: the top suggestion"
    winner, first = result.winner, result.rounds[0].counts
    if result.ballots == 0:
        return f"Nobody voted; the tie rule chose it{_tie(result)}"
    if result.mode == "ranked":
        path = " → ".join(str(r.counts.get(winner, 0)) for r in result.rounds)
        return (
            f"Ranked vote: won in round {len(result.rounds)} of instant runoff "
            f"({path} of {cards.plural(result.ballots, 'ballot')}){_tie(result)}"
        )
    if result.mode == "approval":
        return (
            f"Approval vote: {cards.plural(first[winner], 'approval')} from "
            f"{cards.plural(result.ballots, 'ballot')}{_tie(result)}"
        )
    return f"Vote: {first[winner]} of {cards.plural(sum(first.values()), 'vote')}{_tie(result)}"


def _night_field(night: Night) -> Field:
    day = date.fromisoformat(night.week)
    lines = [how_chosen(night)]
    if night.suggested_by is not None:
        lines.append(
            f"Suggested by <@{night.suggested_by}> ({cards.plural(night.backers, 'backer')})"
        )
    if night.interested is not None:
        lines.append(f"{cards.plural(night.interested, 'member')} marked it Interested")
    return Field(f"{day:%a %d %b %Y} · {night.title}", "\n".join(lines))


def history_page(nights: Sequence[Night], page: int, total: int) -> Message:
    """A page of /history, the latest night first."""
    if not nights:
        return cards.notice(NO_NIGHTS)
    count = cards.pages(total, PAGE_SIZE)
    return Message(
        embeds=[
            Embed(
                "Movie nights",
                fields=[_night_field(night) for night in nights],
                footer=f"Page {page + 1} of {count} · {cards.plural(total, 'movie night')}",
                color=cards.COLOR,
            )
        ],
        buttons=cards.page_buttons("history", page, count),
        ephemeral=True,
    )


def stats_card(figures: YearFigures, backed: Sequence[Suggestion], chart: bytes) -> Message:
    """/stats: the year's figures in words, and the same as a chart."""
    months = " · ".join(
        f"{name} {count}" for name, count in zip(MONTHS, figures.per_month, strict=True)
    )
    backing = "\n".join(
        f"{number}. {cards.escape(s.title)} — {cards.plural(len(s.backers), 'backer')}"
        for number, s in enumerate(backed, start=1)
    )
    suggesters = "\n".join(
        f"<@{user}> — {cards.plural(count, 'film')} suggested, {watched} watched"
        for user, count, watched in figures.suggesters
    )
    fields = [
        Field("Movie nights held", str(figures.nights), inline=True),
        Field("Films per month", months),
        Field("Most backed, not watched yet", backing or "Nothing is suggested right now."),
        Field("Top suggesters", suggesters or f"Nobody suggested a film in {figures.year} yet."),
    ]
    return Message(
        embeds=[
            Embed(
                f"This server's {figures.year} at the movies",
                fields=fields,
                color=cards.COLOR,
                image=f"attachment://{CHART}",
            )
        ],
        files=[File(CHART, chart)],
        ephemeral=True,
    )
