"""Review text as it is kept on disk: one compressed copy, which the search index reads.

A review is stored once, in ``reviews.data``: its JSON (:func:`bot.review.to_json`) compressed
with zlib, about half its size. The full-text index keeps no text of its own: it reads its four
columns from that copy through the view ``review_search`` (``*_lean_store.sql``), which calls
:func:`search_text`, so the columns are made from the stored JSON by the same rule when a review
is indexed, unindexed and highlighted. The history keeps earlier versions as deltas
(:func:`delta`): each compressed with the version that replaced it as zlib's dictionary.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, cast

LEVEL = 1
"""zlib's fastest. Over 3,000 reviews of the benchmark's catalog (2.6 kB of JSON each), level 1
packs a review in 48–54 µs where the default, 6, takes 62–64 µs, and unpacks it in 18–20 µs
against 18 µs; it keeps 46.5 % of the bytes against 44.8 %. Packing is an import's work, done
for every review; a read does not feel the difference (unpacked, parsed and checked, a review
took 94–100 µs at either level)."""


def stored_json(doc: Mapping[str, Any]) -> str:
    """A review's JSON (:func:`bot.review.to_json`) as text, the form the store packs."""
    return json.dumps(doc, ensure_ascii=False)


def pack(text: str) -> bytes:
    return zlib.compress(text.encode(), LEVEL)


def unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode()


def delta(before: str, after: str) -> bytes:
    """``before`` compressed with ``after`` as the dictionary: an edit of one field costs about
    the old text of that field, not a whole review. Only ``after`` can unpack it."""
    packer = zlib.compressobj(LEVEL, zdict=after.encode())
    return packer.compress(before.encode()) + packer.flush()


def undelta(blob: bytes, after: str) -> str:
    """The inverse of :func:`delta`; zlib checks ``after`` is the dictionary it was made with."""
    unpacker = zlib.decompressobj(zdict=after.encode())
    return (unpacker.decompress(blob) + unpacker.flush()).decode()


def search_columns(doc: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """The text of each full-text column of a review's JSON, in the order the index declares them.

    Changing what this returns changes what the index should hold: it needs a migration that
    rebuilds the index (``INSERT INTO review_fts (review_fts) VALUES ('rebuild')``), or the old
    terms of a review could not be taken out of it when it changes.
    """
    pick_if = "\n".join(
        f"{reason['headline']}: {reason['detail']}" if reason.get("detail") else reason["headline"]
        for reason in doc.get("pick_if") or ()
    )
    synopsis = "\n".join(part for part in (doc.get("synopsis"), doc.get("tagline")) if part)
    rest = "\n".join(
        [
            doc["title"],
            *(doc.get("directors") or ()),
            *(doc.get("countries") or ()),
            *(doc.get("languages") or ()),
            *(
                f"{member['name']} {member['known_for']}"
                if member.get("known_for")
                else member["name"]
                for member in doc.get("cast") or ()
            ),
            doc.get("intro") or "",
            *(doc.get("captions") or ()),
            doc.get("memorable_scene") or "",
        ]
    )
    return pick_if, doc.get("really_about") or "", synopsis, rest


RECENT = 64
"""Reviews kept decoded, by their stored bytes: each page a member turns runs the search again
(and Pick this once more), so the ten films of a result list are read again within moments.
More would keep films for other members too, but a thousand cost a cold search more in memory
and garbage collection than they saved."""


@lru_cache(maxsize=RECENT)
def read(data: bytes) -> dict[str, Any]:
    """A stored review's JSON, decoded; shared, so never changed. A search result is read twice
    in a row: as the index highlights it and as the store makes it a review."""
    return cast(dict[str, Any], json.loads(unpack(data)))


@lru_cache(maxsize=RECENT)
def _columns(data: bytes) -> tuple[str, str, str, str]:
    return search_columns(read(data))


def search_text(data: bytes, column: int) -> str:
    """One full-text column of a stored review (the SQL function behind ``review_search``).

    SQLite asks for a row's four columns one after another: the review is unpacked once.
    """
    return _columns(data)[column]
