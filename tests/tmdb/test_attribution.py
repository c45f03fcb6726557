"""TMDB's notice in /help and the README when film data is on, JustWatch beside availability,
and no word of TMDB anywhere a member looks when no key is set."""

import json
from pathlib import Path

from bot import members
from bot.core import Caller
from bot.help import TMDB_NOTICE, help_card

README = Path(__file__).parents[2] / "README.md"
NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."


def test_the_notice_is_tmdbs_own_words_in_help_and_the_readme():
    assert TMDB_NOTICE == NOTICE
    assert help_card(moderator=False, film_data=True).embeds[0].footer == NOTICE
    assert help_card(moderator=True, film_data=True).embeds[-1].footer == NOTICE


def test_help_shows_every_command_a_moderator_has():
    from bot.help import MEMBER_HELP, MODERATOR_HELP

    card = help_card(moderator=True, film_data=True).fitted()
    shown = [field.name for embed in card.embeds for field in embed.fields]
    assert len(shown) == len(MEMBER_HELP) + len(MODERATOR_HELP)
    assert NOTICE in " ".join(README.read_text(encoding="utf-8").split())


async def test_without_a_key_no_answer_mentions_tmdb(fixture_core):
    caller = Caller(5, 6, is_moderator=True)
    answers = [
        help_card(moderator=True, film_data=False),
        await members.movie(fixture_core, caller, "Velvet Job"),
        await members.where_to_watch(fixture_core, caller, "Velvet Job", "DE"),
        (await members.pickif(fixture_core, caller, "heist")).message(),
        await members.surprise(fixture_core, caller),
    ]
    for answer in answers:
        assert "TMDB" not in json.dumps(answer.to_discord()), answer


async def test_availability_is_credited_to_justwatch(core):
    from bot import watch_config

    await watch_config.set_region(core, Caller(5, 6, is_moderator=True), "DE")
    first = await members.where_to_watch(core, Caller(5, 7), "Velvet Job")
    today = (await first.later()).embeds[0].fields[-1]
    assert today.name == "Today in Germany (DE)" and "Data from JustWatch" in today.value
