"""Review vectors for /pickif's search by meaning: written with each review, read as a whole."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from bot.review import Review
from bot.store.base import Db, StoreBase
from bot.store.records import Bounds, shown, stored_review

Embed = Callable[[Sequence[Review]], list[bytes]]
"""Vectors (as bytes) for reviews, one each, from the installed model."""


class VectorQueries(StoreBase):
    """Vectors of one model at a time; mixed into :class:`bot.store.Store`."""

    _model: str | None = None
    _embed: Embed | None = None

    def use_model(self, name: str, embed: Embed) -> None:
        """From now on every saved review gets a vector from ``embed``, kept under ``name``."""
        self._model, self._embed = name, embed

    async def _save_vectors(self, db: Db, reviews: Iterable[tuple[int, Review]]) -> None:
        """Vectors for ``reviews``, read only when a model is in use (an import's are packed)."""
        if self._embed is None:
            return
        saved = list(reviews)
        if not saved:
            return
        vectors = self._embed([review for _, review in saved])
        await db.executemany(
            "INSERT INTO review_vectors (review_id, model, vector) VALUES (?, ?, ?)"
            " ON CONFLICT (review_id) DO UPDATE SET model = excluded.model,"
            " vector = excluded.vector",
            [
                (review_id, self._model, vector)
                for (review_id, _), vector in zip(saved, vectors, strict=True)
            ],
        )

    async def embed_missing(self, *, batch: int = 500) -> int:
        """Give every live review without a vector of this model one; how many were made.

        Run when the bot starts with a model, so reviews saved without it (or with another
        model) are embedded once, a batch a transaction.
        """
        made = 0
        while self._embed is not None:
            rows = list(
                await self._reader.execute_fetchall(
                    "SELECT r.id, r.data FROM reviews r WHERE r.deleted_at IS NULL AND NOT EXISTS"
                    " (SELECT 1 FROM review_vectors v WHERE v.review_id = r.id AND v.model = ?)"
                    " LIMIT ?",
                    (self._model, batch),
                )
            )
            if not rows:
                break
            async with self.transaction() as db:
                await self._save_vectors(
                    db, [(review_id, stored_review(data)) for review_id, data in rows]
                )
            made += len(rows)
        return made

    async def vectors(self) -> list[tuple[int, bytes]]:
        """(review id, vector) of every live review that has a vector of this model."""
        rows = await self._reader.execute_fetchall(
            "SELECT v.review_id, v.vector FROM review_vectors v"
            " JOIN reviews r ON r.id = v.review_id"
            " WHERE v.model = ? AND r.deleted_at IS NULL ORDER BY v.review_id",
            (self._model,),
        )
        return [(review_id, vector) for review_id, vector in rows]

    async def shown_of(
        self,
        guild_id: int,
        ids: Sequence[int],
        *,
        bounds: Bounds,
        exclude_seen: bool,
        unless: str | None,
    ) -> set[int]:
        """Which of ``ids`` the server sees, within ``bounds``, not matching ``unless``."""
        where, params = shown(bounds, exclude_seen=exclude_seen, unless=unless)
        source = await self._search_db(guild_id, exclude_seen=exclude_seen)
        rows = await source.execute_fetchall(
            # The few ids first (CROSS JOIN keeps the order): never a scan of every review.
            f"SELECT r.id FROM json_each(:ids) ids CROSS JOIN reviews r ON r.id = ids.value"
            f" WHERE {where}",
            {"guild": guild_id, "ids": json.dumps(list(ids)), **params},
        )
        return {review_id for (review_id,) in rows}
