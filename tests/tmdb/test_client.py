"""The TMDB client against the local fake: both ways to authenticate, the answers' shapes, the
error envelope, the rate limit, slow and missing servers, and keys kept out of every message."""

import asyncio
import itertools
import logging
import time

import pytest

from bot.film_data import Posters, parse_availability
from bot.settings import Secret
from bot.tmdb import (
    APPEND,
    TmdbBadRequest,
    TmdbClient,
    TmdbNotFound,
    TmdbRateLimited,
    TmdbRefused,
    TmdbUnavailable,
)
from bot.token_bucket import TokenBucket
from tests.tmdb_fake import KEY, TOKEN, FakeFilm, FakeTmdb, nothing_listening

BRICK = FakeFilm(
    9001,
    "Brick",
    2005,
    runtime=110,
    directors=("Rian Johnson",),
    cast=("Joseph Gordon-Levitt", "Nora Zehetner"),
    imdb_id="tt0393109",
    poster="/brick.jpg",
    providers={"DE": {"flatrate": ["Mubi"], "rent": ["Apple TV"]}, "US": {"free": ["Kanopy"]}},
)


@pytest.fixture
async def fake():
    async with FakeTmdb([BRICK, FakeFilm(9002, "Brick Lane", 2007, popularity=3.0)]) as server:
        yield server


def client_for(url, *, token=TOKEN, key="", **kwargs):
    return TmdbClient(url, token=Secret(token), api_key=Secret(key), **kwargs)


@pytest.fixture
async def client(fake):
    tmdb = client_for(fake.url)
    yield tmdb
    await tmdb.close()


async def test_search_with_the_read_access_token(fake, client):
    found = await client.search("brick", 2005)
    assert [(c.tmdb_id, c.title, c.year) for c in found] == [(9001, "Brick", 2005)]
    assert fake.requests[-1].auth == "bearer"
    assert fake.requests[-1].query["year"] == "2005"
    assert [c.label for c in await client.search("brick")] == ["Brick (2005)", "Brick Lane (2007)"]


async def test_the_v3_key_goes_in_the_query_instead(fake):
    tmdb = client_for(fake.url, token="", key=KEY)
    try:
        assert [c.tmdb_id for c in await tmdb.search("brick lane")] == [9002]
    finally:
        await tmdb.close()
    assert fake.requests[-1].auth == "api_key"


async def test_a_film_with_everything_appended_in_one_request(fake, client):
    film, regions = await client.film(9001)
    movie = [seen for seen in fake.requests if seen.path == "/3/movie/9001"]
    assert len(movie) == 1 and movie[0].query["append_to_response"] == APPEND
    assert (film.title, film.year, film.runtime) == ("Brick", 2005, 110)
    assert film.directors == ("Rian Johnson",)
    assert film.cast == ("Joseph Gordon-Levitt", "Nora Zehetner")
    assert (film.score, film.votes) == (7.1, 1234)
    assert (
        film.trailer == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )  # the trailer, not the teaser
    assert film.posters == Posters(
        "https://image.tmdb.org/t/p/w185/brick.jpg", "https://image.tmdb.org/t/p/w500/brick.jpg"
    )
    assert film.imdb_url == "https://www.imdb.com/title/tt0393109/"
    assert film.letterboxd_url == "https://letterboxd.com/tmdb/9001"
    assert [p.name for p in regions["DE"].flatrate] == ["Mubi"]
    assert [p.name for p in regions["DE"].rent] == ["Apple TV"]
    assert regions["DE"].buy == () and regions["US"].flatrate == ()
    assert regions["US"].link.endswith("/movie/9001/watch?locale=US")


async def test_availability_alone_and_the_configuration_asked_once(fake, client):
    await client.film(9001)
    await client.film(9002)
    assert fake.paths().count("/3/configuration") == 1
    regions = await client.availability(9001)
    assert set(regions) == {"DE", "US"}


def test_watch_providers_read_with_or_without_their_id():
    body = BRICK.watch_providers()
    assert parse_availability(body) == parse_availability({"id": 9001, **body})


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda c: c.film(424242), TmdbNotFound, "status code 34"),
        (lambda c: c.get("movie/abc"), TmdbNotFound, "status code 6"),
        (lambda c: c.search(" "), TmdbBadRequest, "422: query must be provided"),
        (
            lambda c: c.get("search/movie", {"query": "brick", "page": "501"}),
            TmdbBadRequest,
            "status code 22",
        ),
        (
            lambda c: c.get("movie/9001", {"append_to_response": ",".join(["credits"] * 21)}),
            TmdbBadRequest,
            "status code 27",
        ),
    ],
)
async def test_the_error_envelope_becomes_a_typed_error(client, call, error, code):
    with pytest.raises(error) as failed:
        await call(client)
    assert code in str(failed.value)


@pytest.mark.parametrize("by_key", [False, True])
async def test_a_refused_key_is_named_and_never_shown(fake, caplog, by_key):
    wrong = "ffffffffffffffffffffffffffffffff"
    tmdb = client_for(fake.url, token="" if by_key else "eyJ.wrong.token", key=wrong)
    with caplog.at_level(logging.DEBUG), pytest.raises(TmdbRefused) as refused:
        await tmdb.search("brick")
    await tmdb.close()
    assert "401, status code 7" in str(refused.value)
    assert wrong not in str(refused.value) and wrong not in caplog.text
    assert "eyJ.wrong" not in caplog.text


async def test_a_429_waits_for_retry_after_then_succeeds(fake, client):
    fake.rate_limited = 1
    start = time.monotonic()
    assert [c.tmdb_id for c in await client.search("brick", 2005)] == [9001]
    assert time.monotonic() - start >= 0.95  # Retry-After: 1
    assert fake.paths() == ["/3/search/movie", "/3/search/movie"]


async def test_a_429_asking_for_too_long_a_wait_fails_at_once(fake, client):
    fake.rate_limited, fake.retry_after = 5, "3600"
    with pytest.raises(TmdbRateLimited, match="status code 25"):
        await client.search("brick")
    assert len(fake.requests) == 1


async def test_a_slow_answer_times_out(fake):
    fake.delay = 1.0
    tmdb = client_for(fake.url, timeout=0.2)
    start = time.monotonic()
    with pytest.raises(TmdbUnavailable, match="could not be reached"):
        await tmdb.search("brick")
    await tmdb.close()
    assert time.monotonic() - start < 0.9


async def test_a_server_that_drops_connections_or_is_not_there(fake, caplog):
    fake.down = True
    tmdb = client_for(fake.url, token="", key=KEY)
    with caplog.at_level(logging.DEBUG), pytest.raises(TmdbUnavailable) as failed:
        await tmdb.search("brick")
    await tmdb.close()
    assert KEY not in str(failed.value) and KEY not in caplog.text
    async with nothing_listening() as url:
        tmdb = client_for(url, token="", key=KEY)
        with pytest.raises(TmdbUnavailable) as failed:
            await tmdb.film(9001)
        await tmdb.close()
    assert KEY not in str(failed.value)


# --- the token bucket ----------------------------------------------------------------------------


class FakeTime:
    """A monotonic clock that moves only when someone sleeps on it."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    async def sleep(self, seconds):
        self.now += seconds
        await asyncio.sleep(0)


async def test_the_bucket_allows_a_burst_then_the_rate():
    clock = FakeTime()
    bucket = TokenBucket(40, now=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(120):
        await bucket.take()
        stamps.append(clock.now)
    assert stamps[39] == 0.0  # the first 40 at once
    assert stamps[-1] == pytest.approx(80 / 40)  # then 40 a second
    assert all(later - earlier <= 1 / 40 + 1e-9 for earlier, later in itertools.pairwise(stamps))


async def test_a_hold_stops_everyone_and_the_rate_starts_again_after_it():
    clock = FakeTime()
    bucket = TokenBucket(40, now=clock, sleep=clock.sleep)
    bucket.hold(1.0)
    await asyncio.gather(*(bucket.take() for _ in range(3)))
    assert clock.now == pytest.approx(1.0 + 3 / 40)


async def test_waiters_are_served_in_the_order_they_came():
    clock = FakeTime()
    bucket = TokenBucket(10, burst=1, now=clock, sleep=clock.sleep)
    order = []

    async def take(n):
        await bucket.take()
        order.append(n)

    await asyncio.gather(*(take(n) for n in range(6)))
    assert order == list(range(6))
