"""Two bot processes over one database, as during a rolling restart: each weekly post is made
exactly once, and an unfinished post of a live process is not taken for a crash's."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from tests.core.test_leases import ended_process
from tests.e2e.running import RunningBot
from tests.e2e.test_weekly_e2e import NIGHT, POST_AT, record, set_weekly, weekly_set

pytestmark = pytest.mark.both_backends


@pytest.fixture
async def second(standin, club_settings, clock, running) -> AsyncIterator[RunningBot]:
    """A second process of the bot on the same database and Discord, started after the first
    (and stopped before it)."""
    bot = RunningBot(standin, club_settings, clock)
    await bot.start()
    yield bot
    await bot.stop()


@contextlib.asynccontextmanager
async def stuck_before_sending(running: RunningBot) -> AsyncIterator[asyncio.Event]:
    """``running``'s next post is claimed, then waits before it is sent until the event is set."""
    go_on = asyncio.Event()
    send = running.poster._send_post

    async def held(channel, post):
        await go_on.wait()
        return await send(channel, post)

    running.poster._send_post = held  # type: ignore[method-assign]
    try:
        yield go_on
    finally:
        running.poster._send_post = send  # type: ignore[method-assign]


async def until_claimed(running: RunningBot) -> None:
    for _ in range(200):
        post = await record(running)
        if post is not None and post.state == "intent":
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the week was never claimed")


async def test_a_live_process_s_unfinished_post_is_left_to_it(standin, running, second, clock):
    await set_weekly(standin)
    clock.now = POST_AT
    async with stuck_before_sending(running) as go_on:
        first_tick = asyncio.create_task(running.tick())
        await until_claimed(running)
        await second.tick()  # sees the intent: not a crash's, the first process is alive
        assert standin.channel_messages("movie-night") == []
        assert (await record(second)).state == "intent"
        go_on.set()
        await first_tick
    await second.tick()
    assert len(standin.channel_messages("movie-night")) == 1
    assert (await record(second)).state == "posted"


async def test_a_post_left_by_a_killed_process_is_made_once_by_the_other(
    standin, running, second, clock
):
    await set_weekly(standin)
    clock.now = POST_AT
    async with stuck_before_sending(running):
        first_tick = asyncio.create_task(running.tick())
        await until_claimed(running)
        await ended_process(running.core.store)  # kill -9: its mark (or session) is dropped
        try:
            await second.tick()  # the holder is gone: its post is looked for, then made
            await second.tick()
        finally:
            first_tick.cancel()
    (posted,) = standin.channel_messages("movie-night")
    found = await record(second)
    assert (found.state, found.message_id) == ("posted", posted.id)


async def test_two_processes_ticking_at_once_post_the_week_once(standin, running, second, clock):
    await set_weekly(standin)
    clock.now = POST_AT
    await asyncio.gather(running.tick(), second.tick(), running.tick(), second.tick())
    assert len(standin.channel_messages("movie-night")) == 1
    assert (await record(running)).state == "posted"


async def test_two_processes_at_the_reminder_time_remind_once(standin, running, second, clock):
    await weekly_set(standin, "pick", remind="interested")
    clock.now = POST_AT
    await running.tick()
    (event,) = standin.events()
    standin.mark_interested(event["id"], "ana")
    clock.now = NIGHT - timedelta(minutes=15)
    await asyncio.gather(running.tick(), second.tick())
    await asyncio.gather(running.tick(), second.tick())
    clock.now += timedelta(minutes=6)  # past the nonce's few minutes: nothing left to catch it
    await asyncio.gather(running.tick(), second.tick())
    starting = [m for m in standin.channel_messages("movie-night") if m.content.startswith("🎬")]
    assert len(starting) == 1
