"""Fixtures for the moderation tests: the core over the small fixture catalog, the cogs, a tree."""

import pytest

from bot.discord_bot import MovieNightBot
from cogs.config import Config
from cogs.moderation import Moderation
from tests.fakes import fake_client


@pytest.fixture
def core(fixture_core):
    return fixture_core


@pytest.fixture
def cog(core):
    return Moderation(fake_client(core))


@pytest.fixture
def config_cog(core):
    return Config(fake_client(core))


@pytest.fixture
def tree(core):
    return MovieNightBot(core, core.settings).tree
