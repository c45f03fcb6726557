"""Fixtures for the weekly tests: a core over the fixture catalog that can be reopened."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.core import Core
from bot.settings import DEFAULT_THESAURUS, Settings
from tests.conftest import FIXTURE_REVIEWS, FakeClock


@pytest.fixture
def weekly_settings(new_database: Callable[[str], Path | str]) -> Settings:
    return Settings(
        database=new_database("weekly"), starter=FIXTURE_REVIEWS, thesaurus=DEFAULT_THESAURUS
    )


@pytest.fixture
async def cores(
    weekly_settings: Settings, clock: FakeClock
) -> AsyncIterator[Callable[[], Awaitable[Core]]]:
    """Open the same database again, as a restarted bot would; all are closed at the end."""
    opened: list[Core] = []

    async def open_core() -> Core:
        core = await Core.open(weekly_settings, clock=clock)
        opened.append(core)
        return core

    yield open_core
    for core in opened:
        await core.close()


@pytest.fixture
async def core(cores: Callable[[], Awaitable[Core]]) -> Core:
    """The core over the five fixture reviews, on a file that a test may reopen."""
    return await cores()
