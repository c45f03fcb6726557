"""Command names and descriptions in the member's language, from the core's catalogues."""

from __future__ import annotations

import discord
from discord import app_commands

from bot import i18n

NAMES = {
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
    app_commands.TranslationContextLocation.parameter_name,
}
"""Where a text is a name, held to Discord's name rules; a context menu's name is not."""


def is_name(context: app_commands.TranslationContextTypes) -> bool:
    """Whether the text translated in ``context`` is a command, group or option name."""
    return context.location in NAMES and not isinstance(context.data, app_commands.ContextMenu)


class CatalogTranslator(app_commands.Translator):
    """Localises every command, option and choice the catalogues know (see :mod:`bot.i18n`);
    Discord shows the English text in every other locale."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        return i18n.command_text(locale.value, string.message, name=is_name(context))
