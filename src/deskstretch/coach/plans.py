"""The person's programme today: their enrolment, the programme file and their history, replayed
by ``core.programme`` into where they stand (week, level, today's session, what changes next),
with the week's plan and the lessons it offers so far.

Also the sentences both front ends show about a programme (its rules, doses and where the person
stands), so the terminal and the browser say the same thing in the same words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from deskstretch.catalogue.lessons import Lesson
from deskstretch.core.models import Routine
from deskstretch.core.painrules import DailyPain, PainPlan
from deskstretch.core.programme import (
    Level,
    Programme,
    ProgressionRule,
    Standing,
    WeekPlan,
    pause_periods,
    standing,
    week_plan,
)
from deskstretch.core.records import (
    CheckIn,
    Enrolment,
    Measurement,
    ProgrammeEvent,
    SessionRecord,
)
from deskstretch.core.safety import SafetyStatus, SafetyVerdict
from deskstretch.core.wording import plural

SAFETY_PAUSE = "Your safety answers lock the routines for now: see the Safety page."
PAIN_PAUSE = (
    "Two worse days in a row paused the programme until you say you have seen a clinician or "
    "feel back to your usual."
)
QUESTIONS_PAUSE = "The bladder, bowel and leg questions wait for your answers."


@dataclass(frozen=True)
class ProgrammeToday:
    programme: Programme
    enrolment: Enrolment
    standing: Standing
    plan: WeekPlan
    lessons: tuple[Lesson, ...]
    """The lessons offered up to this week, in the programme's order."""
    unread: tuple[Lesson, ...]
    """Of those, the ones not read yet: the first is the one to suggest."""


def is_safety_pause(verdict: SafetyVerdict) -> bool:
    """Whether the safety answers hold the programme still (red flags, locks, no answers)."""
    return verdict.status is not SafetyStatus.OK or not verdict.routines_allowed


def pause_reason(verdict: SafetyVerdict, pain: PainPlan) -> tuple[str | None, date | None]:
    """Why the programme holds still today, if it does, and since which day (when known).
    Red flags come first: they win over any other rule."""
    if is_safety_pause(verdict):
        return SAFETY_PAUSE, None
    if pain.questions_due:
        return QUESTIONS_PAUSE, None
    if pain.paused:
        return PAIN_PAUSE, (pain.paused_by[-1] if pain.paused_by else None)
    return None, None


def programme_today(
    programme: Programme,
    enrolment: Enrolment,
    *,
    sessions: Sequence[SessionRecord],
    checkins: Sequence[CheckIn],
    measurements: Iterable[Measurement],
    today: date,
    tz: tzinfo,
    paused: tuple[str | None, date | None],
    lessons: Sequence[Lesson],
    lessons_read: Iterable[str],
    events: Sequence[ProgrammeEvent] = (),
    daily: Sequence[DailyPain] = (),
) -> ProgrammeToday:
    """Where the person stands in ``programme`` on ``today``, from their records. ``events`` and
    ``daily`` (the whole history's daily pain readings) tell the pauses the history holds: no
    move up counts their days."""
    reason, since = paused
    started = enrolment.started_on
    now_standing = standing(
        programme,
        started,
        sessions_since(sessions, started),
        checkins_read_by_standing(
            checkins, started - timedelta(programme.progression.window_days), tz
        ),
        today,
        tz,
        measured_on=tuple(m.at.astimezone(tz).date() for m in measurements),
        paused=reason,
        paused_since=since,
        pauses=pause_periods(events, daily, tz),
        start_level=enrolment.start_level,
    )
    by_id = {lesson.id: lesson for lesson in lessons}
    offered = tuple(
        by_id[lesson_id]
        for week, lesson_id in sorted(programme.lessons, key=lambda pair: pair[0])
        if week <= now_standing.week and lesson_id in by_id
    )
    read = set(lessons_read)
    return ProgrammeToday(
        programme=programme,
        enrolment=enrolment,
        standing=now_standing,
        plan=week_plan(now_standing),
        lessons=offered,
        unread=tuple(lesson for lesson in offered if lesson.id not in read),
    )


# Records ``core.programme.standing`` never reads, left out before it replays the history: Today
# shows the programme on every visit, and a year of history (2,000 check-ins) otherwise costs a
# few milliseconds a time (bench: docs/performance.md). tests/coach/test_plans.py checks that the
# standing is the same with and without them.


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


def sessions_since(sessions: Sequence[SessionRecord], first_day: date) -> list[SessionRecord]:
    """The sessions from the enrolment day ``first_day`` on, and a few from the day before
    (``standing`` counts none before ``first_day``, whatever the time zone)."""
    # A day before first_day in UTC is before its local start in every zone (offsets < 24 h).
    cutoff = _utc_midnight(first_day - timedelta(days=1))
    return [session for session in sessions if session.started_at >= cutoff]


def checkins_read_by_standing(
    checkins: Sequence[CheckIn], first_day: date, tz: tzinfo
) -> Sequence[CheckIn]:
    """Every check-in of the local days ``standing`` may read: from ``first_day`` (the
    progression window before the enrolment: a level's starting pain) on, and the two recorded
    days before it (two worse days in a row compare with the two days before). Whole local days
    only, as a day's reading is its first rating."""
    span = 3
    while True:
        lower = first_day - timedelta(days=span)
        cutoff = _utc_midnight(lower - timedelta(days=1))  # before ``lower`` began in any zone
        recent = [checkin for checkin in checkins if checkin.at >= cutoff]
        if len(recent) == len(checkins) or span > 400:
            return checkins  # little or nothing to leave out: read them all
        on_day = [
            (checkin.at.astimezone(tz).date(), checkin)
            for checkin in recent
            if checkin.back_pain is not None or checkin.leg_pain is not None
        ]
        # Every check-in of a day from ``lower`` on is in ``recent``: when two recorded days
        # before ``first_day`` are among them, they are the latest two.
        if len({day for day, _ in on_day if lower <= day < first_day}) >= 2:
            return [checkin for day, checkin in on_day if day >= lower]
        span *= 4


# -- In words: what the terminal and the browser both say ------------------------------------------

PAIN_RULES = (
    "The pain rules apply at every level: after a session that was too much, the next one is"
    " easier; a day with more pain than the day before makes the doses lighter; two such days in"
    " a row pause the programme until you have seen a clinician or your back feels as usual."
)
"""The pain rules in plain words (docs/programme-format.md says the same)."""


def weeks_text(count: int) -> str:
    """ "1 week" or "6 weeks"."""
    return plural(count, "week")


def week_list(numbers: tuple[int, ...]) -> str:
    """ "week 1" or "weeks 1, 3 and 6"."""
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return f"week {words[0]}"
    return "weeks " + ", ".join(words[:-1]) + " and " + words[-1]


def progression_text(rule: ProgressionRule) -> str:
    """The progression rule in plain words."""
    too_much = "none of them" if rule.max_too_much == 0 else f"at most {rule.max_too_much} of them"
    margin = (
        "no higher than"
        if rule.pain_margin == 0
        else f"at most {rule.pain_margin:g} points higher than"
    )
    sessions = "session" if rule.min_sessions == 1 else "sessions"
    return (
        f"You move up a level at the end of a programme week when the last {rule.window_days}"
        f" days had at least {rule.min_sessions} completed {sessions}, {too_much} too much,"
        f" and your average back pain was {margin} when the level began."
    )


def planned_weeks(programme: Programme) -> list[tuple[int, int]]:
    """(first, last) week of each level if every move up comes as early as it can."""
    spans = []
    start = 1
    for index, level in enumerate(programme.levels):
        last = (
            programme.weeks if index == len(programme.levels) - 1 else start + level.min_weeks - 1
        )
        spans.append((start, last))
        start += level.min_weeks
    return spans


def level_span_text(level: Level, span: tuple[int, int]) -> str:
    """When a level comes: "weeks 1-2 if you move up as planned; at least 2 weeks"."""
    weeks = f"weeks {span[0]}-{span[1]}" if span[1] > span[0] else f"week {span[0]}"
    return f"{weeks} if you move up as planned; at least {weeks_text(level.min_weeks)}"


def level_dose_text(level: Level) -> str:
    """How often at a level: "3 sessions a week, 6 micro-breaks a day"."""
    breaks = "micro-break" if level.micro_breaks_per_day == 1 else "micro-breaks"
    sessions = "session" if level.sessions_per_week == 1 else "sessions"
    return (
        f"{level.sessions_per_week} {sessions} a week, {level.micro_breaks_per_day} {breaks} a day"
    )


def work_text(routine: Routine) -> str:
    """Seconds of work per muscle group in one playing ("hamstrings 60 s per leg")."""
    seconds: dict[str, float] = defaultdict(float)
    nouns: dict[str, set[str]] = defaultdict(set)
    for step in routine.steps:
        group = step.exercise.muscle_group
        seconds[group] += step.dose.work_seconds_per_side()
        nouns[group].add(step.exercise.side_noun if step.exercise.is_unilateral else "")
    parts = []
    for group, total in seconds.items():
        per = nouns[group]
        suffix = f" per {next(iter(per))}" if len(per) == 1 and "" not in per else ""
        parts.append(f"{group.replace('-', ' ')} {total:g} s{suffix}")
    return ", ".join(parts)


def week_text(now: Standing) -> str:
    """Where the person is: "week 2 of 6", or "finished (6 weeks)"."""
    if now.is_finished:
        return f"finished ({weeks_text(now.weeks)})"
    return f"week {now.week} of {now.weeks}"


def level_text(now: Standing) -> str:
    """ "Level 1 of 3: Gentle start." """
    return f"Level {now.level.number} of {now.level_count}: {now.level.name}."


def this_week_text(now: Standing) -> str:
    """ "This week: 1 of 3 sessions done, and 6 short breaks a working day." """
    sessions = "session" if now.sessions_planned == 1 else "sessions"
    return (
        f"This week: {now.sessions_done} of {now.sessions_planned} {sessions} done,"
        f" and {now.level.micro_breaks_per_day} short breaks a working day."
    )


def programme_outline(programme: Programme) -> str:
    """A programme at a glance: "6 weeks, 3 levels, 3 to 5 sessions a week"."""
    counts = sorted({level.sessions_per_week for level in programme.levels})
    sessions = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
    noun = "session" if counts == [1] else "sessions"
    levels = "level" if len(programme.levels) == 1 else "levels"
    return (
        f"{weeks_text(programme.weeks)}, {len(programme.levels)} {levels}, {sessions} {noun} a week"
    )


def finished_text(now: Standing) -> str:
    """ "You finished at level 3 of 3." """
    return f"You finished at level {now.level.number} of {now.level_count}."
