"""From the core's plain messages to Discord: embeds, buttons and the right way to reply."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import discord

from bot import limits
from bot.cards import notice
from bot.errors import UserFacingError
from bot.message import Button, Message

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again."
NOT_YOURS = (
    "These buttons belong to the member who asked. Run the command yourself to get your own."
)


Handler = Callable[[discord.Interaction], Awaitable[None]]


def message_kwargs(message: Message, view: discord.ui.View | None = None) -> dict[str, Any]:
    """Keyword arguments for ``send_message``/``followup.send``, fitted to Discord's limits.
    The view is included only when there is one: discord.py's send methods don't take None."""
    fitted = message.fitted()
    kwargs: dict[str, Any] = {
        "content": fitted.content or None,
        "embeds": [discord.Embed.from_dict(embed.to_discord()) for embed in fitted.embeds],
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if view is not None:
        kwargs["view"] = view
    return kwargs


def edit_kwargs(message: Message) -> dict[str, Any]:
    """Keyword arguments to replace a message's text and embeds (for ``edit_message``)."""
    kwargs = message_kwargs(message)
    kwargs["content"] = kwargs["content"] or ""
    return kwargs


async def reply(
    interaction: discord.Interaction, message: Message, *, view: discord.ui.View | None = None
) -> None:
    """Answer an interaction: the first response, or a followup once one was sent (or deferred)."""
    kwargs = message_kwargs(message, view)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=message.ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=message.ephemeral, **kwargs)


async def reply_text(interaction: discord.Interaction, text: str) -> None:
    await reply(interaction, notice(text))


async def answer_failure(interaction: discord.Interaction, error: BaseException, what: str) -> None:
    """The one way a failure reaches a member, for commands, buttons and forms alike.

    What the member can fix is answered in its own words; anything else is logged with its
    context (``what`` failed, for whom, where) and answered with a short apology.
    """
    if isinstance(error, UserFacingError):
        text = str(error)
    else:
        log.error(
            "%s failed for user %s in guild %s",
            what,
            interaction.user.id,
            interaction.guild_id,
            exc_info=error,
        )
        text = APOLOGY
    try:
        await reply_text(interaction, text)
    except discord.HTTPException:
        log.warning("Could not tell user %s about a failure", interaction.user.id)


@asynccontextmanager
async def answering(interaction: discord.Interaction, what: str) -> AsyncIterator[None]:
    """Run a button's or a form's work; a failure is answered by :func:`answer_failure`."""
    try:
        yield
    except Exception as error:
        await answer_failure(interaction, error, what)


class CoreButton(discord.ui.Button[Any]):
    """A core button as a discord.py button (label within Discord's limit)."""

    def __init__(self, spec: Button, row: int | None = None) -> None:
        super().__init__(
            label=limits.shorten(spec.label, limits.BUTTON_LABEL),
            custom_id=spec.custom_id,
            style=discord.ButtonStyle[spec.style],
            disabled=spec.disabled,
            row=row,
        )


class HandlerButton(CoreButton):
    """A core button that runs its handler when pressed."""

    def __init__(self, spec: Button, row: int, handler: Handler) -> None:
        super().__init__(spec, row)
        self.handler = handler

    async def callback(self, interaction: discord.Interaction) -> None:
        await self.handler(interaction)


def persistent_view(
    message: Message, item_for: Callable[[discord.ui.Button[Any]], discord.ui.Item[Any]]
) -> discord.ui.View | None:
    """A message's buttons, each wrapped by ``item_for`` in a dynamic item that answers clicks
    by its custom id, so the buttons keep working after a restart. None when there are none."""
    rows = message.fitted().buttons
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for row_number, row in enumerate(rows):
        for spec in row:
            view.add_item(item_for(CoreButton(spec, row_number)))
    view.stop()  # nothing is kept for this message: the item classes answer clicks
    return view


class ButtonView(discord.ui.View):
    """Buttons from a core message, wired to handlers by custom id, usable by one member only.

    When the view times out, its buttons are removed from the message.
    """

    def __init__(
        self,
        owner_id: int,
        rows: list[list[Button]],
        handlers: dict[str, Handler],
        *,
        timeout: float = 300,
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.interaction: discord.Interaction | None = None  # the one whose message we edit
        for row_number, row in enumerate(rows):
            for spec in row:
                self.add_item(HandlerButton(spec, row_number, handlers[spec.custom_id]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            NOT_YOURS, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
        return False

    async def on_timeout(self) -> None:
        if self.interaction is None:
            return
        try:
            await self.interaction.edit_original_response(view=None)
        except discord.HTTPException as error:  # the message is gone or the token expired
            log.debug("Could not remove timed-out buttons: %s", error)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await answer_failure(interaction, error, f"Button {getattr(item, 'custom_id', item)}")
