"""From the core's plain messages to Discord: embeds, buttons and the right way to reply."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

import discord

from bot import i18n, limits
from bot.cards import notice
from bot.errors import UserFacingError
from bot.i18n import N_
from bot.message import Button, Mentions, Message, Select

log = logging.getLogger(__name__)

APOLOGY = N_("Sorry, something went wrong on my side. It has been logged; please try again.")


def allowed_mentions(mentions: Mentions) -> discord.AllowedMentions:
    """Exactly the members and roles a message may ping; never @everyone, never anyone else."""
    return discord.AllowedMentions(
        everyone=False,
        users=[discord.Object(user) for user in mentions.users] or False,
        roles=[discord.Object(role) for role in mentions.roles] or False,
        replied_user=False,
    )


def message_kwargs(message: Message, view: discord.ui.View | None = None) -> dict[str, Any]:
    """Keyword arguments for ``send_message``/``followup.send``, fitted to Discord's limits.
    The view is included only when there is one: discord.py's send methods don't take None."""
    fitted = message.fitted()
    kwargs: dict[str, Any] = {
        "content": fitted.content or None,
        "embeds": [discord.Embed.from_dict(embed.to_discord()) for embed in fitted.embeds],
        "allowed_mentions": allowed_mentions(fitted.mentions),
    }
    if view is not None:
        kwargs["view"] = view
    if fitted.files:
        kwargs["files"] = [discord.File(io.BytesIO(f.data), filename=f.name) for f in fitted.files]
    return kwargs


def edit_kwargs(message: Message) -> dict[str, Any]:
    """Keyword arguments to replace a message's text and embeds (for ``edit_message``)."""
    kwargs = message_kwargs(message)
    kwargs["content"] = kwargs["content"] or ""
    if "files" in kwargs:  # an edit replaces the attachments with these
        kwargs["attachments"] = kwargs.pop("files")
    return kwargs


@dataclass(frozen=True, slots=True)
class InPlace:
    """When a late version of a message may replace it: under ``lock`` (what the message's other
    edits hold, so they cannot interleave), and only if ``still`` says it shows the same."""

    lock: Callable[[], AbstractAsyncContextManager[object]]
    still: Callable[[], Awaitable[bool]]


async def reply(
    interaction: discord.Interaction,
    message: Message,
    *,
    view: discord.ui.View | None = None,
    in_place: InPlace | None = None,
) -> None:
    """Answer an interaction: the first response, or a followup once one was sent (or deferred).
    A message with a ``later`` step is then replaced by what that step gives, when it gives it."""
    kwargs = message_kwargs(message, view)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=message.ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=message.ephemeral, **kwargs)
    replace_later(interaction, message, in_place)


def replace_later(
    interaction: discord.Interaction, message: Message, in_place: InPlace | None = None
) -> None:
    """Run ``message.later`` in the background and edit the answer to what it gives.

    The member already has the answer; this only improves it (film data that came late), so a
    failure is logged, never told. Components stay as they are.
    """
    later = message.later
    if later is None:
        return

    async def fill() -> None:
        try:
            fresh = await later()
            if fresh is None:
                return
            async with in_place.lock() if in_place else nullcontext():
                if in_place is None or await in_place.still():
                    await interaction.edit_original_response(**edit_kwargs(fresh))
        except Exception:
            log.exception("Could not put late film data into the answer to %s", interaction.id)

    if isinstance(interaction.client, Background):
        interaction.client.spawn(fill())


@runtime_checkable
class Background(Protocol):
    """A client that runs work after an answer (the bot: see ``MovieNightBot.spawn``)."""

    def spawn(self, work: Coroutine[Any, Any, None]) -> None: ...


async def reply_text(interaction: discord.Interaction, text: str) -> None:
    await reply(interaction, notice(text))


async def downloaded(attachment: discord.Attachment) -> bytes:
    """An attachment's bytes, or an error the member can act on when Discord will not give them."""
    try:
        return await attachment.read()
    except discord.HTTPException as error:
        raise UserFacingError(
            N_("Could not download that file from Discord; try again.")
        ) from error


async def answer_failure(interaction: discord.Interaction, error: BaseException, what: str) -> None:
    """The one way a failure reaches a member, for commands, buttons and forms alike.

    What the member can fix is answered in its own words; anything else is logged with its
    context (``what`` failed, for whom, where) and answered with a short apology.
    """
    t = i18n.texts(interaction.locale.value)
    if isinstance(error, UserFacingError):
        text = error.said(t)
    else:
        log.error(
            "%s failed for user %s in guild %s",
            what,
            interaction.user.id,
            interaction.guild_id,
            exc_info=error,
        )
        text = t.gettext(APOLOGY)
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


class CoreSelect(discord.ui.Select[Any]):
    """A core select menu as a discord.py one (in the first row)."""

    def __init__(self, spec: Select) -> None:
        data = spec.to_discord()
        super().__init__(
            custom_id=spec.custom_id,
            placeholder=data["placeholder"],
            options=[discord.SelectOption(**option) for option in data["options"]],
            row=0,
        )


class RoutedItem(discord.ui.DynamicItem[discord.ui.Item[Any]], template=r"(?!)"):
    """A button or menu answered from its custom id alone: subclasses give a ``template`` and
    :meth:`run`, which reads what it needs from ``self.match``. Nothing is kept in memory, so
    it answers after a restart; a failure is answered by :func:`answer_failure`."""

    pattern: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, *, template: str) -> None:
        super().__init_subclass__(template=template)
        cls.pattern = re.compile(template)

    def __init__(self, item: discord.ui.Item[Any], match: re.Match[str]) -> None:
        super().__init__(item)
        self.match = match

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RoutedItem:
        return cls(item, match)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        async with answering(interaction, f"{type(self).__name__} {self.custom_id}"):
            await self.run(interaction)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError


def persistent_view(message: Message, *kinds: type[RoutedItem]) -> discord.ui.View | None:
    """A message's buttons (and select menu), each as the kind of :class:`RoutedItem` whose
    template its custom id matches, so they keep working after a restart. None when there are
    none."""
    fitted = message.fitted()
    rows = fitted.buttons
    if not rows and fitted.select is None:
        return None
    view = discord.ui.View(timeout=None)
    first = 0
    if fitted.select is not None:
        view.add_item(_routed(CoreSelect(fitted.select), kinds))
        first = 1
    for row_number, row in enumerate(rows, start=first):
        for spec in row:
            view.add_item(_routed(CoreButton(spec, row_number), kinds))
    view.stop()  # nothing is kept for this message: the item classes answer clicks
    return view


def _routed(item: discord.ui.Item[Any], kinds: tuple[type[RoutedItem], ...]) -> RoutedItem:
    custom_id = getattr(item, "custom_id", None) or ""
    for kind in kinds:
        if match := kind.pattern.fullmatch(custom_id):
            return kind(item, match)
    raise ValueError(f"no kind of item answers {custom_id!r}")
