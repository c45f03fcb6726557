"""A seeded generator of synthetic review catalogs, written as review text files.

The files are plain text in the project's review format, so an import goes through the real
parser. Lengths follow the starter catalog (2–4 KB a review), themes come from a pool of a few
hundred words (so a theme word is in a few percent of the catalog, as in a real one), and the
titles collide on purpose: remakes share a title with another year, near-twins differ by an
article, a plural, a sequel number or an accent, and some titles are French, Spanish, Polish or
Icelandic.

Catalogs are cached under a folder keyed by size, seed and :data:`VERSION`; a ``complete``
marker is written last, so an interrupted generation is redone rather than trusted.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import words
from bot.text import fold

VERSION = 4
"""Bump when the generated text changes, so stale cached catalogs are not reused."""
FOCUS = 5
"""Themes a review is about; its prose mentions them, and only now and then another one."""
PER_FOLDER = 1000
SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to"})
NUMBERS = ("Two", "Three", "Seven", "Nine", "Twelve", "1", "24", "100", "1000")
SEQUELS = (" 2", " II", " III", ": Part Two", ": The Return", " Again")


@dataclass(frozen=True, slots=True)
class Catalog:
    folder: Path
    size: int
    seed: int


def _title_case(text: str) -> str:
    parts = text.split(" ")
    return " ".join(
        part if (i and part in SMALL_WORDS) else part[:1].upper() + part[1:]
        for i, part in enumerate(parts)
    )


class _Writer:
    """Builds one review at a time from a single seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.titles: list[str] = []
        self.keys: set[str] = set()
        # Some themes are far more common than others (love, not lacrosse): Zipf-like weights
        # over a fixed shuffle, so the most common theme is in about one review in eight and
        # the median one in about one in a hundred.
        self.popular = list(words.THEMES)
        random.Random(0).shuffle(self.popular)
        self.weights = [1 / (rank + 1) ** 0.5 for rank in range(len(self.popular))]
        self.focus: list[str] = []

    # --- small pieces ----------------------------------------------------------------------------

    def pick(self, pool: tuple[str, ...]) -> str:
        return self.rng.choice(pool)

    def person(self) -> str:
        return f"{self.pick(words.FIRST_NAMES)} {self.pick(words.SURNAMES)}"

    def a(self, word: str) -> str:
        return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"

    def theme(self) -> str:
        if self.rng.random() < 0.1:
            return self.pick(words.THEMES)
        return self.rng.choice(self.focus)

    def year(self) -> int:
        # Most films are recent; a long tail reaches back to the silents.
        return max(1920, min(2025, round(2025 - abs(self.rng.gauss(0, 22)))))

    # --- titles ----------------------------------------------------------------------------------

    def title_word(self) -> str:
        return self.pick(words.TITLE_WORDS)

    def fresh_title(self) -> str:
        w = self.title_word
        shape = self.rng.random()
        if shape < 0.18:
            text = f"the {w()} {w()}"
        elif shape < 0.30:
            text = w()
        elif shape < 0.45:
            text = f"{w()} {w()}"
        elif shape < 0.55:
            text = f"{w()} of {w()}"
        elif shape < 0.62:
            text = f"the {w()} of the {w()}"
        elif shape < 0.69:
            return f"{self.pick(words.FIRST_NAMES)}'s {_title_case(w())}"
        elif shape < 0.75:
            text = f"a {w()} for {self.pick(words.FIRST_NAMES)}"
        elif shape < 0.81:
            text = f"{w()} and {w()}"
        elif shape < 0.86:
            return f"{_title_case(w())} in {self.pick(words.PLACES)}"
        elif shape < 0.90:
            text = f"{self.pick(NUMBERS)} {w()} {w()}"
        elif shape < 0.94:
            return self.pick(words.FOREIGN_TITLES)
        else:
            text = f"{w()} {w()} {w()}"
        return _title_case(text)

    def near_twin(self, title: str) -> str:
        """A title that nearly collides with an earlier one."""
        move = self.rng.randrange(5)
        if move == 0:
            return title[4:] if title.startswith("The ") else f"The {title}"
        if move == 1:
            return title[:-1] if title.endswith("s") else f"{title}s"
        if move == 2:
            return title + self.pick(SEQUELS)
        if move == 3:
            plain = fold(title).title()
            return plain if plain != title else f"{title}!"
        return f"Return to {title}" if self.rng.random() < 0.5 else f"{title}, Again"

    def title_and_year(self) -> tuple[str, int]:
        for _ in range(100):
            roll = self.rng.random()
            if self.titles and roll < 0.04:
                title = self.rng.choice(self.titles)  # a remake: same title, another year
            elif self.titles and roll < 0.10:
                title = self.near_twin(self.rng.choice(self.titles))
            else:
                title = self.fresh_title()
            year = self.year()
            key = f"{fold(title)}|{year}"
            if key not in self.keys and len(title) <= 120:
                self.keys.add(key)
                self.titles.append(title)
                return title, year
        raise RuntimeError("could not find an unused title; the word pools are too small")

    # --- prose -----------------------------------------------------------------------------------

    def sentence(self, hero: str) -> str:
        r = self.pick
        shapes = (
            lambda: (
                f"{hero} {r(words.VERBS)} {self.a(r(words.ADJECTIVES))} {r(words.NOUNS)} "
                f"in {r(words.PLACES)}."
            ),
            lambda: (
                f"Nobody expects the {r(words.NOUNS)} to matter, but it {r(words.VERBS)} "
                f"everything {r(words.ADVERBS)}."
            ),
            lambda: (
                f"Along the way {hero} meets {self.person()}, {self.a(r(words.ADJECTIVES))} "
                f"{r(words.NOUNS)} with a taste for {self.theme()}."
            ),
            lambda: (
                f"The {r(words.ADJECTIVES)} middle stretch is about {self.theme()} and "
                f"{self.theme()}, and it never hurries."
            ),
            lambda: (
                f"When the {r(words.NOUNS)} goes missing, {hero} has to choose between "
                f"{self.theme()} and {self.theme()}."
            ),
            lambda: (
                f"Every scene with the {r(words.NOUNS)} is {r(words.ADJECTIVES)} and "
                f"{r(words.ADVERBS)} {r(words.ADJECTIVES)}."
            ),
            lambda: (
                f"It is {self.a(r(words.ADJECTIVES))} film about {self.theme()}, told "
                f"{r(words.ADVERBS)} and without a wasted shot."
            ),
            lambda: (
                f"The {r(words.NOUNS)} and the {r(words.NOUNS)} return in the last act, "
                f"a little more {r(words.ADJECTIVES)} each time."
            ),
            lambda: (
                f"{self.person()} plays the {r(words.NOUNS)} {r(words.ADVERBS)}, "
                f"and the film is better for it."
            ),
            lambda: (
                f"Halfway through, a {r(words.NOUNS)} turns up in {r(words.PLACES)} "
                f"and {self.theme()} takes over."
            ),
            lambda: (
                f"{hero} {r(words.ADVERBS)} {r(words.VERBS)} the {r(words.NOUNS)}, "
                f"which is where the {r(words.ADJECTIVES)} part begins."
            ),
            lambda: (
                f"Think of it as {self.theme()} by way of {self.theme()}, with "
                f"{self.a(r(words.ADJECTIVES))} {r(words.NOUNS)} at its centre."
            ),
            lambda: (
                f"The score leans on {self.a(r(words.NOUNS))}, {r(words.ADJECTIVES)} "
                f"and {r(words.ADJECTIVES)}."
            ),
        )
        return self.rng.choice(shapes)()

    def paragraph(self, hero: str, low: int, high: int) -> str:
        return " ".join(self.sentence(hero) for _ in range(self.rng.randint(low, high)))

    def reason(self, hero: str, cast: list[tuple[str, str | None]]) -> str:
        r = self.pick
        shape = self.rng.random()
        if shape < 0.55:
            verb = r(("love", "want", "are in the mood for", "cannot resist", "enjoy"))
            kind = r(words.KINDS)
            headline = f"You {verb} {self.a(r(words.ADJECTIVES))} {self.theme()} {kind}"
        elif shape < 0.75:
            headline = f"You have a soft spot for {self.theme()} and {self.theme()}"
        elif shape < 0.9:
            actor = r(cast)[0]
            headline = f"You are a fan of {actor}"
        else:
            headline = f"You need a film where the {r(words.NOUNS)} is the real hero"
        return f"{headline}: {self.paragraph(hero, 1, 3)}"

    # --- one review ------------------------------------------------------------------------------

    def review(self) -> str:
        title, year = self.title_and_year()
        self.focus = self.rng.choices(self.popular, self.weights, k=FOCUS)
        r = self.pick
        more = 2 if self.rng.random() < 0.15 else 0  # a few reviewers write at length
        hero = r(words.FIRST_NAMES)
        directors = [self.person() for _ in range(1 if self.rng.random() < 0.9 else 2)]
        cast: list[tuple[str, str | None]] = [
            (self.person(), self.fresh_title() if self.rng.random() < 0.7 else None)
            for _ in range(self.rng.randint(3, 8))
        ]
        minutes = self.rng.randint(72, 178)
        tagline = f"{_title_case(r(words.ADJECTIVES))} {_title_case(r(words.NOUNS))}s"
        intro = (
            f"{directors[0]} made {self.a(r(words.ADJECTIVES))} {r(words.KINDS)} about "
            f"{self.theme()}, and hardly anyone noticed. " + self.paragraph(hero, 1, 3 + more)
        )
        synopsis = (
            f"{hero}, {self.a(r(words.ADJECTIVES))} {r(words.NOUNS)} from {r(words.PLACES)}, "
            f"{r(words.VERBS)} the {r(words.NOUNS)} of {self.person()}. "
            + self.paragraph(hero, 2, 4 + more)
        )
        really = (
            f"It is about {self.theme()} and {self.theme()}, and how {self.theme()} "
            f"outlasts {self.a(r(words.ADJECTIVES))} {r(words.NOUNS)}."
        )
        bullets = [f"  • {self.reason(hero, cast)}" for _ in range(self.rng.randint(3, 6 + more))]
        for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
            actor = r(cast)[0]
            bullets.insert(1, f"{hero} ({actor}) {r(words.VERBS)} the {r(words.NOUNS)}")
        scene = self.paragraph(hero, 3, 5 + more)
        hours, rest = divmod(minutes, 60)
        starring = ", ".join(f"{name} ({known})" if known else name for name, known in cast)
        credits = (
            f"{title} ({year}): Directed by {' and '.join(directors)}; "
            f"running-time {hours}h {rest}mins.; starring {starring}."
        )
        services = self.rng.sample(words.SERVICES, 2)
        where = self.rng.choice(
            (
                f"{title} is streaming on {services[0]} and can be rented on {services[1]}.",
                f"{title} is available on {services[0]}.",
                f"{title} is not streaming anywhere right now; try your library.",
            )
        )
        return (
            "\n\n".join(
                [
                    f"{title}: {tagline}",
                    intro,
                    f"What’s it about? {synopsis}",
                    f"What’s it really about? {really}",
                    "Pick if:\n\n" + "\n".join(bullets),
                    f"Most memorable scene:\n{scene}",
                    credits,
                    f"Where can I watch? {where}",
                ]
            )
            + "\n"
        )


def titles(size: int, seed: int) -> list[tuple[str, int]]:
    """``size`` (title, year) pairs as the generator picks them: remakes, near twins, accents."""
    writer = _Writer(seed)
    return [writer.title_and_year() for _ in range(size)]


def reviews(size: int, seed: int) -> Iterator[str]:
    """``size`` review texts, the same ones for the same seed."""
    writer = _Writer(seed)
    for _ in range(size):
        yield writer.review()


def ensure(size: int, seed: int, cache: Path) -> Catalog:
    """The cached catalog for ``size`` and ``seed``, generated first if it is not there."""
    folder = cache / f"catalog-{size}-seed{seed}-v{VERSION}"
    if not (folder / "complete").exists():
        if folder.exists():
            shutil.rmtree(folder)
        for number, text in enumerate(reviews(size, seed)):
            sub = folder / f"{number // PER_FOLDER:04d}"
            if number % PER_FOLDER == 0:
                sub.mkdir(parents=True)
            (sub / f"{number:06d}.txt").write_text(text, encoding="utf-8")
        (folder / "complete").write_text(f"{size}\n", encoding="utf-8")
    return Catalog(folder, size, seed)
