"""Cards show review text literally: whatever markdown it holds stays text on Discord."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cards import escape, film_card
from bot.review import CastMember, PickIf, Review
from bot.store import StoredReview
from tests.conftest import FakeClock

BLOCK = re.compile(r"[ \t]*(?:#{1,3} |-# |[-*+] |\d+\. |>)")
"""What starts a heading, a subtext line, a list item or a quote at the start of a line."""


def unescaped(text: str) -> str:
    """``text`` with Discord's backslash escapes taken out, as Discord shows it."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("# Big Heading", r"\# Big Heading"),
        ("### Small Heading", r"\### Small Heading"),
        ("-# subtext", r"\-# subtext"),
        ("- a list", r"\- a list"),
        ("+ a list", r"\+ a list"),
        ("* a list", r"\* a list"),
        ("1. a numbered list", r"1\. a numbered list"),
        ("> a quote", r"\> a quote"),
        ("Ana Vey\n# Ben Ash\n  - Cy Oak", "Ana Vey\n\\# Ben Ash\n  \\- Cy Oak"),
    ],
)
def test_markdown_at_the_start_of_a_line_is_escaped(text, shown):
    assert escape(text) == shown
    assert unescaped(escape(text)) == text


def test_bidirectional_controls_are_taken_out():
    assert escape("Brick\u202e (2005) \u2066x\u2069\u200f") == "Brick (2005) x"


@pytest.mark.parametrize(
    "text",
    ["Brick", "#1 Fan", "-5 degrees", "1.5 hours", "Mr. T", "2001: A Space Odyssey", "A - B"],
)
def test_ordinary_text_is_untouched(text):
    assert escape(text) == text


MARKS = ["# ", "## ", "-# ", "- ", "+ ", "* ", "12. ", "> ", ">>> ", "\n", "\r\n", "  ", "\\"]
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
MARKDOWN_HEAVY = st.lists(
    st.sampled_from(MARKS)
    | st.text(st.characters(exclude_categories=["Cs"], exclude_characters=BIDI), max_size=4)
).map("".join)
"""Text a card shows as it is (no lone surrogates, no bidi controls), with markdown's marks
drawn often."""


@given(MARKDOWN_HEAVY)
def test_no_line_of_escaped_text_starts_markdown_and_nothing_else_changes(text):
    shown = escape(text)
    assert not any(BLOCK.match(line) for line in re.split(r"[\r\n]", shown))
    assert unescaped(shown) == text


def test_a_film_cards_credits_are_shown_as_typed():
    review = Review.create(
        title="Brick",
        pick_if=[PickIf("You like noir")],
        directors=["# Rian Johnson"],
        cast=[CastMember("-# Joseph Gordon-Levitt", "1. Looper"), CastMember("- Nora Zehetner")],
    )
    now = FakeClock().now
    embed = film_card(StoredReview(1, 0, review, None, now, None)).embeds[0]
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Directed by"] == r"\# Rian Johnson"
    assert fields["Cast"] == "\\-# Joseph Gordon-Levitt (1\\. Looper)\n\\- Nora Zehetner"
