"""Reminder schedule: when the next break is due, from the break history, the policy and ``now``.

Pure: standard library only; no clock reads, no I/O. The caller passes ``now`` and the time zone.

How breaks are counted (docs/reminders.md says the same for people):

* Each break kind has a timer counting *continuous working time since its last reset*. Resets: a
  break taken (DONE), a break skipped (SKIPPED), an idle spell long enough to count (NATURAL), a
  wake from suspend or a restart after a gap (RESUMED: no backlog), the end of a pause, and the
  start of a working period. Periods that touch (``09:00-12:00``, ``12:00-17:00``) count as one; a
  gap between periods (lunch) is a break, so timers never carry over it.
* A finished stretch break also resets the micro timer; so does skipping one (its prompt stood in
  for the micro break). A micro break resets only itself.
* SNOOZED makes the break due at ``until``; NOT_DONE, or a PROMPTED with no answer yet, makes it
  due again ``retry_minutes`` later. While a stretch break is outstanding like this, no micro break
  is shown.
* A stretch break due no later than ``merge_window`` after the micro break replaces it, so two
  reminders never come back to back. There is never a backlog: one due break at most.
* Nothing is due outside working hours (periods are half-open: ``17:30`` itself is after work). A
  snooze or retry that would land outside the period starts a fresh timer in the next period.
* Once ``daily_cap`` reminders were shown (PROMPTED) on the local day, nothing more is due that day.
* Arithmetic is in UTC, so "60 minutes" is 60 real minutes across a DST change; working hours are
  local wall-clock times resolved per day in ``tz`` (a period starting in the hour skipped in spring
  starts when the clock jumps). Events later than ``now`` (the clock went backwards) are ignored.

``policy_from_mapping`` turns the parsed ``reminders.toml`` into a Policy (its code lives in
``core.reminder_policy`` to keep this module about timing). The rest stays in one module, past
400 lines on purpose: the rules above interlock and are easier to check when read together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from itertools import pairwise
from typing import Any

from deskstretch.core.wording import plural

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
END_OF_DAY = time.max
"""``TimeRange.end`` for a range that runs to midnight (written ``24:00`` in the settings file)."""
# Far enough to find the next working period when only one weekday has working hours.
_SEARCH_DAYS = 9


class BreakKind(StrEnum):
    MICRO = "micro"
    STRETCH = "stretch"


class EventKind(StrEnum):
    PROMPTED = "prompted"  # a reminder was shown (counts toward the daily cap)
    DONE = "done"  # the person confirmed the break or finished a routine
    NOT_DONE = "not_done"  # confirmation said no: asked again after retry_minutes
    SKIPPED = "skipped"  # skip this one: the timer restarts from now
    SNOOZED = "snoozed"  # until= set: the break is due again at until
    NATURAL = "natural"  # idle long enough: resets both timers; at = end of the idle spell
    RESUMED = "resumed"  # wake from suspend / clock jump / start after a gap: reset, no backlog
    PAUSED = "paused"  # until= set; no reminders before then
    UNPAUSED = "unpaused"  # ends a pause early
    DEFERRED = "deferred"  # due but held back (meeting, full screen, do-not-disturb); informational


@dataclass(frozen=True)
class BreakEvent:
    """One line of the break journal. ``at`` and ``until`` are timezone-aware."""

    at: datetime
    kind: EventKind
    break_kind: BreakKind | None = None
    until: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class TimeRange:
    """A working period on one weekday, local wall-clock time; ``end`` may be END_OF_DAY."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"a working period must end after it starts ({self})")

    def __str__(self) -> str:
        return f"{format_clock(self.start)}-{format_clock(self.end)}"


def format_clock(value: time) -> str:
    """``time(9, 5)`` -> ``"09:05"``; END_OF_DAY -> ``"24:00"``."""
    return "24:00" if value == END_OF_DAY else f"{value.hour:02d}:{value.minute:02d}"


def _office_hours() -> dict[int, tuple[TimeRange, ...]]:
    return {day: (TimeRange(time(9, 0), time(17, 30)),) for day in range(5)}


@dataclass(frozen=True)
class Policy:
    """When to remind. Defaults and their sources: docs/reminders.md and domain.md §6."""

    working_hours: Mapping[int, tuple[TimeRange, ...]] = field(default_factory=_office_hours)
    micro_enabled: bool = True
    micro_interval_minutes: int = 30
    micro_seconds: int = 40
    stretch_enabled: bool = True
    stretch_interval_minutes: int = 60
    stretch_minutes: int = 3  # length of a stretch break in the calendar export
    natural_break_minutes: int = 5  # idle at least this long counts as a break
    daily_cap: int = 16  # prompts per local day (Hedge's ~16 sit-stand changes a day)
    snooze_minutes: tuple[int, ...] = (5, 10, 15)
    default_snooze_minutes: int = 10
    retry_minutes: int = 10  # after NOT_DONE or no answer, ask again after this
    start_action: str = "browser"  # "browser" | "terminal"
    enabled: bool | None = None
    """The person's own switch: None until they choose (no ``enabled`` line in the file)."""

    def __post_init__(self) -> None:
        """Structural checks only; ``policy_from_mapping`` gives people the precise messages."""
        for day, ranges in self.working_hours.items():
            if day not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {day}")
            ordered = sorted(ranges, key=lambda r: r.start)
            for first, second in pairwise(ordered):
                if second.start < first.end:
                    raise ValueError(f"working periods {first} and {second} overlap")
        if not any(self.working_hours.values()):
            raise ValueError("at least one working period is needed")
        for name in ("micro_interval_minutes", "stretch_interval_minutes", "retry_minutes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.daily_cap < 1:
            raise ValueError("daily_cap must be at least 1")

    @property
    def merge_window(self) -> timedelta:
        """A stretch break due this soon after a micro break replaces the micro break."""
        return timedelta(minutes=min(10, self.micro_interval_minutes // 2))

    def interval(self, kind: BreakKind) -> timedelta:
        minutes = (
            self.micro_interval_minutes
            if kind is BreakKind.MICRO
            else self.stretch_interval_minutes
        )
        return timedelta(minutes=minutes)

    def is_enabled(self, kind: BreakKind) -> bool:
        return self.micro_enabled if kind is BreakKind.MICRO else self.stretch_enabled


def default_policy() -> Policy:
    """Mon-Fri 09:00-17:30; micro break every 30 min (40 s), stretch break every 60 min."""
    return Policy()


@dataclass(frozen=True)
class Due:
    """The next break: ``at`` (in the local zone) may be at or before ``now``: due now."""

    at: datetime
    break_kind: BreakKind
    reason: str


@dataclass(frozen=True)
class PlannedBreak:
    """One break of an ideal day (every break taken on time), for the calendar export."""

    at: datetime
    break_kind: BreakKind
    minutes: float


@dataclass(frozen=True)
class _Span:
    """A working period in absolute time (UTC), touching periods merged."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class _Why:
    """A reason naming the local time of ``at`` ("since your last break at {}"), worded only
    when shown: a history of weeks is read on every check, and only one reason is ever said."""

    template: str
    at: datetime
    now: datetime
    tz: tzinfo

    def __str__(self) -> str:
        return self.template.format(_when(self.at, self.now, self.tz))


@dataclass
class _Timer:
    """One break kind's state after reading the history (UTC times)."""

    anchor: datetime | None = None  # last reset
    anchor_why: str | _Why = ""
    fixed: datetime | None = None  # due exactly then (snooze, retry)
    fixed_why: str | _Why = ""
    fixed_set_at: datetime | None = None

    def reset(self, at: datetime, why: str | _Why) -> None:
        if self.anchor is None or at >= self.anchor:
            self.anchor, self.anchor_why = at, why
        self.fixed = self.fixed_set_at = None

    def fix(self, set_at: datetime, due: datetime, why: str | _Why) -> None:
        self.fixed, self.fixed_set_at, self.fixed_why = due, set_at, why


@dataclass
class _Reading:
    """What the history says as of ``now``."""

    timers: dict[BreakKind, _Timer]
    paused_until: datetime | None
    prompts_today: int


def next_due(
    history: Sequence[BreakEvent], policy: Policy, now: datetime, tz: tzinfo
) -> Due | None:
    """The one next break; see the module docstring for the rules.

    None when every break kind is disabled, or (only for a Policy built in code: the settings file
    refuses it) when no working period is long enough to hold an interval.
    """
    kinds = [kind for kind in BreakKind if policy.is_enabled(kind)]
    if not kinds:
        return None
    now_utc = _utc(now)
    reading = _read(history, policy, now_utc, tz)
    t0 = now_utc
    context = ""
    if reading.paused_until is not None:
        t0 = reading.paused_until
        for timer in reading.timers.values():
            timer.reset(t0, f"after the pause ends at {_when(t0, now_utc, tz)}")
        context = f"paused until {_when(t0, now_utc, tz)}"
    if reading.prompts_today >= policy.daily_cap:
        midnight = _next_midnight(now_utc, tz)
        if t0 < midnight:
            t0 = midnight
            for timer in reading.timers.values():
                timer.reset(t0, "into the next day")
        context = f"daily limit of {policy.daily_cap} reminders reached"
    spans = _spans(policy, tz, t0.astimezone(tz).date() - timedelta(days=1), _SEARCH_DAYS + 1)
    index = next((i for i, span in enumerate(spans) if span.end > t0), None)
    if index is None:  # cannot happen for a valid Policy; be safe rather than loop
        return None
    if not context and t0 < spans[index].start:
        context = (
            "outside working hours; next working period starts "
            f"{_when(spans[index].start, now_utc, tz)}"
        )
    found: dict[BreakKind, tuple[datetime, str]] = {}
    for kind in kinds:
        due = _due_for(reading.timers[kind], policy.interval(kind), spans, index, now_utc, tz)
        if due is not None:
            found[kind] = due
    if not found:  # every working period is shorter than the intervals
        return None
    kind = _choose(found, policy)
    at, why = found[kind]
    when = "due now" if at <= now_utc else f"at {_when(at, now_utc, tz)}"
    text = f"{kind.value} break {when}: {why}"
    if kind is BreakKind.STRETCH and BreakKind.MICRO in found and found[BreakKind.MICRO][0] <= at:
        text += " (it replaces the micro break)"
    return Due(at.astimezone(tz), kind, f"{context}; {text}" if context else text)


def _choose(found: Mapping[BreakKind, tuple[datetime, str]], policy: Policy) -> BreakKind:
    if len(found) == 1:
        return next(iter(found))
    micro_at, stretch_at = found[BreakKind.MICRO][0], found[BreakKind.STRETCH][0]
    if stretch_at <= micro_at + policy.merge_window:
        return BreakKind.STRETCH
    return BreakKind.MICRO


def _due_for(
    timer: _Timer,
    interval: timedelta,
    spans: Sequence[_Span],
    index: int,
    now: datetime,
    tz: tzinfo,
) -> tuple[datetime, str] | None:
    """(due time, why) for one kind, starting in ``spans[index]``.

    None when no working period in reach is long enough to hold one interval.
    """
    span = spans[index]
    fixed, set_at = timer.fixed, timer.fixed_set_at
    if fixed is not None and set_at is not None and set_at >= span.start:
        # A snooze or retry set in this working period: due then, or fresh in the next period.
        if fixed < span.end:
            return max(fixed, span.start), str(timer.fixed_why)
        start, why = span.end, ""  # the loop below moves to the next period
    elif timer.anchor is not None and timer.anchor >= span.start:
        start, why = timer.anchor, str(timer.anchor_why)
    else:
        start, why = span.start, _work_start(span.start, now, tz)
    while start + interval >= span.end:
        index += 1
        if index >= len(spans):
            return None
        span = spans[index]
        start, why = span.start, _work_start(span.start, now, tz)
    minutes = int(interval.total_seconds() // 60)
    return start + interval, f"{plural(minutes, 'minute')} {why}"


def _work_start(start: datetime, now: datetime, tz: tzinfo) -> str:
    if start <= now:
        return f"since work started at {_when(start, now, tz)}"
    return f"after work starts at {_when(start, now, tz)}"


def _read(history: Sequence[BreakEvent], policy: Policy, now: datetime, tz: tzinfo) -> _Reading:
    timers = {kind: _Timer() for kind in BreakKind}
    retry = timedelta(minutes=policy.retry_minutes)
    today = now.astimezone(tz).date()
    pause: datetime | None = None
    prompts_today = 0
    both = (BreakKind.MICRO, BreakKind.STRETCH)

    def targets(kind: BreakKind | None) -> tuple[BreakKind, ...]:
        # A stretch prompt stands in for the micro break: its answer holds both timers.
        return (BreakKind.MICRO,) if kind is BreakKind.MICRO else both

    def reset(kinds: tuple[BreakKind, ...], at: datetime, why: str | _Why) -> None:
        for kind in kinds:
            timers[kind].reset(at, why)

    events = sorted(
        ((_utc(e.at), e) for e in history if _utc(e.at) <= now), key=lambda pair: pair[0]
    )
    for at, event in events:
        if pause is not None and pause <= at:
            reset(both, pause, _Why("since the pause ended at {}", pause, now, tz))
            pause = None
        kind = event.kind

        def why(template: str, at: datetime = at) -> _Why:
            return _Why(template, at, now, tz)

        if kind is EventKind.PROMPTED:
            if at.astimezone(tz).date() == today:
                prompts_today += 1
            for target in targets(event.break_kind) if event.break_kind else ():
                timers[target].fix(at, at + retry, why("the reminder at {} got no answer"))
        elif kind is EventKind.DONE:
            if event.break_kind is BreakKind.MICRO:
                reset((BreakKind.MICRO,), at, why("since your last break at {}"))
            else:
                reset(both, at, why("since your last break at {}"))
        elif kind is EventKind.SKIPPED:
            if event.break_kind is BreakKind.MICRO:
                reset((BreakKind.MICRO,), at, why("since you skipped one at {}"))
            else:
                reset(both, at, why("since you skipped one at {}"))
        elif kind is EventKind.NOT_DONE:
            for target in targets(event.break_kind):
                again = plural(policy.retry_minutes, "minute")
                timers[target].fix(
                    at, at + retry, why(f"asking again {again} after 'not done' at {{}}")
                )
        elif kind is EventKind.SNOOZED and event.until is not None:
            for target in targets(event.break_kind):
                timers[target].fix(at, _utc(event.until), why("snoozed at {}"))
        elif kind is EventKind.NATURAL:
            reset(both, at, why("since you were away from the keyboard until {}"))
        elif kind is EventKind.RESUMED:
            reset(both, at, why("since deskstretch resumed at {}"))
        elif kind is EventKind.PAUSED and event.until is not None:
            pause = _utc(event.until)
        elif kind is EventKind.UNPAUSED and pause is not None:
            reset(both, at, why("since you ended the pause at {}"))
            pause = None
        # DEFERRED is informational: the break stays due.
    if pause is not None and pause <= now:
        reset(both, pause, _Why("since the pause ended at {}", pause, now, tz))
        pause = None
    return _Reading(timers, pause, prompts_today)


def is_working_time(policy: Policy, now: datetime, tz: tzinfo) -> bool:
    """True when ``now`` falls inside one of the day's working periods."""
    now_utc = _utc(now)
    spans = _spans(policy, tz, now_utc.astimezone(tz).date() - timedelta(days=1), 3)
    return any(span.start <= now_utc < span.end for span in spans)


def next_working_day_start(policy: Policy, now: datetime, tz: tzinfo) -> datetime:
    """Start of the first working period on a later local day than ``now`` ("until tomorrow")."""
    now_utc = _utc(now)
    today = now_utc.astimezone(tz).date()
    for span in _spans(policy, tz, today + timedelta(days=1), _SEARCH_DAYS):
        if span.start.astimezone(tz).date() > today:
            return span.start.astimezone(tz)
    return _next_midnight(now_utc, tz).astimezone(tz)  # unreachable for a valid Policy


def paused_until(history: Sequence[BreakEvent], now: datetime) -> datetime | None:
    """The end of the pause in force at ``now``, if any."""
    now_utc = _utc(now)
    pause: datetime | None = None
    for event in sorted((e for e in history if _utc(e.at) <= now_utc), key=lambda e: _utc(e.at)):
        if event.kind is EventKind.PAUSED and event.until is not None:
            pause = event.until
        elif event.kind is EventKind.UNPAUSED:
            pause = None
    return pause if pause is not None and _utc(pause) > now_utc else None


def prompts_on_day(history: Sequence[BreakEvent], now: datetime, tz: tzinfo) -> int:
    """How many reminders were shown on the local day of ``now`` (up to ``now``)."""
    now_utc = _utc(now)
    today = now_utc.astimezone(tz).date()
    return sum(
        1
        for e in history
        if e.kind is EventKind.PROMPTED
        and _utc(e.at) <= now_utc
        and e.at.astimezone(tz).date() == today
    )


def planned_breaks(policy: Policy, start: date, days: int, tz: tzinfo) -> list[PlannedBreak]:
    """Every break from ``start`` for ``days`` local days if each is taken when due.

    It replays ``next_due`` with a made-up history (each break shown and done on time), so the plan
    follows exactly the rules the reminder service uses, daily cap included.
    """
    end = _local(start + timedelta(days=days), time(0), tz)
    now = _local(start, time(0), tz)
    minutes = {
        BreakKind.MICRO: policy.micro_seconds / 60,
        BreakKind.STRETCH: policy.stretch_minutes,
    }
    planned: list[PlannedBreak] = []
    # Only the last reset of each kind and the day's prompts matter: keep just those.
    last_done: dict[BreakKind, BreakEvent] = {}
    prompts: list[BreakEvent] = []
    start_event = BreakEvent(now, EventKind.RESUMED)  # nothing carries over from before the start
    while True:
        history = [start_event, *prompts, *last_done.values()]  # prompted, then done
        due = next_due(history, policy, now, tz)
        if due is None or _utc(due.at) >= end or (_utc(due.at) <= now and planned):
            return planned  # the last test guards against a loop; next_due always moves on
        at = _utc(due.at)
        if prompts and prompts[-1].at.astimezone(tz).date() != due.at.date():
            prompts = []
        planned.append(PlannedBreak(due.at, due.break_kind, minutes[due.break_kind]))
        prompts.append(BreakEvent(at, EventKind.PROMPTED, due.break_kind))
        last_done[due.break_kind] = BreakEvent(at, EventKind.DONE, due.break_kind)
        now = at


def policy_from_mapping(data: Mapping[str, Any], where: str) -> Policy:
    """Validate parsed ``reminders.toml``; raises FileFormatError(where, None, field, expected)."""
    from deskstretch.core.reminder_policy import parse_policy

    return parse_policy(data, where)


def _spans(policy: Policy, tz: tzinfo, first: date, days: int) -> list[_Span]:
    found: list[_Span] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for period in policy.working_hours.get(day.weekday(), ()):
            start = _local(day, period.start, tz)
            if period.end == END_OF_DAY:
                end = _local(day + timedelta(days=1), time(0), tz)
            else:
                end = _local(day, period.end, tz)
            if end > start:  # a period inside a skipped DST hour is empty
                found.append(_Span(start, end))
    found.sort(key=lambda span: span.start)
    merged: list[_Span] = []
    for span in found:
        if merged and span.start <= merged[-1].end:
            merged[-1] = _Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def _local(day: date, clock: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def _next_midnight(now: datetime, tz: tzinfo) -> datetime:
    return _local(now.astimezone(tz).date() + timedelta(days=1), time(0), tz)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"the schedule needs timezone-aware times, got {value.isoformat()}")
    return value.astimezone(UTC)


def _when(value: datetime, now: datetime, tz: tzinfo) -> str:
    """``10:30`` today, ``Tue 09:00`` within a week, else ``Tue 3 Mar 09:00`` (local time)."""
    local = value.astimezone(tz)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    days_ahead = (local.date() - now.astimezone(tz).date()).days
    if days_ahead == 0:
        return clock
    if 0 <= days_ahead < 7:
        return f"{_DAY_NAMES[local.weekday()]} {clock}"
    return f"{_DAY_NAMES[local.weekday()]} {local.day} {_MONTH_NAMES[local.month - 1]} {clock}"
