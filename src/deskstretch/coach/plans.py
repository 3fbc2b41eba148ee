"""The person's programme today: their enrolment, the programme file and their history, replayed
by ``core.programme`` into where they stand (week, level, today's session, what changes next),
with the week's plan and the lessons it offers so far."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from deskstretch.catalogue.lessons import Lesson
from deskstretch.core.painrules import PainPlan
from deskstretch.core.programme import Programme, Standing, WeekPlan, standing, week_plan
from deskstretch.core.records import CheckIn, Enrolment, Measurement, SessionRecord
from deskstretch.core.safety import SafetyStatus, SafetyVerdict

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


def pause_reason(verdict: SafetyVerdict, pain: PainPlan) -> tuple[str | None, date | None]:
    """Why the programme holds still today, if it does, and since which day (when known).
    Red flags come first: they win over any other rule."""
    if verdict.status is not SafetyStatus.OK or not verdict.routines_allowed:
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
) -> ProgrammeToday:
    """Where the person stands in ``programme`` on ``today``, from their records."""
    reason, since = paused
    now_standing = standing(
        programme,
        enrolment.started_on,
        sessions,
        checkins,
        today,
        tz,
        measured_on=tuple(m.at.astimezone(tz).date() for m in measurements),
        paused=reason,
        paused_since=since,
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
