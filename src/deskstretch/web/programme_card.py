"""Today's programme card: where the person is in their programme, in the words of
`deskstretch programme status` (week, level, today's session, this week, what changes next, the
re-measure check, the lesson, and from the last week on the review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from deskstretch.catalogue.lessons import Lesson
from deskstretch.coach import Coach
from deskstretch.coach.plans import (
    ProgrammeToday,
    finished_text,
    level_text,
    this_week_text,
    week_text,
)
from deskstretch.web.phrasing import ReviewView, review_view
from deskstretch.web.remeasure_box import RemeasureBox, remeasure_box


@dataclass(frozen=True)
class PlanDayRow:
    """One day of the programme week: the session planned, or what was done."""

    day: date
    label: str
    session: str
    """The planned session's name; '' on a rest day, a past day or a day already done."""
    sessions_done: int
    is_today: bool
    is_past: bool


@dataclass(frozen=True)
class ProgrammeCard:
    """Where the person is in their programme (the words of `deskstretch programme status`)."""

    programme_id: str
    name: str
    where: str
    """ "Week 2 of 6" or "Finished (6 weeks)"."""
    level: str
    aim: str
    is_finished: bool
    finished: str
    """ "You finished at level 3 of 3." once the programme's weeks are over."""
    paused: str
    routine_id: str
    """Today's session of the programme (played only while it runs)."""
    this_week: str
    next_change: str
    remeasure: RemeasureBox | None
    lesson: Lesson | None
    """This week's first unread lesson, if any."""
    days: tuple[PlanDayRow, ...]
    review: ReviewView | None = None
    """From the programme's last week on: the first week against the last, and the next step."""

    @property
    def is_running(self) -> bool:
        """Today's session is the programme's (not finished, not paused)."""
        return not self.is_finished and not self.paused


def _day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def programme_card(coach: Coach, now: ProgrammeToday) -> ProgrammeCard:
    standing = now.standing
    names = coach.routine_set.routines
    days = tuple(
        PlanDayRow(
            d.day,
            _day_label(d.day),
            (names[d.routine_id].name if d.routine_id in names else d.routine_id)
            if d.routine_id
            else "",
            d.sessions_done,
            d.day == standing.today,
            d.day < standing.today,
        )
        for d in now.plan.days
    )
    where = week_text(standing)
    return ProgrammeCard(
        programme_id=now.programme.id,
        name=now.programme.name,
        where=where[:1].upper() + where[1:],
        level=level_text(standing),
        aim=standing.level.aim,
        is_finished=standing.is_finished,
        finished=finished_text(standing),
        paused=standing.paused or "",
        routine_id=standing.routine_id,
        this_week=this_week_text(standing),
        next_change=standing.next_change,
        remeasure=remeasure_box(coach, now),
        lesson=now.unread[0] if now.unread else None,
        days=days,
        # Only from the last week on (the review reads the history the Coach already holds).
        review=review_view(coach.programme_review(), finished=standing.is_finished)
        if standing.week >= standing.weeks
        else None,
    )
