"""Weekly movie night end to end: the real bot's scheduler (on the fake clock) and vote buttons
against the local Discord stand-in."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from bot.discord_bot import MovieNightBot
from bot.schedule import Weekday
from bot.weekly import nonce_for
from tests.standin import GuildSpec, default_bot_permissions, run_bot
from tests.standin.standin import DiscordStandIn

POST_AT = datetime(2026, 11, 26, 18, tzinfo=UTC)  # Thursday 19:00 in Berlin
NIGHT = datetime(2026, 11, 27, 18, tzinfo=UTC)  # Friday 19:00 in Berlin
WEEK = "2026-11-27"


@pytest.fixture
async def bot(fixture_core, standin):
    async with run_bot(MovieNightBot(fixture_core, fixture_core.settings), standin) as running:
        yield running


async def set_weekly(standin, mode: str) -> None:
    answer = await standin.invoke(
        "weekly set",
        {
            "channel": "movie-night",
            "day": int(Weekday.Friday),  # the choice Discord shows as "Friday"
            "time": "19:00",
            "timezone": "Europe/Berlin",
            "mode": mode,
        },
        user="mod",
    )
    assert answer.ephemeral
    assert answer.message.content.startswith("Saved. The weekly movie night runs like this:")


async def test_the_scheduler_posts_the_weekly_pick_with_its_event(standin, bot, clock):
    await set_weekly(standin, "pick")
    clock.now = POST_AT
    await bot.get_cog("Weekly").tick()
    (posted,) = standin.channel_messages("movie-night")
    stamp = int(NIGHT.timestamp())
    assert posted.content.startswith(f"🍿 Movie night on <t:{stamp}:F> (<t:{stamp}:R>)")
    title = posted.embeds[0]["title"]
    assert f"this week's pick is **{title}**" in posted.content
    sends = [r for r in standin.message_requests if r.method == "POST"]
    assert sends[-1].payload["nonce"] == nonce_for(standin.guild.id, WEEK, "post")
    assert sends[-1].payload["enforce_nonce"] is True
    (event,) = standin.events()
    assert event["name"] == f"Movie night: {title}"
    assert datetime.fromisoformat(event["scheduled_start_time"]) == NIGHT

    await bot.get_cog("Weekly").tick()
    assert len(standin.channel_messages("movie-night")) == 1

    shown = await standin.invoke("weekly show", {}, user="mod")
    assert "Thu 03 Dec 2026, 19:00 CET" in shown.message.text  # the next post


async def test_a_vote_closes_at_movie_night_with_a_winner(standin, bot, clock):
    await set_weekly(standin, "vote")
    clock.now = POST_AT
    await bot.get_cog("Weekly").tick()
    (vote,) = standin.channel_messages("movie-night")
    buttons = vote.custom_ids
    assert len(buttons) == 3

    first = await standin.click(vote, buttons[1], user="ana")
    assert first.ephemeral and first.message.content.startswith("You voted for **")
    await bot.get_cog("Weekly").poster.counts_shown()  # the post's counts are edited after
    assert standin.message(vote.id).components[0]["components"][1]["label"].endswith(" · 1")
    await standin.click(vote, buttons[1], user="ben")
    await standin.click(vote, buttons[0], user="mod")

    clock.now = NIGHT
    await bot.get_cog("Weekly").tick()
    result = standin.channel_messages("movie-night")[-1]
    winner = vote.components[0]["components"][1]["label"].rsplit(" · ", 1)[0]
    assert f"**{winner}** won the vote with 2 of 3 votes" in result.content
    assert all(b["disabled"] for b in standin.message(vote.id).components[0]["components"])
    seen = await standin.invoke("seen list", {}, user="ana")
    assert winner in seen.message.text
    assert standin.events()[0]["name"] == f"Movie night: {winner}"


async def test_without_manage_events_the_pick_is_posted_and_no_event_made(fixture_core, clock):
    permissions = discord.Permissions(
        default_bot_permissions().value, manage_events=False, create_events=False
    )
    bot = MovieNightBot(fixture_core, fixture_core.settings)
    async with (
        DiscordStandIn(guild=GuildSpec(bot_permissions=permissions), clock=clock) as standin,
        run_bot(bot, standin),
    ):
        await set_weekly(standin, "pick")
        clock.now = POST_AT
        await bot.get_cog("Weekly").tick()
        assert len(standin.channel_messages("movie-night")) == 1
        assert standin.events() == []


async def test_a_refused_post_pauses_and_the_next_moderator_command_says_so(standin, bot, clock):
    await set_weekly(standin, "pick")
    standin.fail("POST", "/channels/{channel_id}/messages", 403, code=50013)
    clock.now = POST_AT
    await bot.get_cog("Weekly").tick()
    assert standin.channel_messages("movie-night") == []

    await standin.invoke("seen list", {}, user="ana")  # a member command says nothing of it
    shown = await standin.invoke("config show", {}, user="mod")
    (notice,) = await shown.wait_followups(1)
    assert notice.ephemeral
    assert notice.content.startswith("⏸️ The weekly movie night is paused: Discord refused my")
    again = await standin.invoke("config show", {}, user="mod")
    assert again.followups == []  # said once
    paused = await standin.invoke("weekly show", {}, user="mod")
    assert "⏸️ The weekly movie night is paused" in paused.message.text
