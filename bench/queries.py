"""What members type, drawn from a seeded random stream: /pickif themes and title fragments,
and pages of title words pasted into a title option."""

from __future__ import annotations

import random
import string
from collections.abc import Sequence

from bench import words
from bot.store import TitleRow

FILLERS = ("something about", "a film about", "i want", "show me", "movies with")
MISSING = ("zeppelins", "quasars", "origami", "beekeeping", "lacrosse", "glaciology")
PASTED = 6000
"""Characters in a pasted page: Discord's own limit on an option's text."""


def typo(rng: random.Random, word: str) -> str:
    """One slip of the finger: a swap, a dropped, doubled or wrong letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    move = rng.randrange(4)
    if move == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if move == 1:
        return word[:i] + word[i + 1 :]
    if move == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]


def pickif_queries(rng: random.Random, count: int, moods: Sequence[str]) -> list[str]:
    """Theme words from the generator's pool, mood words, typos, filler and missing themes."""
    themes = [theme for theme in words.THEMES if " " not in theme]
    queries = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.45:
            query = " ".join(rng.sample(themes, rng.choice((1, 2, 2))))
        elif roll < 0.60:
            query = " ".join(rng.sample(themes, 3))
        elif roll < 0.75:
            query = f"{rng.choice(moods)} {rng.choice(themes)}"
        elif roll < 0.90:
            picked = rng.sample(themes, rng.choice((1, 2)))
            picked[0] = typo(rng, picked[0])
            query = " ".join(picked)
        elif roll < 0.96:
            query = f"{rng.choice(FILLERS)} {rng.choice(themes)}"
        else:
            query = rng.choice(MISSING)
        queries.append(query)
    return queries


def title_queries(rng: random.Random, count: int, rows: Sequence[TitleRow]) -> list[str]:
    """Prefixes as they are typed, typo'd titles, titles with a year, words from the middle."""
    queries = []
    for _ in range(count):
        row = rng.choice(rows)
        title = row.title if rng.random() < 0.3 else row.title.lower()
        roll = rng.random()
        if roll < 0.5:
            query = title[: rng.randint(1, len(title))]
        elif roll < 0.8:
            parts = title.split(" ")
            for _ in range(rng.choice((1, 1, 2))):
                k = rng.randrange(len(parts))
                parts[k] = typo(rng, parts[k])
            query = " ".join(parts)
        elif roll < 0.9 and row.year:
            query = f"{title} {row.year}"
        else:
            parts = title.split(" ")
            start = rng.randrange(len(parts))
            query = " ".join(parts[start : start + rng.choice((1, 2))])
        queries.append(query)
    return queries


def pasted(rng: random.Random, rows: Sequence[TitleRow], length: int = PASTED) -> str:
    """A page of catalog title words typed as one title: the most work a member can ask for."""
    pool = [word for row in rng.sample(rows, min(len(rows), 100)) for word in row.title.split()]
    page: list[str] = []
    size = 0
    while size < length:
        page.append(rng.choice(pool))
        size += len(page[-1]) + 1
    return " ".join(page)[:length]
