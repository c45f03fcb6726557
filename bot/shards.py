"""Which shards a process holds, and which shard a server is on.

Discord sends a server's events and interactions on shard ``(guild_id >> 22) % shard_count``
and DMs on shard 0. A big bot runs several processes, each holding some shards; anything a
process does for a server on its own (the weekly schedule) it does only for servers whose
shard it holds.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

IDENTIFY_SPACING_SECONDS = 5.0
"""Discord allows one IDENTIFY per rate-limit bucket (``shard_id % max_concurrency``) per 5 s,
counted across every process of the bot."""


TURN_CHECK_SECONDS = 0.1
"""How often a wait for a turn looks at the clock again (it may be a test's, moved by hand)."""


async def wait_for_turn(clock: Callable[[], datetime], turn: datetime) -> None:
    """Sleep until ``clock`` reads ``turn``."""
    while (left := (turn - clock()).total_seconds()) > 0:
        await asyncio.sleep(min(left, TURN_CHECK_SECONDS))


def shard_of(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """``"0-3"``, ``"4"`` or ``"0-1,6"`` as shard ids in order; ValueError for anything else."""
    ids: list[int] = []
    for part in text.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d{1,5})(?:-(\d{1,5}))?", part)
        if match is None:
            raise ValueError(f"{part!r} is not a shard id or a range like 0-3")
        low, high = int(match[1]), int(match[2] or match[1])
        if high < low:
            raise ValueError(f"the range {part!r} runs backwards")
        ids.extend(range(low, high + 1))
    if len(set(ids)) != len(ids):
        raise ValueError("a shard is named twice")
    return tuple(sorted(ids))


@dataclass(frozen=True, slots=True)
class ShardPlan:
    """The shards one process holds: ``ids`` None is all of them, ``count`` None is the number
    Discord recommends (one process, as a club's bot runs)."""

    ids: tuple[int, ...] | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if self.ids is not None and self.count is None:
            raise ValueError("choosing shards needs the total shard count too")
        if self.count is not None and self.count < 1:
            raise ValueError("the shard count must be at least 1")
        if self.ids is not None and self.count is not None:
            if not self.ids:
                raise ValueError("no shards chosen")
            if max(self.ids) >= self.count:
                raise ValueError(f"shard ids run from 0 to {self.count - 1}")

    @property
    def holds_shard_zero(self) -> bool:
        """The one process that also gets DMs, and the one that syncs commands."""
        return self.ids is None or 0 in self.ids

    def holds(self, guild_id: int) -> bool:
        """Whether a server's shard is one of this process's."""
        if self.ids is None or self.count is None:
            return True
        return shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        if self.ids is None:
            return "all shards" if self.count is None else f"all {self.count} shards"
        return f"shards {', '.join(map(str, self.ids))} of {self.count}"
