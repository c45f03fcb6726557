"""bot.review.parse: every rule of the text format, on the project's own fixture reviews."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.review import CastMember, PickIf, Review, from_json, parse, parse_runtime, render, to_json
from bot.services import _TOKEN, _fold_word, _folded_tokens, normalise_services

FIXTURES = Path(__file__).parent / "fixtures" / "reviews"


def fixture(name: str) -> Review:
    return parse((FIXTURES / name).read_bytes())


def review_text(*blocks: str, pick: str = "Pick if:\n\n  • You like tests") -> str:
    """A small review: a title line, the given blocks, and a Pick if section."""
    return "\n\n".join(["Brick: A Tagline", *blocks, pick]) + "\n"


# --- the fixture reviews --------------------------------------------------------------------


def test_canonical_fixture_reads_every_field() -> None:
    review = fixture("canonical.txt")
    assert review.title == "Brick"
    assert review.tagline == "A Hardboiled Mystery in a Sunlit High School"
    assert review.year == 2005
    assert review.directors == ("Rian Johnson",)
    assert review.runtime_minutes == 110
    assert review.cast == (
        CastMember("Joseph Gordon-Levitt", "Looper"),
        CastMember("Nora Zehetner", "Heroes"),
        CastMember("Lukas Haas", "Inception"),
        CastMember("Noah Fleiss"),
    )
    assert review.intro is not None and review.intro.startswith("Hard-talking teenagers")
    assert review.synopsis is not None and review.synopsis.endswith("a dealer called the Pin.")
    assert review.really_about == "How loneliness can pass for toughness."
    assert [reason.headline for reason in review.pick_if] == [
        "You like your mysteries knotty",
        "You enjoy stylised dialogue",
        "You are a Rian Johnson fan",
    ]
    assert review.pick_if[1].detail == (
        "every character talks like a 1940s private eye, which is funny at first and strangely "
        "moving later"
    )
    assert review.captions == (
        "Brendan (Joseph Gordon-Levitt) waits by the payphone near the football field",
    )
    assert review.memorable_scene is not None and review.memorable_scene.startswith("Brendan limps")
    assert review.where_to_watch == (
        "Brick is streaming on Kanopy and can be rented on Amazon Prime Video."
    )
    assert review.services == ("Kanopy", "Amazon Prime Video")


def test_markdown_fixture_headings_dash_bullets_and_wrapped_paragraphs() -> None:
    review = fixture("markdown.md")
    assert (review.title, review.tagline) == (
        "Paddington 2",
        "The Politest Prison Break Ever Filmed",
    )
    assert review.intro == (
        "A marmalade-loving bear, a stolen pop-up book and a vain actor in a lot of disguises. "
        "This sequel somehow improves on a very good first film."
    )
    assert review.synopsis is not None
    assert review.synopsis.startswith("Paddington wants to buy an antique pop-up book")
    assert "theft, and the Browns" in review.synopsis
    assert review.really_about == "Kindness as a force that changes everyone it touches."
    assert review.pick_if == (
        PickIf(
            "You need a film the whole family will agree on",
            "children laugh at the slapstick, adults laugh at Hugh Grant",
        ),
        PickIf(
            "You like elaborate set pieces",
            "the train finale is choreographed like an old silent comedy",
        ),
        PickIf(
            "You think Hugh Grant is best when he plays a ham",
            "He clearly enjoys every costume change",
        ),
        PickIf("You want to feel better about people"),
    )
    assert review.captions == (
        "Paddington (Ben Whishaw) mends prison uniforms that have come out of the wash pink",
    )
    assert review.memorable_scene is not None
    assert review.memorable_scene.startswith("A laundry accident")
    assert review.runtime_minutes == 104
    assert review.where_to_watch == (
        "Paddington 2 is streaming on Netflix in some countries and is on HBO Max in others."
    )
    assert review.services == ("Netflix", "Max")


def test_numbered_fixture_bullets_quotes_and_sentence_split() -> None:
    review = fixture("numbered.txt")
    assert [reason.headline for reason in review.pick_if] == [
        "You prefer ideas to explosions",
        "You admire Amy Adams",
        "You like a film that says “trust me” and then earns it",
        "You enjoy soundtracks that hum and creak",
        "You want to argue about the ending afterwards",
    ]
    assert (
        review.pick_if[0].detail == "The aliens are less frightening than the silence around them"
    )
    assert review.pick_if[2].detail is None
    assert review.captions == ("Louise (Amy Adams) presses her palm against the glass wall",)
    assert review.runtime_minutes == 116
    # "Amy Adams (Enchanted) , Jeremy Renner": the stray space before the comma is harmless.
    assert review.cast[:2] == (
        CastMember("Amy Adams", "Enchanted"),
        CastMember("Jeremy Renner", "The Hurt Locker"),
    )
    assert review.cast[-1] == CastMember("Michael Stuhlbarg")
    assert review.services == ("Apple TV", "Google Play", "Fandango at Home")


def test_crlf_bom_fixture_with_a_japanese_title_and_no_break_spaces() -> None:
    review = fixture("crlf_bom.txt")
    assert review.title == "千と千尋の神隠し"
    assert review.tagline == "A Bathhouse for Tired Gods"
    assert review.year == 2001
    assert review.intro == "A ten-year-old girl, a spirit world and a very hungry faceless guest."
    assert review.runtime_minutes == 125
    assert len(review.pick_if) == 2
    assert review.cast[1] == CastMember("Miyu Irino", "Kaidan")
    assert review.services == ("Max", "Netflix")


def test_cr_only_fixture_with_a_cyrillic_title() -> None:
    review = fixture("cr_only.txt")
    assert (review.title, review.year) == ("Левиафан", 2014)
    assert review.directors == ("Andrey Zvyagintsev",)
    assert review.runtime_minutes == 140
    assert review.services == ("Mubi", "Curzon Home Cinema")


def test_missing_sections_fixture_gives_none_and_empty_tuples() -> None:
    review = fixture("missing_sections.txt")
    assert review == Review(
        title="The Lighthouse Keeper's Daughter",
        tagline="A Small Film About Weather",
        year=None,
        directors=(),
        runtime_minutes=None,
        cast=(),
        intro=None,
        synopsis=None,
        really_about=None,
        pick_if=(
            PickIf("You like long walks on grey beaches"),
            PickIf("You have a soft spot for films where nothing much happens"),
        ),
        memorable_scene=None,
        where_to_watch=None,
        services=(),
        captions=(),
    )


def test_two_directors_and_a_known_for_with_commas() -> None:
    review = fixture("two_directors.txt")
    assert review.directors == ("Daniel Kwan", "Daniel Scheinert")
    assert review.runtime_minutes == 139
    assert review.cast[0] == CastMember("Michelle Yeoh", "Crouching Tiger, Hidden Dragon")
    assert review.cast[-1] == CastMember("Stephanie Hsu")
    assert review.services == ("Amazon Prime Video", "Apple TV+", "Apple TV")


def test_blog_residue_after_the_end_never_leaks() -> None:
    review = fixture("blog_residue.txt")
    assert (review.title, review.tagline) == (
        "Mission: Impossible",
        "The Vault Heist That Started a Franchise",
    )
    assert review.year == 1996
    assert review.cast[2] == CastMember("Emmanuelle Béart", "Manon des Sources")
    assert review.where_to_watch == "Mission: Impossible is streaming on Paramount+ and Pluto TV."
    assert review.services == ("Paramount+", "Pluto TV")
    everything = repr(to_json(review))
    for residue in ("Share", "Loading", "Related", "Heat", "Pacino", "Reply", "WordPress"):
        assert residue not in everything


def test_without_where_section_the_review_ends_at_the_credits_line() -> None:
    review = fixture("no_where_residue.txt")
    assert review.directors == ("Lana Wachowski", "Lilly Wachowski")
    assert review.runtime_minutes == 136
    assert review.where_to_watch is None
    assert review.memorable_scene == (
        "Neo leans back under a volley of bullets and the camera circles around him."
    )
    everything = repr(to_json(review))
    for residue in ("Posted", "Filed", "Dune", "Another review"):
        assert residue not in everything


# --- whitespace, title and credits ----------------------------------------------------------


def test_whitespace_in_every_field_is_folded() -> None:
    text = (
        "Brick :\tA   Tagline\n\n"
        "An  intro\u00a0that\n   wraps.\n\n"
        "What’s it about?   Two\tspaces.\n\n"
        "Pick if:\n\n  •   You  like :   odd   spacing\n"
        "A\u00a0 caption\n\n"
        "Brick  (2005):  Directed by  Rian   Johnson;  starring  Noah   Fleiss .\n\n"
        "Where can I watch?  On\u00a0 Kanopy.\n"
    )
    review = parse(text)
    assert review.intro == "An intro that wraps."
    assert review.synopsis == "Two spaces."
    assert review.pick_if == (PickIf("You like", "odd spacing"),)
    assert review.captions == ("A caption",)
    assert review.directors == ("Rian Johnson",)
    assert review.cast == (CastMember("Noah Fleiss"),)
    assert review.where_to_watch == "On Kanopy."


def test_credits_title_splits_a_title_that_has_a_colon() -> None:
    text = review_text(
        "Mission: Impossible (1996): Directed by Brian De Palma",
    ).replace("Brick: A Tagline", "Mission: Impossible: The tagline: with a colon")
    review = parse(text)
    assert review.title == "Mission: Impossible"
    assert review.tagline == "The tagline: with a colon"
    assert review.year == 1996


def test_credits_line_is_the_authority_for_the_title() -> None:
    text = review_text("BRICK (2005): running-time 110 min").replace(
        "Brick: A Tagline", "Brick: Noir in the Hallways"
    )
    review = parse(text)
    assert (review.title, review.tagline, review.year) == ("BRICK", "Noir in the Hallways", 2005)


def test_first_line_that_differs_from_the_credits_title_still_gives_a_tagline() -> None:
    text = review_text("One Mile (2017): Directed by Someone").replace(
        "Brick: A Tagline", "1 Mile: A Long Run"
    )
    review = parse(text)
    assert (review.title, review.tagline) == ("One Mile", "A Long Run")


@pytest.mark.parametrize(
    ("first_line", "title", "tagline"),
    [
        ("Brick: A Tagline", "Brick", "A Tagline"),
        ("Brick", "Brick", None),
        ("Brick:", "Brick", None),
        ("# Brick: Markdown title", "Brick", "Markdown title"),
        ("**Brick: Bold title**", "Brick", "Bold title"),
        ("#Alive: a hashtag is part of this title", "#Alive", "a hashtag is part of this title"),
        ("Amélie: Paris, Sugar and Gnomes", "Amélie", "Paris, Sugar and Gnomes"),
    ],
)
def test_without_credits_the_title_comes_from_the_first_line(
    first_line: str, title: str, tagline: str | None
) -> None:
    review = parse(review_text().replace("Brick: A Tagline", first_line))
    assert (review.title, review.tagline) == (title, tagline)
    assert (review.year, review.directors, review.cast, review.runtime_minutes) == (
        None,
        (),
        (),
        None,
    )


def test_credits_line_without_parts() -> None:
    review = parse(review_text("Brick (2005)."))
    assert (review.year, review.directors, review.cast, review.runtime_minutes) == (
        2005,
        (),
        (),
        None,
    )


def test_credits_line_at_the_top_keeps_the_intro_after_it() -> None:
    text = (
        "Brick: A Tagline\n"
        "Brick (2005): Directed by Rian Johnson; running-time 1h 50mins.\n\n"
        "An intro written after the credits.\n\n"
        "What’s it about? A synopsis.\n\n"
        "Pick if:\n  • You like tests\n"
    )
    review = parse(text)
    assert review.intro == "An intro written after the credits."
    assert review.synopsis == "A synopsis."
    assert review.year == 2005


def test_credits_line_just_after_where_to_watch_is_accepted() -> None:
    text = review_text(pick="Pick if:\n  • You like tests") + (
        "\nWhere can I watch? On Tubi.\n\nBrick (2005): Directed by Rian Johnson\n"
    )
    review = parse(text)
    assert (review.year, review.directors, review.services) == (2005, ("Rian Johnson",), ("Tubi",))


def test_credits_line_of_a_related_post_after_residue_is_ignored() -> None:
    text = review_text(pick="Pick if:\n  • You like tests") + (
        "\nWhere can I watch? On Tubi.\nShare this:\nHeat (1995): Directed by Michael Mann\n"
    )
    review = parse(text)
    assert (review.year, review.directors, review.where_to_watch) == (None, (), "On Tubi.")


def test_review_that_opens_with_its_credits_line() -> None:
    text = "Brick (2005): Directed by Rian Johnson\n\nPick if:\n  • You like tests\n"
    review = parse(text)
    assert (review.title, review.tagline, review.year) == ("Brick", None, 2005)


# --- headings -------------------------------------------------------------------------------


PUNCTUATED_HEADINGS = [
    "What’s it about?",
    "What's it about?",
    "WHAT'S IT ABOUT?",
    "Whats it about:",
    "What is it about?",
    "## What’s it about?",
    "### **What’s it about?**",
    "**What's it about?**",
    "__What's it about?__",
    "**What's it about**?",
]
# Without "?", ":" or bold a heading must end its line: "What's it about a boy" is a sentence.
BARE_HEADINGS = ["what‘s it about", "# what's it about", "## What’s It About"]


@pytest.mark.parametrize(
    ("heading", "separator"),
    [(heading, " ") for heading in PUNCTUATED_HEADINGS]
    + [(heading, "\n") for heading in PUNCTUATED_HEADINGS + BARE_HEADINGS],
)
def test_heading_variants(heading: str, separator: str) -> None:
    review = parse(review_text(f"{heading}{separator}A synopsis that\ncontinues here."))
    assert review.synopsis == "A synopsis that continues here."
    assert review.intro is None


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("What’s it really about?", "really_about"),
        ("## What's it really about?", "really_about"),
        ("Most memorable scene:", "memorable_scene"),
        ("## Most Memorable Scene", "memorable_scene"),
        ("**The most memorable scene:**", "memorable_scene"),
        ("Where can I watch?", "where_to_watch"),
        ("## Where to watch", "where_to_watch"),
        ("Where can I watch it?", "where_to_watch"),
    ],
)
def test_every_section_heading_is_recognised(heading: str, field: str) -> None:
    text = review_text(pick="Pick if:\n  • You like tests") + f"\n{heading}\nSome text.\n"
    assert getattr(parse(text), field) == "Some text."


def test_sentence_that_starts_like_a_heading_is_not_one() -> None:
    text = review_text("Pick if you like slow films, this is one.\nWhere can I watch films")
    review = parse(text)
    assert review.intro == "Pick if you like slow films, this is one. Where can I watch films"
    assert review.pick_if == (PickIf("You like tests"),)


def test_text_between_title_line_and_first_heading_is_the_intro() -> None:
    text = review_text("First paragraph.\n\nSecond\nparagraph.", "What’s it about? S.")
    assert parse(text).intro == "First paragraph. Second paragraph."


def test_pick_if_reason_on_the_heading_line() -> None:
    review = parse(review_text(pick="Pick if: you want one reason only"))
    assert review.pick_if == (PickIf("you want one reason only"),)
    review = parse(review_text(pick="Pick if: •\n  • The real reason"))
    assert review.pick_if == (PickIf("The real reason"),)


# --- bullets, reasons and captions ----------------------------------------------------------


@pytest.mark.parametrize(
    "marker", ["•", "  •", "\t•", "-", "    -", "*", "–", "1.", "  12.", "1)", "(3)"]
)
def test_bullet_markers(marker: str) -> None:
    pick = f"Pick if:\n{marker} You like this: a detail\n{marker} You like that"
    review = parse(review_text(pick=pick))
    assert review.pick_if == (PickIf("You like this", "a detail"), PickIf("You like that"))
    assert review.captions == ()


@pytest.mark.parametrize(
    ("bullet", "headline", "detail"),
    [
        (
            "You love heists: the vault scene is great",
            "You love heists",
            "the vault scene is great",
        ),
        (
            "You love heists. The vault scene is great",
            "You love heists",
            "The vault scene is great",
        ),
        ("You love heists", "You love heists", None),
        ("You love heists.", "You love heists.", None),
        ("You love heists? Then see this one", "You love heists?", "Then see this one"),
        ("You love heists! Really: all of them", "You love heists!", "Really: all of them"),
        ("You like Dr. Strange: magic and capes", "You like Dr. Strange", "magic and capes"),
        ("You are J. Doe. Hello", "You are J. Doe", "Hello"),
        ("You get up at 10:30 sharp", "You get up at 10:30 sharp", None),
        ("You get up at 10:30: then coffee", "You get up at 10:30", "then coffee"),
        ("You like e.g. lists", "You like e.g. lists", None),
        ("You quote “Jaws.” Everyone does", "You quote “Jaws”", "Everyone does"),
        ("You say “hi”: a detail with 'quotes'", "You say “hi”", "a detail with 'quotes'"),
        ("**You like bold**: a detail", "You like bold", "a detail"),
        ("**You like bold:** a detail", "You like bold", "a detail"),
        ("A sentence. Then: a colon", "A sentence", "Then: a colon"),
        ("A colon: then. A sentence", "A colon", "then. A sentence"),
        (": no headline", ": no headline", None),
    ],
)
def test_headline_and_detail_split(bullet: str, headline: str, detail: str | None) -> None:
    review = parse(review_text(pick=f"Pick if:\n  • {bullet}"))
    assert review.pick_if == (PickIf(headline, detail),)


def test_lines_between_bullets_are_captions_never_part_of_a_bullet() -> None:
    pick = (
        "Pick if:\n"
        "A caption before the first bullet\n"
        "  • First: one\n"
        "Kevin (Graham Rogers) runs in the rain\n"
        "  • Second: two\n"
        "  •\n"
        "A caption after the last bullet"
    )
    review = parse(review_text(pick=pick))
    assert review.pick_if == (PickIf("First", "one"), PickIf("Second", "two"))
    assert review.captions == (
        "A caption before the first bullet",
        "Kevin (Graham Rogers) runs in the rain",
        "A caption after the last bullet",
    )


def test_quotes_inside_text_are_kept() -> None:
    text = review_text("What’s it about? Based on “Life at These Speeds” and 'others'.")
    assert parse(text).synopsis == "Based on “Life at These Speeds” and 'others'."


# --- runtime, cast, directors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h 44mins.", 104),
        ("running-time 1h 44mins.", 104),
        ("104 min", 104),
        ("104 minutes", 104),
        ("1 hr. 32 min", 92),
        ("1 hour 5 minutes", 65),
        ("running time: 2 hours", 120),
        ("2h.", 120),
        ("1.5 hours", 90),
        ("1h44", 104),
        ("90-minute", 90),
        ("1:44", 104),
        ("running-time 97", 97),
        ("45mins.", 45),
        ("running-time unknown", None),
        ("9" * 50 + " hours", None),  # absurd digit runs are ignored, never an overflow
        ("", None),
    ],
)
def test_parse_runtime(text: str, minutes: int | None) -> None:
    assert parse_runtime(text) == minutes


@pytest.mark.parametrize(
    ("starring", "cast"),
    [
        (
            "starring Ann Lee (Heat), Bo Kim.",
            (CastMember("Ann Lee", "Heat"), CastMember("Bo Kim")),
        ),
        (
            "starring Ann Lee (Heat) , Bo Kim (Up).",
            (CastMember("Ann Lee", "Heat"), CastMember("Bo Kim", "Up")),
        ),
        ("starring Ann Lee", (CastMember("Ann Lee"),)),
        (
            "starring Ann Lee (Crazy, Stupid, Love), Bo Kim and Cy Ray (Law & Order; SVU)",
            (
                CastMember("Ann Lee", "Crazy, Stupid, Love"),
                CastMember("Bo Kim"),
                CastMember("Cy Ray", "Law & Order; SVU"),
            ),
        ),
        ("starring Ann Lee ().", (CastMember("Ann Lee"),)),
    ],
)
def test_cast_entries(starring: str, cast: tuple[CastMember, ...]) -> None:
    review = parse(review_text(f"Brick (2005): Directed by R. J.; {starring}"))
    assert review.cast == cast


@pytest.mark.parametrize(
    ("directed", "directors"),
    [
        ("Directed by Ann Lee", ("Ann Lee",)),
        ("Directed by Ann Lee and Bo Kim", ("Ann Lee", "Bo Kim")),
        ("Directed by Ann Lee & Bo Kim", ("Ann Lee", "Bo Kim")),
        ("Directed by Ann Lee, Bo Kim and Cy Ray", ("Ann Lee", "Bo Kim", "Cy Ray")),
        ("Written and directed by Ann Lee", ("Ann Lee",)),
        ("directed by Ann Lee.", ("Ann Lee",)),
    ],
)
def test_directors(directed: str, directors: tuple[str, ...]) -> None:
    review = parse(review_text(f"Brick (2005): {directed}; running-time 90 min"))
    assert review.directors == directors
    assert review.runtime_minutes == 90


# --- the end of the review ------------------------------------------------------------------


def test_where_to_watch_is_only_the_first_paragraph_after_the_heading() -> None:
    text = review_text(pick="Pick if:\n  • You like tests") + (
        "\nWhere can I watch?\n\nOn Kanopy\nand Tubi.\n\nBrick: Another Review Title\nMore text.\n"
    )
    review = parse(text)
    assert review.where_to_watch == "On Kanopy and Tubi."
    assert review.services == ("Kanopy", "Tubi")


@pytest.mark.parametrize(
    "residue",
    ["Share this:", "Like this:", "Like Loading...", "Related", "Leave a Reply", "Loading..."],
)
def test_residue_line_ends_a_review_that_has_neither_credits_nor_where(residue: str) -> None:
    text = review_text(pick="Pick if:\n  • You like tests") + (
        f"\nMost memorable scene:\nThe last scene.\n\n{residue}\n\nSome other post: its tagline\n"
    )
    review = parse(text)
    assert review.memorable_scene == "The last scene."
    assert review.captions == ()


def test_repeated_heading_after_the_credits_line_is_residue() -> None:
    text = review_text(
        "What’s it about? The real synopsis.",
        pick="Pick if:\n  • You like tests\n\nBrick (2005): Directed by Rian Johnson\n\n"
        "What’s it about? A related post's synopsis.",
    )
    review = parse(text)
    assert review.synopsis == "The real synopsis."


# --- encodings and line endings -------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_line_endings_and_bom(newline: str, bom: str) -> None:
    text = (FIXTURES / "canonical.txt").read_text(encoding="utf-8")
    expected = parse(text)
    variant = bom + text.replace("\n", newline)
    assert parse(variant) == expected
    assert parse(variant.encode("utf-8")) == expected


def test_bytes_and_str_give_the_same_review() -> None:
    data = (FIXTURES / "crlf_bom.txt").read_bytes()
    assert parse(data) == parse(data.decode("utf-8-sig"))


def test_accented_title_and_services_in_a_non_latin_sentence() -> None:
    text = (
        review_text("Amélie (2001): Directed by Jean-Pierre Jeunet").replace(
            "Brick: A Tagline", "Amélie: Le Fabuleux Destin"
        )
        + "\nWhere can I watch? Смотреть на Netflix и MUBI.\n"
    )
    review = parse(text)
    assert (review.title, review.year) == ("Amélie", 2001)
    assert review.services == ("Netflix", "Mubi")


def test_seed_review_when_available() -> None:
    seed = Path("/work/shared/seed-review.txt")
    if not seed.exists():
        pytest.skip("the seed review is not on this machine")
    review = parse(seed.read_bytes())
    assert review.year == 2017
    assert review.runtime_minutes == 104
    assert len(review.pick_if) == 5
    assert len(review.captions) == 1
    assert review.services == ("YouTube",)
    assert review.cast[4].known_for is not None
    assert review.cast[5].known_for is None
    assert "Leave a Reply" not in repr(to_json(review))


# --- service names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "services"),
    [
        ("Streaming on Netflix.", ("Netflix",)),
        ("Rent it on Amazon.", ("Amazon Prime Video",)),
        ("On Prime Video and Amazon Prime.", ("Amazon Prime Video",)),
        ("Free with ads on Amazon Freevee.", ("Freevee",)),
        ("On Apple TV+ now.", ("Apple TV+",)),
        ("Buy it on Apple TV or iTunes.", ("Apple TV",)),
        ("Apple TV, then Apple TV Plus.", ("Apple TV", "Apple TV+")),
        ("On HBO Max.", ("Max",)),
        ("Streaming on Max.", ("Max",)),
        ("Turn the volume to the max.", ()),
        ("On Disney+ and Disney Plus.", ("Disney+",)),
        ("A Disney classic from Paramount.", ()),
        ("On Paramount+.", ("Paramount+",)),
        ("On the Criterion Channel and MUBI.", ("The Criterion Channel", "Mubi")),
        ("From the Criterion Collection.", ()),
        ("Vudu, Google Play Movies & TV.", ("Fandango at Home", "Google Play")),
        (
            "YouTube, Hulu, Kanopy, Tubi, Hoopla, Plex.",
            ("YouTube", "Hulu", "Kanopy", "Tubi", "Hoopla", "Plex"),
        ),
        (
            "Pluto TV, Peacock, Shudder, BFI Player.",
            ("Pluto TV", "Peacock", "Shudder", "BFI Player"),
        ),
        ("On Curzon Home Cinema.", ("Curzon Home Cinema",)),
        ("Sadly it is not streaming anywhere.", ()),
        ("", ()),
    ],
)
def test_normalise_services(sentence: str, services: tuple[str, ...]) -> None:
    assert normalise_services(sentence) == services


def test_service_words_in_the_film_title_are_not_services() -> None:
    sentence = "Mad Max: Fury Road is streaming on Max and Netflix."
    assert normalise_services(sentence, title="Mad Max: Fury Road") == ("Max", "Netflix")
    assert normalise_services("Peacock Spring is on Tubi.", title="The Peacock Spring") == ("Tubi",)


@given(st.text(st.characters(max_codepoint=127)))
def test_ascii_text_is_folded_at_once_as_word_by_word(text: str) -> None:
    assert _folded_tokens(text) == [_fold_word(word) for word in _TOKEN.findall(text)]


def test_the_credits_may_say_where_a_film_comes_from_and_its_languages():
    review = parse(
        "Another Round: Life at 0.05 Percent\n\nPick if:\n  • You like a comedy\n\n"
        "Another Round (2020): Directed by Thomas Vinterberg; running-time 1h 57mins.;"
        " country Denmark; languages Danish and Swedish; starring Mads Mikkelsen.\n"
    )
    assert review.countries == ("Denmark",)
    assert review.languages == ("Danish", "Swedish")
    assert review.runtime_minutes == 117
    assert "; country Denmark; languages Danish and Swedish; starring" in render(review)
    assert parse(render(review)) == review


def test_a_review_stored_before_countries_existed_reads_without_them():
    data = to_json(parse((FIXTURES / "canonical.txt").read_bytes()))
    del data["countries"], data["languages"]
    assert from_json(data).countries == () and from_json(data).languages == ()
