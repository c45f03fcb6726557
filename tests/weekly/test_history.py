"""The club's memory as core calls: every movie night recorded once with how it was chosen, who
suggested it and how many were interested; /history's pages and /stats' figures and chart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import history, suggestions
from bot import history_cards as hcards
from bot.core import Caller
from bot.store.history import Night
from bot.votes import Round, Tie, count
from tests.fakes import GUILD_ID
from tests.weekly.helpers import ANA, BEN, CLEO, at, close, post_week, scheduled

pytestmark = pytest.mark.both_backends

ME = Caller(GUILD_ID, 2001)
NIGHT = at(2026, 11, 27, 18)


def night(**changes) -> Night:
    values = {
        "week": "2026-11-27",
        "night_at": NIGHT,
        "title": "Brick (2005)",
        "film_key": "brick|2005",
        "how": "pick",
        "result": None,
        "suggested_by": None,
        "backers": 0,
        "interested": None,
    }
    return Night(**(values | changes))


# --- records --------------------------------------------------------------------------------------


async def test_a_pick_and_a_vote_are_each_recorded_once(core, clock):
    await suggestions.suggest(core, ANA, "Court Vision")
    await suggestions.suggest(core, BEN, "Court Vision")
    pick = await post_week(core, clock, await scheduled(core, mode="pick"))
    await core.store.record_weekly_posted(pick.id, 1234)  # recorded twice: one night
    await core.store.set_interested(pick.id, 4)
    vote = await post_week(core, clock, await scheduled(core, mode="approval"))
    await core.store.cast_ballot(vote.id, CLEO.user_id, [1])
    closed = await close(core, clock, vote)
    await close(core, clock, vote)
    latest, first = await core.store.nights(GUILD_ID, limit=10)
    assert (first.week, first.title, first.how, first.result) == (
        pick.week,
        "Court Vision (2019)",
        "pick",
        None,
    )
    assert (first.suggested_by, first.backers, first.interested) == (ANA.user_id, 2, 4)
    assert (latest.week, latest.how, latest.interested) == (vote.week, "approval", None)
    assert latest.title == closed.winner.title and latest.result == closed.result
    assert await core.store.night_count(GUILD_ID) == 2


# --- how it was chosen ----------------------------------------------------------------------------


def test_how_each_night_was_chosen_is_said_with_its_numbers():
    assert hcards.how_chosen(night()) == "Picked by the bot"
    assert hcards.how_chosen(night(suggested_by=5)) == "Picked: the top suggestion"
    vote = count("vote", [0, 1], [[1], [1], [0]], {}, seed=3)
    assert hcards.how_chosen(night(how="vote", result=vote)) == "Vote: 2 of 3 votes"
    approval = count("approval", [0, 1], [[0, 1], [1]], {}, seed=3)
    assert hcards.how_chosen(night(how="approval", result=approval)) == (
        "Approval vote: 2 approvals from 2 ballots"
    )
    # Ranked, as in test_votes: 4 A-B, 3 B-C, 2 C-B: B wins in round 3 with 3, 3, then 5 of 9.
    ballots = [[0, 1]] * 4 + [[1, 2]] * 3 + [[2, 1]] * 2
    ranked = count("ranked", [0, 1, 2, 3], ballots, {}, seed=3)
    assert hcards.how_chosen(night(how="ranked", result=ranked)) == (
        "Ranked vote: won in round 3 of instant runoff (3 → 3 → 5 of 9 ballots)"
    )
    drawn = count("vote", [0, 1], [[0], [1]], {}, seed=8)
    assert hcards.how_chosen(night(how="vote", result=drawn)) == (
        "Vote: 1 of 2 votes; a tie, drawn at random (seed 8)"
    )
    backed = count("vote", [0, 1], [], {1: 2}, seed=8)
    assert backed.tie == Tie((0, 1), 1, "backers", True)
    assert hcards.how_chosen(night(how="vote", result=backed)) == (
        "Nobody voted; the tie rule chose it; a tie, settled by more backers"
    )
    assert ranked.rounds[-1] == Round({0: 4, 1: 5})


async def test_history_pages_the_latest_night_first(core, clock):
    assert (await history.history(core, ME)).content == hcards.NO_NIGHTS
    schedule = await scheduled(core, mode="pick")
    for _ in range(6):
        await post_week(core, clock, schedule)
    first = await history.history(core, ME)
    fields = first.embeds[0].fields
    assert len(fields) == hcards.PAGE_SIZE
    assert fields[0].name.startswith("Fri 01 Jan 2027 · ")  # six Fridays from 27 November
    assert fields[0].value == "Picked by the bot"
    assert first.embeds[0].footer == "Page 1 of 2 · 6 movie nights"
    assert first.buttons[0][1].custom_id == "history:page:1"
    second = await history.history(core, ME, 1)
    assert [f.name[:15] for f in second.embeds[0].fields] == ["Fri 27 Nov 2026"]


# --- the year -------------------------------------------------------------------------------------


async def test_stats_give_the_years_figures_in_words_and_in_a_chart(core, clock):
    await suggestions.suggest(core, ANA, "Velvet Job")
    await suggestions.suggest(core, BEN, "Velvet Job")
    await suggestions.suggest(core, ANA, "Night Shift")
    await suggestions.suggest(core, BEN, "Court Vision")
    await suggestions.suggest(core, CLEO, "Zeppelin Summer")  # a request: not in the chart
    await core.store.mark_seen(GUILD_ID, "night shift|2015", by=None)
    schedule = await scheduled(core, mode="pick")
    await post_week(core, clock, schedule)  # 27 Nov: the top suggestion, Velvet Job
    await post_week(core, clock, schedule)  # 4 Dec: the next, Night Shift (seen, but suggested)
    clock.now = at(2026, 12, 20)
    stats = await history.stats(core, ME)
    embed = stats.embeds[0]
    assert embed.title == "This server's 2026 at the movies"
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Movie nights held"] == "2"
    assert fields["Films per month"].endswith("Oct 0 · Nov 1 · Dec 1")
    assert fields["Most backed, not watched yet"] == "1. Court Vision (2019) — 1 backer"
    assert fields["Top suggesters"] == (
        f"<@{ANA.user_id}> — 2 films suggested, 2 watched\n"
        f"<@{BEN.user_id}> — 1 film suggested, 0 watched\n"
        f"<@{CLEO.user_id}> — 1 film suggested, 0 watched"
    )
    (chart,) = stats.files
    assert chart.name == "stats.png" and chart.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert embed.image == "attachment://stats.png"
    assert stats.to_discord()["attachments"] == [{"id": 0, "filename": "stats.png"}]
    clock.now += timedelta(days=30)  # a new year, in the server's zone
    assert (await history.stats(core, ME)).embeds[0].fields[0].value == "0"
