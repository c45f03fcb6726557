"""The stand-in, proven with a tiny AutoShardedBot of its own (not the movienight bot)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.conftest import FakeClock
from tests.standin import (
    ChannelSpec,
    DiscordStandIn,
    GuildSpec,
    MemberSpec,
    default_bot_permissions,
    limits,
    restartable_bot,
    run_bot,
)
from tests.standin.rest import NONCE_WINDOW

FILMS = ["Amélie", "American Graffiti", "Another Round", "Brick", "Coherence"]


class VoteView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.yes = 0

    @discord.ui.button(label="Yes", custom_id="vote:yes", style=discord.ButtonStyle.success)
    async def vote_yes(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.yes += 1
        await interaction.response.edit_message(content=f"{self.yes} yes", view=self)

    @discord.ui.button(label="Later", custom_id="vote:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="Later it is", view=None)

    @discord.ui.button(label="Why?", custom_id="vote:why")
    async def why(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("Because it is Friday.", ephemeral=True)

    @discord.ui.select(
        custom_id="vote:pick",
        options=[discord.SelectOption(label=f, value=f) for f in FILMS[:3]],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_message(
            f"{interaction.user.name} picked {select.values[0]}"
        )


class SuggestModal(discord.ui.Modal, title="Suggest a film"):
    film = discord.ui.TextInput(label="Title", custom_id="suggest:title", max_length=100)
    reason = discord.ui.TextInput(
        label="Why", custom_id="suggest:why", style=discord.TextStyle.paragraph, required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Noted: {self.film.value} ({self.reason.value})")


club = app_commands.Group(name="club", description="Club business")
poll = app_commands.Group(name="poll", description="Polls", parent=club)


@club.command(description="Join the club")
async def join(interaction: discord.Interaction, nickname: str) -> None:
    await interaction.response.send_message(f"Welcome, {nickname}", ephemeral=True)


@poll.command(description="Start a poll")
@app_commands.describe(hours="How long", about="Which channel")
async def start(
    interaction: discord.Interaction,
    hours: app_commands.Range[int, 1, 48],
    about: discord.TextChannel,
    fan: discord.Member | None = None,
) -> None:
    who = f" for {fan.name}" if fan else ""
    await interaction.response.send_message(f"Poll in #{about.name} for {hours}h{who}")


class TinyBot(commands.AutoShardedBot):
    """Just enough of a bot to use every route and interaction kind the stand-in serves."""

    def __init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def setup_hook(self) -> None:
        tree = self.tree
        tree.add_command(club)

        @tree.command(description="Find a film")
        @app_commands.describe(title="Film title", year="Release year")
        async def movie(
            interaction: discord.Interaction, title: str, year: app_commands.Range[int, 1900] = 2000
        ) -> None:
            embed = discord.Embed(title=title, description=f"From {year}")
            await interaction.response.send_message(embed=embed, view=VoteView())

        @movie.autocomplete("title")
        async def movie_titles(interaction: discord.Interaction, current: str) -> list:
            found = [f for f in FILMS if current.lower() in f.lower()]
            return [app_commands.Choice(name=f, value=f) for f in found]

        @tree.command(description="Suggest a film")
        async def suggest(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(SuggestModal())

        @tree.command(description="Think, then answer")
        async def slow(interaction: discord.Interaction, edit: bool = False) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await asyncio.sleep(0.05)
            if edit:
                await interaction.edit_original_response(content="Done thinking")
            else:
                await interaction.followup.send("Here is the answer", ephemeral=True)
                await interaction.followup.send("And one more thing")

        @tree.command(description="Answer, follow up, tidy away")
        async def tidy(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Working")
            step = await interaction.followup.send("Step 1", wait=True)
            await step.edit(content="Step 1 done")
            original = await interaction.original_response()
            await interaction.followup.send(f"Original said {original.content}")
            await interaction.delete_original_response()

        @tree.command(description="Post the announcement, retrying once")
        async def announce(interaction: discord.Interaction) -> None:
            channel = interaction.channel
            first = await channel.send("Movie night at 8", nonce="announce-1")
            again = await channel.send("Movie night at 8", nonce="announce-1")
            same = "same" if first.id == again.id else "different"
            await interaction.response.send_message(f"Posted ({same} message)")

        @tree.command(description="Say too much")
        async def shout(interaction: discord.Interaction) -> None:
            try:
                await interaction.response.send_message("A" * 2001)
            except discord.HTTPException as error:
                await interaction.response.send_message(f"Refused: {error.status}")

        @tree.command(description="Read an upload")
        async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
            data = await file.read()
            echo = discord.File(io.BytesIO(data[::-1]), filename="reversed.txt")
            await interaction.response.send_message(
                f"{file.filename}: {len(data)} bytes", file=echo
            )

        @tree.command(description="Schedule movie night")
        @app_commands.guild_only()
        async def schedule(interaction: discord.Interaction) -> None:
            start_time = interaction.created_at + dt.timedelta(days=1)
            try:
                event = await interaction.guild.create_scheduled_event(
                    name="Movie night",
                    start_time=start_time,
                    end_time=start_time + dt.timedelta(hours=3),
                    entity_type=discord.EntityType.external,
                    privacy_level=discord.PrivacyLevel.guild_only,
                    location="The back room",
                )
            except discord.Forbidden:
                await interaction.response.send_message("I may not create events", ephemeral=True)
            else:
                await interaction.response.send_message(f"Scheduled {event.name}")

        @tree.command(description="Post in the channel")
        async def post(interaction: discord.Interaction) -> None:
            try:
                await interaction.channel.send("Hello")
            except discord.Forbidden as error:
                await interaction.response.send_message(f"Forbidden {error.code}", ephemeral=True)
            else:
                await interaction.response.send_message("Posted", ephemeral=True)

        @tree.command(description="Server settings")
        @app_commands.default_permissions(manage_guild=True)
        async def settings(interaction: discord.Interaction) -> None:
            allowed = interaction.permissions.manage_guild
            await interaction.response.send_message(f"manage_guild={allowed}", ephemeral=True)

        @tree.command(description="Never answers")
        async def silent(interaction: discord.Interaction) -> None:
            return None

        @tree.command(description="Answers too late")
        async def late(interaction: discord.Interaction) -> None:
            await asyncio.sleep(0.3)
            await interaction.response.send_message("Sorry I'm late")

        await tree.sync()


@pytest.fixture
async def bot(standin: DiscordStandIn) -> AsyncIterator[TinyBot]:
    async with run_bot(TinyBot(), standin) as running:
        yield running


async def test_login_syncs_commands_and_receives_the_guild(standin, bot):
    paths = [str(r) for r in standin.requests]
    app = standin.application_id
    assert paths[:4] == [
        "GET /users/@me",
        "GET /oauth2/applications/@me",
        f"PUT /applications/{app}/commands",
        "GET /gateway/bot",
    ]
    assert all(r.authorized for r in standin.requests)
    assert "Authorization" not in standin.requests[0].headers
    assert standin.commands_synced == 1
    names = {c["name"] for c in standin.commands()}
    assert {"movie", "club", "suggest", "slow", "settings"} <= names
    assert [g.name for g in bot.guilds] == ["Movie Club"]
    guild = bot.get_guild(standin.guild.id)
    assert guild.get_channel(standin.channel_id("movie-night")).name == "movie-night"
    assert guild.me.guild_permissions.manage_events
    assert standin.gateway.identifies == 1
    assert standin.gateway.heartbeats >= 1
    assert bot.latency < 1
    assert bot.tree.get_command("movie") is not None


async def test_slash_command_round_trip_with_embed_and_view(standin, bot):
    result = await standin.invoke("movie", {"title": "Brick", "year": 2005})
    assert result.type == 4
    assert result.message.embeds[0]["title"] == "Brick"
    assert result.message.custom_ids == ["vote:yes", "vote:later", "vote:why", "vote:pick"]
    assert result.message.allowed_mentions == {"parse": []}
    assert "From 2005" in result.text
    assert standin.channel_messages() == [result.message]
    with pytest.raises(ValueError, match="1900"):
        await standin.invoke("movie", {"title": "Brick", "year": 1800})
    with pytest.raises(ValueError, match="required"):
        await standin.invoke("movie", {"year": 2005})


async def test_subcommands_with_resolved_options(standin, bot):
    joined = await standin.invoke("club join", {"nickname": "Popcorn"}, user="ben")
    assert joined.message.content == "Welcome, Popcorn"
    assert joined.ephemeral
    assert standin.channel_messages() == []
    polled = await standin.invoke(
        "club poll start", {"hours": 3, "about": "movie-night", "fan": "ana"}, user="mod"
    )
    assert polled.message.content == "Poll in #movie-night for 3h for ana"
    sent = polled.record.payload
    assert sent["data"]["options"][0]["options"][0]["name"] == "start"
    assert sent["member"]["user"]["username"] == "mod"
    with pytest.raises(KeyError, match="subcommand"):
        await standin.invoke("club", {})


async def test_autocomplete_returns_the_bots_choices(standin, bot):
    choices = await standin.autocomplete("movie", {"title": "am"}, focused="title")
    assert [c["name"] for c in choices] == ["Amélie", "American Graffiti"]


async def test_button_click_updates_the_message_and_ephemeral_reply(standin, bot):
    shown = await standin.invoke("movie", {"title": "Brick"})
    clicked = await standin.click(shown, "vote:yes", user="ben")
    assert clicked.type == 7
    assert clicked.message.id == shown.message.id
    assert shown.message.content == "1 yes"
    why = await standin.click(shown.message, "vote:why")
    assert why.message.ephemeral and why.message.content == "Because it is Friday."
    picked = await standin.select(shown, "vote:pick", ["Another Round"], user="mod")
    assert picked.message.content == "mod picked Another Round"
    later = await standin.click(shown, "vote:later")
    assert later.type == 6
    assert later.message is shown.message
    assert shown.message.content == "Later it is" and shown.message.components == []
    with pytest.raises(KeyError, match="vote:yes"):
        await standin.click(shown, "vote:yes")


async def test_modal_round_trip(standin, bot):
    opened = await standin.invoke("suggest")
    assert opened.type == 9
    assert opened.modal["title"] == "Suggest a film"
    submitted = await standin.submit_modal(opened, {"suggest:title": "Coherence"})
    assert submitted.message.content == "Noted: Coherence ()"
    with pytest.raises(ValueError, match="required"):
        await standin.submit_modal(opened, {"suggest:why": "no title"})


async def test_deferred_response_then_followups_or_edit(standin, bot):
    followed = await standin.invoke("slow")
    assert followed.type == 5
    assert followed.message.content == "Here is the answer"
    assert followed.message.ephemeral and not followed.message.loading
    rest = await followed.wait_followups(2)
    assert [m.content for m in rest] == ["Here is the answer", "And one more thing"]
    assert not rest[1].ephemeral
    edited = await standin.invoke("slow", {"edit": True})
    assert edited.message.content == "Done thinking"
    assert edited.followups == []


async def test_followup_edit_fetch_and_delete_of_the_original(standin, bot):
    result = await standin.invoke("tidy")
    await standin.wait_until(lambda: result.message.deleted, 2.0, "the original was not deleted")
    assert [m.content for m in result.followups] == ["Step 1 done", "Original said Working"]
    assert [m.content for m in standin.channel_messages()] == [
        "Step 1 done",
        "Original said Working",
    ]
    methods = [r.method for r in standin.requests if r.path.startswith("/webhooks/")]
    assert methods == ["POST", "PATCH", "GET", "POST", "DELETE"]


async def test_channel_send_with_nonce_is_sent_once(standin, bot):
    result = await standin.invoke("announce")
    assert result.message.content == "Posted (same message)"
    sends = [r for r in standin.requests if r.path.endswith("/messages") and r.method == "POST"]
    assert [r.deduplicated for r in sends] == [False, True]
    assert [m.content for m in standin.channel_messages()] == [
        "Movie night at 8",
        "Posted (same message)",
    ]
    channel = bot.get_channel(standin.channel_id("movie-night"))
    history = [m.content async for m in channel.history(limit=10)]
    assert history == ["Posted (same message)", "Movie night at 8"]
    draft = await channel.send("draft")
    fetched = await channel.fetch_message(draft.id)
    await fetched.edit(content="final")
    assert standin.message(draft.id).content == "final"
    assert standin.message(draft.id).versions[0]["content"] == "draft"
    await fetched.delete()
    assert draft.id not in [m.id for m in standin.channel_messages()]
    assert (await bot.fetch_channel(channel.id)).name == "movie-night"


async def test_a_nonce_is_enforced_for_a_few_minutes_only(standin, bot, clock):
    channel = bot.get_channel(standin.channel_id("movie-night"))
    first = await channel.send("Movie night at 8", nonce="night-1")
    clock.now += NONCE_WINDOW - dt.timedelta(seconds=1)
    assert (await channel.send("Movie night at 8", nonce="night-1")).id == first.id
    clock.now += dt.timedelta(seconds=1)
    assert (await channel.send("Movie night at 8", nonce="night-1")).id != first.id


async def test_gateway_drop_and_resume_then_commands_still_work(standin, bot):
    await standin.drop_gateway()
    await standin.wait_resumed()
    assert standin.gateway.resumes == 1 and standin.gateway.identifies == 1
    result = await standin.invoke("club join", {"nickname": "Back"})
    assert result.message.content == "Welcome, Back"
    await standin.drop_gateway()
    during = await standin.invoke("club join", {"nickname": "Queued"})
    assert during.message.content == "Welcome, Queued"
    assert standin.gateway.resumes == 2


async def test_message_over_the_limit_is_refused_and_recorded(standin, bot):
    result = await standin.invoke("shout")
    assert result.message.content == "Refused: 400"
    refused = [r for r in standin.requests if r.status == 400]
    assert len(refused) == 1 and len(refused[0].message["content"]) == 2001
    (violation,) = standin.take_violations()
    assert "content: must be 2000 or fewer in length (got 2001)" in str(violation)


async def test_unknown_endpoint_is_recorded(standin, bot):
    with pytest.raises(discord.NotFound):
        await bot.fetch_guild(standin.guild.id)
    (violation,) = standin.take_violations()
    assert f"GET /guilds/{standin.guild.id}" in str(violation)
    assert "no such endpoint" in str(violation)


async def test_attachments_in_and_out(standin, bot):
    upload = standin.add_attachment("list.txt", b"Brick\nCoherence\n", "text/plain")
    result = await standin.invoke("upload", {"file": upload})
    assert result.message.content == "list.txt: 16 bytes"
    (sent,) = result.message.attachments
    assert sent["filename"] == "reversed.txt"
    request = next(r for r in standin.requests if r.files)
    assert request.files[0].data == b"\necnerehoC\nkcirB"
    assert request.payload["type"] == 4


async def test_missing_permissions_and_injected_faults(standin, bot):
    standin.fail("POST", "/channels/{channel_id}/messages", 403)
    refused = await standin.invoke("post")
    assert refused.message.content == "Forbidden 50013"
    posted = await standin.invoke("post")
    assert posted.message.content == "Posted"
    scheduled = await standin.invoke("schedule")
    assert scheduled.message.content == "Scheduled Movie night"
    (event,) = standin.events()
    assert event["entity_metadata"] == {"location": "The back room"}
    (fetched,) = await bot.get_guild(standin.guild.id).fetch_scheduled_events()
    await fetched.cancel()
    assert event["status"] == 4


@pytest.mark.parametrize("year", [2016, 2061])
async def test_the_stand_in_keeps_the_tests_clock_not_the_calendar(year):
    clock = FakeClock(dt.datetime(year, 3, 1, 12, 0, tzinfo=dt.UTC))
    async with DiscordStandIn(clock=clock) as standin, run_bot(TinyBot(), standin) as bot:
        scheduled = await standin.invoke("schedule")
        assert scheduled.message.content == "Scheduled Movie night"
        (event,) = standin.events()
        assert event["scheduled_start_time"].startswith(f"{year}-03-02T12:00")
        assert scheduled.message.data["timestamp"].startswith(f"{year}-03-01T12:00")
        clock.now += dt.timedelta(days=2)
        with pytest.raises(discord.HTTPException, match="must be in the future"):
            await bot.get_guild(standin.guild.id).create_scheduled_event(
                name="Too late",
                start_time=clock.now - dt.timedelta(minutes=1),
                end_time=clock.now + dt.timedelta(hours=2),
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location="The back room",
            )
        standin.take_violations()


async def test_a_server_error_is_retried_by_discord_py(standin, bot):
    fault = standin.fail("POST", "/channels/*/messages", 500, times=1)
    result = await standin.invoke("post")
    assert result.message.content == "Posted"
    assert fault.hits == 1
    sends = [r.status for r in standin.requests if r.path.endswith("/messages")]
    assert sends == [500, 200]


async def test_two_servers_and_a_direct_message(clock):
    society = GuildSpec(
        name="Film Society",
        channels=(ChannelSpec("screenings"),),
        members=(MemberSpec("owner"), MemberSpec("cleo")),
        default_member="cleo",
    )
    async with (
        DiscordStandIn(guilds=[GuildSpec(), society], clock=clock) as standin,
        run_bot(TinyBot(), standin) as bot,
    ):
        assert sorted(g.name for g in bot.guilds) == ["Film Society", "Movie Club"]
        second = standin.guilds[1]
        there = await standin.invoke("club join", {"nickname": "Cleo"}, guild=second)
        assert there.record.payload["guild_id"] == str(second.id)
        assert there.message.channel_id == second.channel_id("screenings")
        direct = await standin.invoke("club join", {"nickname": "Ana"}, dm=True)
        assert direct.message.content == "Welcome, Ana"
        assert "guild_id" not in direct.record.payload
        with pytest.raises(PermissionError, match="DMs"):
            await standin.invoke("schedule", dm=True)


async def test_bot_without_manage_events_is_refused(clock):
    spec = GuildSpec(
        bot_permissions=discord.Permissions(
            default_bot_permissions().value, manage_events=False, create_events=False
        )
    )
    async with DiscordStandIn(spec, clock=clock) as standin, run_bot(TinyBot(), standin):
        result = await standin.invoke("schedule")
        assert result.message.content == "I may not create events"
        assert standin.events() == []


async def test_default_member_permissions_hide_a_command(standin, bot):
    with pytest.raises(PermissionError, match="cannot see /settings"):
        await standin.invoke("settings", user="ana")
    mod = await standin.invoke("settings", user="mod")
    assert mod.message.content == "manage_guild=True"
    overridden = await standin.invoke("settings", user="ana", ignore_default_permissions=True)
    assert overridden.message.content == "manage_guild=False"


async def test_silence_and_late_answers_fail_clearly(clock):
    async with (
        DiscordStandIn(response_deadline=0.2, clock=clock) as standin,
        run_bot(TinyBot(), standin),
    ):
        with pytest.raises(AssertionError, match="did not respond to /silent"):
            await standin.invoke("silent", timeout=0.3)
        with pytest.raises(AssertionError, match="did not respond to /late"):
            await standin.invoke("late", timeout=0.6)
        (late,) = standin.take_violations()
        assert "Unknown interaction: answered 0.3 s after it was sent" in str(late)


async def test_a_crashed_bot_fails_the_wait_at_once(clock):
    async with DiscordStandIn(clock=clock) as standin:
        with pytest.raises(discord.ConnectionClosed):
            async with run_bot(TinyBot(), standin):
                await standin.drop_gateway(code=4004)
                with pytest.raises(AssertionError, match="the bot stopped"):
                    await standin.invoke("club join", {"nickname": "x"}, timeout=3)


async def test_latency_delays_each_answer_but_the_deadline_counts_the_arrival(clock):
    async with (
        DiscordStandIn(response_deadline=0.2, clock=clock) as standin,
        run_bot(TinyBot(), standin),
    ):
        standin.latency = 0.3  # more than the deadline: only the arrival may count
        loop = asyncio.get_running_loop()
        began = loop.time()
        shown = await standin.invoke("movie", {"title": "Brick"})
        assert loop.time() - began >= 0.3  # the callback waited out the round trip
        assert shown.callback_after < 0.2 and shown.answered_after == shown.callback_after

        thought = await standin.invoke("slow")  # defer (0.3 s round trip), then a followup
        assert thought.callback_after < 0.2
        assert thought.answered_after >= 0.3 + 0.05
        assert standin.violations == []

        with pytest.raises(AssertionError, match="did not respond to /late"):
            await standin.invoke("late", timeout=0.8)  # starts its answer 0.3 s late
        (late,) = standin.take_violations()
        assert "Unknown interaction: answered 0.3 s after it was sent" in str(late)


def test_jitter_is_drawn_from_the_seed(clock):
    def delays(seed: int) -> list[float]:
        standin = DiscordStandIn(latency=0.1, jitter=0.05, seed=seed, clock=clock)
        return [standin.answer_delay() for _ in range(20)]

    assert delays(7) == delays(7) != delays(8)
    assert all(0.1 <= delay <= 0.15 for delay in delays(7))
    assert DiscordStandIn(clock=clock).answer_delay() == 0


def test_a_server_with_many_members(clock):
    spec = GuildSpec().with_members(50)
    keys = spec.member_keys("member")
    assert keys == [f"member{n}" for n in range(1, 51)]
    assert spec.member_keys()[:4] == ["owner", "mod", "ana", "ben"]
    standin = DiscordStandIn(spec, clock=clock)
    assert len({standin.user_id(key) for key in keys}) == 50
    with pytest.raises(ValueError, match="exist already"):
        spec.with_members(1)


async def test_a_burst_of_members_is_answered_together(clock):
    spec = GuildSpec().with_members(30)
    async with DiscordStandIn(spec, clock=clock) as standin, run_bot(TinyBot(), standin):
        standin.latency = 0.2
        keys = spec.member_keys("member")
        loop = asyncio.get_running_loop()
        began = loop.time()
        joined = await standin.burst(
            standin.invoke("club join", {"nickname": key}, user=key) for key in keys
        )
        assert loop.time() - began < 1.5  # together, not 30 round trips one after another
        assert [result.message.content for result in joined] == [f"Welcome, {k}" for k in keys]
        assert [result.user_id for result in joined] == [standin.user_id(k) for k in keys]
        assert all(0 <= result.answered_after < 1.0 for result in joined)

        spaced = await standin.burst(
            (standin.invoke("club join", {"nickname": "x"}, user=key) for key in keys[:3]),
            spacing=0.1,
        )
        sent = [result.record.created for result in spaced]
        assert sent[1] - sent[0] >= 0.1 and sent[2] - sent[0] >= 0.2

        with pytest.raises(AssertionError, match="1 of 3 interactions in the burst failed") as lost:
            await standin.burst(
                [
                    standin.invoke("club join", {"nickname": "a"}, user=keys[0]),
                    standin.invoke("silent", user=keys[1], timeout=0.5),
                    standin.invoke("club join", {"nickname": "c"}, user=keys[2]),
                ]
            )
        assert "#1: the application did not respond to /silent" in str(lost.value)


async def test_a_restart_keeps_discords_side_and_loses_the_bots_memory(standin):
    @contextlib.asynccontextmanager
    async def process() -> AsyncIterator[TinyBot]:
        yield TinyBot()

    async with restartable_bot(process, standin) as bots:
        first = bots.bot
        shown = await standin.invoke("movie", {"title": "Brick"})
        assert await bots.restart() is bots.bot
        assert bots.bot is not first and first.is_closed() and bots.starts == 2
        assert standin.gateway.identifies == 2 and standin.gateway.resumes == 0
        assert standin.message(shown.message_id).custom_ids  # the message and its buttons stay
        with pytest.raises(AssertionError, match="did not respond to 'vote:yes'"):
            await standin.click(shown, "vote:yes", timeout=0.5)  # its view died with the process
        again = await standin.invoke("movie", {"title": "Coherence"})
        assert again.message.embeds[0]["title"] == "Coherence"
    assert not bots.running


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        ({"name": "Movie", "description": "x"}, "name"),
        ({"name": "movie night", "description": "x"}, "name"),
        ({"name": "movie", "description": ""}, "description"),
        ({"name": "film", "description": "d" * 101}, "description"),
        (
            {
                "name": "pick",
                "description": "x",
                "options": [
                    {"type": 3, "name": "a", "description": "x"},
                    {"type": 3, "name": "b", "description": "x", "required": True},
                ],
            },
            "required options must come before",
        ),
        (
            {
                "name": "pick",
                "description": "x",
                "options": [
                    {
                        "type": 3,
                        "name": "a",
                        "description": "x",
                        "autocomplete": True,
                        "choices": [{"name": "x", "value": "x"}],
                    }
                ],
            },
            "both choices and autocomplete",
        ),
    ],
)
def test_command_limits(command, problem):
    assert problem in str(limits.command_problems(command))


def test_command_limits_accept_unicode_names_and_nested_subcommands():
    command = {
        "name": "película",
        "description": "x",
        "options": [
            {
                "type": 2,
                "name": "grupo",
                "description": "x",
                "options": [{"type": 1, "name": "uno", "description": "x"}],
            }
        ],
    }
    assert limits.command_problems(command) == []


def test_message_limits():
    fields = [{"name": "n", "value": "v" * 1024}] * 6
    heavy = {"embeds": [{"title": "t", "fields": fields}]}
    assert "6000" in str(limits.message_problems(heavy))
    row = {"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": "a"}] * 6}
    found = str(limits.message_problems({"components": [row]}))
    assert "5 or fewer components" in found and "duplicates custom_id" in found
    assert "empty message" in str(limits.message_problems({"content": "  "}))
    assert limits.message_problems({"content": "fine", "allowed_mentions": {"parse": []}}) == []


def test_interaction_answer_limits():
    many = [{"name": f"film {i}", "value": str(i)} for i in range(26)]
    assert "25 or fewer choices" in str(limits.autocomplete_problems(many))
    assert "100 or fewer" in str(limits.autocomplete_problems([{"name": "n" * 101, "value": "v"}]))
    text_input = {"type": 4, "custom_id": "t", "style": 1, "label": "L" * 46}
    modal = {
        "title": "T" * 46,
        "custom_id": "m",
        "components": [{"type": 1, "components": [text_input]}] * 6,
    }
    found = dict(limits.modal_problems(modal))
    assert found["title"] == "must be 45 or fewer in length (got 46)"
    assert found["components"] == "must have 5 or fewer components (got 6)"
    assert found["components.0.components.0.label"] == "must be 45 or fewer in length (got 46)"
    select = {"type": 3, "custom_id": "s", "options": [{"label": "a", "value": "a"}]}
    button = {"type": 2, "style": 1, "label": "b", "custom_id": "b"}
    crowded = {"components": [{"type": 1, "components": [select, button]}]}
    assert "alone in its action row" in str(limits.message_problems(crowded))
    both = {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}}
    assert "conflicts" in str(limits.message_problems(both))
