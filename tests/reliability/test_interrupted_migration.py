"""A migration that fails or is killed half way leaves the database as it was, never a mix.

The lean-store migration (``*_lean_store.sql``) rewrites every table that holds review text,
so it is the one to interrupt: here while it compresses the reviews, after it has already
rebuilt the history and dropped the old index inside its transaction.
"""

import asyncio
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store import LATEST_VERSION, Store, base
from tests.conftest import assert_index_matches_reviews
from tests.reliability.test_migrations import LEAN, add_history, build_at

BEFORE = LEAN - 1
CHILD = """
import asyncio, sys, time
from bot.store import Store, base, packed

def pack_then_hang(text):
    print("packing", flush=True)  # inside the migration's transaction: the parent kills us now
    time.sleep(60)
    return packed.pack(text)

base.SQL_FUNCTIONS = tuple(
    (name, arity, pack_then_hang if name == "review_pack" else function)
    for name, arity, function in base.SQL_FUNCTIONS
)
asyncio.run(Store.open(sys.argv[1]))
"""


def old_database(path: Path) -> list[str]:
    """A database one version before the migration, with a history; returns its full dump."""
    build_at(path, BEFORE)
    with sqlite3.connect(path) as db:
        add_history(db)
    return dump(path)


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [f"user_version {db.execute('PRAGMA user_version').fetchone()[0]}", *db.iterdump()]


async def assert_migrates_whole(path: Path) -> None:
    async with await Store.open(path) as store:
        assert await store.schema_version() == LATEST_VERSION
        assert [e.action for e in await store.history(1)] == [
            "where",
            "restore",
            "remove",
            "edit",
            "add",
        ]
        weights = (1.0, 1.0, 1.0, 1.0)
        found = await store.ranked(0, "knee", weights=weights, limit=5, exclude_seen=False)
        assert [review_id for review_id, _ in found] == [1]
        await assert_index_matches_reviews(store)


async def test_a_failure_part_way_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "failed.db"
    before = old_database(path)

    def pack_fails(text: str) -> bytes:
        raise RuntimeError("the disk is full")

    patched = tuple(
        (name, arity, pack_fails if name == "review_pack" else function)
        for name, arity, function in base.SQL_FUNCTIONS
    )
    monkeypatch.setattr(base, "SQL_FUNCTIONS", patched)
    with pytest.raises(sqlite3.OperationalError):
        await Store.open(path)
    assert dump(path) == before

    monkeypatch.undo()
    await assert_migrates_whole(path)


async def test_a_kill_minus_nine_part_way_leaves_the_old_version(tmp_path):
    path = tmp_path / "killed.db"
    before = old_database(path)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        str(path),
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    assert child.stdout is not None
    assert await asyncio.wait_for(child.stdout.readline(), 60) == b"packing\n"
    child.send_signal(signal.SIGKILL)
    assert await child.wait() == -signal.SIGKILL
    assert dump(path) == before

    await assert_migrates_whole(path)
