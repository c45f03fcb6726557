"""/review link: by id, or chosen among a search's films; for the moderator's server only."""

import re

import pytest

from bot import linking
from bot.core import Caller
from bot.errors import NotAModerator, UserFacingError
from bot.film_cards import LINK_TEMPLATE
from bot.store import film_key
from cogs.moderation import LinkButton, Moderation
from tests.fakes import GUILD_ID, fake_client, sent, stateless
from tests.moderation.helpers import moderator
from tests.tmdb.conftest import NIGHT, NIGHT_TOO, VELVET

MOD = Caller(GUILD_ID, 7, is_moderator=True)


async def test_a_search_offers_its_films_as_buttons(core):
    message = await linking.link(core, MOD, "Night Shift")
    assert "Which film is **Night Shift (2015)**?" in message.content
    assert "not linked to a TMDB film yet" in message.content
    ids = [button.custom_id for row in message.buttons for button in row]
    assert ids == [f"film:link:{_id(message)}:{NIGHT}", f"film:link:{_id(message)}:{NIGHT_TOO}"]
    assert all(re.fullmatch(LINK_TEMPLATE, custom_id) for custom_id in ids)
    assert message.ephemeral


def _id(message):
    return re.search(r"film:link:(\d+):", message.buttons[0][0].custom_id)[1]


async def test_choosing_a_button_links_the_film_for_this_server(core):
    offered = await linking.link(core, MOD, "Night Shift")
    answer = await linking.link_chosen(core, MOD, int(_id(offered)), NIGHT_TOO)
    assert answer.content.startswith("Linked **Night Shift (2015)** to [Night Shift (2015)]")
    cached = await core.films.cached(GUILD_ID, film_key("Night Shift", 2015))
    assert (cached.link.tmdb_id, cached.link.linked_by) == (NIGHT_TOO, 7)
    again = await linking.link(core, MOD, "Night Shift")
    assert "chosen by <@7>" in again.content


async def test_linking_by_id(core):
    answer = await linking.link(core, MOD, "Velvet Job", VELVET)
    assert "Linked **Velvet Job (1998)**" in answer.content
    with pytest.raises(UserFacingError, match="TMDB has no film with the id 999"):
        await linking.link(core, MOD, "Velvet Job", 999)


async def test_tmdb_unreachable_is_said_and_nothing_changes(core, tmdb):
    tmdb.down = True
    with pytest.raises(UserFacingError, match="could not be reached just now"):
        await linking.link(core, MOD, "Velvet Job", VELVET)
    assert (await core.films.cached(GUILD_ID, film_key("Velvet Job", 1998))).link is None


async def test_only_moderators_link_and_only_with_a_key(core, fixture_core):
    with pytest.raises(NotAModerator):
        await linking.link(core, Caller(GUILD_ID, 8), "Velvet Job")
    with pytest.raises(UserFacingError, match="no TMDB key"):
        await linking.link(fixture_core, MOD, "Velvet Job")


async def test_the_command_defers_then_sends_the_buttons(core):
    cog = Moderation(fake_client(core))
    interaction = moderator(core)
    await cog.review_link.callback(cog, interaction, "Night Shift", None)
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    kwargs = sent(interaction)
    assert kwargs["ephemeral"] is True
    assert [item.custom_id for item in kwargs["view"].children][1].endswith(str(NIGHT_TOO))


async def test_the_button_links_after_a_restart_too(core):
    offered = await linking.link(core, MOD, "Night Shift")
    button = stateless(LinkButton, offered.buttons[0][1].custom_id)
    interaction = moderator(core)
    await button.callback(interaction)
    assert sent(interaction)["content"].startswith("Linked **Night Shift (2015)**")


def test_without_a_key_there_is_no_link_command(fixture_core):
    cog = Moderation(fake_client(fixture_core))
    assert "link" not in {command.name for command in cog.review.commands}
