"""Spec'd stand-ins for discord.py objects, for handler tests that call a command's callback.

Spec'd mocks make a typo such as ``interaction.respnse`` fail instead of passing silently.
"""

from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock

import discord

from bot.core import Core
from bot.keyed_locks import KeyedLocks

GUILD_ID = 1001
MEMBER_ID = 2001
OTHER_MEMBER_ID = 2002
MODERATOR_ID = 2003


def fake_client(core: Core) -> MagicMock:
    """The bot as handlers see it through ``interaction.client``: its core and settings."""
    from bot.discord_bot import MemberLimit, MovieNightBot

    client = MagicMock(spec=MovieNightBot)
    client.core = core
    client.settings = core.settings
    client.in_order = KeyedLocks()
    client.member_limit = MemberLimit(
        core.settings.search_cooldown_uses, core.settings.search_cooldown_seconds
    )
    return client


def fake_interaction(
    core: Core,
    *,
    guild_id: int | None = GUILD_ID,
    guild_install: bool = True,
    locale: discord.Locale = discord.Locale.american_english,
    guild_locale: discord.Locale = discord.Locale.american_english,
    user_id: int = MEMBER_ID,
    manage_guild: bool = False,
    role_ids: tuple[int, ...] = (),
    client: MagicMock | None = None,
) -> MagicMock:
    interaction = MagicMock(spec=discord.Interaction)
    interaction.client = client or fake_client(core)
    interaction.guild_id = guild_id
    interaction.locale = locale
    interaction.guild_locale = guild_locale if guild_id is not None else None
    # in a server that added the bot; else a DM, or a server where only the member installed it
    interaction.is_guild_integration.return_value = guild_id is not None and guild_install
    member = MagicMock(spec=discord.Member if guild_id else discord.User)
    member.id = user_id
    member.roles = [MagicMock(spec=discord.Role, id=role_id) for role_id in role_ids]
    interaction.user = member
    interaction.permissions = discord.Permissions(manage_guild=manage_guild)
    interaction.data = {}
    interaction.command = None
    interaction.created_at = core.clock()  # what the rate limit reads: the test's clock

    response = MagicMock(spec=discord.InteractionResponse)
    done = {"value": False}
    response.is_done.side_effect = lambda: done["value"]

    def answered(*args: object, **kwargs: object) -> None:
        done["value"] = True

    for name in ("send_message", "edit_message", "defer", "send_modal"):
        setattr(response, name, AsyncMock(side_effect=answered))
    interaction.response = response
    interaction.followup = MagicMock(spec=discord.Webhook)
    interaction.followup.send = AsyncMock()
    interaction.edit_original_response = AsyncMock()
    interaction.original_response = AsyncMock()
    return interaction


def sent(interaction: MagicMock) -> dict:
    """The keyword arguments of the one message the handler sent (response or followup)."""
    calls = (
        interaction.response.send_message.await_args_list
        + interaction.followup.send.await_args_list
    )
    assert len(calls) == 1, f"expected one message, got {len(calls)}"
    return calls[0].kwargs


def sent_embed(interaction: MagicMock) -> dict:
    kwargs = sent(interaction)
    assert kwargs["embeds"], "the reply has no embed"
    return kwargs["embeds"][0].to_dict()


def stateless(kind, custom_id: str):
    """The button of ``kind`` (a :class:`~bot.discord_send.RoutedItem`) that discord.py
    builds when a button with ``custom_id`` is clicked."""
    match = kind.pattern.fullmatch(custom_id)
    assert match is not None, custom_id
    return kind(discord.ui.Button(custom_id=custom_id), match)
