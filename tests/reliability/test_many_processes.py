"""Several bot processes on one database: starting on a new one at once, it is migrated once
and gets its starter catalog once; a killed process's lease passes at once (these two on SQLite
and on PostgreSQL); and no upgrade runs while an older movienight still uses the database."""

import asyncio
import contextlib
import multiprocessing
import sqlite3
import subprocess
import sys
import threading
import traceback
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from filelock import FileLock

import bot.store as store_module
from bot.settings import DEFAULT_STARTER
from bot.store import LATEST_VERSION, Store, StoreError
from bot.store.pg_store import pg_migrations
from tests.conftest import process_marks
from tests.reliability.test_migrations import build_at

pytestmark = pytest.mark.both_backends

PROCESSES = 4


def _open_together(database: str, barrier, results) -> None:  # runs in a child process
    async def open_once() -> int:
        barrier.wait(timeout=120)
        async with await Store.open(database, starter=DEFAULT_STARTER) as store:
            return await store.schema_version()

    try:
        results.put(asyncio.run(open_once()))
    except Exception as error:  # the parent reports what went wrong in which process
        results.put("".join(traceback.format_exception(error)))


def rows(database: Path | str, query: str) -> list[tuple[Any, ...]]:
    """``query``'s rows, read straight from ``database`` (a SQLite file or a PostgreSQL URL)."""
    connect = sqlite3.connect if isinstance(database, Path) else psycopg.connect
    with contextlib.closing(connect(database)) as db:
        return db.execute(query).fetchall()


def test_processes_starting_at_once_migrate_and_load_the_starter_catalog_once(new_database):
    database = new_database("movienight", migrated=False)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=_open_together, args=(str(database), barrier, results))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)

    assert outcomes == [LATEST_VERSION] * PROCESSES
    starter = len(list(DEFAULT_STARTER.glob("*.txt")))
    assert rows(database, "SELECT count(*) FROM reviews") == [(starter,)]
    audit = rows(database, "SELECT count(*) FROM review_audit")
    assert audit == [(starter,)], "each starter review was recorded once, as added"
    if isinstance(database, str):  # PostgreSQL records each migration it applied
        applied = rows(database, "SELECT version FROM schema_migrations ORDER BY version")
        assert applied == [(number,) for number, _, _ in pg_migrations()]


HOLDER = """
import asyncio, sys
from datetime import timedelta
from bot.store import Store

async def hold():
    store = await Store.open(sys.argv[1])
    assert await store.take_lease("weekly-post:1", timedelta(minutes=10))
    print(store.presence.me, flush=True)
    await asyncio.sleep(3600)

asyncio.run(hold())
"""


async def until_seen_ended(store: Store, owner: str) -> None:
    """Until ``store`` sees process ``owner`` ended: at once on SQLite (the system drops a dead
    process's file lock as it dies), on PostgreSQL once the server has noticed the closed
    connection and ended the session, which it does in its own time."""
    async with asyncio.timeout(30):
        while not await store.presence.gone(owner):
            await asyncio.sleep(0.01)


async def test_a_lease_passes_at_once_when_its_holder_is_killed(new_database):
    database = new_database("movienight")
    async with await Store.open(database) as survivor:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(database)], stdout=subprocess.PIPE, text=True
        )
        try:
            owner = holder.stdout.readline().strip()
            assert owner, "the holding process did not start"
            assert not await survivor.take_lease("weekly-post:1", timedelta(minutes=10))
        finally:
            holder.kill()  # SIGKILL: no cleanup runs; only the system drops the file lock,
            holder.wait(timeout=30)  # or PostgreSQL the advisory lock of the ended session
        assert owner in await process_marks(database)
        await until_seen_ended(survivor, owner)
        assert await survivor.take_lease("weekly-post:1", timedelta(minutes=10))
        await survivor.presence.others()  # sweeps ended processes' marks (SQLite's: already)
        assert owner not in await process_marks(database)


async def test_no_upgrade_while_an_older_movienight_runs_on_the_database(tmp_path: Path):
    database = tmp_path / "movienight.db"
    build_at(database, LATEST_VERSION - 1)  # what the older movienight runs on
    marks = tmp_path / "movienight.db.processes"
    marks.mkdir()
    older = FileLock(marks / "0123456789abcdef.lock")  # marks carried no schema before 15
    older.acquire(timeout=0)
    try:
        with pytest.raises(StoreError, match=r"1 other movienight process.*stop them all"):
            await Store.open(database)
    finally:
        older.release()
    async with await Store.open(database) as store:  # once it has stopped, the upgrade runs
        assert await store.schema_version() == LATEST_VERSION
    assert list(marks.iterdir()) == [], "the ended process's mark was swept away"


def connection_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if "_connection_worker_thread" in t.name}


async def test_a_failed_opening_closes_what_it_opened(tmp_path: Path, monkeypatch):
    """A process whose opening failed (the database busy past the wait) must still be able to
    end: an unclosed connection's thread kept it alive for ever."""
    opened = connection_threads()
    connect = store_module.connect
    calls = 0

    async def second_fails(*args):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sqlite3.OperationalError("database is locked")
        return await connect(*args)

    monkeypatch.setattr(store_module, "connect", second_fails)
    with pytest.raises(sqlite3.OperationalError):
        await Store.open(tmp_path / "movienight.db")
    for thread in connection_threads() - opened:  # a closed connection's thread ends soon after
        thread.join(timeout=10)
        assert not thread.is_alive(), "a connection the failed opening made was left open"
    assert list((tmp_path / "movienight.db.processes").iterdir()) == []
