"""The real bot on a database file it can be restarted over, against one stand-in.

A restart is what a new process does: the bot closes, a new :class:`~bot.core.Core` opens the
same database file on the same clock, and a new bot logs in to the same stand-in, which keeps
every message, event and click it has seen.
"""

from __future__ import annotations

from bot.core import Core
from bot.discord_bot import MovieNightBot
from bot.discord_weekly import WeeklyPoster, poster_of
from bot.settings import Settings
from tests.conftest import FakeClock
from tests.e2e.helpers import restartable_movienight
from tests.standin import DiscordStandIn, Restartable


class RunningBot:
    """:func:`~tests.e2e.helpers.restartable_movienight` with the weekly poster at hand:
    ``start``, ``restart``, ``stop``, and the running ``bot``, its ``core`` and ``poster``."""

    def __init__(self, standin: DiscordStandIn, settings: Settings, clock: FakeClock) -> None:
        self.standin = standin
        self.clock = clock
        self._process = restartable_movienight(standin, settings, clock)
        self._bots: Restartable[MovieNightBot] | None = None

    @property
    def bot(self) -> MovieNightBot:
        assert self._bots is not None, "the bot is not running"
        return self._bots.bot

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
        self._bots = await self._process.__aenter__()

    async def stop(self) -> None:
        if self._bots is not None:
            self._bots = None
            await self._process.__aexit__(None, None, None)

    async def kill(self) -> None:
        """End the process as ``kill -9`` does (``restart`` starts a new one)."""
        assert self._bots is not None, "the bot is not running"
        await self._bots.kill()

    async def restart(self) -> None:
        assert self._bots is not None, "the bot is not running"
        await self._bots.restart()
