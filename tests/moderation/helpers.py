"""Moderation test helpers: a moderator's interactions, running a command as the tree would,
filling a form, reading the answers, and reviews of a server's own."""

from __future__ import annotations

from unittest.mock import AsyncMock, MagicMock

import discord
from discord import app_commands

from bot.review import parse
from bot.store import SHARED
from tests.fakes import GUILD_ID, MEMBER_ID, MODERATOR_ID, fake_interaction

OTHER_GUILD_ID = 1002
OTHER_MODERATOR_ID = 2004


def review_text(title: str = "Lantern Field", year: int = 2019, tagline: str = "Light Work") -> str:
    return (
        f"{title}: {tagline}\n\n"
        "A slow, warm film about a night-market family.\n\n"
        "What’s it about? Two sisters run a lantern stall for one last summer.\n\n"
        "What’s it really about? Letting a family business go.\n\n"
        "Pick if:\n\n"
        "  • You like quiet family dramas: nothing explodes, everything matters.\n"
        "  • You want a film set at night: almost every scene is lit by lanterns.\n\n"
        "Most memorable scene:\nThe last lantern goes up over the river.\n\n"
        f"{title} ({year}): Directed by Ana Vey; running-time 1h 41mins.; "
        "starring Mia Sol (River Town), Tom Ash.\n\n"
        f"Where can I watch? {title} is streaming on Mubi.\n"
    )


def moderator(core, user_id: int = MODERATOR_ID, guild_id: int = GUILD_ID) -> MagicMock:
    return fake_interaction(core, user_id=user_id, guild_id=guild_id, manage_guild=True)


def member(core) -> MagicMock:
    return fake_interaction(core, user_id=MEMBER_ID)


async def run(tree, command, cog, interaction, **options) -> None:
    """Call a command's callback; a failure goes through the bot's one error path."""
    try:
        await command.callback(cog, interaction, **options)
    except Exception as error:
        await tree.on_error(interaction, app_commands.CommandInvokeError(command, error))


def answers(interaction) -> list[dict]:
    """Every message the interaction answered with (response, followup or in-place edit)."""
    calls = (
        interaction.response.send_message.await_args_list
        + interaction.followup.send.await_args_list
        + interaction.response.edit_message.await_args_list
    )
    return [call.kwargs for call in calls]


def answer(interaction) -> dict:
    [kwargs] = answers(interaction)
    return kwargs


def private_text(interaction) -> str:
    """The one reply's text, checking it is private and pings nobody."""
    kwargs = answer(interaction)
    if "ephemeral" in kwargs:
        assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    return kwargs["content"]


def attachment(filename: str, data: bytes, size: int | None = None) -> MagicMock:
    file = MagicMock(spec=discord.Attachment)
    file.filename = filename
    file.size = len(data) if size is None else size
    file.read = AsyncMock(return_value=data)
    return file


def modal_sent(interaction) -> discord.ui.Modal:
    interaction.response.send_modal.assert_awaited_once()
    return interaction.response.send_modal.await_args.args[0]


def inputs(modal: discord.ui.Modal) -> dict[str, discord.ui.TextInput]:
    """A form's inputs by custom id (each sits in a label)."""
    return {label.component.custom_id: label.component for label in modal.children}


async def send_form(cog, modal: discord.ui.Modal, interaction, **typed: str) -> None:
    """Send ``modal`` as Discord delivers a submit: the form's custom id and every input's text
    (what was ``typed``, else what it was prefilled with). Only the custom id and the text reach
    the bot, as after a restart: nothing in memory knows the form."""
    interaction.type = discord.InteractionType.modal_submit
    interaction.data = {
        "custom_id": modal.custom_id,
        "components": [
            {
                "type": 18,
                "component": {
                    "type": 4,
                    "custom_id": key,
                    "value": typed.get(key, field.default or ""),
                },
            }
            for key, field in inputs(modal).items()
        ],
    }
    await cog.on_interaction(interaction)


def button(kwargs: dict, label: str):
    return next(item for item in kwargs["view"].children if item.item.label == label)


def labels(kwargs: dict) -> list[str]:
    return [item.item.label for item in kwargs["view"].children]


async def server_review(
    core, title: str = "Lantern Field", year: int = 2019, guild_id: int = GUILD_ID
) -> int:
    """Save a review of this server's own; returns its id."""
    result = await core.store.save_review(parse(review_text(title, year)), guild_id=guild_id)
    return result.review_id


async def shared_id(core, title: str) -> int:
    [stored] = [s for s in await core.store.reviews_in_scope(SHARED) if s.review.title == title]
    return stored.id
