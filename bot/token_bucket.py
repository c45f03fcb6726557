"""A token bucket: at most so many requests a second, shared by every caller, in arrival order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

_ROUNDING = 1e-9
"""A token short by this much is a whole token: waiting for float dust could never end."""


class TokenBucket:
    """``rate`` tokens a second, up to ``burst`` saved up; :meth:`take` waits for one.

    Waiters are served one at a time in the order they came. :meth:`hold` stops everyone for a
    while (the server said "retry after"). Time is a monotonic clock in seconds, injectable so
    a test (or the benchmark) can run it without waiting.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.burst = burst if burst is not None else rate
        self._now = now
        self._sleep = sleep
        self._tokens = self.burst
        self._stamp = now()
        self._held_until = 0.0
        self._turn = asyncio.Lock()

    def _refill(self, now: float) -> None:
        if now <= self._stamp:  # still inside a hold: nothing accrues until it ends
            return
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def take(self) -> None:
        """Wait for a token (and for any hold to end), then spend it."""
        async with self._turn:
            while True:
                now = self._now()
                self._refill(now)
                if now < self._held_until:
                    await self._sleep(self._held_until - now)
                elif self._tokens >= 1 - _ROUNDING:
                    self._tokens -= 1
                    return
                else:
                    await self._sleep((1 - self._tokens) / self.rate)

    def hold(self, seconds: float) -> None:
        """No token for anyone for ``seconds`` from now; tokens accrue again from its end."""
        self._held_until = max(self._held_until, self._now() + seconds)
        self._tokens = 0.0
        self._stamp = max(self._stamp, self._held_until)
