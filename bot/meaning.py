"""/pickif by meaning: the nearest reviews to a query's vector, fused with the bm25 ranking.

Used only when a model is installed (:mod:`bot.embeddings`). The vectors of every live review
are held in one matrix, read again when the catalog changes; a query is one matrix product.
The two rankings are fused by reciprocal rank fusion, the bm25 one weighing more, so a film
having the member's very words stays ahead of one that is merely close in meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.embeddings import Model
from bot.review import Review
from bot.store import Store

FUSION_K = 10
"""Reciprocal rank fusion's constant: small, so the first places of each ranking count most."""
LEXICAL_WEIGHT = 1.0
MEANING_WEIGHT = 0.3


class VectorIndex:
    """Every live review's vector, reloaded only when the catalog has changed."""

    def __init__(self, store: Store, model: Model) -> None:
        import numpy as np

        self._np = np
        self._store = store
        self._model = model
        self._version = -1
        self._ids: Any = np.zeros(0, dtype=np.int64)
        self._matrix: Any = np.zeros((0, model.dimensions), dtype=np.float32)

    async def refresh(self) -> None:
        version = await self._store.catalog_stamp()
        if version == self._version:
            return
        np = self._np
        rows = await self._store.vectors()
        self._ids = np.array([review_id for review_id, _ in rows], dtype=np.int64)
        vectors = b"".join(vector for _, vector in rows)
        self._matrix = np.frombuffer(vectors, dtype="<f2").astype(np.float32)
        self._matrix = self._matrix.reshape(len(rows), self._model.dimensions)
        self._version = version

    def query(self, text: str) -> Any:
        return self._model.embed([text])[0]

    def nearest(self, vector: Any, count: int) -> list[int]:
        """The ids of the ``count`` reviews nearest to ``vector``, nearest first."""
        np = self._np
        if not len(self._ids):
            return []
        scores = self._matrix @ vector
        count = min(count, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        return [int(self._ids[i]) for i in best[np.argsort(-scores[best])]]

    def closest(self, vector: Any, review: Review) -> str:
        """The "Pick if" reason of ``review`` nearest in meaning to ``vector``, as written."""
        lines = [
            f"{reason.headline}: {reason.detail}" if reason.detail else reason.headline
            for reason in review.pick_if
        ]
        scores = self._model.embed(lines) @ vector
        return lines[int(self._np.argmax(scores))]


def fused(lexical: Sequence[int], meaning: Sequence[int]) -> list[int]:
    """Both rankings as one, by weighted reciprocal rank fusion (ties keep bm25's order)."""
    score: dict[int, float] = {}
    for weight, ranking in ((LEXICAL_WEIGHT, lexical), (MEANING_WEIGHT, meaning)):
        for rank, review_id in enumerate(ranking):
            score[review_id] = score.get(review_id, 0.0) + weight / (FUSION_K + rank + 1)
    return sorted(score, key=lambda review_id: -score[review_id])
