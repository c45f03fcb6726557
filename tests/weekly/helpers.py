"""A server as the weekly cog sees it through discord.py: the bot, one text channel, events.

Spec'd mocks with a little state behind them: messages the bot sends land in ``messages``
(newest last) and come back from ``channel.history``; a repeated nonce returns the first message,
as Discord does with ``enforce_nonce``; scheduled events are kept in ``events``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord

from bot.core import Core
from cogs.weekly import Weekly
from tests.fakes import GUILD_ID, fake_client

CHANNEL_ID = 3001
BOT_ID = 4001
FRIDAY = 4

_ids = count(9_000_000)


def http_error(kind: type[discord.HTTPException], status: int, message: str) -> Exception:
    response = MagicMock(status=status, reason=message)
    return kind(response, {"code": 0, "message": message})


@dataclass
class Posted:
    """One message the bot sent, and what later edits did to it."""

    id: int
    content: str
    embeds: list[discord.Embed]
    view: discord.ui.View | None
    nonce: str | None
    edits: list[dict[str, Any]] = field(default_factory=list)

    def as_message(self, *, with_nonce: bool) -> MagicMock:
        message = MagicMock(spec=discord.Message)
        message.id = self.id
        message.content = self.content
        message.author = MagicMock(spec=discord.Member, id=BOT_ID)
        message.nonce = self.nonce if with_nonce else None
        return message

    @property
    def labels(self) -> list[str]:
        view = self.edits[-1]["view"] if self.edits else self.view
        return [item.item.label for item in view.children] if view else []


class FakeServer:
    """One server with the text channel ``#movie-night``, and the bot in it."""

    def __init__(self, core: Core, *, manage_events: bool = True) -> None:
        self.core = core
        self.messages: list[Posted] = []
        self.events: list[MagicMock] = []
        self.deleted = False
        self.history_has_nonces = False  # Discord's history does not promise to carry nonces
        self.send_error: Exception | None = None
        self.edit_latency = 0.0  # seconds an edit takes, as Discord's round trip does
        self.permissions = discord.Permissions(
            view_channel=True, send_messages=True, embed_links=True, read_message_history=True
        )

        guild = MagicMock(spec=discord.Guild)
        guild.id = GUILD_ID
        me = MagicMock(spec=discord.Member)
        me.id = BOT_ID
        me.guild_permissions = discord.Permissions(manage_events=manage_events)
        guild.me = me
        guild.fetch_scheduled_events = AsyncMock(side_effect=lambda **_: list(self.events))
        guild.create_scheduled_event = AsyncMock(side_effect=self._create_event)
        self.guild = guild

        channel = MagicMock(spec=discord.TextChannel)
        channel.id = CHANNEL_ID
        channel.name = "movie-night"
        channel.guild = guild
        channel.permissions_for.side_effect = lambda member: self.permissions
        channel.send = AsyncMock(side_effect=self._send)
        channel.history.side_effect = self._history
        channel.get_partial_message.side_effect = self._partial
        self.channel = channel

        bot = fake_client(core)
        bot.user = me
        bot.get_channel.side_effect = lambda channel_id: (
            self.channel if channel_id == CHANNEL_ID and not self.deleted else None
        )
        bot.fetch_channel = AsyncMock(side_effect=self._fetch_channel)
        self.bot = bot

    def cog(self) -> Weekly:
        """A weekly cog on this server's bot (a new one is a restarted bot)."""
        cog = Weekly(self.bot)
        self.bot.get_cog.side_effect = lambda name: cog if name == "Weekly" else None
        return cog

    def restart(self, core: Core) -> Weekly:
        """The bot starts again over ``core``; Discord (this server) keeps what it has."""
        self.core = core
        self.bot.core = core
        self.bot.settings = core.settings
        return self.cog()

    async def _send(self, **kwargs: Any) -> MagicMock:
        if self.send_error is not None:
            raise self.send_error
        nonce = kwargs.get("nonce")
        for posted in self.messages:
            if nonce is not None and posted.nonce == nonce:
                return posted.as_message(with_nonce=True)
        posted = Posted(
            id=next(_ids),
            content=kwargs.get("content") or "",
            embeds=kwargs.get("embeds") or [],
            view=kwargs.get("view"),
            nonce=nonce,
        )
        self.messages.append(posted)
        return posted.as_message(with_nonce=True)

    async def _history_items(self, limit: int) -> Any:
        for posted in reversed(self.messages[-limit:]):
            yield posted.as_message(with_nonce=self.history_has_nonces)

    def _history(self, *, limit: int = 100) -> Any:
        return self._history_items(limit)

    def _partial(self, message_id: int) -> MagicMock:
        partial = MagicMock(spec=discord.PartialMessage)
        posted = next(p for p in self.messages if p.id == message_id)

        async def edit(**kwargs: Any) -> None:
            await asyncio.sleep(self.edit_latency)
            posted.edits.append(kwargs)

        partial.edit = AsyncMock(side_effect=edit)
        return partial

    async def _fetch_channel(self, channel_id: int) -> MagicMock:
        raise http_error(discord.NotFound, 404, "Unknown Channel")

    async def _create_event(self, **kwargs: Any) -> MagicMock:
        event = MagicMock(spec=discord.ScheduledEvent)
        event.id = next(_ids)
        event.name = kwargs["name"]
        event.description = kwargs["description"]
        event.start_time = kwargs["start_time"]
        event.creator_id = BOT_ID
        event.kwargs = kwargs

        async def edit(**changes: Any) -> MagicMock:
            event.name = changes.get("name", event.name)
            event.description = changes.get("description", event.description)
            return event

        event.edit = AsyncMock(side_effect=edit)
        self.events.append(event)
        return event

    @property
    def texts(self) -> list[str]:
        return [posted.content for posted in self.messages]


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC moment, for setting the fake clock."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
