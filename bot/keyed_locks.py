"""One holder at a time per key, first come first served, with nothing kept for idle keys."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class KeyedLocks:
    """``async with locks(key):`` runs one holder per key at a time, in the order they asked.

    A key's lock exists only while someone holds or awaits it (a weak mapping), so a bot that
    sees millions of keys (films, result pages, votes) keeps none of them afterwards.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            yield
