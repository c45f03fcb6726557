"""A local TMDB for tests: the real API's answer shapes on 127.0.0.1, and its failures.

Serves ``GET /3/configuration``, ``/3/search/movie``, ``/3/movie/{id}`` (with
``append_to_response``, whose keys are named by their sub-path, literally ``"watch/providers"``)
and ``/3/movie/{id}/watch/providers``. Both ways of authenticating work: the v4 read access
token as ``Authorization: Bearer`` (:data:`TOKEN`) or the v3 key as ``?api_key=`` (:data:`KEY`).
Errors come in TMDB's envelope (``success``, ``status_code``, ``status_message``): 401 code 7 for
a wrong or missing key, 404 code 6 for an id that is not a number, 34 for an unknown film, 400
code 22 for a page outside 1-500, 27 for more than 20 appended items, 422 ``errors`` for an
empty query.

Switches: ``fake.delay = 4.0`` answers that many seconds late; ``fake.down = True`` drops every
connection without an answer; ``fake.rate_limited = 2`` answers the next two requests 429 code
25 with ``Retry-After: 1`` (``fake.retry_after`` sets it). ``fake.requests`` records each
request (path, query and how it authenticated); :meth:`FakeTmdb.settings` gives bot settings
pointing at it::

    async with FakeTmdb([FakeFilm.of(brick, 9001)]) as tmdb:
        settings = tmdb.settings(database=...)
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web

from bot.review import Review
from bot.settings import DEFAULT_THESAURUS, Secret, Settings
from bot.text import fold

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJmYWtlIn0.fake-read-access-token"
KEY = "0123456789abcdef0123456789abcdef"
IMAGES = "https://image.tmdb.org/t/p/"
POSTER_SIZES = ("w92", "w154", "w185", "w342", "w500", "w780", "original")
PROVIDER_IDS = {
    "Apple TV": 2,
    "Google Play Movies": 3,
    "Netflix": 8,
    "Amazon Prime Video": 9,
    "Mubi": 11,
    "Hulu": 15,
    "Tubi TV": 73,
    "Kanopy": 191,
    "YouTube": 192,
    "Pluto TV": 300,
    "Netflix basic with Ads": 1796,
}
KINDS = ("flatrate", "free", "ads", "rent", "buy")


def _error(status: int, code: int, message: str) -> web.Response:
    body = {"success": False, "status_code": code, "status_message": message}
    return web.json_response(body, status=status)


@dataclass
class FakeFilm:
    """One film the fake knows. ``providers`` maps a country to its offers by kind:
    ``{"DE": {"flatrate": ["Netflix"], "rent": ["Apple TV"]}}``."""

    tmdb_id: int
    title: str
    year: int | None
    runtime: int | None = 100
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    overview: str = ""
    popularity: float = 10.0
    vote_average: float = 7.1
    vote_count: int = 1234
    imdb_id: str | None = None
    poster: str | None = None
    trailer: str | None = "dQw4w9WgXcQ"
    providers: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    original_title: str | None = None

    @classmethod
    def of(cls, review: Review, tmdb_id: int, **changes: Any) -> FakeFilm:
        """The film a review describes, credits and all (``changes`` make TMDB disagree)."""
        film = cls(
            tmdb_id=tmdb_id,
            title=review.title,
            year=review.year,
            runtime=review.runtime_minutes,
            directors=review.directors,
            cast=tuple(member.name for member in review.cast),
            imdb_id=f"tt{tmdb_id:07d}",
            poster=f"/poster{tmdb_id}.jpg",
        )
        return replace(film, **changes)

    def search_result(self) -> dict[str, Any]:
        return {
            "adult": False,
            "backdrop_path": None,
            "genre_ids": [18],
            "id": self.tmdb_id,
            "original_language": "en",
            "original_title": self.original_title or self.title,
            "overview": self.overview,
            "popularity": self.popularity,
            "poster_path": self.poster,
            "release_date": f"{self.year}-06-01" if self.year else "",
            "title": self.title,
            "video": False,
            "vote_average": self.vote_average,
            "vote_count": self.vote_count,
        }

    def details(self) -> dict[str, Any]:
        result = self.search_result()
        del result["genre_ids"]
        return result | {
            "belongs_to_collection": None,
            "budget": 0,
            "genres": [{"id": 18, "name": "Drama"}],
            "homepage": "",
            "imdb_id": self.imdb_id,
            "origin_country": ["US"],
            "production_companies": [],
            "production_countries": [{"iso_3166_1": "US", "name": "United States of America"}],
            "revenue": 0,
            "runtime": self.runtime,
            "spoken_languages": [{"english_name": "English", "iso_639_1": "en", "name": "English"}],
            "status": "Released",
            "tagline": "",
        }

    def credits(self) -> dict[str, Any]:
        cast = [
            {
                "adult": False,
                "gender": 0,
                "id": self.tmdb_id * 100 + order,
                "known_for_department": "Acting",
                "name": name,
                "original_name": name,
                "popularity": 1.0,
                "profile_path": None,
                "cast_id": order,
                "character": f"Role {order + 1}",
                "credit_id": f"c{self.tmdb_id}{order}",
                "order": order,
            }
            for order, name in enumerate(self.cast)
        ]
        crew = [
            {
                "adult": False,
                "gender": 0,
                "id": self.tmdb_id * 100 + 90 + n,
                "known_for_department": "Directing",
                "name": name,
                "original_name": name,
                "popularity": 1.0,
                "profile_path": None,
                "credit_id": f"d{self.tmdb_id}{n}",
                "department": "Directing",
                "job": "Director",
            }
            for n, name in enumerate(self.directors)
        ]
        crew.append({**crew[0], "name": "Somebody Else", "job": "Editor"} if crew else {})
        return {"cast": cast, "crew": [member for member in crew if member]}

    def videos(self) -> dict[str, Any]:
        if self.trailer is None:
            return {"results": []}
        teaser = {
            "iso_639_1": "en",
            "iso_3166_1": "US",
            "name": "Teaser",
            "key": "teaserKey01",
            "site": "YouTube",
            "size": 1080,
            "type": "Teaser",
            "official": True,
            "published_at": "2020-01-01T10:00:00.000Z",
            "id": f"v{self.tmdb_id}t",
        }
        trailer = teaser | {"name": "Official Trailer", "key": self.trailer, "type": "Trailer"}
        return {"results": [teaser, trailer | {"id": f"v{self.tmdb_id}"}]}

    def images(self) -> dict[str, Any]:
        posters = []
        if self.poster:
            posters.append(
                {
                    "aspect_ratio": 0.667,
                    "height": 3000,
                    "iso_639_1": "en",
                    "file_path": self.poster,
                    "vote_average": 5.3,
                    "vote_count": 4,
                    "width": 2000,
                }
            )
        return {"backdrops": [], "logos": [], "posters": posters}

    def external_ids(self) -> dict[str, Any]:
        return {"imdb_id": self.imdb_id, "wikidata_id": None, "facebook_id": None}

    def watch_providers(self) -> dict[str, Any]:
        """Without the top-level ``id``, as ``append_to_response`` gives it; a kind a country
        lacks is left out, never an empty list."""
        results: dict[str, Any] = {}
        for region, offers in self.providers.items():
            country: dict[str, Any] = {
                "link": f"https://www.themoviedb.org/movie/{self.tmdb_id}/watch?locale={region}"
            }
            for kind in KINDS:
                if offers.get(kind):
                    country[kind] = [
                        {
                            "logo_path": f"/logo{PROVIDER_IDS.get(name, 999)}.jpg",
                            "provider_id": PROVIDER_IDS.get(name, 999),
                            "provider_name": name,
                            "display_priority": priority,
                        }
                        for priority, name in enumerate(offers[kind])
                    ]
            results[region] = country
        return {"results": results}


@dataclass(frozen=True)
class Seen:
    """One request the fake received."""

    path: str
    query: dict[str, str]
    auth: str  # "bearer", "api_key" or "none"
    at: float = 0.0  # when it arrived, on the fake's event loop clock (seconds)


class FakeTmdb:
    """TMDB on 127.0.0.1 for the length of an ``async with``."""

    def __init__(self, films: Iterable[FakeFilm] = (), *, token: str = TOKEN, key: str = KEY):
        self.films = {film.tmdb_id: film for film in films}
        self.token = token
        self.key = key
        self.delay = 0.0
        self.down = False
        self.rate_limited = 0
        self.retry_after = "1"
        self.requests: list[Seen] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    def add(self, *films: FakeFilm) -> None:
        self.films.update((film.tmdb_id, film) for film in films)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/3"

    def settings(self, *, by_key: bool = False, **values: Any) -> Settings:
        """Bot settings pointing at this fake, with the token (or, ``by_key``, the v3 key)."""
        auth = {"tmdb_key": Secret(self.key)} if by_key else {"tmdb_token": Secret(self.token)}
        values.setdefault("thesaurus", DEFAULT_THESAURUS)
        return Settings(tmdb_url=self.url, **auth, **values)

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    async def __aenter__(self) -> FakeTmdb:
        app = web.Application(middlewares=[self._gate])
        app.router.add_get("/3/configuration", self._configuration)
        app.router.add_get("/3/search/movie", self._search)
        app.router.add_get("/3/movie/{id}", self._movie)
        app.router.add_get("/3/movie/{id}/watch/providers", self._providers)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _gate(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Record, then play the switches and check the key before any endpoint answers."""
        header = request.headers.get("Authorization", "")
        auth = "bearer" if header else "api_key" if "api_key" in request.query else "none"
        query = {k: v for k, v in request.query.items() if k != "api_key"}
        at = asyncio.get_running_loop().time()
        self.requests.append(Seen(request.path, query, auth, at))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.down:
            if request.transport is not None:
                request.transport.close()
            raise web.HTTPServiceUnavailable()
        if self.rate_limited:
            self.rate_limited -= 1
            response = _error(429, 25, "Your request count (41) is over the allowed limit of 40.")
            response.headers["Retry-After"] = self.retry_after
            return response
        if header != f"Bearer {self.token}" and request.query.get("api_key") != self.key:
            return _error(401, 7, "Invalid API key: You must be granted a valid key.")
        return await handler(request)

    async def _configuration(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "images": {
                    "base_url": IMAGES.replace("https", "http"),
                    "secure_base_url": IMAGES,
                    "backdrop_sizes": ["w300", "w780", "w1280", "original"],
                    "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
                    "poster_sizes": list(POSTER_SIZES),
                    "profile_sizes": ["w45", "w185", "h632", "original"],
                    "still_sizes": ["w92", "w185", "w300", "original"],
                },
                "change_keys": ["adult", "cast", "crew", "images", "videos"],
            }
        )

    async def _search(self, request: web.Request) -> web.Response:
        query = fold(request.query.get("query", ""))
        if not query:
            return web.json_response({"errors": ["query must be provided"]}, status=422)
        page = int(request.query.get("page", "1") or "1")
        if not 1 <= page <= 500:
            return _error(400, 22, "Invalid page: Pages start at 1 and max at 500.")
        year = request.query.get("year") or request.query.get("primary_release_year")
        found = [
            film
            for film in self.films.values()
            if query in fold(film.title) or query in fold(film.original_title or "")
            if not year or str(film.year) == year
        ]
        found.sort(key=lambda film: -film.popularity)
        shown = found[(page - 1) * 20 : page * 20]
        return web.json_response(
            {
                "page": page,
                "results": [film.search_result() for film in shown],
                "total_pages": max(1, -(-len(found) // 20)) if found else 1,
                "total_results": len(found),
            }
        )

    def _film(self, request: web.Request) -> FakeFilm | web.Response:
        raw = request.match_info["id"]
        if not raw.isdigit():
            return _error(404, 6, "Invalid id: The pre-requisite id is invalid or not found.")
        film = self.films.get(int(raw))
        if film is None:
            return _error(404, 34, "The resource you requested could not be found.")
        return film

    async def _movie(self, request: web.Request) -> web.Response:
        film = self._film(request)
        if isinstance(film, web.Response):
            return film
        items = [item for item in request.query.get("append_to_response", "").split(",") if item]
        if len(items) > 20:
            return _error(400, 27, "Too many append to response objects: The maximum number is 20")
        body = film.details()
        parts = {
            "credits": film.credits,
            "videos": film.videos,
            "images": film.images,
            "external_ids": film.external_ids,
            "watch/providers": film.watch_providers,
        }
        for item in items:
            if item in parts:
                body[item] = parts[item]()
        return web.json_response(body)

    async def _providers(self, request: web.Request) -> web.Response:
        film = self._film(request)
        if isinstance(film, web.Response):
            return film
        return web.json_response({"id": film.tmdb_id, **film.watch_providers()})


@contextlib.asynccontextmanager
async def nothing_listening():
    """An address where nothing answers (a closed port): TMDB entirely unreachable."""
    async with FakeTmdb() as fake:
        url = fake.url
    yield url


@contextlib.contextmanager
def serving_in_a_thread(films: Iterable[FakeFilm] = ()) -> Iterator[FakeTmdb]:
    """The fake on its own event loop in a thread, for code that runs its own loop (the CLI)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeTmdb(films)
    asyncio.run_coroutine_threadsafe(fake.__aenter__(), loop).result(10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.__aexit__(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
