"""Shared fixtures: a migrated store on a temporary file, and the core around it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core import Core
from bot.review import latest_year
from bot.settings import DEFAULT_STARTER, DEFAULT_THESAURUS, Settings
from bot.store import Store

FIXTURE_REVIEWS = Path(__file__).parent / "fixtures" / "catalog"


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


LATEST_YEAR = latest_year(FakeClock().now.date())
"""The latest release year a review may give on the tests' clock (core calls derive the same)."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=tmp_path / "movienight.db", starter=None, thesaurus=DEFAULT_THESAURUS)


@pytest.fixture
async def store(settings: Settings, clock: FakeClock) -> AsyncIterator[Store]:
    """An empty, migrated store."""
    async with await Store.open(settings.database, clock=clock) as opened:
        yield opened


async def _core_over(starter: Path, database: Path, clock: FakeClock) -> AsyncIterator[Core]:
    settings = Settings(database=database, starter=starter, thesaurus=DEFAULT_THESAURUS)
    core = await Core.open(settings, clock=clock)
    yield core
    await core.close()


@pytest.fixture
async def catalog(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Core]:
    """The core over the shipped starter catalog."""
    async for core in _core_over(DEFAULT_STARTER, tmp_path / "catalog.db", clock):
        yield core


@pytest.fixture
async def fixture_core(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Core]:
    """The core over the five small reviews in tests/fixtures/catalog (for exact rankings)."""
    async for core in _core_over(FIXTURE_REVIEWS, tmp_path / "fixture.db", clock):
        yield core


INDEX_CHECK = "INSERT INTO review_fts (review_fts, rank) VALUES ('integrity-check', 1)"
"""FTS5's own check that its index holds exactly the text of the reviews (it raises otherwise)."""


async def assert_index_matches_reviews(store: Store) -> None:
    async with store.transaction() as db:
        await db.execute(INDEX_CHECK)
