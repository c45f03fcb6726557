"""Film data from TMDB: which film a review is, the cached answers, and each server's country
and streaming services."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal

from bot.film_data import (
    OFFER_KINDS,
    Candidate,
    FilmData,
    Offers,
    Provider,
    film_from_json,
    film_to_json,
)
from bot.services import service_key
from bot.store.base import StoreBase, first_row
from bot.store.records import (
    NOT_SEEN,
    REVIEW_COLUMNS,
    SHARED,
    VISIBLE,
    StoredReview,
    iso,
    row_to_stored,
    when,
)

WATCH_NOW = ("flatrate", "free", "ads")
"""Kinds of offer that count as available on a service: with a subscription, free, with ads."""

# The link a server goes by: its own choice of film, else the search's.
LINK = """
    (l.guild_id = :guild OR (l.guild_id = 0 AND NOT EXISTS (
        SELECT 1 FROM film_links own WHERE own.guild_id = :guild AND own.film_key = l.film_key
    )))
"""


@dataclass(frozen=True, slots=True)
class FilmLink:
    """Which TMDB film a film of the catalog is (``tmdb_id`` None: no one film clearly was)."""

    tmdb_id: int | None
    candidates: tuple[Candidate, ...]
    linked_at: datetime
    linked_by: int | None  # the moderator who chose it; None when a search found it
    guild_id: int  # the server whose choice it is; 0 for a search's


@dataclass(frozen=True, slots=True)
class CachedFilm:
    """What the database knows of one film: its link and TMDB's answers, with their ages."""

    link: FilmLink | None
    film: FilmData | None = None
    film_at: datetime | None = None
    offers: Offers | None = None  # in the country asked about; None: not known
    offers_at: datetime | None = None


def _offers(rows: list[tuple[str, str, int, str | None]]) -> Offers:
    """One country's offers from its rows (kind, provider, priority, link), in order."""
    kinds: dict[str, list[Provider]] = {kind: [] for kind in OFFER_KINDS}
    for kind, provider, priority, _ in rows:
        kinds[kind].append(Provider(provider, priority))
    link = next((row[3] for row in rows), None)
    return Offers(link, **{kind: tuple(found) for kind, found in kinds.items()})


def _candidates(text: str) -> tuple[Candidate, ...]:
    return tuple(Candidate(**item) for item in json.loads(text))


def _candidates_json(candidates: tuple[Candidate, ...]) -> str:
    return json.dumps([asdict(c) for c in candidates], ensure_ascii=False)


ON_SERVICES = f"""
    JOIN film_offers o ON o.tmdb_id = l.tmdb_id
    WHERE {LINK} AND o.region = :region
    AND o.kind IN (SELECT value FROM json_each(:kinds))
    AND o.service IN (SELECT value FROM json_each(:services))
"""
"""Film links whose film is on one of a server's services in its country (see below)."""


def _on_services(guild_id: int, region: str, services: tuple[str, ...]) -> dict[str, object]:
    return {
        "guild": guild_id,
        "region": region,
        "kinds": json.dumps(WATCH_NOW),
        "services": json.dumps([service_key(name) for name in services]),
    }


class FilmQueries(StoreBase):
    """Links, the film data cache and watch settings; mixed into :class:`bot.store.Store`."""

    async def cached_film(
        self, guild_id: int, key: str, *, region: str | None = None
    ) -> CachedFilm:
        """The server's own link of a film if it chose one, else the search's; with the
        cached film data of the film it links to, and its offers in ``region`` if asked.
        One query: a row per offer in ``region`` (or one row without)."""
        rows = list(
            await self._reader.execute_fetchall(
                "SELECT l.tmdb_id, l.candidates, l.linked_at, l.linked_by, l.guild_id,"
                " d.data, d.fetched_at, a.fetched_at, o.kind, o.provider, o.priority, o.link"
                " FROM film_links l"
                " LEFT JOIN film_data d ON d.tmdb_id = l.tmdb_id"
                " LEFT JOIN film_availability a ON a.tmdb_id = l.tmdb_id"
                " LEFT JOIN film_offers o ON o.tmdb_id = l.tmdb_id AND o.region = :region"
                f" WHERE l.film_key = :key AND {LINK} ORDER BY o.priority, o.provider",
                {"key": key, "guild": guild_id, "region": region},
            )
        )
        if not rows:
            return CachedFilm(None)
        tmdb_id, candidates, linked_at, linked_by, owner, data, data_at, offers_at = rows[0][:8]
        link = FilmLink(
            tmdb_id, _candidates(candidates), datetime.fromisoformat(linked_at), linked_by, owner
        )
        known = region is not None and offers_at is not None
        return CachedFilm(
            link,
            film_from_json(json.loads(data)) if data else None,
            when(data_at),
            _offers([tuple(row[8:]) for row in rows if row[8] is not None]) if known else None,
            when(offers_at) if region is not None else None,
        )

    async def link_film(
        self,
        key: str,
        tmdb_id: int | None,
        *,
        guild_id: int = SHARED,
        candidates: tuple[Candidate, ...] = (),
        by: int | None = None,
    ) -> None:
        """Record which film ``key`` is, for one server (a moderator's choice) or for all."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO film_links"
                " (guild_id, film_key, tmdb_id, candidates, linked_at, linked_by)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, film_key) DO UPDATE SET"
                " tmdb_id = excluded.tmdb_id, candidates = excluded.candidates,"
                " linked_at = excluded.linked_at, linked_by = excluded.linked_by",
                (guild_id, key, tmdb_id, _candidates_json(candidates), iso(self._clock()), by),
            )

    async def save_film(self, film: FilmData, regions: dict[str, Offers] | None) -> None:
        """Cache TMDB's answer about a film, and its availability when it came along."""
        now = iso(self._clock())
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO film_data (tmdb_id, data, fetched_at) VALUES (?, ?, ?)"
                " ON CONFLICT (tmdb_id) DO UPDATE SET data = excluded.data,"
                " fetched_at = excluded.fetched_at",
                (film.tmdb_id, json.dumps(film_to_json(film), ensure_ascii=False), now),
            )
            if regions is not None:
                await self._save_offers(film.tmdb_id, regions, now)

    async def save_availability(self, tmdb_id: int, regions: dict[str, Offers]) -> None:
        async with self.transaction():
            await self._save_offers(tmdb_id, regions, iso(self._clock()))

    async def _save_offers(self, tmdb_id: int, regions: dict[str, Offers], now: str) -> None:
        """Every country's offers of a film, in place of what was kept (inside a transaction)."""
        db = self._writer
        await db.execute("DELETE FROM film_offers WHERE tmdb_id = ?", (tmdb_id,))
        await db.execute(
            "INSERT INTO film_availability (tmdb_id, fetched_at) VALUES (?, ?)"
            " ON CONFLICT (tmdb_id) DO UPDATE SET fetched_at = excluded.fetched_at",
            (tmdb_id, now),
        )
        await db.executemany(
            "INSERT INTO film_offers"
            " (tmdb_id, region, kind, provider, service, priority, link)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                (tmdb_id, region, kind, p.name, service_key(p.name), p.priority, offers.link)
                for region, offers in regions.items()
                for kind in OFFER_KINDS
                for p in offers.of(kind)
            ],
        )

    # --- available on a server's services ------------------------------------------------------

    async def on_services(
        self, guild_id: int, keys: list[str], region: str, services: tuple[str, ...]
    ) -> set[str]:
        """Of these films, those to watch now (subscription, free or with ads) on one of
        ``services`` in ``region``, as far as the cache knows."""
        rows = await self._reader.execute_fetchall(
            f"SELECT DISTINCT l.film_key FROM film_links l {ON_SERVICES}"
            " AND l.film_key IN (SELECT value FROM json_each(:keys))",
            _on_services(guild_id, region, services) | {"keys": json.dumps(keys)},
        )
        return {key for (key,) in rows}

    async def random_on_services(
        self, guild_id: int, region: str, services: tuple[str, ...]
    ) -> StoredReview | None:
        """A random film the server has not seen that the cache knows is on its services."""
        row = await first_row(
            self._reader,
            f"SELECT {REVIEW_COLUMNS} FROM reviews r WHERE {VISIBLE} AND {NOT_SEEN}"
            f" AND r.film_key IN (SELECT l.film_key FROM film_links l {ON_SERVICES})"
            " ORDER BY random() LIMIT 1",
            _on_services(guild_id, region, services),
        )
        return row_to_stored(row) if row else None

    # --- bulk work (movienight tmdb) -----------------------------------------------------------

    async def films_to_link(self, *, again: bool) -> list[tuple[str, str, int | None]]:
        """(film key, title, year) of every live film no search has linked yet; with ``again``
        also those a search left unlinked (no film, or no one film clearly)."""
        unlinked = "l.film_key IS NULL" + (" OR l.tmdb_id IS NULL" if again else "")
        rows = await self._reader.execute_fetchall(
            "SELECT r.film_key, min(r.title), min(r.year) FROM reviews r"
            " LEFT JOIN film_links l ON l.film_key = r.film_key AND l.guild_id = 0"
            f" WHERE r.deleted_at IS NULL AND ({unlinked})"
            " GROUP BY r.film_key ORDER BY r.film_key"
        )
        return [(key, title, year) for key, title, year in rows]

    async def linked_films(self, *, fetched_before: datetime | None = None) -> list[int]:
        """Every TMDB id a film is linked to; with ``fetched_before``, only those whose data is
        older than that (or missing)."""
        rows = await self._reader.execute_fetchall(
            "SELECT DISTINCT l.tmdb_id FROM film_links l"
            " LEFT JOIN film_data d ON d.tmdb_id = l.tmdb_id"
            " WHERE l.tmdb_id IS NOT NULL AND (CAST(? AS TEXT) IS NULL OR d.fetched_at IS NULL"
            " OR d.fetched_at < ?) ORDER BY l.tmdb_id",
            (fetched_before and iso(fetched_before),) * 2,
        )
        return [tmdb_id for (tmdb_id,) in rows]

    # --- where a server watches ----------------------------------------------------------------

    async def watch_settings(self, guild_id: int) -> tuple[str | None, tuple[str, ...]]:
        """The server's country (ISO 3166-1 code) and the streaming services it has."""
        row = await first_row(
            self._reader, "SELECT region, services FROM guild_watch WHERE guild_id = ?", (guild_id,)
        )
        return (row[0], tuple(json.loads(row[1]))) if row else (None, ())

    async def set_region(self, guild_id: int, region: str | None) -> None:
        await self._set_watch(guild_id, "region", region)

    async def set_services(self, guild_id: int, services: tuple[str, ...]) -> None:
        await self._set_watch(guild_id, "services", json.dumps(list(services), ensure_ascii=False))

    async def _set_watch(
        self, guild_id: int, column: Literal["region", "services"], value: str | None
    ) -> None:
        async with self.transaction() as db:
            await db.execute(
                f"INSERT INTO guild_watch (guild_id, {column}) VALUES (?, ?)"
                f" ON CONFLICT (guild_id) DO UPDATE SET {column} = excluded.{column}",
                (guild_id, value),
            )
