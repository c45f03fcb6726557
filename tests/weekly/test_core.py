"""The weekly core without Discord: choosing films, what is due, votes, and the store's records."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from bot import votes, weekly_plan
from bot import weekly_cards as wcards
from bot.i18n import ENGLISH
from bot.weekly_plan import _candidate
from tests.fakes import GUILD_ID
from tests.weekly.helpers import CHANNEL_ID, at, schedule

pytestmark = pytest.mark.both_backends

TITLES = {"Court Vision", "Finish Line", "Night Shift", "The Quiet House", "Velvet Job"}


def week_of(day: date, *, weeks: int) -> str:
    return (day + timedelta(weeks=weeks)).isoformat()


async def post_week(core, week: str, films, *, kind="pick", state="posted", vote_mode=None):
    """Record a week's post as the scheduler would (the night's time matters little here)."""
    night = at(*date.fromisoformat(week).timetuple()[:3], 18)
    post = await core.store.claim_weekly_post(
        GUILD_ID,
        week,
        kind=kind,
        channel_id=CHANNEL_ID,
        night_at=night,
        due_at=night - timedelta(hours=24),
        note=None,
        candidates=[_candidate(f) for f in films],
        vote_mode=vote_mode or ("vote" if kind == "vote" else None),
    )
    if state == "posted":
        await core.store.record_weekly_posted(post.id, 555)
    return await core.store.weekly_post(post.id)


async def plan(core, week: str, *, mode="pick", seed=0, **changes):
    """What the week's post would put forward under a schedule in ``mode``."""
    return await weekly_plan.choose(
        core, schedule(mode=mode, **changes), week=week, rng=random.Random(seed)
    )


def titles(planned) -> list[str]:
    return [c.title.rsplit(" (", 1)[0] for c in planned.candidates]


# --- choosing films ------------------------------------------------------------------------------


async def test_a_pick_is_never_repeated_within_eight_weeks(core):
    first = date(2026, 1, 2)
    picked = []
    for number in range(5):
        week = week_of(first, weeks=number)
        planned = await plan(core, week, seed=number)
        assert planned.kind == "pick" and planned.note is None
        picked += titles(planned)
        await post_week(core, week, [await core.store.get(planned.candidates[0].review_id)])
    assert set(picked) == TITLES  # five weeks, five different films


async def test_when_every_film_was_suggested_it_says_so_and_starts_with_the_oldest(core):
    films = {s.review.title: s for s in await core.store.visible_reviews(GUILD_ID)}
    first = date(2026, 1, 2)
    order = ["Night Shift", "Velvet Job", "Court Vision", "Finish Line", "The Quiet House"]
    for number, title in enumerate(order):
        await post_week(core, week_of(first, weeks=number), [films[title]])
    planned = await plan(core, week_of(first, weeks=5))
    assert titles(planned) == ["Night Shift"]
    assert planned.note == wcards.kept_note(wcards.RESTART_NOTE)
    vote = await plan(core, week_of(first, weeks=5), mode="vote")
    assert titles(vote) == ["Night Shift", "Velvet Job", "Court Vision"]


async def test_a_film_comes_back_after_eight_weeks(core):
    films = await core.store.visible_reviews(GUILD_ID)
    first = date(2026, 1, 2)
    await post_week(core, first.isoformat(), films[:1])
    for other in films[1:]:
        await core.store.mark_seen(GUILD_ID, other.film_key, by=None)
    eight_weeks_on = await plan(core, week_of(first, weeks=8))
    assert eight_weeks_on.note == wcards.kept_note(wcards.RESTART_NOTE)  # within 8 weeks
    nine_weeks_on = await plan(core, week_of(first, weeks=9))
    assert nine_weeks_on.candidates == (_candidate(films[0]),) and nine_weeks_on.note is None


async def test_a_seen_film_is_never_put_forward(core):
    films = await core.store.visible_reviews(GUILD_ID)
    for seen in films[:3]:
        await core.store.mark_seen(GUILD_ID, seen.film_key, by=None)
    for seed in range(10):
        planned = await plan(core, "2026-01-02", mode="vote", seed=seed)
        assert set(planned.candidates) == {_candidate(f) for f in films[3:]}  # still a vote
        assert planned.kind == "vote"


async def test_with_one_film_left_a_vote_becomes_a_pick_and_with_none_it_says_so(core):
    films = await core.store.visible_reviews(GUILD_ID)
    for seen in films[1:]:
        await core.store.mark_seen(GUILD_ID, seen.film_key, by=None)
    planned = await plan(core, "2026-01-02", mode="ranked")
    assert (planned.kind, planned.candidates, planned.note) == (
        "pick",
        (_candidate(films[0]),),
        wcards.kept_note(wcards.ONE_LEFT_NOTE),
    )
    await core.store.mark_seen(GUILD_ID, films[0].film_key, by=None)
    empty = await plan(core, "2026-01-02")
    assert (empty.kind, empty.candidates) == ("none", ())


async def test_themes_narrow_the_pool_and_fall_back_when_nothing_matches(core):
    for seed in range(5):
        planned = await plan(core, "2026-01-02", themes="heist", seed=seed)
        assert titles(planned) == ["Velvet Job"]
    fallback = await plan(core, "2026-01-02", mode="vote", themes="zeppelins")
    assert len(fallback.candidates) == 3
    said = wcards.said_note(fallback.note, ENGLISH)
    assert said.startswith("Nothing unseen matches the themes “zeppelins”")


async def test_vote_candidates_are_as_many_different_films_as_the_size(core):
    for seed in range(10):
        planned = await plan(core, "2026-01-02", mode="approval", seed=seed, size=4)
        assert planned.kind == "vote"
        assert len({c.film_key for c in planned.candidates}) == 4


# --- what is due ---------------------------------------------------------------------------------

NIGHT = at(2026, 11, 27, 18)  # Friday 27 November 2026, 19:00 in Berlin
POST_AT = at(2026, 11, 26, 18)


def test_nothing_is_due_before_the_post_time():
    assert weekly_plan.decide(POST_AT - timedelta(minutes=1), [schedule()], []) == []


def test_the_post_is_due_at_its_time_and_until_six_hours_late():
    for now in (POST_AT, POST_AT + timedelta(hours=5, minutes=59)):
        (action,) = weekly_plan.decide(now, [schedule()], [])
        assert isinstance(action, weekly_plan.PostDue)
        assert action.occurrence.week == "2026-11-27"


def test_six_hours_late_or_after_movie_night_began_it_is_skipped():
    (late,) = weekly_plan.decide(POST_AT + timedelta(hours=6), [schedule()], [])
    assert isinstance(late, weekly_plan.SkipDue) and late.late == timedelta(hours=6)
    short_lead = schedule(lead_hours=2)
    (started,) = weekly_plan.decide(NIGHT + timedelta(minutes=1), [short_lead], [])
    assert isinstance(started, weekly_plan.SkipDue)


def test_a_post_time_before_the_schedule_was_set_is_not_due():
    fresh = schedule(since=POST_AT + timedelta(hours=1))
    assert weekly_plan.decide(POST_AT + timedelta(hours=2), [fresh], []) == []


def test_a_paused_schedule_posts_nothing():
    paused = schedule(paused_reason="its channel was deleted.")
    assert weekly_plan.decide(POST_AT, [paused], []) == []


async def test_recorded_weeks_intents_and_votes_to_close(core):
    films = await core.store.visible_reviews(GUILD_ID)
    done = await post_week(core, "2026-11-27", films[:1])
    assert weekly_plan.decide(POST_AT, [schedule()], [done]) == []
    intent = await post_week(core, "2026-12-04", films[1:2], state="intent")
    vote = await post_week(core, "2026-11-20", films[2:5], kind="vote")
    actions = weekly_plan.decide(POST_AT, [schedule()], [done, intent, vote])
    assert weekly_plan.RecoverPost(intent) in actions
    assert weekly_plan.CloseVote(vote) in actions
    assert len(actions) == 2


async def test_an_unsent_intent_is_given_up_six_hours_late_or_once_the_night_began(core):
    films = await core.store.visible_reviews(GUILD_ID)
    post = await post_week(core, "2026-11-27", films[:1], state="intent")
    assert (post.due_at, post.night_at) == (NIGHT - timedelta(hours=24), NIGHT)
    assert not weekly_plan.too_late(post.due_at + timedelta(hours=5, minutes=59), post)
    assert weekly_plan.too_late(post.due_at + timedelta(hours=6), post)
    soon = replace(post, due_at=NIGHT - timedelta(hours=1))
    assert weekly_plan.too_late(NIGHT, soon)


# --- ballots -------------------------------------------------------------------------------------


async def test_a_member_has_one_ballot_kept_as_cast(core):
    films = await core.store.visible_reviews(GUILD_ID)
    post = await post_week(core, "2026-11-27", films[:3], kind="vote", vote_mode="ranked")
    assert await core.store.ballot(post.id, 1) == []
    await core.store.cast_ballot(post.id, 1, [2, 0])
    await core.store.cast_ballot(post.id, 2, [1])
    await core.store.cast_ballot(post.id, 1, [2, 0, 1])
    assert await core.store.ballot(post.id, 1) == [2, 0, 1]
    assert await core.store.ballots(post.id) == [[2, 0, 1], [1]]


# --- the store's records -------------------------------------------------------------------------


async def test_a_week_is_claimed_once_but_a_skipped_week_can_be_claimed(core):
    films = await core.store.visible_reviews(GUILD_ID)
    first = await post_week(core, "2026-11-27", films[:1], state="intent")
    assert first.state == "intent"
    again = await core.store.claim_weekly_post(
        GUILD_ID,
        "2026-11-27",
        kind="pick",
        channel_id=CHANNEL_ID,
        night_at=NIGHT,
        due_at=POST_AT,
        note=None,
        candidates=[],
    )
    assert again is None
    assert await core.store.skip_weekly_post(
        GUILD_ID, "2026-12-04", channel_id=CHANNEL_ID, night_at=NIGHT, due_at=POST_AT
    )
    claimed = await post_week(core, "2026-12-04", films[1:2], state="intent")
    assert claimed.state == "intent" and claimed.candidates[0].review_id == films[1].id


async def test_a_pause_is_told_once(core):
    await core.store.set_weekly_schedule(schedule())
    assert await core.store.take_pause_notice(GUILD_ID) is None
    assert await core.store.pause_weekly_schedule(GUILD_ID, "its channel was deleted.")
    assert not await core.store.pause_weekly_schedule(GUILD_ID, "its channel was deleted.")
    assert await core.store.take_pause_notice(GUILD_ID) == "its channel was deleted."
    assert await core.store.take_pause_notice(GUILD_ID) is None
    await core.store.set_weekly_schedule(schedule())  # set again: running, nothing to tell
    assert (await core.store.weekly_schedule(GUILD_ID)).paused_reason is None


# --- what posts say ------------------------------------------------------------------------------


async def test_the_pick_card_starts_with_its_marker_and_says_when(core):
    films = await core.store.visible_reviews(GUILD_ID)
    post = await post_week(core, "2026-11-27", films[:1])
    card = wcards.pick_card(post, films[0])
    stamp = int(NIGHT.timestamp())
    assert card.content.startswith(f"🍿 Movie night on <t:{stamp}:F> (<t:{stamp}:R>)")
    assert card.embeds[0].title == f"{films[0].review.title} ({films[0].review.year})"
    assert card.to_discord()["allowed_mentions"] == {"parse": []}


async def test_the_vote_card_counts_and_closes(core):
    films = await core.store.visible_reviews(GUILD_ID)
    post = await post_week(core, "2026-11-27", films[:3], kind="vote")
    open_card = wcards.vote_card(post, dict(enumerate(films[:3])), [[1], [1]], {})
    labels = [button.label for button in open_card.buttons[0]]
    assert labels[1] == f"{films[1].review.title} ({films[1].review.year}) · 2"
    assert [b.custom_id for b in open_card.buttons[0]] == [
        f"weekly:vote:{post.id}:{slot}" for slot in range(3)
    ]
    assert open_card.embeds[0].footer.startswith("2 votes so far · Ties: more first choices")
    await core.store.close_weekly_vote(post.id, votes.count("vote", [0, 1, 2], [[1], [1]], {}, 1))
    closed_post = await core.store.weekly_post(post.id)
    closed = wcards.vote_card(closed_post, dict(enumerate(films[:3])), [[1], [1]], {}, closed=True)
    assert all(button.disabled for button in closed.buttons[0])
    assert closed.embeds[0].fields[1].name.startswith("🏆 2.")


def test_nonces_are_stable_short_and_distinct():
    nonce = weekly_plan.nonce_for(GUILD_ID, "2026-11-27", "post")
    assert nonce == weekly_plan.nonce_for(GUILD_ID, "2026-11-27", "post")
    assert len(nonce) <= 25
    assert nonce != weekly_plan.nonce_for(GUILD_ID, "2026-12-04", "post")
    assert nonce != weekly_plan.nonce_for(GUILD_ID, "2026-11-27", "result")
    assert nonce != weekly_plan.nonce_for(GUILD_ID + 1, "2026-11-27", "post")


async def test_a_long_title_keeps_its_count_on_the_button(core):
    films = await core.store.visible_reviews(GUILD_ID)
    post = await post_week(core, "2026-11-27", films[:3], kind="vote")
    long = replace(post.candidates[0], title="A Very Long Title " * 8)
    post = replace(post, candidates=(long, *post.candidates[1:]))
    label = wcards.vote_card(post, {}, [[0]] * 12, {}).buttons[0][0].label
    assert len(label) <= 80 and label.endswith("… · 12")
