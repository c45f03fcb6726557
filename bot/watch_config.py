"""A server's country and streaming services: /config region, /config services, and what
/config show says of them."""

from __future__ import annotations

import re

from bot import cards
from bot.core import Caller, Core
from bot.errors import UserFacingError
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
        raise UserFacingError(f"That is {len(services)} services; name at most {MAX_SERVICES}.")
    return services


async def set_region(core: Core, caller: Caller, typed: str | None) -> Message:
    """Choose (or, with None, clear) the country /whereto watch and available:true go by."""
    require_moderator(caller)
    require_film_data(core)
    code = read_region(typed) if typed else None
    await core.store.set_region(caller.guild_id, code)
    if code is None:
        return cards.notice("Cleared this server's country: /whereto watch asks for one.")
    return cards.notice(
        f"This server watches in **{region_label(code)}**: /whereto watch shows what is on "
        "there today."
    )


async def set_services(core: Core, caller: Caller, typed: str | None) -> Message:
    """Name (or, with None, clear) the streaming services the server has."""
    require_moderator(caller)
    require_film_data(core)
    services = read_services(typed) if typed else ()
    await core.store.set_services(caller.guild_id, services)
    if not services:
        return cards.notice("Cleared this server's streaming services.")
    return cards.notice(
        f"This server has **{cards.escape(', '.join(services))}**: `available:true` on /pickif "
        "and /surprise keeps to films on them."
    )


async def config_show(core: Core, caller: Caller) -> Message:
    """/config show, with the country and services when film data is on."""
    message = await catalog_settings(core, caller)
    if core.films.enabled:
        region, services = await core.store.watch_settings(caller.guild_id)
        message.embeds[0].fields.append(
            Field(
                "Where this server watches",
                f"Country: {region_label(region) if region else 'not set (/config region)'}\n"
                "Services: "
                + (cards.escape(", ".join(services)) if services else "none (/config services)"),
            )
        )
    return message
