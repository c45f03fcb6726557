"""``movienight tmdb link|refresh``: linking and refreshing every film at once, within the rate
limit, a few requests in flight at a time (the token bucket decides the pace)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.films import FILM_KEPT, Films
from bot.store import SHARED
from bot.text import title_year
from bot.tmdb import TmdbError, TmdbRefused

IN_FLIGHT = 8
"""Requests running at once: enough to keep TMDB's 40 a second busy at its usual latency."""

T = TypeVar("T")
Progress = Callable[[int, int], None]
"""Told how many films are done and how many there are: at the start, and after each one."""


@dataclass(slots=True)
class BulkResult:
    counts: Counter[str] = field(default_factory=Counter)
    unclear: list[str] = field(default_factory=list)  # films a moderator should choose for
    failed: list[str] = field(default_factory=list)  # films TMDB failed on, with why


async def _attempt(result: BulkResult, name: str, work: Awaitable[T]) -> T | None:
    """The work's result, or None with the failure counted; a refused key is raised."""
    try:
        return await work
    except TmdbRefused:
        raise
    except TmdbError as error:
        result.counts["failed"] += 1
        result.failed.append(f"{name}: {error}")
        return None


async def _run(jobs: list[Callable[[], Awaitable[None]]], progress: Progress) -> None:
    """Every job, :data:`IN_FLIGHT` at a time; a refused key stops them all (it is raised)."""
    limit = asyncio.Semaphore(IN_FLIGHT)
    done = 0
    progress(done, len(jobs))

    async def one(job: Callable[[], Awaitable[None]]) -> None:
        nonlocal done
        async with limit:
            await job()
        done += 1
        progress(done, len(jobs))

    try:
        async with asyncio.TaskGroup() as group:
            for job in jobs:
                group.create_task(one(job))
    except* TmdbRefused as refused:
        raise refused.exceptions[0] from None


async def link_all(films: Films, *, again: bool, progress: Progress) -> BulkResult:
    """Search TMDB for every live film not linked yet (``again``: and those a search could not
    link) and fetch the data of those it links."""
    todo = await films.store.films_to_link(again=again)
    result = BulkResult()

    def job(title: str, year: int | None) -> Callable[[], Awaitable[None]]:
        async def link() -> None:
            name = title_year(title, year)
            cached = await _attempt(result, name, films.update(SHARED, title, year, force=again))
            if cached is None:
                return
            link = cached.link
            if link is not None and link.tmdb_id is not None:
                result.counts["linked"] += 1
            elif link is not None and link.candidates:
                result.counts["unclear"] += 1
                result.unclear.append(f"{name}: {len(link.candidates)} candidates")
            else:
                result.counts["not found"] += 1

        return link

    await _run([job(title, year) for _, title, year in todo], progress)
    return result


async def refresh_all(films: Films, *, stale_only: bool, progress: Progress) -> BulkResult:
    """Fetch every linked film again (``stale_only``: those older than 30 days)."""
    before = films.now() - FILM_KEPT if stale_only else None
    todo = await films.store.linked_films(fetched_before=before)
    result = BulkResult()

    def job(tmdb_id: int) -> Callable[[], Awaitable[None]]:
        async def refresh() -> None:
            if await _attempt(result, f"TMDB id {tmdb_id}", films.refresh(tmdb_id)):
                result.counts["refreshed"] += 1

        return refresh

    await _run([job(tmdb_id) for tmdb_id in todo], progress)
    return result
