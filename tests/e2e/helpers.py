"""The movienight bot as a process the end-to-end tests can start and restart."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from bot.core import Core
from bot.discord_bot import MovieNightBot
from bot.settings import DEFAULT_STARTER, DEFAULT_THESAURUS, Settings
from bot.store import Clock
from tests.standin import DiscordStandIn, InteractionResult, Restartable, restartable_bot

DISCORD_DEADLINE = 3.0
"""Seconds Discord gives an interaction's first answer."""


def catalog_settings(tmp_path: Path, starter: Path = DEFAULT_STARTER) -> Settings:
    """Settings for a bot over its own database in ``tmp_path`` (the shipped starter catalog)."""
    return Settings(
        database=tmp_path / "movienight.db", starter=starter, thesaurus=DEFAULT_THESAURUS
    )


@contextlib.asynccontextmanager
async def movienight_process(settings: Settings, clock: Clock) -> AsyncIterator[MovieNightBot]:
    """One life of the bot's process: a new core on ``settings.database`` and the test's
    ``clock``, and a new bot over it; the core is closed when the process ends."""
    core = await Core.open(settings, clock=clock)
    try:
        yield MovieNightBot(core, settings)
    finally:
        await core.close()


def restartable_movienight(
    standin: DiscordStandIn, settings: Settings, clock: Clock
) -> AbstractAsyncContextManager[Restartable[MovieNightBot]]:
    """``async with restartable_movienight(...) as bots``: the bot running against ``standin``;
    ``await bots.restart()`` ends it and starts a new one on the same database and clock."""
    return restartable_bot(lambda: movienight_process(settings, clock), standin)


def assert_in_time(*results: InteractionResult) -> None:
    """Every result was answered inside Discord's 3 s (by its callback's or answer's arrival)."""
    late = [r for r in results if r.answered_after is None or r.answered_after >= DISCORD_DEADLINE]
    assert not late, f"not answered inside {DISCORD_DEADLINE} s: {late}"


def assert_all_answered_in_time(standin: DiscordStandIn) -> None:
    """Every interaction the stand-in ever sent (autocomplete too) was answered inside 3 s."""
    slow = [
        (record.label, None if record.answered_at is None else record.answered_at - record.created)
        for record in standin.interactions.values()
        if record.answered_at is None or record.answered_at - record.created >= DISCORD_DEADLINE
    ]
    assert not slow, f"interactions not answered inside {DISCORD_DEADLINE} s: {slow}"


def button_id(result, label: str) -> str:
    """The custom id of the button with ``label`` on the message a result answered with."""
    return result.message.button(label)["custom_id"]
