"""Due times in a server's zone: weekly nights, daylight-saving changes, what moderators type."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserFacingError
from bot.schedule import (
    WeeklyTime,
    latest_due,
    local_moment,
    next_night,
    next_post,
    occurrence,
    parse_time,
    parse_zone,
    zone_suggestions,
)
from tests.weekly.helpers import FRIDAY, at

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SUNDAY = 6


def weekly(weekday: int, hour: int, minute: int, zone: ZoneInfo, lead: int = 24) -> WeeklyTime:
    return WeeklyTime(weekday, time(hour, minute), zone, timedelta(hours=lead))


def test_friday_1900_stays_1900_local_when_summer_time_ends():
    spec = weekly(FRIDAY, 19, 0, BERLIN)
    before = next_night(spec, at(2026, 10, 20))
    after = next_night(spec, before.night)
    assert (before.week, after.week) == ("2026-10-23", "2026-10-30")
    assert before.night == at(2026, 10, 23, 17)  # CEST, UTC+2
    assert after.night == at(2026, 10, 30, 18)  # CET, UTC+1
    for found in (before, after):
        assert found.night.astimezone(BERLIN).time() == time(19, 0)


def test_friday_1900_stays_1900_local_when_summer_time_starts_in_new_york():
    spec = weekly(FRIDAY, 19, 0, NEW_YORK)
    before = next_night(spec, at(2026, 3, 1))
    after = next_night(spec, before.night)
    assert before.night == at(2026, 3, 7, 0)  # Friday 6 March, 19:00 EST
    assert after.night == at(2026, 3, 13, 23)  # Friday 13 March, 19:00 EDT


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # 02:30 does not exist: clocks jump from 02:00 to 03:00, so the night starts at 03:30.
        (NEW_YORK, date(2026, 3, 8), at(2026, 3, 8, 7, 30)),
        (BERLIN, date(2026, 3, 29), at(2026, 3, 29, 1, 30)),
    ],
)
def test_a_time_that_does_not_exist_moves_past_the_jump(zone, day, expected):
    found = occurrence(weekly(SUNDAY, 2, 30, zone), day)
    assert found.night == expected
    assert found.night.astimezone(zone).time() == time(3, 30)
    assert found.week == day.isoformat()


@pytest.mark.parametrize(
    ("zone", "day", "hour", "expected"),
    [
        # 01:30 happens twice when New York falls back; the first one (still EDT) counts.
        (NEW_YORK, date(2026, 11, 1), 1, at(2026, 11, 1, 5, 30)),
        # 02:30 happens twice when Berlin falls back; the first one (still CEST) counts.
        (BERLIN, date(2026, 10, 25), 2, at(2026, 10, 25, 0, 30)),
    ],
)
def test_a_time_that_happens_twice_is_the_first_one(zone, day, hour, expected):
    found = occurrence(weekly(SUNDAY, hour, 30, zone), day)
    assert found.night == expected
    later = datetime.combine(day, time(hour, 30), tzinfo=zone).replace(fold=1)
    assert found.night < later.astimezone(UTC)


def test_the_lead_is_real_hours_even_across_a_change():
    spec = weekly(SUNDAY, 19, 0, NEW_YORK, lead=24)
    found = occurrence(spec, date(2026, 11, 1))  # clocks went back at 02:00 that morning
    assert found.night - found.post_at == timedelta(hours=24)
    assert found.post_at.astimezone(NEW_YORK).time() == time(20, 0)  # Saturday, still EDT


def test_post_and_night_around_now():
    spec = weekly(FRIDAY, 19, 0, BERLIN, lead=24)
    now = at(2026, 11, 20, 12)  # Friday, before the post for 27 November goes out
    assert latest_due(spec, now).week == "2026-11-20"
    assert next_post(spec, now).week == "2026-11-27"
    assert next_post(spec, now).post_at == at(2026, 11, 26, 18)
    assert next_night(spec, now).week == "2026-11-20"
    assert latest_due(spec, at(2026, 11, 26, 18)).week == "2026-11-27"  # due at that instant


ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # a half-hour daylight-saving change
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/Santiago",  # changes at midnight
]


@settings(max_examples=200, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    weekday=st.integers(0, 6),
    wall=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    lead=st.integers(1, 144),
    now=st.datetimes(
        datetime(2025, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive; made aware below)
        datetime(2030, 12, 31),  # noqa: DTZ001
    ).map(lambda moment: moment.replace(tzinfo=UTC)),
)
def test_due_times_are_consistent_everywhere(zone, weekday, wall, lead, now):
    spec = WeeklyTime(weekday, wall, ZoneInfo(zone), timedelta(hours=lead))
    due = latest_due(spec, now)
    coming = next_post(spec, now)
    assert due.post_at <= now < coming.post_at
    assert date.fromisoformat(coming.week) - date.fromisoformat(due.week) == timedelta(days=7)
    for found in (due, coming):
        day = date.fromisoformat(found.week)
        assert day.weekday() == weekday
        assert found.night - found.post_at == timedelta(hours=lead)
        wanted = datetime.combine(day, wall, tzinfo=spec.zone)
        if wanted.astimezone(UTC).astimezone(spec.zone).replace(tzinfo=None) == wanted.replace(
            tzinfo=None
        ):  # the wall time exists that day: it is kept exactly
            assert found.night.astimezone(spec.zone).replace(tzinfo=None) == wanted.replace(
                tzinfo=None
            )
        assert found.night == local_moment(day, wall, spec.zone)
    assert next_night(spec, now).night > now


# --- what moderators type ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("19:00", time(19, 0)),
        ("7:30", time(7, 30)),
        (" 09:05 ", time(9, 5)),
        ("19.30", time(19, 30)),
        ("19h30", time(19, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_times_that_are_read(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:99", "24:00", "19:60", "99:00"])
def test_out_of_range_times_are_refused_clearly(typed):
    with pytest.raises(UserFacingError) as refused:
        parse_time(typed)
    assert str(refused.value) == (
        f"`{typed}` is not a time of day: hours go from 00 to 23 and minutes from 00 to 59, "
        "e.g. `19:30`."
    )


@pytest.mark.parametrize("typed", ["7pm", "1900", "19:0", "", "`19:00`x"])
def test_shapeless_times_are_refused_clearly(typed):
    with pytest.raises(UserFacingError) as refused:
        parse_time(typed)
    assert "is not a time. Write it as HH:MM on a 24-hour clock, e.g. `19:30`." in str(
        refused.value
    )
    assert str(refused.value).count("`") == 4  # what was typed cannot break the quoting


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        (" UTC ", "UTC"),
    ],
)
def test_zones_are_read_in_any_case(typed, name):
    assert parse_zone(typed).key == name


def test_an_unknown_zone_is_refused_with_the_nearest_names():
    with pytest.raises(UserFacingError) as refused:
        parse_zone("Europe/Berln")
    text = str(refused.value)
    assert text.startswith("`Europe/Berln` is not a time zone I know. Use an IANA name")
    assert "Did you mean `Europe/Berlin`" in text


@pytest.mark.parametrize("typed", ["Mars/Olympus_Mons", "localtime", "   "])
def test_made_up_or_system_zones_are_refused(typed):
    with pytest.raises(UserFacingError) as refused:
        parse_zone(typed)
    assert "is not a time zone I know" in str(refused.value)
    assert "Did you mean" not in str(refused.value)


def test_zone_suggestions_for_autocomplete():
    assert zone_suggestions("")[:3] == ["UTC", "Europe/London", "Europe/Berlin"]
    assert zone_suggestions("new york")[0] == "America/New_York"
    assert zone_suggestions("paris")[0] == "Europe/Paris"
    assert zone_suggestions("sidney")[0] == "Australia/Sydney"  # a typo still finds it
    many = zone_suggestions("a")
    assert len(many) == 25
    assert all(parse_zone(name).key == name for name in many)
    assert zone_suggestions("zzzzqqq") == []
