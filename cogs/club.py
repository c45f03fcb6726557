"""Movie night together: /suggest, /suggestions, /unsuggest, moderators' /suggestion, and the
club's memory, /history and /stats.

The handlers are thin: options in, one call into :mod:`bot.suggestions` or :mod:`bot.history`,
the answer out. The
buttons (a question's answer, a queue's Approve / Deny, a list's Previous / Next) are
:class:`discord.ui.DynamicItem` s whose custom ids carry everything, so they answer after a
restart and nothing waits for them in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import history, suggestions
from bot.cards import PAGE_TEMPLATE
from bot.core import Caller, Core
from bot.discord_bot import MovieNightBot, caller_of, moderator_only
from bot.discord_send import RoutedItem, edit_kwargs, persistent_view, reply
from bot.message import Message
from bot.suggestion_cards import ANSWER_TEMPLATE, QUEUE_TEMPLATE
from cogs.members import TITLE_HELP, Title, title_autocomplete

Choices = list[app_commands.Choice[str]]
ChoiceSource = Callable[[Core, Caller, str], Awaitable[list[tuple[str, str]]]]

PAGES: dict[str, Callable[[Core, Caller, int], Awaitable[Message]]] = {
    "suggestions": suggestions.listing,
    "history": history.history,
}
"""What each paged list shows on a page."""


def _choices(
    source: ChoiceSource,
) -> Callable[[discord.Interaction[MovieNightBot], str], Coroutine[Any, Any, Choices]]:
    """An autocomplete callback over ``source``'s (name, value) pairs."""

    async def autocomplete(
        interaction: discord.Interaction[MovieNightBot], current: str
    ) -> Choices:
        if interaction.guild_id is None:
            return []
        pairs = await source(interaction.client.core, await caller_of(interaction), current)
        return [app_commands.Choice(name=name, value=value) for name, value in pairs]

    return autocomplete


class _InPlace(RoutedItem, template=r"(?!)"):
    """A button whose answer replaces the message it is on."""

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        message = await self.answer(interaction.client.core, await caller_of(interaction))
        await interaction.response.edit_message(view=club_view(message), **edit_kwargs(message))

    async def answer(self, core: Core, caller: Caller) -> Message:
        raise NotImplementedError


class AnswerButton(_InPlace, template=ANSWER_TEMPLATE):
    """Suggest anyway / Request it, or Cancel, under a question of /suggest."""

    async def answer(self, core: Core, caller: Caller) -> Message:
        return await suggestions.answer(core, caller, int(self.match["id"]), self.match["verb"])


class QueueButton(_InPlace, template=QUEUE_TEMPLATE):
    """Approve / Deny in the moderators' queue."""

    async def answer(self, core: Core, caller: Caller) -> Message:
        approve = self.match["verb"] == "approve"
        return await suggestions.settle(core, caller, int(self.match["id"]), approve=approve)


class PageButton(_InPlace, template=PAGE_TEMPLATE):
    """Previous / Next under a paged list."""

    async def answer(self, core: Core, caller: Caller) -> Message:
        return await PAGES[self.match["list"]](core, caller, int(self.match["page"]))


ITEMS = (AnswerButton, QueueButton, PageButton)


def club_view(message: Message) -> discord.ui.View | None:
    return persistent_view(message, *ITEMS)


async def send(interaction: discord.Interaction, message: Message) -> None:
    await reply(interaction, message, view=club_view(message))


class Club(commands.Cog):
    """Suggesting films for movie night, together."""

    suggestion = app_commands.Group(
        name="suggestion",
        description="Moderators: take suggestions down, keep films out, approve new ones",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.core = bot.core

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*ITEMS)

    @app_commands.command(name="suggest")
    @app_commands.guild_only()
    @app_commands.describe(
        title="The film to put forward; pick one from the list, or type a title to request it",
        note="Optional: why this one, in a line",
    )
    @app_commands.autocomplete(title=title_autocomplete)
    async def suggest(
        self,
        interaction: discord.Interaction[MovieNightBot],
        title: Title,
        note: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """Put a film forward for movie night (or back it, if someone already did)."""
        caller = await caller_of(interaction)
        await send(interaction, await suggestions.suggest(self.core, caller, title, note))

    @app_commands.command(name="suggestions")
    @app_commands.guild_only()
    @app_commands.describe(page="Which page of the list, from 1")
    async def suggestions_list(
        self,
        interaction: discord.Interaction[MovieNightBot],
        page: app_commands.Range[int, 1, 1000] = 1,
    ) -> None:
        """The films suggested for movie night, most backed first."""
        caller = await caller_of(interaction)
        await send(interaction, await suggestions.listing(self.core, caller, page - 1))

    @app_commands.command(name="unsuggest")
    @app_commands.guild_only()
    @app_commands.describe(title="A film you suggested or back; pick one from the list")
    @app_commands.autocomplete(title=_choices(suggestions.mine_choices))
    async def unsuggest(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Withdraw your suggestion of a film, or your backing of it."""
        caller = await caller_of(interaction)
        await reply(interaction, await suggestions.withdraw(self.core, caller, title))

    @app_commands.command(name="history")
    @app_commands.guild_only()
    @app_commands.describe(page="Which page, from 1 (the latest movie nights first)")
    async def history_list(
        self,
        interaction: discord.Interaction[MovieNightBot],
        page: app_commands.Range[int, 1, 1000] = 1,
    ) -> None:
        """Past movie nights: the film, how it was chosen, who suggested it, who came."""
        caller = await caller_of(interaction)
        await send(interaction, await history.history(self.core, caller, page - 1))

    @app_commands.command(name="stats")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """This server's year at the movies, with a chart."""
        caller = await caller_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await reply(interaction, await history.stats(self.core, caller))

    @suggestion.command(name="remove")
    @moderator_only()
    @app_commands.describe(title="A suggested film; pick one from the list")
    @app_commands.autocomplete(title=_choices(suggestions.live_choices))
    async def suggestion_remove(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Take a suggestion down, whoever made it."""
        caller = await caller_of(interaction)
        await reply(interaction, await suggestions.remove(self.core, caller, title))

    @suggestion.command(name="block")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def suggestion_block(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Keep a film out of suggestions (its suggestion, if any, comes down)."""
        caller = await caller_of(interaction)
        await reply(interaction, await suggestions.block(self.core, caller, title))

    @suggestion.command(name="unblock")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def suggestion_unblock(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Let a film kept out be suggested again."""
        caller = await caller_of(interaction)
        await reply(interaction, await suggestions.unblock(self.core, caller, title))

    @suggestion.command(name="queue")
    @moderator_only()
    async def suggestion_queue(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """Suggestions waiting for approval, with Approve and Deny."""
        await send(interaction, await suggestions.waiting(self.core, await caller_of(interaction)))


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Club(bot))
