"""Milestones that reward keeping at it (never pain) and the weekly recap.

Pure: standard library and ``core`` only, no clock reads; ``today`` and the time zone come in.

Milestones count finished sessions only (status COMPLETED; the records are honest, so nothing
is guessed): the first session, the first full week (a programme week with all its planned
sessions done, or 3 sessions in one calendar week when there is no programme), three calendar
weeks in a row with at least 2 sessions each, and 10, 25 and 50 sessions. Each carries the local
date it was reached. Pain is never a milestone.

The weekly recap: sessions done this calendar week against those planned (only when a programme
plans them), minutes per muscle group this week, back pain this week against last week (the
median of each day's first rating, whole points rounded half up), called a real change only when
the NPRS rule (``outcomes.nprs_change``) says so, and next week's plan in one sentence.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from deskstretch.core.outcomes import nprs_change
from deskstretch.core.painrules import DailyPain
from deskstretch.core.records import SessionRecord, SessionStatus
from deskstretch.core.streaks import WeekMinutes, week_start, weekly_minutes_by_group
from deskstretch.core.wording import group_label, plural, whole_minutes

WEEK = timedelta(days=7)
FULL_CALENDAR_WEEK = 3
"""Sessions in one calendar week that make a full week when no programme plans them."""
STEADY_WEEKS = 3
STEADY_SESSIONS = 2
COUNTS = (10, 25, 50)


@dataclass(frozen=True)
class Milestone:
    title: str
    reached_on: date


@dataclass(frozen=True)
class ProgrammeWeek:
    """One programme week: its first day and the sessions it planned."""

    starts: date
    planned: int


def programme_weeks(
    started: date, weeks_so_far: int, planned: Callable[[date], int]
) -> tuple[ProgrammeWeek, ...]:
    """The programme's weeks from ``started`` up to week ``weeks_so_far``, each with the sessions
    ``planned(first_day)`` says its level planned."""
    starts = (started + WEEK * n for n in range(max(0, weeks_so_far)))
    return tuple(ProgrammeWeek(day, planned(day)) for day in starts)


def completed_days(sessions: Iterable[SessionRecord], tz: tzinfo) -> list[date]:
    """The local start day of every finished session, oldest first (a day repeats per session)."""
    return sorted(s.local_day(tz) for s in sessions if s.status is SessionStatus.COMPLETED)


def _first_full_week(days: Sequence[date], weeks: Sequence[ProgrammeWeek]) -> date | None:
    """The day the first full week was completed (``days`` sorted)."""
    if weeks:
        for week in sorted(weeks, key=lambda w: w.starts):
            inside = [d for d in days if week.starts <= d < week.starts + WEEK]
            if week.planned > 0 and len(inside) >= week.planned:
                return inside[week.planned - 1]
        return None
    per_week: Counter[date] = Counter()
    for day in days:
        per_week[week_start(day)] += 1
        if per_week[week_start(day)] == FULL_CALENDAR_WEEK:
            return day
    return None


def _steady_weeks(days: Sequence[date]) -> date | None:
    """The day the third calendar week in a row reached 2 sessions (``days`` sorted)."""
    per_week: Counter[date] = Counter()
    for day in days:
        monday = week_start(day)
        per_week[monday] += 1
        if per_week[monday] != STEADY_SESSIONS:
            continue
        if all(per_week[monday - WEEK * n] >= STEADY_SESSIONS for n in range(1, STEADY_WEEKS)):
            return day
    return None


def milestones(
    sessions: Iterable[SessionRecord],
    tz: tzinfo,
    programme_weeks: Sequence[ProgrammeWeek] = (),
    days: Sequence[date] | None = None,
) -> tuple[Milestone, ...]:
    """The milestones reached so far, oldest first (ties in the order they are listed above).
    ``days``: ``completed_days(sessions, tz)`` when the caller has it already."""
    if days is None:
        days = completed_days(sessions, tz)
    found: list[Milestone] = []
    if days:
        found.append(Milestone("First session", days[0]))
    full = _first_full_week(days, programme_weeks)
    if full is not None:
        found.append(Milestone("First full week", full))
    steady = _steady_weeks(days)
    if steady is not None:
        found.append(
            Milestone(
                f"{STEADY_WEEKS} weeks in a row with at least {STEADY_SESSIONS} sessions", steady
            )
        )
    found += [
        Milestone(f"{count} sessions", days[count - 1]) for count in COUNTS if len(days) >= count
    ]
    return tuple(sorted(found, key=lambda m: m.reached_on))


# -- the weekly recap ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyRecap:
    week_start: date
    sessions_done: int
    sessions_planned: int | None
    """None when no programme plans the week's sessions."""
    minutes: WeekMinutes
    pain: str
    """Back pain this week against last week, in words; '' when either week has no rating."""
    next_week: str

    @property
    def sessions_text(self) -> str:
        if self.sessions_planned is None:
            return f"This week: {plural(self.sessions_done, 'session')} done."
        return f"This week: {self.sessions_done} of {self.sessions_planned} planned sessions done."

    @property
    def minutes_text(self) -> tuple[str, ...]:
        """One entry per muscle group worked this week, e.g. "hamstrings 6 min", "lower back 1 min"
        (the group's label, not its stored id)."""
        return tuple(
            f"{group_label(g.group)} {whole_minutes(g.minutes)} min"
            for g in self.minutes.groups
            if g.minutes > 0
        )


def _median_points(values: Sequence[int]) -> int:
    return math.floor(statistics.median(values) + 0.5)


def pain_trend_text(daily: Sequence[DailyPain], today: date) -> str:
    """This week's middle daily back pain against last week's, judged only by the NPRS rule."""
    monday = week_start(today)
    this = [p.back_pain for p in daily if monday <= p.day <= today and p.back_pain is not None]
    last = [
        p.back_pain for p in daily if monday - WEEK <= p.day < monday and p.back_pain is not None
    ]
    if not this or not last:
        return ""
    before, after = _median_points(last), _median_points(this)
    words = f"Back pain, middle of the days' ratings: {after}/10 this week, {before}/10 last week"
    change = nprs_change(before, after, "Back pain")
    if not change.is_real_change:
        return f"{words}: within the usual ups and downs."
    if change.delta > 0:
        return f"{words}: a real change for the better."
    return (
        f"{words}: a real change for the worse. If it keeps up, ease off and see when to get help."
    )


def next_week_text(planned: int | None, level: str = "") -> str:
    """Next week's plan in one sentence."""
    if planned is None:
        return (
            f"Next week: aim for {FULL_CALENDAR_WEEK} sessions on different days;"
            " any routine counts."
        )
    where = f" at {level}" if level else ""
    return f"Next week: {plural(planned, 'session')} of your programme{where}."


def weekly_recap(
    sessions: Sequence[SessionRecord],
    daily: Sequence[DailyPain],
    today: date,
    tz: tzinfo,
    *,
    planned: int | None = None,
    next_planned: int | None = None,
    next_level: str = "",
    minutes: WeekMinutes | None = None,
    days: Sequence[date] | None = None,
) -> WeeklyRecap:
    """This calendar week so far. ``minutes`` is this week's from the progress summary when the
    caller has it; otherwise it is worked out here the same way. ``days``: as for milestones()."""
    monday = week_start(today)
    if days is None:
        days = completed_days(sessions, tz)
    done = sum(1 for day in days if monday <= day <= today)
    if minutes is None:
        minutes = weekly_minutes_by_group(sessions, tz, 1, today)[-1]
    return WeeklyRecap(
        monday,
        done,
        planned,
        minutes,
        pain_trend_text(daily, today),
        next_week_text(next_planned if next_planned is not None else planned, next_level),
    )
