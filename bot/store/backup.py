"""Backups with SQLite's online backup API: safe while the bot is running."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import aiosqlite

from bot.store.base import LATEST_VERSION
from bot.store.records import StoreError

_REQUIRED_TABLES = {"reviews", "review_fts", "review_audit", "meta"}


async def backup_database(source: aiosqlite.Connection, target: Path) -> None:
    """Copy the live database page by page into ``target`` (replaced if it exists)."""
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(target)) as copy:
        await source.backup(copy)


def backup_version(path: Path) -> int:
    """The schema version of a movienight database file; StoreError if it is not one we know."""
    if not path.is_file():
        raise StoreError(f"{path} does not exist")
    with path.open("rb") as head:
        if head.read(16) != b"SQLite format 3\x00":
            raise StoreError(f"{path} is not an SQLite database")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            (check,) = db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} cannot be read as a database: {error}") from error
    if not tables >= _REQUIRED_TABLES or version < 1:
        raise StoreError(f"{path} is an SQLite database, but not a movienight one")
    if version > LATEST_VERSION:
        raise StoreError(
            f"{path} is at schema version {version}, newer than this movienight ({LATEST_VERSION})"
        )
    if check != "ok":
        raise StoreError(f"{path} is damaged: {check}")
    return version


def restore_database(source: Path, target: Path) -> int:
    """Replace ``target`` with a checked backup; returns the backup's schema version.

    The bot must be stopped first; the next start migrates an older backup forward.
    """
    version = backup_version(source)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
    return version
