"""The stand-in's shards, proven with plain discord.py clients each holding some of them, as the
processes of a sharded bot do; and held sends, and a client killed as ``kill -9`` would."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.http import Route

from tests.conftest import FakeClock
from tests.standin import (
    DiscordStandIn,
    GuildSpec,
    client_tag,
    kill_bot,
    restartable_bot,
    run_bot,
    shard_of,
)
from tests.standin.snowflakes import Snowflakes

PACE = dt.timedelta(seconds=5)


class ShardClient(discord.AutoShardedClient):
    """A process of a sharded bot: holds ``shard_ids`` of ``shard_count`` and answers /where
    with its label. Its IDENTIFYs are paced by the test, which moves the clock."""

    def __init__(self, label: str, shard_ids: list[int], shard_count: int = 2) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, shard_ids=shard_ids, shard_count=shard_count)
        self.label = label
        self.seen: list[int] = []
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(description="Which process answers")
        async def where(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"{label} answers")

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        self.seen.append(interaction.id)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py would sleep 5 real seconds; the stand-in paces by its clock


@pytest.fixture
async def sharded(clock: FakeClock) -> AsyncIterator[DiscordStandIn]:
    """Two shards, one server on each."""
    specs = [GuildSpec(name="Club Zero", shard=0), GuildSpec(name="Club One", shard=1)]
    async with DiscordStandIn(guilds=specs, shard_count=2, clock=clock) as standin:
        yield standin


@contextlib.asynccontextmanager
async def two_processes(
    standin: DiscordStandIn, clock: FakeClock
) -> AsyncIterator[tuple[ShardClient, ShardClient]]:
    """ "first" holds shard 0, "second" shard 1; they identify 5 s apart on the clock."""
    async with run_bot(ShardClient("first", [0]), standin) as first:
        clock.now += PACE
        async with run_bot(ShardClient("second", [1]), standin) as second:
            yield first, second


def test_guild_ids_land_on_the_shard_asked_for(clock):
    new_id = Snowflakes(clock)
    for count in (1, 2, 3, 16):
        ids = [new_id.on_shard(shard, count) for shard in range(count) for _ in range(3)]
        assert [shard_of(i, count) for i in ids] == [s for s in range(count) for _ in range(3)]
        assert ids == sorted(set(ids))  # still increasing snowflakes
    assert new_id() > ids[-1]
    with pytest.raises(ValueError, match="not one of 2 shards"):
        new_id.on_shard(2, 2)
    with pytest.raises(ValueError, match="not one of 2 shards"):
        DiscordStandIn(GuildSpec(shard=2), shard_count=2, clock=clock)


async def test_each_process_gets_only_its_shards_servers(sharded, clock):
    zero, one = sharded.guilds
    started = clock.now
    async with two_processes(sharded, clock) as (first, second):
        assert [g.name for g in first.guilds] == ["Club Zero"]
        assert [g.name for g in second.guilds] == ["Club One"]
        assert first.get_guild(one.id) is None and second.get_guild(zero.id) is None
        sessions = sharded.gateway.sessions
        assert [sessions[0].shard, sessions[1].shard] == [[0, 2], [1, 2]]
        assert sessions[0].client == client_tag(first) != sessions[1].client == client_tag(second)
        assert sharded.gateway.identify_log == [(0, started), (1, started + PACE)]
        shards, _, limits = await first.http.get_bot_gateway()
        assert shards == 2 and limits["max_concurrency"] == 1


async def test_interactions_go_to_the_process_holding_their_servers_shard(sharded, clock):
    zero, one = sharded.guilds
    async with two_processes(sharded, clock) as (first, second):
        there = await sharded.invoke("where", guild=one)
        assert there.message.content == "second answers"
        here = await sharded.invoke("where", guild=zero)
        assert here.message.content == "first answers"
        direct = await sharded.invoke("where", dm=True)
        assert direct.message.content == "first answers"
        assert second.seen == [there.interaction_id]
        assert first.seen == [here.interaction_id, direct.interaction_id]


async def test_an_interaction_for_a_shard_no_process_holds_is_never_delivered(sharded):
    zero, one = sharded.guilds
    async with run_bot(ShardClient("first", [0]), sharded) as first:
        with pytest.raises(AssertionError, match="could not deliver it") as lost:
            await sharded.invoke("where", guild=one)
        assert "no bot has identified for shard 1 (of 2)" in str(lost.value)
        (record,) = sharded.undelivered
        assert record.label == "/where" and record.payload["guild_id"] == str(one.id)
        assert record.callback_type is None and first.seen == []
        answered = await sharded.invoke("where", guild=zero)
        assert answered.message.content == "first answers"


@pytest.mark.parametrize(
    ("client", "code", "problem"),
    [
        (lambda: ShardClient("wrong count", [0], shard_count=3), 4010, "invalid shard [0, 3]"),
        (lambda: discord.Client(intents=discord.Intents(guilds=True)), 4011, "sharding required"),
    ],
    ids=["wrong count", "unsharded"],
)
async def test_a_wrong_shard_count_is_refused(sharded, client, code, problem):
    with pytest.raises(RuntimeError, match="stopped before it was ready") as stopped:
        async with run_bot(client(), sharded):
            pass
    assert isinstance(stopped.value.__cause__, discord.ConnectionClosed)
    assert stopped.value.__cause__.code == code
    (violation,) = sharded.take_violations()
    assert f"gateway IDENTIFY: shard: {problem}" in str(violation)
    assert sharded.gateway.sessions == {}


async def test_identifies_are_paced_per_bucket_on_the_clock(clock):
    async with (
        DiscordStandIn(shard_count=4, max_concurrency=2, clock=clock) as standin,
        contextlib.AsyncExitStack() as processes,
    ):
        started = clock.now
        for shard in (0, 1):  # buckets 0 and 1: together is fine
            await processes.enter_async_context(
                run_bot(ShardClient(f"s{shard}", [shard], 4), standin)
            )
        assert standin.violations == []
        await processes.enter_async_context(run_bot(ShardClient("s2", [2], 4), standin))
        (paced,) = standin.take_violations()
        assert "shard 2 identified 0 s after shard 0 in bucket 0" in str(paced)
        clock.now += PACE
        last = await processes.enter_async_context(run_bot(ShardClient("s3", [3], 4), standin))
        assert standin.violations == []
        assert standin.gateway.identify_log == [
            (0, started),
            (1, started),
            (2, started),
            (3, started + PACE),
        ]
        shards, _, limits = await last.http.get_bot_gateway()
        assert shards == 4 and limits["max_concurrency"] == 2


async def test_one_shard_drops_and_resumes_while_the_other_stays(sharded, clock):
    zero, one = sharded.guilds
    async with two_processes(sharded, clock):
        await sharded.drop_gateway(shard=1)
        await sharded.wait_resumed(shard=1)
        gateway = sharded.gateway
        assert gateway.sessions[1].resumes == 1 and gateway.sessions[0].resumes == 0
        assert gateway.identifies == 2 and gateway.disconnects == [(1, 4000)]
        await sharded.drop_gateway(shard=1)
        during = await sharded.invoke("where", guild=one)  # waits for the resume, then replayed
        assert during.message.content == "second answers"
        assert gateway.sessions[1].resumes == 2
        assert (await sharded.invoke("where", guild=zero)).message.content == "first answers"


async def test_a_held_send_is_released_or_dropped(sharded):
    zero, _ = sharded.guilds
    channel_id = sharded.channel_id("movie-night", zero)
    async with run_bot(ShardClient("first", [0]), sharded) as first:
        channel = first.get_channel(channel_id)
        held = sharded.hold_next_send(channel_id)
        sending = asyncio.create_task(channel.send("Tonight: Brick"))
        request = await held.arrived
        assert request.payload["content"] == "Tonight: Brick"
        assert sharded.channel_messages(channel_id) == [] and not sending.done()
        held.release()
        sent = await sending
        assert [m.id for m in sharded.channel_messages(channel_id)] == [sent.id]

        held = sharded.hold_next_send("movie-night")
        sending = asyncio.create_task(channel.send("Tonight: Coherence"))
        request = await held.arrived
        held.drop()
        with pytest.raises(aiohttp.ClientConnectionError):
            await sending
        assert request.dropped and request.status == 0
        assert [m.id for m in sharded.channel_messages(channel_id)] == [sent.id]
        assert request not in sharded.message_requests
        with pytest.raises(RuntimeError, match="decided already"):
            held.release()
        again = await channel.send("Tonight: Coherence")  # the next send is not held
        assert sharded.channel_messages(channel_id)[-1].id == again.id


async def test_a_killed_process_says_no_goodbye_and_its_held_send_never_happens(sharded, clock):
    zero, one = sharded.guilds
    channel_id = sharded.channel_id("movie-night", zero)

    @contextlib.asynccontextmanager
    async def process() -> AsyncIterator[ShardClient]:
        yield ShardClient("first", [0])

    async with restartable_bot(process, sharded) as firsts:
        clock.now += PACE
        async with run_bot(ShardClient("second", [1]), sharded) as second:
            held = sharded.hold_next_send(channel_id)
            sending = asyncio.create_task(firsts.bot.get_channel(channel_id).send("Tonight"))
            await held.arrived
            await firsts.kill()
            assert not firsts.running
            assert held.dropped and sharded.channel_messages(channel_id) == []
            with pytest.raises(aiohttp.ClientConnectionError):
                await sending
            gateway = sharded.gateway
            assert gateway.disconnects == [(0, 1006)]  # no close frame
            assert not gateway.is_connected(0) and gateway.is_connected(1)
            there = await sharded.invoke("where", guild=one)
            assert there.message.content == "second answers"

            clock.now += PACE
            await firsts.restart()
            assert gateway.identifies == 3 and gateway.resumes == 0
            assert firsts.bot.seen == [] and firsts.starts == 2
            here = await sharded.invoke("where", guild=zero)
            assert here.message.content == "first answers"
        assert second.is_closed()


async def test_bots_stop_in_any_order_and_discord_py_is_restored_after_the_last(sharded, clock):
    _, one = sharded.guilds
    before = Route.BASE
    first_process, second_process = contextlib.AsyncExitStack(), contextlib.AsyncExitStack()
    await first_process.enter_async_context(run_bot(ShardClient("first", [0]), sharded))
    clock.now += PACE
    second = await second_process.enter_async_context(run_bot(ShardClient("second", [1]), sharded))
    await first_process.aclose()
    assert sharded.api_base == Route.BASE
    answered = await sharded.invoke("where", guild=one)
    assert answered.message.content == "second answers"
    await second_process.aclose()
    assert second.is_closed() and before == Route.BASE


async def test_a_plain_client_can_be_killed_too(standin):
    async with run_bot(discord.Client(intents=discord.Intents(guilds=True)), standin) as bot:
        await kill_bot(bot)
        assert standin.gateway.disconnects == [(0, 1006)]
        assert not standin.gateway.is_connected() and not bot.is_closed()
    assert standin.gateway.identifies == 1 and standin.gateway.resumes == 0
