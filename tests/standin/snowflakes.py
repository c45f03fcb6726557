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

    def on_shard(self, shard: int, shard_count: int) -> int:
        """The next id whose server would live on ``shard`` of ``shard_count`` (a guild id):
        its timestamp part is moved on by up to ``shard_count - 1`` milliseconds."""
        if not 0 <= shard < shard_count:
            raise ValueError(f"shard {shard} is not one of {shard_count} shards")
        snowflake = self()
        step = (shard - shard_of(snowflake, shard_count)) % shard_count
        if step:
            snowflake = ((snowflake >> 22) + step) << 22
            self._last = snowflake
        return snowflake


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a server's events and interactions arrive on, as Discord computes it."""
    return (guild_id >> 22) % shard_count


def timestamp(clock: Clock) -> str:
    """The clock's time as Discord writes it (ISO 8601, UTC)."""
    return clock().astimezone(UTC).isoformat()
