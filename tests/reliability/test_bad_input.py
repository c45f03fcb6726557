"""Runs every row of docs/bad-input.md: the answer it promises, and nothing written."""

import random
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bench.queries import pasted
from bot import members, moderation
from bot.cli import main
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.list_imports import import_seen, import_watchlist
from bot.message import Message
from bot.review import parse
from bot.schedule import parse_time, parse_zone
from bot.search import SearchInputError
from bot.watch import read_region
from tests.conftest import FIXTURE_REVIEWS

TABLE = Path(__file__).parents[2] / "docs" / "bad-input.md"
GUILD = 31
GOOD = (FIXTURE_REVIEWS / "velvet-job-1998.txt").read_text(encoding="utf-8")


def rows() -> dict[str, str]:
    found = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if (
            len(cells) == 4
            and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cells[0])
            and cells[0] not in ("id", "---")
        ):
            found[cells[0]] = re.fullmatch(r"`(.+)`", cells[3]).group(1)
    return found


FILES: dict[str, bytes] = {
    "empty-file": b"",
    "binary": b"\x00\x01\x02\xff" * 64,
    "html": b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>x</p></body></html>",
    "two-mb": b"x" * 2_000_000,
    "no-title": b"\n\nWhat's it about? Something.\n\nPick if:\n\n  * You like it: yes\n",
    "year-20017": GOOD.replace("(1998)", "(20017)").encode(),
    "cast-300": GOOD.replace(
        "Kit Vance.", ", ".join(f"Actor {i}" for i in range(300)) + "."
    ).encode(),
    "boilerplate": b"Leave a Reply\n\nFill in your details below or click an icon to log in:\n",
    "no-pick-if": (
        GOOD.split("Pick if:")[0]
        + "Velvet Job (1998): Directed by Paul Render; running-time 1h 35mins.; starring Lou.\n"
    ).encode(),
}
ATTACHMENTS: dict[str, tuple[str, bytes]] = {
    "wrong-type": ("review.pdf", b"%PDF-1.4 a pdf"),
    "too-large": ("review.txt", b"x" * 2_000_000),
    "not-utf8": ("review.txt", "Café Noir: A tagline\n".encode("latin-1")),
}

Action = Callable[[Core, Caller, str], Awaitable[Message]]
TYPED_TITLES: dict[str, tuple[Action, str]] = {
    "unknown-title": (members.movie, "The Zeppelin Years"),
    "id-too-long": (members.movie, "id:" + "9" * 5000),
    "id-not-ascii": (members.movie, "id:²"),
    "id-past-sqlite": (moderation.history, "id:99999999999999999999999"),
}


LETTERBOXD_HEADER = b"Date,Name,Year,Letterboxd URI\n"
LISTS: dict[str, tuple[str, bytes]] = {
    "list-wrong-type": ("watchlist.txt", LETTERBOXD_HEADER + b"2024-01-01,Brick,2005,x\n"),
    "list-empty": ("watchlist.csv", b""),
    "list-columns": ("watchlist.csv", b"Film,When\nBrick,2005\n"),
    "list-not-utf8": (
        "watchlist.csv",
        LETTERBOXD_HEADER + "2024-01-01,Amélie,2001,x\n".encode("latin-1"),
    ),
    "list-binary": ("watchlist.csv", b"\x00\x01\x02\xff" * 64),
    "list-too-large": ("watchlist.csv", LETTERBOXD_HEADER + b"x" * 3_000_000),
    "list-too-long": (
        "watchlist.csv",
        LETTERBOXD_HEADER + b"".join(b"2024-01-01,Velvet Job,1998,x\n" for _ in range(10_001)),
    ),
}


def test_the_table_covers_every_scenario():
    covered = (
        set(FILES)
        | set(ATTACHMENTS)
        | set(TYPED_TITLES)
        | set(LISTS)
        | {
            "empty-themes",
            "long-themes",
            "long-title",
            "surrogate-where",
            "surrogate-form",
            "no-letters",
            "markdown-names",
            "bidi-title",
            "invisible-title",
            "unknown-zone",
            "bad-time",
            "unknown-region",
        }
    )
    assert set(rows()) == covered


@pytest.mark.parametrize("row", sorted(FILES))
def test_bad_review_files_are_rejected_with_the_reason(row, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOVIENIGHT_DATABASE", str(tmp_path / "bad.db"))
    monkeypatch.setenv("MOVIENIGHT_STARTER", "")
    path = tmp_path / f"{row}.txt"
    path.write_bytes(FILES[row])
    assert main(["import", str(path)]) == 1
    assert rows()[row] in " ".join(capsys.readouterr().out.split())
    assert main(["export", "--format", "json", str(tmp_path / "out")]) == 0
    assert list((tmp_path / "out").iterdir()) == []  # nothing was written


@pytest.mark.parametrize("row", sorted(ATTACHMENTS))
async def test_bad_attachments_are_refused_with_the_reason(row, fixture_core):
    filename, data = ATTACHMENTS[row]
    before = await fixture_core.store.visible_reviews(GUILD)
    moderator = Caller(GUILD, 1, is_moderator=True)
    with pytest.raises(UserFacingError) as refused:
        await moderation.import_preview(fixture_core, moderator, filename, data)
    assert rows()[row] in str(refused.value)
    assert await fixture_core.store.visible_reviews(GUILD) == before


async def test_empty_and_overlong_themes(fixture_core):
    caller = Caller(GUILD, 1)
    for row, themes in (("empty-themes", "   "), ("long-themes", "grief " * 167)):
        with pytest.raises(SearchInputError) as refused:
            await members.pickif(fixture_core, caller, themes)
        assert rows()[row] in str(refused.value)


@pytest.mark.parametrize("row", sorted(TYPED_TITLES))
async def test_a_title_that_names_no_film(row, fixture_core):
    action, typed = TYPED_TITLES[row]
    before = await fixture_core.store.catalog_stamp()
    with pytest.raises(members.TitleNotFound) as refused:
        await action(fixture_core, Caller(GUILD, 1, is_moderator=True), typed)
    assert rows()[row] in str(refused.value)
    assert await fixture_core.store.catalog_stamp() == before


async def test_a_lone_surrogate_is_kept_as_a_replacement_character(fixture_core):
    moderator = Caller(GUILD, 1, is_moderator=True)
    answer = await moderation.where(fixture_core, moderator, "Finish Line", "Netflix \ud800")
    assert rows()["surrogate-where"] in answer.content
    saved = await members.find_film(fixture_core, moderator, "Finish Line")
    assert saved.review.where_to_watch == "Netflix \ufffd"
    texts = {"title": "Kite Season (2021)", "synopsis": "Kites \ud800", "pick_if": "Wind"}
    answer = await moderation.save_draft_part(fixture_core, moderator, 1, texts)
    assert rows()["surrogate-form"] in answer.content
    kept = await moderation.draft_texts(fixture_core, moderator)
    assert kept == {**texts, "synopsis": "Kites \ufffd"}


async def test_films_whose_titles_have_no_letters_stay_two_films(fixture_core):
    moderator = Caller(GUILD, 1, is_moderator=True)
    popcorn, pizza = (
        GOOD.replace("Velvet Job", title).replace("1998", "2016") for title in ("🎬🍿", "🍕🍕")
    )
    await fixture_core.store.save_many([parse(popcorn)])
    before = len(await fixture_core.store.visible_reviews(GUILD))
    preview = await moderation.import_preview(fixture_core, moderator, "pizza.txt", pizza.encode())
    assert preview.buttons[0][0].label == "Save"  # not "Replace"
    await fixture_core.store.save_many([parse(pizza)])
    assert len(await fixture_core.store.visible_reviews(GUILD)) == before + 1
    for typed in ("🎬🍿", "🍕🍕"):
        card = await members.movie(fixture_core, moderator, typed)
        assert card.embeds[0].title == f"{typed} (2016)"
    assert card.embeds[0].title == rows()["no-letters"]


async def test_markdown_in_names_is_shown_as_written(fixture_core):
    credits = "Directed by # Big Heading; running-time 1h 35mins.; starring -# small print."
    text = re.sub(r"Directed by .*", credits, GOOD).replace("Velvet Job", "Marked Up")
    await fixture_core.store.save_many([parse(text)])
    card = await members.movie(fixture_core, Caller(GUILD, 1), "Marked Up")
    fields = {field.name: field.value for field in card.embeds[0].fields}
    assert fields["Directed by"] == rows()["markdown-names"]
    assert fields["Cast"] == "\\-# small print"


async def test_a_title_with_a_bidi_control_is_shown_in_order(fixture_core):
    mirrored = GOOD.replace("Velvet Job", "Mirror\u202e Lake")
    await fixture_core.store.save_many([parse(mirrored)])
    answer = await members.seen_add(fixture_core, Caller(GUILD, 1), "Mirror Lake")
    assert rows()["bidi-title"] in answer.content and "\u202e" not in answer.content
    assert not answer.ephemeral


async def test_an_invisible_character_makes_no_second_film(fixture_core):
    moderator = Caller(GUILD, 1, is_moderator=True)
    look_alike = GOOD.replace("Velvet Job", "Vel\u200bvet Job").encode()
    before = await fixture_core.store.catalog_stamp()
    preview = await moderation.import_preview(fixture_core, moderator, "velvet.txt", look_alike)
    assert rows()["invisible-title"] in preview.embeds[1].description
    assert await fixture_core.store.catalog_stamp() == before
    await fixture_core.store.save_many([parse(look_alike)])  # as `movienight import` does
    choices = await members.title_choices(fixture_core, moderator, "velvet")
    assert [name for name, _ in choices] == ["Velvet Job (1998)"]


async def test_a_page_of_title_words_typed_as_a_title(fixture_core):
    page = pasted(random.Random(1), await fixture_core.store.live_titles())
    with pytest.raises(members.TitleNotFound) as refused:
        await members.watchlist_add(fixture_core, Caller(GUILD, 1), page)
    assert rows()["long-title"] in str(refused.value)
    assert await fixture_core.store.watchlist(1) == []


def test_a_country_that_does_not_exist():
    with pytest.raises(UserFacingError) as refused:
        read_region("Atlantis")
    assert rows()["unknown-region"] in str(refused.value)


def test_unknown_time_zone_and_impossible_time():
    with pytest.raises(UserFacingError) as refused:
        parse_zone("Mars/Olympus")
    assert rows()["unknown-zone"] in str(refused.value)
    with pytest.raises(UserFacingError) as refused:
        parse_time("25:99")
    assert rows()["bad-time"] in str(refused.value)


@pytest.mark.parametrize("row", sorted(LISTS))
async def test_bad_list_files_are_refused_with_the_reason(row, fixture_core):
    filename, data = LISTS[row]
    moderator = Caller(GUILD, 1, is_moderator=True)
    for load in (import_watchlist, import_seen):
        with pytest.raises(UserFacingError) as refused:
            await load(fixture_core, moderator, filename, data)
        assert rows()[row] in str(refused.value)
    assert await fixture_core.store.watchlist(1) == []
    assert await fixture_core.store.seen(GUILD) == []
