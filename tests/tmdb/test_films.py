"""Linking films by search, the database cache in front of TMDB, and TMDB failing quietly."""

import asyncio
import logging
from datetime import timedelta

import pytest

from bot.film_data import Candidate
from bot.films import clear_match
from bot.store import SHARED, film_key
from tests.tmdb.conftest import FINISH, NIGHT, NIGHT_TOO, QUIET, VELVET
from tests.tmdb_fake import KEY

pytestmark = pytest.mark.both_backends

GUILD, OTHER = 41, 42


def candidate(tmdb_id, title, year, original=None):
    return Candidate(tmdb_id, title, year, original)


@pytest.mark.parametrize(
    ("title", "year", "found", "expected"),
    [
        ("Amélie", 2001, [candidate(1, "Amelie", 2001), candidate(2, "Amelie", 2019)], 1),
        ("Le Samouraï", 1967, [candidate(3, "Le Samourai", 1967, "Le Samouraï")], 3),
        ("Brick", 2005, [candidate(4, "Brick", 2006), candidate(5, "Brick Lane", 2005)], 4),
        ("Brick", 2005, [candidate(4, "Brick", 2004), candidate(6, "Brick", 2006)], None),
        ("Brick", 2005, [candidate(4, "Brick", 2005), candidate(6, "Brick", 2005)], None),
        ("Brick", None, [candidate(4, "Brick", 2005)], 4),
        ("Brick", 2005, [candidate(5, "Brick Lane", 2005)], None),
    ],
)
def test_a_search_links_only_the_film_that_is_clearly_it(title, year, found, expected):
    match = clear_match(title, year, found)
    assert (match.tmdb_id if match else None) == expected


async def test_fetching_links_and_caches_then_cards_read_the_cache(core, tmdb):
    films = core.films
    assert films.stale(await films.cached(GUILD, film_key("Velvet Job", 1998)))
    cached = await films.fetch(GUILD, "Velvet Job", 1998, region="DE")
    assert cached.link.tmdb_id == VELVET and cached.link.linked_by is None
    assert cached.film.directors == ("Paul Render", "Ana Render")
    assert [p.name for p in cached.offers.flatrate] == ["Netflix", "Mubi"]
    assert cached.offers.link.endswith("/movie/501/watch?locale=DE")
    assert tmdb.paths() == ["/3/search/movie", "/3/movie/501", "/3/configuration"]
    again = await films.cached(OTHER, film_key("Velvet Job", 1998), region="DE")
    assert again == cached and not films.stale(again, region="DE")


async def test_a_year_off_links_and_an_unclear_or_missing_film_does_not(core, tmdb):
    finish = await core.films.fetch(GUILD, "Finish Line", 2011)
    assert finish.link.tmdb_id == FINISH and finish.film.year == 2012
    night = await core.films.fetch(GUILD, "Night Shift", 2015)
    assert night.link.tmdb_id is None and night.film is None
    assert [c.tmdb_id for c in night.link.candidates] == [NIGHT, NIGHT_TOO]
    court = await core.films.fetch(GUILD, "Court Vision", 2019)
    assert court.link.tmdb_id is None and court.link.candidates == ()
    # Finish Line and Court Vision were searched again without their year.
    assert tmdb.paths().count("/3/search/movie") == 5
    assert not core.films.stale(court)  # not searched again for 30 days
    assert not core.films.stale(night)


async def test_film_data_lasts_30_days_and_availability_24_hours(core, tmdb, clock):
    await core.films.fetch(GUILD, "Velvet Job", 1998, region="DE")
    tmdb.requests.clear()
    clock.now += timedelta(hours=25)
    cached = await core.films.cached(GUILD, film_key("Velvet Job", 1998), region="DE")
    assert not core.films.stale(cached) and core.films.stale(cached, region="DE")
    await core.films.fetch(GUILD, "Velvet Job", 1998, region="DE")
    assert tmdb.paths() == ["/3/movie/501/watch/providers"]
    clock.now += timedelta(days=30)
    tmdb.requests.clear()
    await core.films.fetch(GUILD, "Velvet Job", 1998)
    assert tmdb.paths() == ["/3/movie/501"]  # the link stands; the data is fetched again


async def test_a_search_that_found_nothing_is_tried_again_after_30_days(core, tmdb, clock):
    await core.films.fetch(GUILD, "Court Vision", 2019)
    clock.now += timedelta(days=31)
    assert core.films.stale(await core.films.cached(GUILD, film_key("Court Vision", 2019)))


async def test_concurrent_fetches_of_one_film_make_one_request(core, tmdb):
    tmdb.delay = 0.05
    results = await asyncio.gather(
        *(core.films.fetch(GUILD, "The Quiet House", 2004) for _ in range(10))
    )
    assert all(result.link.tmdb_id == QUIET for result in results)
    assert tmdb.paths().count("/3/movie/502") == 1


async def test_tmdb_down_is_logged_rested_and_never_raised(core, tmdb, caplog):
    tmdb.down = True
    with caplog.at_level(logging.WARNING):
        cached = await core.films.fetch(GUILD, "Velvet Job", 1998)
    assert cached.link is None
    assert "TMDB failed" in caplog.text
    asked = len(tmdb.requests)
    await core.films.fetch(GUILD, "The Quiet House", 2004)
    assert len(tmdb.requests) == asked  # resting: TMDB is not asked again at once


async def test_a_refused_key_is_an_error_in_the_log_without_the_key(tmp_path, clock, caplog):
    from bot.core import Core
    from tests.tmdb_fake import FakeTmdb

    async with FakeTmdb(key="a" * 32) as tmdb:
        core = await Core.open(tmdb.settings(by_key=True, database=tmp_path / "x.db"), clock=clock)
        tmdb.key = "b" * 32  # the key the bot has is no longer good
        try:
            with caplog.at_level(logging.DEBUG):
                await core.films.fetch(GUILD, "Velvet Job", 1998)
        finally:
            await core.close()
    assert any(r.levelno == logging.ERROR and "TMDB_API" in r.getMessage() for r in caplog.records)
    assert "a" * 32 not in caplog.text and KEY not in caplog.text


async def test_a_moderators_choice_holds_for_their_server_only(core, tmdb):
    key = film_key("Night Shift", 2015)
    await core.films.fetch(GUILD, "Night Shift", 2015)
    film = await core.films.choose(GUILD, key, NIGHT_TOO, by=7)
    assert film.directors == ("Someone Else",)
    mine = await core.films.cached(GUILD, key)
    theirs = await core.films.cached(OTHER, key)
    assert (mine.link.tmdb_id, mine.link.linked_by, mine.film.tmdb_id) == (NIGHT_TOO, 7, NIGHT_TOO)
    assert theirs.link.tmdb_id is None and theirs.link.guild_id == SHARED


async def test_a_film_gone_from_tmdb_is_unlinked_and_searched_again(core, tmdb, clock):
    await core.films.fetch(GUILD, "The Quiet House", 2004)
    del tmdb.films[QUIET]
    clock.now += timedelta(days=31)
    cached = await core.films.fetch(GUILD, "The Quiet House", 2004)
    assert cached.link.tmdb_id is None
