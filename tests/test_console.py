"""The offline console: the same core and cards as the bot, printed or as Discord JSON."""

import io
import json

import pytest
from rich.console import Console

from bot.console import ConsoleUsageError, Session, parse_line
from bot.core import Caller


@pytest.mark.parametrize(
    ("line", "name", "options"),
    [
        ("/pickif grief sports", "pickif", {"themes": "grief sports"}),
        (
            "/pickif themes:grief sports include_seen:true",
            "pickif",
            {"themes": "grief sports", "include_seen": True},
        ),
        ("/whereto watch title:Brick", "whereto watch", {"title": "Brick"}),
        ("/WHERETO watch brick", "whereto watch", {"title": "brick"}),
        ("seen list", "seen list", {}),
        ("/surprise", "surprise", {}),
    ],
)
def test_lines_become_commands_and_options(line, name, options):
    assert parse_line(line) == (name, options)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("/dance", "Unknown command"),
        ("/movie", "needs title"),
        ("/pickif heist private:maybe", "true or false"),
    ],
)
def test_bad_lines_say_what_is_wrong(line, problem):
    with pytest.raises(ConsoleUsageError, match=problem):
        parse_line(line)


def session(core, *, as_json=False):
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    return Session(core, Caller(1, 1), console, as_json=as_json), buffer


async def test_pickif_prints_the_card_and_pages(fixture_core):
    run, out = session(fixture_core)
    assert await run.run("/pickif grief sports")
    assert "Finish Line (2011)" in out.getvalue() and "Why it matched" in out.getvalue()
    assert await run.run("next")
    assert "Result 2 of" in out.getvalue()
    assert await run.run("pick")


async def test_json_is_the_message_discord_would_receive(fixture_core):
    run, out = session(fixture_core, as_json=True)
    assert await run.run("/pickif grief sports")
    data = json.loads(out.getvalue())
    assert set(data) == {"content", "embeds", "components", "allowed_mentions"}
    assert data["embeds"][0]["title"] == "Finish Line (2011)"
    assert data["allowed_mentions"] == {"parse": []}
    assert [c["label"] for c in data["components"][0]["components"]] == [
        "Previous",
        "Next",
        "Pick this",
    ]


async def test_refusals_are_printed_not_raised(fixture_core):
    run, out = session(fixture_core, as_json=True)
    assert not await run.run("/movie zzzz qqqq")
    data = json.loads(out.getvalue())
    assert data["flags"] == 64 and "No film called" in data["content"]
    run, out = session(fixture_core)
    assert not await run.run("next")
    assert "run /pickif first" in out.getvalue()
