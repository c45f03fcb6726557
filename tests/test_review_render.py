"""render, to_json / from_json, Review.create and validate."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.review import (
    MAX_CAST,
    CastMember,
    PickIf,
    Review,
    ReviewFormatError,
    format_runtime,
    from_json,
    parse,
    render,
    to_json,
    validate,
)
from tests.conftest import LATEST_YEAR

FIXTURES = Path(__file__).parent / "fixtures" / "reviews"
FIXTURE_NAMES = sorted(path.name for path in FIXTURES.glob("*.*"))


def small(**changes: object) -> Review:
    fields: dict[str, object] = {"title": "Brick", "pick_if": [PickIf("You like tests")]}
    fields.update(changes)
    return Review.create(**fields)  # type: ignore[arg-type]


# --- render ---------------------------------------------------------------------------------


def test_canonical_fixture_renders_back_to_the_same_text() -> None:
    text = (FIXTURES / "canonical.txt").read_text(encoding="utf-8")
    assert render(parse(text)) == text


def test_render_of_a_markdown_review_is_the_canonical_layout() -> None:
    text = render(parse((FIXTURES / "markdown.md").read_bytes()))
    blocks = text.split("\n\n")
    assert blocks[0] == "Paddington 2: The Politest Prison Break Ever Filmed"
    assert blocks[1].startswith("A marmalade-loving bear")
    assert blocks[2].startswith("What’s it about? Paddington wants")
    assert (
        blocks[3] == "What’s it really about? Kindness as a force that changes everyone it touches."
    )
    assert blocks[4] == "Pick if:"
    assert blocks[5].splitlines() == [
        "  • You need a film the whole family will agree on: children laugh at the slapstick, "
        "adults laugh at Hugh Grant",
        "Paddington (Ben Whishaw) mends prison uniforms that have come out of the wash pink",
        "  • You like elaborate set pieces: the train finale is choreographed like an old silent "
        "comedy",
        "  • You think Hugh Grant is best when he plays a ham: He clearly enjoys every costume "
        "change",
        "  • You want to feel better about people",
    ]
    assert blocks[6].startswith("Most memorable scene:\nA laundry accident")
    assert blocks[7] == (
        "Paddington 2 (2017): Directed by Paul King; running-time 1h 44mins.; starring "
        "Ben Whishaw (Skyfall), Hugh Grant (Notting Hill), Brendan Gleeson (In Bruges), "
        "Sally Hawkins (The Shape of Water)."
    )
    assert blocks[8] == (
        "Where can I watch? Paddington 2 is streaming on Netflix in some countries and is on "
        "HBO Max in others.\n"
    )


def test_absent_sections_are_omitted() -> None:
    review = parse((FIXTURES / "missing_sections.txt").read_bytes())
    assert render(review) == (
        "The Lighthouse Keeper's Daughter: A Small Film About Weather\n\n"
        "Pick if:\n\n"
        "  • You like long walks on grey beaches\n"
        "  • You have a soft spot for films where nothing much happens\n"
    )


@pytest.mark.parametrize(
    ("changes", "credits"),
    [
        ({}, None),
        ({"year": 2005}, "Brick (2005)."),
        ({"year": 2005, "runtime_minutes": 110}, "Brick (2005): running-time 1h 50mins."),
        (
            {"year": 2005, "directors": ["Ann Lee", "Bo Kim", "Cy Ray"]},
            "Brick (2005): Directed by Ann Lee, Bo Kim and Cy Ray",
        ),
        (
            {
                "year": 2005,
                "directors": ["Ann Lee", "Bo Kim"],
                "runtime_minutes": 45,
                "cast": [CastMember("Di Wu", "Heat"), CastMember("Ed Yu")],
            },
            "Brick (2005): Directed by Ann Lee and Bo Kim; running-time 45mins.; "
            "starring Di Wu (Heat), Ed Yu.",
        ),
    ],
)
def test_credits_line_only_when_the_year_is_known(changes: dict, credits: str | None) -> None:
    blocks = render(small(**changes)).rstrip("\n").split("\n\n")
    if credits is None:
        assert not any("(" in block for block in blocks)
    else:
        assert blocks[-1] == credits


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(104, "1h 44mins."), (120, "2h."), (45, "45mins."), (61, "1h 1min."), (1, "1min.")],
)
def test_format_runtime(minutes: int, text: str) -> None:
    assert format_runtime(minutes) == text


def test_captions_sit_after_the_first_bullet() -> None:
    review = small(
        pick_if=[PickIf("One", "a"), PickIf("Two"), PickIf("Three")],
        captions=["First caption", "Second caption"],
    )
    assert "Pick if:\n\n  • One: a\nFirst caption\nSecond caption\n  • Two\n  • Three\n" in (
        render(review)
    )


@pytest.mark.parametrize(
    ("reason", "line"),
    [
        (PickIf("You love heists", "the vault"), "  • You love heists: the vault"),
        (PickIf("You love heists?", "Then watch"), "  • You love heists? Then watch"),
        (PickIf("You love heists!", "then watch"), "  • You love heists!: then watch"),
        (PickIf("You love heists"), "  • You love heists"),
    ],
)
def test_reason_lines(reason: PickIf, line: str) -> None:
    review = small(pick_if=[reason])
    assert line in render(review).splitlines()
    assert parse(render(review)) == review


def test_render_of_every_fixture_reads_back_the_same() -> None:
    for name in FIXTURE_NAMES:
        review = parse((FIXTURES / name).read_bytes())
        assert parse(render(review)) == review, name


# --- JSON -----------------------------------------------------------------------------------


def test_to_json_has_exactly_the_api_field_names_and_plain_lists() -> None:
    data = to_json(parse((FIXTURES / "canonical.txt").read_bytes()))
    assert list(data) == [
        "title",
        "tagline",
        "year",
        "directors",
        "runtime_minutes",
        "cast",
        "intro",
        "synopsis",
        "really_about",
        "pick_if",
        "memorable_scene",
        "where_to_watch",
        "services",
        "captions",
        "countries",
        "languages",
    ]
    assert data["cast"][0] == {"name": "Joseph Gordon-Levitt", "known_for": "Looper"}
    assert data["cast"][3] == {"name": "Noah Fleiss", "known_for": None}
    assert data["pick_if"][0] == {
        "headline": "You like your mysteries knotty",
        "detail": "the plot is a maze of double-crosses, and the slang demands full attention "
        "in the first half hour",
    }
    for name in ("directors", "cast", "pick_if", "services", "captions"):
        assert type(data[name]) is list
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_json_round_trip_of_every_fixture(name: str) -> None:
    review = parse((FIXTURES / name).read_bytes())
    assert from_json(json.loads(json.dumps(to_json(review), ensure_ascii=False))) == review


def test_from_json_derives_services_when_absent_and_keeps_them_when_present() -> None:
    data = to_json(small(where_to_watch="On Netflix and Tubi."))
    assert data["services"] == ["Netflix", "Tubi"]
    assert from_json({k: v for k, v in data.items() if k != "services"}).services == (
        "Netflix",
        "Tubi",
    )
    assert from_json({**data, "services": ["Tubi"]}).services == ("Tubi",)


def test_from_json_accepts_missing_optional_fields() -> None:
    review = from_json({"title": "Brick", "pick_if": [{"headline": "You like tests"}]})
    assert review == small()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"title": 7}, "title"),
        ({"title": "  "}, "title"),
        ({"tittle": "typo"}, "tittle"),
        ({"year": "2005"}, "year"),
        ({"year": True}, "year"),
        ({"year": 20017}, "year"),
        ({"runtime_minutes": 1.5}, "runtime_minutes"),
        ({"directors": "Ann Lee"}, "directors"),
        ({"directors": [1]}, "directors"),
        ({"cast": [{"known_for": "Heat"}]}, "cast"),
        ({"cast": [{"name": "Ann", "age": 3}]}, "cast"),
        ({"cast": [{"name": 3}]}, "cast"),
        ({"cast": ["Ann Lee"]}, "cast"),
        ({"pick_if": []}, "pick_if"),
        ({"pick_if": [{"headline": ""}]}, "pick_if"),
        ({"pick_if": [{"headline": "x", "detail": 5}]}, "pick_if"),
        ({"services": ["Blockbuster"]}, "services"),
        ({"services": ["Netflix", "Netflix"]}, "services"),
        ({"captions": [None]}, "captions"),
        ({"intro": ["not", "text"]}, "intro"),
    ],
)
def test_from_json_names_the_bad_field(changes: dict, field: str) -> None:
    data = {**to_json(small()), **changes}
    with pytest.raises(ReviewFormatError) as caught:
        from_json(data)
    assert caught.value.field == field
    assert field in caught.value.problem


def test_from_json_refuses_a_non_object() -> None:
    with pytest.raises(ReviewFormatError, match="JSON object"):
        from_json(["Brick"])  # type: ignore[arg-type]


# --- Review.create and validate -------------------------------------------------------------


def test_create_folds_whitespace_and_derives_services() -> None:
    review = Review.create(
        title="  Mad\tMax ",
        tagline="",
        where_to_watch=" Mad Max is on\u00a0 Max and  Kanopy. ",
        pick_if=[PickIf(" You  like  cars ", "  ")],
        cast=[CastMember(" Tom  Hardy ", " ")],
        directors=["George \n Miller"],
        captions=["  ", " A  caption "],
    )
    assert review.title == "Mad Max"
    assert review.tagline is None
    assert review.where_to_watch == "Mad Max is on Max and Kanopy."
    assert review.services == ("Max", "Kanopy")
    assert review.pick_if == (PickIf("You like cars"),)
    assert review.cast == (CastMember("Tom Hardy"),)
    assert review.directors == ("George Miller",)
    assert review.captions == ("A caption",)


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("Br\u200bick", "Brick"),  # zero-width space
        ("Bri\u00adck\u2060", "Brick"),  # soft hyphen, word joiner
        ("\ufeffBrick\ufe0f", "Brick"),  # byte order mark, a selector after a letter
        ("Brick\u202e (2005)", "Brick (2005)"),  # right-to-left override
        ("\u2067Brick\u2069", "Brick"),  # an isolate
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # an emoji sequence stays whole
        ("❤\ufe0f", "❤\ufe0f"),
        ("می\u200cخواهم", "می\u200cخواهم"),  # a Persian non-joiner between letters stays
    ],
)
def test_a_title_loses_its_invisible_characters(typed: str, title: str) -> None:
    assert small(title=typed).title == title


def test_invisible_characters_stay_in_text_other_than_the_title() -> None:
    synopsis = "A family 👨\u200d👩\u200d👧 on a trip"
    assert small(synopsis=synopsis).synopsis == synopsis


def test_create_validates() -> None:
    with pytest.raises(ReviewFormatError) as caught:
        small(year=1500)
    assert caught.value.field == "year"


def valid() -> Review:
    return small(
        year=2005,
        runtime_minutes=110,
        cast=[CastMember("Ann Lee", "Heat")],
        directors=["Bo Kim"],
        intro="An intro.",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "two\nlines"}, "title"),
        ({"year": 1887}, "year"),
        ({"year": LATEST_YEAR + 1}, "year"),
        ({"runtime_minutes": 0}, "runtime_minutes"),
        ({"runtime_minutes": 1001}, "runtime_minutes"),
        ({"pick_if": ()}, "pick_if"),
        ({"pick_if": (PickIf("x" * 201),)}, "pick_if"),
        ({"pick_if": (PickIf("ok", "y" * 4001),)}, "pick_if"),
        ({"cast": (CastMember("A"),) * (MAX_CAST + 1)}, "cast"),
        ({"cast": (CastMember(""),)}, "cast"),
        ({"intro": "z" * 4001}, "intro"),
        ({"intro": ""}, "intro"),
        ({"tagline": "t" * 301}, "tagline"),
        ({"directors": ("",)}, "directors"),
        ({"captions": ("",)}, "captions"),
        ({"services": ("Netflix", "Netflix")}, "services"),
    ],
)
def test_validate_names_the_field(changes: dict, field: str) -> None:
    with pytest.raises(ReviewFormatError) as caught:
        validate(replace(valid(), **changes), latest_year=LATEST_YEAR)
    assert caught.value.field == field
    assert caught.value.line is None


def test_validate_accepts_the_limits() -> None:
    review = replace(
        valid(),
        title="x" * 200,
        year=LATEST_YEAR,
        runtime_minutes=1000,
        cast=(CastMember("A"),) * MAX_CAST,
        pick_if=(PickIf("h" * 200, "d" * 4000),),
    )
    assert validate(review, latest_year=LATEST_YEAR) is review
    assert validate(replace(review, year=1888, runtime_minutes=1)) is not None
