"""A server's country and streaming services: /config region, /config services, and what
/config show says of them."""

from __future__ import annotations

import re

from bot import cards
from bot.core import Caller, Core
from bot.errors import UserFacingError
from bot.i18n import N_
from bot.linking import require_film_data
from bot.message import Field, Message
from bot.moderation import config_show as catalog_settings
from bot.moderation import require_moderator
from bot.regions import region_label
from bot.services import normalise_services
from bot.text import fold_spaces
from bot.watch import read_region

MAX_SERVICES = 20
_LIST = re.compile(r"\s*(?:,|;|\n|\band\b|&)\s*", re.IGNORECASE)


def read_services(typed: str) -> tuple[str, ...]:
    """Services from a typed list ("Netflix, Mubi and Kanopy"): each known one by its usual
    name, any other as typed."""
    found: dict[str, None] = {}
    for part in _LIST.split(typed):
        if name := fold_spaces(part):
            for service in normalise_services(name) or (name,):
                found.setdefault(service, None)
    services = tuple(found)
    if len(services) > MAX_SERVICES:
        raise UserFacingError(
            N_("That is {count} services; name at most {limit}."),
            count=len(services),
            limit=MAX_SERVICES,
        )
    return services


async def set_region(core: Core, caller: Caller, typed: str | None) -> Message:
    """Choose (or, with None, clear) the country /whereto watch and available:true go by."""
    require_moderator(caller)
    require_film_data(core)
    code, t = read_region(typed) if typed else None, caller.texts
    await core.store.set_region(caller.guild_id, code)
    if code is None:
        return cards.notice(
            t.gettext("Cleared this server's country: /whereto watch asks for one.")
        )
    watches = t.gettext(
        "This server watches in **{country}**: /whereto watch shows what is on there today."
    )
    return cards.notice(watches.format(country=region_label(code, t)))


async def set_services(core: Core, caller: Caller, typed: str | None) -> Message:
    """Name (or, with None, clear) the streaming services the server has."""
    require_moderator(caller)
    require_film_data(core)
    services, t = read_services(typed) if typed else (), caller.texts
    await core.store.set_services(caller.guild_id, services)
    if not services:
        return cards.notice(t.gettext("Cleared this server's streaming services."))
    has = t.gettext(
        "This server has **{services}**: `available:true` on /pickif and /surprise keeps to "
        "films on them."
    )
    return cards.notice(has.format(services=cards.escape(", ".join(services))))


async def config_show(core: Core, caller: Caller) -> Message:
    """/config show, with the country and services when film data is on."""
    message, t = await catalog_settings(core, caller), caller.texts
    if core.films.enabled:
        region, services = await core.store.watch_settings(caller.guild_id)
        country = region_label(region, t) if region else t.gettext("not set (/config region)")
        names = (
            cards.escape(", ".join(services)) if services else t.gettext("none (/config services)")
        )
        where = t.gettext("Country: {country}\nServices: {services}")
        message.embeds[0].fields.append(
            Field(
                t.gettext("Where this server watches"),
                where.format(country=country, services=names),
            )
        )
    return message
