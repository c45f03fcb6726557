"""Server settings for moderators: /config modrole and /config show."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import moderation, suggestions, watch_config
from bot.discord_bot import MovieNightBot, caller_of, moderator_only
from bot.discord_send import reply
from cogs.members import region_autocomplete


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
        if not self.core.films.enabled:  # a country and services mean something with TMDB only
            self.config.remove_command("region")
            self.config.remove_command("services")

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
            interaction, await watch_config.config_show(self.core, await caller_of(interaction))
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

    @config.command(name="region")
    @moderator_only()
    @app_commands.describe(region="A country, e.g. DE or Germany; leave it out to clear it")
    @app_commands.autocomplete(region=region_autocomplete)
    async def region(
        self,
        interaction: discord.Interaction[MovieNightBot],
        region: app_commands.Range[str, 1, 60] | None = None,
    ) -> None:
        """The country this server watches in: /whereto watch shows what is on there today."""
        caller = await caller_of(interaction)
        await reply(interaction, await watch_config.set_region(self.core, caller, region))

    @config.command(name="services")
    @moderator_only()
    @app_commands.describe(
        services="The services this server has, e.g. Netflix, Mubi; leave it out to clear them"
    )
    async def services(
        self,
        interaction: discord.Interaction[MovieNightBot],
        services: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        """The streaming services this server has, for available:true on /pickif and /surprise."""
        caller = await caller_of(interaction)
        await reply(interaction, await watch_config.set_services(self.core, caller, services))


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Config(bot))
