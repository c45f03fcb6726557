"""When movie night is, and when its post goes out: pure time arithmetic in a server's zone.

A weekly movie night is a weekday and a wall-clock time in an IANA time zone, so a Friday 19:00
stays 19:00 local across daylight-saving changes. On a change day that wall time may not exist
(the clocks jump over it: movie night starts as far after the jump as it was meant to be after
the hour, so 02:30 becomes 03:30) or may happen twice (the clocks fall back: the first one
counts). The post goes out ``lead`` before movie night, in real hours. A night is known by its
*week key*, the local date it falls on.

Nothing here reads a clock: every function takes the moment it reasons about, so tests can run
any date, zone and daylight-saving change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from bot.errors import UserFacingError
from bot.i18n import N_
from bot.text import clean


class Weekday(IntEnum):
    """Days as Python numbers them (``date.weekday()``); the names are what members pick from."""

    Monday = 0
    Tuesday = 1
    Wednesday = 2
    Thursday = 3
    Friday = 4
    Saturday = 5
    Sunday = 6


@dataclass(frozen=True, slots=True)
class WeeklyTime:
    """Movie night every ``weekday`` at ``at`` in ``zone``; posted ``lead`` before it."""

    weekday: int
    at: time
    zone: ZoneInfo
    lead: timedelta


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One movie night: when it starts and when its post goes out (both aware, in UTC)."""

    night: datetime
    post_at: datetime
    week: str  # the local date of the night, ISO format: the key of that week's post


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant (in UTC) the wall time ``at`` happens on ``day`` in ``zone``.

    A time skipped by a spring-forward change is read with the offset from before the change,
    which lands as far after the jump as it was meant to be after the hour; a time that happens
    twice is the first of the two (``fold=0``).
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def occurrence(spec: WeeklyTime, day: date) -> Occurrence:
    night = local_moment(day, spec.at, spec.zone)
    return Occurrence(night=night, post_at=night - spec.lead, week=day.isoformat())


def _occurrences_from(spec: WeeklyTime, day: date) -> Iterator[Occurrence]:
    """Every movie night from the first scheduled weekday on or after ``day``, in order."""
    day += timedelta(days=(spec.weekday - day.weekday()) % 7)
    while True:
        yield occurrence(spec, day)
        day += timedelta(weeks=1)


def _start(spec: WeeklyTime, moment: datetime) -> date:
    """A local date safely before any night whose post could be due around ``moment``."""
    return moment.astimezone(spec.zone).date() - timedelta(days=spec.lead.days + 9)


def next_post(spec: WeeklyTime, after: datetime) -> Occurrence:
    """The first movie night whose post goes out strictly after ``after``."""
    return next(o for o in _occurrences_from(spec, _start(spec, after)) if o.post_at > after)


def next_night(spec: WeeklyTime, after: datetime) -> Occurrence:
    """The first movie night that starts strictly after ``after``."""
    return next(o for o in _occurrences_from(spec, _start(spec, after)) if o.night > after)


def latest_due(spec: WeeklyTime, now: datetime) -> Occurrence:
    """The last movie night whose post time is ``now`` or earlier."""
    found = _occurrences_from(spec, _start(spec, now))
    latest = next(found)  # _start reaches back far enough that this post time has passed
    while (later := next(found)).post_at <= now:
        latest = later
    return latest


# --- reading what moderators type ------------------------------------------------------------

_TIME = re.compile(r"\s*(\d{1,2})\s*[:.h]\s*(\d{2})\s*")


def _shown(text: str) -> str:
    """Typed text quoted back safely: no backticks, nothing unsendable, and not too long."""
    return clean(text).strip().replace("`", "'")[:40] or " "


def parse_time(text: str) -> time:
    """A wall-clock time from "HH:MM" (24-hour; "7:30", "19.30" and "19h30" are read too)."""
    found = _TIME.fullmatch(text)
    if not found:
        raise UserFacingError(
            N_("`{typed}` is not a time. Write it as HH:MM on a 24-hour clock, e.g. `19:30`."),
            typed=_shown(text),
        )
    hours, minutes = int(found[1]), int(found[2])
    if hours > 23 or minutes > 59:
        raise UserFacingError(
            N_(
                "`{typed}` is not a time of day: hours go from 00 to 23 and minutes from 00 to "
                "59, e.g. `19:30`."
            ),
            typed=_shown(text),
        )
    return time(hours, minutes)


_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Helsinki",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this system knows, sorted, without the system's own aliases."""
    return tuple(
        sorted(
            name
            for name in available_timezones()
            if name not in _NOT_PLACES and not name.startswith(("posix/", "right/"))
        )
    )


def _normal(text: str) -> str:
    return "_".join(text.strip().lower().split())


@cache
def _by_normal_name() -> dict[str, str]:
    return {_normal(name): name for name in zone_names()}


def zone_suggestions(typed: str, limit: int = 25) -> list[str]:
    """Zone names for autocomplete, best first: names containing what was typed, then near ones.

    Spaces count as underscores ("new york" finds America/New_York); nothing typed gives the
    zones most servers use.
    """
    query = _normal(typed)
    names = zone_names()
    if not query:
        known = set(names)
        return [name for name in COMMON_ZONES if name in known][:limit]
    containing = [name for name in names if query in name.lower()]
    containing.sort(key=lambda name: (not name.lower().rsplit("/", 1)[-1].startswith(query), name))
    found = containing[:limit]
    if len(found) < limit:
        whole = "/" in query  # a typed region compares with whole names, else with the place
        near = process.extract(
            query,
            names,
            scorer=fuzz.ratio,
            processor=lambda name: name.lower() if whole else name.lower().rsplit("/", 1)[-1],
            limit=limit,
            score_cutoff=70,
        )
        found += [name for name, _, _ in near if name not in found][: limit - len(found)]
    return found


def parse_zone(text: str) -> ZoneInfo:
    """An IANA time zone by name (any case; spaces for underscores), or a clear refusal."""
    name = _by_normal_name().get(_normal(text))
    if name is not None:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):  # listed by the system but unreadable
            pass
    near = zone_suggestions(text, limit=3) if text.strip() else []
    if near:
        raise UserFacingError(
            N_(
                "`{typed}` is not a time zone I know. Use an IANA name such as `Europe/Berlin` "
                "or `America/New_York` (the list offers them as you type). Did you mean {near}?"
            ),
            typed=_shown(text),
            near=", ".join(f"`{name}`" for name in near),
        )
    raise UserFacingError(
        N_(
            "`{typed}` is not a time zone I know. Use an IANA name such as `Europe/Berlin` or "
            "`America/New_York` (the list offers them as you type)."
        ),
        typed=_shown(text),
    )
