"""Where to watch in a server's country: /whereto watch's offers, and keeping /pickif and
/surprise to films on the server's services (``available:true``); the settings are in
:mod:`bot.watch_config`.

What is on where comes from JustWatch through TMDB and is kept for 24 hours (see
:mod:`bot.films`). ``available:true`` goes by what is kept: films whose availability is not
known yet are left out and asked about behind the answer, so a second try finds them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from bot import cards, film_cards
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.films import Later
from bot.i18n import ENGLISH, N_, Texts
from bot.message import Field, Message
from bot.regions import region_code, region_label
from bot.search import PickIfResult
from bot.store import CachedFilm, StoredReview

NO_REGION = N_(
    "This server has not said which country it watches in: a moderator sets it with "
    "`/config region` (e.g. `/config region region:DE`)."
)
NO_REGION_HERE = N_(
    "Ask for a country: `/whereto watch title:… region:DE`; or a moderator sets this server's "
    "with `/config region`."
)
NO_SERVICES = N_(
    "This server has not said which streaming services it has: a moderator names them with "
    "`/config services` (e.g. `/config services services:Netflix, Mubi`)."
)


def read_region(typed: str) -> str:
    """The ISO 3166-1 code of a typed country, or the reason it is not one."""
    code = region_code(typed)
    if code is None:
        raise UserFacingError(
            N_(
                "**{country}** is not a country I know: use its two-letter ISO 3166 code (DE, "
                "GB, US, …) or its English name, or pick one from the list."
            ),
            country=cards.escape(typed.strip()),
        )
    return code


async def services_of(core: Core, guild_id: int) -> tuple[str, tuple[str, ...]]:
    """The server's country and services, for available:true; how to set them if missing."""
    if not core.films.enabled:
        raise UserFacingError(
            N_("available:true needs film data, which is not switched on for this bot.")
        )
    region, services = await core.store.watch_settings(guild_id)
    if region is None:
        raise UserFacingError(NO_REGION)
    if not services:
        raise UserFacingError(NO_SERVICES)
    return region, services


# --- /whereto watch -------------------------------------------------------------------------------


async def where_to_watch(
    core: Core, caller: Caller, stored: StoredReview, typed_region: str | None
) -> Message:
    """The review's own sentence and its last check, and today's offers in the asked country
    (or the server's), from the cache; fetched behind the answer when that is old."""
    t = caller.texts
    if not core.films.enabled:
        return cards.where_card(stored, t)
    region, services = await core.store.watch_settings(caller.guild_id)
    region = read_region(typed_region) if typed_region else region

    def build(cached: CachedFilm) -> Message:
        message = film_cards.with_poster(cards.where_card(stored, t), cached)
        if region is None:
            here = Field(t.gettext("In your country"), t.gettext(NO_REGION_HERE))
            message.embeds[0].fields.append(here)
            return message
        return film_cards.with_offers(message, cached, region, services, t)

    review = stored.review
    return await core.films.answer(caller.guild_id, review.title, review.year, build, region=region)


# --- available:true -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Available:
    """Search results kept to the server's services, and those whose availability is unknown."""

    result: PickIfResult
    region: str
    services: tuple[str, ...]
    unknown: tuple[StoredReview, ...]

    def none(self, t: Texts = ENGLISH) -> Message:
        """The answer when no match is known to be on the server's services."""
        words = " ".join(word.typed for word in self.result.words)
        text = t.gettext(
            "None of the films matching **{words}** is known to be on {services} in {country}."
        ).format(
            words=cards.escape(words),
            services=cards.escape(", ".join(self.services)),
            country=region_label(self.region, t),
        )
        if unknown := len(self.unknown):
            asking = t.gettext("TMDB is being asked about {count} more: try again in a minute.")
            text += " " + asking.format(count=t.number(unknown))
        return cards.notice(text)


async def keep_available(
    core: Core, caller: Caller, result: PickIfResult, limit: int, guild_id: int | None = None
) -> Available:
    """The matches known to be on the server's services (at most ``limit``), in order."""
    guild = caller.guild_id if guild_id is None else guild_id
    region, services = await services_of(core, guild)
    keys = [match.stored.film_key for match in result.matches]
    on = await core.store.on_services(guild, keys, region, services)
    unknown = []
    for match in result.matches:
        if match.stored.film_key not in on:
            cached = await core.films.cached(guild, match.stored.film_key, region=region)
            if core.films.stale(cached, region=region):
                unknown.append(match.stored)
    kept = tuple(match for match in result.matches if match.stored.film_key in on)[:limit]
    return Available(replace(result, matches=kept), region, services, tuple(unknown))


def asking_behind(
    core: Core, available: Available, guild_id: int, then: Later | None
) -> Later | None:
    """A ``later`` step that first asks TMDB about the films whose availability is unknown
    (changing nothing on show), then does ``then``."""
    if not available.unknown:
        return then

    async def later() -> Message | None:
        await asyncio.gather(
            *(
                core.films.fetch(
                    guild_id, stored.review.title, stored.review.year, region=available.region
                )
                for stored in available.unknown
            )
        )
        return await then() if then is not None else None

    return later
