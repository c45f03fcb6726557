"""The member and moderator flows with Discord's usual round trip: every request the bot makes
waits 120 to 150 ms before it is answered. Each interaction must still be answered inside
Discord's 3 s, with nothing lost."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.discord_bot import MovieNightBot
from bot.store import film_key
from tests.e2e.helpers import assert_all_answered_in_time, assert_in_time, button_id
from tests.moderation.helpers import review_text
from tests.standin import DiscordStandIn, GuildSpec, run_bot

LATENCY, JITTER = 0.12, 0.03
MEMBERS = 20
PAGE = re.compile(r"Result (\d+) of (\d+)")


@pytest.fixture
async def standin(clock):
    spec = GuildSpec().with_members(MEMBERS)
    async with DiscordStandIn(spec, clock=clock, latency=LATENCY, jitter=JITTER, seed=12) as server:
        yield server


@pytest.fixture
async def bot(catalog, standin):
    async with run_bot(MovieNightBot(catalog, catalog.settings), standin) as running:
        yield running
    assert_all_answered_in_time(standin)


def page(standin: DiscordStandIn, message_id: int) -> int:
    found = PAGE.match(standin.message(message_id).embeds[0]["footer"]["text"])
    assert found, standin.message(message_id).embeds[0]["footer"]
    return int(found[1])


async def test_pickif_pages_back_and_forth_and_picks(standin, bot):
    loop = asyncio.get_running_loop()
    began = loop.time()
    shown = await standin.invoke("pickif", {"themes": "grief sports"}, user="ana")
    assert loop.time() - began >= LATENCY  # the round trip is real
    assert page(standin, shown.message_id) == 1
    turns = []
    for button, expected in [("Next", 2), ("Next", 3), ("Previous", 2)]:
        turns.append(await standin.click(shown, button_id(shown, button), user="ana"))
        assert page(standin, shown.message_id) == expected
    picked = await standin.click(shown, button_id(shown, "Pick this"), user="ana")
    (card,) = await picked.wait_followups(1)
    assert card.content == "🍿 Tonight's pick:" and not card.ephemeral
    assert standin.message(shown.message_id).components == []
    assert_in_time(shown, *turns, picked)


async def test_autocomplete_then_movie_and_seen_add(standin, bot):
    choices = await standin.autocomplete("movie", {"title": "amelie"}, focused="title")
    assert choices[0]["name"] == "Amélie (2001)"
    film = await standin.invoke("movie", {"title": choices[0]["value"]})
    assert film.message.embeds[0]["title"] == "Amélie (2001)"
    typed = await standin.invoke("movie", {"title": "mississipi grind"})
    assert typed.message.embeds[0]["title"] == "Mississippi Grind (2015)"

    marked = await standin.invoke("seen add", {"title": "1 mile to you"}, user="ben")
    assert not marked.ephemeral
    assert marked.message.content.startswith("Marked **1 Mile to You (2017)** as seen.")
    again = await standin.invoke("pickif", {"themes": "grief sports"}, user="ben")
    assert again.message.embeds[0]["title"] != "1 Mile to You (2017)"
    assert_in_time(film, typed, marked, again)


async def test_a_moderator_imports_and_saves_with_a_double_click(standin, bot):
    upload = standin.add_attachment("lantern.txt", review_text().encode(), "text/plain")
    preview = await standin.invoke("review import", {"file": upload}, user="mod")
    assert preview.type == 5  # deferred: the file is downloaded first, which takes a round trip
    assert preview.message.text.startswith("**Preview**: nothing is saved until you press Save.")
    save = preview.message.button("Save")["custom_id"]
    answers = await standin.burst(standin.click(preview, save, user="mod") for _ in range(2))
    answers.sort(key=lambda result: result.type)
    assert [result.type for result in answers] == [4, 7]
    assert answers[0].text == "This was already saved; nothing was written twice."
    assert answers[1].message.content == "Saved **Lantern Field (2019)** to this server's catalog."
    stored = await bot.core.store.review_by_key(standin.guild.id, film_key("Lantern Field", 2019))
    assert len(await bot.core.store.history(stored.id)) == 1
    assert_in_time(preview, *answers)


async def test_twenty_members_search_at_once_then_each_turns_their_own_page(standin, bot):
    keys = standin.guild.spec.member_keys("member")
    themes = ["grief sports", "heist", "comedy", "love"]
    searches = await standin.burst(
        standin.invoke("pickif", {"themes": themes[n % len(themes)]}, user=key)
        for n, key in enumerate(keys)
    )
    lookups = await standin.burst(
        [standin.invoke("movie", {"title": "brick"}, user=key) for key in keys]
        + [
            standin.autocomplete("movie", {"title": "am"}, focused="title", user=key)
            for key in keys
        ]
    )
    films, suggestions = lookups[:MEMBERS], lookups[MEMBERS:]
    assert {result.message.embeds[0]["title"] for result in films} == {"Brick (2005)"}
    assert all(choices and len(choices) <= 25 for choices in suggestions)

    paged = [result for result in searches if result.message.custom_ids]
    assert len(paged) >= MEMBERS // 2
    turns = await standin.burst(
        standin.click(result, button_id(result, "Next"), user=result.user_id) for result in paged
    )
    assert all(page(standin, result.message_id) == 2 for result in paged)
    assert [turn.user_id for turn in turns] == [result.user_id for result in paged]
    assert_in_time(*searches, *films, *turns)
