"""Snowflake ids and timestamps the way Discord makes them."""

from __future__ import annotations

import time
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1420070400000


class Snowflakes:
    """Makes increasing snowflake ids whose timestamp part is the current time."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> int:
        now = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(now, self._last + 1)
        return self._last


def timestamp() -> str:
    """The current time as Discord writes it (ISO 8601, UTC)."""
    return datetime.now(UTC).isoformat()
