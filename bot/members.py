"""What members can ask for, as plain calls: the cogs and the offline console share them.

Each action takes the :class:`~bot.core.Caller` and the command's options and returns the
:class:`~bot.message.Message` to send (or a :class:`Pager` for /pickif's browsable results).
Anything the member can fix raises :class:`~bot.errors.UserFacingError`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from bot import cards, i18n
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.i18n import N_
from bot.limits import CHOICE_TEXT, shorten
from bot.message import Message
from bot.review import MAX_TITLE
from bot.search import PickIfResult
from bot.store import StoredReview
from bot.text import clean
from bot.titles import CHOICE_PREFIX, TYPED, choice_id, label


class TitleNotFound(UserFacingError):
    """The typed title matched no film clearly; the reply lists the closest ones."""


async def find_film(core: Core, caller: Caller, typed: str) -> StoredReview:
    """The film a typed (or autocompleted) title means, in what this server sees."""
    if len(typed.strip()) > TYPED and choice_id(typed) is None:
        raise TitleNotFound(
            f"That is longer than any title: a title has at most {MAX_TITLE} characters,"
            " and its year."
        )
    resolution = await core.titles.resolve(caller.guild_id, typed)
    if resolution.found is not None:
        stored = await core.store.get_visible(caller.guild_id, resolution.found.id)
        if stored is not None:
            return stored
    t = i18n.texts(caller.locale)
    raise TitleNotFound(cards.did_you_mean(typed, resolution.candidates, t).content)


PAGES_LAST = timedelta(minutes=5)
"""How long a member can page through /pickif's results and pick from them."""
EXPIRED = "These results have expired (they last five minutes): run `/pickif` again."
NOT_YOURS = (
    "These buttons belong to the member who asked. Run the command yourself to get your own."
)
ALREADY_PICKED = "A film was already picked from these results."
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
    locale: str | None = None

    def message(self) -> Message:
        token = None if self.chosen else self.token
        t = i18n.texts(self.locale)
        message = cards.match_card(self.result, self.index, token=token, t=t)
        message.ephemeral = self.private
        return message


async def pickif(
    core: Core, caller: Caller, themes: str, *, include_seen: bool = False, private: bool = False
) -> Pager | Message:
    themes = clean(themes)  # kept with the result list, so stored as any text is
    result = await core.pickif.search(caller.guild_id, themes, include_seen=include_seen)
    if not result.matches:
        return cards.nothing_found(result)
    token = await core.store.open_pages(
        caller.guild_id, caller.user_id, themes, include_seen=include_seen, private=private
    )
    return Pager(result, token, caller.user_id, private, locale=caller.locale)


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
    result = await core.pickif.search(pages.guild_id, pages.themes, include_seen=pages.include_seen)
    if not result.matches:  # the catalog changed since
        raise ResultsExpired(EXPIRED)
    index = min(pages.page, len(result.matches) - 1)
    return Pager(result, token, pages.owner_id, pages.private, index, locale=caller.locale)


async def turn_page(core: Core, caller: Caller, token: str, verb: str) -> Message:
    """Previous or Next pressed: the page after (or before) the one on show."""
    pager = await _reopen(core, caller, token)
    pager.index = max(0, min(len(pager.result.matches) - 1, pager.index + STEPS[verb]))
    await core.store.show_page(token, pager.index)
    return pager.message()


async def pick(core: Core, caller: Caller, token: str) -> tuple[Message, Message]:
    """Pick this pressed: the page without its buttons, and the film's card for everyone."""
    pager = await _reopen(core, caller, token)
    if not await core.store.pick_from_pages(token):
        raise UserFacingError(ALREADY_PICKED)
    pager.chosen = True
    card = cards.film_card(pager.result.matches[pager.index].stored)
    card.content = "🍿 Tonight's pick:"
    return pager.message(), card


async def movie(core: Core, caller: Caller, title: str) -> Message:
    """The film's card, saying who suggested it for movie night if someone did."""
    film = await find_film(core, caller, title)
    suggestion = await core.store.open_suggestion(caller.guild_id, film.film_key)
    return cards.film_card(film, suggestion, t=i18n.texts(caller.locale))


async def where_to_watch(core: Core, caller: Caller, title: str) -> Message:
    return cards.where_card(await find_film(core, caller, title), i18n.texts(caller.locale))


async def surprise(core: Core, caller: Caller, themes: str | None = None) -> Message:
    """A random film this server has not seen, among those matching ``themes`` if given."""
    t = i18n.texts(caller.locale)
    if themes and themes.strip():
        result = await core.pickif.search(caller.guild_id, themes, limit=25)
        if not result.matches:
            return cards.nothing_found(result)
        film = random.choice(result.matches).stored
    else:
        found = await core.store.random_visible(caller.guild_id, exclude_seen=True)
        if found is None:
            return cards.notice(
                t.gettext(
                    "This server has seen every film in the catalog. Add more with `/review add`,"
                    " or take one off the seen list with `/seen remove`."
                )
            )
        film = found
    message = cards.film_card(film, t=t)
    message.content = t.gettext("🎲 Your surprise film:")
    return message


async def seen_add(core: Core, caller: Caller, title: str) -> Message:
    stored = await find_film(core, caller, title)
    added = await core.store.mark_seen(caller.guild_id, stored.film_key, by=caller.user_id)
    name, t = cards.escape(cards.heading(stored.review)), i18n.texts(caller.locale)
    if not added:
        return cards.notice(
            t.gettext("**{film}** is already on this server's seen list.").format(film=name)
        )
    marked = t.gettext("Marked **{film}** as seen. /pickif and /surprise will leave it out.")
    return cards.notice(marked.format(film=name), ephemeral=False)


async def seen_remove(core: Core, caller: Caller, title: str) -> Message:
    stored = await find_film(core, caller, title)
    name, t = cards.escape(cards.heading(stored.review)), i18n.texts(caller.locale)
    if not await core.store.unmark_seen(caller.guild_id, stored.film_key):
        return cards.notice(
            t.gettext("**{film}** is not on this server's seen list.").format(film=name)
        )
    took = t.gettext("Took **{film}** off the seen list.").format(film=name)
    return cards.notice(took, ephemeral=False)


async def seen_list(core: Core, caller: Caller) -> Message:
    rows = await core.store.seen(caller.guild_id)
    t = i18n.texts(caller.locale)
    day = (lambda when: when.strftime("%Y-%m-%d")) if t.lang is None else t.date
    return cards.film_list(
        t.gettext("Seen together"),
        [f"• {cards.escape(cards.heading(s.review))} — {day(when)}" for s, when in rows],
        empty=t.gettext("This server has not marked any film as seen yet. Use `/seen add`."),
        footer=t.ngettext("{count} film", "{count} films", len(rows)).format(
            count=t.number(len(rows))
        ),
    )


def _said(caller: Caller, stored: StoredReview, message: str) -> Message:
    """A short answer naming the film, in the member's language (``message`` marked N_)."""
    name = cards.escape(cards.heading(stored.review))
    return cards.notice(i18n.texts(caller.locale).gettext(message).format(film=name))


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
    t = i18n.texts(caller.locale)
    count = t.ngettext("{count} film", "{count} films", len(films))
    message = cards.film_list(
        t.gettext("Your watchlist"),
        [f"• {cards.escape(cards.heading(s.review))}" for s in films],
        empty=t.gettext("Your watchlist is empty. Add a film with `/watchlist add`."),
        footer=count.format(count=t.number(len(films))),
    )
    message.ephemeral = True
    return message


async def film_in_message(core: Core, caller: Caller, text: str) -> Message:
    """The "Find this film" menu on a chat message: the card of the film it names, or the
    closest few to choose from; only the member who asked sees it."""
    resolution = await core.titles.named_in(caller.guild_id, text)
    found, t = resolution.found, i18n.texts(caller.locale)
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
