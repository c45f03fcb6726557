"""Server settings for moderators: /config modrole and /config show."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import moderation, suggestions
from bot.discord_bot import MovieNightBot, caller_of, moderator_only
from bot.discord_send import reply


class Config(commands.Cog):
    """This server's movienight settings."""

    config = app_commands.Group(
        name="config",
        description="Moderators: this server's movienight settings",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.core = bot.core

    @config.command(name="modrole")
    @moderator_only()
    @app_commands.describe(role="Members with this role moderate; leave it out to clear the role")
    async def modrole(
        self, interaction: discord.Interaction[MovieNightBot], role: discord.Role | None = None
    ) -> None:
        """Choose the role whose members are moderators, besides those with Manage Server."""
        message = await moderation.set_mod_role(
            self.core,
            await caller_of(interaction),
            role.id if role is not None else None,
            manages_server=interaction.permissions.manage_guild,
        )
        await reply(interaction, message)

    @config.command(name="show")
    @moderator_only()
    async def show(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """This server's settings: who moderates, and what its catalog holds."""
        await reply(
            interaction, await moderation.config_show(self.core, await caller_of(interaction))
        )

    @config.command(name="suggestions")
    @moderator_only()
    @app_commands.describe(
        limit="How many open suggestions each member may have (default 3)",
        approval="Whether new suggestions wait for a moderator's Approve or Deny",
    )
    async def suggestions_settings(
        self,
        interaction: discord.Interaction[MovieNightBot],
        limit: app_commands.Range[int, 1, 25] | None = None,
        approval: bool | None = None,
    ) -> None:
        """How many suggestions a member may have open, and whether moderators approve them."""
        caller = await caller_of(interaction)
        answer = await suggestions.configure(self.core, caller, limit=limit, approval=approval)
        await reply(interaction, answer)


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Config(bot))
