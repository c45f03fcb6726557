"""End-to-end tests: the real bot against the local Discord stand-in (tests/standin)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.discord_bot import MovieNightBot
from tests.conftest import FakeClock
from tests.e2e.helpers import catalog_settings, restartable_movienight
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
