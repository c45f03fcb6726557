"""Film data for the catalog: answered from the database at once, fetched from TMDB behind.

A card reads :meth:`Films.cached` (one indexed read, no network) and shows what is there. When
that is missing or old (film data after :data:`FILM_KEPT`, availability after
:data:`AVAILABILITY_KEPT`, a search that found no one film after :data:`SEARCH_KEPT`), the card
carries a ``later`` step (:meth:`Films.answer`) that the Discord edge runs after answering: it
fetches from TMDB and gives the card again, which then replaces the first.

Fetching links a film first: TMDB is searched for its title and year, and a film is linked
only when exactly one result has that title (folded) and year (or, failing that, a year either
side); otherwise the candidates are kept for a moderator to choose from (``/review link``). A
moderator's choice holds for their server; a search's for every server.

TMDB failing never reaches a member: :meth:`Films.fetch` logs it and rests (TMDB is not asked
again for :data:`REST` seconds, or ten minutes when it refuses the key), and the card simply
has what the cache had. Concurrent fetches of one film share one request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from bot.film_data import Candidate, FilmData
from bot.message import Message
from bot.store import SHARED, CachedFilm, Clock, FilmLink, Store, film_key
from bot.text import fold
from bot.tmdb import TmdbClient, TmdbError, TmdbNotFound, TmdbRefused

log = logging.getLogger(__name__)

Refetch = Callable[[], Awaitable[CachedFilm | None]]
Later = Callable[[], Awaitable[Message | None]]

FILM_KEPT = timedelta(days=30)
AVAILABILITY_KEPT = timedelta(hours=24)
SEARCH_KEPT = timedelta(days=30)
"""How long a search that found no one film stands before the film is searched for again."""
REST = 60.0
"""Seconds TMDB is left alone after it failed (down, slow, over the rate limit)."""
REFUSED_REST = 600.0
"""Seconds TMDB is left alone after it refused the key."""
CANDIDATES = 10
"""Films kept for a moderator to choose from when a search is not clear."""


def clear_match(title: str, year: int | None, found: Sequence[Candidate]) -> Candidate | None:
    """The one search result that is this film: its title (folded, or its original title) and
    its year, or failing that a year either side; None when none or several are."""
    name = fold(title)
    same = [c for c in found if name in (fold(c.title), fold(c.original_title or ""))]
    for slack in (0, 1):
        near = [
            c for c in same if year is None or (c.year is not None and abs(c.year - year) <= slack)
        ]
        if len(near) == 1:
            return near[0]
        if near:
            return None
    return None


def candidates_for(title: str, found: Sequence[Candidate]) -> tuple[Candidate, ...]:
    """What a moderator chooses from: the results with this title first, then the rest."""
    name = fold(title)
    ordered = sorted(found, key=lambda c: name not in (fold(c.title), fold(c.original_title or "")))
    return tuple(ordered[:CANDIDATES])


class Films:
    """The catalog's film data: the database's cache in front of TMDB (None: no key set)."""

    def __init__(
        self,
        store: Store,
        client: TmdbClient | None,
        clock: Clock,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.client = client
        self._clock = clock
        self._monotonic = monotonic
        self._resting_until = 0.0
        self._inflight: dict[tuple[int, str, str | None], asyncio.Task[CachedFilm]] = {}

    @property
    def enabled(self) -> bool:
        return self.client is not None

    def now(self) -> datetime:
        return self._clock()

    async def close(self) -> None:
        for task in list(self._inflight.values()):
            task.cancel()
        if self.client is not None:
            await self.client.close()

    # --- from the cache ------------------------------------------------------------------------

    async def cached(self, guild_id: int, key: str, *, region: str | None = None) -> CachedFilm:
        """What the database has for a film; never asks TMDB."""
        if not self.enabled:
            return CachedFilm(None)
        return await self.store.cached_film(guild_id, key, region=region)

    def stale(self, cached: CachedFilm, *, region: str | None = None) -> bool:
        """Whether TMDB should be asked again: missing, or older than it may be."""
        if not self.enabled:
            return False
        now = self._clock()
        link = cached.link
        if link is None:
            return True
        if link.tmdb_id is None:
            return link.guild_id == SHARED and link.linked_at + SEARCH_KEPT <= now
        if cached.film is None or _expired(cached.film_at, FILM_KEPT, now):
            return True
        return region is not None and _expired(cached.offers_at, AVAILABILITY_KEPT, now)

    async def lookup(
        self, guild_id: int, title: str, year: int | None, *, region: str | None = None
    ) -> tuple[CachedFilm, Refetch | None]:
        """What the cache has now and, when that is stale, the step that fetches from TMDB
        (it gives the new data, or None when nothing new came)."""
        cached = await self.cached(guild_id, film_key(title, year), region=region)
        if not self.stale(cached, region=region):
            return cached, None

        async def refetch() -> CachedFilm | None:
            fresh = await self.fetch(guild_id, title, year, region=region)
            return fresh if fresh != cached else None

        return cached, refetch

    async def answer(
        self,
        guild_id: int,
        title: str,
        year: int | None,
        build: Callable[[CachedFilm], Message],
        *,
        region: str | None = None,
    ) -> Message:
        """A message built from the cache now; when that was stale, it carries the ``later``
        step that fetches from TMDB and builds it again (None when nothing new came)."""
        cached, refetch = await self.lookup(guild_id, title, year, region=region)
        message = build(cached)
        if refetch is not None:
            message.later = rebuilt(refetch, build)
        return message

    # --- from TMDB -----------------------------------------------------------------------------

    async def fetch(
        self, guild_id: int, title: str, year: int | None, *, region: str | None = None
    ) -> CachedFilm:
        """Bring a film's data up to date from TMDB if it can be, then what the cache has.
        Never raises for TMDB's sake; concurrent calls for one film share the work."""
        key = film_key(title, year)
        job = (guild_id, key, region)
        task = self._inflight.get(job)
        if task is None:
            task = asyncio.ensure_future(self._fetch(guild_id, title, year, region))
            self._inflight[job] = task
            task.add_done_callback(lambda _: self._inflight.pop(job, None))
        return await asyncio.shield(task)

    async def _fetch(
        self, guild_id: int, title: str, year: int | None, region: str | None
    ) -> CachedFilm:
        key = film_key(title, year)
        if self._monotonic() >= self._resting_until:
            try:
                await self.update(guild_id, title, year, region=region)
            except TmdbError as error:
                self._rest(error)
        return await self.cached(guild_id, key, region=region)

    def _rest(self, error: TmdbError) -> None:
        refused = isinstance(error, TmdbRefused)
        seconds = REFUSED_REST if refused else REST
        self._resting_until = self._monotonic() + seconds
        log.log(
            logging.ERROR if refused else logging.WARNING,
            "TMDB failed (%s); cards go without its data for %.0f s%s",
            error,
            seconds,
            ": check TMDB_API_TOKEN or TMDB_API_KEY" if refused else "",
        )

    async def update(
        self,
        guild_id: int,
        title: str,
        year: int | None,
        *,
        region: str | None = None,
        force: bool = False,
    ) -> CachedFilm:
        """Link the film if it is not yet, and fetch what is missing or old (everything with
        ``force``). Raises :class:`~bot.tmdb.TmdbError` when TMDB fails."""
        assert self.client is not None
        key = film_key(title, year)
        cached = await self.store.cached_film(guild_id, key, region=region)
        link = cached.link
        if link is None or (link.tmdb_id is None and (force or self.stale(cached))):
            link = await self.link_by_search(key, title, year)
        if link.tmdb_id is None:
            return await self.store.cached_film(guild_id, key, region=region)
        if force or cached.film is None or cached.link != link or self.stale(cached):
            try:
                await self.refresh(link.tmdb_id)
            except TmdbNotFound:  # gone from TMDB: search again next time
                await self.store.link_film(key, None, guild_id=link.guild_id)
                raise
        elif self.stale(cached, region=region):
            await self.store.save_availability(
                link.tmdb_id, await self.client.availability(link.tmdb_id)
            )
        return await self.store.cached_film(guild_id, key, region=region)

    async def refresh(self, tmdb_id: int) -> FilmData:
        """Fetch one film and its availability from TMDB into the cache."""
        assert self.client is not None
        film, regions = await self.client.film(tmdb_id)
        await self.store.save_film(film, regions)
        return film

    async def search(self, title: str, year: int | None) -> list[Candidate]:
        """TMDB's films for a title and year; without the year when that finds none."""
        assert self.client is not None
        found = await self.client.search(title, year)
        if not found and year is not None:
            found = await self.client.search(title)
        return found

    async def link_by_search(self, key: str, title: str, year: int | None) -> FilmLink:
        """Search TMDB and record what was found, for every server: the one film that is
        clearly this one, or the candidates to choose from."""
        found = await self.search(title, year)
        match = clear_match(title, year, found)
        candidates = () if match else candidates_for(title, found)
        await self.store.link_film(key, match.tmdb_id if match else None, candidates=candidates)
        cached = await self.store.cached_film(SHARED, key)
        assert cached.link is not None
        return cached.link

    async def choose(self, guild_id: int, key: str, tmdb_id: int, *, by: int) -> FilmData:
        """A moderator's choice: fetch the film (so a wrong id fails here), then link it for
        their server. Raises :class:`~bot.tmdb.TmdbError`."""
        film = await self.refresh(tmdb_id)
        await self.store.link_film(key, tmdb_id, guild_id=guild_id, by=by)
        return film


def rebuilt(refetch: Refetch, build: Callable[[CachedFilm], Message]) -> Later:
    """A message's ``later`` step: fetch, then build it again from what came (if anything)."""

    async def later() -> Message | None:
        fresh = await refetch()
        return build(fresh) if fresh is not None else None

    return later


def _expired(at: datetime | None, kept: timedelta, now: datetime) -> bool:
    return at is None or at + kept <= now
