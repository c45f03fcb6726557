"""Reviews: saving with an audit trail, soft deletes, reading, and full-text search."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Sequence

from bot.review import Review, to_json
from bot.store import audit
from bot.store.base import Db, first_row
from bot.store.packed import delta, pack, stored_json, unpack
from bot.store.records import (
    NOT_SEEN,
    REVIEW_COLUMNS,
    SHARED,
    UNBOUNDED,
    VISIBLE,
    AuditEntry,
    Bounds,
    PackedReview,
    SaveResult,
    SearchHit,
    StoredReview,
    StoreError,
    TitleRow,
    film_key,
    iso,
    row_to_stored,
    shown,
)
from bot.store.vectors import VectorQueries

VOCABULARY_KEY = "search_vocabulary"
"""The ``meta`` key of the saved index vocabulary (see :meth:`ReviewQueries.terms`)."""


class ReviewQueries(VectorQueries):
    """Everything about reviews; mixed into :class:`bot.store.Store`."""

    # --- writing reviews -----------------------------------------------------------------------

    async def save_review(
        self,
        review: Review,
        *,
        guild_id: int = SHARED,
        actor_id: int | None = None,
        action: str = "update",
    ) -> SaveResult:
        """Add a review, or update the one with the same title and year in that scope.

        ``action`` names an update in the history ("update" for imports, "edit", "where").
        """
        async with self.transaction() as db:
            return await self._save(db, review, guild_id, actor_id, action)

    async def save_many(
        self, reviews: Iterable[Review], *, guild_id: int = SHARED
    ) -> list[SaveResult]:
        """Save many reviews in one transaction (imports); much faster than one at a time."""
        return await self.save_packed(
            [PackedReview.of(review) for review in reviews], guild_id=guild_id
        )

    async def save_packed(
        self, batch: Sequence[PackedReview], *, guild_id: int = SHARED
    ) -> list[SaveResult]:
        """:meth:`save_many` for reviews already packed (an import packs them in other processes).

        Films new to the scope, the usual case in an import, are written with one statement
        per table for the whole run of them; a film the scope already has, or one that comes
        twice, is saved as :meth:`save_review` would save it, in its turn.
        """
        results: list[SaveResult] = []
        async with self.transaction() as db:
            known = await self._known_keys(db, guild_id, [packed.key for packed in batch])
            new: list[PackedReview] = []
            for packed in batch:
                if packed.key in known:
                    results += await self._add_new(db, new, guild_id)
                    new = []
                    results.append(await self._save(db, packed.review(), guild_id, None))
                else:
                    new.append(packed)
                    known.add(packed.key)
            results += await self._add_new(db, new, guild_id)
        return results

    @staticmethod
    async def _known_keys(db: Db, guild_id: int, keys: list[str]) -> set[str]:
        rows = await db.execute_fetchall(
            "SELECT film_key FROM reviews"
            " WHERE guild_id = ? AND film_key IN (SELECT value FROM json_each(?))",
            (guild_id, json.dumps(keys)),
        )
        return {key for (key,) in rows}

    async def _add_new(self, db: Db, new: list[PackedReview], guild_id: int) -> list[SaveResult]:
        """Insert reviews of films the scope does not have yet, as :meth:`_save` would."""
        if not new:
            return []
        now = iso(self._clock())
        # Inside the write transaction nobody else inserts: the ids SQLite would give.
        ((last,),) = await db.execute_fetchall("SELECT coalesce(max(id), 0) FROM reviews")
        ids = range(last + 1, last + 1 + len(new))
        await db.executemany(
            "INSERT INTO reviews (id, guild_id, film_key, title, year, runtime_minutes, data,"
            " checked_at, created_at, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                (
                    i,
                    guild_id,
                    p.key,
                    p.title,
                    p.year,
                    p.runtime_minutes,
                    p.data,
                    now if p.available else None,
                    now,
                    now,
                )
                for i, p in zip(ids, new, strict=True)
            ],
        )
        await self._after_explicit_ids(db, "reviews")
        await self._index_columns(db, [(i, *p.columns) for i, p in zip(ids, new, strict=True)])
        await self._save_vectors(db, ((i, p.review()) for i, p in zip(ids, new, strict=True)))
        await db.executemany(
            "INSERT INTO review_audit (review_id, action, at) VALUES (?, 'add', ?)",
            [(i, now) for i in ids],
        )
        return [SaveResult(i, "added") for i in ids]

    async def update_review(
        self, review_id: int, review: Review, *, actor_id: int | None, action: str = "edit"
    ) -> SaveResult:
        """Replace the review stored under ``review_id`` (a moderator's edit)."""
        key = film_key(review.title, review.year)
        async with self.transaction() as db:
            before = await self._fetch_row(db, review_id)
            if before is None:
                raise StoreError("that review no longer exists")
            clash = await first_row(
                db,
                "SELECT deleted_at FROM reviews WHERE guild_id = ? AND film_key = ? AND id != ?",
                (before.guild_id, key, review_id),
            )
            if clash:
                state = "a removed review" if clash[0] else "a review"
                raise StoreError(
                    f"this server already has {state} of {review.title} ({review.year})"
                )
            result = await self._write(db, before, review, actor_id, action)
            if key != before.film_key:
                await self._rekey(db, before.guild_id, before.film_key, key)
        return result

    @staticmethod
    async def _rekey(db: Db, guild_id: int, old: str, new: str) -> None:
        """A server renamed its review: its seen list, watchlists and weekly picks follow."""
        # Moved where the new key is not listed yet (the same film listed twice stays once).
        for table, owner in (("seen", "guild_id"), ("watchlist", "user_id")):
            await db.execute(
                f"UPDATE {table} SET film_key = ? WHERE guild_id = ? AND film_key = ? AND NOT"
                f" EXISTS (SELECT 1 FROM {table} t WHERE t.{owner} = {table}.{owner}"
                " AND t.film_key = ?)",
                (new, guild_id, old, new),
            )
            await db.execute(
                f"DELETE FROM {table} WHERE guild_id = ? AND film_key = ?", (guild_id, old)
            )
        await db.execute(
            "UPDATE weekly_candidates SET film_key = ? WHERE film_key = ? AND post_id IN"
            " (SELECT id FROM weekly_posts WHERE guild_id = ?)",
            (new, old, guild_id),
        )

    async def set_where_to_watch(
        self, review_id: int, review: Review, *, actor_id: int | None
    ) -> SaveResult:
        """Store new availability and stamp it as checked now, even when it did not change."""
        async with self.transaction() as db:
            before = await self._fetch_row(db, review_id)
            if before is None:
                raise StoreError("that review no longer exists")
            return await self._write(db, before, review, actor_id, "where", force=True)

    async def remove_review(self, review_id: int, *, actor_id: int | None) -> None:
        """Soft delete: gone from every search and list, kept for :meth:`restore_review`."""
        async with self.transaction() as db:
            stored = await self._fetch_row(db, review_id)
            if stored is None or stored.deleted_at is not None:
                raise StoreError("that review is not in the catalog")
            now = iso(self._clock())
            await self._unindex(db, review_id)
            await db.execute(
                "UPDATE reviews SET deleted_at = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                (now, now, actor_id, review_id),
            )
            await audit.record(db, review_id, actor_id, "remove", now, removed=True)

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
            now = iso(self._clock())
            await db.execute(
                "UPDATE reviews SET deleted_at = NULL, updated_at = ?, updated_by = ? WHERE id = ?",
                (now, actor_id, review_id),
            )
            await self._index(db, review_id, stored.review)
            await audit.record(db, review_id, actor_id, "restore", now)
        restored = await self.get(review_id)
        assert restored is not None
        return restored

    async def _save(
        self,
        db: Db,
        review: Review,
        guild_id: int,
        actor_id: int | None,
        action: str = "update",
    ) -> SaveResult:
        key = film_key(review.title, review.year)
        row = await first_row(
            db,
            f"SELECT {REVIEW_COLUMNS} FROM reviews r WHERE r.guild_id = ? AND r.film_key = ?",
            (guild_id, key),
        )
        if row:
            return await self._write(db, row_to_stored(row), review, actor_id, action)
        now = iso(self._clock())
        ((review_id,),) = await db.execute_fetchall(
            "INSERT INTO reviews (guild_id, film_key, title, year, runtime_minutes, data,"
            " checked_at, created_at, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                guild_id,
                key,
                review.title,
                review.year,
                review.runtime_minutes,
                pack(stored_json(to_json(review))),
                now if review.where_to_watch else None,
                now,
                now,
                actor_id,
            ),
        )
        await self._index(db, review_id, review)
        await audit.record(db, review_id, actor_id, "add", now)
        return SaveResult(review_id, "added")

    async def _write(
        self,
        db: Db,
        before: StoredReview,
        review: Review,
        actor_id: int | None,
        action: str,
        *,
        force: bool = False,
    ) -> SaveResult:
        if review == before.review and before.deleted_at is None and not force:
            return SaveResult(before.id, "unchanged")
        now = iso(self._clock())
        checked = (
            now
            if force or review.where_to_watch != before.review.where_to_watch
            else (before.checked_at and iso(before.checked_at))
        )
        ((data,),) = await db.execute_fetchall(
            "SELECT data FROM reviews WHERE id = ?", (before.id,)
        )
        old, new = unpack(data), stored_json(to_json(review))
        await self._unindex(db, before.id)
        await db.execute(
            "UPDATE reviews SET film_key = ?, title = ?, year = ?, runtime_minutes = ?, data = ?,"
            " checked_at = ?, updated_at = ?, updated_by = ?, deleted_at = NULL WHERE id = ?",
            (
                film_key(review.title, review.year),
                review.title,
                review.year,
                review.runtime_minutes,
                pack(new),
                checked,
                now,
                actor_id,
                before.id,
            ),
        )
        await self._index(db, before.id, review)
        await audit.record(db, before.id, actor_id, action, now, replaced=delta(old, new))
        return SaveResult(before.id, "updated")

    async def _index_columns(self, db: Db, rows: list[tuple[int, str, str, str, str]]) -> None:
        """Index new reviews by the columns review_search reads back from their rows: the
        same rule on the same JSON (one review at a time, :meth:`_index` reads the view)."""
        await db.executemany(
            "INSERT INTO review_fts (rowid, pick_if, really_about, synopsis, rest)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    async def _index_everything(self, db: Db) -> None:
        """Index every live review anew (after a copy filled the table)."""
        await db.execute("INSERT INTO review_fts (review_fts) VALUES ('rebuild')")

    async def _index(self, db: Db, review_id: int, review: Review) -> None:
        """Index a live review as it is stored, reading the columns the index will read back."""
        await db.execute(
            "INSERT INTO review_fts (rowid, pick_if, really_about, synopsis, rest)"
            " SELECT id, pick_if, really_about, synopsis, rest FROM review_search WHERE id = ?",
            (review_id,),
        )
        await self._save_vectors(db, [(review_id, review)])

    async def _unindex(self, db: Db, review_id: int) -> None:
        """Take a review out of the index while its row still holds the text it was indexed with
        (the index reads the terms to remove from there); a removed review is in no index."""
        await db.execute("DELETE FROM review_fts WHERE rowid = ?", (review_id,))

    @staticmethod
    async def _fetch_row(db: Db, review_id: int) -> StoredReview | None:
        row = await first_row(
            db, f"SELECT {REVIEW_COLUMNS} FROM reviews r WHERE r.id = ?", (review_id,)
        )
        return row_to_stored(row) if row else None

    # --- reading reviews -----------------------------------------------------------------------

    async def get(self, review_id: int) -> StoredReview | None:
        """A review by id, removed or not."""
        return await self._fetch_row(self._reader, review_id)

    async def _visible(self, guild_id: int, where: str, value: object) -> StoredReview | None:
        row = await first_row(
            self._reader,
            f"SELECT {REVIEW_COLUMNS} FROM reviews r WHERE {where} = :value AND {VISIBLE}",
            {"value": value, "guild": guild_id},
        )
        return row_to_stored(row) if row else None

    async def get_visible(self, guild_id: int, review_id: int) -> StoredReview | None:
        """A review by id, only if that server can see it."""
        return await self._visible(guild_id, "r.id", review_id)

    async def visible_by_key(self, guild_id: int, key: str) -> StoredReview | None:
        """The review of a film that a server sees (its own, else the shared one)."""
        return await self._visible(guild_id, "r.film_key", key)

    async def visible_reviews(
        self, guild_id: int, *, exclude_seen: bool = False
    ) -> list[StoredReview]:
        where = VISIBLE + (f" AND {NOT_SEEN}" if exclude_seen else "")
        rows = await self._reader.execute_fetchall(
            f"SELECT {REVIEW_COLUMNS} FROM reviews r WHERE {where} ORDER BY r.title, r.year",
            {"guild": guild_id},
        )
        return [row_to_stored(row) for row in rows]

    async def catalog_stamp(self) -> int:
        """Changes whenever any review changes, in this process or another (an import run
        beside the bot): every change writes a history row. Caches compare it."""
        [(stamp,)] = await self._reader.execute_fetchall("SELECT max(id) FROM review_audit")
        return stamp or 0

    async def random_visible(
        self, guild_id: int, *, exclude_seen: bool, rng: random.Random | None = None
    ) -> StoredReview | None:
        """A film the server sees, at random, without reading the whole catalog.

        The walk starts at a random id and takes the first film from there on (wrapping round
        once), so it costs an index walk, not a decode of every review.
        """
        where = VISIBLE + (f" AND {NOT_SEEN}" if exclude_seen else "")
        [(low, high)] = await self._reader.execute_fetchall("SELECT min(id), max(id) FROM reviews")
        if low is None:
            return None
        start = (rng or random).randint(low, high)
        for condition in ("r.id >= :start", "r.id < :start"):
            row = await first_row(
                self._reader,
                f"SELECT {REVIEW_COLUMNS} FROM reviews r WHERE {condition} AND {where}"
                " ORDER BY r.id LIMIT 1",
                {"guild": guild_id, "start": start},
            )
            if row:
                return row_to_stored(row)
        return None

    async def catalog_counts(self, guild_id: int) -> dict[str, int]:
        """How many reviews a server has of its own, has removed, and sees from the shared one."""
        [(own, removed)] = await self._reader.execute_fetchall(
            "SELECT count(*) FILTER (WHERE deleted_at IS NULL),"
            " count(*) FILTER (WHERE deleted_at IS NOT NULL) FROM reviews WHERE guild_id = ?",
            (guild_id,),
        )
        [(shared,)] = await self._reader.execute_fetchall(
            f"SELECT count(*) FROM reviews r WHERE r.guild_id = 0 AND {VISIBLE}",
            {"guild": guild_id},
        )
        return {"own": own, "removed": removed, "shared": shared}

    async def reviews_in_scope(self, guild_id: int = SHARED) -> list[StoredReview]:
        """Every live review written for one scope (the shared catalog by default): exports."""
        rows = await self._reader.execute_fetchall(
            f"SELECT {REVIEW_COLUMNS} FROM reviews r"
            " WHERE r.guild_id = ? AND r.deleted_at IS NULL ORDER BY r.title, r.year",
            (guild_id,),
        )
        return [row_to_stored(row) for row in rows]

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
        """The newest ``limit`` changes of a review, newest first, with the versions around each."""
        return await audit.read(self._reader, review_id, limit)

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
        found = await self.ranked(
            guild_id, match, weights=weights, limit=limit, exclude_seen=exclude_seen
        )
        return await self.hits(match, found, marks=marks)

    async def ranked(
        self,
        guild_id: int,
        match: str,
        *,
        weights: tuple[float, float, float, float],
        limit: int,
        exclude_seen: bool,
        bounds: Bounds = UNBOUNDED,
    ) -> list[tuple[int, float]]:
        """The ``limit`` best reviews the server sees for ``match``: (id, bm25 rank), best first.

        The index ranks all its matches but only its best few are checked against what the
        server sees and ``bounds`` (a join and two lookups a row cost more than bm25 itself
        when a common word matches half the catalog). When too many of those few are left out,
        the query runs again with the check on every match.
        """
        deep = 2 * limit + 20
        where, bounded = shown(bounds, exclude_seen=exclude_seen)
        params = {
            "match": match,
            "guild": guild_id,
            "deep": deep,
            "limit": limit,
            **bounded,
            **{f"w{i}": float(weight) for i, weight in enumerate(weights)},
        }
        source = await self._search_db(guild_id, exclude_seen=exclude_seen)
        best = list(
            await source.execute_fetchall(
                f"""
                WITH best AS MATERIALIZED (
                    SELECT rowid AS id, bm25(review_fts, :w0, :w1, :w2, :w3) AS score
                    FROM review_fts WHERE review_fts MATCH :match ORDER BY score LIMIT :deep
                )
                SELECT best.id, best.score, {where} FROM best JOIN reviews r ON r.id = best.id
                ORDER BY best.score
                """,
                params,
            )
        )
        found = [(review_id, score) for review_id, score, visible in best if visible][:limit]
        if len(found) == limit or len(best) < deep:
            return found
        rows = await source.execute_fetchall(
            f"""
            SELECT r.id, bm25(review_fts, :w0, :w1, :w2, :w3) AS score
            FROM review_fts JOIN reviews r ON r.id = review_fts.rowid
            WHERE review_fts MATCH :match AND {where}
            ORDER BY score LIMIT :limit
            """,
            params,
        )
        return [(review_id, score) for review_id, score in rows]

    async def browse(
        self,
        guild_id: int,
        *,
        bounds: Bounds,
        exclude_seen: bool,
        limit: int,
        unless: str | None = None,
    ) -> list[tuple[int, float]]:
        """Films the server sees within ``bounds``, in catalog order, as (id, 0.0) like
        :meth:`ranked`; without those matching the FTS5 expression ``unless`` when given."""
        where, params = shown(bounds, exclude_seen=exclude_seen, unless=unless)
        source = await self._search_db(guild_id, exclude_seen=exclude_seen)
        rows = await source.execute_fetchall(
            f"SELECT r.id FROM reviews r WHERE {where} ORDER BY r.id LIMIT :limit",
            {"guild": guild_id, "limit": limit, **params},
        )
        return [(review_id, 0.0) for (review_id,) in rows]

    async def hits(
        self, match: str | None, ranked: Sequence[tuple[int, float]], *, marks: tuple[str, str]
    ) -> list[SearchHit]:
        """The reviews of :meth:`ranked` results, in that order, with the words of ``match``
        marked (nothing marked when None)."""
        if not ranked:
            return []
        columns, matching = (
            (
                "highlight(review_fts, 0, :open, :close), highlight(review_fts, 1, :open, :close)",
                "AND review_fts MATCH :match",
            )
            if match is not None
            else ("review_fts.pick_if, review_fts.really_about", "")
        )
        # Reviews first (CROSS JOIN keeps the order): the index is looked up by rowid, never
        # scanned, also when nothing is matched.
        source = await self._search_db()
        rows = await source.execute_fetchall(
            f"""
            SELECT {REVIEW_COLUMNS}, {columns}
            FROM reviews r CROSS JOIN review_fts ON review_fts.rowid = r.id
            WHERE r.id IN (SELECT value FROM json_each(:ids)) {matching}
            """,
            {
                "match": match,
                "ids": json.dumps([review_id for review_id, _ in ranked]),
                "open": marks[0],
                "close": marks[1],
            },
        )
        by_id = {row[0]: row for row in rows}
        return [
            SearchHit(row_to_stored(row[:6]), rank, row[6], row[7])
            for review_id, rank in ranked
            if (row := by_id.get(review_id)) is not None
        ]

    async def matching_ids(self, match: str, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` match the FTS5 expression (to count the words each result has)."""
        if not ids:
            return set()
        marks = ", ".join("?" for _ in ids)
        source = await self._search_db()
        rows = await source.execute_fetchall(
            f"SELECT rowid FROM review_fts WHERE review_fts MATCH ? AND rowid IN ({marks})",
            (match, *ids),
        )
        return {row[0] for row in rows}

    async def terms(self) -> list[tuple[str, int]]:
        """The index's vocabulary (stemmed terms) with how many reviews hold each.

        Listing it reads the whole full-text index (half a second at 100,000 reviews), so the
        list is kept in ``meta`` beside a fingerprint of the index and read back from there
        for as long as the index is unchanged: a restarted bot does not scan the index again.
        """
        fingerprint = await self._index_fingerprint()
        saved = await self.get_meta(VOCABULARY_KEY)
        if saved is not None:
            snapshot = json.loads(saved)
            if snapshot["fingerprint"] == fingerprint:
                return [(term, doc) for term, doc in snapshot["terms"]]
        source = await self._search_db()
        rows = await source.execute_fetchall("SELECT term, doc FROM review_terms")
        terms = [(term, doc) for term, doc in rows]
        if await self._index_fingerprint() == fingerprint:  # no write slipped in meanwhile
            snapshot = {"fingerprint": fingerprint, "terms": terms}
            await self.set_meta(VOCABULARY_KEY, json.dumps(snapshot, ensure_ascii=False))
        return terms

    async def _index_fingerprint(self) -> str:
        """Changes with every write to the full-text index.

        FTS5 rewrites its averages record (id 1: row and token counts) and its structure record
        (id 10: the segments, with a cookie bumped on each change) whenever a document is added
        or removed; both are part of FTS5's stable on-disk format.
        """
        source = await self._search_db()
        rows = await source.execute_fetchall(
            "SELECT block FROM review_fts_data WHERE id IN (1, 10) ORDER BY id"
        )
        return hashlib.blake2b(b"".join(row[0] for row in rows), digest_size=16).hexdigest()
