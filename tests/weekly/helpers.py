"""Constants and moments the weekly tests share (the fixture catalog's server and channel)."""

from __future__ import annotations

from datetime import UTC, datetime

CHANNEL_ID = 3001
FRIDAY = 4


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC moment, for setting the fake clock."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
