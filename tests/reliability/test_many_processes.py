"""Several bot processes starting on one new database at once: it is migrated once and gets
its starter catalog once, and every process opens it."""

import asyncio
import multiprocessing
import sqlite3
import traceback
from pathlib import Path

from bot.settings import DEFAULT_STARTER
from bot.store import LATEST_VERSION, Store

PROCESSES = 4


def _open_together(database: str, barrier, results) -> None:  # runs in a child process
    async def open_once() -> int:
        barrier.wait()
        async with await Store.open(database, starter=DEFAULT_STARTER) as store:
            return await store.schema_version()

    try:
        results.put(asyncio.run(open_once()))
    except Exception as error:  # the parent reports what went wrong in which process
        results.put("".join(traceback.format_exception(error)))


def test_processes_starting_at_once_migrate_and_load_the_starter_catalog_once(tmp_path: Path):
    database = str(tmp_path / "movienight.db")
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=_open_together, args=(database, barrier, results))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)

    assert outcomes == [LATEST_VERSION] * PROCESSES
    starter = len(list(DEFAULT_STARTER.glob("*.txt")))
    with sqlite3.connect(database) as db:
        [(reviews,)] = db.execute("SELECT count(*) FROM reviews").fetchall()
        [(audit,)] = db.execute("SELECT count(*) FROM review_audit").fetchall()
    assert reviews == starter
    assert audit == starter, "each starter review was recorded once, as added"
