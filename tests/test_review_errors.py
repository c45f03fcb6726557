"""Bad input never crashes: it is always a ReviewFormatError that names the problem (and line)."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.review import MAX_BYTES, MAX_CAST, ReviewFormatError, parse

BAD = Path(__file__).parent / "fixtures" / "reviews" / "bad"

PICK = "Pick if:\n\n  • You like knotty mysteries\n"


def error_for(text: str | bytes) -> ReviewFormatError:
    with pytest.raises(ReviewFormatError) as caught:
        parse(text)
    return caught.value


@pytest.mark.parametrize(
    ("name", "problem", "line"),
    [
        ("page.html", "looks like HTML, paste the review text", None),
        ("comments_only.txt", "only comment-form or blog boilerplate", 2),
        ("bad_year.txt", "implausible year 20017", 7),
        ("no_pick_if.txt", "no “Pick if:” section", None),
        ("pick_if_without_bullets.txt", "“Pick if:” section has no reasons", 5),
    ],
)
def test_bad_fixture_files(name: str, problem: str, line: int | None) -> None:
    error = error_for((BAD / name).read_bytes())
    assert problem in error.problem
    assert error.line == line


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("", "the review is empty", None),
        ("   \n\t\n\u00a0\n", "the review is empty", None),
        (b"", "the review is empty", None),
        (b"\xef\xbb\xbf\r\n", "the review is empty", None),
        (b"Brick: ok\n\x00\x01\x02binary", "not UTF-8 text", 2),
        (b"Brick: ok\nline two\n\xff\xfe\xfa", "not UTF-8 text", 3),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text", 3),
        ("Brick: ok\n\x07\x08 bell and backspace", "not UTF-8 text", 2),
        ("Brick: \ud800 a lone surrogate", "not UTF-8 text", None),
        ("<html><body><p>Brick</p></body></html>", "looks like HTML", None),
        ("  \n<div class='post'><p>Brick: x</p></div>", "looks like HTML", None),
        (f"What’s it about? No title here.\n\n{PICK}", "no title", 1),
        (f"\n\n: only a tagline\n\n{PICK}", "no title", 3),
        ("Brick: A Tagline\n\nWhat’s it about? A synopsis.\n", "no “Pick if:” section", None),
        ("Brick: A Tagline\n\nPick if:\n\nMost memorable scene:\nx\n", "has no reasons", 3),
        (
            f"Brick: A Tagline\n\n{PICK}\nBrick (1700): Directed by Someone\n",
            "implausible year 1700",
            7,
        ),
        (
            f"Brick: A Tagline\n\n{PICK}\nBrick (2005): running-time 20 hours\n",
            "implausible running time 1200",
            7,
        ),
        ("Share this:\n\nLike Loading...\n\nRelated\n", "blog boilerplate", 1),
        (
            f"Brick: {'x' * 400}\n\n{PICK}",
            "tagline is too long",
            1,
        ),
        (
            f"Brick: A Tagline\n\n{PICK}  • {'a very long headline ' * 20}\n",
            "headline is too long",
            3,
        ),
    ],
)
def test_bad_text(text: str | bytes, problem: str, line: int | None) -> None:
    error = error_for(text)
    assert problem in error.problem
    assert error.line == line
    assert str(error) == (f"line {line}: {error.problem}" if line else error.problem)


def test_more_than_max_cast_members_names_the_credits_line() -> None:
    cast = ", ".join(f"Actor Number{i}" for i in range(MAX_CAST + 1))
    error = error_for(f"Brick: A Tagline\n\n{PICK}\nBrick (2005): starring {cast}.\n")
    assert f"more than {MAX_CAST} cast members" in error.problem
    assert (error.line, error.field) == (7, "cast")


def test_exactly_max_cast_members_is_fine() -> None:
    cast = ", ".join(f"Actor Number{i}" for i in range(MAX_CAST))
    review = parse(f"Brick: A Tagline\n\n{PICK}\nBrick (2005): starring {cast}.\n")
    assert len(review.cast) == MAX_CAST


@pytest.mark.parametrize(
    "data",
    [
        b"\xff" * (MAX_BYTES + 1),  # also invalid UTF-8: the size must be checked first
        "é" * (MAX_BYTES // 2 + 1),  # under the limit in characters, over it in bytes
        "Brick: A Tagline\n" + "x" * MAX_BYTES,
    ],
)
def test_input_over_one_megabyte_is_refused_before_any_work(data: str | bytes) -> None:
    error = error_for(data)
    assert "over the 1 MB limit" in error.problem
    assert error.line is None


def test_input_of_exactly_one_megabyte_is_read() -> None:
    text = f"Brick: A Tagline\n\n{PICK}\nWhere can I watch? On Kanopy.\n\n"
    padded = text + "blog footer " * ((MAX_BYTES - len(text.encode())) // 12)
    padded += "x" * (MAX_BYTES - len(padded.encode()))
    assert len(padded.encode()) == MAX_BYTES
    assert parse(padded).title == "Brick"


def test_decoding_error_is_reported_without_a_chained_traceback() -> None:
    error = error_for(b"Brick: \xc3\x28 broken")
    assert error.__cause__ is None
    assert error.__suppress_context__


def test_errors_pickle_with_their_line_and_field() -> None:
    error = ReviewFormatError("implausible year 20017", 7, field="year")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.problem, copy.line, copy.field, str(copy)) == (
        "implausible year 20017",
        7,
        "year",
        "line 7: implausible year 20017",
    )


def test_error_is_a_value_error() -> None:
    assert issubclass(ReviewFormatError, ValueError)
    assert str(ReviewFormatError("no title")) == "no title"


def test_wrong_input_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse(42)  # type: ignore[arg-type]


# --- fuzzing: whatever comes in, the only exception is ReviewFormatError ---------------------

STRUCTURE = [
    "Brick: A Tagline",
    "What’s it about?",
    "## What's it really about?",
    "**Pick if:**",
    "Pick if:",
    "  • Headline: detail",
    "  • ",
    "- Headline. Detail",
    "1) ",
    "Most memorable scene:",
    "Where can I watch? On Max.",
    "Where can I watch?",
    "Brick (2005): Directed by A and B; running-time 1h 2mins.; starring X (Y), Z.",
    "Brick (99999):",
    "Brick (2005): starring (((,;",
    "Brick (2005): running-time 9999999999999999999999 hours",
    "Related",
    "Leave a Reply",
    "",
    "\u00a0",
    "# ",
    "**",
    ":",
    "?",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(STRUCTURE), st.text(max_size=40)), max_size=30),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_structured_garbage_never_crashes(lines: list[str], newline: str) -> None:
    try:
        parse(newline.join(lines))
    except ReviewFormatError as error:
        assert error.problem


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        parse(data)
    except ReviewFormatError as error:
        assert error.problem


@pytest.mark.parametrize(
    "line",
    [
        "a" + " " * 200_000 + ")",
        "• " + "." * 200_000 + "x",
        "• " + "a. " * 60_000,
        "Brick (2005): starring " + "( ," * 60_000,
        "Brick (2005): Directed by X" + ";" * 200_000,
        "Brick" + " " * 200_000 + "(2005): Directed by X",
    ],
    ids=["spaces", "dots", "sentences", "unclosed-parens", "semicolons", "spaced-credits"],
)
def test_hostile_long_lines_are_handled_in_linear_time(line: str) -> None:
    """Each of these made an earlier regex backtrack quadratically (minutes, not milliseconds).

    Timed in this process's CPU time, so a busy machine cannot fail it: only the parser's own
    work counts, and linear work here is well under a tenth of the bound."""
    started = time.process_time()
    try:
        parse(f"Brick: A Tagline\n\n{PICK}{line}\n")
    except ReviewFormatError as error:
        assert error.problem
    assert time.process_time() - started < 2


@given(st.text(st.characters(blacklist_characters="\x00"), max_size=300))
def test_text_and_its_utf8_bytes_get_the_same_result(text: str) -> None:
    """Bytes take quicker checks than text (no surrogate can be decoded from UTF-8, control
    characters are single bytes): both must accept and refuse alike, at the same line. (NUL
    is the exception: in bytes it is named as such.)"""
    try:
        data = text.encode()
    except UnicodeEncodeError:
        return  # a lone surrogate has no bytes
    outcomes = []
    for given_form in (text, data):
        try:
            outcomes.append(parse(given_form))
        except ReviewFormatError as error:
            outcomes.append((error.problem, error.line))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("code", range(1, 0x80))  # NUL has a message of its own
def test_a_control_character_is_refused_in_bytes_as_in_text(code: int) -> None:
    text = f"Brick: A Tagline\n\n{PICK}x{chr(code)}y\n"
    control = code <= 0x08 or 0x0E <= code <= 0x1F or code == 0x7F
    for given_form in (text, text.encode()):
        try:
            parse(given_form)
            refused = None
        except ReviewFormatError as error:
            refused = (error.problem, error.line)
        assert refused == (
            ("not UTF-8 text: it contains control characters (binary data?)", 6)
            if control
            else None
        )
