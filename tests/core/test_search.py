"""/pickif ranking on the fixture catalog: order, weights, typos, the thesaurus, why-quotes."""

import pytest

from bot import cards
from bot.core import Caller
from bot.search import MARK_END, MARK_START, SearchInputError, query_words

pytestmark = pytest.mark.both_backends

GUILD = 5


def titles(result):
    return [match.stored.review.title for match in result.matches]


async def test_films_matching_every_word_come_first(fixture_core):
    result = await fixture_core.pickif.search(GUILD, "grief sports")
    assert titles(result)[0] == "Finish Line"
    assert result.matches[0].matched == 2
    assert {"Court Vision", "The Quiet House"} <= set(titles(result)[1:])
    assert all(match.matched == 1 for match in result.matches[1:])


async def test_pick_if_reasons_weigh_more_than_the_synopsis(fixture_core):
    # "lighthouse" is in a Pick if reason of The Quiet House but only in Night Shift's synopsis.
    result = await fixture_core.pickif.search(GUILD, "lighthouse")
    assert titles(result) == ["The Quiet House", "Night Shift"]


async def test_typos_are_corrected_against_the_catalog(fixture_core):
    result = await fixture_core.pickif.search(GUILD, "greif sprots")
    assert titles(result)[0] == "Finish Line"
    assert result.corrections == {"greif": "grief", "sprots": "sport"}


async def test_mood_words_go_through_the_thesaurus(fixture_core):
    result = await fixture_core.pickif.search(GUILD, "sad")
    assert {"Finish Line", "The Quiet House"} <= set(titles(result))
    assert "Velvet Job" not in titles(result)


async def test_the_why_quote_marks_the_matched_words(fixture_core):
    result = await fixture_core.pickif.search(GUILD, "heist")
    [match] = result.matches
    assert match.reasons == (
        f"You love a {MARK_START}heist{MARK_END} comedy: the plan goes wrong in the most "
        "theatrical way possible",
    )
    embed = cards.match_card(result, 0).to_discord()["embeds"][0]
    why = next(f for f in embed["fields"] if f["name"] == "Why it matched")
    assert why["value"].startswith("> You love a **heist** comedy")


async def test_seen_films_are_left_out_unless_asked_for(fixture_core):
    core = fixture_core
    finish = (await core.titles.resolve(GUILD, "finish line")).found
    await core.store.mark_seen(GUILD, finish.film_key, by=1)
    assert "Finish Line" not in titles(await core.pickif.search(GUILD, "grief"))
    assert "Finish Line" in titles(await core.pickif.search(GUILD, "grief", include_seen=True))
    assert "Finish Line" in titles(await core.pickif.search(GUILD + 1, "grief"))


async def test_nothing_found_suggests_themes_the_catalog_has(fixture_core):
    result = await fixture_core.pickif.search(GUILD, "zeppelins")
    assert result.matches == ()
    assert result.suggestions
    for theme in result.suggestions:
        assert (await fixture_core.pickif.search(GUILD, theme)).matches, theme
    reply = cards.nothing_found(result).to_discord()
    assert reply["flags"] == 64 and "zeppelins" in reply["content"]


@pytest.mark.parametrize(
    ("themes", "problem"),
    [
        ("", "a few words"),
        ("   ", "a few words"),
        ("x" * 1000, "1000 characters"),
        ("the a of movie", "too common"),
    ],
)
def test_unsearchable_themes_say_what_to_type(themes, problem):
    with pytest.raises(SearchInputError, match=problem):
        query_words(themes)


def test_query_words_drop_filler_and_repeats():
    assert query_words("A film about grief, GRIEF and second chances!") == [
        "grief",
        "second",
        "chances",
    ]


async def test_quotes_and_operators_in_themes_are_searched_as_words(fixture_core):
    result = await fixture_core.pickif.search(GUILD, 'heist" OR NEAR(x) AND -comedy*')
    assert "Velvet Job" in titles(result)


async def test_surprise_respects_the_seen_list(fixture_core):
    from bot import members

    caller = Caller(GUILD, 1)
    for row in await fixture_core.store.live_titles():
        if row.title != "Velvet Job":
            await fixture_core.store.mark_seen(GUILD, row.film_key, by=1)
    for _ in range(5):
        message = await members.surprise(fixture_core, caller)
        assert message.embeds[0].title == "Velvet Job (1998)"


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("greif sprots", {"greif": "grief", "sprots": "sport"}),
        ("comdy", {"comdy": "comedy"}),
        ("funy", {"funy": "funny"}),
        ("hiest", {"hiest": "heist"}),
        ("heartbrak", {"heartbrak": "heartbreak"}),
    ],
)
async def test_typos_on_the_starter_catalog_read_as_real_words_that_match(catalog, typed, read_as):
    result = await catalog.pickif.search(GUILD, typed)
    assert result.corrections == read_as
    assert result.matches, "a correction that finds nothing helps nobody"
    if typed == "greif sprots":
        assert result.matches[0].stored.review.title == "1 Mile to You"
        assert result.matches[0].matched == 2


def test_surface_words_search_for_their_own_stem():
    from bot.search import stem, surface

    for term in ("hous", "amus", "comedi", "grief", "sport", "funni"):
        word = surface(term)
        assert stem(word) == term
    assert surface("hous") == "house" and surface("comedi") == "comedy"
