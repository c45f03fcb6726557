"""A message as plain data: what the bot sends, before any Discord object exists.

The cards module builds these; the Discord edge turns them into ``discord.Embed`` and views, and
the offline console prints them (or their Discord JSON with ``movienight try --json``).
:meth:`Message.to_discord` is the exact JSON Discord receives, so the limits are enforced here,
in one place, for every card the bot makes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from bot import limits

ButtonStyle = Literal["primary", "secondary", "success", "danger"]
_STYLES: dict[str, int] = {"primary": 1, "secondary": 2, "success": 3, "danger": 4}
EPHEMERAL = 64


@dataclass(slots=True)
class Field:
    name: str
    value: str
    inline: bool = False
    keep: bool = False  # never shortened below its own limit nor dropped (a matched reason)
    key: str | None = None  # what the field is, whatever its name's language (not sent)


@dataclass(slots=True)
class Embed:
    title: str
    description: str = ""
    fields: list[Field] = field(default_factory=list)
    footer: str = ""
    color: int | None = None
    url: str | None = None  # where the title links to
    thumbnail: str | None = None  # a small image beside the text (a poster on result cards)
    image: str | None = None  # a large image under it: a URL (the poster on /movie), or
    # attachment://name for a file sent with the message (a chart)

    def length(self) -> int:
        """Characters Discord counts towards its 6000-character budget."""
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )

    def to_discord(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "rich", "title": self.title}
        if self.description:
            data["description"] = self.description
        if self.fields:
            data["fields"] = [
                {"name": f.name, "value": f.value, "inline": f.inline} for f in self.fields
            ]
        if self.footer:
            data["footer"] = {"text": self.footer}
        if self.color is not None:
            data["color"] = self.color
        if self.url:
            data["url"] = self.url
        if self.thumbnail:
            data["thumbnail"] = {"url": self.thumbnail}
        if self.image:
            data["image"] = {"url": self.image}
        return data


@dataclass(frozen=True, slots=True)
class Button:
    custom_id: str
    label: str
    style: ButtonStyle = "secondary"
    disabled: bool = False

    def to_discord(self) -> dict[str, Any]:
        return {
            "type": 2,
            "style": _STYLES[self.style],
            "label": limits.shorten(self.label, limits.BUTTON_LABEL),
            "custom_id": self.custom_id,
            "disabled": self.disabled,
        }


@dataclass(frozen=True, slots=True)
class Option:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Select:
    """A menu to choose one option from (it takes a row of its own, above the buttons)."""

    custom_id: str
    placeholder: str
    options: tuple[Option, ...]

    def to_discord(self) -> dict[str, Any]:
        return {
            "type": 3,
            "custom_id": self.custom_id,
            "placeholder": limits.shorten(self.placeholder, limits.PLACEHOLDER),
            "options": [
                {"label": limits.shorten(o.label, limits.OPTION_LABEL), "value": o.value}
                for o in self.options[: limits.OPTIONS]
            ],
            "min_values": 1,
            "max_values": 1,
        }


@dataclass(frozen=True, slots=True)
class File:
    """A file sent with a message (an embed shows it as ``attachment://name``)."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Mentions:
    """Who a message may ping: exactly these members and roles (never @everyone)."""

    users: tuple[int, ...] = ()
    roles: tuple[int, ...] = ()

    def to_discord(self) -> dict[str, Any]:
        allowed: dict[str, Any] = {"parse": []}
        if self.users:
            allowed["users"] = [str(user) for user in self.users]
        if self.roles:
            allowed["roles"] = [str(role) for role in self.roles]
        return allowed


@dataclass(slots=True)
class Message:
    content: str = ""
    embeds: list[Embed] = field(default_factory=list)
    buttons: list[list[Button]] = field(default_factory=list)  # rows of buttons
    ephemeral: bool = False
    select: Select | None = None
    mentions: Mentions = field(default_factory=Mentions)  # nobody, unless named here
    files: list[File] = field(default_factory=list)
    later: Callable[[], Awaitable[Message | None]] | None = field(
        default=None, repr=False, compare=False
    )
    """Work to do after answering (fetching film data): the message to put in this one's place
    when it is done, or None to leave it. The Discord edge runs it in the background."""

    def fitted(self) -> Message:
        """This message shortened to every Discord limit (see :mod:`bot.limits`)."""
        return limits.fit_message(self)

    def to_discord(self) -> dict[str, Any]:
        """The message body Discord receives; it pings nobody but those ``mentions`` names,
        whatever the text says."""
        message = self.fitted()
        rows = [[button.to_discord() for button in row] for row in message.buttons]
        if message.select is not None:
            rows.insert(0, [message.select.to_discord()])
        data: dict[str, Any] = {
            "content": message.content,
            "embeds": [embed.to_discord() for embed in message.embeds],
            "components": [{"type": 1, "components": row} for row in rows],
            "allowed_mentions": message.mentions.to_discord(),
        }
        if message.files:
            data["attachments"] = [
                {"id": number, "filename": file.name} for number, file in enumerate(message.files)
            ]
        if message.ephemeral:
            data["flags"] = EPHEMERAL
        return data
