"""``movienight run`` as real processes against the stand-in, on SQLite and on PostgreSQL:
SIGTERM (``docker stop``, ``systemctl stop``) closes one cleanly, its Discord connection and its
database with it; and of two sharded processes, ``kill -9`` one and the other keeps serving its
servers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_REVIEWS, process_marks
from tests.standin import DiscordStandIn, GuildSpec

pytestmark = pytest.mark.both_backends

NORMAL_CLOSURE = 1000


@contextlib.asynccontextmanager
async def movienight_run(
    standin: DiscordStandIn, database: Path | str, **settings: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``movienight run`` in a process of its own on ``database``, connected once it yields."""
    environment = {
        **os.environ,
        "DISCORD_TOKEN": standin.token,
        "MOVIENIGHT_DATABASE": str(database),
        "MOVIENIGHT_STARTER": str(FIXTURE_REVIEWS),
        "MOVIENIGHT_MODEL": "",
        **settings,
    }
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "tests.e2e.bot_process", standin.api_base, standin.gateway_url),
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(60):
        while not condition():
            await asyncio.sleep(0.05)


async def test_sigterm_closes_the_bot_cleanly(new_database, clock):
    database = new_database("movienight")
    async with (
        DiscordStandIn(clock=clock) as standin,
        movienight_run(standin, database) as process,
    ):
        await until(standin.gateway.is_connected)
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(60):
            _, errors = await process.communicate()
        assert process.returncode == 0, errors.decode()
    assert standin.gateway.disconnects[-1] == (0, NORMAL_CLOSURE)
    assert await process_marks(database) == []


async def test_kill_minus_nine_one_shard_process_and_the_other_serves_on(new_database, clock):
    database = new_database("movienight")
    guilds = [GuildSpec(name="Club Zero", shard=0), GuildSpec(name="Club One", shard=1)]
    async with DiscordStandIn(
        guilds=guilds, shard_count=2, max_concurrency=2, clock=clock
    ) as standin:
        shards = {"MOVIENIGHT_SHARD_COUNT": "2"}
        async with (
            movienight_run(standin, database, MOVIENIGHT_SHARDS="0", **shards) as zero,
            movienight_run(standin, database, MOVIENIGHT_SHARDS="1", **shards),
        ):
            await until(lambda: all(standin.gateway.is_connected(s) for s in (0, 1)))
            await until(lambda: bool(standin.commands()))  # shard 0's process synced them
            for guild in standin.guilds:
                answer = await standin.invoke("movie", {"title": "Finish Line"}, guild=guild)
                assert answer.message.embeds[0]["title"].startswith("Finish Line")
            zero.kill()  # SIGKILL
            await zero.wait()
            answer = await standin.invoke(
                "movie", {"title": "Finish Line"}, guild=standin.guilds[1]
            )
            assert answer.message.embeds[0]["title"].startswith("Finish Line")
