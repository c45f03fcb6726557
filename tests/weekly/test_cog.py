"""The /weekly cog and its scheduler, driven by the fake clock against a fake server."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import timedelta

import discord
import pytest
from discord import app_commands

from bot import weekly
from bot.discord_weekly import VOTE_TEMPLATE, VoteButton
from bot.errors import UserFacingError
from bot.schedule import Weekday
from cogs.weekly import Weekly
from tests.fakes import (
    GUILD_ID,
    MEMBER_ID,
    MODERATOR_ID,
    OTHER_MEMBER_ID,
    fake_interaction,
    sent,
    stateless,
)
from tests.weekly.helpers import CHANNEL_ID, FakeServer, at, http_error

POST_AT = at(2026, 11, 26, 18)  # Thursday 26 November, 19:00 in Berlin
NIGHT = at(2026, 11, 27, 18)  # Friday 27 November, 19:00 in Berlin
WEEK = "2026-11-27"


def moderator(server: FakeServer):
    return fake_interaction(server.core, user_id=MODERATOR_ID, manage_guild=True, client=server.bot)


def member(server: FakeServer, user_id: int = MEMBER_ID):
    return fake_interaction(server.core, user_id=user_id, client=server.bot)


async def set_weekly(cog: Weekly, server: FakeServer, **options) -> dict:
    """/weekly set for Fridays at 19:00 in Berlin (options override), as a moderator."""
    values = {
        "channel": server.channel,
        "day": Weekday.Friday,
        "time": "19:00",
        "timezone": "Europe/Berlin",
    }
    values.update(options)
    interaction = moderator(server)
    await Weekly.weekly_set.callback(cog, interaction, **values)
    return sent(interaction)


@pytest.fixture
def cog(server):
    return server.cog()


# --- /weekly set, show, off --------------------------------------------------------------------


async def test_set_saves_the_schedule_and_shows_it_in_local_and_discord_time(cog, server, clock):
    answer = await set_weekly(cog, server, timezone="europe/berlin", mode="vote")
    assert answer["ephemeral"] is True
    assert answer["content"].startswith("Saved. The weekly movie night runs like this:")
    assert weekly.MISSED_THIS_WEEK in answer["content"]  # it is Friday noon: post time passed
    embed = answer["embeds"][0].to_dict()
    assert embed["description"] == (
        "Every **Friday** at **19:00** (Europe/Berlin), posted in <#3001>."
    )
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    stamp = int(POST_AT.timestamp())
    assert fields["Next post"] == f"Thu 26 Nov 2026, 19:00 CET\n<t:{stamp}:F> · <t:{stamp}:R>"
    assert fields["Next movie night"].startswith("Fri 20 Nov 2026, 19:00 CET\n")
    assert fields["Mode"] == "A vote between 3 films"
    stored = await server.core.store.weekly_schedule(GUILD_ID)
    assert (stored.zone, stored.mode, stored.lead_hours, stored.since) == (
        "Europe/Berlin",
        "vote",
        24,
        clock.now,
    )


@pytest.mark.parametrize(
    ("options", "refusal"),
    [
        ({"time": "25:99"}, "`25:99` is not a time of day"),
        ({"timezone": "Mars/Olympus"}, "`Mars/Olympus` is not a time zone I know"),
    ],
)
async def test_set_refuses_a_bad_time_or_zone(cog, server, options, refusal):
    with pytest.raises(UserFacingError, match=refusal):
        await set_weekly(cog, server, **options)
    assert await server.core.store.weekly_schedule(GUILD_ID) is None


async def test_set_checks_the_channel_permissions_up_front(cog, server):
    server.permissions = discord.Permissions(view_channel=True, read_message_history=True)
    with pytest.raises(UserFacingError) as refused:
        await set_weekly(cog, server)
    assert str(refused.value) == (
        "I cannot post there: I am missing Send Messages, Embed Links in <#3001>."
    )
    assert await server.core.store.weekly_schedule(GUILD_ID) is None


async def test_set_says_when_the_themes_match_nothing_yet(cog, server):
    answer = await set_weekly(cog, server, themes="zeppelins")
    assert weekly.THEMES_UNMATCHED in answer["content"]
    assert (await server.core.store.weekly_schedule(GUILD_ID)).themes == "zeppelins"


async def test_set_keeps_themes_with_a_stray_surrogate(cog, server):
    await set_weekly(cog, server, themes="heist \ud800")
    assert (await server.core.store.weekly_schedule(GUILD_ID)).themes == "heist \ufffd"


async def test_show_and_off(cog, server):
    interaction = moderator(server)
    await Weekly.weekly_show.callback(cog, interaction)
    assert sent(interaction)["content"] == weekly.NO_SCHEDULE
    await set_weekly(cog, server)
    interaction = moderator(server)
    await Weekly.weekly_show.callback(cog, interaction)
    assert sent(interaction)["embeds"][0].title == "Weekly movie night"
    interaction = moderator(server)
    await Weekly.weekly_off.callback(cog, interaction)
    assert sent(interaction)["content"] == weekly.TURNED_OFF
    assert await server.core.store.weekly_schedule(GUILD_ID) is None


async def test_zone_autocomplete_offers_at_most_25_names():
    choices = await Weekly.weekly_set._params["timezone"].autocomplete(None, "europe")
    assert 0 < len(choices) <= 25
    assert all(choice.name == choice.value for choice in choices)


# --- the scheduler -----------------------------------------------------------------------------


async def test_the_pick_is_posted_once_at_its_time(cog, server, clock):
    await set_weekly(cog, server)
    clock.now = POST_AT - timedelta(minutes=1)
    await cog.tick()
    assert server.messages == []
    clock.now = POST_AT
    await cog.tick()
    clock.now = POST_AT + timedelta(hours=1)
    await cog.tick()
    (posted,) = server.messages
    stamp = int(NIGHT.timestamp())
    assert posted.content.startswith(f"🍿 Movie night on <t:{stamp}:F> (<t:{stamp}:R>)")
    assert posted.nonce == weekly.nonce_for(GUILD_ID, WEEK, "post")
    assert posted.view is None
    record = await server.core.store.weekly_post_for(GUILD_ID, WEEK)
    assert (record.state, record.message_id) == ("posted", posted.id)
    assert posted.embeds[0].title == record.candidates[0].title
    (event,) = server.events
    assert event.kwargs["name"] == f"Movie night: {record.candidates[0].title}"
    assert event.kwargs["start_time"] == NIGHT
    assert event.kwargs["entity_type"] is discord.EntityType.external
    assert event.kwargs["location"] == "#movie-night"
    assert record.event_id == event.id


async def test_without_manage_events_nothing_fails_and_nothing_is_said(core, clock):
    server = FakeServer(core, manage_events=False)
    cog = server.cog()
    await set_weekly(cog, server)
    clock.now = POST_AT
    await cog.tick()
    assert len(server.messages) == 1
    server.guild.fetch_scheduled_events.assert_not_awaited()
    server.guild.create_scheduled_event.assert_not_awaited()
    assert "event" not in server.messages[0].content.lower()


async def test_a_late_wake_up_under_six_hours_posts_once(cog, server, clock):
    await set_weekly(cog, server)
    clock.now = POST_AT + timedelta(hours=5, minutes=59)
    await cog.tick()
    await cog.tick()
    assert len(server.messages) == 1


async def test_a_wake_up_six_hours_late_skips_the_week_and_logs_it(cog, server, clock, caplog):
    await set_weekly(cog, server)
    clock.now = POST_AT + timedelta(hours=6)
    with caplog.at_level(logging.WARNING, logger="bot.discord_weekly"):
        await cog.tick()
        await cog.tick()
    assert server.messages == []
    skipped = [r for r in caplog.records if r.getMessage().startswith("Skipped the weekly post")]
    assert len(skipped) == 1
    assert f"guild {GUILD_ID} for {WEEK}: due 6:00:00 ago" in skipped[0].getMessage()
    assert (await server.core.store.weekly_post_for(GUILD_ID, WEEK)).state == "skipped"
    clock.now = POST_AT + timedelta(weeks=1)
    await cog.tick()
    assert len(server.messages) == 1  # the next week runs as usual


# --- the crash window ---------------------------------------------------------------------------


async def test_a_crash_after_sending_never_doubles_the_post(cores, server, clock, monkeypatch):
    cog = server.cog()
    await set_weekly(cog, server)

    async def crash(*args, **kwargs):
        raise RuntimeError("the process died here")

    monkeypatch.setattr(server.core.store, "record_weekly_posted", crash)
    clock.now = POST_AT
    await cog.tick()  # sent, then "crashed" before recording
    assert len(server.messages) == 1
    assert (await server.core.store.weekly_post_for(GUILD_ID, WEEK)).state == "intent"

    restarted = server.restart(await cores())
    clock.now = POST_AT + timedelta(minutes=3)
    await restarted.tick()
    await restarted.tick()
    assert server.channel.send.await_count == 1  # found in the history, not sent again
    record = await server.core.store.weekly_post_for(GUILD_ID, WEEK)
    assert (record.state, record.message_id) == ("posted", server.messages[0].id)


async def test_recovery_also_recognises_its_nonce(cores, server, clock, monkeypatch):
    cog = server.cog()
    await set_weekly(cog, server)
    server.history_has_nonces = True

    async def crash(*args, **kwargs):
        raise RuntimeError("the process died here")

    monkeypatch.setattr(server.core.store, "record_weekly_posted", crash)
    clock.now = POST_AT
    await cog.tick()
    server.messages[0].content = "edited by hand"  # the marker is gone; the nonce is not
    restarted = server.restart(await cores())
    await restarted.tick()
    assert server.channel.send.await_count == 1
    assert (await server.core.store.weekly_post_for(GUILD_ID, WEEK)).state == "posted"


async def test_a_send_that_fails_on_discords_side_is_retried_once(cog, server, clock):
    await set_weekly(cog, server)
    server.send_error = http_error(discord.HTTPException, 500, "Internal Server Error")
    clock.now = POST_AT
    await cog.tick()
    assert server.messages == []
    assert (await server.core.store.weekly_post_for(GUILD_ID, WEEK)).state == "intent"
    server.send_error = None
    clock.now = POST_AT + timedelta(minutes=1)
    await cog.tick()
    await cog.tick()
    assert len(server.messages) == 1
    assert (await server.core.store.weekly_post_for(GUILD_ID, WEEK)).state == "posted"


async def test_an_intent_found_too_late_is_given_up(cog, server, clock, caplog):
    await set_weekly(cog, server)
    server.send_error = http_error(discord.HTTPException, 500, "Internal Server Error")
    clock.now = POST_AT
    await cog.tick()
    server.send_error = None
    clock.now = POST_AT + timedelta(hours=6)
    with caplog.at_level(logging.WARNING, logger="bot.discord_weekly"):
        await cog.tick()
    assert server.messages == []
    assert (await server.core.store.weekly_post_for(GUILD_ID, WEEK)).state == "skipped"
    assert any("Gave up the weekly post" in r.getMessage() for r in caplog.records)


# --- faults: a deleted channel, missing permissions --------------------------------------------

_MOD_COMMAND = app_commands.Command(
    name="modthing",
    description="a moderator command elsewhere",
    callback=lambda interaction: None,
)
_MOD_COMMAND.default_permissions = discord.Permissions(manage_guild=True)
_MEMBER_COMMAND = app_commands.Command(
    name="memberthing", description="a member command", callback=lambda interaction: None
)


async def _completed(cog, interaction, command):
    interaction.response.is_done.side_effect = lambda: True  # the command has answered
    await cog.on_app_command_completion(interaction, command)
    return interaction.followup.send.await_args_list


async def test_a_deleted_channel_pauses_and_the_next_moderator_command_says_so(
    cog, server, clock, caplog
):
    await set_weekly(cog, server)
    server.deleted = True
    clock.now = POST_AT
    with caplog.at_level(logging.WARNING, logger="bot.discord_weekly"):
        await cog.tick()
    assert server.messages == []
    reason = weekly.channel_gone(CHANNEL_ID)
    assert (await server.core.store.weekly_schedule(GUILD_ID)).paused_reason == reason
    assert any(
        f"Paused the weekly movie night of guild {GUILD_ID}" in r.getMessage()
        for r in caplog.records
    )
    assert await server.core.store.weekly_post_for(GUILD_ID, WEEK) is None

    assert await _completed(cog, member(server), _MEMBER_COMMAND) == []
    (notice,) = await _completed(cog, moderator(server), _MOD_COMMAND)
    assert notice.kwargs["content"] == weekly.pause_line(reason)
    assert notice.kwargs["ephemeral"] is True
    assert await _completed(cog, moderator(server), _MOD_COMMAND) == []  # said once

    clock.now = POST_AT + timedelta(hours=1)
    await cog.tick()  # still paused: nothing, and nothing more logged
    assert server.messages == []


async def test_missing_permissions_at_post_time_pause_with_the_names(cog, server, clock):
    await set_weekly(cog, server)
    server.permissions = discord.Permissions(
        view_channel=True, send_messages=True, read_message_history=True
    )
    clock.now = POST_AT
    await cog.tick()
    assert server.messages == []
    schedule = await server.core.store.weekly_schedule(GUILD_ID)
    assert schedule.paused_reason == "I am missing Embed Links in <#3001>."

    interaction = moderator(server)
    await Weekly.weekly_show.callback(cog, interaction)
    assert weekly.pause_line(schedule.paused_reason) in sent(interaction)["embeds"][0].description


async def test_a_refusal_from_discord_pauses_and_set_again_resumes_the_week(cog, server, clock):
    await set_weekly(cog, server)
    server.send_error = http_error(discord.Forbidden, 403, "Missing Permissions")
    clock.now = POST_AT
    await cog.tick()
    paused = await server.core.store.weekly_schedule(GUILD_ID)
    assert paused.paused_reason == weekly.refused(CHANNEL_ID)
    assert await server.core.store.weekly_post_for(GUILD_ID, WEEK) is None  # nothing was sent

    interaction = moderator(server)
    await Weekly.weekly_now.callback(cog, interaction)
    assert sent(interaction)["content"].startswith("⏸️ The weekly movie night is paused")

    server.send_error = None
    answer = await set_weekly(cog, server)
    assert weekly.MISSED_THIS_WEEK in answer["content"]
    interaction = moderator(server)
    await Weekly.weekly_now.callback(cog, interaction)
    assert len(server.messages) == 1
    assert sent(interaction)["content"].startswith("Posted the pick for the coming movie night:")


# --- /weekly now -------------------------------------------------------------------------------


async def test_now_posts_the_coming_night_once_and_the_scheduler_does_not_repeat_it(
    cog, server, clock
):
    await set_weekly(cog, server)
    clock.now = at(2026, 11, 25, 12)
    interaction = moderator(server)
    await Weekly.weekly_now.callback(cog, interaction)
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    (posted,) = server.messages
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/{posted.id}"
    assert sent(interaction)["content"] == (f"Posted the pick for the coming movie night: {link}")
    again = moderator(server)
    await Weekly.weekly_now.callback(cog, again)
    assert sent(again)["content"] == f"The coming movie night's pick is already posted: {link}"
    clock.now = POST_AT
    await cog.tick()
    assert len(server.messages) == 1


async def test_now_without_a_schedule(cog, server):
    interaction = moderator(server)
    await Weekly.weekly_now.callback(cog, interaction)
    assert sent(interaction)["content"] == weekly.NO_SCHEDULE


# --- votes -------------------------------------------------------------------------------------


async def open_vote(cog, server, clock):
    await set_weekly(cog, server, mode="vote")
    clock.now = POST_AT
    await cog.tick()
    (posted,) = server.messages
    return await server.core.store.weekly_post_for(GUILD_ID, WEEK), posted


async def click(server, post, slot, user_id=MEMBER_ID):
    interaction = member(server, user_id)
    await stateless(VoteButton, weekly.vote_id(post.id, slot)).callback(interaction)
    await server.bot.get_cog("Weekly").poster.counts_shown()
    return interaction


def counted(server) -> list[str]:
    """The counts on the vote's post as Discord shows them now."""
    return [label.rsplit(" · ", 1)[1] for label in server.messages[0].labels]


def receipt(interaction) -> dict:
    return sent(interaction)


async def test_a_vote_has_three_buttons_that_carry_the_post_and_candidate(cog, server, clock):
    post, posted = await open_vote(cog, server, clock)
    assert posted.content.startswith(f"🗳️ Movie night on <t:{int(NIGHT.timestamp())}:F>")
    ids = [item.custom_id for item in posted.view.children]
    assert ids == [f"weekly:vote:{post.id}:{slot}" for slot in range(3)]
    assert all(VOTE_TEMPLATE.fullmatch(custom_id) for custom_id in ids)
    assert posted.view.timeout is None
    assert [label.rsplit(" · ", 1)[1] for label in posted.labels] == ["0", "0", "0"]
    assert server.events[0].kwargs["name"] == "Movie night"


async def test_one_vote_per_member_changeable_with_live_counts(cog, server, clock):
    post, _ = await open_vote(cog, server, clock)
    first = await click(server, post, 0)
    assert counted(server) == ["1", "0", "0"]
    assert receipt(first)["content"].startswith("You voted for **")
    assert receipt(first)["ephemeral"] is True
    first.response.edit_message.assert_not_awaited()  # counts are edited on the post itself
    await click(server, post, 0, OTHER_MEMBER_ID)
    assert counted(server) == ["2", "0", "0"]
    changed = await click(server, post, 2)
    assert counted(server) == ["1", "0", "1"]
    assert "You changed your vote from **" in receipt(changed)["content"]
    edits = len(server.messages[0].edits)
    same = await click(server, post, 2)
    assert len(server.messages[0].edits) == edits  # nothing changed, nothing edited
    assert receipt(same)["content"].startswith("Your vote is already")
    edit = server.messages[0].edits[-1]
    assert "**1 vote**" in edit["embeds"][0].fields[2].value
    assert edit["embeds"][0].footer.text == "2 votes so far"


async def test_fifty_quick_votes_end_with_the_stored_count_in_few_edits(cog, server, clock):
    post, _ = await open_vote(cog, server, clock)
    server.edit_latency = 0.05
    voters = [member(server, 5000 + n) for n in range(50)]
    buttons = [stateless(VoteButton, weekly.vote_id(post.id, n % 3)) for n in range(50)]
    await asyncio.gather(*(b.callback(v) for b, v in zip(buttons, voters, strict=True)))
    await cog.poster.counts_shown()
    assert all(receipt(v)["content"].startswith("You voted for") for v in voters)
    assert counted(server) == ["17", "17", "16"]
    assert sum((await server.core.store.vote_counts(post.id)).values()) == 50
    assert len(server.messages[0].edits) < 10  # each edit takes 50 ms: the rest fold in


async def test_a_tie_is_broken_at_random_and_said_and_the_winner_is_seen(cog, server, clock):
    post, posted = await open_vote(cog, server, clock)
    await click(server, post, 0)
    await click(server, post, 2, OTHER_MEMBER_ID)
    cog.poster.rng = random.Random(7)
    clock.now = NIGHT
    await cog.tick()
    await cog.tick()
    assert len(server.messages) == 2
    result = server.messages[1]
    record = await server.core.store.weekly_post_for(GUILD_ID, WEEK)
    assert record.winner_slot in (0, 2) and record.tie
    assert result.content.startswith(f"🏆 Movie night on <t:{int(NIGHT.timestamp())}:F>: **")
    assert "It was a tie between" in result.content
    assert "so the winner was drawn at random" in result.content
    assert result.nonce == weekly.nonce_for(GUILD_ID, WEEK, "result")
    assert await server.core.store.seen_keys(GUILD_ID) == {record.winner.film_key}
    closing = posted.edits[-1]  # after the two count edits
    assert all(item.item.disabled for item in closing["view"].children)
    assert closing["content"].endswith("Voting has closed.")
    assert server.events[0].name == f"Movie night: {record.winner.title}"
    late = await click(server, post, 1)
    assert sent(late)["content"] == weekly.VOTE_CLOSED


async def test_votes_and_the_close_survive_a_restart(cores, server, clock):
    cog = server.cog()
    post, posted = await open_vote(cog, server, clock)
    await click(server, post, 1)

    restarted = server.restart(await cores())  # a new process: new store connection, new cog
    custom_id = posted.view.children[1].custom_id
    interaction = member(server, OTHER_MEMBER_ID)
    button = await VoteButton.from_custom_id(
        interaction, posted.view.children[1].item, VOTE_TEMPLATE.fullmatch(custom_id)
    )
    await button.callback(interaction)
    await restarted.poster.counts_shown()
    assert counted(server) == ["0", "2", "0"]

    clock.now = NIGHT + timedelta(minutes=1)
    await restarted.tick()
    await restarted.tick()
    (result,) = server.messages[1:]
    assert "won the vote with 2 of 2 votes" in result.content
    record = await server.core.store.weekly_post_for(GUILD_ID, WEEK)
    assert (record.result_state, record.result_message_id) == ("posted", result.id)


async def test_a_crash_before_recording_the_result_never_doubles_it(
    cores, server, clock, monkeypatch
):
    cog = server.cog()
    await open_vote(cog, server, clock)

    async def crash(*args, **kwargs):
        raise RuntimeError("the process died here")

    monkeypatch.setattr(server.core.store, "record_weekly_result", crash)
    clock.now = NIGHT
    await cog.tick()
    assert len(server.messages) == 2
    restarted = server.restart(await cores())
    await restarted.tick()
    assert len(server.messages) == 2
    record = await server.core.store.weekly_post_for(GUILD_ID, WEEK)
    assert (record.result_state, record.result_message_id) == ("posted", server.messages[1].id)


async def test_a_vote_closed_more_than_six_hours_late_is_not_announced(cog, server, clock):
    await open_vote(cog, server, clock)
    clock.now = NIGHT + timedelta(hours=7)
    await cog.tick()
    assert len(server.messages) == 1
    record = await server.core.store.weekly_post_for(GUILD_ID, WEEK)
    assert (record.result_state, record.winner_slot is not None) == ("skipped", True)


async def test_a_vote_button_from_another_server_counts_nothing(cog, server, clock):
    post, _ = await open_vote(cog, server, clock)
    stranger = fake_interaction(server.core, guild_id=GUILD_ID + 1, client=server.bot)
    await stateless(VoteButton, weekly.vote_id(post.id, 0)).callback(stranger)
    assert sent(stranger)["content"] == weekly.VOTE_GONE
    assert await server.core.store.vote_counts(post.id) == {}
