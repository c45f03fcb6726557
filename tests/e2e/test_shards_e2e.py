"""A sharded bot in two processes over one database: each server answered by the process that
holds its shard, one process killed while the other serves on, and the weekly posts of both
made exactly once when both restart at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.schedule import Weekday
from bot.settings import Settings
from bot.shards import ShardPlan
from tests.conftest import FakeClock
from tests.e2e.running import RunningBot
from tests.e2e.test_weekly_e2e import POST_AT, WEEK
from tests.standin import DiscordStandIn, GuildSpec, client_tag

pytestmark = pytest.mark.both_backends

SHARDS = 2


@pytest.fixture
async def two_shards(clock: FakeClock) -> AsyncIterator[DiscordStandIn]:
    """Discord with two shards (two IDENTIFY buckets) and a movie club on each."""
    guilds = [GuildSpec(name="Club Zero", shard=0), GuildSpec(name="Club One", shard=1)]
    async with DiscordStandIn(
        guilds=guilds, shard_count=SHARDS, max_concurrency=SHARDS, clock=clock
    ) as standin:
        yield standin


def holding(settings: Settings, *shards: int) -> Settings:
    return replace(settings, shards=ShardPlan(shards, SHARDS))


@pytest.fixture
async def processes(two_shards, club_settings, clock) -> AsyncIterator[list[RunningBot]]:
    """The bot as two processes: the first holds shard 0, the second shard 1."""
    started = []
    for shard in range(SHARDS):
        process = RunningBot(two_shards, holding(club_settings, shard), clock)
        await process.start()
        started.append(process)
    yield started
    for process in reversed(started):
        await process.stop()


async def test_each_server_is_answered_by_the_process_holding_its_shard(two_shards, processes):
    zero, one = processes
    assert [g.id for g in zero.bot.guilds] == [two_shards.guilds[0].id]
    assert [g.id for g in one.bot.guilds] == [two_shards.guilds[1].id]
    for guild in two_shards.guilds:
        answer = await two_shards.invoke("movie", {"title": "Finish Line"}, guild=guild)
        assert answer.message.embeds[0]["title"].startswith("Finish Line")
    assert [shard for shard, _ in two_shards.gateway.identify_log] == [0, 1]
    synced_by = {r.client for r in two_shards.requests if "/commands" in r.path}
    assert synced_by == {client_tag(zero.bot)}, "only shard 0's process syncs commands"


async def test_a_killed_process_leaves_the_other_serving_its_servers(two_shards, processes, clock):
    zero = processes[0]
    club_zero, club_one = two_shards.guilds
    await zero.kill()
    answer = await two_shards.invoke("movie", {"title": "Finish Line"}, guild=club_one)
    assert answer.message.embeds[0]["title"].startswith("Finish Line")
    clock.now += timedelta(seconds=5)  # shard 0's next IDENTIFY may come 5 s after its last
    await zero.restart()
    answer = await two_shards.invoke("movie", {"title": "Finish Line"}, guild=club_zero)
    assert answer.message.embeds[0]["title"].startswith("Finish Line")


async def set_weekly_everywhere(standin: DiscordStandIn) -> None:
    for guild in standin.guilds:
        values = {
            "channel": "movie-night",
            "day": int(Weekday.Friday),
            "time": "19:00",
            "timezone": "Europe/Berlin",
            "mode": "pick",
        }
        answer = await standin.invoke("weekly set", values, user="mod", guild=guild)
        assert answer.message.content.startswith("Saved."), answer.message.content


async def test_each_process_posts_only_its_own_servers_weeks(two_shards, processes, clock):
    await set_weekly_everywhere(two_shards)
    clock.now = POST_AT
    for process in processes:
        await process.tick()
    for guild, process in zip(two_shards.guilds, processes, strict=True):
        channel = two_shards.channel_id("movie-night", guild)
        (posted,) = two_shards.channel_messages(channel)
        sends = [
            r for r in two_shards.message_requests if r.path == f"/channels/{channel}/messages"
        ]
        assert [r.client for r in sends] == [client_tag(process.bot)]
        assert posted.content.startswith("🍿 Movie night")


async def test_both_killed_mid_post_and_restarted_at_once_post_each_week_once(
    two_shards, processes, clock
):
    zero, one = processes
    club_zero, club_one = two_shards.guilds
    await set_weekly_everywhere(two_shards)
    held = two_shards.hold_next_send(two_shards.channel_id("movie-night", club_zero))
    clock.now = POST_AT
    ticking = asyncio.create_task(zero.tick())
    await held.arrived  # claimed in the database, its message on the way
    await one.tick()
    await asyncio.gather(zero.kill(), one.kill())  # the request never reaches Discord
    ticking.cancel()
    assert held.dropped

    await asyncio.gather(zero.restart(), one.restart())
    clock.now = POST_AT + timedelta(minutes=1)
    await asyncio.gather(zero.tick(), one.tick())
    await asyncio.gather(zero.tick(), one.tick())
    for guild in (club_zero, club_one):
        (posted,) = two_shards.channel_messages(two_shards.channel_id("movie-night", guild))
        stored = await zero.core.store.weekly_post_for(guild.id, WEEK)
        assert (stored.state, stored.message_id) == ("posted", posted.id)


async def test_identifies_in_one_bucket_take_turns_across_processes(club_settings, clock):
    guilds = [GuildSpec(name="Club Zero", shard=0), GuildSpec(name="Club One", shard=1)]
    async with DiscordStandIn(
        guilds=guilds, shard_count=SHARDS, max_concurrency=1, clock=clock
    ) as standin:
        zero = RunningBot(standin, holding(club_settings, 0), clock)
        one = RunningBot(standin, holding(club_settings, 1), clock)
        await zero.start()
        starting = asyncio.create_task(one.start())
        await asyncio.sleep(0.3)
        assert not starting.done(), "shard 1 waits for its bucket's turn"
        clock.now += timedelta(seconds=5)
        await starting
        (first, at_first), (second, at_second) = standin.gateway.identify_log
        assert (first, second) == (0, 1) and at_second - at_first == timedelta(seconds=5)
        await one.stop()
        await zero.stop()
