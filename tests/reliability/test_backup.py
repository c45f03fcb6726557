"""Backups while the bot runs, and restores that refuse anything but a movienight database."""

import sqlite3

import pytest

from bot.cli import main
from bot.review import parse
from bot.store import LATEST_VERSION, Store, StoreError, backup_version, restore_database
from tests.conftest import FIXTURE_REVIEWS


def fixture(name):
    return parse((FIXTURE_REVIEWS / name).read_text(encoding="utf-8"))


async def test_backup_while_in_use_then_restore(tmp_path):
    live = tmp_path / "live.db"
    copy = tmp_path / "copy.db"
    async with await Store.open(live) as store:
        await store.save_review(fixture("velvet-job-1998.txt"))
        await store.backup(copy)  # the store stays open and usable
        await store.save_review(fixture("night-shift-2015.txt"))
        assert len(await store.reviews_in_scope()) == 2
    assert backup_version(copy) == LATEST_VERSION
    assert restore_database(copy, live) == LATEST_VERSION
    async with await Store.open(live) as store:
        assert [s.review.title for s in await store.reviews_in_scope()] == ["Velvet Job"]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_text("just some text, not a database"), "not an SQLite database"),
        (
            lambda p: sqlite3.connect(p).execute("CREATE TABLE x (y)").connection.commit(),
            "not a movienight one",
        ),
    ],
    ids=["missing", "text", "other-sqlite"],
)
def test_restore_refuses_what_is_not_a_movienight_database(tmp_path, make, problem):
    source = tmp_path / "backup.db"
    make(source)
    target = tmp_path / "live.db"
    target.write_bytes(b"untouched")
    with pytest.raises(StoreError, match=problem):
        restore_database(source, target)
    assert target.read_bytes() == b"untouched"


async def test_restore_refuses_a_newer_schema(tmp_path):
    source = tmp_path / "future.db"
    async with await Store.open(source):
        pass
    with sqlite3.connect(source) as db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        restore_database(source, tmp_path / "live.db")


def test_backup_and_restore_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOVIENIGHT_DATABASE", str(tmp_path / "bot.db"))
    monkeypatch.setenv("MOVIENIGHT_STARTER", str(FIXTURE_REVIEWS))
    assert main(["backup", "saved.db"]) == 0
    assert backup_version(tmp_path / "saved.db") == LATEST_VERSION
    (tmp_path / "junk.db").write_text("junk")
    assert main(["restore", "junk.db"]) == 1
    assert "Not restored" in capsys.readouterr().err
    assert main(["restore", "saved.db"]) == 0
