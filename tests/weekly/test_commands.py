"""/weekly's commands, a week's claim, ballots and closing, as core calls (no Discord)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from bot import weekly
from bot import weekly_cards as wcards
from bot.core import Caller
from bot.errors import NotAModerator, UserFacingError
from bot.i18n import ENGLISH
from bot.schedule import next_night
from bot.weekly_plan import spec_of
from tests.fakes import GUILD_ID, MEMBER_ID, MODERATOR_ID, OTHER_MEMBER_ID
from tests.weekly.helpers import CHANNEL_ID, at, weekly_set

MODERATOR = Caller(GUILD_ID, MODERATOR_ID, is_moderator=True)
MEMBER = Caller(GUILD_ID, MEMBER_ID)
POST_AT = at(2026, 11, 26, 18)  # Thursday 26 November, 19:00 in Berlin
NIGHT = at(2026, 11, 27, 18)  # Friday 27 November, 19:00 in Berlin


async def set_weekly(core, caller=MODERATOR, **options):
    return await weekly_set(core, caller, **options)


async def test_set_saves_the_schedule_and_shows_it_in_local_and_discord_time(core, clock):
    answer = await set_weekly(core, mode="vote")
    assert answer.ephemeral
    assert answer.content.startswith("Saved. The weekly movie night runs like this:")
    assert wcards.MISSED_THIS_WEEK in answer.content  # it is Friday noon: post time passed
    embed = answer.embeds[0]
    assert embed.description == "Every **Friday** at **19:00** (Europe/Berlin), posted in <#3001>."
    fields = {field.name: field.value for field in embed.fields}
    stamp = int(POST_AT.timestamp())
    assert fields["Next post"] == f"Thu 26 Nov 2026, 19:00 CET\n<t:{stamp}:F> · <t:{stamp}:R>"
    assert fields["Next movie night"].startswith("Fri 20 Nov 2026, 19:00 CET\n")
    assert fields["Mode"] == "A vote between 3 films, one vote each"
    assert fields["Films that keep losing"] == "A film that lost 3 votes rests for 8 weeks."
    stored = await core.store.weekly_schedule(GUILD_ID)
    assert (stored.zone, stored.mode, stored.lead_hours, stored.since) == (
        "Europe/Berlin",
        "vote",
        24,
        clock.now,
    )


async def test_set_refuses_a_channel_the_bot_cannot_post_in(core):
    problem = wcards.missing_permissions(CHANNEL_ID, ["Send Messages", "Embed Links"])
    with pytest.raises(UserFacingError) as refused:
        await set_weekly(core, channel_problem=problem)
    assert str(refused.value) == (
        "I cannot post there: I am missing Send Messages, Embed Links in <#3001>."
    )
    assert await core.store.weekly_schedule(GUILD_ID) is None


async def test_every_command_refuses_members_whatever_discord_shows(core):
    with pytest.raises(NotAModerator):
        await set_weekly(core, caller=MEMBER)
    for command in (weekly.show, weekly.turn_off, weekly.schedule_to_post):
        with pytest.raises(NotAModerator):
            await command(core, MEMBER)
    assert await core.store.weekly_schedule(GUILD_ID) is None


async def test_set_says_when_the_themes_match_nothing_yet(core):
    answer = await set_weekly(core, themes="zeppelins")
    assert wcards.THEMES_UNMATCHED in answer.content
    assert (await core.store.weekly_schedule(GUILD_ID)).themes == "zeppelins"


async def test_show_and_off(core):
    with pytest.raises(UserFacingError, match="no weekly movie night yet"):
        await weekly.show(core, MODERATOR)
    await set_weekly(core)
    assert (await weekly.show(core, MODERATOR)).embeds[0].title == "Weekly movie night"
    assert (await weekly.turn_off(core, MODERATOR)).content == wcards.TURNED_OFF
    assert await core.store.weekly_schedule(GUILD_ID) is None
    with pytest.raises(UserFacingError, match="no weekly movie night yet"):
        await weekly.turn_off(core, MODERATOR)


async def test_a_pause_is_said_in_the_language_of_each_moderator_who_reads_it(core):
    await set_weekly(core)
    reason = wcards.missing_permissions(CHANNEL_ID, ["Send Messages", "Embed Links"])
    await core.store.pause_weekly_schedule(GUILD_ID, reason)  # kept on an English server
    german = replace(MODERATOR, locale="de")
    notice = await weekly.pause_notice(core, german)
    assert "Mir fehlt in <#3001>: Nachrichten senden, Links einbetten." in notice.content
    assert "missing" not in notice.content and "Send Messages" not in notice.content
    with pytest.raises(UserFacingError) as paused:
        await weekly.schedule_to_post(core, MODERATOR)
    assert "I am missing Send Messages, Embed Links in <#3001>." in paused.value.said(ENGLISH)


async def test_a_pause_is_said_once_to_moderators_and_blocks_now(core):
    await set_weekly(core)
    reason = wcards.channel_gone(CHANNEL_ID)
    await core.store.pause_weekly_schedule(GUILD_ID, reason)
    assert await weekly.pause_notice(core, MEMBER) is None  # members are not told
    notice = await weekly.pause_notice(core, MODERATOR)
    assert notice.content == wcards.pause_line(reason) and notice.ephemeral
    assert await weekly.pause_notice(core, MODERATOR) is None  # said once
    with pytest.raises(UserFacingError) as paused:
        await weekly.schedule_to_post(core, MODERATOR)
    assert str(paused.value) == wcards.pause_line(reason)
    shown = await weekly.show(core, MODERATOR)
    assert wcards.pause_line(reason) in shown.embeds[0].description
    await set_weekly(core)  # set again: running
    assert (await weekly.schedule_to_post(core, MODERATOR)).paused_reason is None


# --- a week's post -------------------------------------------------------------------------------


async def claim(core, *, mode="pick", rng=None):
    await set_weekly(core, mode=mode)
    schedule = await core.store.weekly_schedule(GUILD_ID)
    coming = next_night(spec_of(schedule), POST_AT)
    return await weekly.claim_week(
        core,
        schedule,
        coming,
        channel_id=CHANNEL_ID,
        due_at=POST_AT,
        rng=rng or random.Random(1),
    )


async def test_a_week_is_claimed_once(core):
    post, claimed = await claim(core)
    assert claimed and post.state == "intent" and post.kind == "pick"
    again, claimed_again = await claim(core)
    assert (again.id, claimed_again) == (post.id, False)
    await core.store.record_weekly_posted(post.id, 777)
    posted = await core.store.weekly_post(post.id)
    answer = wcards.posted_now(posted, made=False)
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/777"
    assert answer.content == f"The coming movie night's pick is already posted: {link}"


async def open_vote(core):
    post, _ = await claim(core, mode="vote")
    await core.store.record_weekly_posted(post.id, 777)
    return await core.store.weekly_post(post.id)


# --- ballots --------------------------------------------------------------------------------------


async def test_one_vote_per_member_changeable_and_each_click_gets_a_receipt(core, clock):
    post = await open_vote(core)
    clock.now = POST_AT
    first = await weekly.vote(core, MEMBER, post.id, 0)
    assert first.changed and first.message.ephemeral
    assert first.message.content.startswith("You voted for **")
    await weekly.vote(core, Caller(GUILD_ID, OTHER_MEMBER_ID), post.id, 0)
    changed = await weekly.vote(core, MEMBER, post.id, 2)
    assert changed.changed and "You changed your vote from **" in changed.message.content
    same = await weekly.vote(core, MEMBER, post.id, 2)
    assert not same.changed and same.message.content.startswith("Your vote is already")
    assert await core.store.ballots(post.id) == [[2], [0]]
    shown = await weekly.post_message(core, await core.store.weekly_post(post.id), None)
    assert "**1 vote**" in shown.embeds[0].fields[2].value
    assert shown.embeds[0].footer.startswith("2 votes so far · Ties:")


async def test_a_vote_from_another_server_or_after_the_close_counts_nothing(core, clock):
    post = await open_vote(core)
    with pytest.raises(UserFacingError, match=wcards.VOTE_GONE):
        await weekly.vote(core, Caller(GUILD_ID + 1, MEMBER_ID), post.id, 0)
    with pytest.raises(UserFacingError, match=wcards.VOTE_GONE):
        await weekly.vote(core, MEMBER, post.id, 7)
    clock.now = NIGHT
    with pytest.raises(UserFacingError, match=wcards.VOTE_CLOSED):
        await weekly.vote(core, MEMBER, post.id, 0)
    assert await core.store.ballots(post.id) == []


async def test_closing_keeps_the_winner_marks_it_seen_and_happens_once(core, clock):
    post = await open_vote(core)
    clock.now = POST_AT
    await weekly.vote(core, MEMBER, post.id, 0)
    await weekly.vote(core, Caller(GUILD_ID, OTHER_MEMBER_ID), post.id, 2)
    clock.now = NIGHT
    closed, first = await weekly.close_vote(core, post.id, random.Random(7))
    assert first and closed.tie and closed.winner_slot in (0, 2)
    assert await core.store.seen_keys(GUILD_ID) == {closed.winner.film_key}
    again, first_again = await weekly.close_vote(core, post.id, random.Random(8))
    assert (again.winner_slot, first_again) == (closed.winner_slot, False)
    result = await weekly.result_message(core, closed, None)
    assert "It was a tie between" in result.content
    assert f"was drawn at random (seed {closed.seed})" in result.content
    assert closed.result == weekly.recount(closed, await core.store.ballots(post.id), closed.seed)
    shown = await weekly.post_message(core, closed, None, closed=True)
    assert all(button.disabled for button in shown.buttons[0])
    assert shown.content.endswith("Voting has closed.")
    with pytest.raises(UserFacingError, match=wcards.VOTE_CLOSED):
        await weekly.vote(core, MEMBER, post.id, 1)
