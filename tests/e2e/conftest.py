"""End-to-end tests: the real bot against the local Discord stand-in (tests/standin)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import DEFAULT_THESAURUS, Settings
from tests.conftest import FIXTURE_REVIEWS, FakeClock
from tests.e2e.running import RunningBot
from tests.standin import DiscordStandIn
from tests.standin.fixtures import standin  # noqa: F401  (the stand-in fixture)


@pytest.fixture
def club_settings(tmp_path: Path) -> Settings:
    """The five fixture reviews, on a database file a restarted bot opens again."""
    return Settings(
        database=tmp_path / "club.db", starter=FIXTURE_REVIEWS, thesaurus=DEFAULT_THESAURUS
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
