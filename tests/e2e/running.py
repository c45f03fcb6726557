"""The real bot on a database file it can be restarted over, against one stand-in.

A restart is what a new process does: the bot closes, a new :class:`~bot.core.Core` opens the
same database file on the same clock, and a new bot logs in to the same stand-in, which keeps
every message, event and click it has seen.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

from bot.core import Core
from bot.discord_bot import MovieNightBot
from bot.discord_weekly import WeeklyPoster, poster_of
from bot.settings import Settings
from tests.conftest import FakeClock
from tests.standin import DiscordStandIn, run_bot


class RunningBot:
    def __init__(self, standin: DiscordStandIn, settings: Settings, clock: FakeClock) -> None:
        self.standin = standin
        self.settings = settings
        self.clock = clock
        self._stack: AsyncExitStack | None = None
        self._bot: MovieNightBot | None = None

    @property
    def bot(self) -> MovieNightBot:
        assert self._bot is not None, "the bot is not running"
        return self._bot

    @property
    def core(self) -> Core:
        return self.bot.core

    @property
    def poster(self) -> WeeklyPoster:
        return poster_of(self.bot)

    async def tick(self) -> None:
        """What the scheduler does each minute, at the clock's time."""
        await self.poster.tick()

    async def start(self) -> None:
        stack = AsyncExitStack()
        core = await Core.open(self.settings, clock=self.clock)
        stack.push_async_callback(core.close)
        self._bot = await stack.enter_async_context(
            run_bot(MovieNightBot(core, self.settings), self.standin)
        )
        self._stack = stack

    async def stop(self) -> None:
        if self._stack is not None:
            stack, self._stack, self._bot = self._stack, None, None
            await stack.aclose()

    async def restart(self) -> None:
        await self.stop()
        await self.start()
