"""TMDB's API over aiohttp: search, one film with everything a card needs, and availability.

aiohttp comes with discord.py, so the client adds no dependency, and it is the one HTTP stack
the bot runs on. The TMDB client libraries on PyPI are either synchronous (they would hold the
event loop) or thin, little-kept async wrappers; the four calls below are less code than the
adapter one of them would need, and the rate limit, time-outs and errors stay in our hands.

Every request is authenticated with a v4 read access token (``Authorization: Bearer``) or, when
only that is set, a v3 key (``?api_key=``), waits for a token of the shared
:class:`~bot.token_bucket.TokenBucket` (TMDB allows about 40 requests a second) and gives up
after :data:`TIMEOUT` seconds. A 429 answer stops every request for its ``Retry-After`` and is
tried again. Failures are :class:`TmdbError` subclasses whose messages never contain the key.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.film_data import (
    Candidate,
    FilmData,
    Offers,
    Posters,
    parse_availability,
    parse_film,
    parse_search,
    poster_path,
)
from bot.settings import Secret, Settings
from bot.token_bucket import TokenBucket

log = logging.getLogger(__name__)

RATE, BURST = 38.0, 2.0
"""Requests a second, and saved up: never more than 40 in any one second, what TMDB allows
(its docs say "around 40"; some copies say 50)."""
TIMEOUT = 6.0
"""Seconds one request may take, connecting included."""
RETRIES = 2
"""How often a request refused with 429 is tried again after waiting ``Retry-After``."""
LONGEST_WAIT = 10.0
"""A ``Retry-After`` longer than this is not waited for: the request fails instead."""
CONFIGURATION_KEPT = 3 * 24 * 3600.0
"""Seconds the image configuration is kept before it is asked for again (TMDB: "days")."""
APPEND = "credits,videos,images,external_ids,watch/providers"
"""What ``/movie/{id}`` is asked to include; the answer has one key per item, named alike."""
SMALL_POSTER, LARGE_POSTER = 185, 500
"""Poster widths, in pixels, for a result card's thumbnail and /movie's image."""


class TmdbError(Exception):
    """TMDB gave no usable answer; ``str(error)`` says why, never with the key."""


class TmdbUnavailable(TmdbError):
    """TMDB could not be reached, was too slow, or failed on its side (5xx)."""


class TmdbRefused(TmdbError):
    """TMDB refused the token or key (401, status code 7)."""


class TmdbNotFound(TmdbError):
    """No such film (404, status codes 6 and 34)."""


class TmdbRateLimited(TmdbError):
    """Still over the rate limit after waiting as TMDB asked (429, status code 25)."""


class TmdbBadRequest(TmdbError):
    """TMDB refused the request itself (400 or 422: a page out of range, an empty query)."""


_BY_STATUS: dict[int, type[TmdbError]] = {
    400: TmdbBadRequest,
    401: TmdbRefused,
    404: TmdbNotFound,
    422: TmdbBadRequest,
    429: TmdbRateLimited,
}


def _failure(status: int, body: bytes) -> TmdbError:
    """The error for a failed answer, from TMDB's envelope when it sent one."""
    try:
        data = json.loads(body)
    except ValueError:
        data = {}
    if not isinstance(data, Mapping):
        data = {}
    message = data.get("status_message") or "; ".join(map(str, data.get("errors") or ()))
    code = f", status code {data['status_code']}" if "status_code" in data else ""
    kind = _BY_STATUS.get(status, TmdbUnavailable if status >= 500 else TmdbError)
    return kind(f"TMDB answered {status}{code}: {message or 'no reason given'}")


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 1.0
    except ValueError:
        return 1.0


@dataclass(frozen=True, slots=True)
class ImageConfiguration:
    """Where TMDB's images are: ``base`` + a size + the file path (from ``/configuration``)."""

    base: str
    poster_sizes: tuple[str, ...]

    def size_for(self, width: int) -> str:
        """The smallest poster size at least ``width`` pixels wide, else the largest there is."""
        widths = sorted(
            (int(size[1:]), size)
            for size in self.poster_sizes
            if size.startswith("w") and size[1:].isdigit()
        )
        return next((size for w, size in widths if w >= width), "original")

    def posters(self, path: str | None) -> Posters:
        if not path:
            return Posters()
        return Posters(
            f"{self.base}{self.size_for(SMALL_POSTER)}{path}",
            f"{self.base}{self.size_for(LARGE_POSTER)}{path}",
        )


class TmdbClient:
    """The few TMDB calls the bot makes. Open one per process; :meth:`close` it at the end."""

    def __init__(
        self,
        base_url: str,
        *,
        token: Secret,
        api_key: Secret,
        timeout: float = TIMEOUT,
        bucket: TokenBucket | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._token = token
        self._api_key = api_key
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self.bucket = bucket or TokenBucket(RATE, BURST, now=monotonic)
        self._monotonic = monotonic
        self._session: aiohttp.ClientSession | None = None
        self._images: tuple[float, ImageConfiguration] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> TmdbClient | None:
        """A client when a token or key is set, else None (the bot then works without TMDB)."""
        if not settings.has_tmdb:
            return None
        return cls(settings.tmdb_url, token=settings.tmdb_token, api_key=settings.tmdb_key)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # --- the calls -----------------------------------------------------------------------------

    async def search(self, title: str, year: int | None = None) -> list[Candidate]:
        """Films TMDB finds for a title (released in ``year``, when given), best first."""
        params: dict[str, str] = {"query": title, "include_adult": "false", "page": "1"}
        if year is not None:
            params["year"] = str(year)
        return parse_search(await self.get("search/movie", params))

    async def film(self, tmdb_id: int) -> tuple[FilmData, dict[str, Offers]]:
        """A film with its credits, trailer, poster and ids, and every country's availability,
        in one request."""
        data = await self.get(
            f"movie/{tmdb_id}",
            {"append_to_response": APPEND, "include_image_language": "en,null"},
        )
        images = await self.image_configuration()
        providers = data.get("watch/providers")
        regions = parse_availability(providers) if isinstance(providers, Mapping) else {}
        return parse_film(data, images.posters(poster_path(data))), regions

    async def availability(self, tmdb_id: int) -> dict[str, Offers]:
        """Every country's availability of a film (from JustWatch, through TMDB)."""
        return parse_availability(await self.get(f"movie/{tmdb_id}/watch/providers"))

    async def image_configuration(self) -> ImageConfiguration:
        """Where posters live; asked for once, and again after :data:`CONFIGURATION_KEPT`."""
        now = self._monotonic()
        if self._images is not None and now - self._images[0] < CONFIGURATION_KEPT:
            return self._images[1]
        images = (await self.get("configuration")).get("images")
        if not isinstance(images, Mapping):
            raise TmdbUnavailable("TMDB's configuration has no images")
        configuration = ImageConfiguration(
            str(images.get("secure_base_url") or images.get("base_url") or ""),
            tuple(str(size) for size in images.get("poster_sizes") or ()),
        )
        self._images = (now, configuration)
        return configuration

    # --- one request ---------------------------------------------------------------------------

    def _auth(self, params: dict[str, str]) -> dict[str, str]:
        """The headers, adding the v3 key to ``params`` when there is no v4 token."""
        headers = {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token.reveal()}"
        else:
            params["api_key"] = self._api_key.reveal()
        return headers

    async def get(self, path: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        """``GET base/path`` as JSON, within the rate limit; 429s are waited out and retried."""
        query = dict(params or {})
        headers = self._auth(query)
        url = f"{self._base}/{path}"
        status, body, retry_after = await self._once(url, query, headers)
        for _ in range(RETRIES):
            if status != 429 or retry_after > LONGEST_WAIT:
                break
            log.info("TMDB asked to slow down; waiting %.1f s", retry_after)
            self.bucket.hold(retry_after)
            status, body, retry_after = await self._once(url, query, headers)
        if status != 200:
            raise _failure(status, body)
        try:
            data = json.loads(body)
        except ValueError:
            raise TmdbUnavailable("TMDB answered with something that is not JSON") from None
        if not isinstance(data, dict):
            raise TmdbUnavailable("TMDB answered with JSON that is not an object")
        return data

    async def _once(
        self, url: str, query: Mapping[str, str], headers: Mapping[str, str]
    ) -> tuple[int, bytes, float]:
        """One request when the bucket allows: its status, body and ``Retry-After`` seconds."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        await self.bucket.take()
        try:
            async with self._session.get(url, params=query, headers=headers) as response:
                body = await response.read()
                return response.status, body, _retry_after(response.headers.get("Retry-After"))
        except (aiohttp.ClientError, TimeoutError) as error:
            # The error's own text may carry the address, and with it the v3 key.
            raise TmdbUnavailable(f"TMDB could not be reached ({type(error).__name__})") from None
