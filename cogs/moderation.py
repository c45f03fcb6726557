"""Moderators curate the catalog: /review import, add, edit, where, remove, restore, history.

The handlers are thin: options in, one call into :mod:`bot.moderation`, the answer out. The
buttons under previews are :class:`discord.ui.DynamicItem` s whose custom ids carry everything
(a pending change's token, or whose draft to open), so they keep working after a restart and
never depend on a view object in memory. Buttons and forms have no command tree to catch their
errors, so :func:`bot.discord_send.answering` gives their refusals the same private answer
commands get.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import moderation
from bot.core import Core
from bot.discord_bot import MovieNightBot, caller_of, moderator_only
from bot.discord_send import answering, edit_kwargs, persistent_view, reply
from bot.errors import UserFacingError
from bot.limits import CHOICES
from bot.message import Message
from bot.moderation_cards import CONFIRM_TEMPLATE, DRAFT_TEMPLATE
from bot.moderation_fields import ADD_PARTS, FIELDS, REQUIRED, FormField
from cogs.members import TITLE_HELP, Title, title_autocomplete

log = logging.getLogger(__name__)

FORM_TIMEOUT = 60 * 60
"""Seconds a form waits for its submit. Closing a form tells the bot nothing, so an unsent form
is forgotten after this; a submit is a new interaction, so a slow writer has the full hour."""


def _core(interaction: discord.Interaction) -> Core:
    return interaction.client.core  # type: ignore[attr-defined]


def _text_input(field: FormField, text: str, *, required: bool) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput(
        custom_id=field.key,
        style=discord.TextStyle.paragraph if field.long else discord.TextStyle.short,
        placeholder=field.placeholder,
        default=text or None,
        required=required,
        max_length=field.max_length,
    )


def _labelled(field: FormField, text_input: discord.ui.TextInput[Any]) -> discord.ui.Label[Any]:
    return discord.ui.Label(text=field.label, description=field.hint, component=text_input)


class PendingButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=CONFIRM_TEMPLATE):
    """Save / Remove / Cancel under a preview; the pending change decides what is allowed."""

    def __init__(self, button: discord.ui.Button[Any], verb: str, token: str) -> None:
        super().__init__(button)
        self.verb = verb
        self.token = token

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> PendingButton:
        assert isinstance(item, discord.ui.Button)
        return cls(item, match["verb"], match["token"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        async with answering(interaction, f"Button {self.custom_id}"):
            caller = await caller_of(interaction)
            settle = moderation.confirm if self.verb == "confirm" else moderation.cancel
            message = await settle(_core(interaction), caller, self.token)
            await interaction.response.edit_message(view=None, **edit_kwargs(message))


class DraftButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=DRAFT_TEMPLATE):
    """Open one of the /review add forms again, prefilled with the owner's draft."""

    def __init__(self, button: discord.ui.Button[Any], part: int, owner_id: int) -> None:
        super().__init__(button)
        self.part = part
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DraftButton:
        assert isinstance(item, discord.ui.Button)
        return cls(item, int(match["part"]), int(match["owner"]))

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        async with answering(interaction, f"Button {self.custom_id}"):
            if interaction.user.id != self.owner_id:
                raise UserFacingError(moderation.NOT_YOURS)
            core = _core(interaction)
            texts = await moderation.draft_texts(core, await caller_of(interaction))
            await interaction.response.send_modal(DraftModal(core, self.part, texts))


def moderation_item(button: discord.ui.Button[Any]) -> discord.ui.Item[Any]:
    """The dynamic item that answers a moderation button, chosen by its custom id."""
    assert button.custom_id is not None
    pending = re.fullmatch(CONFIRM_TEMPLATE, button.custom_id)
    if pending is not None:
        return PendingButton(button, pending["verb"], pending["token"])
    draft = re.fullmatch(DRAFT_TEMPLATE, button.custom_id)
    assert draft is not None, button.custom_id
    return DraftButton(button, int(draft["part"]), int(draft["owner"]))


async def send(interaction: discord.Interaction, message: Message) -> None:
    await reply(interaction, message, view=persistent_view(message, moderation_item))


class DraftModal(discord.ui.Modal):
    """One of the two /review add forms; what is sent is kept in the draft before anything else."""

    def __init__(self, core: Core, part: int, texts: dict[str, str]) -> None:
        super().__init__(title=f"New review, part {part} of 2", timeout=FORM_TIMEOUT)
        self.core = core
        self.part = part
        self.inputs = {
            key: _text_input(FIELDS[key], texts.get(key, ""), required=False)
            for key in ADD_PARTS[part]
        }
        for key, text_input in self.inputs.items():
            self.add_item(_labelled(FIELDS[key], text_input))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        async with answering(interaction, f"Form /review add part {self.part}"):
            caller = await caller_of(interaction)
            texts = {key: text_input.value for key, text_input in self.inputs.items()}
            await send(
                interaction,
                await moderation.save_draft_part(self.core, caller, self.part, texts),
            )


class FieldModal(discord.ui.Modal):
    """/review edit's form: one input, prefilled with the field's text."""

    def __init__(self, core: Core, form: moderation.EditForm) -> None:
        super().__init__(title=form.title, timeout=FORM_TIMEOUT)
        self.core = core
        self.form = form
        self.text = _text_input(form.field, form.text, required=form.field.key in REQUIRED)
        self.add_item(_labelled(form.field, self.text))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        async with answering(interaction, f"Form /review edit {self.form.field.key}"):
            caller = await caller_of(interaction)
            await reply(
                interaction,
                await moderation.save_edit(self.core, caller, self.form, self.text.value),
            )


async def removed_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    caller = await caller_of(interaction)
    if not caller.is_moderator:
        return []
    pairs = await moderation.removed_choices(_core(interaction), caller, current)
    return [app_commands.Choice(name=name, value=value) for name, value in pairs[:CHOICES]]


class Moderation(commands.Cog):
    """Curating this server's catalog of reviews."""

    review = app_commands.Group(
        name="review",
        description="Moderators: curate this server's catalog of reviews",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: MovieNightBot) -> None:
        self.bot = bot
        self.core = bot.core

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PendingButton, DraftButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PendingButton, DraftButton)

    @review.command(name="import")
    @moderator_only()
    @app_commands.describe(file="A .txt or .md review in the movienight format, at most 1 MB")
    async def review_import(
        self, interaction: discord.Interaction, file: discord.Attachment
    ) -> None:
        """Add or replace a review from a file: a preview first, saved only when you press Save."""
        caller = await caller_of(interaction)
        moderation.check_attachment(caller, file.filename, file.size)
        await interaction.response.defer(thinking=True, ephemeral=True)
        try:
            data = await file.read()
        except discord.HTTPException as error:
            raise UserFacingError(
                "Could not download that file from Discord; try again."
            ) from error
        await send(
            interaction, await moderation.import_preview(self.core, caller, file.filename, data)
        )

    @review.command(name="add")
    @moderator_only()
    async def review_add(self, interaction: discord.Interaction) -> None:
        """Write a review in two short forms, then preview it and save it."""
        texts = await moderation.draft_texts(self.core, await caller_of(interaction))
        await interaction.response.send_modal(DraftModal(self.core, 1, texts))

    @review.command(name="edit")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP, field="The part of the review to change")
    @app_commands.autocomplete(title=title_autocomplete)
    @app_commands.choices(
        field=[app_commands.Choice(name=field.label, value=key) for key, field in FIELDS.items()]
    )
    async def review_edit(self, interaction: discord.Interaction, title: Title, field: str) -> None:
        """Change one part of a review in a form prefilled with its text."""
        form = await moderation.edit_form(self.core, await caller_of(interaction), title, field)
        await interaction.response.send_modal(FieldModal(self.core, form))

    @review.command(name="where")
    @moderator_only()
    @app_commands.describe(
        title=TITLE_HELP, services="Where it can be watched now, e.g. Netflix and Mubi"
    )
    @app_commands.autocomplete(title=title_autocomplete)
    async def review_where(
        self,
        interaction: discord.Interaction,
        title: Title,
        services: app_commands.Range[str, 1, 1000],
    ) -> None:
        """Update where a film can be watched, and mark it as checked today."""
        caller = await caller_of(interaction)
        await reply(interaction, await moderation.where(self.core, caller, title, services))

    @review.command(name="remove")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def review_remove(self, interaction: discord.Interaction, title: Title) -> None:
        """Hide a review from every search and list once you confirm; /review restore undoes it."""
        caller = await caller_of(interaction)
        await send(interaction, await moderation.remove_request(self.core, caller, title))

    @review.command(name="restore")
    @moderator_only()
    @app_commands.describe(title="A review this server removed; pick one from the list")
    @app_commands.autocomplete(title=removed_autocomplete)
    async def review_restore(self, interaction: discord.Interaction, title: Title) -> None:
        """Bring back a review this server removed."""
        caller = await caller_of(interaction)
        await reply(interaction, await moderation.restore(self.core, caller, title))

    @review.command(name="history")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def review_history(self, interaction: discord.Interaction, title: Title) -> None:
        """Who changed a review, what and when: the last 10 changes."""
        caller = await caller_of(interaction)
        await reply(interaction, await moderation.history(self.core, caller, title))


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Moderation(bot))
