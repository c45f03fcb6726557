"""The club's memory as plain calls: /history pages through past movie nights, /stats sums up
the server's year (in its own time zone, when it has a schedule) in words and in a chart."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from bot import cards, charts
from bot import history_cards as hcards
from bot.core import Caller, Core
from bot.message import Message

TOP = 5


async def history(core: Core, caller: Caller, page: int = 0) -> Message:
    total = await core.store.night_count(caller.guild_id)
    page = max(0, min(page, cards.pages(total, hcards.PAGE_SIZE) - 1))
    nights = await core.store.nights(
        caller.guild_id, limit=hcards.PAGE_SIZE, offset=page * hcards.PAGE_SIZE
    )
    return hcards.history_page(nights, page, total, caller.texts)


async def stats(core: Core, caller: Caller) -> Message:
    """The year so far: nights held, films per month, the most-backed films not yet watched and
    the top suggesters; the chart is drawn off the event loop."""
    schedule = await core.store.weekly_schedule(caller.guild_id)
    zone = ZoneInfo(schedule.zone if schedule else "UTC")
    year = core.clock().astimezone(zone).year
    figures = await core.store.year_figures(caller.guild_id, year, top=TOP)
    seen = await core.store.seen_keys(caller.guild_id)
    backed = [
        s
        for s in await core.store.suggestions_in(caller.guild_id, "open")
        if s.film_key is not None and s.film_key not in seen
    ][:TOP]
    most = [(s.title, len(s.backers)) for s in backed]
    chart = await asyncio.to_thread(charts.year_chart, year, figures.per_month, most, caller.texts)
    return hcards.stats_card(figures, backed, chart, caller.texts)
