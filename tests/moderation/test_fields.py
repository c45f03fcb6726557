"""Form fields: each shows a review's text and reads it back unchanged; problems name the field."""

import pytest

from bot.catalog_files import read_reviews
from bot.moderation_fields import (
    ADD_PARTS,
    FIELDS,
    INPUT_LIMIT,
    FieldError,
    arguments,
    from_texts,
    part_of,
    texts_of,
    with_text,
)
from bot.review import CastMember, PickIf, Review, parse
from bot.settings import DEFAULT_STARTER
from tests.conftest import FIXTURE_REVIEWS, LATEST_YEAR
from tests.moderation.helpers import review_text

CATALOG = [
    item.review
    for item in read_reviews([DEFAULT_STARTER, FIXTURE_REVIEWS], newest=LATEST_YEAR)
    if item.review
]


def test_there_is_a_catalog_to_round_trip():
    assert len(CATALOG) >= 5


@pytest.mark.parametrize("key", list(FIELDS))
def test_every_field_of_every_catalog_review_reads_back_as_shown(key):
    for review in CATALOG:
        assert with_text(review, key, FIELDS[key].show(review), newest=LATEST_YEAR) == review, (
            review.title
        )


def test_a_whole_review_survives_the_two_add_forms():
    """Everything but the intro, image captions, countries and languages, which the add forms
    leave out (a review file brings them)."""
    for review in CATALOG:
        texts = texts_of(review, ADD_PARTS[1] + ADD_PARTS[2])
        left_out = {"intro": None, "captions": (), "countries": (), "languages": ()}
        expected = Review.create(**{**arguments(review), **left_out})
        assert from_texts(texts, newest=LATEST_YEAR) == expected, review.title


def test_forms_fit_discord():
    assert all(len(keys) <= 5 for keys in ADD_PARTS.values())
    assert len(FIELDS) <= 25
    for field in FIELDS.values():
        assert 1 <= len(field.label) <= 45, field.label
        assert 1 <= len(field.hint) <= 100, field.key
        assert len(field.placeholder) <= 100, field.key
        assert 1 <= field.max_length <= INPUT_LIMIT, field.key


def test_every_add_field_is_in_exactly_one_form():
    keys = ADD_PARTS[1] + ADD_PARTS[2]
    assert len(keys) == len(set(keys))
    assert part_of("pick_if") == 1 and part_of("cast") == 2 and part_of("intro") is None


def test_typed_text_is_read_generously():
    review = parse(review_text())
    review = with_text(
        review, "pick_if", "• You like kites: they fly\n\n- You want rain\n", newest=LATEST_YEAR
    )
    assert review.pick_if == (PickIf("You like kites", "they fly"), PickIf("You want rain"))
    review = with_text(review, "cast", "Ada Lune (Night Bus)\n  Bo Kim  \n", newest=LATEST_YEAR)
    assert review.cast == (CastMember("Ada Lune", "Night Bus"), CastMember("Bo Kim"))
    assert with_text(review, "runtime", "1h 44m", newest=LATEST_YEAR).runtime_minutes == 104
    assert with_text(review, "runtime", "", newest=LATEST_YEAR).runtime_minutes is None
    changed = with_text(review, "title", "Lantern Field, Again ( 2020 )", newest=LATEST_YEAR)
    assert (changed.title, changed.year) == ("Lantern Field, Again", 2020)
    assert with_text(review, "where_to_watch", "Now on Netflix.", newest=LATEST_YEAR).services == (
        "Netflix",
    )
    assert (
        with_text(review, "synopsis", "  Two\nlines ", newest=LATEST_YEAR).synopsis == "Two lines"
    )
    assert with_text(review, "synopsis", "", newest=LATEST_YEAR).synopsis is None


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("title", "", "**Title and year** is empty: write it as Title (Year)."),
        (
            "title",
            "Lantern Field",
            "**Title and year** needs the year in brackets, e.g. Brick (2005).",
        ),
        (
            "title",
            "Lantern Field (1700)",
            f"**Title and year**: implausible year 1700 (expected 1888–{LATEST_YEAR}).",
        ),
        (
            "runtime",
            "soon",
            "**Runtime** should be minutes (104) or hours and minutes (1h 44m).",
        ),
        (
            "runtime",
            "0",
            "**Runtime**: implausible running time 0 (expected 1–1000).",
        ),
        (
            "pick_if",
            "",
            "**Pick if** is empty; a review needs at least one “Pick if” reason.",
        ),
        (
            "pick_if",
            "Fine\n" + "x" * 201,
            "**Pick if**, reason 2 (headline) is too long (201 characters, at most 200).",
        ),
        ("tagline", "t" * 301, "**Tagline** is too long (301 characters, at most 300)."),
        (
            "cast",
            "n" * 201 + " (Known)",
            "**Cast**, member 1 (name) is too long (201 characters, at most 200).",
        ),
        (
            "directors",
            "\n".join(f"Director {n}" for n in range(11)),
            "**Directed by**: more than 10 directors.",
        ),
    ],
)
def test_problems_name_the_field_as_the_form_labels_it(key, text, message):
    with pytest.raises(FieldError) as caught:
        with_text(parse(review_text()), key, text, newest=LATEST_YEAR)
    assert str(caught.value) == message
    assert caught.value.key == key


def test_a_draft_without_a_title_is_refused_by_name():
    with pytest.raises(FieldError, match=r"\*\*Title and year\*\* is empty") as caught:
        from_texts({"pick_if": "You like it"}, newest=LATEST_YEAR)
    assert caught.value.key == "title"
