"""The iCalendar export, read back with icalendar and expanded with dateutil (an independent
implementation of RRULE): the repeating events must give exactly the planned breaks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from deskstretch.core.schedule import BreakKind, Policy, TimeRange, default_policy, planned_breaks
from deskstretch.exports.ics import (
    BROWSER_ADDRESS,
    break_slots,
    build_calendar,
    calendar_text,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2025, 6, 2)
BEFORE_SPRING = date(2025, 3, 24)  # a Monday; Berlin moves its clocks on Sunday 30 March
BEFORE_AUTUMN = date(2025, 10, 22)  # a Wednesday; back on Sunday 26 October
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def export(
    policy: Policy, start: date, days: int, tz: ZoneInfo = BERLIN, now: datetime = NOW
) -> Calendar:
    calendar, _ = build_calendar(policy, start, days, tz, now)
    return Calendar.from_ical(calendar_text(calendar))


def events(calendar: Calendar) -> list[Any]:
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def occurrences(calendar: Calendar) -> list[tuple[datetime, BreakKind]]:
    """Every break the file describes, expanded from DTSTART and RRULE."""
    found = []
    for event in events(calendar):
        start = event.decoded("DTSTART")
        rule = event["RRULE"].to_ical().decode()
        kind = BreakKind(str(event["UID"]).split("-")[0])
        found += [(at, kind) for at in rrulestr(rule, dtstart=start)]
    return sorted(found)


def lunch_policy() -> Policy:
    morning, afternoon = TimeRange(time(9), time(12, 30)), TimeRange(time(13, 30), time(17, 30))
    return Policy(
        working_hours={0: (morning, afternoon), 2: (morning,), 5: (TimeRange(time(10), time(12)),)}
    )


POLICIES = {
    "default": default_policy(),
    "lunch and a Saturday": lunch_policy(),
    "cap of 5": Policy(daily_cap=5),
    "stretch only": Policy(micro_enabled=False, stretch_interval_minutes=45),
    "micro only": Policy(stretch_enabled=False, micro_interval_minutes=20),
}


@pytest.mark.parametrize("name", POLICIES)
@pytest.mark.parametrize(
    ("start", "days"), [(MONDAY, 14), (BEFORE_SPRING, 14), (BEFORE_AUTUMN, 10), (MONDAY, 3)]
)
def test_repeating_events_give_exactly_the_planned_breaks(
    name: str, start: date, days: int
) -> None:
    policy = POLICIES[name]
    expected = [(b.at, b.break_kind) for b in planned_breaks(policy, start, days, BERLIN)]
    got = occurrences(export(policy, start, days))
    assert [(at.astimezone(UTC), kind) for at, kind in got] == [
        (at.astimezone(UTC), kind) for at, kind in expected
    ]


def test_breaks_keep_their_local_time_across_the_dst_change() -> None:
    got = [
        at
        for at, kind in occurrences(export(default_policy(), BEFORE_SPRING, 14))
        if kind is BreakKind.MICRO
    ]
    first = [at for at in got if at.astimezone(BERLIN).time() == time(9, 30)]
    assert len(first) == 10  # two working weeks
    assert {at.astimezone(BERLIN).strftime("%H:%M") for at in first} == {"09:30"}
    assert {at.astimezone(UTC).strftime("%H:%M") for at in first} == {"08:30", "07:30"}


def test_one_event_per_slot_with_a_display_alarm() -> None:
    calendar = export(default_policy(), MONDAY, 14)
    found = events(calendar)
    assert len(found) == 16
    for event in found:
        assert event["TRANSP"] == "TRANSPARENT"
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("DTSTART").tzinfo is not None
        alarms = [c for c in event.walk() if c.name == "VALARM"]
        assert len(alarms) == 1
        assert alarms[0]["ACTION"] == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == timedelta(0)
        assert str(alarms[0]["DESCRIPTION"]) == str(event["SUMMARY"])
        assert "deskstretch start" in str(event["DESCRIPTION"])
        assert BROWSER_ADDRESS in str(event["DESCRIPTION"])
        assert event.decoded("RRULE")["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    zones = [c for c in calendar.walk() if c.name == "VTIMEZONE"]
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]
    assert calendar["X-WR-TIMEZONE"] == "Europe/Berlin"


def test_summaries_and_lengths() -> None:
    calendar = export(Policy(micro_seconds=30, stretch_minutes=4), MONDAY, 7)
    by_kind = {str(e["UID"]).split("-")[0]: e for e in events(calendar)}
    micro, stretch = by_kind["micro"], by_kind["stretch"]
    assert str(micro["SUMMARY"]) == "Micro-break: stand up and move (30 s)"
    assert str(stretch["SUMMARY"]) == "Stretch break (4 min)"
    assert stretch.decoded("DTEND") - stretch.decoded("DTSTART") == timedelta(minutes=4)
    assert micro.decoded("DTEND") - micro.decoded("DTSTART") == timedelta(minutes=1)


def test_uids_are_stable_and_a_later_export_has_a_higher_sequence() -> None:
    first = export(default_policy(), MONDAY, 14, now=NOW)
    later = export(default_policy(), MONDAY + timedelta(days=7), 30, now=NOW + timedelta(days=3))
    uids = [str(e["UID"]) for e in events(first)]
    assert uids == [str(e["UID"]) for e in events(later)]
    assert len(set(uids)) == len(uids)
    assert "micro-0930@deskstretch" in uids
    assert all(
        int(b["SEQUENCE"]) > int(a["SEQUENCE"])
        for a, b in zip(events(first), events(later), strict=True)
    )


def test_the_series_end_on_the_last_day() -> None:
    got = occurrences(export(default_policy(), MONDAY, 14))
    assert got[0][0] == datetime(2025, 6, 2, 9, 30, tzinfo=BERLIN)
    assert got[-1][0] == datetime(2025, 6, 13, 17, 0, tzinfo=BERLIN)  # Friday of week two


def test_a_start_mid_week_for_a_few_days() -> None:
    thursday = MONDAY + timedelta(days=3)
    slots = break_slots(default_policy(), thursday, 2, BERLIN)
    assert {slot.weekdays for slot in slots} == {(3, 4)}
    assert slots[0].days_text == "Thu, Fri"
    assert slots[0].first == datetime(2025, 6, 5, 9, 30, tzinfo=BERLIN)


def test_slots_describe_their_days() -> None:
    policy = Policy(
        working_hours={day: (TimeRange(time(9), time(17)),) for day in range(7)},
        stretch_enabled=False,
        daily_cap=100,
    )
    assert break_slots(policy, MONDAY, 7, BERLIN)[0].days_text == "every day"
    assert break_slots(default_policy(), MONDAY, 7, BERLIN)[0].days_text == "Mon-Fri"


def test_another_zone() -> None:
    calendar = export(default_policy(), MONDAY, 7, tz=NEW_YORK)
    first = min(e.decoded("DTSTART") for e in events(calendar))
    assert first.strftime("%H:%M") == "09:30"
    assert first.utcoffset() == timedelta(hours=-4)  # EDT in June
    assert calendar["X-WR-TIMEZONE"] == "America/New_York"


def test_text_has_crlf_line_ends() -> None:
    calendar, _ = build_calendar(default_policy(), MONDAY, 1, BERLIN, NOW)
    text = calendar_text(calendar)
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_nothing_to_export_when_every_kind_is_off() -> None:
    calendar, slots = build_calendar(
        Policy(micro_enabled=False, stretch_enabled=False), MONDAY, 14, BERLIN, NOW
    )
    assert slots == []
    assert events(Calendar.from_ical(calendar_text(calendar))) == []
