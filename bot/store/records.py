"""What the store hands out: plain records, and the SQL fragments its queries share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Literal

from bot.review import Review, from_json, to_json
from bot.store.packed import RECENT, pack, read, search_columns, stored_json
from bot.text import fold

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
class PackedReview:
    """A review as the store writes it: its key, its JSON compressed, its search columns.

    Making these is most of what saving a review costs, and needs no database: an import makes
    them in worker processes while the store writes the ones made before.
    """

    title: str
    year: int | None
    runtime_minutes: int | None
    key: str
    data: bytes
    columns: tuple[str, str, str, str]
    available: bool  # it says where to watch it (so "last checked" is now)

    @classmethod
    def of(cls, review: Review) -> PackedReview:
        doc = to_json(review)
        return cls(
            review.title,
            review.year,
            review.runtime_minutes,
            film_key(review.title, review.year),
            pack(stored_json(doc)),
            search_columns(doc),
            bool(review.where_to_watch),
        )

    def review(self) -> Review:
        return stored_review(self.data)


@dataclass(frozen=True, slots=True)
class Bounds:
    """The runtime and release years a search keeps to; None leaves that side open.

    A film whose review gives no runtime (or year) is outside any bound on it: the bot cannot
    say it is under 95 minutes.
    """

    min_minutes: int | None = None
    max_minutes: int | None = None
    first_year: int | None = None
    last_year: int | None = None

    def tighter(self, other: Bounds) -> Bounds:
        """Within both: the later start and the earlier end of each range."""
        return Bounds(
            _pick(max, self.min_minutes, other.min_minutes),
            _pick(min, self.max_minutes, other.max_minutes),
            _pick(max, self.first_year, other.first_year),
            _pick(min, self.last_year, other.last_year),
        )

    def sql(self) -> tuple[str, dict[str, int]]:
        """A condition on reviews ``r`` (``TRUE`` when unbounded) and its parameters."""
        checks = {
            "min_minutes": "r.runtime_minutes >= :min_minutes",
            "max_minutes": "r.runtime_minutes <= :max_minutes",
            "first_year": "r.year >= :first_year",
            "last_year": "r.year <= :last_year",
        }
        params = {name: value for name in checks if (value := getattr(self, name)) is not None}
        return " AND ".join(["TRUE", *(checks[name] for name in params)]), params


UNBOUNDED = Bounds()


def _pick(choose: Callable[[int, int], int], mine: int | None, theirs: int | None) -> int | None:
    if mine is None or theirs is None:
        return theirs if mine is None else mine
    return choose(mine, theirs)


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


REVIEW_COLUMNS = "r.id, r.guild_id, r.data, r.checked_at, r.updated_at, r.deleted_at"

# A server sees its own reviews and every shared review it has no live version of.
VISIBLE = """
    r.deleted_at IS NULL AND (
        r.guild_id = :guild OR (
            r.guild_id = 0 AND NOT EXISTS (
                SELECT 1 FROM reviews o
                WHERE o.guild_id = :guild AND o.film_key = r.film_key AND o.deleted_at IS NULL
            )
        )
    )
"""
NOT_SEEN = """
    NOT EXISTS (SELECT 1 FROM seen s WHERE s.guild_id = :guild AND s.film_key = r.film_key)
"""


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@lru_cache(maxsize=RECENT)
def stored_review(data: bytes) -> Review:
    """The review kept as ``data`` (``reviews.data``); reviews are immutable, so shared."""
    return from_json(read(data))


def row_to_stored(row: Sequence[Any]) -> StoredReview:
    return StoredReview(
        id=row[0],
        guild_id=row[1],
        review=stored_review(row[2]),
        checked_at=when(row[3]),
        updated_at=datetime.fromisoformat(row[4]),
        deleted_at=when(row[5]),
    )


def shown(
    bounds: Bounds, *, exclude_seen: bool, unless: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The condition on reviews ``r`` for what a search shows a server (``:guild``): what it
    sees, not seen together when asked, within ``bounds``, not matching the FTS5 ``unless``."""
    within, params = bounds.sql()
    where = VISIBLE + (f" AND {NOT_SEEN}" if exclude_seen else "") + f" AND {within}"
    if unless is not None:
        where += " AND r.id NOT IN (SELECT rowid FROM review_fts WHERE review_fts MATCH :unless)"
    return where, {**params, "unless": unless}
