"""Both guards on every moderator command: hidden by Discord, refused again by the bot.

A failed check becomes discord.py's CheckFailure, which the tree answers privately; the
end-to-end tests see that answer."""

import discord
import pytest

from bot.discord_bot import NotModeratorCheck
from cogs.club import Club
from cogs.config import Config
from cogs.moderation import Moderation
from tests.fakes import GUILD_ID, fake_interaction
from tests.moderation.helpers import member, moderator

GROUPS = [Moderation.review, Config.config, Club.suggestion]
COMMANDS = [command for group in GROUPS for command in group.commands]


def test_the_groups_are_hidden_from_members_and_from_direct_messages():
    for group in GROUPS:
        assert group.default_permissions == discord.Permissions(manage_guild=True)
        assert group.guild_only


def test_the_commands_are_the_documented_ones():
    assert sorted(command.qualified_name for command in COMMANDS) == [
        "config modrole",
        "config region",
        "config services",
        "config show",
        "config suggestions",
        "review add",
        "review edit",
        "review history",
        "review import",
        "review import-seen",
        "review link",
        "review remove",
        "review restore",
        "review where",
        "suggestion block",
        "suggestion queue",
        "suggestion remove",
        "suggestion unblock",
    ]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.qualified_name)
async def test_every_command_checks_for_a_moderator_itself(command, core):
    [check] = command.checks
    with pytest.raises(NotModeratorCheck):
        await check(member(core))
    assert await check(moderator(core))
    await core.store.set_mod_role(GUILD_ID, 3001)
    assert await check(fake_interaction(core, user_id=2050, role_ids=(3001,)))
