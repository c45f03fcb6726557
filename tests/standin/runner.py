"""Run real, unmodified discord.py bots against the stand-in for the length of a test, one or
several at once (each a process holding its shards), restart one the way a process restarts,
or kill one the way ``kill -9`` does."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, TypeVar

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.standin.standin import DiscordStandIn

ClientT = TypeVar("ClientT", bound=discord.Client)


class _Redirect:
    """Points discord.py's REST base and default gateway at one stand-in while any bot runs,
    and restores them when the last one stops (the two are module globals of discord.py)."""

    def __init__(self) -> None:
        self.users = 0
        self.saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY

    def acquire(self, standin: DiscordStandIn) -> None:
        if self.users == 0:
            self.saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
            Route.BASE = standin.api_base
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway_url)
        elif standin.api_base != Route.BASE:
            raise RuntimeError("bots run against another stand-in: one stand-in at a time")
        self.users += 1

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self.saved


class _Run:
    """What :func:`run_bot` knows of a running bot: its connection task and its tag (added to
    its User-Agent, so the stand-in can tell which client sent a request or holds a socket)."""

    def __init__(self, standin: DiscordStandIn, tag: str) -> None:
        self.standin = standin
        self.tag = tag
        self.task: asyncio.Task[None] | None = None
        self.killed = False


_redirect = _Redirect()
_tags = itertools.count(1)
_running: dict[discord.Client, _Run] = {}


def client_tag(bot: discord.Client) -> str:
    """The tag the stand-in knows a running bot by (``RecordedRequest.client``,
    ``Session.client``)."""
    return _running[bot].tag


async def kill_bot(bot: discord.Client, timeout: float = 5.0) -> None:
    """End a bot run by :func:`run_bot` as ``kill -9`` ends its process.

    Its connections are cut at once: its gateway sockets end without a close frame (the
    stand-in sees 1006 and keeps the sessions resumable, as Discord does), its requests in
    flight get no answer and its held sends are dropped, never carried out. Nothing it does
    afterwards reaches the stand-in, and it never reconnects. ``run_bot`` then exits without
    closing it; a new bot has to identify afresh.
    """
    run = _running[bot]
    run.killed = True
    if run.task is not None:
        run.standin.unwatch(run.task)
        run.task.cancel()
    for ws in _websockets(bot):
        if ws._keep_alive is not None:
            ws._keep_alive.stop()
    for shard in _shards(bot):
        shard._cancel_task()
    await bot.http.close()  # closes every TCP connection; no websocket close frame is sent
    await run.standin.cut_off(run.tag, timeout)
    if run.task is not None:
        await asyncio.wait({run.task}, timeout=timeout)


def _shards(bot: discord.Client) -> list[Any]:
    """The shard workers of an AutoShardedClient (discord.py keeps them private: it has no way
    to die without closing its sockets politely)."""
    if isinstance(bot, discord.AutoShardedClient):
        return [info._parent for info in bot.shards.values()]
    return []


def _websockets(bot: discord.Client) -> list[DiscordWebSocket]:
    if isinstance(bot, discord.AutoShardedClient):
        return [shard.ws for shard in _shards(bot)]
    return [bot.ws] if bot.ws is not None else []


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
    ``/gateway/bot``, such as an AutoShardedClient given its ``shard_count``) at the stand-in
    while any bot runs, restoring both when the last one stops; several bots may run at once
    and stop in any order. ``guild_ready_timeout`` shortens how long discord.py waits for more
    GUILD_CREATEs before READY (2 s by default) so tests start fast, and a tag added to the
    User-Agent lets the stand-in tell the bots apart (:func:`client_tag`); both change client
    settings, not the bot's code. A crash of the bot's connection task fails any wait on the
    stand-in at once and is raised again at exit. On a clean exit
    :meth:`DiscordStandIn.assert_clean` runs, so every violation fails the test.
    """
    _redirect.acquire(standin)
    run = _running[bot] = _Run(standin, f"{next(_tags)}")
    try:
        bot._connection.guild_ready_timeout = guild_ready_timeout
        bot.http.user_agent = f"{bot.http.user_agent} standin-client/{run.tag}"
        await bot.login(token or standin.token)
        run.task = asyncio.create_task(bot.connect(reconnect=True), name="standin-bot-connect")
        standin.watch(run.task)
        await _until_ready(bot, run.task, timeout)
        yield bot
    finally:
        del _running[bot]
        if run.task is not None:
            standin.unwatch(run.task)
        if not run.killed:
            await bot.close()
        _redirect.release()
        if run.task is not None:
            await asyncio.wait({run.task}, timeout=timeout)
    task = run.task
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

    async def kill(self) -> None:
        """End the running bot as ``kill -9`` ends its process (see :func:`kill_bot`), then
        close what ``start`` opened, as the system frees a dead process's files. Start a new
        one with :meth:`restart`."""
        await kill_bot(self.bot)
        await self._stop(None)

    async def restart(self) -> ClientT:
        """End the running bot as its process would end, then start a new one; return it.

        What survives is what survives a real restart: the stand-in keeps every message with
        its components, the registered commands, events and interaction tokens; the database
        file stays. Everything in the old bot's memory is gone: views and forms waiting for a
        click or a submit, caches, cooldowns, locks, work in flight. The new bot identifies
        afresh (it does not resume), so dispatches sent while no bot ran are not replayed.
        After :meth:`kill` it starts the new bot.
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
