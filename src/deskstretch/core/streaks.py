"""Progress over plain records: real sessions, streaks, days per week, weekly minutes, pain trends.

Pure: standard library only, no I/O, no clock reads. Each function makes one pass over its input.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import NamedTuple

from deskstretch.core.painrules import DailyPain, daily_pain
from deskstretch.core.records import CheckIn, SessionRecord, SessionStatus

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)

# A session counts towards streaks and weekly days if it was completed or had a minute of work,
# so a routine skipped through from start to end does not count.
REAL_SESSION_WORK_SECONDS = 60.0
# §1.2 Recommendation (ours): target at least 5 days a week.
WEEKLY_DAYS_GOAL = 5
# §1.2: 2 x 30 s per leg on 5+ days = 5 min per leg per week; gains plateau around 10 min a week
# (Ingram et al. 2024, approximate).
HAMSTRINGS = "hamstrings"
HAMSTRING_MINUTES_PER_LEG: tuple[float, float] = (5.0, 10.0)


def is_real_session(session: SessionRecord) -> bool:
    return (
        session.status is SessionStatus.COMPLETED
        or session.work_seconds >= REAL_SESSION_WORK_SECONDS
    )


def session_days(sessions: Iterable[SessionRecord], tz: tzinfo) -> tuple[date, ...]:
    """The local start day of every real session, in input order (a day repeats per session)."""
    return tuple(s.started_at.astimezone(tz).date() for s in sessions if is_real_session(s))


def week_start(day: date) -> date:
    """The Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def _check_weeks(weeks: int) -> None:
    if weeks < 1:
        raise ValueError(f"weeks must be 1 or more, got {weeks}")


def streak(session_days: Iterable[date], today: date) -> int:
    """Consecutive days with a session, ending today, or yesterday if today has none yet."""
    days = set(session_days)
    day = today if today in days else today - ONE_DAY
    count = 0
    while day in days:
        count += 1
        day -= ONE_DAY
    return count


@dataclass(frozen=True)
class WeekDays:
    """Days with a real session in one ISO week (Monday ``week_start``) against the goal."""

    week_start: date
    days: int
    goal: int

    @property
    def met(self) -> bool:
        return self.days >= self.goal

    @property
    def iso_week(self) -> tuple[int, int]:
        year, week, _ = self.week_start.isocalendar()
        return year, week


def days_per_week(
    session_days: Iterable[date], today: date, weeks: int = 4, goal: int = WEEKLY_DAYS_GOAL
) -> tuple[WeekDays, ...]:
    """The last ``weeks`` ISO weeks, oldest first, ending with the (partial) current week."""
    _check_weeks(weeks)
    first = week_start(today) - ONE_WEEK * (weeks - 1)
    distinct = {day for day in session_days if first <= day <= today}
    counts = Counter(week_start(day) for day in distinct)
    starts = (first + ONE_WEEK * index for index in range(weeks))
    return tuple(WeekDays(start, counts[start], goal) for start in starts)


@dataclass(frozen=True)
class GroupMinutes:
    """Minutes of work on one muscle group in a week.

    ``minutes`` adds every side's work. For hamstrings, ``per_leg_minutes`` is what each leg got:
    (left + right) / 2, plus the full time of moves that work both legs at once.
    """

    group: str
    minutes: float
    per_leg_minutes: float | None = None
    target_minutes: tuple[float, float] | None = None

    @property
    def met(self) -> bool | None:
        """Whether the weekly target was reached; None for groups without a target."""
        if self.target_minutes is None or self.per_leg_minutes is None:
            return None
        return self.per_leg_minutes >= self.target_minutes[0]


@dataclass(frozen=True)
class WeekMinutes:
    """One ISO week: hamstrings first (always present), then the other groups worked, A-Z."""

    week_start: date
    groups: tuple[GroupMinutes, ...]

    def group(self, name: str) -> GroupMinutes | None:
        return next((g for g in self.groups if g.group == name), None)


def weekly_minutes_by_group(
    sessions: Iterable[SessionRecord], tz: tzinfo, weeks: int, today: date
) -> tuple[WeekMinutes, ...]:
    """Minutes of work per muscle group in each of the last ``weeks`` ISO weeks, oldest first.

    Counts the work done in every session, real or not. A step with no per-side breakdown is
    counted as half its time per leg (the cautious guess: it may have alternated legs).
    """
    _check_weeks(weeks)
    first = week_start(today) - ONE_WEEK * (weeks - 1)
    seconds: defaultdict[date, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    leg_seconds: defaultdict[date, float] = defaultdict(float)
    for session in sessions:
        day = session.started_at.astimezone(tz).date()
        if not first <= day <= today:
            continue
        start = week_start(day)
        groups = seconds[start]
        for step in session.steps:
            groups[step.muscle_group] += step.done_seconds
            if step.muscle_group == HAMSTRINGS:
                sided = step.seconds_left + step.seconds_right + step.seconds_both
                if sided > 0:
                    per_leg = (step.seconds_left + step.seconds_right) / 2 + step.seconds_both
                else:
                    per_leg = step.done_seconds / 2
                leg_seconds[start] += per_leg
    result: list[WeekMinutes] = []
    for index in range(weeks):
        start = first + ONE_WEEK * index
        groups = seconds.get(start, defaultdict(float))
        hamstrings = GroupMinutes(
            HAMSTRINGS,
            groups.get(HAMSTRINGS, 0.0) / 60,
            leg_seconds.get(start, 0.0) / 60,
            HAMSTRING_MINUTES_PER_LEG,
        )
        others = tuple(
            GroupMinutes(name, groups[name] / 60)
            for name in sorted(groups)
            if name != HAMSTRINGS and groups[name] > 0
        )
        result.append(WeekMinutes(start, (hamstrings, *others)))
    return tuple(result)


def pain_trend(
    checkins: Iterable[CheckIn], tz: tzinfo, days: int, today: date
) -> tuple[DailyPain, ...]:
    """One entry per local day for the last ``days`` days, oldest first; None where no reading.

    Each day's reading is its first back and first leg rating (painrules.daily_pain).
    """
    if days < 1:
        raise ValueError(f"days must be 1 or more, got {days}")
    first = today - ONE_DAY * (days - 1)
    by_day = {reading.day: reading for reading in daily_pain(checkins, tz)}
    return tuple(
        by_day.get(day, DailyPain(day, None, None))
        for day in (first + ONE_DAY * offset for offset in range(days))
    )


def rolling_mean(values: Sequence[float | None], window: int) -> tuple[float | None, ...]:
    """Trailing mean over the last ``window`` entries, skipping None; None if all are missing."""
    if window < 1:
        raise ValueError(f"window must be 1 or more, got {window}")
    means: list[float | None] = []
    total, count = 0.0, 0
    for index, value in enumerate(values):
        if value is not None:
            total += value
            count += 1
        if index >= window:
            dropped = values[index - window]
            if dropped is not None:
                total -= dropped
                count -= 1
        means.append(total / count if count else None)
    return tuple(means)


class CalendarDay(NamedTuple):
    day: date
    session_count: int


def adherence_calendar(
    session_days: Iterable[date], today: date, weeks: int = 8
) -> tuple[tuple[CalendarDay, ...], ...]:
    """``weeks`` rows of Monday-to-Sunday days with their session counts; the last row holds
    today (its later days count 0 until they come)."""
    _check_weeks(weeks)
    first = week_start(today) - ONE_WEEK * (weeks - 1)
    last = week_start(today) + timedelta(days=6)
    counts = Counter(day for day in session_days if first <= day <= last)
    return tuple(
        tuple(
            CalendarDay(day, counts[day])
            for day in (first + ONE_WEEK * row + ONE_DAY * col for col in range(7))
        )
        for row in range(weeks)
    )
