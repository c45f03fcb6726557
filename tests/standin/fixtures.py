"""A pytest fixture for the stand-in. Use it from a conftest with
``from tests.standin.fixtures import standin  # noqa: F401``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import FakeClock
from tests.standin.standin import DiscordStandIn


@pytest.fixture
async def standin(clock: FakeClock) -> AsyncIterator[DiscordStandIn]:
    """A running stand-in with the default movie club server, on the test's clock."""
    async with DiscordStandIn(clock=clock) as server:
        yield server
