"""Property: every valid review survives ``parse(render(review))`` and the JSON round trip.

The strategy builds rich reviews: accented, Cyrillic and Japanese words, curly and straight
quotes, colons in titles and headlines, sentence punctuation, service names in the "Where can I
watch?" sentence, 0-2 directors, cast with and without known-for, captions, and every optional
section present or absent. Text is restricted only where the format itself is ambiguous; each
restriction says why.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.review import CastMember, PickIf, Review, _is_residue, from_json, parse, render, to_json

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêüñçøßÅÖЖДЛжялфの映画夢"
# Words that carry the punctuation reviews really use; "Dr." and "vs." test the abbreviation
# rule, "10:30" a colon that is not a split, the service names the service detection.
VOCABULARY = [
    "the",
    "film",
    "Amélie",
    "Москва",
    "東京",
    "it’s",
    "don't",
    "“quiet”",
    '"loud"',
    "rock-and-roll",
    "Tom & Jerry",
    "1999",
    "10:30",
    "Dr.",
    "vs.",
    "J.",
    "and",
    "Netflix",
    "Prime Video",
    "Apple TV+",
    "Apple TV",
    "iTunes",
    "HBO Max",
    "Disney Plus",
    "Kanopy",
    "Amazon",
    "the Criterion Channel",
]
SENTENCE_ENDS = [".", "!", "?", "…", ",", ";", ":"]

# A line that opens with a heading phrase *is* a heading; that is the format, not a bug.
HEADING_START = re.compile(
    r"\W*(what[’'‘]?s|what is|pick|most memorable|the most memorable|where (can|could|do|to))\b",
    re.I,
)
# A caption is the only line between bullets that is not a bullet; one that starts like a
# bullet would (by design) be read as one.
BULLET_START = re.compile(r"[•\-*+–—]\s|[•●○◦▪▫■□‣⁃∙►▶➢➤✓✔]|\(?\d{1,3}[.)]\s")

plain_word = st.text(alphabet=LETTERS, min_size=1, max_size=8)
word = st.one_of(plain_word, st.sampled_from(VOCABULARY))
# A word with punctuation around it, as running text has.
punctuated = st.tuples(word, st.sampled_from(["", "", "", *SENTENCE_ENDS])).map("".join)
name_word = plain_word.map(str.capitalize).filter(lambda w: w.casefold() != "and")


def words(element: st.SearchStrategy[str], min_size: int, max_size: int) -> st.SearchStrategy:
    return st.lists(element, min_size=min_size, max_size=max_size).map(" ".join)


# A line that is nothing but blog furniture ("Related", "Loading...", "Share this:") ends the
# review, as it must for pasted web pages; a paragraph may not consist of just that.
paragraph = words(punctuated, 1, 25).filter(
    lambda text: not HEADING_START.match(text) and not _is_residue(text)
)
optional_paragraph = st.none() | paragraph
# Paragraphs that stand on their own line must also not look like a bullet in "Pick if".
caption = paragraph.filter(lambda text: not BULLET_START.match(text))
name = words(name_word, 1, 3)
# Known-for text sits inside parentheses, so it may hold commas, "and" and semicolons, but no
# parentheses of its own (an unbalanced one would end the entry early).
known_for = words(st.one_of(name_word, st.sampled_from(["and", "&", "Love,", "II;"])), 1, 4)

# Headlines: a ": " or a sentence end ("Heists. Then ...") inside one marks where the detail
# begins, so they may hold neither; colons without a space ("10:30") and abbreviations are fine,
# and the last word may end in "?" or "!".
headline = st.tuples(
    words(word, 1, 6).filter(lambda t: ": " not in t and not t.endswith(":")),
    st.sampled_from(["", "", "?", "!"]),
).map("".join)


@st.composite
def reasons(draw: st.DrawFn) -> PickIf:
    return PickIf(draw(headline), draw(st.none() | paragraph))


@st.composite
def reviews(draw: st.DrawFn) -> Review:
    year = draw(st.none() | st.integers(1888, 2100))
    title_part = words(
        st.one_of(plain_word, st.sampled_from(["Impossible", "Léon", "Ёжик", "2", "10:30"])), 1, 3
    ).filter(lambda t: not HEADING_START.match(t) and not _is_residue(t))
    title = draw(title_part)
    # Without a year there is no credits line, and the first line is split at its first ": ";
    # only the credits line can say that a colon belongs to the title ("Mission: Impossible").
    if year is not None and draw(st.booleans()):
        title = f"{title}: {draw(title_part)}"
    has_credits = year is not None
    where = draw(
        st.none()
        | st.tuples(
            st.sampled_from(["", f"{title} is ", "Rent it on "]),
            paragraph,
        ).map("".join)
    )
    return Review.create(
        title=title,
        tagline=draw(st.none() | words(punctuated, 1, 8)),
        year=year,
        # Directors, cast, running time, countries and languages are on the credits line only.
        directors=draw(st.lists(name, max_size=2)) if has_credits else (),
        runtime_minutes=draw(st.none() | st.integers(1, 1000)) if has_credits else None,
        cast=draw(
            st.lists(st.builds(CastMember, name, st.none() | known_for), max_size=6)
            if has_credits
            else st.just([])
        ),
        intro=draw(optional_paragraph),
        synopsis=draw(optional_paragraph),
        really_about=draw(optional_paragraph),
        pick_if=draw(st.lists(reasons(), min_size=1, max_size=5)),
        memorable_scene=draw(optional_paragraph),
        where_to_watch=where,
        captions=draw(st.lists(caption, max_size=3)),
        # Countries and languages are credits too; a name may have several words.
        countries=draw(st.lists(name, max_size=2)) if has_credits else (),
        languages=draw(st.lists(name, max_size=2)) if has_credits else (),
    )


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(reviews())
def test_parse_render_round_trip(review: Review) -> None:
    assert parse(render(review)) == review


@PROPERTY
@given(reviews())
def test_json_round_trip(review: Review) -> None:
    assert from_json(to_json(review)) == review


@PROPERTY
@given(reviews())
def test_render_is_stable(review: Review) -> None:
    text = render(review)
    assert render(parse(text)) == text


def test_strategy_builds_rich_reviews() -> None:
    """Guard the strategy itself: it must reach the hard cases, not only trivial reviews."""
    seen: set[str] = set()

    @settings(max_examples=300, deadline=None, database=None)
    @given(reviews())
    def collect(review: Review) -> None:
        checks = {
            "colon title": ": " in review.title,
            "year": review.year is not None,
            "two directors": len(review.directors) == 2,
            "known-for": any(m.known_for for m in review.cast),
            "no known-for": any(m.known_for is None for m in review.cast),
            "caption": bool(review.captions),
            "detail": any(p.detail for p in review.pick_if),
            "headline only": any(p.detail is None for p in review.pick_if),
            "question headline": any(p.headline.endswith("?") for p in review.pick_if),
            "services": bool(review.services),
            "no intro": review.intro is None,
            "countries": len(review.countries) == 2,
            "language": len(review.languages) == 1,
            "non-latin": any(ord(ch) > 0x3000 for ch in render(review)),
        }
        seen.update(name for name, present in checks.items() if present)

    collect()
    assert seen == {
        "colon title",
        "year",
        "two directors",
        "known-for",
        "no known-for",
        "caption",
        "detail",
        "headline only",
        "question headline",
        "services",
        "no intro",
        "countries",
        "language",
        "non-latin",
    }
