"""A labelled /pickif set over the starter catalog: what members type, and the right films.

Each query was written as a member would type it, and its right answers from what the reviews in
``data/reviews`` say (the synopsis, the reasons, the credits), never from what the search returns.
A query has several right films when the reviews make several equally right ("a film from the
1990s"). The kinds are the eight of issue 18. ``tests/core/test_pickif_understanding.py`` pins
the share whose first result is right; ``python -m bench`` reports it beside the latency.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core import Core
from bot.search import SearchInputError
from bot.settings import DEFAULT_STARTER, DEFAULT_THESAURUS, Settings

KINDS = (
    "mood",
    "name",
    "constraint",
    "negation",
    "facets",
    "premise",
    "language",
    "short or long",
)

COMEDIES = frozenset(
    {
        "What We Do in the Shadows",
        "Shaolin Soccer",
        "Hunt for the Wilderpeople",
        "Palm Springs",
        "The Ladykillers",
        "Tampopo",
        "Local Hero",
        "Safety Not Guaranteed",
        "Breaking Away",
    }
)
ROMANCES = frozenset(
    {
        "In the Mood for Love",
        "Past Lives",
        "The Umbrellas of Cherbourg",
        "The Lunchbox",
        "Amélie",
        "Palm Springs",
        "A Girl Walks Home Alone at Night",
        "Safety Not Guaranteed",
    }
)
SHORT_COMEDIES = frozenset(
    {"What We Do in the Shadows", "Palm Springs", "Safety Not Guaranteed", "The Ladykillers"}
)
UNDER_95_MINUTES = frozenset(
    {
        "Slow West",
        "The Guilty",
        "Safety Not Guaranteed",
        "What We Do in the Shadows",
        "Lake Mungo",
        "Children of Heaven",
        "Coherence",
        "Palm Springs",
        "The Ladykillers",
        "The Umbrellas of Cherbourg",
        "Cronos",
        "Man on Wire",
        "Song of the Sea",
    }
)


@dataclass(frozen=True, slots=True)
class Labelled:
    kind: str
    query: str
    right: frozenset[str]


def _q(kind: str, query: str, *right: str | frozenset[str]) -> Labelled:
    titles: set[str] = set()
    for item in right:
        titles |= {item} if isinstance(item, str) else item
    return Labelled(kind, query, frozenset(titles))


LABELLED = (
    # Moods in other words than the reviews use.
    _q(
        "mood",
        "feel-good film for a rainy day",
        "Breaking Away",
        "Sing Street",
        "Amélie",
        "The Lunchbox",
    ),
    _q(
        "mood",
        "something that will make me sob",
        "Song of the Sea",
        "1 Mile to You",
        "The Umbrellas of Cherbourg",
    ),
    _q(
        "mood",
        "a comforting film to unwind after a long week",
        "The Lunchbox",
        "Local Hero",
        "The Straight Story",
        "Amélie",
    ),
    _q("mood", "I need a good laugh", COMEDIES),
    _q("mood", "edge of my seat tension", "The Guilty", "Children of Heaven", "Man on Wire"),
    _q("mood", "something that messes with your head", "Coherence"),
    _q(
        "mood",
        "wistful and bittersweet, about the one that got away",
        "In the Mood for Love",
        "Past Lives",
        "The Umbrellas of Cherbourg",
    ),
    # Names: directors and actors.
    _q("name", "taika waititi", "Hunt for the Wilderpeople", "What We Do in the Shadows"),
    _q("name", "mads mikkelsen", "Another Round"),
    _q("name", "kurosawa", "Ikiru"),
    _q("name", "the one with Aubrey Plaza", "Safety Not Guaranteed"),
    _q("name", "bong joon-ho", "The Host"),
    _q("name", "a Guillermo del Toro film", "Cronos"),
    # Constraints: runtime, era, country.
    _q("constraint", "a film from the 1990s", "Cronos", "Children of Heaven", "The Straight Story"),
    _q("constraint", "something under 95 minutes", UNDER_95_MINUTES),
    _q("constraint", "a short comedy", SHORT_COMEDIES),
    _q("constraint", "an 80s movie", "Local Hero", "Tampopo"),
    _q(
        "constraint",
        "something old, from before 1970",
        "Ikiru",
        "The Ladykillers",
        "The Umbrellas of Cherbourg",
    ),
    _q("constraint", "a korean film", "The Host", "Past Lives"),
    _q("constraint", "something french", "Amélie", "The Umbrellas of Cherbourg"),
    # Negations.
    _q(
        "negation",
        "a comedy that is not a horror film",
        COMEDIES - {"What We Do in the Shadows"},
        "Another Round",
        "Amélie",
        "Sing Street",
    ),
    _q("negation", "something romantic but no musicals", ROMANCES - {"The Umbrellas of Cherbourg"}),
    _q(
        "negation",
        "sports movie without grief",
        "Breaking Away",
        "Shaolin Soccer",
        "Children of Heaven",
    ),
    _q(
        "negation",
        "a family film that isn't animated",
        "The Host",
        "Hunt for the Wilderpeople",
        "Children of Heaven",
        "The Straight Story",
    ),
    _q("negation", "a vampire movie that isn't scary", "What We Do in the Shadows"),
    _q(
        "negation",
        "a love story, nothing sad",
        "Amélie",
        "Palm Springs",
        "Safety Not Guaranteed",
        "The Lunchbox",
        "Shaolin Soccer",
    ),
    # Several facets at once (and the audience, which is no facet).
    _q("facets", "a funny heist movie from the 50s", "The Ladykillers"),
    _q("facets", "animated irish folklore with wolves", "Wolfwalkers"),
    _q("facets", "a slow road movie about two brothers", "The Straight Story"),
    _q("facets", "a gambling road trip with blues music", "Mississippi Grind"),
    _q("facets", "short danish thriller", "The Guilty"),
    _q("facets", "a japanese comedy about food", "Tampopo"),
    _q("facets", "an 80s comedy set in a scottish village", "Local Hero"),
    _q("facets", "a puzzle film for four friends", "Coherence"),
    _q("facets", "a funny movie to watch with my grandma", COMEDIES),
    # Plot premises, told in the member's words.
    _q("premise", "a guy who crosses between two skyscrapers on a tightrope", "Man on Wire"),
    _q("premise", "teachers who start drinking at work", "Another Round"),
    _q("premise", "two people stuck reliving the same day over and over", "Palm Springs"),
    _q("premise", "a wife's lunch gets delivered to the wrong man", "The Lunchbox"),
    _q(
        "premise",
        "an old man rides a lawn mower across the country to see his brother",
        "The Straight Story",
    ),
    _q("premise", "a cop on the phone trying to save a kidnapped woman", "The Guilty"),
    _q("premise", "a dying office clerk who builds a playground", "Ikiru"),
    # German, French and Spanish.
    _q("language", "lustiger film", COMEDIES),
    _q("language", "una historia de amor", ROMANCES),
    _q(
        "language",
        "ein trauriger Film über Trauer",
        "1 Mile to You",
        "Song of the Sea",
        "Lake Mungo",
    ),
    _q("language", "un film d'horreur qui fait vraiment peur", "Lake Mungo", "Cronos"),
    _q(
        "language",
        "película de vampiros",
        "A Girl Walks Home Alone at Night",
        "Cronos",
        "What We Do in the Shadows",
    ),
    _q("language", "un dessin animé pour les enfants", "Song of the Sea", "Wolfwalkers"),
    _q("language", "Komödie über Fußball", "Shaolin Soccer"),
    _q("language", "algo corto y divertido", SHORT_COMEDIES),
    # Very short and very long.
    _q("short or long", "heist", "The Ladykillers", "Man on Wire"),
    _q("short or long", "noir", "Brick"),
    _q("short or long", "ghosts", "Lake Mungo"),
    _q(
        "short or long",
        "we are four friends looking for something to watch tonight and my grandma is coming "
        "too, so nothing too scary or gory please, ideally something warm and funny",
        "Hunt for the Wilderpeople",
        "Shaolin Soccer",
        "Breaking Away",
    ),
    _q(
        "short or long",
        "rough week at work, I just want to switch my brain off with something silly, nothing "
        "heavy or sad, only good jokes",
        "Shaolin Soccer",
        "What We Do in the Shadows",
        "Palm Springs",
    ),
    _q(
        "short or long",
        "I lost my dad recently and want a film that deals with grief honestly but gently, "
        "nothing dark or horror-like, ending with some hope",
        "Song of the Sea",
        "1 Mile to You",
        "Ikiru",
        "Hunt for the Wilderpeople",
    ),
    _q(
        "short or long",
        "my girlfriend and I want something romantic and gorgeous to look at for date night, "
        "we don't mind subtitles",
        "In the Mood for Love",
        "The Umbrellas of Cherbourg",
        "Amélie",
    ),
)


@dataclass(frozen=True, slots=True)
class Outcome:
    labelled: Labelled
    titles: tuple[str, ...]  # what /pickif returned, best first

    @property
    def top1(self) -> bool:
        return bool(self.titles) and self.titles[0] in self.labelled.right

    @property
    def top3(self) -> bool:
        return any(title in self.labelled.right for title in self.titles[:3])


async def run(core: Core, guild_id: int = 1) -> list[Outcome]:
    """Every labelled query through /pickif's search, as a member of ``guild_id`` asks it."""
    outcomes = []
    for labelled in LABELLED:
        try:
            result = await core.pickif.search(guild_id, labelled.query)
            titles = tuple(match.stored.review.title for match in result.matches)
        except SearchInputError:
            titles = ()
        outcomes.append(Outcome(labelled, titles))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    """Top-1 and top-3 counts, overall and per kind."""
    top1, total = Counter[str](), Counter[str]()
    for outcome in outcomes:
        total[outcome.labelled.kind] += 1
        top1[outcome.labelled.kind] += outcome.top1
    return {
        "queries": len(outcomes),
        "top1": sum(outcome.top1 for outcome in outcomes),
        "top3": sum(outcome.top3 for outcome in outcomes),
        "by_kind": {kind: f"{top1[kind]}/{total[kind]}" for kind in KINDS},
    }


async def measure(model: Path | None = None) -> dict[str, Any]:
    """The set's summary over a fresh database of the starter catalog (with ``model`` when
    given), for the benchmark."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database=Path(folder) / "labelled.db",
            starter=DEFAULT_STARTER,
            thesaurus=DEFAULT_THESAURUS,
            model=model,
        )
        core = await Core.open(settings)
        try:
            found = summary(await run(core))
        finally:
            await core.close()
    return {f"labelled_{key}": value for key, value in found.items()}
