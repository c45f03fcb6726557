"""Member commands end to end: the real bot, logged in to the local Discord stand-in."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from bot import logs
from bot.core import Core
from bot.discord_bot import MovieNightBot
from bot.review import PickIf
from bot.settings import DEFAULT_STARTER, DEFAULT_THESAURUS, Settings
from tests.e2e.helpers import button_id
from tests.standin import run_bot
from tests.test_localisation import check_localised


@pytest.fixture
async def bot(catalog, standin):
    async with run_bot(MovieNightBot(catalog, catalog.settings), standin) as running:
        yield running


async def test_start_logs_in_and_syncs_once_while_commands_are_unchanged(tmp_path, standin):
    settings = Settings(
        database=tmp_path / "e2e.db", starter=DEFAULT_STARTER, thesaurus=DEFAULT_THESAURUS
    )
    for _ in range(2):
        core = await Core.open(settings)
        try:
            async with run_bot(MovieNightBot(core, settings), standin) as running:
                assert running.user.id == standin.user_id("bot")
        finally:
            await core.close()
    assert standin.commands_synced == 1
    names = {command["name"] for command in standin.commands()}
    assert {"pickif", "movie", "whereto", "surprise", "seen", "watchlist", "help"} <= names
    assert all(request.authorized for request in standin.requests if "/api/" in request.path)


async def test_pickif_grief_sports_pages_and_only_the_asker_may_turn(standin, bot):
    result = await standin.invoke("pickif", {"themes": "grief sports"}, user="ana")
    card = result.message.embeds[0]
    assert card["title"] == "1 Mile to You (2017)"
    why = next(field for field in card["fields"] if field["name"] == "Why it matched")
    assert "**grief**" in why["value"] and "**sports**" in why["value"]
    assert not result.ephemeral

    refused = await standin.click(result, button_id(result, "Next"), user="ben")
    assert refused.ephemeral and "belong to the member who asked" in refused.text
    assert standin.message(result.message_id).embeds[0]["title"] == "1 Mile to You (2017)"

    turned = await standin.click(result, button_id(result, "Next"), user="ana")
    second = turned.message.embeds[0]
    assert second["title"] != "1 Mile to You (2017)"
    assert second["footer"]["text"].startswith("Result 2 of")
    back = await standin.click(result, button_id(result, "Previous"), user="ana")
    assert back.message.embeds[0]["title"] == "1 Mile to You (2017)"

    picked = await standin.click(result, button_id(result, "Pick this"), user="ana")
    [card] = await picked.wait_followups(1)
    assert not card.ephemeral and card.content == "🍿 Tonight's pick:"
    assert card.embeds[0]["fields"][0]["name"] == "Pick if"
    assert standin.message(result.message_id).components == []  # no second pick


async def test_title_autocomplete_for_whereto_and_movie(standin, bot):
    choices = await standin.autocomplete("whereto watch", {"title": "1 mile"}, focused="title")
    assert choices[0]["name"] == "1 Mile to You (2017)"
    choices = await standin.autocomplete("movie", {"title": "amelie"}, focused="title")
    assert choices[0]["name"] == "Amélie (2001)"
    assert len(await standin.autocomplete("movie", {"title": ""}, focused="title")) == 25

    picked = await standin.invoke("whereto watch", {"title": choices[0]["value"]})
    assert picked.message.embeds[0]["title"] == "Where to watch Amélie (2001)"
    typed = await standin.invoke("movie", {"title": "mississipi grind"})
    assert typed.message.embeds[0]["title"] == "Mississippi Grind (2015)"
    unknown = await standin.invoke("movie", {"title": "qqqq zzzz"})
    assert unknown.ephemeral and "No film called" in unknown.text


async def test_the_bot_resumes_after_the_gateway_drops(standin, bot):
    await standin.drop_gateway()
    await standin.wait_resumed()
    result = await standin.invoke("movie", {"title": "brick"})
    assert result.message.embeds[0]["title"] == "Brick (2005)"
    assert standin.gateway.resumes


async def test_review_text_cannot_ping_anyone(catalog, standin, bot):
    role = standin.role_id("Mods")
    member = standin.user_id("ben")
    brick = await catalog.store.get_visible(
        standin.guild.id, (await catalog.titles.resolve(standin.guild.id, "brick")).found.id
    )
    loud = replace(
        brick.review,
        tagline="@everyone @here look",
        pick_if=(PickIf(f"You want <@&{role}> and <@{member}> to watch", "@everyone now"),),
    )
    await catalog.store.save_review(loud, guild_id=standin.guild.id, actor_id=1)
    result = await standin.invoke("movie", {"title": "brick"})
    assert "@everyone" in result.message.embeds[0]["description"]
    assert result.message.allowed_mentions == {"parse": []}
    assert all(mentions == {"parse": []} for mentions in standin.allowed_mentions)


async def test_a_run_never_logs_the_token(catalog, standin, caplog):
    secret = "MTIzNDU2Nzg5.super-secret-token.value"
    standin.token = secret
    with caplog.at_level(logging.DEBUG):
        async with run_bot(MovieNightBot(catalog, catalog.settings), standin, token=secret):
            await standin.invoke("pickif", {"themes": "heist"})
    assert caplog.records, "the run logged nothing at all"
    assert secret not in caplog.text
    assert all(secret not in str(record.args) for record in caplog.records)


async def test_a_run_at_debug_logs_events_and_statements_not_the_reviews(catalog, standin, caplog):
    logs.keep_data_out()  # as run_bot does
    brick = (await catalog.titles.resolve(standin.guild.id, "brick")).found
    synopsis = (await catalog.store.get(brick.id)).review.synopsis
    with caplog.at_level(logging.DEBUG):
        async with run_bot(MovieNightBot(catalog, catalog.settings), standin):
            result = await standin.invoke("movie", {"title": "brick"})
    assert synopsis in result.message.embeds[0]["description"]
    assert synopsis not in caplog.text and "brick" not in caplog.text.lower()
    assert "<INTERACTION_CREATE event, " in caplog.text and "SELECT " in caplog.text


async def test_search_cooldown_answers_when_to_try_again(tmp_path, standin):
    settings = Settings(
        database=tmp_path / "cool.db",
        starter=DEFAULT_STARTER,
        thesaurus=DEFAULT_THESAURUS,
        search_cooldown_uses=1,
        search_cooldown_seconds=60,
    )
    core = await Core.open(settings)
    try:
        async with run_bot(MovieNightBot(core, settings), standin):
            first = await standin.invoke("pickif", {"themes": "heist"}, user="ana")
            assert first.message.embeds
            second = await standin.invoke("pickif", {"themes": "heist"}, user="ana")
            assert second.ephemeral and second.text.startswith("Slow down a little")
            other = await standin.invoke("pickif", {"themes": "heist"}, user="ben")
            assert other.message.embeds  # the limit is per member
    finally:
        await core.close()


async def test_an_unexpected_failure_is_apologised_for_and_logged(
    catalog, standin, bot, monkeypatch, caplog
):
    async def broken(*args, **kwargs):
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(catalog.pickif, "search", broken)
    with caplog.at_level(logging.ERROR):
        result = await standin.invoke("pickif", {"themes": "grief"}, user="ana")
    assert result.ephemeral and result.text.startswith("Sorry, something went wrong")
    assert "Command /pickif (options" in caplog.text and "failed for user" in caplog.text
    assert "the disk caught fire" in caplog.text


async def test_movie_in_a_dm_through_the_app_installed_on_the_members_own_account(standin, bot):
    [movie] = [c for c in standin.commands() if c["name"] == "movie"]
    assert movie["integration_types"] == [0, 1] and sorted(movie["contexts"]) == [0, 1, 2]
    result = await standin.invoke("movie", {"title": "amelie"}, dm=True, user_install=True)
    assert result.message.embeds[0]["title"] == "Amélie (2001)"
    with pytest.raises(PermissionError):  # a server command is not on the member's account
        await standin.invoke("seen list", dm=True, user_install=True)


async def test_find_this_film_on_a_message_naming_a_film_with_a_typo(standin, bot):
    [menu] = [c for c in standin.commands() if c["name"] == "Find this film"]
    assert menu["type"] == 3 and menu["integration_types"] == [0, 1]
    said = standin.say("movie night idea: mississipi grind, anyone?", user="ben")
    result = await standin.message_menu("Find this film", said, user="ana")
    assert result.ephemeral
    assert result.message.embeds[0]["title"] == "Mississippi Grind (2015)"


async def test_the_registered_commands_carry_valid_localisations(standin, bot):
    registered = standin.commands()
    siblings: dict[str, set[str]] = {}
    for data in registered:
        check_localised(data, siblings)
    [movie] = [c for c in registered if c["name"] == "movie"]
    spanish = {"es-ES": "película", "es-419": "película"}
    assert movie["name_localizations"] == {"de": "film", "fr": "film", **spanish}
    [review] = [c for c in registered if c["name"] == "review"]  # a moderators' command too
    assert review["name_localizations"]["de"] == "rezension"
    assert review["description_localizations"]["fr"].startswith("Modérateurs : ")


async def test_a_german_members_pickif_answer_is_in_german(standin, bot):
    result = await standin.invoke("pickif", {"themes": "grief sports"}, user="ana", locale="de")
    card = result.message.embeds[0]
    assert card["title"] == "1 Mile to You (2017)"  # titles and reviews keep their language
    assert card["fields"][0]["name"] == "Warum er passt"
    assert card["footer"]["text"].startswith("Ergebnis 1 von")
    turned = await standin.click(result, button_id(result, "Weiter"), user="ana", locale="de")
    assert turned.message.embeds[0]["footer"]["text"].startswith("Ergebnis 2 von")
