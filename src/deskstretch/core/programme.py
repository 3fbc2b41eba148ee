"""A programme over weeks: levels with their routines and doses, and the rules that move a
person up (consistency, no flare) or down (the pain rules), replayed from the history.

Pure: standard library only, no I/O, no clock reads; ``today`` and the time zone come in. The
programme files (TOML) are read by ``catalogue.programmes``; the person's enrolment (which
programme, from which day) is a record in the store. Nothing about levels is stored: the level
of any day is replayed from the sessions and check-ins, so the same history always gives the same
answer in every front end.
Past 400 lines because the replay, the sentences that explain it and the week's plan all read one
weekly assessment (``_Week``); kept together so that a rule and the words for it cannot drift.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from enum import StrEnum

from deskstretch.core.models import Source
from deskstretch.core.painrules import DailyPain, daily_pain, is_worse_day
from deskstretch.core.records import (
    CheckIn,
    ProgrammeEvent,
    ProgrammeEventKind,
    SessionRecord,
    SessionStatus,
)
from deskstretch.core.wording import noun, plural


@dataclass(frozen=True)
class Level:
    """One stage of a programme: what it is for, what to play and how often."""

    number: int
    """1 for the first level; levels are numbered in order."""
    name: str
    aim: str
    """One sentence: what this level works on, in the person's words."""
    routines: tuple[str, ...]
    """Routine ids, played in turn through the week's sessions."""
    sessions_per_week: int
    """Planned guided sessions a week (ACSM: flexibility work 2-3 days a week or more)."""
    micro_breaks_per_day: int
    """Planned short posture breaks a working day (domain.md §6)."""
    min_weeks: int = 1
    """Whole weeks at this level before moving up is considered."""


@dataclass(frozen=True)
class ProgressionRule:
    """When a person moves up a level, checked at the end of each programme week over the last
    ``window_days``: at least ``min_sessions`` completed sessions, at most ``max_too_much`` of
    them too much, and the average daily back pain not above the level's starting average plus
    ``pain_margin`` points (0-10)."""

    window_days: int = 7
    min_sessions: int = 3
    max_too_much: int = 0
    pain_margin: float = 0.0


@dataclass(frozen=True)
class Programme:
    id: str
    name: str
    summary: str
    weeks: int
    levels: tuple[Level, ...]
    progression: ProgressionRule
    remeasure_weeks: tuple[int, ...] = (1, 3, 6)
    """Programme weeks (1 = the first) at whose start the plan asks for a re-measure."""
    lessons: tuple[tuple[int, str], ...] = ()
    """(week, lesson id) pairs: which short lesson each week offers."""
    sources: tuple[Source, ...] = ()


# -- Where a person stands: the history replayed week by week --------------------------------------

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
# Regression, ours as a weekly form of domain.md §3.3 rules 3-4: a programme week with two worse
# days in a row (rule 4 pauses the programme for them) or with this many sessions too much
# (rule 3) sends the person down one level at the end of that week.
TOO_MUCH_TO_MOVE_DOWN = 2
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


class LevelMove(StrEnum):
    START = "start"
    UP = "up"
    DOWN = "down"
    AGAIN = "again"
    """A setback at level 1: the level starts over, as there is none lower."""


@dataclass(frozen=True)
class LevelChange:
    """From ``starts_on``, the first day of programme week ``week``, the person is at level
    ``level`` (a Level.number); ``reason`` is one sentence in plain words."""

    week: int
    starts_on: date
    level: int
    move: LevelMove
    reason: str


@dataclass(frozen=True)
class Standing:
    """Where a person is in their programme on ``today`` (see ``standing``)."""

    programme_id: str
    today: date
    week: int
    """The programme week holding today, 1-based; past ``weeks`` once the programme is finished."""
    weeks: int
    week_starts: date
    next_week_starts: date
    """The first day of the next programme week: when the next level change can happen."""
    is_finished: bool
    level: Level
    level_count: int
    levels: tuple[LevelChange, ...]
    """The level history, oldest first; the first entry is the start at level 1."""
    sessions_done: int
    """Completed sessions this programme week (partial and interrupted ones do not count)."""
    sessions_planned: int
    done_on: tuple[date, ...]
    """The local day of each completed session this week, oldest first (a day repeats)."""
    sessions_at_level: int
    """Completed sessions since the current level began: which routine comes next."""
    routine_id: str
    """Today's routine: the level's routines in turn."""
    remeasure_week: int | None
    """The programme week whose re-measure is due and not yet done; None when none is due."""
    paused: str | None
    """Why the programme is paused (a red flag or the pain pause), or None."""
    next_change: str
    """One sentence: what changes next and why."""

    @property
    def is_remeasure_due(self) -> bool:
        return self.remeasure_week is not None


@dataclass(frozen=True)
class _Records:
    """The history up to today by local day: completed and too-much sessions, pain readings."""

    completed: Counter[date]
    too_much: Counter[date]
    back: dict[date, int]
    daily: tuple[DailyPain, ...]
    days: tuple[date, ...]


def _records(
    sessions: Iterable[SessionRecord], checkins: Iterable[CheckIn], tz: tzinfo, today: date
) -> _Records:
    completed: Counter[date] = Counter()
    too_much: Counter[date] = Counter()
    for session in sessions:
        day = session.local_day(tz)
        if day > today:
            continue
        # Records are honest (records.honest_status): only a completed session counts as done.
        if session.status is SessionStatus.COMPLETED:
            completed[day] += 1
        if session.too_much:
            too_much[day] += 1
    daily = tuple(reading for reading in daily_pain(checkins, tz) if reading.day <= today)
    back = {r.day: r.back_pain for r in daily if r.back_pain is not None}
    return _Records(completed, too_much, back, daily, tuple(r.day for r in daily))


def _span(first: date, last: date) -> Iterable[date]:
    return (first + ONE_DAY * offset for offset in range((last - first).days + 1))


def _count(counter: Counter[date], first: date, last: date) -> int:
    return sum(counter[day] for day in _span(first, last))


def _mean(back: dict[date, int], first: date, last: date) -> float | None:
    values = [back[day] for day in _span(first, last) if day in back]
    return sum(values) / len(values) if values else None


def _flare(records: _Records, first: date, last: date) -> tuple[date, date] | None:
    """Two worse days in a row (§3.3 rule 4, as painrules.find_pause reads it: consecutive
    recorded days), the second of them between ``first`` and ``last``."""
    daily = records.daily
    for index in range(max(2, bisect_left(records.days, first)), len(daily)):
        if daily[index].day > last:
            break
        if is_worse_day(daily[index], daily[index - 1]) and is_worse_day(
            daily[index - 1], daily[index - 2]
        ):
            return daily[index - 1].day, daily[index].day
    return None


@dataclass(frozen=True)
class _Week:
    """What one programme week (so far) says: the progression window's completed and too-much
    sessions and mean back pain, the level's starting mean, and why to move down (or None)."""

    done: int
    too_much: int
    pain: float | None
    baseline: float | None
    setback: str | None


def _assess(
    records: _Records, rule: ProgressionRule, boundary: date, level_start: date, entered: date
) -> _Week:
    """The week that ends the day before ``boundary``, at a level that began on ``level_start``
    and was first entered on ``entered``."""
    window = timedelta(days=rule.window_days)
    last = boundary - ONE_DAY
    # Ours: the window counts only days at this level, so a week at another level (or the week
    # that moved the person down) never earns a move up.
    first = max(boundary - window, level_start)
    # The level's starting mean: the window before it was first entered; without readings there,
    # its first window of readings (a newcomer's first-run rating and first week). A level
    # entered again after a setback keeps the mean it started with, not the flare's.
    baseline = _mean(records.back, entered - window, entered - ONE_DAY)
    if baseline is None:
        baseline = _mean(records.back, entered, min(entered + window - ONE_DAY, last))
    reasons: list[str] = []
    flare = _flare(records, boundary - ONE_WEEK, last)
    if flare is not None:
        reasons.append(
            f"your pain was higher two days in a row ({_day(flare[0])} and {_day(flare[1])})"
        )
    too_much_week = _count(records.too_much, boundary - ONE_WEEK, last)
    if too_much_week >= TOO_MUCH_TO_MOVE_DOWN:
        reasons.append(f"{_words(too_much_week)} sessions felt too much")
    return _Week(
        _count(records.completed, first, last),
        _count(records.too_much, first, last),
        _mean(records.back, first, last),
        baseline,
        " and ".join(reasons) or None,
    )


def _is_worse(week: _Week, rule: ProgressionRule) -> bool:
    """No readings in the window (or none to compare with) count as not worse."""
    return (
        week.pain is not None
        and week.baseline is not None
        and week.pain > week.baseline + rule.pain_margin
    )


def _earns_move_up(week: _Week, rule: ProgressionRule) -> bool:
    return (
        week.done >= rule.min_sessions
        and week.too_much <= rule.max_too_much
        and not _is_worse(week, rule)
    )


def standing(
    programme: Programme,
    started: date,
    sessions: Iterable[SessionRecord],
    checkins: Iterable[CheckIn],
    today: date,
    tz: tzinfo,
    measured_on: Iterable[date] = (),
    paused: str | None = None,
    paused_since: date | None = None,
    pauses: Iterable[PausePeriod] = (),
    start_level: int = 1,
) -> Standing:
    """Replay the history from the enrolment day ``started`` and say where the person is today.

    Weeks run 7 days from ``started``; sessions and check-ins fall on their local day in ``tz``,
    and records after ``today`` are ignored. At the end of each programme week but the last, in
    order: a setback (two worse days in a row, or TOO_MUCH_TO_MOVE_DOWN sessions too much, in that
    week) moves down one level, never below 1; otherwise, after the level's ``min_weeks``, the
    progression rule moves up one level, never above the last. ``paused`` (the reason, decided by
    the Coach) stops moves up while it lasts; ``paused_since``, when known, is its first day, so
    that the weeks it covered earn no move up when the history is replayed later (without it only
    the current week is held). ``pauses``: the pauses the history holds (``pause_periods``): no
    move up counts a day in one, so lifting a pause never moves the person up for the weeks it
    covered (a setback still counts: the pain rules win). ``measured_on``: local days of the
    re-measurements. A ``today`` before ``started`` counts as the first day. ``start_level``:
    the level (its number) the person chose to start at, 1 unless they chose another.
    """
    _check(programme)
    today = max(today, started)
    week_no = (today - started).days // 7 + 1
    records = _records(sessions, checkins, tz, today)
    rule, levels = programme.progression, programme.levels
    window, periods = timedelta(days=rule.window_days), tuple(pauses)
    index, level_start = min(max(start_level, 1), len(levels)) - 1, started
    entered = {index: started}
    where = "Where you start." if index == 0 else "Where you chose to start."
    history = [LevelChange(1, started, levels[index].number, LevelMove.START, where)]
    for week in range(1, min(week_no, programme.weeks)):
        boundary = started + ONE_WEEK * week
        assessed = _assess(records, rule, boundary, level_start, entered[index])
        held = (paused is not None and paused_since is not None and paused_since < boundary) or (
            _in_a_pause(periods, max(boundary - window, level_start), boundary - ONE_DAY)
        )
        if assessed.setback is not None:
            move, reason = (LevelMove.DOWN if index else LevelMove.AGAIN), assessed.setback
            index = max(0, index - 1)
        elif (
            index + 1 < len(levels)
            and (boundary - level_start).days // 7 >= levels[index].min_weeks
            and not held
            and _earns_move_up(assessed, rule)
        ):
            move, reason = LevelMove.UP, _up_reason(assessed, rule)
            index += 1
        else:
            continue
        level_start = boundary
        entered.setdefault(index, boundary)
        history.append(LevelChange(week + 1, boundary, levels[index].number, move, _cap(reason)))

    level = levels[index]
    week_starts = started + ONE_WEEK * (week_no - 1)
    next_week = week_starts + ONE_WEEK
    at_level = _count(records.completed, level_start, today)
    current = _assess(records, rule, next_week, level_start, entered[index])
    return Standing(
        programme_id=programme.id,
        today=today,
        week=week_no,
        weeks=programme.weeks,
        week_starts=week_starts,
        next_week_starts=next_week,
        is_finished=week_no > programme.weeks,
        level=level,
        level_count=len(levels),
        levels=tuple(history),
        sessions_done=_count(records.completed, week_starts, today),
        sessions_planned=level.sessions_per_week,
        done_on=tuple(
            day for day in _span(week_starts, today) for _ in range(records.completed[day])
        ),
        sessions_at_level=at_level,
        routine_id=level.routines[at_level % len(level.routines)],
        remeasure_week=_remeasure_due(programme, started, week_no, measured_on, today),
        paused=paused,
        next_change=_next_change(
            programme,
            index,
            week_no,
            current,
            level_start,
            next_week,
            today,
            paused,
            _in_a_pause(periods, max(next_week - window, level_start), next_week - ONE_DAY),
        ),
    )


PausePeriod = tuple[date, date | None]
"""A pause's first and last local day; None as the last: not lifted yet."""


def _in_a_pause(periods: Sequence[PausePeriod], first: date, last: date) -> bool:
    return any(start <= last and (end is None or end >= first) for start, end in periods)


def pause_periods(
    events: Iterable[ProgrammeEvent], daily: Sequence[DailyPain], tz: tzinfo
) -> tuple[PausePeriod, ...]:
    """Every pause the history holds, oldest first, replayed from the stored events and the
    daily pain readings (``daily_pain``, the whole history):

    * safety answers that locked the routines (SAFETY_LOCKED) until answers let them play again
      (SAFETY_CLEARED);
    * re-asked cauda equina questions (QUESTIONS_DUE) until answered (QUESTIONS_ANSWERED);
    * two worse days in a row (§3.3 rule 4, as ``painrules.find_pause`` reads them: after a
      resume, both worse days must come after its day), from the second until the day the
      person lifted it (a RESUMED_* event).
    """
    periods: list[PausePeriod] = []
    opened: dict[str, date] = {}
    resumes: list[date] = []
    starts = {ProgrammeEventKind.SAFETY_LOCKED: "safety", ProgrammeEventKind.QUESTIONS_DUE: "ask"}
    ends = {
        ProgrammeEventKind.SAFETY_CLEARED: "safety",
        ProgrammeEventKind.QUESTIONS_ANSWERED: "ask",
    }
    for event in sorted(events, key=lambda e: e.at):
        day = event.at.astimezone(tz).date()
        if event.kind.is_resume:
            resumes.append(day)
        elif event.kind in starts:
            opened.setdefault(starts[event.kind], day)
        elif event.kind in ends and ends[event.kind] in opened:
            periods.append((opened.pop(ends[event.kind]), day))
    periods += [(start, None) for start in opened.values()]
    periods += _pain_pauses(daily, resumes)
    return tuple(sorted(periods, key=lambda period: period[0]))


def _pain_pauses(daily: Sequence[DailyPain], resumes: Sequence[date]) -> list[PausePeriod]:
    found: list[PausePeriod] = []
    start: date | None = None
    resumed_on: date | None = None
    pending = iter(resumes)
    upcoming = next(pending, None)
    for index, reading in enumerate(daily):
        while upcoming is not None and upcoming < reading.day:
            if start is not None and upcoming >= start:
                found.append((start, upcoming))
                start = None
            resumed_on, upcoming = upcoming, next(pending, None)
        if (
            start is None
            and index >= 2
            and (resumed_on is None or daily[index - 1].day > resumed_on)
            and is_worse_day(reading, daily[index - 1])
            and is_worse_day(daily[index - 1], daily[index - 2])
        ):
            start = reading.day
    while start is not None and upcoming is not None:
        if upcoming >= start:
            found.append((start, upcoming))
            start = None
        upcoming = next(pending, None)
    if start is not None:
        found.append((start, None))
    return found


def _check(programme: Programme) -> None:
    if programme.weeks < 1 or not programme.levels or not all(x.routines for x in programme.levels):
        raise ValueError(
            f"Programme {programme.id!r} needs a week or more, a level or more, and a routine in"
            " every level."
        )


def _remeasure_due(
    programme: Programme, started: date, week_no: int, measured_on: Iterable[date], today: date
) -> int | None:
    """The latest re-measure week reached, unless a measurement since its first day exists."""
    reached = [week for week in programme.remeasure_weeks if week <= min(week_no, programme.weeks)]
    if not reached:
        return None
    latest = max(reached)
    first_day = started + ONE_WEEK * (latest - 1)
    return None if any(first_day <= day <= today for day in measured_on) else latest


# -- In words ------------------------------------------------------------------------------------


def _words(count: int) -> str:
    return _WORDS[count] if 0 <= count < len(_WORDS) else str(count)


def _sessions(count: int, more: str = "") -> str:
    return f"{count} {more}{noun(count, 'session')}"


def _day(day: date) -> str:
    return f"{day.day} {day:%B}"


def _weekday(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _cap(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _window(rule: ProgressionRule) -> str:
    return "this week" if rule.window_days == 7 else f"in the last {rule.window_days} days"


def _up_reason(week: _Week, rule: ProgressionRule) -> str:
    too_much = "none felt too much" if not week.too_much else f"{week.too_much} felt too much"
    pain = (
        ", and your back pain was no worse than when the level began"
        if week.pain is not None and week.baseline is not None
        else ""
    )
    return f"you did {_sessions(week.done)} in the {rule.window_days} days before, {too_much}{pain}"


def _next_change(
    programme: Programme,
    index: int,
    week_no: int,
    week: _Week,
    level_start: date,
    next_week: date,
    today: date,
    paused: str | None,
    held: bool = False,
) -> str:
    levels, rule = programme.levels, programme.progression
    number = levels[index].number
    if week_no > programme.weeks:
        return f"The programme is finished: you reached level {number} of {len(levels)}."
    if week_no == programme.weeks:
        return f"This is the programme's last week: it ends after {_weekday(next_week - ONE_DAY)}."
    if week.setback is not None:
        if index == 0:
            return f"Level {number} again next week: {week.setback}."
        return f"Back to level {levels[index - 1].number} next week: {week.setback}."
    if paused is not None:
        return f"You stay at level {number} next week: no moving up while the programme is paused."
    if index + 1 == len(levels):
        return f"You stay at level {number}, the last level, to the end of the programme."
    min_weeks = levels[index].min_weeks
    if (next_week - level_start).days // 7 < min_weeks:
        return (
            f"You stay at level {number} next week: this level lasts at least"
            f" {plural(min_weeks, 'week')}."
        )
    if held:
        return (
            f"You stay at level {number} next week: the days of the pause do not count toward"
            " moving up."
        )
    window = _window(rule)
    if week.too_much > rule.max_too_much:
        sessions = "session" if week.too_much == 1 else "sessions"
        return (
            f"You stay at level {number} next week:"
            f" {_words(week.too_much)} {sessions} felt too much {window}."
        )
    need = rule.min_sessions - week.done
    # Ours: one session a day is the most we suggest, so more than the days left is out of reach.
    if need > (next_week - today).days:
        return (
            f"You stay at level {number} next week:"
            f" {week.done} of {_sessions(rule.min_sessions)} {window}."
        )
    allowance = rule.max_too_much - week.too_much
    conditions = [f"you do {_sessions(need, 'more ')} {window}"] if need > 0 else []
    if allowance:
        conditions.append(
            f"at most {allowance} more {'feels' if allowance == 1 else 'feel'} too much"
        )
    else:
        conditions.append("none feels too much" if need > 0 else "no session feels too much")
    if _is_worse(week, rule):
        limit = (week.baseline or 0.0) + rule.pain_margin
        conditions.append(f"your back pain comes down to {limit:.1f} or less on average")
    return f"From {_weekday(next_week)}: level {levels[index + 1].number} if {_join(conditions)}."


# -- The week's plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDay:
    day: date
    routine_id: str | None
    """The session planned on this day; None on a rest day, a past day or a day already done."""
    sessions_done: int
    micro_breaks: int
    """Short posture breaks planned through the working day (domain.md §6)."""


@dataclass(frozen=True)
class WeekPlan:
    week: int
    level: Level
    days: tuple[PlanDay, ...]
    """The seven days of the programme week, from its first day."""


def week_plan(standing: Standing) -> WeekPlan:
    """The rest of the week's sessions spread evenly from today (or tomorrow, when a session was
    done today), one a day at most, with the level's routines in turn from today's; past days
    show what was done."""
    level, today = standing.level, standing.today
    done = Counter(standing.done_on)
    first = today + ONE_DAY if done[today] else today
    open_days = (standing.next_week_starts - first).days
    remaining = min(max(0, standing.sessions_planned - standing.sessions_done), open_days)
    turns = {first + ONE_DAY * (turn * open_days // remaining): turn for turn in range(remaining)}
    days: list[PlanDay] = []
    for day in _span(standing.week_starts, standing.next_week_starts - ONE_DAY):
        turn = turns.get(day)
        routine = (
            None
            if turn is None
            else level.routines[(standing.sessions_at_level + turn) % len(level.routines)]
        )
        days.append(PlanDay(day, routine, done[day], level.micro_breaks_per_day))
    return WeekPlan(standing.week, level, tuple(days))
