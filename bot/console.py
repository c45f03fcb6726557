"""The offline console: member commands through the very same core, printed in the terminal.

``movienight try "/pickif grief sports"`` runs one command; ``movienight try`` opens a prompt
with history where ``next``, ``previous`` and ``pick`` page through /pickif results. With
``--json`` each reply is printed as the exact message body Discord would receive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text

from bot import i18n, list_imports, members
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.help import help_card
from bot.message import Message

Action = Callable[..., Awaitable["Message | members.Pager"]]


@dataclass(frozen=True, slots=True)
class Command:
    """A member command as the console knows it: its options in Discord's order."""

    options: tuple[str, ...]
    required: int
    action: Action
    flags: tuple[str, ...] = ()  # boolean options, written name:true


async def _watchlist_import(core: Core, caller: Caller, file: str) -> Message:
    """/watchlist import with a file's path in place of an attachment."""
    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConsoleUsageError(f"Could not read {file}: {error.strerror}.") from None
    return await list_imports.import_watchlist(core, caller, path.name, data)


async def _help(core: Core, caller: Caller) -> Message:
    t = i18n.texts(caller.locale)
    return help_card(
        moderator=caller.is_moderator,
        meaning=core.pickif.by_meaning,
        film_data=core.films.enabled,
        t=t,
    )


COMMANDS: dict[str, Command] = {
    "pickif": Command(
        ("themes", "include_seen", "private", "available"),
        1,
        members.pickif,
        flags=("include_seen", "private", "available"),
    ),
    "movie": Command(("title",), 1, members.movie),
    "whereto watch": Command(("title", "region"), 1, members.where_to_watch),
    "surprise": Command(("themes", "available"), 0, members.surprise, flags=("available",)),
    "seen add": Command(("title",), 1, members.seen_add),
    "seen remove": Command(("title",), 1, members.seen_remove),
    "seen list": Command((), 0, members.seen_list),
    "watchlist add": Command(("title",), 1, members.watchlist_add),
    "watchlist remove": Command(("title",), 1, members.watchlist_remove),
    "watchlist import": Command(("file",), 1, _watchlist_import),
    "watchlist show": Command((), 0, members.watchlist_show),
    "help": Command((), 0, _help),
}
PAGING = {"next": "next", "n": "next", "previous": "previous", "prev": "previous", "p": "previous"}


class ConsoleUsageError(UserFacingError):
    """A console line that is not a member command."""


def parse_line(line: str) -> tuple[str, dict[str, object]]:
    """``/pickif themes:grief sports`` (or ``/pickif grief sports``) -> name and options."""
    words = line.strip().removeprefix("/").split()
    for size in (2, 1):
        name = " ".join(words[:size]).lower()
        if name in COMMANDS:
            rest = " ".join(words[size:])
            break
    else:
        known = ", ".join(f"/{name}" for name in COMMANDS)
        raise ConsoleUsageError(f"Unknown command {line.strip()!r}. Member commands: {known}.")
    command = COMMANDS[name]
    options: dict[str, object] = {}
    if command.options:
        pattern = r"\b(" + "|".join(map(re.escape, command.options)) + r"):"
        parts = re.split(pattern, rest)
        if parts[0].strip():
            options[command.options[0]] = parts[0].strip()
        for key, value in zip(parts[1::2], parts[2::2], strict=True):
            options[key] = value.strip()
    for flag in command.flags:
        if flag in options:
            value = str(options[flag]).lower()
            if value not in ("true", "false"):
                raise ConsoleUsageError(f"{flag} takes true or false, not {value!r}.")
            options[flag] = value == "true"
    missing = [name for name in command.options[: command.required] if not options.get(name)]
    if missing:
        raise ConsoleUsageError(f"/{name} needs {', '.join(missing)}, e.g. `/{name} ...`.")
    return name, options


def _markdown(text: str) -> Markdown:
    """Discord breaks lines where the text does; Markdown needs a hard break for that."""
    return Markdown(text.replace("\n", "  \n"))


def render(message: Message, console: Console) -> None:
    """Print a message roughly as Discord shows it."""
    message = message.fitted()
    if message.ephemeral:
        console.print(Text("(only you can see this)", style="dim italic"))
    if message.content:
        console.print(_markdown(message.content))
    for embed in message.embeds:
        body: list[RenderableType] = []
        if embed.description:
            body.append(_markdown(embed.description))
        for field in embed.fields:
            body.append(_markdown(f"**{field.name}**\n{field.value}"))
        if poster := embed.image or embed.thumbnail:
            body.append(Text(f"Poster: {poster}", style="dim"))
        if embed.footer:
            body.append(Text(embed.footer, style="dim"))
        console.print(Panel(Group(*body), title=Text(embed.title, style="bold"), expand=False))
    for row in message.buttons:
        labels = "  ".join(f"[ {b.label} ]" for b in row if not b.disabled)
        console.print(Text(labels, style="cyan"))


async def settled(message: Message) -> Message:
    """The message once its film data is in: the console has no deadline, so it waits."""
    if message.later is not None and (fresh := await message.later()) is not None:
        return fresh
    return message


class Session:
    """One member of one server at the console; remembers the last /pickif results."""

    def __init__(self, core: Core, caller: Caller, console: Console, *, as_json: bool) -> None:
        self.core = core
        self.caller = caller
        self.console = console
        self.as_json = as_json
        self.pager: members.Pager | None = None

    def show(self, message: Message) -> None:
        if self.as_json:
            self.console.print_json(json.dumps(message.to_discord(), ensure_ascii=False))
        else:
            render(message, self.console)

    async def run(self, line: str) -> bool:
        """Run one line; False when it was refused (the reason is printed)."""
        word = line.strip().lower()
        try:
            if word in PAGING or word == "pick":
                self.show(await settled(await self._page(word)))
                return True
            name, options = parse_line(line)
            reply = await COMMANDS[name].action(self.core, self.caller, **options)
        except UserFacingError as error:
            self.show(Message(content=error.said(self.caller.texts), ephemeral=True))
            return False
        if isinstance(reply, members.Pager):
            self.pager = reply
            self.show(await settled(reply.message()))
        else:
            self.show(await settled(reply))
        return True

    async def _page(self, word: str) -> Message:
        """The buttons of the last /pickif results, pressed by typing their names."""
        if self.pager is None:
            raise ConsoleUsageError("Nothing to page through yet: run /pickif first.")
        if word == "pick":
            _, card = await members.pick(self.core, self.caller, self.pager.token)
            return card
        page, _ = await members.turn_page(self.core, self.caller, self.pager.token, PAGING[word])
        return page

    async def interact(self) -> None:
        """A prompt with history (arrow keys) until end of input or ``quit``."""
        import readline  # noqa: F401 - gives input() line editing and history

        self.console.print(
            "movienight console — member commands as in Discord, e.g. /pickif grief sports. "
            "`next`, `previous`, `pick` page /pickif results; `quit` leaves."
        )
        while True:
            try:
                line = input("movienight> ")
            except EOFError:
                break
            if line.strip().lower() in ("quit", "exit"):
                break
            if line.strip():
                await self.run(line)
