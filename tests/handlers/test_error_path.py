"""The one error path: every failure gets a clear private answer; unexpected ones are logged."""

import logging
from unittest.mock import MagicMock

import discord
import pytest
from discord import app_commands

from bot.discord_bot import MovieNightBot, NotModeratorCheck
from bot.discord_send import APOLOGY
from bot.members import TitleNotFound
from tests.fakes import fake_interaction, sent


@pytest.fixture
def tree(fixture_core):
    return MovieNightBot(fixture_core, fixture_core.settings).tree


def invoke_error(cause):
    command = MagicMock(spec=app_commands.Command)
    command.qualified_name = command.name = "pickif"
    return app_commands.CommandInvokeError(command, cause)


async def test_user_errors_are_answered_privately_in_their_own_words(tree, fixture_core):
    interaction = fake_interaction(fixture_core)
    await tree.on_error(interaction, invoke_error(TitleNotFound("No film called **x**.")))
    kwargs = sent(interaction)
    assert kwargs["content"] == "No film called **x**." and kwargs["ephemeral"] is True


async def test_a_refused_moderator_check_says_who_may(tree, fixture_core):
    interaction = fake_interaction(fixture_core)
    await tree.on_error(interaction, NotModeratorCheck())
    assert sent(interaction)["content"].startswith("Only this server's moderators")


@pytest.mark.parametrize(
    ("error", "answer"),
    [
        (app_commands.BotMissingPermissions(["embed_links"]), "I need these permissions"),
        (app_commands.CheckFailure(), "You can't use this command here."),
        (app_commands.NoPrivateMessage(), "works only in a server"),
    ],
)
async def test_other_refused_checks_are_not_blamed_on_moderation(tree, fixture_core, error, answer):
    interaction = fake_interaction(fixture_core)
    await tree.on_error(interaction, error)
    content = sent(interaction)["content"]
    assert answer in content and "moderators" not in content


async def test_cooldowns_say_when_to_try_again(tree, fixture_core):
    interaction = fake_interaction(fixture_core)
    error = app_commands.CommandOnCooldown(app_commands.Cooldown(5, 30), retry_after=12.3)
    await tree.on_error(interaction, error)
    assert sent(interaction)["content"] == "Slow down a little: try that again in 12 seconds."
    spanish = fake_interaction(fixture_core, locale=discord.Locale.spain_spanish)
    one = app_commands.CommandOnCooldown(app_commands.Cooldown(5, 30), retry_after=0.8)
    await tree.on_error(spanish, one)
    assert sent(spanish)["content"] == "Más despacio: inténtalo de nuevo en 1 segundo."


async def test_unexpected_errors_are_logged_with_context_and_apologised_for(
    tree, fixture_core, caplog
):
    interaction = fake_interaction(fixture_core)
    interaction.data = {"options": [{"name": "themes", "value": "grief"}]}
    with caplog.at_level(logging.ERROR):
        await tree.on_error(interaction, invoke_error(ZeroDivisionError("boom")))
    assert sent(interaction)["content"] == APOLOGY
    [record] = caplog.records
    assert "pickif" in record.getMessage() and "grief" in record.getMessage()
    assert record.exc_info[0] is ZeroDivisionError


async def test_the_answer_is_a_followup_when_the_response_was_already_sent(tree, fixture_core):
    interaction = fake_interaction(fixture_core)
    await interaction.response.defer()
    await tree.on_error(interaction, invoke_error(TitleNotFound("gone")))
    interaction.followup.send.assert_awaited_once()
    assert interaction.followup.send.await_args.kwargs["ephemeral"] is True


async def test_a_failing_apology_is_logged_not_raised(tree, fixture_core, caplog):
    interaction = fake_interaction(fixture_core)
    interaction.response.send_message.side_effect = discord.HTTPException(
        MagicMock(status=500, reason="x"), "down"
    )
    await tree.on_error(interaction, invoke_error(TitleNotFound("gone")))
    assert "Could not tell user" in caplog.text
