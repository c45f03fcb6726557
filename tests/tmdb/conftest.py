"""A core with a TMDB key, over the five fixture reviews, talking to the local fake TMDB.

What the fake knows: Velvet Job (1998) and The Quiet House (2004) exactly as their reviews say;
Finish Line dated 2012 on TMDB (a year off); two films called Night Shift from 2015 (a search
cannot tell them apart); no Court Vision at all.
"""

import pytest

from bot.core import Core
from bot.review import parse
from tests.conftest import FIXTURE_REVIEWS
from tests.tmdb_fake import FakeFilm, FakeTmdb

VELVET, QUIET, FINISH, NIGHT, NIGHT_TOO = 501, 502, 503, 504, 505


def fixture_review(name):
    return parse((FIXTURE_REVIEWS / f"{name}.txt").read_text(encoding="utf-8"))


def fixture_films():
    velvet = FakeFilm.of(
        fixture_review("velvet-job-1998"),
        VELVET,
        providers={
            "DE": {"flatrate": ["Netflix", "Mubi"], "rent": ["Apple TV"], "buy": ["Apple TV"]},
            "US": {"free": ["Kanopy"], "ads": ["Tubi TV"], "rent": ["Apple TV"]},
        },
    )
    night = fixture_review("night-shift-2015")
    return [
        velvet,
        FakeFilm.of(fixture_review("the-quiet-house-2004"), QUIET),
        FakeFilm.of(fixture_review("finish-line-2011"), FINISH, year=2012),
        FakeFilm.of(night, NIGHT, popularity=20.0),
        FakeFilm.of(night, NIGHT_TOO, directors=("Someone Else",), popularity=2.0),
    ]


@pytest.fixture
async def tmdb():
    async with FakeTmdb(fixture_films()) as fake:
        yield fake


@pytest.fixture
async def core(tmdb, new_database, clock):
    settings = tmdb.settings(database=new_database("tmdb"), starter=FIXTURE_REVIEWS)
    opened = await Core.open(settings, clock=clock)
    yield opened
    await opened.close()
