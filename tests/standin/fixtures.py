"""A pytest fixture for the stand-in. Use it from a conftest with
``from tests.standin.fixtures import standin  # noqa: F401``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.standin.standin import DiscordStandIn


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    """A running stand-in with the default movie club server."""
    async with DiscordStandIn() as server:
        yield server
