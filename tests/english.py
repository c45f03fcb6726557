"""Finding English left in an answer that should be in another language.

The English is what the catalogue template holds: every run of two words of a message,
never across a placeholder, a `code` span or a /command (those stay as they are in every
language). Runs a translation itself uses (names such as TMDB or Letterboxd) and runs of the
reviews shown (reviews keep their own language) do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from babel.messages.pofile import read_po

from bot import i18n
from bot.message import Message

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_VERBATIM = re.compile(r"\{[^{}]*\}|`[^`]*`|/[\w-]+(?: [\w-]+)?|<[^<>]*>|\[[^\]]*\]\([^)]*\)")
RUN = 2


def runs(text: str) -> set[tuple[str, ...]]:
    """Every two consecutive words of ``text``, lowercased, not across a verbatim part."""
    found: set[tuple[str, ...]] = set()
    for part in _VERBATIM.split(text):
        words = [word.lower() for word in _WORD.findall(part)]
        found.update(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))
    return found


def _texts(strings: object) -> tuple[str, ...]:
    return strings if isinstance(strings, tuple) else (str(strings),)


@cache
def english_runs(lang: str, reviews: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The runs of the English messages that ``lang``'s catalogue and the reviews never use."""
    with (i18n.LOCALES / f"{i18n.DOMAIN}.pot").open("rb") as source:
        english = set().union(*(runs(text) for m in read_po(source) for text in _texts(m.id)))
    with i18n.catalogue_path(lang).open("rb") as source:
        shared = set().union(*(runs(text) for m in read_po(source) for text in _texts(m.string)))
    for review in reviews:
        shared |= runs(review)
    return frozenset(english - shared)


def shown(message: Message) -> str:
    """Everything a member reads in a message."""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title, embed.description, embed.footer]
        parts += [text for f in embed.fields for text in (f.name, f.value)]
    parts += [button.label for row in message.buttons for button in row]
    if message.select is not None:
        parts.append(message.select.placeholder)
    return "\n".join(parts)


def english_in(texts: Iterable[str], lang: str, reviews: Iterable[str]) -> list[str]:
    """Each text that holds a run of an English message, with the run; ``reviews`` are the
    texts of the reviews the answers show."""
    english = english_runs(lang, tuple(reviews))
    return [
        f"{' '.join(sorted(found)[0])!r} in {text!r}"
        for text in texts
        if (found := runs(text) & english)
    ]
