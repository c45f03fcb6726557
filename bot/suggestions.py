"""Members put films forward for movie night, as plain calls: suggest, back, withdraw, list;
moderators remove, keep films out, approve or deny, and set the server's rules.

Rules kept here: a film has one live suggestion per server, which later suggesters back instead
of doubling it; a member may have a limited number of open suggestions of their own (backing
costs none); a film the server has seen, or a title the catalog lacks but resembles, is put
forward only after the member says so (a question whose answer is a button, kept in the store
for ten minutes); a film moderators keep out cannot be suggested. Each member action checks and
writes under one per-server lock, so two quick suggestions cannot pass the limit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from bot import cards, counts
from bot import suggestion_cards as scards
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.i18n import Texts
from bot.limits import CHOICE_TEXT, CHOICES, shorten
from bot.members import find_film
from bot.message import Message
from bot.moderation import require_moderator
from bot.schedule import next_night
from bot.store import StoredReview, TitleRow
from bot.store.suggestions import State, Suggestion, SuggestionSettings
from bot.text import fold, fold_spaces, title_key
from bot.titles import CHOICE_PREFIX
from bot.weekly_plan import resting, spec_of

ASK_LASTS = timedelta(minutes=10)
"""How long a question of /suggest ("suggest anyway?", "request it?") can be answered."""
PICK_PREFIX = "suggestion:"
"""Autocomplete values naming a suggestion by id."""


def _lock(guild_id: int) -> str:
    return f"suggestions {guild_id}"


# --- /suggest -------------------------------------------------------------------------------------


async def suggest(core: Core, caller: Caller, typed: str, note: str | None = None) -> Message:
    """Put a film forward, back the film's suggestion, or ask first (seen, or not in the
    catalog but like titles that are)."""
    note = fold_spaces(note) if note and note.strip() else None
    resolution = await core.titles.resolve(caller.guild_id, typed)
    film = None
    if resolution.found is not None:
        film = await core.store.get_visible(caller.guild_id, resolution.found.id)
    async with core.store.exclusive(_lock(caller.guild_id)):
        if film is not None:
            return await _suggest_film(core, caller, film, note)
        return await _suggest_request(core, caller, typed, note, resolution.candidates)


async def _suggest_film(
    core: Core, caller: Caller, film: StoredReview, note: str | None
) -> Message:
    store = core.store
    if await store.blocked(caller.guild_id, film.film_key):
        raise UserFacingError(scards.BLOCKED, film=cards.escape(cards.heading(film.review)))
    live = await store.live_suggestion(caller.guild_id, film.film_key)
    if live is not None:
        return await _back(core, caller, live)
    seen_on = await store.seen_on(caller.guild_id, film.film_key)
    if seen_on is not None:
        await _within_limit(core, caller)
        asking = await _add(core, caller, film.film_key, cards.heading(film.review), note, "asking")
        return scards.seen_question(asking, seen_on, caller.texts)
    return await _put_forward(core, caller, film.film_key, cards.heading(film.review), note)


async def _suggest_request(
    core: Core, caller: Caller, typed: str, note: str | None, candidates: Sequence[TitleRow]
) -> Message:
    title = fold_spaces(typed)
    if title.startswith(CHOICE_PREFIX) or not title_key(title):
        raise UserFacingError(cards.did_you_mean(typed, candidates, caller.texts).content)
    live = await core.store.live_request(caller.guild_id, title_key(title))
    if live is not None:
        return await _back(core, caller, live)
    if candidates:
        await _within_limit(core, caller)
        asking = await _add(core, caller, None, title, note, "asking")
        return scards.request_question(asking, candidates, caller.texts)
    return await _put_forward(core, caller, None, title, note)


async def _add(
    core: Core, caller: Caller, film_key: str | None, title: str, note: str | None, state: State
) -> Suggestion:
    return await core.store.add_suggestion(
        caller.guild_id,
        caller.user_id,
        film_key=film_key,
        title=title,
        title_key=title_key(title),
        note=note,
        state=state,
    )


async def _within_limit(core: Core, caller: Caller) -> tuple[SuggestionSettings, int]:
    """The server's rules and how many open suggestions the member has; refused at the limit."""
    settings = await core.store.suggestion_settings(caller.guild_id)
    own = await core.store.suggested_by(caller.guild_id, caller.user_id)
    if len(own) >= settings.limit:
        raise UserFacingError(scards.at_limit(settings, own, caller.texts))
    return settings, len(own)


async def _put_forward(
    core: Core,
    caller: Caller,
    film_key: str | None,
    title: str,
    note: str | None,
    *,
    asking: Suggestion | None = None,
) -> Message:
    settings, own = await _within_limit(core, caller)
    state: State = "pending" if settings.approval else "open"
    if asking is None:
        suggestion = await _add(core, caller, film_key, title, note, state)
    else:
        gone_on = await core.store.go_on(asking, state)
        if gone_on is None:
            raise UserFacingError(scards.ANSWERED)
        suggestion = gone_on
    return scards.suggested(suggestion, settings, own + 1, caller.texts)


async def _back(core: Core, caller: Caller, live: Suggestion) -> Message:
    if caller.user_id in live.backers:
        return scards.already_backing(live, caller.texts)
    await core.store.back(live.id, caller.user_id)
    return scards.backed(replace(live, backers=(*live.backers, caller.user_id)), caller.texts)


async def answer(core: Core, caller: Caller, suggestion_id: int, verb: str) -> Message:
    """A question's button: go on with the suggestion (or request) it asked about, or drop it."""
    store = core.store
    async with store.exclusive(_lock(caller.guild_id)), store.transaction():
        asking = await store.suggestion(suggestion_id)
        if asking is None or asking.guild_id != caller.guild_id:
            raise UserFacingError(scards.GONE)
        if asking.user_id != caller.user_id:
            raise UserFacingError(scards.NOT_YOURS)
        if asking.state != "asking":
            raise UserFacingError(scards.ANSWERED)
        if asking.created_at + ASK_LASTS <= core.clock():
            raise UserFacingError(scards.EXPIRED)
        if verb == "drop":
            await store.move_suggestion(asking.id, "withdrawn", by=caller.user_id, was=("asking",))
            return scards.dropped(caller.texts)
        if asking.film_key is not None and await store.blocked(caller.guild_id, asking.film_key):
            raise UserFacingError(scards.BLOCKED, film=cards.escape(asking.title))
        if asking.film_key is not None:
            live = await store.live_suggestion(caller.guild_id, asking.film_key)
        else:
            live = await store.live_request(caller.guild_id, title_key(asking.title))
        if live is not None:  # someone suggested it in the meantime
            await store.move_suggestion(asking.id, "merged", by=caller.user_id, was=("asking",))
            return await _back(core, caller, live)
        return await _put_forward(
            core, caller, asking.film_key, asking.title, asking.note, asking=asking
        )


# --- withdrawing, and the list --------------------------------------------------------------------


def _among(suggestions: Sequence[Suggestion], typed: str, what: str, t: Texts) -> Suggestion:
    """The suggestion a typed (or autocompleted) title means among ``suggestions`` (``what``
    they are, marked N_, says where it was looked for when none is)."""
    text = typed.strip()
    if text.startswith(PICK_PREFIX) and text[len(PICK_PREFIX) :].isdigit():
        wanted = int(text[len(PICK_PREFIX) :])
        found = [s for s in suggestions if s.id == wanted]
    else:
        folded = fold(text)
        found = [s for s in suggestions if fold(s.title) == folded]
        if not found:
            found = [s for s in suggestions if fold(s.title).startswith(folded + " ")]
    if len(found) == 1:
        return found[0]
    names = ", ".join(scards.name(s) for s in suggestions[:10])
    among = t.gettext(scards.NOT_AMONG if names else scards.NONE_AMONG)
    raise UserFacingError(among.format(typed=cards.escape(text), what=t.gettext(what), names=names))


def choices(suggestions: Sequence[Suggestion], typed: str) -> list[tuple[str, str]]:
    """Autocomplete over suggestions: (name shown, value sent back), best first."""
    folded = fold(typed)
    found = [s for s in suggestions if folded in fold(s.title)]
    return [(shorten(s.title, CHOICE_TEXT), f"{PICK_PREFIX}{s.id}") for s in found[:CHOICES]]


async def withdraw(core: Core, caller: Caller, typed: str) -> Message:
    """/unsuggest: a member takes back their suggestion, or their backing of someone's."""
    async with core.store.exclusive(_lock(caller.guild_id)):
        mine = await core.store.backed_by(caller.guild_id, caller.user_id)
        suggestion = _among(mine, typed, scards.YOURS, caller.texts)
        after = await core.store.unback(suggestion, caller.user_id)
    return scards.withdrawn(suggestion, after, caller.texts)


async def mine_choices(core: Core, caller: Caller, typed: str) -> list[tuple[str, str]]:
    return choices(await core.store.backed_by(caller.guild_id, caller.user_id), typed)


async def listing(core: Core, caller: Caller, page: int = 0) -> Message:
    """/suggestions: the open ones, films first (most backed, then oldest), then requests; a
    film resting after losing too often says until when."""
    open_ = await core.store.suggestions_in(caller.guild_id, "open")
    films = [s for s in open_ if not s.is_request]
    rest = {}
    schedule = await core.store.weekly_schedule(caller.guild_id)
    if schedule is not None and schedule.mode != "pick":
        week = next_night(spec_of(schedule), core.clock()).week
        losses = await core.store.losses(caller.guild_id, before_week=week)
        rest = resting(losses, week, after=schedule.rest_after, weeks=schedule.rest_weeks)
    requests = [s for s in open_ if s.is_request]
    return scards.listing([*films, *requests], page, rest, caller.texts)


# --- moderators ----------------------------------------------------------------------------------


async def live_choices(core: Core, caller: Caller, typed: str) -> list[tuple[str, str]]:
    if not caller.is_moderator:
        return []
    return choices(await core.store.suggestions_in(caller.guild_id, "pending", "open"), typed)


async def remove(core: Core, caller: Caller, typed: str) -> Message:
    require_moderator(caller)
    async with core.store.exclusive(_lock(caller.guild_id)):
        live = await core.store.suggestions_in(caller.guild_id, "pending", "open")
        suggestion = _among(live, typed, scards.THE_SERVERS, caller.texts)
        await core.store.move_suggestion(suggestion.id, "removed", by=caller.user_id)
    t = caller.texts
    removed = t.gettext(
        "Removed the suggestion of {film} ({backers}). `/suggestion block` keeps a film from "
        "being suggested again."
    )
    backers = counts.backers(len(suggestion.backers), t)
    return cards.notice(removed.format(film=scards.name(suggestion), backers=backers))


async def block(core: Core, caller: Caller, typed: str) -> Message:
    """Keep a film out of suggestions, taking down its live suggestion if it has one."""
    require_moderator(caller)
    film = await find_film(core, caller, typed)
    name, t = f"**{cards.escape(cards.heading(film.review))}**", caller.texts
    store = core.store
    async with store.exclusive(_lock(caller.guild_id)), store.transaction():
        if not await store.block_film(caller.guild_id, film.film_key, by=caller.user_id):
            return cards.notice(
                t.gettext("{film} is already kept out of suggestions.").format(film=name)
            )
        live = await store.live_suggestion(caller.guild_id, film.film_key)
        if live is not None:
            await store.move_suggestion(live.id, "removed", by=caller.user_id)
    if live is not None:
        kept = t.gettext(
            "Kept {film} out of suggestions. Its suggestion was taken down. "
            "`/suggestion unblock` lets it back in."
        )
    else:
        kept = t.gettext("Kept {film} out of suggestions. `/suggestion unblock` lets it back in.")
    return cards.notice(kept.format(film=name))


async def unblock(core: Core, caller: Caller, typed: str) -> Message:
    require_moderator(caller)
    film = await find_film(core, caller, typed)
    name, t = f"**{cards.escape(cards.heading(film.review))}**", caller.texts
    if not await core.store.unblock_film(caller.guild_id, film.film_key):
        return cards.notice(t.gettext("{film} is not kept out of suggestions.").format(film=name))
    return cards.notice(t.gettext("{film} can be suggested again.").format(film=name))


async def waiting(core: Core, caller: Caller) -> Message:
    """/suggestion queue: what waits for a moderator's Approve or Deny."""
    require_moderator(caller)
    return scards.queue(await core.store.suggestions_in(caller.guild_id, "pending"), t=caller.texts)


async def settle(core: Core, caller: Caller, suggestion_id: int, *, approve: bool) -> Message:
    """Approve or Deny pressed: settle the suggestion once, then show the queue as it is now."""
    require_moderator(caller)
    suggestion = await core.store.suggestion(suggestion_id)
    state: State = "open" if approve else "denied"
    if (
        suggestion is None
        or suggestion.guild_id != caller.guild_id
        or not await core.store.move_suggestion(
            suggestion_id, state, by=caller.user_id, was=("pending",)
        )
    ):
        raise UserFacingError(scards.NOT_PENDING)
    left, t = await core.store.suggestions_in(caller.guild_id, "pending"), caller.texts
    return scards.queue(left, done=scards.settled(suggestion, approve, t), t=t)


async def configure(
    core: Core, caller: Caller, *, limit: int | None, approval: bool | None
) -> Message:
    """/config suggestions: change what is given, then say how suggestions work here."""
    require_moderator(caller)
    settings = await core.store.suggestion_settings(caller.guild_id)
    settings = SuggestionSettings(
        limit if limit is not None else settings.limit,
        approval if approval is not None else settings.approval,
    )
    await core.store.set_suggestion_settings(caller.guild_id, settings)
    return scards.settings_card(settings, caller.texts)


# --- requests, for /review add -------------------------------------------------------------------


async def request_choices(core: Core, caller: Caller, typed: str) -> list[tuple[str, str]]:
    if not caller.is_moderator:
        return []
    live = await core.store.suggestions_in(caller.guild_id, "pending", "open")
    return choices([s for s in live if s.is_request], typed)


async def requested_title(core: Core, caller: Caller, typed: str) -> str:
    """The title of the request a moderator picked for /review add."""
    live = await core.store.suggestions_in(caller.guild_id, "pending", "open")
    requests = [s for s in live if s.is_request]
    return _among(requests, typed, scards.REQUESTS, caller.texts).title
