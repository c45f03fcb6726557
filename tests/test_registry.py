"""Invariants over every command the bot registers: what Discord accepts, and what /help says."""

import re

import discord
import pytest

from bot.core import Core
from bot.discord_bot import EXTENSIONS, MemberLimit, MovieNightBot
from bot.help import MEMBER_HELP, MODERATOR_HELP, available
from bot.titles import TYPED
from tests.conftest import FIXTURE_REVIEWS
from tests.fakes import fake_client, fake_interaction
from tests.tmdb_fake import FakeTmdb

NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture
async def bot(fixture_core):
    bot = MovieNightBot(fixture_core, fixture_core.settings)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    yield bot
    for extension in EXTENSIONS:
        await bot.unload_extension(extension)


def leaves(command):
    if isinstance(command, discord.app_commands.Group):
        for child in command.commands:
            yield from leaves(child)
    else:
        yield command


def slash_commands(bot):
    return bot.tree.get_commands(type=discord.AppCommandType.chat_input)


def all_leaves(bot):
    for command in slash_commands(bot):
        yield from leaves(command)


async def test_every_command_fits_discord_rules(bot):
    names = [command.name for command in slash_commands(bot)]
    assert len(names) == len(set(names))
    for command in slash_commands(bot):
        data = command.to_dict(bot.tree)
        check_definition(data)


async def test_context_menus_fit_discord_rules(bot):
    menus = bot.tree.get_commands(type=discord.AppCommandType.message)
    assert [menu.name for menu in menus] == ["Find this film"]
    for menu in menus:
        data = menu.to_dict(bot.tree)
        assert 1 <= len(data["name"]) <= 32  # any case and spaces: shown as is in the menu
        assert data["integration_types"] == [0, 1] and sorted(data["contexts"]) == [0, 1, 2]


def check_definition(data):
    assert NAME.match(data["name"]) and data["name"] == data["name"].lower(), data["name"]
    assert 1 <= len(data["description"]) <= 100, data["name"]
    options = data.get("options", [])
    assert len(options) <= 25
    required = [option.get("required", False) for option in options]
    assert required == sorted(required, reverse=True), f"{data['name']}: required after optional"
    for option in options:
        if option["type"] in (1, 2):
            check_definition(option)
        else:
            assert NAME.match(option["name"])
            assert 1 <= len(option["description"]) <= 100
            assert option["description"] != "…", f"{data['name']}.{option['name']} undescribed"
            assert not (option.get("choices") and option.get("autocomplete"))


async def test_every_option_is_described(bot):
    for command in all_leaves(bot):
        for parameter in command.parameters:
            assert parameter.description and parameter.description != "…", (
                f"/{command.qualified_name} {parameter.name} has no description"
            )


@pytest.fixture
async def film_data_bot(tmp_path, clock):
    """The bot with a TMDB key set (nothing is asked of TMDB while commands register)."""
    settings = FakeTmdb().settings(database=tmp_path / "tmdb.db", starter=FIXTURE_REVIEWS)
    core = await Core.open(settings, clock=clock)
    bot = MovieNightBot(core, settings)
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    yield bot
    await core.close()


@pytest.mark.parametrize("film_data", [False, True])
async def test_help_lists_exactly_the_commands_that_exist(bot, film_data_bot, film_data):
    bot = film_data_bot if film_data else bot
    registered = {command.qualified_name for command in all_leaves(bot)}
    entries = MEMBER_HELP + MODERATOR_HELP
    documented = {entry.command for entry in available(entries, film_data=film_data)}
    assert registered == documented, (
        f"missing from /help: {registered - documented}; "
        f"in /help but not registered: {documented - registered}"
    )


async def test_moderator_commands_carry_both_guards(bot):
    moderator_commands = {entry.command for entry in MODERATOR_HELP}
    for command in all_leaves(bot):
        if command.qualified_name not in moderator_commands:
            continue
        root = command.root_parent or command
        permissions = command.default_permissions or root.default_permissions
        assert permissions is not None and permissions.manage_guild, command.qualified_name
        checks = command.checks + getattr(command.parent, "checks", [])
        names = [check.__qualname__ for check in checks]
        assert "moderator_only.<locals>.predicate" in names, (
            f"/{command.qualified_name} has no runtime moderator check"
        )


async def test_member_commands_are_open_to_members(bot):
    member_commands = {entry.command for entry in MEMBER_HELP}
    for command in all_leaves(bot):
        if command.qualified_name in member_commands:
            root = command.root_parent or command
            assert (command.default_permissions or root.default_permissions) is None


@pytest.mark.parametrize("film_data", [False, True])
async def test_every_title_option_stops_at_the_longest_title(bot, film_data_bot, film_data):
    bot = film_data_bot if film_data else bot
    titles = [p for c in all_leaves(bot) for p in c.parameters if p.name == "title"]
    assert len(titles) >= 11
    assert all((title.min_value, title.max_value) == (1, TYPED) for title in titles)


async def test_the_search_and_list_commands_share_the_members_rate_limit(bot, fixture_core):
    client = fake_client(fixture_core)
    client.member_limit = MemberLimit(0, 60)  # no uses left
    limited = set()
    for command in all_leaves(bot):
        interaction = fake_interaction(fixture_core, client=client, manage_guild=True)
        for check in command.checks:
            try:
                await check(interaction)
            except discord.app_commands.CommandOnCooldown:
                limited.add(command.qualified_name)
    searches = {"pickif", "movie", "whereto watch", "surprise"}
    assert limited == searches | {"seen list", "watchlist show", "watchlist import"}
