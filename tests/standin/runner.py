"""Run a real, unmodified discord.py bot against the stand-in for the length of a test, and
restart it the way a process restarts."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, TypeVar

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


class Restartable(Generic[ClientT]):
    """A bot a test can restart like a process; made by :func:`restartable_bot`.

    :attr:`bot` is the bot running now; :attr:`starts` counts its starts (1 before any restart).
    """

    def __init__(
        self,
        start: Callable[[], AbstractAsyncContextManager[ClientT]],
        standin: DiscordStandIn,
        run_options: dict[str, Any],
    ) -> None:
        self._start_process = start
        self._standin = standin
        self._run_options = run_options
        self._running: contextlib.AsyncExitStack | None = None
        self._bot: ClientT | None = None
        self.starts = 0

    @property
    def running(self) -> bool:
        return self._bot is not None

    @property
    def bot(self) -> ClientT:
        if self._bot is None:
            raise RuntimeError("the bot is not running")
        return self._bot

    async def restart(self) -> ClientT:
        """End the running bot as its process would end, then start a new one; return it.

        What survives is what survives a real restart: the stand-in keeps every message with
        its components, the registered commands, events and interaction tokens; the database
        file stays. Everything in the old bot's memory is gone: views and forms waiting for a
        click or a submit, caches, cooldowns, locks, work in flight. The new bot identifies
        afresh (it does not resume), so dispatches sent while no bot ran are not replayed.
        """
        await self._stop(None)
        await self._start()
        return self.bot

    async def _start(self) -> None:
        stack = contextlib.AsyncExitStack()
        try:
            client = await stack.enter_async_context(self._start_process())
            self._bot = await stack.enter_async_context(
                run_bot(client, self._standin, **self._run_options)
            )
        except BaseException:
            await stack.aclose()
            raise
        self._running = stack
        self.starts += 1

    async def _stop(self, error: BaseException | None) -> None:
        stack, self._running, self._bot = self._running, None, None
        if stack is None:
            return
        if error is None:
            await stack.aclose()
        else:
            await stack.__aexit__(type(error), error, error.__traceback__)


@contextlib.asynccontextmanager
async def restartable_bot(
    start: Callable[[], AbstractAsyncContextManager[ClientT]],
    standin: DiscordStandIn,
    **run_options: Any,
) -> AsyncIterator[Restartable[ClientT]]:
    """Run the bot that ``start()`` makes, restartable with ``await bots.restart()``.

    ``start`` makes one process's life: an async context manager that opens what the process
    holds (the bot's database, say), yields a new, not yet started client, and closes it all at
    exit. Each start runs the client with :func:`run_bot` (``run_options`` go to it), so each
    stop closes the client, checks the stand-in is clean, then closes what ``start`` opened.
    """
    bots = Restartable(start, standin, run_options)
    await bots._start()
    try:
        yield bots
    except BaseException as error:
        await bots._stop(error)
        raise
    await bots._stop(None)
