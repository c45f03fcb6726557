"""What three places must say alike: settings, and the console's commands.

- Every setting ``.env.example`` names is in the README's settings table and changes exactly one
  field of ``Settings``; together they change every field.
- The offline console offers exactly the member commands the Members cog registers, with the
  same options.
"""

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.console import COMMANDS
from bot.settings import Secret, Settings
from cogs.members import Members

ROOT = Path(__file__).parent.parent
SAMPLES = {
    "DISCORD_TOKEN": "a-token",
    "MOVIENIGHT_DATABASE": "elsewhere.db",
    "MOVIENIGHT_STARTER": "",
    "MOVIENIGHT_THESAURUS": "words.txt",
    "MOVIENIGHT_MODEL": "models/mine",
    "MOVIENIGHT_DEV_GUILD": "123",
    "MOVIENIGHT_LOG_LEVEL": "DEBUG",
    "MOVIENIGHT_SEARCH_COOLDOWN_USES": "9",
    "MOVIENIGHT_SEARCH_COOLDOWN_SECONDS": "7",
    "TMDB_API_TOKEN": "eyJ-a-token",
    "TMDB_API_KEY": "0123456789abcdef0123456789abcdef",
    "MOVIENIGHT_TMDB_URL": "http://127.0.0.1:8080/3",
    "MOVIENIGHT_SHARDS": "0-3",
    "MOVIENIGHT_SHARD_COUNT": "8",
}
"""A value unlike the default for each setting (the test fails for a setting missing here)."""
ALONGSIDE = {"MOVIENIGHT_SHARDS": {"MOVIENIGHT_SHARD_COUNT": "8"}}
"""What a setting needs set beside it to mean anything (shards are chosen out of a count)."""


def env_example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def readme_table_names() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", section, flags=re.MULTILINE))


def changed_fields(name: str, value: str) -> list[str]:
    """The ``Settings`` fields that setting ``name`` to ``value`` changes."""
    beside = ALONGSIDE.get(name, {})
    default = Settings.load(env_file=None, environ=beside)
    changed = Settings.load(env_file=None, environ={**beside, name: value})
    return [f.name for f in fields(Settings) if shown(default, f.name) != shown(changed, f.name)]


def shown(settings: Settings, field: str) -> object:
    value = getattr(settings, field)
    return value.reveal() if isinstance(value, Secret) else value


def test_env_example_and_readme_name_the_same_settings():
    assert env_example_names() == readme_table_names()
    assert env_example_names() == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_setting_changes_one_field(name):
    moved = changed_fields(name, SAMPLES[name])
    assert len(moved) == 1, f"{name} changed {moved}"


def test_every_settings_field_has_a_variable():
    moved = {field for name, value in SAMPLES.items() for field in changed_fields(name, value)}
    assert moved == {f.name for f in fields(Settings)}


def test_the_console_offers_exactly_the_member_commands():
    registered = {}
    for command in Members.__cog_app_commands__:
        children = getattr(command, "commands", None) or [command]
        for leaf in children:
            registered[leaf.qualified_name] = tuple(p.name for p in leaf.parameters)
    offered = {name: command.options for name, command in COMMANDS.items()}
    assert offered == registered
