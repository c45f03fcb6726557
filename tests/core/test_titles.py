"""Title autocomplete and resolution over the starter catalog."""

import asyncio
import random
import threading

import pytest

from bench.queries import pasted
from bot import members, moderation, titles
from bot.core import Caller
from bot.review import MAX_TITLE
from bot.text import fold
from bot.titles import Resolution, TitleIndex, label, rank_among, resolve_among
from tests.core.title_rows import TitlesOnly, title_rows

pytestmark = pytest.mark.both_backends

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
    from dataclasses import replace

    brick = (await catalog.titles.resolve(GUILD, "brick")).found
    await catalog.store.remove_review(brick.id, actor_id=1)
    assert "Brick" not in [row.title for row in await catalog.titles.suggest(GUILD, "brick")]
    assert (await catalog.titles.resolve(GUILD, f"id:{brick.id}")).found is None

    shared = await catalog.store.get((await catalog.titles.resolve(GUILD, "amelie")).found.id)
    theirs = replace(shared.review, title="Amélie Strikes Back", year=2030 - 4)
    saved = await catalog.store.save_review(theirs, guild_id=GUILD + 1, actor_id=2)
    assert "Amélie Strikes Back" not in [
        row.title for row in await catalog.titles.suggest(GUILD, "amelie strikes")
    ]
    assert (await catalog.titles.resolve(GUILD, f"id:{saved.review_id}")).found is None
    found = await catalog.titles.resolve(GUILD + 1, "amelie strikes back")
    assert found.found is not None and found.found.id == saved.review_id


@pytest.mark.parametrize("typed", ["brick lane", "home alone", "guilty pleasure"])
async def test_a_title_merely_inside_or_around_what_was_typed_is_asked_about(catalog, typed):
    resolution = await catalog.titles.resolve(GUILD, typed)
    assert resolution.found is None
    assert resolution.candidates  # "did you mean", with the near titles


async def test_a_title_without_its_article_still_resolves(catalog):
    assert (await catalog.titles.resolve(GUILD, "ladykillers")).found.title == "The Ladykillers"


async def test_an_import_by_another_process_is_seen_without_a_restart(catalog):
    from bot.review import parse
    from bot.store import Store
    from tests.conftest import FIXTURE_REVIEWS

    assert (await catalog.titles.resolve(GUILD, "velvet job")).found is None
    text = (FIXTURE_REVIEWS / "velvet-job-1998.txt").read_text(encoding="utf-8")
    async with await Store.open(catalog.settings.database) as other:  # like `movienight import`
        await other.save_many([parse(text)])
    assert (await catalog.titles.resolve(GUILD, "velvet job")).found.title == "Velvet Job"
    assert (await catalog.pickif.search(GUILD, "theatrical")).matches


# --- bounded work, whatever is typed -----------------------------------------------------------


@pytest.fixture
def spied(monkeypatch):
    """What WRatio was given to score, and which typed words the word index looked up."""
    scored, looked_up = [], []
    extract, matches = titles.process.extract, titles._Words.matches

    def spy_extract(query, choices, **kwargs):
        if kwargs.get("scorer") is titles.fuzz.WRatio:
            scored.append((query, len(choices)))
        return extract(query, choices, **kwargs)

    def spy_matches(self, typed, *, partial):
        looked_up.append(typed)
        return matches(self, typed, partial=partial)

    monkeypatch.setattr(titles.process, "extract", spy_extract)
    monkeypatch.setattr(titles._Words, "matches", spy_matches)
    return scored, looked_up


async def test_a_pasted_page_is_cut_to_a_title_before_anything_is_scored(spied):
    rows = title_rows(titles.FULL_SCAN * 2, seed=13)
    index = TitleIndex(TitlesOnly(rows))
    page = pasted(random.Random(5), rows)
    await index.suggest(GUILD, page)
    resolution = await index.resolve(GUILD, page)
    scored, looked_up = spied
    assert scored and all(len(q) <= titles.TYPED and n <= titles.CANDIDATES for q, n in scored)
    assert len(looked_up) <= 2 * titles.WORDS  # suggest's words and resolve's
    assert resolution.found is None


async def test_a_pasted_page_is_cut_in_a_small_catalog_and_among_removed_titles(catalog, spied):
    rows = await catalog.store.live_titles()
    page = pasted(random.Random(5), rows)
    await catalog.titles.suggest(GUILD, page)
    rank_among(rows, page, 5)
    resolve_among(rows, page)
    scored, _ = spied
    assert len(scored) == 3 and all(len(q) <= titles.TYPED for q, _ in scored)


def test_a_title_with_its_year_is_not_cut():
    longest = "Brick " + "x" * (MAX_TITLE - len("Brick "))
    assert titles.compared(f"{longest} (2005)") == fold(f"{longest} (2005)")


# --- one rebuild after a change ----------------------------------------------------------------


async def test_forty_requests_after_a_catalog_change_rebuild_the_index_once():
    rows = title_rows(400, seed=14)
    store = TitlesOnly(rows[:-1])
    index = TitleIndex(store)
    await index.suggest(GUILD, "")
    store.change(rows)  # a review was saved
    found = await asyncio.gather(*(index.suggest(GUILD, rows[-1].title) for _ in range(40)))
    assert store.reads == 2
    assert all(rows[-1] in suggested for suggested in found)


async def test_the_index_is_built_off_the_event_loop(monkeypatch):
    threads = []
    build = TitleIndex._build

    def spy(fetched):
        threads.append(threading.current_thread())
        return build(fetched)

    monkeypatch.setattr(TitleIndex, "_build", staticmethod(spy))
    await TitleIndex(TitlesOnly(title_rows(10, seed=15))).suggest(GUILD, "")
    assert threads and threading.main_thread() not in threads


async def test_a_failed_rebuild_is_tried_again_by_the_next_request():
    rows = title_rows(10, seed=16)
    store = TitlesOnly(rows)
    index = TitleIndex(store)
    store.rows = None  # the read breaks once
    with pytest.raises(TypeError):
        await index.suggest(GUILD, "")
    store.rows = rows
    assert len(await index.suggest(GUILD, "")) == 10


HOSTILE_IDS = [
    "id:" + "9" * 5000,  # past int()'s digit limit
    "id:²",  # str.isdigit() says yes, int() says no
    "id:٣",  # an Arabic-Indic three: int() reads it, but no choice is ever sent like that
    "id:99999999999999999999999",  # past SQLite's signed 64-bit integers
]


@pytest.mark.parametrize("typed", HOSTILE_IDS)
async def test_a_typed_id_that_is_no_choice_is_no_film(catalog, typed):
    with pytest.raises(members.TitleNotFound, match="No film called"):
        await members.find_film(catalog, Caller(GUILD, 1), typed)
    moderator = Caller(GUILD, 1, is_moderator=True)
    with pytest.raises(members.TitleNotFound, match="No film called"):
        await moderation.history(catalog, moderator, typed)


async def test_a_choice_resolves_among_a_short_list_by_its_exact_id(catalog):
    rows = (await catalog.titles.suggest(GUILD, ""))[:3]
    assert resolve_among(rows, f"id:{rows[1].id}").found == rows[1]
    for typed in HOSTILE_IDS:
        assert resolve_among(rows, typed) == Resolution(None, ())


async def test_titles_with_no_letters_are_found_by_typing_them(store):
    from dataclasses import replace

    from bot.core import Core
    from bot.review import parse
    from bot.settings import Settings
    from tests.conftest import FIXTURE_REVIEWS

    velvet = parse((FIXTURE_REVIEWS / "velvet-job-1998.txt").read_text(encoding="utf-8"))
    await store.save_many(
        [replace(velvet, title=title, year=2016) for title in ("🎬🍿", "🍕🍕", "🍕")]
    )
    core = Core.over(store, Settings(starter=None))
    for typed, title in (("🍕🍕", "🍕🍕"), ("🎬🍿 (2016)", "🎬🍿"), (" 🍕 ", "🍕")):
        assert (await core.titles.resolve(GUILD, typed)).found.title == title
    assert (await core.titles.suggest(GUILD, "🍕🍕"))[0].title == "🍕🍕"


async def test_a_stored_title_with_a_right_to_left_override_is_shown_without_it(catalog):
    from dataclasses import replace

    brick = await members.find_film(catalog, Caller(GUILD, 1), "Brick")
    older = replace(brick.review, title="Brick\u202e", year=2099 - 60)  # saved before the fix
    await catalog.store.save_review(older)
    answer = await members.seen_add(catalog, Caller(GUILD, 1), "Brick (2039)")
    assert answer.content == (
        "Marked **Brick (2039)** as seen. /pickif and /surprise will leave it out."
    )
    assert not answer.ephemeral


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("Mississippi Grind", "Mississippi Grind"),
        ("we should watch mississipi grind tonight!", "Mississippi Grind"),
        ("Has anyone seen 1 Mile to Yuo? I'm up for it", "1 Mile to You"),
    ],
)
async def test_the_film_a_chat_message_names(catalog, message, title):
    card = await members.film_in_message(catalog, Caller(GUILD, 1), message)
    assert card.embeds[0].title.startswith(title) and card.ephemeral


async def test_a_message_naming_no_film_clearly_offers_the_closest_or_says_none(catalog):
    unclear = await members.film_in_message(catalog, Caller(GUILD, 1), "the")
    assert "The closest" in unclear.content and not unclear.embeds and unclear.ephemeral
    none = await members.film_in_message(catalog, Caller(GUILD, 1), "qqqq zzzz xxxx")
    assert none.content == "That message names no film in the catalog."
