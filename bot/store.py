"""The catalog store: the one module that speaks SQL.

SQLite through aiosqlite, in WAL mode with foreign keys on. The schema comes from the numbered
files in ``bot/migrations`` (applied in order, tracked with ``PRAGMA user_version``). Every write
runs in one transaction behind a single writer lock; reads use their own connection, so they see
only committed data and never wait for a writer.

Everything above this module (search, cards, cogs, the console) talks to :class:`Store` and never
sees a cursor, so another backend could stand in its place.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Literal

import aiosqlite

from bot.catalog_files import read_reviews
from bot.review import Review, from_json, to_json
from bot.text import fold

log = logging.getLogger(__name__)

SHARED = 0
"""The ``guild_id`` of the shared catalog, which every server sees."""

Clock = Callable[[], datetime]
Outcome = Literal["added", "updated", "unchanged"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def film_key(title: str, year: int | None) -> str:
    """One film, whoever reviewed it: folded title and year."""
    return f"{fold(title)}|{year or ''}"


class StoreError(Exception):
    """A write the store refused; the message says why in words a moderator can act on."""


@dataclass(frozen=True, slots=True)
class StoredReview:
    id: int
    guild_id: int
    review: Review
    checked_at: datetime | None
    updated_at: datetime
    deleted_at: datetime | None

    @property
    def shared(self) -> bool:
        return self.guild_id == SHARED

    @property
    def film_key(self) -> str:
        return film_key(self.review.title, self.review.year)


@dataclass(frozen=True, slots=True)
class TitleRow:
    id: int
    guild_id: int
    title: str
    year: int | None
    film_key: str


@dataclass(frozen=True, slots=True)
class SaveResult:
    review_id: int
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor_id: int | None
    action: str
    before: Review | None
    after: Review | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    stored: StoredReview
    rank: float
    pick_if: str  # the "Pick if" reasons, one a line, matched terms between the marks
    really_about: str  # the theme line, marked the same way


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files("bot.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


LATEST_VERSION = _migrations()[-1][0]

_REVIEW_COLUMNS = "r.id, r.guild_id, r.data, r.checked_at, r.updated_at, r.deleted_at"

# A server sees its own reviews and every shared review it has no live version of.
_VISIBLE = """
    r.deleted_at IS NULL AND (
        r.guild_id = :guild OR (
            r.guild_id = 0 AND NOT EXISTS (
                SELECT 1 FROM reviews o
                WHERE o.guild_id = :guild AND o.film_key = r.film_key AND o.deleted_at IS NULL
            )
        )
    )
"""
_NOT_SEEN = """
    NOT EXISTS (SELECT 1 FROM seen s WHERE s.guild_id = :guild AND s.film_key = r.film_key)
"""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _row_to_stored(row: Sequence) -> StoredReview:
    return StoredReview(
        id=row[0],
        guild_id=row[1],
        review=from_json(json.loads(row[2])),
        checked_at=_when(row[3]),
        updated_at=datetime.fromisoformat(row[4]),
        deleted_at=_when(row[5]),
    )


def _search_columns(review: Review) -> tuple[str, str, str, str]:
    """The text of each full-text column, in the order the FTS table declares them."""
    pick_if = "\n".join(
        f"{reason.headline}: {reason.detail}" if reason.detail else reason.headline
        for reason in review.pick_if
    )
    synopsis = "\n".join(part for part in (review.synopsis, review.tagline) if part)
    rest = "\n".join(
        [
            review.title,
            *review.directors,
            *(
                f"{member.name} {member.known_for}" if member.known_for else member.name
                for member in review.cast
            ),
            review.intro or "",
            *review.captions,
            review.memorable_scene or "",
        ]
    )
    return pick_if, review.really_about or "", synopsis, rest


async def _connect(path: str) -> aiosqlite.Connection:
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA foreign_keys = ON")
    await db.execute("PRAGMA busy_timeout = 5000")
    if path != ":memory:":
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
    return db


class Store:
    """The catalog and everything the bot remembers per server."""

    def __init__(
        self, writer: aiosqlite.Connection, reader: aiosqlite.Connection, clock: Clock
    ) -> None:
        self._writer = writer
        self._reader = reader
        self._clock = clock
        self._write_lock = asyncio.Lock()
        self.version = 0
        """Bumped after every committed write that changes reviews (caches compare it)."""

    # --- opening and closing -----------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        starter: Path | None = None,
        clock: Clock = utcnow,
    ) -> Store:
        """Open (creating and migrating as needed) the database at ``path``.

        A database that has never been initialised gets the reviews in ``starter``.
        """
        path = str(path)
        writer = await _connect(path)
        reader = writer if path == ":memory:" else await _connect(path)
        store = cls(writer, reader, clock)
        try:
            fresh = await store._migrate()
            if fresh and starter is not None:
                await store._load_starter(starter)
        except BaseException:
            await store.close()
            raise
        return store

    async def close(self) -> None:
        if self._reader is not self._writer:
            await self._reader.close()
        await self._writer.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def schema_version(self) -> int:
        async with self._reader.execute("PRAGMA user_version") as cursor:
            (version,) = await cursor.fetchone()
        return version

    async def _migrate(self) -> bool:
        """Apply every migration newer than the database; True when it was brand new."""
        async with self._write_lock:
            async with self._writer.execute("PRAGMA user_version") as cursor:
                (current,) = await cursor.fetchone()
            if current > LATEST_VERSION:
                raise StoreError(
                    f"the database is at schema version {current}, newer than this movienight "
                    f"({LATEST_VERSION}); upgrade movienight"
                )
            for number, name, sql in _migrations():
                if number <= current:
                    continue
                log.info("Applying migration %s", name)
                try:
                    await self._writer.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
                    )
                except Exception:
                    await self._writer.execute("ROLLBACK")
                    raise
        return current == 0

    async def _load_starter(self, folder: Path) -> None:
        loaded = []
        for item in read_reviews([folder]):
            if item.review is None:
                log.warning("Starter review %s skipped: %s", item.path, item.error)
            else:
                loaded.append(item.review)
        await self.save_many(loaded)
        log.info("Loaded %d starter reviews from %s", len(loaded), folder)

    # --- transactions --------------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: all of it commits, or none of it does."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    # --- writing reviews -----------------------------------------------------------------------

    async def save_review(
        self, review: Review, *, guild_id: int = SHARED, actor_id: int | None = None
    ) -> SaveResult:
        """Add a review, or update the one with the same title and year in that scope."""
        async with self.transaction() as db:
            result = await self._save(db, review, guild_id, actor_id)
        self._changed(result)
        return result

    async def save_many(
        self, reviews: Iterable[Review], *, guild_id: int = SHARED
    ) -> list[SaveResult]:
        """Save many reviews in one transaction (imports); much faster than one at a time."""
        async with self.transaction() as db:
            results = [await self._save(db, review, guild_id, None) for review in reviews]
        for result in results:
            self._changed(result)
        return results

    async def update_review(
        self, review_id: int, review: Review, *, actor_id: int | None, action: str = "edit"
    ) -> SaveResult:
        """Replace the review stored under ``review_id`` (a moderator's edit)."""
        key = film_key(review.title, review.year)
        async with self.transaction() as db:
            before = await self._fetch_row(db, review_id)
            if before is None:
                raise StoreError("that review no longer exists")
            clash = await db.execute_fetchall(
                "SELECT id FROM reviews WHERE guild_id = ? AND film_key = ? AND id != ?",
                (before.guild_id, key, review_id),
            )
            if clash:
                raise StoreError(
                    f"this server already has a review of {review.title} ({review.year})"
                )
            result = await self._write(db, before, review, actor_id, action)
        self._changed(result)
        return result

    async def set_where_to_watch(
        self, review_id: int, review: Review, *, actor_id: int | None
    ) -> SaveResult:
        """Store new availability and stamp it as checked now, even when it did not change."""
        async with self.transaction() as db:
            before = await self._fetch_row(db, review_id)
            if before is None:
                raise StoreError("that review no longer exists")
            result = await self._write(db, before, review, actor_id, "where", force=True)
        self._changed(result)
        return result

    async def remove_review(self, review_id: int, *, actor_id: int | None) -> None:
        """Soft delete: gone from every search and list, kept for :meth:`restore_review`."""
        async with self.transaction() as db:
            stored = await self._fetch_row(db, review_id)
            if stored is None or stored.deleted_at is not None:
                raise StoreError("that review is not in the catalog")
            now = _iso(self._clock())
            await db.execute(
                "UPDATE reviews SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                (now, now, actor_id, review_id),
            )
            await db.execute("DELETE FROM review_fts WHERE rowid = ?", (review_id,))
            await self._audit(db, review_id, actor_id, "remove", stored.review, None, now)
        self.version += 1

    async def restore_review(self, review_id: int, *, actor_id: int | None) -> StoredReview:
        async with self.transaction() as db:
            stored = await self._fetch_row(db, review_id)
            if stored is None or stored.deleted_at is None:
                raise StoreError("that review is not removed")
            live = await db.execute_fetchall(
                "SELECT 1 FROM reviews WHERE guild_id = ? AND film_key = ? AND id != ?"
                " AND deleted_at IS NULL",
                (stored.guild_id, stored.film_key, review_id),
            )
            if live:
                raise StoreError("a live review of this film exists; remove it first")
            now = _iso(self._clock())
            await db.execute(
                "UPDATE reviews SET deleted_at = NULL, updated_at = ?, updated_by = ? WHERE id = ?",
                (now, actor_id, review_id),
            )
            await self._index(db, review_id, stored.review)
            await self._audit(db, review_id, actor_id, "restore", None, stored.review, now)
        self.version += 1
        restored = await self.get(review_id)
        assert restored is not None
        return restored

    async def _save(
        self, db: aiosqlite.Connection, review: Review, guild_id: int, actor_id: int | None
    ) -> SaveResult:
        key = film_key(review.title, review.year)
        rows = await db.execute_fetchall(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews r WHERE r.guild_id = ? AND r.film_key = ?",
            (guild_id, key),
        )
        if rows:
            return await self._write(db, _row_to_stored(rows[0]), review, actor_id, "update")
        now = _iso(self._clock())
        data = json.dumps(to_json(review), ensure_ascii=False)
        cursor = await db.execute(
            "INSERT INTO reviews (guild_id, film_key, title, year, data, checked_at,"
            " created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                guild_id,
                key,
                review.title,
                review.year,
                data,
                now if review.where_to_watch else None,
                now,
                now,
                actor_id,
            ),
        )
        review_id = cursor.lastrowid
        assert review_id is not None
        await self._index(db, review_id, review)
        await self._audit(db, review_id, actor_id, "add", None, review, now)
        return SaveResult(review_id, "added")

    async def _write(
        self,
        db: aiosqlite.Connection,
        before: StoredReview,
        review: Review,
        actor_id: int | None,
        action: str,
        *,
        force: bool = False,
    ) -> SaveResult:
        if review == before.review and before.deleted_at is None and not force:
            return SaveResult(before.id, "unchanged")
        now = _iso(self._clock())
        checked = (
            now
            if force or review.where_to_watch != before.review.where_to_watch
            else (before.checked_at and _iso(before.checked_at))
        )
        await db.execute(
            "UPDATE reviews SET film_key = ?, title = ?, year = ?, data = ?, checked_at = ?,"
            " updated_at = ?, updated_by = ?, deleted_at = NULL WHERE id = ?",
            (
                film_key(review.title, review.year),
                review.title,
                review.year,
                json.dumps(to_json(review), ensure_ascii=False),
                checked,
                now,
                actor_id,
                before.id,
            ),
        )
        await db.execute("DELETE FROM review_fts WHERE rowid = ?", (before.id,))
        await self._index(db, before.id, review)
        await self._audit(db, before.id, actor_id, action, before.review, review, now)
        return SaveResult(before.id, "updated")

    @staticmethod
    async def _index(db: aiosqlite.Connection, review_id: int, review: Review) -> None:
        await db.execute(
            "INSERT INTO review_fts (rowid, pick_if, really_about, synopsis, rest)"
            " VALUES (?, ?, ?, ?, ?)",
            (review_id, *_search_columns(review)),
        )

    @staticmethod
    async def _audit(
        db: aiosqlite.Connection,
        review_id: int,
        actor_id: int | None,
        action: str,
        before: Review | None,
        after: Review | None,
        at: str,
    ) -> None:
        await db.execute(
            "INSERT INTO review_audit (review_id, actor_id, action, at, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                review_id,
                actor_id,
                action,
                at,
                before and json.dumps(to_json(before), ensure_ascii=False),
                after and json.dumps(to_json(after), ensure_ascii=False),
            ),
        )

    def _changed(self, result: SaveResult) -> None:
        if result.outcome != "unchanged":
            self.version += 1

    @staticmethod
    async def _fetch_row(db: aiosqlite.Connection, review_id: int) -> StoredReview | None:
        rows = await db.execute_fetchall(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews r WHERE r.id = ?", (review_id,)
        )
        return _row_to_stored(rows[0]) if rows else None

    # --- reading reviews -----------------------------------------------------------------------

    async def get(self, review_id: int) -> StoredReview | None:
        """A review by id, removed or not."""
        return await self._fetch_row(self._reader, review_id)

    async def get_visible(self, guild_id: int, review_id: int) -> StoredReview | None:
        """A review by id, only if that server can see it."""
        rows = await self._reader.execute_fetchall(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews r WHERE r.id = :id AND {_VISIBLE}",
            {"id": review_id, "guild": guild_id},
        )
        return _row_to_stored(rows[0]) if rows else None

    async def visible_reviews(
        self, guild_id: int, *, exclude_seen: bool = False
    ) -> list[StoredReview]:
        where = _VISIBLE + (f" AND {_NOT_SEEN}" if exclude_seen else "")
        rows = await self._reader.execute_fetchall(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews r WHERE {where} ORDER BY r.title, r.year",
            {"guild": guild_id},
        )
        return [_row_to_stored(row) for row in rows]

    async def reviews_in_scope(self, guild_id: int = SHARED) -> list[StoredReview]:
        """Every live review written for one scope (the shared catalog by default): exports."""
        rows = await self._reader.execute_fetchall(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews r"
            " WHERE r.guild_id = ? AND r.deleted_at IS NULL ORDER BY r.title, r.year",
            (guild_id,),
        )
        return [_row_to_stored(row) for row in rows]

    async def removed_reviews(self, guild_id: int) -> list[TitleRow]:
        rows = await self._reader.execute_fetchall(
            "SELECT id, guild_id, title, year, film_key FROM reviews"
            " WHERE guild_id = ? AND deleted_at IS NOT NULL ORDER BY title, year",
            (guild_id,),
        )
        return [TitleRow(*row) for row in rows]

    async def live_titles(self) -> list[TitleRow]:
        """Every live title of every scope: the autocomplete index filters per server."""
        rows = await self._reader.execute_fetchall(
            "SELECT id, guild_id, title, year, film_key FROM reviews WHERE deleted_at IS NULL"
        )
        return [TitleRow(*row) for row in rows]

    async def history(self, review_id: int, *, limit: int = 10) -> list[AuditEntry]:
        rows = await self._reader.execute_fetchall(
            "SELECT at, actor_id, action, before, after FROM review_audit"
            " WHERE review_id = ? ORDER BY id DESC LIMIT ?",
            (review_id, limit),
        )
        return [
            AuditEntry(
                at=datetime.fromisoformat(at),
                actor_id=actor,
                action=action,
                before=before and from_json(json.loads(before)),
                after=after and from_json(json.loads(after)),
            )
            for at, actor, action, before, after in rows
        ]

    # --- full-text search ----------------------------------------------------------------------

    async def search(
        self,
        guild_id: int,
        match: str,
        *,
        weights: tuple[float, float, float, float],
        limit: int,
        exclude_seen: bool,
        marks: tuple[str, str] = ("**", "**"),
    ) -> list[SearchHit]:
        """Run an FTS5 ``match`` expression, best bm25 first, over what the server can see."""
        where = _VISIBLE + (f" AND {_NOT_SEEN}" if exclude_seen else "")
        rows = await self._reader.execute_fetchall(
            f"""
            SELECT {_REVIEW_COLUMNS}, bm25(review_fts, :w0, :w1, :w2, :w3) AS score,
                   highlight(review_fts, 0, :open, :close),
                   highlight(review_fts, 1, :open, :close)
            FROM review_fts JOIN reviews r ON r.id = review_fts.rowid
            WHERE review_fts MATCH :match AND {where}
            ORDER BY score LIMIT :limit
            """,
            {
                "match": match,
                "guild": guild_id,
                "limit": limit,
                "open": marks[0],
                "close": marks[1],
                **{f"w{i}": float(weight) for i, weight in enumerate(weights)},
            },
        )
        return [SearchHit(_row_to_stored(row[:6]), row[6], row[7], row[8]) for row in rows]

    async def matching_ids(self, match: str, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` match the FTS5 expression (to count the words each result has)."""
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        rows = await self._reader.execute_fetchall(
            f"SELECT rowid FROM review_fts WHERE review_fts MATCH ? AND rowid IN ({marks})",
            (match, *ids),
        )
        return {row[0] for row in rows}

    async def term_exists(self, term: str) -> bool:
        """Whether a word (as the index stems it) occurs in any live review."""
        rows = await self._reader.execute_fetchall(
            "SELECT 1 FROM review_fts WHERE review_fts MATCH ? LIMIT 1", (term,)
        )
        return bool(rows)

    async def terms(self) -> list[tuple[str, int]]:
        """The index's vocabulary (stemmed terms) with how many reviews hold each."""
        rows = await self._reader.execute_fetchall("SELECT term, doc FROM review_terms")
        return [(term, doc) for term, doc in rows]

    # --- seen list, watchlists, server settings, bookkeeping ------------------------------------

    async def mark_seen(
        self, guild_id: int, key: str, *, by: int | None, on: datetime | None = None
    ) -> bool:
        """Record that the server watched a film; False when it was already on the list."""
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO seen (guild_id, film_key, seen_on, added_by)"
                " VALUES (?, ?, ?, ?)",
                (guild_id, key, _iso(on or self._clock()), by),
            )
        return cursor.rowcount == 1

    async def unmark_seen(self, guild_id: int, key: str) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM seen WHERE guild_id = ? AND film_key = ?", (guild_id, key)
            )
        return cursor.rowcount == 1

    async def seen(self, guild_id: int) -> list[tuple[StoredReview, datetime]]:
        """What the server has watched, newest first, as the reviews it sees now."""
        rows = await self._reader.execute_fetchall(
            f"SELECT {_REVIEW_COLUMNS}, s.seen_on FROM seen s"
            f" JOIN reviews r ON r.film_key = s.film_key AND {_VISIBLE}"
            " WHERE s.guild_id = :guild ORDER BY s.seen_on DESC, r.title",
            {"guild": guild_id},
        )
        return [(_row_to_stored(row[:6]), datetime.fromisoformat(row[6])) for row in rows]

    async def seen_keys(self, guild_id: int) -> set[str]:
        rows = await self._reader.execute_fetchall(
            "SELECT film_key FROM seen WHERE guild_id = ?", (guild_id,)
        )
        return {row[0] for row in rows}

    async def add_to_watchlist(self, guild_id: int, user_id: int, key: str) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "INSERT OR IGNORE INTO watchlist (guild_id, user_id, film_key, added_at)"
                " VALUES (?, ?, ?, ?)",
                (guild_id, user_id, key, _iso(self._clock())),
            )
        return cursor.rowcount == 1

    async def remove_from_watchlist(self, guild_id: int, user_id: int, key: str) -> bool:
        async with self.transaction() as db:
            cursor = await db.execute(
                "DELETE FROM watchlist WHERE guild_id = ? AND user_id = ? AND film_key = ?",
                (guild_id, user_id, key),
            )
        return cursor.rowcount == 1

    async def watchlist(self, guild_id: int, user_id: int) -> list[StoredReview]:
        rows = await self._reader.execute_fetchall(
            f"SELECT {_REVIEW_COLUMNS} FROM watchlist w"
            f" JOIN reviews r ON r.film_key = w.film_key AND {_VISIBLE}"
            " WHERE w.guild_id = :guild AND w.user_id = :user ORDER BY w.added_at, r.title",
            {"guild": guild_id, "user": user_id},
        )
        return [_row_to_stored(row) for row in rows]

    async def mod_role(self, guild_id: int) -> int | None:
        rows = await self._reader.execute_fetchall(
            "SELECT mod_role_id FROM guild_config WHERE guild_id = ?", (guild_id,)
        )
        return rows[0][0] if rows else None

    async def set_mod_role(self, guild_id: int, role_id: int | None) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO guild_config (guild_id, mod_role_id) VALUES (?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET mod_role_id = excluded.mod_role_id",
                (guild_id, role_id),
            )

    async def get_meta(self, key: str) -> str | None:
        rows = await self._reader.execute_fetchall("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set_meta(self, key: str, value: str) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
