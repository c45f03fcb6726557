"""Moderators curate the catalog: /review import, add, edit, where, remove, restore, history.

The handlers are thin: options in, one call into :mod:`bot.moderation`, the answer out. The
buttons under previews are :class:`discord.ui.DynamicItem` s whose custom ids carry everything
(a pending change's token, or whose draft to open), so they keep working after a restart and
never depend on a view object in memory. The forms are the same: nothing waits for them in
memory, and one listener answers every submit from its custom id (which part of /review add, or
which review and field /review edit opened, and its text then). Buttons and forms have no
command tree to catch their
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

from bot import linking, list_imports, moderation, suggestions
from bot.discord_bot import MovieNightBot, caller_of, moderator_only
from bot.discord_send import (
    RoutedItem,
    answering,
    downloaded,
    edit_kwargs,
    persistent_view,
    reply,
)
from bot.errors import UserFacingError
from bot.film_cards import LINK_TEMPLATE
from bot.i18n import Texts
from bot.limits import CHOICES
from bot.message import Message
from bot.moderation_cards import ADD_FORM_TEMPLATE, CONFIRM_TEMPLATE, DRAFT_TEMPLATE
from bot.moderation_fields import ADD_FORM_TITLE, ADD_PARTS, FIELDS, REQUIRED, FormField
from cogs.members import TITLE_HELP, Title, title_autocomplete

log = logging.getLogger(__name__)


def _text_input(
    field: FormField, text: str, t: Texts, *, required: bool
) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput(
        custom_id=field.key,
        style=discord.TextStyle.paragraph if field.long else discord.TextStyle.short,
        placeholder=t.gettext(field.placeholder),
        default=text or None,
        required=required,
        max_length=field.max_length,
    )


def _labelled(
    field: FormField, text_input: discord.ui.TextInput[Any], t: Texts
) -> discord.ui.Label[Any]:
    label, hint = t.gettext(field.label), t.gettext(field.hint)
    return discord.ui.Label(text=label, description=hint, component=text_input)


class PendingButton(RoutedItem, template=CONFIRM_TEMPLATE):
    """Save / Remove / Cancel under a preview; the pending change decides what is allowed."""

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        caller = await caller_of(interaction)
        settle = moderation.confirm if self.match["verb"] == "confirm" else moderation.cancel
        message = await settle(interaction.client.core, caller, self.match["token"])
        await interaction.response.edit_message(view=None, **edit_kwargs(message))


class DraftButton(RoutedItem, template=DRAFT_TEMPLATE):
    """Open one of the /review add forms again, prefilled with the owner's draft."""

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        if interaction.user.id != int(self.match["owner"]):
            raise UserFacingError(moderation.NOT_YOURS)
        core, caller = interaction.client.core, await caller_of(interaction)
        texts = await moderation.draft_texts(core, caller)
        form = draft_form(int(self.match["part"]), texts, caller.texts)
        await interaction.response.send_modal(form)


class LinkButton(RoutedItem, template=LINK_TEMPLATE):
    """A TMDB film offered by /review link: links the review to it."""

    async def run(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # TMDB answers next
        answer = await linking.link_chosen(
            interaction.client.core,
            await caller_of(interaction),
            int(self.match["review"]),
            int(self.match["tmdb"]),
        )
        await reply(interaction, answer)


async def send(interaction: discord.Interaction, message: Message) -> None:
    await reply(interaction, message, view=persistent_view(message, PendingButton, DraftButton))


def draft_form(part: int, texts: dict[str, str], t: Texts) -> discord.ui.Modal:
    """One of the two /review add forms, prefilled with the draft, in ``t``'s language."""
    title = t.gettext(ADD_FORM_TITLE).format(part=part)
    form = discord.ui.Modal(title=title, custom_id=f"review:add:{part}")
    for key in ADD_PARTS[part]:
        field = FIELDS[key]
        text_input = _text_input(field, texts.get(key, ""), t, required=False)
        form.add_item(_labelled(field, text_input, t))
    return _stateless(form)


def field_form(form: moderation.EditForm, t: Texts) -> discord.ui.Modal:
    """/review edit's form: one input, prefilled with the field's text."""
    modal = discord.ui.Modal(title=form.title, custom_id=form.form_id)
    text_input = _text_input(form.field, form.text, t, required=form.field.key in REQUIRED)
    modal.add_item(_labelled(form.field, text_input, t))
    return _stateless(modal)


def _stateless(modal: discord.ui.Modal) -> discord.ui.Modal:
    """A form nothing in memory waits for: :meth:`Moderation.on_interaction` answers its submit
    from the custom id and the inputs, so one sent before a restart is answered after it."""
    modal.stop()
    return modal


def submitted_values(data: dict[str, Any]) -> dict[str, str]:
    """The text of every input in a form submit's raw data, by the input's custom id."""
    values: dict[str, str] = {}
    pending = list(data.get("components", []))
    while pending:
        component = pending.pop()
        if component.get("type") == discord.ComponentType.text_input.value:
            values[component["custom_id"]] = component.get("value") or ""
        pending.extend(component.get("components", []))
        if "component" in component:
            pending.append(component["component"])
    return values


async def removed_autocomplete(
    interaction: discord.Interaction[MovieNightBot], current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild_id is None:
        return []
    caller = await caller_of(interaction)
    if not caller.is_moderator:
        return []
    pairs = await moderation.removed_choices(interaction.client.core, caller, current)
    return [app_commands.Choice(name=name, value=value) for name, value in pairs[:CHOICES]]


async def request_autocomplete(
    interaction: discord.Interaction[MovieNightBot], current: str
) -> list[app_commands.Choice[str]]:
    """Titles members requested that the catalog lacks, for /review add."""
    if interaction.guild_id is None:
        return []
    caller = await caller_of(interaction)
    pairs = await suggestions.request_choices(interaction.client.core, caller, current)
    return [app_commands.Choice(name=name, value=value) for name, value in pairs]


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
        if not self.core.films.enabled:  # without a TMDB key there is nothing to link to
            self.review.remove_command("link")

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PendingButton, DraftButton, LinkButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PendingButton, DraftButton, LinkButton)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[MovieNightBot]) -> None:
        """Every /review add and /review edit form that is sent, whenever it was opened."""
        if interaction.type is not discord.InteractionType.modal_submit or not interaction.data:
            return
        form_id = str(interaction.data.get("custom_id", ""))
        values = submitted_values(dict(interaction.data))
        if add := re.fullmatch(ADD_FORM_TEMPLATE, form_id):
            async with answering(interaction, f"Form /review add part {add['part']}"):
                await self._draft_part_sent(interaction, int(add["part"]), values)
        elif form_id.startswith("review:edit:"):
            async with answering(interaction, f"Form {form_id}"):
                caller = await caller_of(interaction)
                text = next(iter(values.values()), "")
                await reply(
                    interaction, await moderation.save_edit(self.core, caller, form_id, text)
                )

    async def _draft_part_sent(
        self, interaction: discord.Interaction[MovieNightBot], part: int, values: dict[str, str]
    ) -> None:
        caller = await caller_of(interaction)
        texts = {key: values.get(key, "") for key in ADD_PARTS[part]}
        await send(interaction, await moderation.save_draft_part(self.core, caller, part, texts))

    @review.command(name="import")
    @moderator_only()
    @app_commands.describe(file="A .txt or .md review in the movienight format, at most 1 MB")
    async def review_import(
        self, interaction: discord.Interaction[MovieNightBot], file: discord.Attachment
    ) -> None:
        """Add or replace a review from a file: a preview first, saved only when you press Save."""
        caller = await caller_of(interaction)
        moderation.check_attachment(caller, file.filename, file.size)
        await interaction.response.defer(thinking=True, ephemeral=True)
        data = await downloaded(file)
        await send(
            interaction, await moderation.import_preview(self.core, caller, file.filename, data)
        )

    @review.command(name="import-seen")
    @moderator_only()
    @app_commands.describe(
        file="Letterboxd's watched.csv or an IMDb list as .csv: the films this server has seen"
    )
    async def review_import_seen(
        self, interaction: discord.Interaction[MovieNightBot], file: discord.Attachment
    ) -> None:
        """Put the films of a Letterboxd or IMDb list on this server's seen list."""
        caller = await caller_of(interaction)
        moderation.require_moderator(caller)
        list_imports.check_list_file(file.filename, file.size, caller.texts)
        await interaction.response.defer(thinking=True, ephemeral=True)
        data = await downloaded(file)
        answer = await list_imports.import_seen(self.core, caller, file.filename, data)
        await reply(interaction, answer)

    @review.command(name="add")
    @moderator_only()
    @app_commands.describe(request="Optional: a title members requested; the form starts with it")
    @app_commands.autocomplete(request=request_autocomplete)
    async def review_add(
        self, interaction: discord.Interaction[MovieNightBot], request: str | None = None
    ) -> None:
        """Write a review in two short forms, then preview it and save it."""
        caller = await caller_of(interaction)
        texts = await moderation.draft_texts(self.core, caller)
        if request is not None:
            texts["title"] = await suggestions.requested_title(self.core, caller, request)
        await interaction.response.send_modal(draft_form(1, texts, caller.texts))

    @review.command(name="edit")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP, field="The part of the review to change")
    @app_commands.autocomplete(title=title_autocomplete)
    @app_commands.choices(
        field=[app_commands.Choice(name=field.label, value=key) for key, field in FIELDS.items()]
    )
    async def review_edit(
        self, interaction: discord.Interaction[MovieNightBot], title: Title, field: str
    ) -> None:
        """Change one part of a review in a form prefilled with its text."""
        caller = await caller_of(interaction)
        form = await moderation.edit_form(self.core, caller, title, field)
        await interaction.response.send_modal(field_form(form, caller.texts))

    @review.command(name="where")
    @moderator_only()
    @app_commands.describe(
        title=TITLE_HELP, services="Where it can be watched now, e.g. Netflix and Mubi"
    )
    @app_commands.autocomplete(title=title_autocomplete)
    async def review_where(
        self,
        interaction: discord.Interaction[MovieNightBot],
        title: Title,
        services: app_commands.Range[str, 1, 1000],
    ) -> None:
        """Update where a film can be watched, and mark it as checked today."""
        caller = await caller_of(interaction)
        await reply(interaction, await moderation.where(self.core, caller, title, services))

    @review.command(name="link")
    @moderator_only()
    @app_commands.describe(
        title=TITLE_HELP,
        tmdb_id="The film's TMDB id, the number in its themoviedb.org address; or choose below",
    )
    @app_commands.autocomplete(title=title_autocomplete)
    async def review_link(
        self,
        interaction: discord.Interaction[MovieNightBot],
        title: Title,
        tmdb_id: app_commands.Range[int, 1, 2_000_000_000] | None = None,
    ) -> None:
        """Say which TMDB film a review is (posters, where to watch): by id, or from a search."""
        caller = await caller_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # TMDB answers next
        message = await linking.link(self.core, caller, title, tmdb_id)
        await reply(interaction, message, view=persistent_view(message, LinkButton))

    @review.command(name="remove")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def review_remove(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Hide a review from every search and list once you confirm; /review restore undoes it."""
        caller = await caller_of(interaction)
        await send(interaction, await moderation.remove_request(self.core, caller, title))

    @review.command(name="restore")
    @moderator_only()
    @app_commands.describe(title="A review this server removed; pick one from the list")
    @app_commands.autocomplete(title=removed_autocomplete)
    async def review_restore(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Bring back a review this server removed."""
        caller = await caller_of(interaction)
        await reply(interaction, await moderation.restore(self.core, caller, title))

    @review.command(name="history")
    @moderator_only()
    @app_commands.describe(title=TITLE_HELP)
    @app_commands.autocomplete(title=title_autocomplete)
    async def review_history(
        self, interaction: discord.Interaction[MovieNightBot], title: Title
    ) -> None:
        """Who changed a review, what and when: the last 10 changes."""
        caller = await caller_of(interaction)
        await reply(interaction, await moderation.history(self.core, caller, title))


async def setup(bot: MovieNightBot) -> None:
    await bot.add_cog(Moderation(bot))
