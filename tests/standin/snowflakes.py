"""Snowflake ids and timestamps the way Discord makes them, on the stand-in's clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

DISCORD_EPOCH_MS = 1420070400000

Clock = Callable[[], datetime]
"""What the stand-in reads the time from: the test's clock, shared with the bot."""


class Snowflakes:
    """Makes increasing snowflake ids whose timestamp part is the clock's time."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._last = 0

    def __call__(self) -> int:
        now = (int(self._clock().timestamp() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(now, self._last + 1)
        return self._last


def timestamp(clock: Clock) -> str:
    """The clock's time as Discord writes it (ISO 8601, UTC)."""
    return clock().astimezone(UTC).isoformat()
