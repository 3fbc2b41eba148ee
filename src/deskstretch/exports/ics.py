"""The break schedule as an iCalendar file, for people who prefer calendar reminders.

One *repeating* event per break slot (``RRULE:FREQ=WEEKLY;BYDAY=MO,TU,...;UNTIL=...``) rather than
one event per break, because:

* a day holds up to 16 breaks, so two weeks of single events is over 200 entries; 16 series are
  easy to look through, and each can be moved or deleted in one action in Google Calendar,
  Thunderbird and Outlook alike;
* times carry ``TZID`` with its ``VTIMEZONE``, so the calendar keeps a break at 10:30 local time
  across a DST change, the way the reminder service does (UTC times would move by an hour);
* each series has a stable ``UID`` (break kind and clock time) and a rising ``SEQUENCE``, so
  importing a newer export (later ``--days``, changed weekdays) updates the series instead of
  adding a copy. A slot that no longer exists is not removed: import into a calendar of its own.

Events are transparent (they do not make you look busy) and carry a display alarm at the start;
Google Calendar applies the calendar's own notification settings to imported events instead.
icalendar is imported only when a file is built (listing the slots does not need it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from deskstretch.core.schedule import BreakKind, Policy, planned_breaks

if TYPE_CHECKING:
    from icalendar import Calendar, Event

BROWSER_ADDRESS = "http://127.0.0.1:8767/"
_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# SEQUENCE counts minutes since this moment, so a later export always has the higher number.
_SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BreakSlot:
    """A break at the same local clock time on some weekdays: one repeating calendar event."""

    break_kind: BreakKind
    clock: time
    weekdays: tuple[int, ...]  # 0 = Monday
    first: datetime  # first occurrence, local time
    minutes: float

    @property
    def uid(self) -> str:
        return f"{self.break_kind.value}-{self.clock:%H%M}@deskstretch"

    @property
    def days_text(self) -> str:
        """``Mon-Fri``, ``Mon, Wed, Sat`` or ``every day``."""
        days = self.weekdays
        if len(days) == 7:
            return "every day"
        if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
            return f"{_DAY_NAMES[days[0]]}-{_DAY_NAMES[days[-1]]}"
        return ", ".join(_DAY_NAMES[day] for day in days)


def break_slots(policy: Policy, start: date, days: int, tz: ZoneInfo) -> list[BreakSlot]:
    """The planned breaks of the first week (or fewer days), grouped by kind and clock time."""
    grouped: dict[tuple[BreakKind, time], list[datetime]] = {}
    for planned in planned_breaks(policy, start, min(days, 7), tz):
        clock = planned.at.time().replace(second=0, microsecond=0, fold=0)
        grouped.setdefault((planned.break_kind, clock), []).append(planned.at)
    minutes = {
        BreakKind.MICRO: policy.micro_seconds / 60,
        BreakKind.STRETCH: policy.stretch_minutes,
    }
    slots = [
        BreakSlot(
            kind, clock, tuple(sorted({a.weekday() for a in times})), min(times), minutes[kind]
        )
        for (kind, clock), times in grouped.items()
    ]
    return sorted(slots, key=lambda slot: (slot.clock, slot.first))


def build_calendar(
    policy: Policy, start: date, days: int, tz: ZoneInfo, now: datetime
) -> tuple[Calendar, list[BreakSlot]]:
    """The calendar for ``days`` days from ``start``; ``now`` stamps the export (DTSTAMP)."""
    from icalendar import Calendar

    slots = break_slots(policy, start, days, tz)
    # UNTIL is inclusive and in UTC when DTSTART has a TZID (RFC 5545 3.3.10).
    until = datetime.combine(start + timedelta(days=days), time(0), tzinfo=tz).astimezone(UTC)
    until -= timedelta(seconds=1)
    stamp = now.astimezone(UTC).replace(microsecond=0)
    sequence = max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60))
    calendar = Calendar()
    calendar.add("prodid", "-//deskstretch//break schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "deskstretch breaks")
    calendar.add("x-wr-timezone", tz.key)
    for slot in slots:
        calendar.add_component(_event(slot, until, stamp, sequence))
    calendar.add_missing_timezones()
    return calendar, slots


def calendar_text(calendar: Calendar) -> str:
    """The file's text: CRLF line ends, as RFC 5545 asks."""
    return bytes(calendar.to_ical()).decode("utf-8")


def _event(slot: BreakSlot, until: datetime, stamp: datetime, sequence: int) -> Event:
    from icalendar import Alarm, Event

    summary, cue = _words(slot)
    event = Event()
    event.add("uid", slot.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("description", cue)
    event.add("dtstart", slot.first)
    event.add("dtend", slot.first + timedelta(minutes=max(1.0, slot.minutes)))
    event.add("rrule", {"freq": "weekly", "byday": _codes(slot.weekdays), "until": until})
    event.add("transp", "TRANSPARENT")  # a break does not make you busy
    event.add("categories", ["deskstretch"])
    event.add("url", BROWSER_ADDRESS)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event


def _codes(weekdays: Sequence[int]) -> list[str]:
    return [_DAY_CODES[day] for day in weekdays]


def _words(slot: BreakSlot) -> tuple[str, str]:
    start_hint = (
        f"For a guided routine run `deskstretch start` in a terminal, or open {BROWSER_ADDRESS} "
        "(start it with `deskstretch app`)."
    )
    if slot.break_kind is BreakKind.MICRO:
        seconds = round(slot.minutes * 60)
        return (
            f"Micro-break: stand up and move ({seconds} s)",
            "Stand up, shift your weight, roll your shoulders or take a few steps, then sit "
            f"back down. Changing position often is what counts.\n\n{start_hint}",
        )
    minutes = round(slot.minutes)
    return (
        f"Stretch break ({minutes} min)",
        f"Time for a {minutes}-minute stretch routine for your back and hamstrings. "
        "Stop any movement that brings on leg pain, numbness or pins and needles."
        f"\n\n{start_hint}",
    )
