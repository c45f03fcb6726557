"""Film data end to end: the real bot against the Discord stand-in and the fake TMDB.

Every interaction is answered inside Discord's 3 s from the cache, whatever TMDB does; when the
cache had nothing, the answer is edited once TMDB has answered.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from bot.core import Core
from bot.discord_bot import MovieNightBot
from bot.discord_send import APOLOGY
from bot.review import parse, render
from bot.settings import DEFAULT_STARTER
from tests.e2e.helpers import assert_all_answered_in_time, assert_in_time, button_id
from tests.standin import run_bot
from tests.tmdb_fake import FakeFilm, FakeTmdb

BRICK, HOST = 9001, 9002
IMAGES = "https://image.tmdb.org/t/p/"


def starter(name):
    return parse((DEFAULT_STARTER / f"{name}.txt").read_text(encoding="utf-8"))


@pytest.fixture
async def tmdb():
    films = [
        FakeFilm.of(
            starter("brick-2005"),
            BRICK,
            providers={
                "DE": {"flatrate": ["Mubi"], "rent": ["Apple TV"]},
                "US": {"free": ["Kanopy"], "ads": ["Tubi TV"], "buy": ["Apple TV"]},
            },
        ),
        FakeFilm.of(starter("the-host-2006"), HOST),
    ]
    async with FakeTmdb(films) as fake:
        yield fake


@pytest.fixture
async def bot(tmdb, standin, tmp_path, clock):
    settings = tmdb.settings(database=tmp_path / "e2e.db", starter=DEFAULT_STARTER)
    core = await Core.open(settings, clock=clock)
    try:
        async with run_bot(MovieNightBot(core, settings), standin) as running:
            yield running
    finally:
        await core.close()


def shown(standin, result):
    """The first embed of the message a result answered with, as it is now."""
    return standin.message(result.message_id).embeds[0]


async def test_a_movie_card_gets_its_poster(standin, bot, tmdb):
    standin.latency = 0.12
    result = await standin.invoke("movie", {"title": "Brick"})
    assert_in_time(result)
    await standin.wait_until(lambda: "image" in shown(standin, result), 5, "no poster came")
    card = shown(standin, result)
    assert card["image"]["url"] == f"{IMAGES}w500/poster{BRICK}.jpg"
    assert card["url"] == f"https://www.themoviedb.org/movie/{BRICK}"
    links = next(f for f in card["fields"] if f["name"] == "Score and links")["value"]
    assert "★ 7.1/10 on TMDB" in links and "[Letterboxd](https://letterboxd.com/tmdb/9001)" in links

    tmdb.requests.clear()
    again = await standin.invoke("movie", {"title": "Brick"})
    assert again.message.embeds[0]["image"]["url"] == card["image"]["url"]  # the first answer
    assert tmdb.requests == []


async def test_a_late_thumbnail_never_overwrites_the_next_page(standin, bot, tmdb):
    tmdb.delay = 0.3  # page 1's film data comes after Next was clicked
    films = {"Brick (2005)": BRICK, "The Host (2006)": HOST}  # the fake knows both
    result = await standin.invoke("pickif", {"themes": "high school noir monster river"})
    first = result.message.embeds[0]["title"]
    turned = await standin.click(result, button_id(result, "Next"))
    (second,) = set(films) - {first}
    assert turned.message.embeds[0]["title"] == second
    await standin.wait_until(lambda: "thumbnail" in shown(standin, result), 8, "no thumbnail")
    page = shown(standin, result)
    assert page["title"] == second  # the first page's late data stayed out
    assert page["thumbnail"]["url"] == f"{IMAGES}w185/poster{films[second]}.jpg"
    assert tmdb.paths().count(f"/3/movie/{films[first]}") == 1  # fetched, and kept


@pytest.mark.parametrize("trouble", ["slow", "down", "refused"])
async def test_tmdb_in_trouble_never_reaches_a_member(standin, bot, tmdb, trouble, caplog):
    standin.latency = 0.12
    if trouble == "slow":
        tmdb.delay = 4.0  # longer than Discord waits for an answer
    elif trouble == "down":
        tmdb.down = True
    else:
        tmdb.token = "eyJ.another.token"
    with caplog.at_level(logging.WARNING):
        results = [
            await standin.invoke("movie", {"title": "Brick"}),
            await standin.invoke("whereto watch", {"title": "Brick"}),
            await standin.invoke("pickif", {"themes": "noir"}),
            await standin.invoke("surprise", {}),
        ]
    assert_in_time(*results)
    assert_all_answered_in_time(standin)
    for result in results:
        assert not result.ephemeral and APOLOGY not in result.text
        assert result.message.embeds and "image" not in result.message.embeds[0]
    if trouble != "slow":
        await standin.wait_until(lambda: "TMDB failed" in caplog.text, 5, "nothing was logged")


def field_value(embed, start):
    return next((f["value"] for f in embed.get("fields", []) if f["name"].startswith(start)), None)


async def test_whereto_watch_for_two_countries(standin, bot, tmdb):
    standin.latency = 0.12
    set_region = await standin.invoke("config region", {"region": "DE"}, user="mod")
    assert set_region.ephemeral and "Germany (DE)" in set_region.text
    await standin.invoke("config services", {"services": "Mubi and Netflix"}, user="mod")

    germany = await standin.invoke("whereto watch", {"title": "Brick"})
    assert_in_time(germany)
    await standin.wait_until(
        lambda: field_value(shown(standin, germany), "Today in Germany"), 5, "no offers came"
    )
    offers = field_value(shown(standin, germany), "Today in Germany (DE)")
    assert offers.startswith("**Stream:** **Mubi**\n**Rent:** Apple TV")
    assert "Data from JustWatch" in offers and "locale=DE" in offers
    assert "availability last checked" in shown(standin, germany)["footer"]["text"]

    choices = await standin.autocomplete(
        "whereto watch", {"title": "Brick", "region": "united st"}, focused="region"
    )
    assert choices[0] == {"name": "United States (US)", "value": "US"}
    usa = await standin.invoke("whereto watch", {"title": "Brick", "region": choices[0]["value"]})
    assert_in_time(usa)
    offers = field_value(usa.message.embeds[0], "Today in United States (US)")
    assert offers.startswith("**Free:** Kanopy\n**With ads:** Tubi TV\n**Buy:** Apple TV")


async def test_an_import_preview_flags_a_wrong_runtime(standin, bot, tmdb):
    standin.latency = 0.12
    wrong = replace(starter("brick-2005"), runtime_minutes=90)
    upload = standin.add_attachment("brick.txt", render(wrong).encode(), "text/plain")
    preview = await standin.invoke("review import", {"file": upload}, user="mod")
    assert_in_time(preview)
    assert preview.ephemeral

    def check():
        embeds = standin.message(preview.message_id).embeds
        return next((e for e in embeds if e["title"] == "Checked against TMDB"), None)

    await standin.wait_until(check, 5, "the preview was never checked against TMDB")
    assert "Runtime: the review says 1h 30m, TMDB says 1h 50m." in check()["description"]
    saved = await standin.click(preview, button_id(preview, "Save"), user="mod")
    assert saved.message.content.startswith("Saved **Brick (2005)**")
