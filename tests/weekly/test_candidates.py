"""Which films a vote puts forward: members' suggestions first, then last week's losers, then
the bot's picks; films that keep losing rest. And the whole round: cast, close, announce."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from bot import suggestions, weekly, weekly_plan
from bot.errors import UserFacingError
from bot.weekly_plan import resting
from tests.fakes import GUILD_ID
from tests.weekly.helpers import ANA, BEN, CLEO, MOD, close, post_week, scheduled

pytestmark = pytest.mark.both_backends


def names(post) -> list[str]:
    return [c.title for c in post.candidates]


async def test_suggestions_come_first_most_backed_then_oldest_then_the_bots_picks(core, clock):
    schedule = await scheduled(core, size=4)
    await suggestions.suggest(core, ANA, "Night Shift")
    clock.now += timedelta(minutes=1)
    await suggestions.suggest(core, BEN, "Velvet Job")
    await suggestions.suggest(core, CLEO, "Velvet Job")
    await suggestions.suggest(core, CLEO, "Zeppelin Summer")  # a request: never a candidate
    post = await post_week(core, clock, schedule)
    assert names(post)[:2] == ["Velvet Job (1998)", "Night Shift (2015)"]
    assert [(c.suggestion_id is not None, c.backers) for c in post.candidates] == [
        (True, 2),
        (True, 1),
        (False, 0),
        (False, 0),
    ]
    shown = await weekly.post_message(core, post, None)
    assert f"\nSuggested by <@{BEN.user_id}> · 2 backers\n" in shown.embeds[0].fields[0].value


async def test_the_winner_is_watched_losers_come_back_and_a_film_that_keeps_losing_rests(
    core, clock
):
    schedule = await scheduled(core, size=2, rest_after=2, rest_weeks=1)
    await suggestions.suggest(core, ANA, "Night Shift")
    await suggestions.suggest(core, BEN, "Velvet Job")
    first = await post_week(core, clock, schedule)
    assert names(first) == ["Night Shift (2015)", "Velvet Job (1998)"]
    await weekly.vote(core, CLEO, first.id, 1)
    first = await close(core, clock, first)
    assert first.winner.title == "Velvet Job (1998)"
    open_ = await core.store.suggestions_in(GUILD_ID, "open")
    assert [s.title for s in open_] == ["Night Shift (2015)"]  # the winner's was watched

    second = await post_week(core, clock, schedule)  # Night Shift lost once: it comes back
    assert names(second)[0] == "Night Shift (2015)"
    await weekly.vote(core, CLEO, second.id, 1)
    await close(core, clock, second)

    third = await post_week(core, clock, schedule)  # Night Shift lost twice: it rests a week
    assert "Night Shift (2015)" not in names(third)
    listed = await suggestions.listing(core, ANA)
    back = (third.night_at + timedelta(weeks=1)).date()
    assert f"💤 Lost too often: back in the votes from {back:%Y-%m-%d}." in (
        listed.embeds[0].fields[0].value
    )
    await close(core, clock, third)
    fourth = await post_week(core, clock, schedule)  # rested one week: back, still suggested
    assert names(fourth)[0] == "Night Shift (2015)"


async def test_the_bots_own_loser_comes_back_next_week(core, clock):
    schedule = await scheduled(core, size=2)
    first = await post_week(core, clock, schedule)
    await weekly.vote(core, ANA, first.id, 0)
    first = await close(core, clock, first)
    second = await post_week(core, clock, schedule, seed=9)
    assert second.candidates[0].film_key == first.candidates[1].film_key  # ahead of new picks


def test_resting_worked_by_hand():
    # Lost on 1 and 8 January: with rest_after 2 it rests the 2 weeks after the 8th, so on the
    # 15th and 22nd; back on the 29th. A loss on the 29th starts a new count.
    losses = {"a": ["2027-01-01", "2027-01-08"], "b": ["2027-01-08"]}
    for week, expected in (("2027-01-15", {"a"}), ("2027-01-22", {"a"}), ("2027-01-29", set())):
        found = resting(losses, week, after=2, weeks=2)
        assert set(found) == expected
    assert resting(losses, "2027-01-15", after=2, weeks=2)["a"] == date(2027, 1, 29)


async def test_a_film_kept_out_is_never_put_forward(core, clock):
    schedule = await scheduled(core, size=4)
    for title in ("Night Shift", "Velvet Job", "Court Vision"):
        await suggestions.block(core, MOD, title)
    for seed in range(5):
        planned = await weekly_plan.choose(
            core, schedule, week="2026-11-27", rng=random.Random(seed)
        )
        assert {c.title for c in planned.candidates} == {
            "Finish Line (2011)",
            "The Quiet House (2004)",
        }


async def test_a_pick_takes_the_top_suggestion_and_closes_it_once_posted(core, clock):
    schedule = await scheduled(core, mode="pick")
    await suggestions.suggest(core, ANA, "Court Vision")
    post = await post_week(core, clock, schedule)
    assert names(post) == ["Court Vision (2019)"]
    assert await core.store.suggestions_in(GUILD_ID, "open") == []
    card = await weekly.post_message(core, post, None)
    assert card.embeds[0].fields[-1].value == f"<@{ANA.user_id}> · backed by 1 member"


# --- approval and ranked, cast and announced ------------------------------------------------------


async def test_an_approval_vote_round(core, clock):
    post = await post_week(core, clock, await scheduled(core, mode="approval"))
    first = await weekly.vote(core, ANA, post.id, 0)
    await weekly.vote(core, ANA, post.id, 2)
    assert first.message.content.startswith("You approve of **")
    took_back = await weekly.vote(core, ANA, post.id, 0)
    assert took_back.message.content == (
        f"You approve of **{post.candidates[2].title}** now. Click a film again to take it back."
    )
    await weekly.vote(core, BEN, post.id, 2)
    await weekly.vote(core, BEN, post.id, 1)
    shown = await weekly.post_message(core, await core.store.weekly_post(post.id), None)
    assert [b.label.rsplit(" · ", 1)[1] for b in shown.buttons[0]] == ["0", "1", "2"]
    closed = await close(core, clock, post)
    result = await weekly.result_message(core, closed, None)
    assert f"**{post.candidates[2].title}** won with 2 approvals from 2 ballots." in result.content


async def test_a_ranked_vote_round_step_by_step(core, clock):
    post = await post_week(core, clock, await scheduled(core, mode="ranked"))
    shown = await weekly.post_message(core, post, None)
    assert [b.label for row in shown.buttons for b in row] == ["Rank the films"]
    start = await weekly.rank(core, ANA, post.id, [])
    assert start.message.content.startswith("You have not ranked the films yet.")
    assert start.message.select.custom_id == f"weekly:ranks:{post.id}:"
    assert [o.value for o in start.message.select.options] == ["0", "1", "2"]
    step = await weekly.rank(core, ANA, post.id, [], 2)
    assert step.changed and await core.store.ballot(post.id, ANA.user_id) == [2]
    assert step.message.select.custom_id == f"weekly:ranks:{post.id}:2"
    assert [o.value for o in step.message.select.options] == ["0", "1"]
    step = await weekly.rank(core, ANA, post.id, [2], 0)
    assert step.message.content.startswith("Your ballot counts as it is now:\n1. ")
    with pytest.raises(UserFacingError, match="ranked that film already"):
        await weekly.rank(core, ANA, post.id, [2], 2)
    done = await weekly.ranked_ballot(core, ANA, post.id)
    assert done.content.startswith("Your ballot is in:\n1. ")
    await weekly.rank(core, BEN, post.id, [], 0)
    await weekly.rank(core, CLEO, post.id, [], 1)
    await weekly.rank(core, CLEO, post.id, [1], 2)
    # Round 1: slot 0: 1, slot 1: 1, slot 2: 1 — a three-way tie for fewest, one first choice
    # and no backers each: the draw drops one; then its ballot moves on.
    closed = await close(core, clock, post, seed=11)
    assert closed.result == weekly.recount(closed, await core.store.ballots(post.id), closed.seed)
    announced = await weekly.result_message(core, closed, None)
    lines = announced.content.split("\n")
    assert lines[0].endswith("won the ranked vote, counted by instant runoff (3 ballots):")
    assert lines[1].startswith("Round 1: ") and "tied for fewest" in lines[1]
    assert f"drawn at random (seed {closed.seed})" in lines[1]
    assert lines[-1] == (
        "-# Ties: more first choices, then more backers, then a random draw "
        f"(this vote's seed: {closed.seed})."
    )


# --- moderators: close early, extend -------------------------------------------------------------


async def test_close_early_and_extend(core, clock):
    with pytest.raises(UserFacingError, match="no vote open"):
        await weekly.open_vote(core, MOD)
    post = await post_week(core, clock, await scheduled(core))
    moved, answer = await weekly.extend(core, MOD, 2)
    assert moved.closes == post.night_at + timedelta(hours=2)
    assert "2 hours later" in answer.content and "after movie night starts" in answer.content
    clock.now = post.night_at + timedelta(hours=1)  # movie night began; the vote is still open
    assert (await weekly.vote(core, ANA, post.id, 1)).changed
    assert weekly_plan.decide(clock.now, [], [moved]) == [weekly_plan.WarnClosing(moved)]
    clock.now = moved.closes
    assert weekly_plan.decide(clock.now, [], [moved]) == [weekly_plan.CloseVote(moved)]
    assert (await weekly.open_vote(core, MOD)).id == post.id
