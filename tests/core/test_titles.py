"""Title autocomplete and resolution over the starter catalog."""

import pytest

from bot import members
from bot.core import Caller
from bot.store import film_key
from bot.text import fold
from bot.titles import label

GUILD = 9


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("amelie", "Amélie"),
        ("AMÉLIE!", "Amélie"),
        ("1 mile", "1 Mile to You"),
        ("mississipi grind", "Mississippi Grind"),
        ("brik", "Brick"),
        ("brick 2005", "Brick"),
    ],
)
async def test_typed_titles_resolve_when_one_film_is_clearly_ahead(catalog, typed, title):
    resolution = await catalog.titles.resolve(GUILD, typed)
    assert resolution.found is not None and resolution.found.title == title


async def test_an_unclear_title_asks_did_you_mean_with_years(catalog):
    with pytest.raises(members.TitleNotFound) as raised:
        await members.find_film(catalog, Caller(GUILD, 1), "the")
    text = str(raised.value)
    assert "Did you mean" in text and "(" in text


async def test_an_unknown_title_says_so(catalog):
    with pytest.raises(members.TitleNotFound, match="No film called"):
        await members.find_film(catalog, Caller(GUILD, 1), "qqqqzzzz")


async def test_autocomplete_is_best_first_with_years_and_at_most_25(catalog):
    rows = await catalog.titles.suggest(GUILD, "ame")
    assert rows[0].title == "Amélie"
    everything = await catalog.titles.suggest(GUILD, "")
    assert len(everything) == 25
    folded = [fold(row.title) for row in everything]
    assert folded == sorted(folded)
    pairs = await members.title_choices(catalog, Caller(GUILD, 1), "1 mile")
    name, value = pairs[0]
    assert name == "1 Mile to You (2017)" and value.startswith("id:")
    assert all(1 <= len(n) <= 100 and 1 <= len(v) <= 100 for n, v in pairs)


async def test_a_picked_choice_resolves_exactly(catalog):
    [(_name, value)] = (await members.title_choices(catalog, Caller(GUILD, 1), "brick"))[:1]
    stored = await members.find_film(catalog, Caller(GUILD, 1), value)
    assert stored.review.title == "Brick"


async def test_remakes_are_told_apart_by_year(store):
    from dataclasses import replace

    from bot.core import Core
    from bot.review import parse
    from bot.settings import Settings
    from tests.conftest import FIXTURE_REVIEWS

    original = parse((FIXTURE_REVIEWS / "velvet-job-1998.txt").read_text(encoding="utf-8"))
    await store.save_review(original)
    await store.save_review(replace(original, year=2024))
    core = Core.over(store, Settings(starter=None))
    resolution = await core.titles.resolve(GUILD, "velvet job")
    assert resolution.found is None
    assert [label(row) for row in resolution.candidates] == [
        "Velvet Job (1998)",
        "Velvet Job (2024)",
    ]
    assert (await core.titles.resolve(GUILD, "Velvet Job (2024)")).found.year == 2024


async def test_removed_and_other_servers_titles_are_not_offered(catalog):
    brick = (await catalog.titles.resolve(GUILD, "brick")).found
    await catalog.store.remove_review(brick.id, actor_id=1)
    assert "Brick" not in [row.title for row in await catalog.titles.suggest(GUILD, "brick")]
    assert film_key("Brick", 2005) == brick.film_key
