"""Fact check: a review's credits against TMDB's, in previews, /review add and the CLI."""

from dataclasses import replace

import pytest

from bot import moderation
from bot.cli import main
from bot.core import Caller
from bot.fact_check import differences
from bot.film_data import FilmData
from bot.review import CastMember, render
from tests.conftest import FIXTURE_REVIEWS
from tests.tmdb.conftest import fixture_films, fixture_review
from tests.tmdb_fake import serving_in_a_thread

GUILD = 81
MOD = Caller(GUILD, 3, is_moderator=True)
VELVET = fixture_review("velvet-job-1998")


def tmdb_film(**changes):
    film = FilmData(
        tmdb_id=1,
        title=VELVET.title,
        year=VELVET.year,
        runtime=VELVET.runtime_minutes,
        directors=VELVET.directors,
        cast=(*(member.name for member in VELVET.cast), "Extra Player"),
        score=None,
        votes=0,
        imdb_id=None,
        trailer=None,
    )
    return replace(film, **changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"runtime": VELVET.runtime_minutes + 3}, []),  # within 3 minutes
        (
            {"runtime": VELVET.runtime_minutes + 15},
            ["Runtime: the review says 1h 35m, TMDB says 1h 50m."],
        ),
        ({"year": 1999}, ["Year: the review says 1998, TMDB says 1999."]),
        (
            {"directors": ("Paul Render",)},
            ["Directed by: the review says Paul Render and Ana Render, TMDB says Paul Render."],
        ),
        ({"directors": ("ANA RENDER", "Paul  Render")}, []),  # folded alike
        ({"cast": ("Lou Mercer",)}, ["Cast: Kit Vance is not in TMDB's cast."]),
        ({"runtime": None, "cast": ()}, []),  # what TMDB does not know is not a difference
    ],
)
def test_every_difference_is_flagged(changes, expected):
    assert differences(VELVET, tmdb_film(**changes)) == expected


def test_each_cast_member_and_every_field_at_once():
    review = replace(VELVET, cast=(*VELVET.cast, CastMember("Nobody Known")))
    found = differences(review, tmdb_film(year=2001, runtime=60))
    assert [line.split(":")[0] for line in found] == ["Year", "Runtime", "Cast"]


async def test_an_import_preview_flags_a_wrong_runtime_once_tmdb_answers(core, tmdb):
    wrong = replace(fixture_review("the-quiet-house-2004"), runtime_minutes=95)
    preview = await moderation.import_preview(core, MOD, "quiet.txt", render(wrong).encode())
    assert [embed.title for embed in preview.embeds][-1] != "Checked against TMDB"
    checked = await preview.later()
    check = checked.embeds[-1]
    assert check.title == "Checked against TMDB"
    assert "1 difference from [The Quiet House (2004)]" in check.description
    assert "Runtime: the review says 1h 35m, TMDB says 1h 52m." in check.description
    assert checked.buttons == preview.buttons  # Save and Cancel stay as they were


async def test_a_preview_that_agrees_says_so_and_an_unclear_film_says_why(core):
    preview = await moderation.import_preview(core, MOD, "velvet.txt", render(VELVET).encode())
    assert "agree with [Velvet Job (1998)]" in (await preview.later()).embeds[-1].description
    night = fixture_review("night-shift-2015")
    unclear = await moderation.import_preview(core, MOD, "night.txt", render(night).encode())
    assert "no film that is clearly this one" in (await unclear.later()).embeds[-1].description


async def test_review_add_starts_part_2_with_tmdbs_credits(core):
    part_one = {
        "title": "Velvet Job (1998)",
        "pick_if": "You like heists: a good one",
    }
    answer = await moderation.save_draft_part(core, MOD, 1, part_one)
    assert answer.later is not None
    told = await answer.later()
    assert "TMDB knows it as [Velvet Job (1998)]" in told.content
    texts = await moderation.draft_texts(core, MOD)
    assert texts["directors"] == "Paul Render\nAna Render"
    assert texts["runtime"] == "95" and texts["cast"] == "Lou Mercer\nKit Vance"
    await moderation.save_draft_part(core, MOD, 2, {"runtime": "97", "directors": "", "cast": ""})
    again = await moderation.draft_texts(core, MOD)
    assert again["runtime"] == "97"  # what the moderator typed is never replaced


def test_check_with_tmdb_lists_every_difference(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MOVIENIGHT_DATABASE", str(tmp_path / "check.db"))
    monkeypatch.setenv("MOVIENIGHT_STARTER", "")
    wrong = replace(fixture_review("the-quiet-house-2004"), runtime_minutes=80)
    (tmp_path / "quiet.txt").write_text(render(wrong), encoding="utf-8")
    (tmp_path / "velvet.txt").write_text(render(VELVET), encoding="utf-8")
    with serving_in_a_thread(fixture_films()) as fake:
        monkeypatch.setenv("MOVIENIGHT_TMDB_URL", fake.url)
        monkeypatch.setenv("TMDB_API_TOKEN", fake.token)
        assert (
            main(["check", "--tmdb", str(tmp_path / "quiet.txt"), str(tmp_path / "velvet.txt")])
            == 1
        )
    out = " ".join(capsys.readouterr().out.split())
    assert "quiet.txt: differs from The Quiet House (2004) on TMDB:" in out
    assert "Runtime: the review says 1h 20m, TMDB says 1h 52m." in out
    assert "velvet.txt: agrees with Velvet Job (1998) on TMDB" in out
    assert main(["check", str(FIXTURE_REVIEWS)]) == 0  # without --tmdb nothing is asked
