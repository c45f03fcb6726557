"""/review link: a moderator says which TMDB film a review is, by its id or from a search.

A search links most films by itself (see :mod:`bot.films`); this is for the rest, and for a
wrong guess. The choice holds for the moderator's server. Unlike a member's card, a moderator
asking TMDB directly is told when TMDB cannot answer, and that nothing changed.
"""

from __future__ import annotations

from bot import film_cards
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.films import candidates_for
from bot.i18n import N_
from bot.message import Message
from bot.moderation import find_moderated_film, require_moderator
from bot.store import StoredReview
from bot.tmdb import TmdbError, TmdbNotFound

UNREACHABLE = N_("TMDB could not be reached just now, so nothing changed. Try again in a minute.")
NO_KEY = N_("Film data is not switched on for this bot: its host has set no TMDB key.")


def require_film_data(core: Core) -> None:
    if not core.films.enabled:
        raise UserFacingError(NO_KEY)


async def link(core: Core, caller: Caller, typed: str, tmdb_id: int | None = None) -> Message:
    """Link a review to the TMDB film ``tmdb_id``, or offer TMDB's films for its title."""
    require_moderator(caller)
    require_film_data(core)
    stored = await find_moderated_film(core, caller, typed)
    if tmdb_id is not None:
        return await _chosen(core, caller, stored, tmdb_id)
    try:
        found = await core.films.search(stored.review.title, stored.review.year)
    except TmdbError:
        raise UserFacingError(UNREACHABLE) from None
    cached = await core.films.cached(caller.guild_id, stored.film_key)
    choices = candidates_for(stored.review.title, found)
    return film_cards.link_choices(stored, choices, cached, caller.texts)


async def link_chosen(core: Core, caller: Caller, review_id: int, tmdb_id: int) -> Message:
    """A candidate's button was pressed."""
    require_moderator(caller)
    require_film_data(core)
    stored = await core.store.get_visible(caller.guild_id, review_id)
    if stored is None:
        raise UserFacingError(N_("That review is no longer in this server's catalog."))
    return await _chosen(core, caller, stored, tmdb_id)


async def _chosen(core: Core, caller: Caller, stored: StoredReview, tmdb_id: int) -> Message:
    try:
        film = await core.films.choose(caller.guild_id, stored.film_key, tmdb_id, by=caller.user_id)
    except TmdbNotFound:
        raise UserFacingError(
            N_(
                "TMDB has no film with the id {id}; nothing changed. The id is the number in the "
                "film's address on themoviedb.org."
            ),
            id=tmdb_id,
        ) from None
    except TmdbError:
        raise UserFacingError(UNREACHABLE) from None
    return film_cards.linked(stored, film, caller.texts)
