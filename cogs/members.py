"""What every member can do: pick, look up, and keep lists of films."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n, list_imports, members
from bot.cards import PICKIF_TEMPLATE
from bot.discord_bot import CommandT, MovieNightBot, caller_of
from bot.discord_send import (
    InPlace,
    RoutedItem,
    downloaded,
    edit_kwargs,
    persistent_view,
    replace_later,
    reply,
)
from bot.help import help_card
from bot.limits import CHOICES
from bot.message import Message
from bot.regions import region_choices
from bot.titles import TYPED

TITLE_HELP = "The film's title; pick one from the list or type it"
AVAILABLE_HELP = "Only films on this server's streaming services, in its country"
Title = app_commands.Range[str, 1, TYPED]
"""A title option: Discord takes no more than the longest title with its year."""


async def _within_limit(interaction: discord.Interaction[MovieNightBot]) -> bool:
    interaction.client.member_limit.check(interaction)
    return True


rate_limited = app_commands.check(_within_limit)
"""The per-member rate limit (:class:`~bot.discord_bot.MemberLimit`) on a search or list command."""

EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
"""Servers, the DM with the bot, and group DMs."""
BOTH_INSTALLS = app_commands.AppInstallationType(guild=True, user=True)
"""Added to a server, or installed by a member on their own account."""


def anywhere(func: CommandT) -> CommandT:
    """A command that needs no server: usable wherever the member is, the app installed either
    way; outside a server that added the bot it answers from the shared catalog."""
    func = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(func)
    return app_commands.allowed_installs(guilds=True, users=True)(func)


async def title_autocomplete(
    interaction: discord.Interaction[MovieNightBot], current: str
) -> list[app_commands.Choice[str]]:
    client = interaction.client
    if not client.member_limit.allows_suggestions(interaction):
        return []
    caller = await caller_of(interaction, anywhere=True)
    pairs = await members.title_choices(client.core, caller, current)
    return [app_commands.Choice(name=name, value=value) for name, value in pairs[:CHOICES]]


async def region_autocomplete(
    interaction: discord.Interaction[MovieNightBot], current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=code) for name, code in region_choices(current)]


class PagerButton(RoutedItem, template=PICKIF_TEMPLATE):
    """/pickif's Previous / Next / Pick this, answered from the custom id and the store.

    No view is kept in memory: every click, also after a restart, reopens the result list it
    names. Clicks on one result list are answered one at a time in the order they came, each
    from the page the one before left, so quick clicks all count and none is lost.
    """

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        bot, token, verb = interaction.client, self.match["token"], self.match["verb"]
        async with bot.in_order(f"pickif {token}"):
            caller = await caller_of(interaction, anywhere=True)
            try:
                if verb == "pick":
                    page, card = await members.pick(bot.core, caller, token)
                    await interaction.response.edit_message(view=None, **edit_kwargs(page))
                    await reply(interaction, card)
                    return
                page, index = await members.turn_page(bot.core, caller, token, verb)
            except members.ResultsExpired:
                await interaction.response.edit_message(view=None)
                raise
            await interaction.response.edit_message(view=pager_view(page), **edit_kwargs(page))
            replace_later(interaction, page, in_place(bot, token, index))


def pager_view(message: Message) -> discord.ui.View | None:
    return persistent_view(message, PagerButton)


def in_place(bot: MovieNightBot, token: str, index: int) -> InPlace:
    """A page's late film data goes in while it is on show, between the clicks' answers."""
    return InPlace(
        lambda: bot.in_order(f"pickif {token}"),
        lambda: members.still_showing(bot.core, token, index),
    )


@app_commands.context_menu(name="Find this film")
@anywhere
@rate_limited
async def find_this_film(
    interaction: discord.Interaction[MovieNightBot], message: discord.Message
) -> None:
    """Right-click a message: the card of the film it names, privately. Discord hands over the
    message with the interaction, so no message-content intent is needed."""
    caller = await caller_of(interaction, anywhere=True)
    card = await members.film_in_message(interaction.client.core, caller, message.content)
    await reply(interaction, card)


class Members(commands.Cog):
    """Finding a film for tonight."""

    whereto = app_commands.Group(
        name="whereto",
        description="Where films can be watched",
        allowed_contexts=EVERYWHERE,
        allowed_installs=BOTH_INSTALLS,
    )
    seen = app_commands.Group(
        name="seen", description="What this server has watched together", guild_only=True
    )
    watchlist = app_commands.Group(
        name="watchlist",
        description="Your own list of films to watch",
        allowed_contexts=EVERYWHERE,
        allowed_installs=BOTH_INSTALLS,
    )

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.core = bot.core

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PagerButton)
        self.bot.tree.add_command(find_this_film)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PagerButton)
        self.bot.tree.remove_command(find_this_film.name, type=find_this_film.type)

    @app_commands.command(name="pickif")
    @anywhere
    @app_commands.describe(
        themes="A few words about what you are in the mood for, e.g. grief sports",
        include_seen="Also show films this server has already seen",
        private="Only you see the results",
        available=AVAILABLE_HELP,
    )
    @rate_limited
    async def pickif(
        self,
        interaction: discord.Interaction[MovieNightBot],
        themes: app_commands.Range[str, 1, 200],
        include_seen: bool = False,
        private: bool = False,
        available: bool = False,
    ) -> None:
        """Films whose reasons to watch match your words, best first."""
        caller = await caller_of(interaction, anywhere=True)
        result = await members.pickif(
            self.core,
            caller,
            themes,
            include_seen=include_seen,
            private=private,
            available=available,
        )
        if isinstance(result, Message):
            await reply(interaction, result)
            return
        message = result.message()
        await reply(
            interaction,
            message,
            view=pager_view(message),
            in_place=in_place(self.bot, result.token, result.index),
        )

    @app_commands.command(name="movie")
    @anywhere
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    @rate_limited
    async def movie(self, interaction: discord.Interaction[MovieNightBot], title: Title) -> None:
        """The full card of a film: synopsis, reasons to pick it, credits, where to watch."""
        await reply(
            interaction,
            await members.movie(self.core, await caller_of(interaction, anywhere=True), title),
        )

    @whereto.command(name="watch")
    @app_commands.describe(
        title=TITLE_HELP, region="A country, e.g. DE or Germany; this server's when left out"
    )
    @app_commands.autocomplete(title=title_autocomplete, region=region_autocomplete)
    @rate_limited
    async def whereto_watch(
        self,
        interaction: discord.Interaction[MovieNightBot],
        title: Title,
        region: app_commands.Range[str, 1, 60] | None = None,
    ) -> None:
        """Where a film can be watched: as the review says, and today in your country."""
        caller = await caller_of(interaction, anywhere=True)
        await reply(interaction, await members.where_to_watch(self.core, caller, title, region))

    @app_commands.command(name="surprise")
    @anywhere
    @app_commands.describe(
        themes="Optional: only films matching these words", available=AVAILABLE_HELP
    )
    @rate_limited
    async def surprise(
        self,
        interaction: discord.Interaction[MovieNightBot],
        themes: app_commands.Range[str, 1, 200] | None = None,
        available: bool = False,
    ) -> None:
        """A random film this server has not seen yet."""
        caller = await caller_of(interaction, anywhere=True)
        await reply(interaction, await members.surprise(self.core, caller, themes, available))

    @seen.command(name="add")
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def seen_add(self, interaction: discord.Interaction[MovieNightBot], title: Title) -> None:
        """Mark a film as watched together; /pickif and /surprise leave it out."""
        await reply(
            interaction, await members.seen_add(self.core, await caller_of(interaction), title)
        )

    @seen.command(name="remove")
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def seen_remove(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Take a film off this server's seen list."""
        caller = await caller_of(interaction)
        await reply(interaction, await members.seen_remove(self.core, caller, title))

    @seen.command(name="list")
    @rate_limited
    async def seen_list(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """What this server has watched, newest first."""
        await reply(interaction, await members.seen_list(self.core, await caller_of(interaction)))

    @watchlist.command(name="add")
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def watchlist_add(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Save a film to your own watchlist."""
        caller = await caller_of(interaction, anywhere=True)
        await reply(interaction, await members.watchlist_add(self.core, caller, title))

    @watchlist.command(name="remove")
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def watchlist_remove(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Drop a film from your watchlist."""
        caller = await caller_of(interaction, anywhere=True)
        await reply(interaction, await members.watchlist_remove(self.core, caller, title))

    @watchlist.command(name="import")
    @app_commands.describe(
        file="A Letterboxd export (watchlist.csv or watched.csv) or an IMDb list, as .csv"
    )
    @rate_limited
    async def watchlist_import(
        self, interaction: discord.Interaction[MovieNightBot], file: discord.Attachment
    ) -> None:
        """Add the films of your Letterboxd or IMDb list to your watchlist here."""
        caller = await caller_of(interaction)
        list_imports.check_list_file(file.filename, file.size, caller.texts)
        await interaction.response.defer(thinking=True, ephemeral=True)
        data = await downloaded(file)
        answer = await list_imports.import_watchlist(self.core, caller, file.filename, data)
        await reply(interaction, answer)

    @watchlist.command(name="show")
    @rate_limited
    async def watchlist_show(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """Your watchlist (only you see it)."""
        caller = await caller_of(interaction, anywhere=True)
        await reply(interaction, await members.watchlist_show(self.core, caller))

    @app_commands.command(name="help")
    @anywhere
    async def help(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """Every command you can use, with an example of each."""
        moderator = (await caller_of(interaction, anywhere=True)).is_moderator
        core = self.core
        card = help_card(
            moderator=moderator,
            meaning=core.pickif.by_meaning,
            film_data=core.films.enabled,
            t=i18n.texts(interaction.locale.value),
        )
        await reply(interaction, card)


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Members(bot))
