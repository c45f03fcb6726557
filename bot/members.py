"""What members can ask for, as plain calls: the cogs and the offline console share them.

Each action takes the :class:`~bot.core.Caller` and the command's options and returns the
:class:`~bot.message.Message` to send (or a :class:`Pager` for /pickif's browsable results).
Anything the member can fix raises :class:`~bot.errors.UserFacingError`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot import cards, counts, film_cards, i18n, watch
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.films import Later
from bot.i18n import N_, Texts
from bot.limits import CHOICE_TEXT, shorten
from bot.message import Message
from bot.review import MAX_TITLE
from bot.search import PickIfResult
from bot.store import CachedFilm, StoredReview
from bot.store.suggestions import Suggestion
from bot.text import clean
from bot.titles import CHOICE_PREFIX, TYPED, choice_id, label


class TitleNotFound(UserFacingError):
    """The typed title matched no film clearly; the reply lists the closest ones."""


async def find_film(core: Core, caller: Caller, typed: str) -> StoredReview:
    """The film a typed (or autocompleted) title means, in what this server sees."""
    if len(typed.strip()) > TYPED and choice_id(typed) is None:
        raise TitleNotFound(
            N_(
                "That is longer than any title: a title has at most {count} characters, and "
                "its year."
            ),
            count=MAX_TITLE,
        )
    resolution = await core.titles.resolve(caller.guild_id, typed)
    if resolution.found is not None:
        stored = await core.store.get_visible(caller.guild_id, resolution.found.id)
        if stored is not None:
            return stored
    raise TitleNotFound(cards.did_you_mean(typed, resolution.candidates, caller.texts).content)


PAGES_LAST = timedelta(minutes=5)
"""How long a member can page through /pickif's results and pick from them."""
EXPIRED = N_("These results have expired (they last five minutes): run `/pickif` again.")
NOT_YOURS = N_(
    "These buttons belong to the member who asked. Run the command yourself to get your own."
)
ALREADY_PICKED = N_("A film was already picked from these results.")
TONIGHT = N_("🍿 Tonight's pick:")
"""What the film picked from /pickif's results says, to everyone, in the server's language."""
STEPS = {"previous": -1, "next": 1}


class ResultsExpired(UserFacingError):
    """A click on /pickif results that are too old (or gone): the buttons should go too."""


@dataclass(slots=True)
class Pager:
    """/pickif results shown one card at a time; only ``owner_id`` may turn the pages.

    ``token`` names the result list in the store, where the page on show and the pick are kept,
    so the buttons answer in order and after a restart. Once a film is picked the pages lose
    their buttons.
    """

    result: PickIfResult
    token: str
    owner_id: int
    private: bool = False
    index: int = 0
    chosen: bool = False
    film: CachedFilm = field(default_factory=lambda: CachedFilm(None))  # the film on show
    later: Later | None = None  # fetching it when that is stale (see bot.films)
    locale: str | None = None

    def message(self) -> Message:
        token = None if self.chosen else self.token
        t = i18n.texts(self.locale)
        card = cards.match_card(self.result, self.index, token=token, t=t)
        message = film_cards.with_film(card, self.film, t=t)
        message.ephemeral = self.private
        message.later = self.later
        return message


async def _showing(core: Core, caller: Caller, pager: Pager) -> Pager:
    """The pager with the cached film data of the page on show, and the step that fetches it
    when that is stale (see :func:`still_showing` for putting it in place)."""
    review = pager.result.matches[pager.index].stored.review
    pager.film, refetch = await core.films.lookup(caller.guild_id, review.title, review.year)
    pager.later = None
    if refetch is not None:

        async def later() -> Message | None:
            fresh = await refetch()
            return replace(pager, film=fresh, later=None).message() if fresh else None

        pager.later = later
    return pager


async def still_showing(core: Core, token: str, index: int) -> bool:
    """Whether a result list still shows page ``index`` and can be picked from: a page's film
    data that came late goes in only then."""
    pages = await core.store.pages(token)
    return pages is not None and not pages.picked and pages.page == index


PAGES = 10
"""Films a /pickif result list holds."""
AVAILABLE_POOL = 50
"""Films searched for available:true, of which the first :data:`PAGES` on the server's
services are kept."""


async def _search(
    core: Core, caller: Caller, guild_id: int, themes: str, include_seen: bool, available: bool
) -> tuple[PickIfResult, watch.Available | None]:
    """/pickif's matches; with ``available``, only those on the server's services."""
    limit = AVAILABLE_POOL if available else PAGES
    result = await core.pickif.search(guild_id, themes, include_seen=include_seen, limit=limit)
    if not available or not result.matches:
        return result, None
    kept = await watch.keep_available(core, caller, result, PAGES, guild_id)
    return kept.result, kept


def _nothing(
    core: Core, caller: Caller, result: PickIfResult, kept: watch.Available | None
) -> Message:
    """No match: the themes the catalog has; or, kept to the server's services, why none is."""
    if kept is None:
        return cards.nothing_found(result, caller.texts)
    answer = kept.none(caller.texts)
    answer.later = watch.asking_behind(core, kept, caller.guild_id, None)
    return answer


async def pickif(
    core: Core,
    caller: Caller,
    themes: str,
    *,
    include_seen: bool = False,
    private: bool = False,
    available: bool = False,
) -> Pager | Message:
    themes = clean(themes)  # kept with the result list, so stored as any text is
    result, kept = await _search(core, caller, caller.guild_id, themes, include_seen, available)
    if not result.matches:
        return _nothing(core, caller, result, kept)
    token = await core.store.open_pages(
        caller.guild_id,
        caller.user_id,
        themes,
        include_seen=include_seen,
        private=private,
        available=available,
    )
    pager = await _showing(
        core, caller, Pager(result, token, caller.user_id, private, locale=caller.locale)
    )
    if kept is not None:
        pager.later = watch.asking_behind(core, kept, caller.guild_id, pager.later)
    return pager


async def _reopen(core: Core, caller: Caller, token: str) -> Pager:
    """The result list behind a button, searched again, on the page it shows; refused when it
    is not the caller's, has expired, or was picked from already."""
    pages = await core.store.pages(token)
    if pages is None or pages.created_at + PAGES_LAST <= core.clock():
        raise ResultsExpired(EXPIRED)
    if pages.owner_id != caller.user_id:
        raise UserFacingError(NOT_YOURS)
    if pages.picked:
        raise UserFacingError(ALREADY_PICKED)
    result, _ = await _search(
        core, caller, pages.guild_id, pages.themes, pages.include_seen, pages.available
    )
    if not result.matches:  # the catalog (or what is on the server's services) changed since
        raise ResultsExpired(EXPIRED)
    index = min(pages.page, len(result.matches) - 1)
    return Pager(result, token, pages.owner_id, pages.private, index, locale=caller.locale)


async def turn_page(core: Core, caller: Caller, token: str, verb: str) -> tuple[Message, int]:
    """Previous or Next pressed: the page after (or before) the one on show, and its index."""
    pager = await _reopen(core, caller, token)
    pager.index = max(0, min(len(pager.result.matches) - 1, pager.index + STEPS[verb]))
    await core.store.show_page(token, pager.index)
    return (await _showing(core, caller, pager)).message(), pager.index


async def pick(core: Core, caller: Caller, token: str) -> tuple[Message, Message]:
    """Pick this pressed: the page without its buttons, and the film's card for everyone."""
    pager = await _reopen(core, caller, token)
    if not await core.store.pick_from_pages(token):
        raise UserFacingError(ALREADY_PICKED)
    pager.chosen = True
    await _showing(core, caller, pager)  # the page keeps its poster; a late one is not wanted
    stored = pager.result.matches[pager.index].stored
    t = caller.server_texts
    card = await film_card(core, caller, stored, t.gettext(TONIGHT), t=t)
    return pager.message(), card


async def film_card(
    core: Core,
    caller: Caller,
    stored: StoredReview,
    content: str = "",
    suggestion: Suggestion | None = None,
    *,
    t: Texts | None = None,
) -> Message:
    """The full card with its poster, score and links from the cache (fetched later if stale),
    and who suggested the film for movie night, when someone did; in ``t``'s language (the
    member's unless given)."""
    t = t or caller.texts

    def build(cached: CachedFilm) -> Message:
        card = cards.film_card(stored, suggestion, t=t)
        card = film_cards.with_film(card, cached, large=True, t=t)
        card.content = content
        return card

    review = stored.review
    return await core.films.answer(caller.guild_id, review.title, review.year, build)


async def movie(core: Core, caller: Caller, title: str) -> Message:
    """The film's card, saying who suggested it for movie night if someone did."""
    film = await find_film(core, caller, title)
    suggestion = await core.store.open_suggestion(caller.guild_id, film.film_key)
    return await film_card(core, caller, film, suggestion=suggestion)


async def where_to_watch(
    core: Core, caller: Caller, title: str, region: str | None = None
) -> Message:
    return await watch.where_to_watch(core, caller, await find_film(core, caller, title), region)


async def surprise(
    core: Core, caller: Caller, themes: str | None = None, available: bool = False
) -> Message:
    """A random film this server has not seen, among those matching ``themes`` if given (and
    on its services, with ``available``)."""
    kept = None
    if themes and themes.strip():
        result, kept = await _search(core, caller, caller.guild_id, themes, False, available)
        if not result.matches:
            return _nothing(core, caller, result, kept)
        film = random.choice(result.matches).stored
    else:
        found = await _random_unseen(core, caller, available)
        if found is None:
            return cards.notice(caller.texts.gettext(SEEN_ON_SERVICES if available else SEEN_ALL))
        film = found
    surprised = caller.texts.gettext("🎲 Your surprise film:")
    card = await film_card(core, caller, film, surprised)
    if kept is not None:
        card.later = watch.asking_behind(core, kept, caller.guild_id, card.later)
    return card


SEEN_ALL = N_(
    "This server has seen every film in the catalog. Add more with `/review add`, or take one "
    "off the seen list with `/seen remove`."
)
SEEN_ON_SERVICES = N_(
    "This server has seen every film in the catalog that is known to be on its services. Add "
    "more with `/review add`, or take one off the seen list with `/seen remove`."
)


async def _random_unseen(core: Core, caller: Caller, available: bool) -> StoredReview | None:
    if not available:
        return await core.store.random_visible(caller.guild_id, exclude_seen=True)
    region, services = await watch.services_of(core, caller.guild_id)
    return await core.store.random_on_services(caller.guild_id, region, services)


async def seen_add(core: Core, caller: Caller, title: str) -> Message:
    stored = await find_film(core, caller, title)
    added = await core.store.mark_seen(caller.guild_id, stored.film_key, by=caller.user_id)
    name, t = cards.escape(cards.heading(stored.review)), caller.texts
    if not added:
        return cards.notice(
            t.gettext("**{film}** is already on this server's seen list.").format(film=name)
        )
    marked = t.gettext("Marked **{film}** as seen. /pickif and /surprise will leave it out.")
    return cards.notice(marked.format(film=name), ephemeral=False)


async def seen_remove(core: Core, caller: Caller, title: str) -> Message:
    stored = await find_film(core, caller, title)
    name, t = cards.escape(cards.heading(stored.review)), caller.texts
    if not await core.store.unmark_seen(caller.guild_id, stored.film_key):
        return cards.notice(
            t.gettext("**{film}** is not on this server's seen list.").format(film=name)
        )
    took = t.gettext("Took **{film}** off the seen list.").format(film=name)
    return cards.notice(took, ephemeral=False)


async def seen_list(core: Core, caller: Caller) -> Message:
    rows = await core.store.seen(caller.guild_id)
    t = caller.texts
    return cards.film_list(
        t.gettext("Seen together"),
        [f"• {cards.escape(cards.heading(s.review))} — {t.day(when)}" for s, when in rows],
        empty=t.gettext("This server has not marked any film as seen yet. Use `/seen add`."),
        footer=counts.films(len(rows), t),
        t=t,
    )


def _said(caller: Caller, stored: StoredReview, message: str) -> Message:
    """A short answer naming the film, in the member's language (``message`` marked N_)."""
    name = cards.escape(cards.heading(stored.review))
    return cards.notice(caller.texts.gettext(message).format(film=name))


async def watchlist_add(core: Core, caller: Caller, title: str) -> Message:
    stored = await find_film(core, caller, title)
    added = await core.store.add_to_watchlist(caller.guild_id, caller.user_id, stored.film_key)
    if added:
        return _said(caller, stored, N_("Added **{film}** to your watchlist."))
    return _said(caller, stored, N_("**{film}** is already on it."))


async def watchlist_remove(core: Core, caller: Caller, title: str) -> Message:
    stored = await find_film(core, caller, title)
    if await core.store.remove_from_watchlist(caller.user_id, stored.film_key):
        return _said(caller, stored, N_("Removed **{film}** from your watchlist."))
    return _said(caller, stored, N_("**{film}** is not on it."))


async def watchlist_show(core: Core, caller: Caller) -> Message:
    films = await core.store.watchlist(caller.user_id)
    t = caller.texts
    message = cards.film_list(
        t.gettext("Your watchlist"),
        [f"• {cards.escape(cards.heading(s.review))}" for s in films],
        empty=t.gettext("Your watchlist is empty. Add a film with `/watchlist add`."),
        footer=counts.films(len(films), t),
        t=t,
    )
    message.ephemeral = True
    return message


async def film_in_message(core: Core, caller: Caller, text: str) -> Message:
    """The "Find this film" menu on a chat message: the card of the film it names, or the
    closest few to choose from; only the member who asked sees it."""
    resolution = await core.titles.named_in(caller.guild_id, text)
    found, t = resolution.found, caller.texts
    stored = found and await core.store.get_visible(caller.guild_id, found.id)
    if stored:
        message = cards.film_card(stored, t=t)
    elif resolution.candidates:
        names = "\n".join(f"• {cards.escape(label(row))}" for row in resolution.candidates)
        ask = t.gettext("I'm not sure which film that message means. The closest, for `/movie`:")
        message = cards.notice(f"{ask}\n{names}")
    else:
        message = cards.notice(t.gettext("That message names no film in the catalog."))
    message.ephemeral = True
    return message


async def title_choices(core: Core, caller: Caller, typed: str) -> list[tuple[str, str]]:
    """Autocomplete: (name shown, value sent back) pairs, at most 25, best first."""
    rows = await core.titles.suggest(caller.guild_id, typed)
    return [(shorten(label(row), CHOICE_TEXT), f"{CHOICE_PREFIX}{row.id}") for row in rows]
