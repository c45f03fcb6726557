"""Weekly movie night end to end: the real bot's scheduler (on the fake clock), vote buttons,
crashes and restarts, and Discord's refusals, against the local Discord stand-in."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot import weekly
from bot import weekly_cards as wcards
from bot.schedule import Weekday
from bot.weekly_plan import nonce_for
from tests.e2e.running import RunningBot
from tests.standin import ChannelSpec, GuildSpec, MemberSpec, default_bot_permissions
from tests.standin.standin import DiscordStandIn

POST_AT = datetime(2026, 11, 26, 18, tzinfo=UTC)  # Thursday 19:00 in Berlin
NIGHT = datetime(2026, 11, 27, 18, tzinfo=UTC)  # Friday 19:00 in Berlin
WEEK = "2026-11-27"


async def crash(*args, **kwargs):
    raise RuntimeError("the process died here")


async def weekly_set(standin, mode: str = "pick", **options):
    values = {
        "channel": "movie-night",
        "day": int(Weekday.Friday),  # the choice Discord shows as "Friday"
        "time": "19:00",
        "timezone": "Europe/Berlin",
        "mode": mode,
    }
    return await standin.invoke("weekly set", values | options, user="mod")


async def set_weekly(standin, mode: str = "pick") -> None:
    answer = await weekly_set(standin, mode)
    assert answer.ephemeral
    assert answer.message.content.startswith("Saved. The weekly movie night runs like this:")


async def post_week(standin, running: RunningBot, mode: str = "pick"):
    await set_weekly(standin, mode)
    running.clock.now = POST_AT
    await running.tick()
    (posted,) = standin.channel_messages("movie-night")
    return posted


async def record(running: RunningBot):
    return await running.core.store.weekly_post_for(running.standin.guild.id, WEEK)


# --- posting --------------------------------------------------------------------------------------


async def test_the_scheduler_posts_the_weekly_pick_once_with_its_event(standin, running, clock):
    await set_weekly(standin, "pick")
    clock.now = POST_AT - timedelta(minutes=1)
    await running.tick()
    assert standin.channel_messages("movie-night") == []
    clock.now = POST_AT
    await running.tick()
    (posted,) = standin.channel_messages("movie-night")
    stamp = int(NIGHT.timestamp())
    assert posted.content.startswith(f"🍿 Movie night on <t:{stamp}:F> (<t:{stamp}:R>)")
    title = posted.embeds[0]["title"]
    assert f"this week's pick is **{title}**" in posted.content
    sends = [r for r in standin.message_requests if r.path.startswith("/channels/")]
    assert sends[-1].payload["nonce"] == nonce_for(standin.guild.id, WEEK, "post")
    assert sends[-1].payload["enforce_nonce"] is True
    (event,) = standin.events()
    assert event["name"] == f"Movie night: {title}"
    assert datetime.fromisoformat(event["scheduled_start_time"]) == NIGHT
    assert (await record(running)).event_id == int(event["id"])

    clock.now = POST_AT + timedelta(hours=1)
    await running.tick()
    assert len(standin.channel_messages("movie-night")) == 1

    shown = await standin.invoke("weekly show", {}, user="mod")
    assert "Thu 03 Dec 2026, 19:00 CET" in shown.message.text  # the next post


async def test_set_names_the_permissions_it_lacks_and_offers_zones(club_settings, clock):
    denied = discord.Permissions(embed_links=True)
    channel = ChannelSpec("movie-night", overwrites={"bot": (discord.Permissions.none(), denied)})
    async with DiscordStandIn(guild=GuildSpec(channels=(channel,)), clock=clock) as standin:
        running = RunningBot(standin, club_settings, clock)
        await running.start()
        try:
            choices = await standin.autocomplete(
                "weekly set", {"timezone": "europe"}, focused="timezone", user="mod"
            )
            assert 0 < len(choices) <= 25
            assert all(choice["name"] == choice["value"] for choice in choices)
            refused = await weekly_set(standin)
            assert refused.ephemeral
            assert refused.text == (
                "I cannot post there: I am missing Embed Links in "
                f"<#{standin.channel_id('movie-night')}>."
            )
            assert await running.core.store.weekly_schedule(standin.guild.id) is None
        finally:
            await running.stop()


async def test_without_manage_events_the_pick_is_posted_and_no_event_made(club_settings, clock):
    permissions = discord.Permissions(
        default_bot_permissions().value, manage_events=False, create_events=False
    )
    guild = GuildSpec(bot_permissions=permissions)
    async with DiscordStandIn(guild=guild, clock=clock) as standin:
        running = RunningBot(standin, club_settings, clock)
        await running.start()
        try:
            posted = await post_week(standin, running)
            assert "event" not in posted.content.lower()
            assert standin.events() == []
        finally:
            await running.stop()


async def test_a_wake_up_six_hours_late_skips_the_week_and_logs_it(standin, running, clock, caplog):
    await set_weekly(standin)
    clock.now = POST_AT + timedelta(hours=6)
    with caplog.at_level(logging.WARNING, logger="bot.discord_weekly"):
        await running.tick()
        await running.tick()
    assert standin.channel_messages("movie-night") == []
    skipped = [r for r in caplog.records if r.getMessage().startswith("Skipped the weekly post")]
    assert len(skipped) == 1
    assert f"guild {standin.guild.id} for {WEEK}: due 6:00:00 ago" in skipped[0].getMessage()
    assert (await record(running)).state == "skipped"
    clock.now = POST_AT + timedelta(weeks=1)
    await running.tick()
    assert len(standin.channel_messages("movie-night")) == 1  # the next week runs as usual


async def test_now_posts_the_coming_night_once_and_the_scheduler_does_not_repeat_it(
    standin, running, clock
):
    answer = await standin.invoke("weekly now", {}, user="mod")
    assert answer.text == wcards.NO_SCHEDULE
    await set_weekly(standin)
    clock.now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    answer = await standin.invoke("weekly now", {}, user="mod")
    (posted,) = standin.channel_messages("movie-night")
    channel = standin.channel_id("movie-night")
    link = f"https://discord.com/channels/{standin.guild.id}/{channel}/{posted.id}"
    assert answer.ephemeral
    assert answer.text == f"Posted the pick for the coming movie night: {link}"
    again = await standin.invoke("weekly now", {}, user="mod")
    assert again.text == f"The coming movie night's pick is already posted: {link}"
    clock.now = POST_AT
    await running.tick()
    assert len(standin.channel_messages("movie-night")) == 1


# --- the crash window -----------------------------------------------------------------------------


async def test_a_crash_after_sending_never_doubles_the_post(standin, running, clock, monkeypatch):
    await set_weekly(standin)
    monkeypatch.setattr(running.core.store, "record_weekly_posted", crash)
    clock.now = POST_AT
    await running.tick()  # sent, then "crashed" before recording
    assert len(standin.channel_messages("movie-night")) == 1
    assert (await record(running)).state == "intent"
    (posted,) = standin.channel_messages("movie-night")
    posted.data["content"] = "edited by hand"  # the marker is gone; the nonce is not

    await running.restart()
    clock.now = POST_AT + timedelta(minutes=3)
    await running.tick()
    await running.tick()
    sends = [r for r in standin.message_requests if r.path.startswith("/channels/")]
    assert len(sends) == 1  # found in the history, not sent again
    found = await record(running)
    assert (found.state, found.message_id) == ("posted", posted.id)


async def test_a_send_that_fails_on_discords_side_is_retried_next_minute(standin, running, clock):
    await set_weekly(standin)
    standin.fail("POST", "/channels/{channel_id}/messages", 503)
    clock.now = POST_AT
    await running.tick()
    assert standin.channel_messages("movie-night") == []
    assert (await record(running)).state == "intent"
    clock.now = POST_AT + timedelta(minutes=1)
    await running.tick()
    await running.tick()
    assert len(standin.channel_messages("movie-night")) == 1
    assert (await record(running)).state == "posted"


async def test_an_intent_found_too_late_is_given_up(standin, running, clock, caplog):
    await set_weekly(standin)
    standin.fail("POST", "/channels/{channel_id}/messages", 503)
    clock.now = POST_AT
    await running.tick()
    clock.now = POST_AT + timedelta(hours=6)
    with caplog.at_level(logging.WARNING, logger="bot.discord_weekly"):
        await running.tick()
    assert standin.channel_messages("movie-night") == []
    assert (await record(running)).state == "skipped"
    assert any("Gave up the weekly post" in r.getMessage() for r in caplog.records)


# --- faults: Discord refuses ----------------------------------------------------------------------


async def test_a_refused_post_pauses_and_set_again_resumes_the_week(standin, running, clock):
    await set_weekly(standin, "pick")
    standin.fail("POST", "/channels/{channel_id}/messages", 403, code=50013)
    clock.now = POST_AT
    await running.tick()
    assert standin.channel_messages("movie-night") == []
    assert await record(running) is None  # nothing was sent, the week is free

    await standin.invoke("seen list", {}, user="ana")  # a member command says nothing of it
    shown = await standin.invoke("config show", {}, user="mod")
    (notice,) = await shown.wait_followups(1)
    assert notice.ephemeral
    assert notice.content == wcards.pause_line(wcards.refused(standin.channel_id("movie-night")))
    again = await standin.invoke("config show", {}, user="mod")
    assert again.followups == []  # said once
    paused = await standin.invoke("weekly now", {}, user="mod")
    assert paused.text.startswith("⏸️ The weekly movie night is paused")

    answer = await weekly_set(standin)
    assert wcards.MISSED_THIS_WEEK in answer.message.content
    posted = await standin.invoke("weekly now", {}, user="mod")
    assert posted.text.startswith("Posted the pick for the coming movie night:")
    assert len(standin.channel_messages("movie-night")) == 1


async def test_a_channel_gone_at_post_time_pauses_with_the_reason(standin, running, clock):
    await set_weekly(standin)
    standin.fail("POST", "/channels/{channel_id}/messages", 404, code=10003)
    clock.now = POST_AT
    await running.tick()
    schedule = await running.core.store.weekly_schedule(standin.guild.id)
    assert schedule.paused_reason == wcards.channel_gone(standin.channel_id("movie-night"))
    shown = await standin.invoke("weekly show", {}, user="mod")
    assert wcards.pause_line(schedule.paused_reason) in shown.message.text


# --- votes ----------------------------------------------------------------------------------------


async def test_a_vote_closes_at_movie_night_with_a_winner(standin, running, clock):
    vote = await post_week(standin, running, "vote")
    buttons = vote.custom_ids
    post = await record(running)
    assert buttons == [wcards.vote_id(post.id, slot) for slot in range(3)]

    first = await standin.click(vote, buttons[1], user="ana")
    assert first.ephemeral and first.message.content.startswith("You voted for **")
    await running.poster.counts_shown()  # the post's counts are edited after
    assert standin.message(vote.id).components[0]["components"][1]["label"].endswith(" · 1")
    await standin.click(vote, buttons[1], user="ben")
    await standin.click(vote, buttons[0], user="mod")

    clock.now = NIGHT
    await running.tick()
    result = standin.channel_messages("movie-night")[-1]
    winner = vote.components[0]["components"][1]["label"].rsplit(" · ", 1)[0]
    assert f"**{winner}** won the vote with 2 of 3 votes" in result.content
    assert all(b["disabled"] for b in standin.message(vote.id).components[0]["components"])
    seen = await standin.invoke("seen list", {}, user="ana")
    assert winner in seen.message.text
    assert standin.events()[0]["name"] == f"Movie night: {winner}"


async def test_fifty_quick_votes_end_with_the_stored_count_in_few_edits(clock, club_settings):
    voters = tuple(MemberSpec(f"voter{n}") for n in range(50))
    guild = GuildSpec(members=(*GuildSpec().members, *voters))
    async with DiscordStandIn(guild=guild, clock=clock) as standin:
        running = RunningBot(standin, club_settings, clock)
        await running.start()
        try:
            vote = await post_week(standin, running, "vote")
            standin.latency = 0.05  # every answer, edits too, takes a round trip
            clicks = [
                standin.click(vote, vote.custom_ids[n % 3], user=f"voter{n}") for n in range(50)
            ]
            answers = await asyncio.gather(*clicks)
            await running.poster.counts_shown()
            assert all(a.text.startswith("You voted for") for a in answers)
            labels = [b["label"] for b in standin.message(vote.id).components[0]["components"]]
            assert [label.rsplit(" · ", 1)[1] for label in labels] == ["17", "17", "16"]
            edits = [r for r in standin.message_requests if r.path.startswith("/channels/")]
            assert len(edits) < 25  # 50 votes, each edit a 50 ms round trip: most fold in
        finally:
            await running.stop()


async def test_votes_and_the_close_survive_a_restart_and_a_crash(
    standin, running, clock, monkeypatch
):
    vote = await post_week(standin, running, "vote")
    await standin.click(vote, vote.custom_ids[1], user="ana")
    await running.restart()
    await standin.click(vote, vote.custom_ids[1], user="ben")  # a button made before the restart
    await running.poster.counts_shown()
    labels = [b["label"] for b in standin.message(vote.id).components[0]["components"]]
    assert [label.rsplit(" · ", 1)[1] for label in labels] == ["0", "2", "0"]

    monkeypatch.setattr(running.core.store, "record_weekly_result", crash)
    clock.now = NIGHT + timedelta(minutes=1)
    await running.tick()  # announced, then "crashed" before recording it
    await running.restart()
    await running.tick()
    await running.tick()
    (result,) = standin.channel_messages("movie-night")[1:]
    assert "won the vote with 2 of 2 votes" in result.content
    closed = await record(running)
    assert (closed.result_state, closed.result_message_id) == ("posted", result.id)


async def test_a_vote_closed_more_than_six_hours_late_is_not_announced(standin, running, clock):
    await post_week(standin, running, "vote")
    clock.now = NIGHT + timedelta(hours=7)
    await running.tick()
    assert len(standin.channel_messages("movie-night")) == 1
    closed = await record(running)
    assert (closed.result_state, closed.winner_slot is not None) == ("skipped", True)


async def test_members_do_not_see_weekly_and_are_refused_where_it_shows(standin, running):
    with pytest.raises(PermissionError):
        await standin.invoke("weekly show", {}, user="ana")
    refused = await standin.invoke("weekly show", {}, user="ana", ignore_default_permissions=True)
    assert refused.ephemeral and refused.text.startswith("Only this server's moderators")


# --- approval and ranked votes built from suggestions ---------------------------------------------


async def suggest_three(standin) -> None:
    await standin.invoke("suggest", {"title": "Night Shift"}, user="ana")
    await standin.invoke("suggest", {"title": "Velvet Job"}, user="ben")
    await standin.invoke("suggest", {"title": "Velvet Job"}, user="owner")  # backs it
    await standin.invoke("suggest", {"title": "Court Vision"}, user="owner")


def films_of(vote) -> list[str]:
    return [field["name"].split(". ", 1)[1] for field in vote.embeds[0]["fields"]]


async def test_an_approval_vote_from_suggestions_survives_a_restart(standin, running, clock):
    await suggest_three(standin)
    vote = await post_week(standin, running, "approval")
    assert films_of(vote) == ["Velvet Job (1998)", "Night Shift (2015)", "Court Vision (2019)"]
    _velvet, night, court = vote.custom_ids
    await standin.click(vote, night, user="ana")
    await standin.click(vote, court, user="ana")
    await standin.click(vote, night, user="ben")
    await running.restart()
    answer = await standin.click(vote, court, user="owner")
    assert answer.text.startswith("You approve of **Court Vision (2019)** now.")
    await standin.click(vote, night, user="owner")
    await running.poster.counts_shown()
    labels = [b["label"] for b in standin.message(vote.id).components[0]["components"]]
    assert [label.rsplit(" · ", 1)[1] for label in labels] == ["0", "3", "2"]

    clock.now = NIGHT
    await running.tick()
    result = standin.channel_messages("movie-night")[-1]
    assert "**Night Shift (2015)** won with 3 approvals from 3 ballots." in result.content
    suggested = result.embeds[0]["fields"][-1]
    assert suggested["name"] == "Suggested by" and "<@" in suggested["value"]


async def test_a_ranked_vote_is_cast_in_private_steps_and_counted_by_rounds(
    standin, running, clock
):
    await suggest_three(standin)
    vote = await post_week(standin, running, "ranked")
    (rank,) = vote.custom_ids
    opened = await standin.click(vote, rank, user="ana")
    assert opened.ephemeral and opened.message.content.startswith("You have not ranked")
    menu = opened.message.custom_ids[0]
    step = await standin.select(opened, menu, ["1"], user="ana")  # Night Shift first
    step = await standin.select(step, step.message.custom_ids[0], ["2"], user="ana")
    assert step.message.content.startswith(
        "Your ballot counts as it is now:\n1. Night Shift (2015)\n2. Court Vision (2019)"
    )
    await running.restart()
    done = await standin.click(step, step.message.button("Done")["custom_id"], user="ana")
    assert done.message.content.startswith("Your ballot is in:")
    for user, choices in (("ben", ["0"]), ("owner", ["2"]), ("mod", ["0"])):
        opened = await standin.click(vote, rank, user=user)
        await standin.select(opened, opened.message.custom_ids[0], choices, user=user)
    # Round 1: Velvet Job 2 (ben, mod), Night Shift 1 (ana), Court Vision 1 (owner): Night
    # Shift and Court Vision tie for fewest with one first choice and one backer each, so the
    # seed's draw drops one. If Court Vision drops, the owner's ballot ranks nothing else and
    # Velvet Job has 2 of 3; if Night Shift drops, ana's ballot goes to Court Vision, 2 to 2,
    # and Court Vision drops for fewer first choices. Velvet Job wins either way.
    clock.now = NIGHT
    await running.tick()
    result = standin.channel_messages("movie-night")[-1]
    lines = result.content.split("\n")
    assert lines[0].endswith("won the ranked vote, counted by instant runoff (4 ballots):")
    assert lines[1].startswith("Round 1: Velvet Job (1998) 2 · Night Shift (2015) 1 · Court")
    assert "**Velvet Job (1998)** won" in lines[0]
    post = await record(running)
    assert post.result == weekly.recount(post, await running.core.store.ballots(post.id), post.seed)


# --- reminders ------------------------------------------------------------------------------------


async def test_starting_soon_pings_exactly_the_interested_members_once(standin, running, clock):
    await weekly_set(standin, "pick", remind="interested")
    clock.now = POST_AT
    await running.tick()
    (event,) = standin.events()
    standin.mark_interested(event["id"], "ana", "ben")
    clock.now = NIGHT - timedelta(minutes=15)
    await running.tick()
    await running.tick()
    soon = standin.channel_messages("movie-night")[-1]
    ana, ben = standin.user_id("ana"), standin.user_id("ben")
    assert soon.content.startswith("🎬 Movie night starts <t:")
    assert f"<@{min(ana, ben)}> <@{max(ana, ben)}>: you marked it Interested." in soon.content
    assert soon.allowed_mentions == {"parse": [], "users": sorted([ana, ben])}
    assert len(standin.channel_messages("movie-night")) == 2  # once


async def test_a_vote_says_it_closes_in_an_hour_and_a_role_is_pinged(standin, running, clock):
    await weekly_set(standin, "vote", remind="role", role="Mods")
    clock.now = POST_AT
    await running.tick()
    clock.now = NIGHT - timedelta(hours=1)
    await running.tick()
    await running.tick()
    closing = standin.channel_messages("movie-night")[-1]
    assert closing.content.startswith("⏳ The vote for movie night on <t:")
    assert closing.allowed_mentions == {"parse": []}
    clock.now = NIGHT - timedelta(minutes=15)
    await running.tick()
    soon = standin.channel_messages("movie-night")[-1]
    mods = standin.role_id("Mods")
    assert soon.content.startswith(f"<@&{mods}> 🎬 Movie night starts")
    assert soon.allowed_mentions == {"parse": [], "roles": [mods]}
    assert len(standin.channel_messages("movie-night")) == 3


# --- a French server ----------------------------------------------------------------------------


@pytest.fixture
async def french(club_settings, clock):
    """A server whose language is French, with the bot running; its moderator and members use
    Discord in English (or in German, as a click says)."""
    async with DiscordStandIn(guild=GuildSpec(preferred_locale="fr"), clock=clock) as standin:
        running = RunningBot(standin, club_settings, clock)
        await running.start()
        try:
            yield standin, running
        finally:
            await running.stop()


async def test_a_french_servers_weekly_pick_is_posted_in_french(french, clock):
    standin, running = french
    answer = await weekly_set(standin, "pick")
    assert answer.message.content.startswith("Saved.")  # the moderator's own language
    clock.now = POST_AT
    await running.tick()
    (posted,) = standin.channel_messages("movie-night")
    stamp = int(NIGHT.timestamp())
    assert posted.content.startswith(f"🍿 Soirée film le <t:{stamp}:F> (<t:{stamp}:R>) : ")
    title = posted.embeds[0]["title"]
    assert f"le film de la semaine est **{title}**." in posted.content
    card = posted.embeds[0]
    assert card["fields"][0]["name"] == "Choisissez-le si"
    assert card["footer"]["text"] == "Du catalogue commun"
    assert standin.events()[0]["name"] == f"Soirée film : {title}"


async def test_a_french_servers_vote_reminders_and_result_are_in_french(french, clock):
    standin, running = french
    await weekly_set(standin, "vote", remind="interested")
    clock.now = POST_AT
    await running.tick()
    (vote,) = standin.channel_messages("movie-night")
    assert vote.content.startswith("🗳️ Soirée film le <t:")
    assert "Votez pour le film que vous voulez voir : une voix chacun" in vote.content
    assert vote.embeds[0]["title"] == "Le vote de la semaine"
    assert vote.embeds[0]["footer"]["text"].startswith("0 voix pour l'instant · Égalités : ")
    assert standin.events()[0]["name"] == "Soirée film"

    receipt = await standin.click(vote, vote.custom_ids[1], user="ana", locale="de")
    assert receipt.text.startswith("Du hast für **")  # the member's own language
    await running.poster.counts_shown()
    counted = standin.message(vote.id)
    assert counted.embeds[0]["footer"]["text"].startswith("1 voix pour l'instant")
    assert counted.content == vote.content

    clock.now = NIGHT - timedelta(hours=1)
    await running.tick()
    closing = standin.channel_messages("movie-night")[-1]
    assert closing.content.startswith("⏳ Le vote pour la soirée film du <t:")
    assert "Encore le temps de voter : https://discord.com/channels/" in closing.content
    clock.now = NIGHT - timedelta(minutes=15)
    await running.tick()
    soon = standin.channel_messages("movie-night")[-1]
    assert soon.content.startswith("🎬 La soirée film commence <t:")
    assert "Le vote est encore ouvert : il se clôt <t:" in soon.content

    clock.now = NIGHT
    await running.tick()
    result = standin.channel_messages("movie-night")[-1]
    winner = vote.components[0]["components"][1]["label"].rsplit(" · ", 1)[0]
    assert result.content.startswith("🏆 Soirée film le <t:")
    assert f"**{winner}** a gagné le vote avec 1 sur 1 voix." in result.content
    assert "Il est maintenant dans la liste des vus de ce serveur." in result.content
    assert "-# Égalités : plus de premiers choix, puis plus de soutiens" in result.content
    assert standin.events()[0]["name"] == f"Soirée film : {winner}"


async def test_a_post_sent_before_a_crash_is_found_after_the_server_changed_language(
    french, clock, monkeypatch
):
    standin, running = french
    await weekly_set(standin, "pick")
    monkeypatch.setattr(running.core.store, "record_weekly_posted", crash)
    clock.now = POST_AT
    await running.tick()  # sent in French, then "crashed" before recording
    (posted,) = standin.channel_messages("movie-night")
    posted.data.pop("nonce", None)  # a channel's history does not give nonces back
    standin.guild.spec = replace(standin.guild.spec, preferred_locale="de")

    await running.restart()
    clock.now = POST_AT + timedelta(minutes=10)  # past the few minutes enforce_nonce covers
    await running.tick()
    assert standin.channel_messages("movie-night") == [posted]
    found = await running.core.store.weekly_post_for(standin.guild.id, WEEK)
    assert (found.state, found.message_id) == ("posted", posted.id)
