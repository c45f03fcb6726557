"""Where to watch in a server's country, its services, and available:true."""

import pytest

from bot import members, watch_config
from bot.core import Caller
from bot.errors import NotAModerator, UserFacingError

GUILD = 71
MOD = Caller(GUILD, 1, is_moderator=True)
MEMBER = Caller(GUILD, 2)


def field(message, start):
    return next((f for f in message.embeds[0].fields if f.name.startswith(start)), None)


async def settled(message):
    return (await message.later() if message.later else None) or message


@pytest.mark.parametrize(
    ("typed", "code"), [("DE", "DE"), ("de", "DE"), ("Germany", "DE"), ("uk", "GB")]
)
async def test_a_moderator_sets_the_country_by_code_or_name(core, typed, code):
    answer = await watch_config.set_region(core, MOD, typed)
    assert f"({code})" in answer.content
    assert (await core.store.watch_settings(GUILD))[0] == code


async def test_a_country_that_does_not_exist_is_refused_and_nothing_changes(core):
    await watch_config.set_region(core, MOD, "DE")
    with pytest.raises(UserFacingError, match="is not a country I know"):
        await watch_config.set_region(core, MOD, "Atlantis")
    assert (await core.store.watch_settings(GUILD))[0] == "DE"
    with pytest.raises(NotAModerator):
        await watch_config.set_region(core, MEMBER, "FR")
    await watch_config.set_region(core, MOD, None)
    assert (await core.store.watch_settings(GUILD))[0] is None


async def test_services_are_read_from_a_typed_list(core):
    answer = await watch_config.set_services(core, MOD, "netflix, Disney Plus and Crunchyroll")
    assert "Netflix, Disney+, Crunchyroll" in answer.content
    assert (await core.store.watch_settings(GUILD))[1] == ("Netflix", "Disney+", "Crunchyroll")
    shown = await watch_config.config_show(core, MOD)
    assert "Services: Netflix, Disney+, Crunchyroll" in shown.embeds[0].fields[-1].value
    assert "not set (/config region)" in shown.embeds[0].fields[-1].value


async def test_whereto_watch_without_a_country_says_how_to_set_one(core):
    answer = await settled(await members.where_to_watch(core, MEMBER, "Velvet Job"))
    assert "/config region" in field(answer, "In your country").value
    assert "> Velvet Job can be rented on Apple TV" in answer.embeds[0].description  # it stays


async def test_whereto_watch_in_the_servers_country_then_another(core, tmdb):
    await watch_config.set_region(core, MOD, "DE")
    await watch_config.set_services(core, MOD, "Mubi")
    first = await members.where_to_watch(core, MEMBER, "Velvet Job")
    assert field(first, "Today in") is None  # answered at once; TMDB is asked behind
    germany = field(await first.later(), "Today in Germany (DE)").value.splitlines()
    assert germany[:3] == [
        "**Stream:** Netflix, **Mubi**",
        "**Rent:** Apple TV",
        "**Buy:** Apple TV",
    ]
    assert germany[3] == "In bold: this server's services."
    assert germany[4].startswith("Data from JustWatch · [all offers on TMDB](https://www.")
    assert germany[4].endswith("watch?locale=DE) · checked 2026-11-20")

    usa = await members.where_to_watch(core, MEMBER, "Velvet Job", "us")
    assert usa.later is None  # every country came with the first answer
    lines = field(usa, "Today in United States (US)").value.splitlines()
    assert lines[:3] == ["**Free:** Kanopy", "**With ads:** Tubi TV", "**Rent:** Apple TV"]
    nowhere = await members.where_to_watch(core, MEMBER, "Velvet Job", "FR")
    assert field(nowhere, "Today in France").value.startswith("No service offers it there")
    assert "availability last checked" in usa.embeds[0].footer


async def test_a_film_tmdb_cannot_tell_apart_says_so(core):
    await watch_config.set_region(core, MOD, "DE")
    answer = await settled(await members.where_to_watch(core, MEMBER, "Night Shift"))
    assert "no film that is clearly this one" in field(answer, "Today in").value


async def test_available_needs_a_country_and_services(core):
    with pytest.raises(UserFacingError, match="which country"):
        await members.pickif(core, MEMBER, "heist", available=True)
    await watch_config.set_region(core, MOD, "DE")
    with pytest.raises(UserFacingError, match="which streaming services"):
        await members.surprise(core, MEMBER, available=True)


async def test_available_keeps_to_the_servers_services(core, tmdb):
    await watch_config.set_region(core, MOD, "DE")
    await watch_config.set_services(core, MOD, "Netflix")
    first = await members.pickif(core, MEMBER, "heist", available=True)
    assert "is known to be on Netflix in Germany (DE)" in first.content
    assert "TMDB is being asked about" in first.content
    assert await first.later() is None  # asked, nothing to edit
    pager = await members.pickif(core, MEMBER, "heist", available=True)
    assert [m.stored.review.title for m in pager.result.matches] == ["Velvet Job"]
    pages = await core.store.pages(pager.token)
    assert pages.available
    surprise = await members.surprise(core, MEMBER, available=True)
    assert surprise.embeds[0].title == "Velvet Job (1998)"
    await watch_config.set_services(core, MOD, "Hulu")
    with pytest.raises(members.ResultsExpired):  # the list is kept to the services it had
        await members.turn_page(core, MEMBER, pager.token, "next")
    nothing = await members.surprise(core, MEMBER, available=True)
    assert "known to be on its services" in nothing.content
