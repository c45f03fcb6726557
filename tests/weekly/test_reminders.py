"""Reminders as core rules: whom "starting soon" may ping (exactly the interested members, or
one role, or nobody; never @everyone), and when each reminder is due, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot import weekly, weekly_plan
from bot import weekly_cards as wcards
from bot.errors import UserFacingError
from bot.store.weekly import Candidate, WeeklyPost, WeeklySchedule
from tests.fakes import GUILD_ID
from tests.weekly.helpers import CHANNEL_ID, at, weekly_set
from tests.weekly.helpers import schedule as plain_schedule

pytestmark = pytest.mark.both_backends

NIGHT = at(2026, 11, 27, 18)
ROLE = 7001


def schedule(**changes) -> WeeklySchedule:
    return plain_schedule(**({"mode": "vote"} | changes))


def post(**changes) -> WeeklyPost:
    values = {
        "id": 1,
        "guild_id": GUILD_ID,
        "week": "2026-11-27",
        "kind": "pick",
        "state": "posted",
        "channel_id": CHANNEL_ID,
        "night_at": NIGHT,
        "due_at": NIGHT - timedelta(hours=24),
        "note": None,
        "created_at": NIGHT - timedelta(hours=24),
        "message_id": 55,
        "posted_at": NIGHT - timedelta(hours=24),
        "winner_slot": None,
        "tie": False,
        "closed_at": None,
        "result_state": None,
        "result_message_id": None,
        "event_id": 99,
        "candidates": (Candidate(0, 1, "brick|2005", "Brick (2005)"),),
    }
    return WeeklyPost(**(values | changes))


# --- whom it pings -------------------------------------------------------------------------------


def test_interested_pings_exactly_the_members_who_marked_the_event():
    message = weekly.starting_soon(post(), schedule(remind="interested"), [11, 12, 11], None)
    assert message.content.endswith("**Brick (2005)**.\n<@11> <@12>: you marked it Interested.")
    assert message.to_discord()["allowed_mentions"] == {"parse": [], "users": ["11", "12"]}


def test_a_long_interested_list_pings_the_first_eighty_and_counts_the_rest():
    message = weekly.starting_soon(post(), schedule(remind="interested"), list(range(1, 101)), None)
    allowed = message.to_discord()["allowed_mentions"]
    assert allowed["users"] == [str(user) for user in range(1, 81)]
    assert message.content.endswith("(And 20 more.)")
    assert len(message.to_discord()["content"]) <= 2000


def test_a_role_pings_that_role_only_and_none_pings_nobody():
    role = weekly.starting_soon(post(), schedule(remind="role", remind_role=ROLE), [11], None)
    assert role.content.startswith(f"<@&{ROLE}> 🎬 Movie night starts <t:")
    assert role.to_discord()["allowed_mentions"] == {"parse": [], "roles": [str(ROLE)]}
    nobody = weekly.starting_soon(post(), schedule(remind="none"), [11], None)
    assert "<@" not in nobody.content
    assert nobody.to_discord()["allowed_mentions"] == {"parse": []}


def test_an_open_vote_is_not_named_but_a_closed_one_is():
    two = (*post().candidates, Candidate(1, 2, "memento|2000", "Memento (2000)"))
    open_vote = post(kind="vote", candidates=two)
    soon = weekly.starting_soon(open_vote, schedule(), [], None)
    assert soon.content.endswith(". The vote is still open: it closes <t:1795802400:R>.")
    closed = replace(open_vote, winner_slot=1)
    assert weekly.starting_soon(closed, schedule(), [], None).content.endswith(
        "**Memento (2000)**."
    )


async def test_set_refuses_a_missing_role_and_everyone(core):
    with pytest.raises(UserFacingError, match="Pick the role to ping"):
        await weekly_set(core, remind="role")
    with pytest.raises(UserFacingError, match="can't ping @everyone"):
        await weekly_set(core, remind="role", remind_role=GUILD_ID)
    answer = await weekly_set(core, remind="interested", remind_role=ROLE)
    stored = await core.store.weekly_schedule(GUILD_ID)
    assert (stored.remind, stored.remind_role, stored.remind_minutes) == ("interested", None, 15)
    fields = {field.name: field.value for field in answer.embeds[0].fields}
    assert fields["Reminder"] == (
        "“Starting soon” 15 minutes before, pinging the members who marked the event Interested"
    )


# --- when -----------------------------------------------------------------------------------------


def test_starting_soon_is_due_from_its_minutes_before_until_movie_night_and_once():
    every = schedule(remind_minutes=15)
    soon = NIGHT - timedelta(minutes=15)
    assert weekly_plan.decide(soon - timedelta(seconds=1), [every], [post()]) == []
    assert weekly_plan.decide(soon, [every], [post()]) == [weekly_plan.RemindSoon(post(), every)]
    assert weekly_plan.decide(NIGHT, [every], [post()]) == []  # too late: movie night began
    done = post(soon_state="posted")
    assert weekly_plan.decide(soon, [every], [done]) == []
    assert weekly_plan.decide(soon, [schedule(remind_minutes=0)], [post()]) == []
    assert weekly_plan.decide(soon, [], [post()]) == []  # the schedule was turned off


def test_the_closing_warning_is_due_an_hour_before_an_open_vote_closes_and_once():
    vote = post(kind="vote")
    hour = NIGHT - timedelta(hours=1)
    assert weekly_plan.decide(hour, [], [vote]) == [weekly_plan.WarnClosing(vote)]
    assert weekly_plan.decide(hour - timedelta(seconds=1), [], [vote]) == []
    assert weekly_plan.decide(hour, [], [post(kind="vote", closing_state="posted")]) == []
    late_post = post(kind="vote", posted_at=hour + timedelta(minutes=1))
    assert weekly_plan.decide(hour + timedelta(minutes=2), [], [late_post]) == []
    moved = post(kind="vote", closes_at=NIGHT + timedelta(hours=2))
    assert weekly_plan.decide(NIGHT + timedelta(hours=1), [], [moved]) == [
        weekly_plan.WarnClosing(moved)
    ]
    warning = wcards.closing_soon(vote)
    assert warning.content.startswith("⏳ The vote for movie night on <t:1795802400:F> closes")
    assert warning.to_discord()["allowed_mentions"] == {"parse": []}
