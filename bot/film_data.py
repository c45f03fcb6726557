"""Film data from TMDB as plain records: what a card, a fact check or /whereto watch needs.

The parsers read TMDB's JSON shapes (a search result, a film with ``append_to_response``, the
``watch/providers`` answer) and keep only what the bot shows; ``to_json``/``from_json`` are the
form kept in the database cache. Missing or null fields become ``None`` or empty: TMDB leaves
out what it does not know, and a card simply shows less.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.text import title_year

TMDB_FILM = "https://www.themoviedb.org/movie/{id}"
IMDB_FILM = "https://www.imdb.com/title/{id}/"
LETTERBOXD_FILM = "https://letterboxd.com/tmdb/{id}"
YOUTUBE = "https://www.youtube.com/watch?v={key}"
CAST_KEPT = 100
"""Cast members kept per film: enough to find every name a review lists."""
OFFER_KINDS = ("flatrate", "free", "ads", "rent", "buy")
"""TMDB's availability categories, in the order /whereto watch shows them."""


def tmdb_page(tmdb_id: int) -> str:
    """A film's page on TMDB's website."""
    return TMDB_FILM.format(id=tmdb_id)


def _year(date: object) -> int | None:
    text = str(date or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _mapping(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    return value if isinstance(value, Mapping) else {}


def _list(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = data.get(name)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class Candidate:
    """A search result: one film TMDB offers for a title."""

    tmdb_id: int
    title: str
    year: int | None
    original_title: str | None = None

    @property
    def label(self) -> str:
        return title_year(self.title, self.year)


def parse_search(data: Mapping[str, Any]) -> list[Candidate]:
    """The films of a ``/search/movie`` answer, in TMDB's order."""
    found = []
    for item in _list(data, "results"):
        if isinstance(item.get("id"), int) and (title := _text(item.get("title"))):
            found.append(
                Candidate(
                    tmdb_id=item["id"],
                    title=title,
                    year=_year(item.get("release_date")),
                    original_title=_text(item.get("original_title")),
                )
            )
    return found


@dataclass(frozen=True, slots=True)
class Posters:
    """Where a film's poster is, in the two sizes cards use (None: TMDB has no poster)."""

    small: str | None = None  # a result card's thumbnail
    large: str | None = None  # /movie's image


@dataclass(frozen=True, slots=True)
class FilmData:
    """One film as TMDB describes it, reduced to what the bot shows or checks."""

    tmdb_id: int
    title: str
    year: int | None
    runtime: int | None
    directors: tuple[str, ...]
    cast: tuple[str, ...]
    score: float | None  # TMDB's vote average, out of 10; None without votes
    votes: int
    imdb_id: str | None
    trailer: str | None  # a YouTube address
    posters: Posters = field(default_factory=Posters)

    @property
    def label(self) -> str:
        return title_year(self.title, self.year)

    @property
    def tmdb_url(self) -> str:
        return tmdb_page(self.tmdb_id)

    @property
    def imdb_url(self) -> str | None:
        return IMDB_FILM.format(id=self.imdb_id) if self.imdb_id else None

    @property
    def letterboxd_url(self) -> str:
        return LETTERBOXD_FILM.format(id=self.tmdb_id)


def _trailer(videos: Mapping[str, Any]) -> str | None:
    """An official YouTube trailer when there is one, else any YouTube trailer."""
    trailers = [
        video
        for video in _list(videos, "results")
        if video.get("site") == "YouTube" and video.get("type") == "Trailer" and video.get("key")
    ]
    trailers.sort(key=lambda video: (not video.get("official"), str(video.get("published_at"))))
    return YOUTUBE.format(key=trailers[0]["key"]) if trailers else None


def poster_path(data: Mapping[str, Any]) -> str | None:
    """The film's poster file (``/abc.jpg``), from its details or else its images."""
    if path := _text(data.get("poster_path")):
        return path
    posters = _list(_mapping(data, "images"), "posters")
    return next((path for p in posters if (path := _text(p.get("file_path")))), None)


def parse_film(data: Mapping[str, Any], posters: Posters | None = None) -> FilmData:
    """A film from ``/movie/{id}`` with credits, videos, images and external ids appended."""
    credits = _mapping(data, "credits")
    cast = sorted(_list(credits, "cast"), key=lambda member: member.get("order") or 0)
    external = _mapping(data, "external_ids")
    votes = int(data.get("vote_count") or 0)
    runtime = data.get("runtime")
    return FilmData(
        tmdb_id=int(data["id"]),
        title=_text(data.get("title")) or _text(data.get("original_title")) or "",
        year=_year(data.get("release_date")),
        runtime=runtime if isinstance(runtime, int) and runtime > 0 else None,
        directors=tuple(
            name
            for member in _list(credits, "crew")
            if member.get("job") == "Director" and (name := _text(member.get("name")))
        ),
        cast=tuple(name for member in cast if (name := _text(member.get("name"))))[:CAST_KEPT],
        score=float(data["vote_average"]) if votes and data.get("vote_average") else None,
        votes=votes,
        imdb_id=_text(external.get("imdb_id")) or _text(data.get("imdb_id")),
        trailer=_trailer(_mapping(data, "videos")),
        posters=posters or Posters(),
    )


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    priority: int = 0  # TMDB's display priority: lower first


@dataclass(frozen=True, slots=True)
class Offers:
    """What one country has of a film, by kind (TMDB's categories), and TMDB's page for it."""

    link: str | None
    flatrate: tuple[Provider, ...] = ()
    free: tuple[Provider, ...] = ()
    ads: tuple[Provider, ...] = ()
    rent: tuple[Provider, ...] = ()
    buy: tuple[Provider, ...] = ()

    def of(self, kind: str) -> tuple[Provider, ...]:
        providers: tuple[Provider, ...] = getattr(self, kind)
        return providers


def _providers(items: list[Mapping[str, Any]]) -> tuple[Provider, ...]:
    found = [
        Provider(name, int(item.get("display_priority") or 0))
        for item in items
        if (name := _text(item.get("provider_name")))
    ]
    return tuple(sorted(found, key=lambda provider: provider.priority))


def parse_availability(data: Mapping[str, Any]) -> dict[str, Offers]:
    """Every country's offers from a ``watch/providers`` answer (with or without its ``id``);
    a category TMDB leaves out is simply empty."""
    results = data.get("results")
    regions: dict[str, Offers] = {}
    if not isinstance(results, Mapping):
        return regions
    for code, offers in results.items():
        if isinstance(code, str) and isinstance(offers, Mapping):
            kinds = {kind: _providers(_list(offers, kind)) for kind in OFFER_KINDS}
            regions[code.upper()] = Offers(link=_text(offers.get("link")), **kinds)
    return regions


# --- the cache's JSON ----------------------------------------------------------------------------


def film_to_json(film: FilmData) -> dict[str, Any]:
    return asdict(film)


def film_from_json(data: Mapping[str, Any]) -> FilmData:
    posters = data.get("posters") or {}
    return FilmData(
        tmdb_id=int(data["tmdb_id"]),
        title=str(data["title"]),
        year=data.get("year"),
        runtime=data.get("runtime"),
        directors=tuple(data.get("directors") or ()),
        cast=tuple(data.get("cast") or ()),
        score=data.get("score"),
        votes=int(data.get("votes") or 0),
        imdb_id=data.get("imdb_id"),
        trailer=data.get("trailer"),
        posters=Posters(posters.get("small"), posters.get("large")),
    )
