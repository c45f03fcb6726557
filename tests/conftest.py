"""Shared fixtures: a migrated store on a temporary file, the core around it, and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest

from bot.core import Core
from bot.review import latest_year
from bot.settings import DEFAULT_STARTER, DEFAULT_THESAURUS, Settings
from bot.store import Store
from bot.store.pg_store import PostgresStore
from bot.store.search_copy import COLUMNS
from tests.postgres_server import (
    ThrowawayPostgres,
    cannot_start,
    drop_database,
    fresh_databases,
    make_database,
)

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


BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_backends: run the test on SQLite and again on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "sqlite_only(reason): a test of SQLite itself, in a both_backends module"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_backends`` run once per backend; any other test on SQLite only."""
    marked = metafunc.definition.get_closest_marker
    if "backend" in metafunc.fixturenames and marked("both_backends") and not marked("sqlite_only"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def migrated_postgres(postgres_url: str) -> Iterator[str]:
    """The name of a database this session migrated once: new ones copy it (a copy takes a
    fraction of migrating)."""
    name = f"movienight_migrated_{os.getpid()}"
    url = make_database(postgres_url, name)
    asyncio.run(_migrate(url))
    with psycopg.connect(postgres_url, autocommit=True) as admin:  # a copy's source: unused
        admin.execute(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = %s",
            (name,),
        )
    yield name
    drop_database(postgres_url, name)


async def _migrate(url: str) -> None:
    store = await Store.open(url)
    await store.close()


@pytest.fixture
def new_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[..., Path | str]:
    """``new_database(name, migrated=True)``: a new database for the test's backend, a SQLite
    file in the test's folder (``name`` keeps a test's databases apart), or a PostgreSQL
    database already migrated (``migrated=False``: empty, for a test of migrating itself)."""
    if backend == "sqlite":
        return lambda name, migrated=True: tmp_path / f"{name}.db"
    fresh = request.getfixturevalue("fresh_postgres")
    template = request.getfixturevalue("migrated_postgres")
    return lambda name, migrated=True: fresh(template=template if migrated else None)


@pytest.fixture
def settings(new_database: Callable[[str], Path | str]) -> Settings:
    return Settings(database=new_database("movienight"), starter=None, thesaurus=DEFAULT_THESAURUS)


@pytest.fixture
async def store(settings: Settings, clock: FakeClock) -> AsyncIterator[Store]:
    """An empty, migrated store."""
    async with await Store.open(settings.database, clock=clock) as opened:
        yield opened


async def _core_over(starter: Path, database: Path | str, clock: FakeClock) -> AsyncIterator[Core]:
    settings = Settings(database=database, starter=starter, thesaurus=DEFAULT_THESAURUS)
    core = await Core.open(settings, clock=clock)
    yield core
    await core.close()


@pytest.fixture
async def catalog(
    new_database: Callable[[str], Path | str], clock: FakeClock
) -> AsyncIterator[Core]:
    """The core over the shipped starter catalog."""
    async for core in _core_over(DEFAULT_STARTER, new_database("catalog"), clock):
        yield core


@pytest.fixture
async def fixture_core(
    new_database: Callable[[str], Path | str], clock: FakeClock
) -> AsyncIterator[Core]:
    """The core over the five small reviews in tests/fixtures/catalog (for exact rankings)."""
    async for core in _core_over(FIXTURE_REVIEWS, new_database("fixture"), clock):
        yield core


INDEX_CHECK = "INSERT INTO review_fts (review_fts, rank) VALUES ('integrity-check', 1)"
"""FTS5's own check that its index holds exactly the text of the reviews (it raises otherwise)."""


async def assert_index_matches_reviews(store: Store) -> None:
    """On PostgreSQL: the process's search copy holds every review as PostgreSQL does, and
    its index their text."""
    if isinstance(store, PostgresStore):
        copy = await store._search_db()
        query = f"SELECT {COLUMNS} FROM reviews ORDER BY id"
        assert await copy.execute_fetchall(query) == await store._reader.execute_fetchall(query)
        await copy.execute(INDEX_CHECK)
        return
    async with store.transaction() as db:
        await db.execute(INDEX_CHECK)


async def process_marks(database: Path | str) -> list[str]:
    """Whose marks are on ``database``, live or not yet swept away: the files beside a SQLite
    database (by name), the owners in PostgreSQL's ``processes``."""
    if isinstance(database, Path):
        return [mark.name.partition("@")[0] for mark in Path(f"{database}.processes").iterdir()]
    async with await psycopg.AsyncConnection.connect(database) as db:
        return [
            owner for (owner,) in await (await db.execute("SELECT owner FROM processes")).fetchall()
        ]


POSTGRES_URL_VARIABLE = "MOVIENIGHT_TEST_POSTGRES_URL"
"""A running PostgreSQL server's superuser URL for the tests to use instead of starting one."""
REQUIRE_POSTGRES_VARIABLE = "MOVIENIGHT_REQUIRE_POSTGRES"
"""Set to 1 (CI does), a test that would skip for want of PostgreSQL fails instead."""


def without_postgres(reason: str, environ: Mapping[str, str]) -> NoReturn:
    """Skip the test for want of PostgreSQL, or fail it when ``environ`` requires PostgreSQL."""
    if environ.get(REQUIRE_POSTGRES_VARIABLE) == "1":
        pytest.fail(f"{reason} ({REQUIRE_POSTGRES_VARIABLE}=1: PostgreSQL is required)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server's superuser URL: ``MOVIENIGHT_TEST_POSTGRES_URL``'s, or else that of a
    throwaway server this session starts (tests/postgres_server.py) on first use and stops at
    its end. Skips (fails, under ``MOVIENIGHT_REQUIRE_POSTGRES=1``) when neither is possible."""
    if url := os.environ.get(POSTGRES_URL_VARIABLE):
        yield url
        return
    reason = cannot_start()
    if reason is not None:
        without_postgres(f"{reason}; or set {POSTGRES_URL_VARIABLE}", os.environ)
    with ThrowawayPostgres() as server:
        yield server.url


@pytest.fixture
def fresh_postgres(postgres_url: str) -> Iterator[Callable[..., str]]:
    """``fresh_postgres(template=None)``: the URL of a new database on the tests' server, empty
    or a copy of ``template``; each one is dropped after the test, connections left open or not."""
    with fresh_databases(postgres_url) as fresh:
        yield fresh
