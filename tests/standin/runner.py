"""Run a real, unmodified discord.py bot against the stand-in for the length of a test."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TypeVar

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.standin.standin import DiscordStandIn

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.asynccontextmanager
async def run_bot(
    bot: ClientT,
    standin: DiscordStandIn,
    *,
    token: str | None = None,
    timeout: float = 10.0,
    guild_ready_timeout: float = 0.05,
) -> AsyncIterator[ClientT]:
    """Log ``bot`` in to the stand-in, connect it, and yield it once it is ready.

    Points ``discord.http.Route.BASE`` (and the default gateway, for clients that do not ask
    ``/gateway/bot``) at the stand-in, restoring both afterwards. ``guild_ready_timeout``
    shortens how long discord.py waits for more GUILD_CREATEs before READY (2 s by default) so
    tests start fast; it changes a client setting, not the bot's code. A crash of the bot's
    connection task fails any wait on the stand-in at once and is raised again at exit. On a
    clean exit :meth:`DiscordStandIn.assert_clean` runs, so every violation fails the test.
    """
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = standin.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway_url)
    task: asyncio.Task[None] | None = None
    try:
        bot._connection.guild_ready_timeout = guild_ready_timeout
        await bot.login(token or standin.token)
        task = asyncio.create_task(bot.connect(reconnect=True), name="standin-bot-connect")
        standin.watch(task)
        await _until_ready(bot, task, timeout)
        yield bot
    finally:
        await bot.close()
        standin.watch(None)
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
        if task is not None:
            await asyncio.wait({task}, timeout=timeout)
    if task is not None and task.done() and not task.cancelled() and task.exception():
        raise task.exception()  # type: ignore[misc]
    standin.assert_clean()


async def _until_ready(bot: discord.Client, task: asyncio.Task[None], timeout: float) -> None:
    ready = asyncio.ensure_future(bot.wait_until_ready())
    done, _ = await asyncio.wait(
        {ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
    )
    if ready in done:
        return
    ready.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await ready
    if task in done:
        raise RuntimeError("the bot stopped before it was ready") from task.exception()
    raise TimeoutError(f"the bot was not ready within {timeout} s")
