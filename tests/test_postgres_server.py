"""The tests' PostgreSQL: a throwaway server, fresh databases on it, and skipping without one."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.conftest import REQUIRE_POSTGRES_VARIABLE, without_postgres
from tests.postgres_server import (
    ThrowawayPostgres,
    cannot_start,
    database_url,
    fresh_databases,
    server_environment,
)


def name_of(url: str) -> str:
    return urlsplit(url).path.removeprefix("/")


def running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (an unreaped zombie has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


@pytest.fixture
def startable() -> None:
    """Skips (or fails, when required) where this machine cannot start a server."""
    reason = cannot_start()
    if reason is not None:
        without_postgres(reason, os.environ)


async def test_a_fresh_database_answers_through_the_async_api(fresh_postgres):
    url = fresh_postgres()
    async with await psycopg.AsyncConnection.connect(url) as db:
        cursor = await db.execute("SELECT current_database(), 1 + 1")
        assert await cursor.fetchone() == (name_of(url), 2)
        tables = await db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert await tables.fetchone() == (0,)


async def test_two_fresh_databases_are_independent(fresh_postgres):
    first, second = fresh_postgres(), fresh_postgres()
    assert first != second
    async with await psycopg.AsyncConnection.connect(first) as db:
        await db.execute("CREATE TABLE films (title text)")
        await db.execute("INSERT INTO films VALUES ('Alien')")
    async with await psycopg.AsyncConnection.connect(second) as db:
        cursor = await db.execute("SELECT to_regclass('films')")
        assert await cursor.fetchone() == (None,)


async def test_a_fresh_database_can_copy_a_template(fresh_postgres):
    template = fresh_postgres()
    async with await psycopg.AsyncConnection.connect(template) as db:
        await db.execute("CREATE TABLE films (title text)")
        await db.execute("INSERT INTO films VALUES ('Alien')")
    copy = fresh_postgres(template=name_of(template))
    async with await psycopg.AsyncConnection.connect(copy) as db:
        cursor = await db.execute("SELECT title FROM films")
        assert await cursor.fetchall() == [("Alien",)]


async def test_fresh_databases_are_dropped_after_their_block_despite_open_connections(
    postgres_url,
):
    with fresh_databases(postgres_url) as fresh:
        url = fresh()
        lingering = await psycopg.AsyncConnection.connect(url)
    try:
        with pytest.raises(psycopg.OperationalError):
            await lingering.execute("SELECT 1")
    finally:
        await lingering.close()
    async with await psycopg.AsyncConnection.connect(postgres_url) as admin:
        cursor = await admin.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [name_of(url)]
        )
        assert await cursor.fetchone() == (0,)


def test_the_server_and_its_directory_are_gone_after_the_block(startable):
    with ThrowawayPostgres() as server:
        with psycopg.connect(server.url) as db:
            assert db.execute("SELECT 1").fetchone() == (1,)
        assert running(server.pid)
        assert (server.data / "PG_VERSION").exists()
    assert not running(server.pid)
    assert not server.root.exists()


def test_a_failed_start_says_what_the_server_logged_and_leaves_nothing(startable):
    server = ThrowawayPostgres(settings={"shared_buffers": "'plenty'"})
    with pytest.raises(RuntimeError, match='invalid value for parameter "shared_buffers"'), server:
        pass
    assert not server.root.exists()


def test_without_postgres_skips_unless_required():
    with pytest.raises(pytest.skip.Exception, match="no server here"):
        without_postgres("no server here", {})
    with pytest.raises(pytest.skip.Exception):
        without_postgres("no server here", {REQUIRE_POSTGRES_VARIABLE: "0"})
    with pytest.raises(pytest.fail.Exception, match="no server here"):
        without_postgres("no server here", {REQUIRE_POSTGRES_VARIABLE: "1"})


def test_the_server_runs_without_libfaketime():
    moved = {"LD_PRELOAD": "/usr/lib/faketime/libfaketime.so.1", "FAKETIME": "+7y"}
    kept = {"PATH": "/usr/bin", "TZ": "Europe/Berlin"}
    assert server_environment({**moved, "FAKETIME_NO_CACHE": "1", **kept}) == kept


def test_a_database_url_keeps_everything_but_the_database():
    url = "postgresql://someone@127.0.0.1:5433/postgres?sslmode=disable"
    assert database_url(url, "films") == "postgresql://someone@127.0.0.1:5433/films?sslmode=disable"
