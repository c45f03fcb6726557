"""The commands' texts for the catalogues: a Babel extractor (``commands`` in ``babel.cfg``).

``pybabel extract -F babel.cfg`` runs it on each cog module. It asks every command, group and
context menu the module defines for its translated payload, through a translator that only
writes down what it is asked: exactly the names, descriptions and choices Discord would show
localised. Names (of commands, groups and options) get the context ``name``
(:data:`bot.i18n.NAME`), as :class:`~bot.discord_translator.CatalogTranslator` looks them up.
The module's own ``gettext`` and ``N_`` messages come too, as Babel's Python extractor finds
them.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any

import discord
from babel.messages.extract import extract_python
from discord import app_commands
from discord.ext import commands

from bot.discord_translator import is_name
from bot.i18n import NAME

Command = app_commands.Command[Any, ..., Any] | app_commands.Group | app_commands.ContextMenu
Extracted = tuple[int, str, str | tuple[str, str], list[str]]


class _Recorder(app_commands.Translator):
    """Writes down every text it is asked to translate, translating none."""

    def __init__(self) -> None:
        self.seen: dict[tuple[bool, str], None] = {}

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        self.seen[is_name(context), string.message] = None
        return None


def _line(command: Command) -> int:
    """Where a command is defined: its callback's line, or a group's first command's."""
    if isinstance(command, app_commands.Group):
        return min((_line(child) for child in command.commands), default=1)
    return inspect.getsourcelines(command.callback)[1]


def defined_in(module: Any) -> list[Command]:
    """The top-level commands, groups and context menus a cog module defines."""
    found: list[Command] = []
    for value in vars(module).values():
        if isinstance(value, app_commands.ContextMenu):
            found.append(value)
        elif (
            inspect.isclass(value)
            and issubclass(value, commands.Cog)
            and value.__module__ == module.__name__
        ):
            found.extend(c for c in value.__cog_app_commands__ if c.parent is None)
    return found


async def _texts(found: list[Command]) -> Iterator[Extracted]:
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    extracted: list[Extracted] = []
    for command in found:
        recorder = _Recorder()
        await command.get_translated_payload(tree, recorder)
        line = _line(command)
        for name, text in recorder.seen:
            if name:
                extracted.append((line, "pgettext", (NAME, text), []))
            else:
                extracted.append((line, "gettext", text, []))
    return iter(extracted)


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """Babel's extraction method: the texts of the commands the cog module in ``fileobj``
    defines (the module is imported as ``cogs.<name>``), and its gettext messages."""
    path = Path(fileobj.name)
    module = importlib.import_module(f"{path.parent.name}.{path.stem}")
    commands = asyncio.run(_texts(defined_in(module)))
    messages: Iterator[Any] = extract_python(fileobj, keywords, comment_tags, options)
    return chain(messages, commands)
