"""What film data adds to messages: posters, the TMDB score, trailer and links on cards, and
the choice of film a moderator links a review to.

Every function works on :mod:`bot.message` values. TMDB is named only where its data is shown
(its score, its links), in the card's small print, as its terms ask.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import cards
from bot.film_data import Candidate, FilmData, tmdb_page
from bot.message import Button, Message
from bot.store import CachedFilm, StoredReview

LINK_TEMPLATE = r"film:link:(?P<review>[0-9]{1,19}):(?P<tmdb>[0-9]{1,10})"
"""A candidate's button under /review link: the review and the TMDB film to link it to."""


def link_button_id(review_id: int, tmdb_id: int) -> str:
    return f"film:link:{review_id}:{tmdb_id}"


def _candidate_line(number: int, candidate: Candidate) -> str:
    also = (
        f" — originally *{cards.escape(candidate.original_title)}*"
        if candidate.original_title and candidate.original_title != candidate.title
        else ""
    )
    url = tmdb_page(candidate.tmdb_id)
    return f"{number}. [{cards.escape(candidate.label)}]({url}){also} · TMDB id {candidate.tmdb_id}"


def current_link(cached: CachedFilm) -> str:
    """How a film is linked now, in a sentence."""
    link = cached.link
    if link is None:
        return "It is not linked to a TMDB film yet."
    if link.tmdb_id is None:
        return "A search found no one film that is clearly it, so it is not linked."
    name = cards.escape(cached.film.label) if cached.film else f"TMDB id {link.tmdb_id}"
    who = f"chosen by <@{link.linked_by}>" if link.linked_by else "found by searching its title"
    return f"It is linked to [{name}]({tmdb_page(link.tmdb_id)}), {who}."


def link_choices(
    stored: StoredReview, candidates: Sequence[Candidate], cached: CachedFilm
) -> Message:
    """TMDB's films for a review's title, each with a button that links the review to it."""
    name = f"**{cards.escape(cards.heading(stored.review))}**"
    if not candidates:
        return cards.notice(
            f"TMDB finds no film called {name}. {current_link(cached)} If TMDB has it under "
            "another title, pass its id: `/review link title:... tmdb_id:...` (the number in "
            "its address on themoviedb.org)."
        )
    lines = "\n".join(_candidate_line(n, c) for n, c in enumerate(candidates, 1))
    buttons = [
        Button(link_button_id(stored.id, c.tmdb_id), f"{n} · {c.label}")
        for n, c in enumerate(candidates, 1)
    ]
    return Message(
        content=(
            f"Which film is {name}? {current_link(cached)} Choose one of TMDB's:\n{lines}\n"
            "Or pass another with `tmdb_id:`. The link is this server's: other servers keep "
            "theirs."
        ),
        buttons=[buttons[i : i + 5] for i in range(0, len(buttons), 5)],
        ephemeral=True,
    )


def linked(stored: StoredReview, film: FilmData) -> Message:
    name = f"**{cards.escape(cards.heading(stored.review))}**"
    return cards.notice(
        f"Linked {name} to [{cards.escape(film.label)}]({film.tmdb_url}) on TMDB for this "
        "server: its cards show that film's poster, score and trailer, and /whereto watch its "
        "availability."
    )
