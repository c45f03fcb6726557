"""End-to-end tests: the real bot against the local Discord stand-in (tests/standin)."""

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.discord_bot import MovieNightBot
from bot.settings import DEFAULT_THESAURUS, Settings
from tests.conftest import FIXTURE_REVIEWS, FakeClock
from tests.e2e.helpers import catalog_settings, restartable_movienight
from tests.e2e.running import RunningBot
from tests.standin import DiscordStandIn, Restartable
from tests.standin.fixtures import standin  # noqa: F401  (the stand-in fixture)


@pytest.fixture
async def bots(
    standin: DiscordStandIn,  # noqa: F811
    clock: FakeClock,
    tmp_path: Path,
) -> AsyncIterator[Restartable[MovieNightBot]]:
    """The bot over the starter catalog, restartable: ``await bots.restart()``; ``bots.bot`` is
    the one running now (its core: ``bots.bot.core``)."""
    async with restartable_movienight(standin, catalog_settings(tmp_path), clock) as running:
        yield running


@pytest.fixture
def club_settings(new_database: Callable[[str], Path | str]) -> Settings:
    """The five fixture reviews, on a database a restarted bot (or a second process) opens
    again: a SQLite file, or a PostgreSQL database in ``both_backends`` modules."""
    return Settings(
        database=new_database("club"), starter=FIXTURE_REVIEWS, thesaurus=DEFAULT_THESAURUS
    )


@pytest.fixture
async def running(
    standin: DiscordStandIn,  # noqa: F811
    club_settings: Settings,
    clock: FakeClock,
) -> AsyncIterator[RunningBot]:
    """The real bot, running against ``standin``; ``await running.restart()`` restarts it."""
    bot = RunningBot(standin, club_settings, clock)
    await bot.start()
    yield bot
    await bot.stop()
