"""Letterboxd and IMDb lists into a member's watchlist or a server's seen list."""

from datetime import UTC, datetime

import pytest

from bot.core import Caller
from bot.errors import NotAModerator
from bot.list_imports import import_seen, import_watchlist

GUILD = 91
MEMBER = Caller(GUILD, 4)
MOD = Caller(GUILD, 5, is_moderator=True)

WATCHLIST = b"""Date,Name,Year,Letterboxd URI
2024-01-03,Amelie,2001,https://boxd.it/a1
2024-02-11,Brick,2005,https://boxd.it/a2
2024-03-05,the lunchbox,2013,https://boxd.it/a3
2024-04-01,Parasite,2019,https://boxd.it/a4
2024-04-02,Brick,2005,https://boxd.it/a2
2024-05-01,In the Mood for Love,2001,https://boxd.it/a5
2024-05-02,Brick,1999,https://boxd.it/a6
"""

IMDB = """Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,\
Runtime (mins),Year,Genres,Num Votes,Release Date,Directors
tt0211915,9,2023-01-01,Amélie,Le fabuleux destin d'Amélie Poulain,https://www.imdb.com/title/\
tt0211915/,Movie,8.3,122,2001,"Comedy, Romance",800000,2001-04-25,Jean-Pierre Jeunet
tt0903747,10,2023-01-02,Breaking Bad,Breaking Bad,https://www.imdb.com/title/tt0903747/,\
TV Series,9.5,49,2008,"Crime, Drama",2000000,2008-01-20,
tt0468569,8,2023-01-03,Tampopo,Tanpopo,https://www.imdb.com/title/tt0468569/,movie,7.8,114,\
1985,Comedy,30000,1985-11-23,Jûzô Itami
""".encode()


def titles(reviews):
    return sorted(stored.review.title for stored in reviews)


async def test_a_letterboxd_watchlist_into_a_members_watchlist(catalog):
    answer = await import_watchlist(catalog, MEMBER, "watchlist.csv", WATCHLIST)
    assert answer.ephemeral
    assert answer.content == (
        "Imported **watchlist.csv** (Letterboxd): added 4 films to your watchlist; 0 were "
        "already there; 2 are not in the catalog."
    )
    assert answer.embeds[0].description == "• Parasite (2019)\n• Brick (1999)"
    assert titles(await catalog.store.watchlist(4)) == [
        "Amélie",
        "Brick",
        "In the Mood for Love",  # 2000 in the catalog: a year off is the same film
        "The Lunchbox",
    ]
    again = await import_watchlist(catalog, MEMBER, "watchlist.csv", WATCHLIST)
    assert "added 0 films to your watchlist; 4 were already there" in again.content


async def test_an_imdb_list_skips_what_is_not_a_film(catalog):
    answer = await import_watchlist(catalog, MEMBER, "ratings.csv", IMDB)
    assert "(IMDb): added 2 films" in answer.content
    assert "1 row was not a film (series, episodes…) and was skipped." in answer.content
    assert titles(await catalog.store.watchlist(4)) == ["Amélie", "Tampopo"]


async def test_a_moderator_imports_the_servers_watched_list_with_its_dates(catalog):
    with pytest.raises(NotAModerator):
        await import_seen(catalog, MEMBER, "watched.csv", WATCHLIST)
    answer = await import_seen(catalog, MOD, "watched.csv", WATCHLIST)
    assert "added 4 films to this server's seen list" in answer.content
    seen = {stored.review.title: on for stored, on in await catalog.store.seen(GUILD)}
    assert seen["Brick"] == datetime(2024, 2, 11, 12, tzinfo=UTC)
    assert len(seen) == 4


async def test_long_lists_of_missing_films_are_cut_with_a_count(catalog):
    rows = "".join(f"2024-01-01,Film {n},2000,https://boxd.it/{n}\n" for n in range(40))
    data = ("Date,Name,Year,Letterboxd URI\n" + rows).encode()
    answer = await import_watchlist(catalog, MEMBER, "watched.csv", data)
    lines = answer.embeds[0].description.splitlines()
    assert lines[0] == "• Film 0 (2000)" and lines[-1] == "…and 25 more" and len(lines) == 16
