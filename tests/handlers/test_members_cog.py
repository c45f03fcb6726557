"""Member command handlers, given the interaction they would receive (spec'd mocks)."""

import re
from datetime import timedelta

import discord
import pytest
from discord import app_commands

from bot.cards import PICKIF_TEMPLATE
from bot.discord_bot import MemberLimit
from bot.errors import NotInServer
from bot.members import EXPIRED, NOT_YOURS, PAGES_LAST
from cogs.members import Members, PagerButton
from tests.fakes import OTHER_MEMBER_ID, fake_client, fake_interaction, sent, sent_embed


@pytest.fixture
def cog(fixture_core):
    return Members(fake_client(fixture_core))


async def test_pickif_answers_with_the_best_card_and_paging_buttons(cog, fixture_core):
    interaction = fake_interaction(fixture_core)
    await Members.pickif.callback(cog, interaction, themes="grief sports")
    kwargs = sent(interaction)
    embed = kwargs["embeds"][0].to_dict()
    assert embed["title"] == "Finish Line (2011)"
    why = next(f for f in embed["fields"] if f["name"] == "Why it matched")
    assert "**sports**" in why["value"] and "**grief**" in why["value"]
    assert kwargs["ephemeral"] is False
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    labels = [item.item.label for item in kwargs["view"].children]
    assert labels == ["Previous", "Next", "Pick this"]


async def test_pickif_private_is_ephemeral(cog, fixture_core):
    interaction = fake_interaction(fixture_core)
    await Members.pickif.callback(cog, interaction, themes="heist", private=True)
    assert sent(interaction)["ephemeral"] is True


async def test_pickif_with_nothing_found_is_a_friendly_private_note(cog, fixture_core):
    interaction = fake_interaction(fixture_core)
    await Members.pickif.callback(cog, interaction, themes="zeppelins")
    kwargs = sent(interaction)
    assert kwargs["ephemeral"] is True and kwargs["embeds"] == []
    assert "Themes it does have" in kwargs["content"]


async def _buttons_after_pickif(cog, fixture_core) -> dict[str, PagerButton]:
    interaction = fake_interaction(fixture_core)
    await Members.pickif.callback(cog, interaction, themes="grief sports")
    return {item.item.label: item for item in sent(interaction)["view"].children}


async def click(fixture_core, button: PagerButton, **who):
    """A click on ``button`` as discord.py delivers it: the item rebuilt from its custom id."""
    interaction = fake_interaction(fixture_core, **who)
    match = re.fullmatch(PICKIF_TEMPLATE, button.custom_id)
    rebuilt = await PagerButton.from_custom_id(interaction, button.item, match)
    await rebuilt.callback(interaction)
    return interaction


async def test_next_and_previous_turn_the_page(cog, fixture_core):
    buttons = await _buttons_after_pickif(cog, fixture_core)
    clicked = await click(fixture_core, buttons["Next"])
    edited = clicked.response.edit_message.await_args.kwargs
    assert edited["embeds"][0].title != "Finish Line (2011)"
    assert "Result 2 of" in edited["embeds"][0].footer.text
    previous = next(item for item in edited["view"].children if item.item.label == "Previous")
    assert not previous.item.disabled
    again = await click(fixture_core, buttons["Next"])  # a stale button: from the page on show
    assert "Result 3 of" in again.response.edit_message.await_args.kwargs["embeds"][0].footer.text


async def test_only_the_member_who_asked_may_press_the_buttons(cog, fixture_core):
    buttons = await _buttons_after_pickif(cog, fixture_core)
    stranger = await click(fixture_core, buttons["Next"], user_id=OTHER_MEMBER_ID)
    stranger.response.edit_message.assert_not_awaited()
    kwargs = sent(stranger)
    assert kwargs["content"] == NOT_YOURS and kwargs["ephemeral"] is True


async def test_pick_this_posts_the_full_card_for_everyone_once(cog, fixture_core):
    buttons = await _buttons_after_pickif(cog, fixture_core)
    clicked = await click(fixture_core, buttons["Pick this"])
    edited = clicked.response.edit_message.await_args.kwargs
    assert edited["view"] is None  # the choice is made: the pages lose their buttons
    kwargs = sent(clicked)
    assert kwargs["ephemeral"] is False
    names = [field["name"] for field in kwargs["embeds"][0].to_dict()["fields"]]
    assert names[:2] == ["Pick if", "Most memorable scene"]
    second = await click(fixture_core, buttons["Pick this"])
    assert "already picked" in sent(second)["content"]


async def test_after_five_minutes_a_click_says_the_results_expired_and_removes_the_buttons(
    cog, fixture_core, clock
):
    buttons = await _buttons_after_pickif(cog, fixture_core)
    clock.now += PAGES_LAST
    clicked = await click(fixture_core, buttons["Next"])
    clicked.response.edit_message.assert_awaited_once_with(view=None)
    clicked.followup.send.assert_awaited_once()
    assert clicked.followup.send.await_args.kwargs["content"] == EXPIRED


async def test_movie_card_has_every_part_with_the_scene_spoiler_tagged(cog, fixture_core):
    interaction = fake_interaction(fixture_core)
    await Members.movie.callback(cog, interaction, title="finish line")
    embed = sent_embed(interaction)
    assert embed["title"] == "Finish Line (2011)"
    assert "What's it really about?" in embed["description"]
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert fields["Most memorable scene"].startswith("||") and fields[
        "Most memorable scene"
    ].endswith("||")
    assert fields["Runtime"] == "1h 38m"
    assert fields["Directed by"] == "Mara Quill"
    assert "Ines Harrow (Low Tide)" in fields["Cast"]
    assert embed["footer"]["text"] == "From the shared catalog"


async def test_whereto_watch_lists_services_and_invents_none(cog, fixture_core):
    interaction = fake_interaction(fixture_core)
    await Members.whereto_watch.callback(cog, interaction, title="velvet job")
    embed = sent_embed(interaction)
    assert embed["description"].startswith("Apple TV, Pluto TV")
    interaction = fake_interaction(fixture_core)
    await Members.whereto_watch.callback(cog, interaction, title="the quiet house")
    assert sent_embed(interaction)["description"].startswith("No streaming service is named")


async def test_an_unknown_title_raises_the_did_you_mean_error(cog, fixture_core):
    from bot.members import TitleNotFound

    with pytest.raises(TitleNotFound):
        await Members.movie.callback(cog, fake_interaction(fixture_core), title="zzzz qqqq")


async def test_seen_add_then_list(cog, fixture_core):
    interaction = fake_interaction(fixture_core)
    await Members.seen_add.callback(cog, interaction, title="court vision")
    assert "Marked **Court Vision (2019)** as seen" in sent(interaction)["content"]
    interaction = fake_interaction(fixture_core)
    await Members.seen_list.callback(cog, interaction)
    assert "Court Vision (2019)" in sent_embed(interaction)["description"]


async def test_watchlist_is_private_and_per_member(cog, fixture_core):
    interaction = fake_interaction(fixture_core)
    await Members.watchlist_add.callback(cog, interaction, title="night shift")
    assert sent(interaction)["ephemeral"] is True
    mine = fake_interaction(fixture_core)
    await Members.watchlist_show.callback(cog, mine)
    assert sent(mine)["ephemeral"] is True
    assert "Night Shift" in sent_embed(mine)["description"]
    theirs = fake_interaction(fixture_core, user_id=OTHER_MEMBER_ID)
    await Members.watchlist_show.callback(cog, theirs)
    assert "empty" in sent(theirs)["content"]


async def test_help_shows_moderator_commands_only_to_moderators(cog, fixture_core):
    member = fake_interaction(fixture_core)
    await Members.help.callback(cog, member)
    member_fields = [f["name"] for f in sent_embed(member)["fields"]]
    assert "/pickif" in member_fields
    assert len(sent(member)["embeds"]) == 1 and "/review add" not in member_fields
    moderator = fake_interaction(fixture_core, manage_guild=True)
    await Members.help.callback(cog, moderator)
    extra = sent(moderator)["embeds"][1].to_dict()  # 25 fields an embed: moderators' apart
    assert extra["title"] == "For moderators"
    assert "/review add" in [f["name"] for f in extra["fields"]]


async def test_title_autocomplete_maps_to_choices(fixture_core):
    from cogs.members import title_autocomplete

    choices = await title_autocomplete(fake_interaction(fixture_core), "velvet")
    assert isinstance(choices[0], discord.app_commands.Choice)
    assert choices[0].name == "Velvet Job (1998)"
    in_a_dm = await title_autocomplete(fake_interaction(fixture_core, guild_id=None), "velvet")
    assert [choice.name for choice in in_a_dm] == ["Velvet Job (1998)"]  # the shared catalog


async def test_on_the_members_own_account_the_watchlist_is_the_one_from_the_server(
    cog, fixture_core
):
    in_server = fake_interaction(fixture_core)
    await Members.watchlist_add.callback(cog, in_server, title="night shift")
    elsewhere = fake_interaction(fixture_core, guild_install=False)  # a server without the bot
    await Members.movie.callback(cog, elsewhere, title="velvet job")
    assert sent_embed(elsewhere)["title"] == "Velvet Job (1998)"
    in_a_dm = fake_interaction(fixture_core, guild_id=None)
    await Members.watchlist_show.callback(cog, in_a_dm)
    assert "Night Shift" in sent_embed(in_a_dm)["description"]


async def test_server_commands_outside_a_server_say_why(cog, fixture_core):
    in_a_dm = fake_interaction(fixture_core, guild_id=None)
    with pytest.raises(NotInServer, match="only in a server that added movienight"):
        await Members.seen_list.callback(cog, in_a_dm)


def over_the_limit(core, *, uses=1, seconds=60.0):
    """A client whose members may search once a minute."""
    client = fake_client(core)
    client.member_limit = MemberLimit(uses, seconds)
    return client


async def spend_a_use(command, interaction):
    for check in command.checks:
        await check(interaction)


async def test_a_list_command_spends_the_searches_autocomplete_shares(fixture_core, clock):
    from cogs.members import title_autocomplete

    client = over_the_limit(fixture_core)
    await spend_a_use(Members.seen_list, fake_interaction(fixture_core, client=client))
    assert await title_autocomplete(fake_interaction(fixture_core, client=client), "velvet") == []
    other = fake_interaction(fixture_core, client=client, user_id=OTHER_MEMBER_ID)
    assert await title_autocomplete(other, "velvet")  # the limit is per member
    clock.now += timedelta(seconds=61)
    assert await title_autocomplete(fake_interaction(fixture_core, client=client), "velvet")


async def test_autocomplete_answers_spend_a_share_of_a_search(fixture_core):
    from cogs.members import title_autocomplete

    client = over_the_limit(fixture_core)
    for _ in range(MemberLimit.KEYSTROKES):
        assert await title_autocomplete(fake_interaction(fixture_core, client=client), "velvet")
    with pytest.raises(app_commands.CommandOnCooldown) as refused:
        await spend_a_use(Members.watchlist_show, fake_interaction(fixture_core, client=client))
    assert refused.value.retry_after == 60


async def test_the_limit_forgets_members_whose_budget_is_whole_again(fixture_core, clock):
    limit = MemberLimit(5, 30)
    for user_id in range(50):  # a busy server: each member searches once
        limit.check(fake_interaction(fixture_core, user_id=user_id))
    clock.now += timedelta(seconds=31)
    limit.check(fake_interaction(fixture_core, user_id=5000))  # the sweep, once a window
    assert len(limit._buckets) == 1


async def test_a_german_member_is_told_in_german(cog, fixture_core):
    in_a_dm = fake_interaction(fixture_core, guild_id=None, locale=discord.Locale.german)
    with pytest.raises(NotInServer, match="Dieser Befehl geht nur in einem Server"):
        await Members.seen_list.callback(cog, in_a_dm)
    seen = fake_interaction(fixture_core, locale=discord.Locale.german)
    await Members.seen_add.callback(cog, seen, title="night shift")
    assert sent(seen)["content"].startswith("**Night Shift (2015)** ist als gesehen markiert.")
    listed = fake_interaction(fixture_core, locale=discord.Locale.german)
    await Members.seen_list.callback(cog, listed)
    assert sent_embed(listed)["title"] == "Gemeinsam gesehen"
    assert sent_embed(listed)["footer"]["text"] == "1 Film"
