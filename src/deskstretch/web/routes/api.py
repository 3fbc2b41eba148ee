"""A small JSON API over the Coach: routines, exercises, check-ins and progress figures.

Bad input gets 422 with a message naming the field (400 for a body that is not JSON); a POST
needs the same Origin and X-CSRF-Token header as the pages (see ``web.security``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from deskstretch.core.models import Position
from deskstretch.core.records import CheckInContext
from deskstretch.web.api_schemas import (
    CheckInCreate,
    CheckInPublic,
    ExercisePublic,
    ProgressPublic,
    RoutinePublic,
    RoutineStepPublic,
    WeekPublic,
)
from deskstretch.web.deps import CoachDep, EquipmentQuery
from deskstretch.web.phrasing import dose_text, exercise_seconds, routine_seconds

router = APIRouter(prefix="/api")


@router.get("/routines")
def list_routines(coach: CoachDep) -> list[RoutinePublic]:
    return [
        RoutinePublic(
            id=r.id,
            name=r.name,
            summary=r.summary,
            position=r.position.value if r.position else "mixed",
            built_in=r.origin == "built-in",
            seconds=routine_seconds(r),
            steps=[
                RoutineStepPublic(
                    exercise_id=s.exercise.id,
                    exercise_name=s.exercise.name,
                    dose=dose_text(s.dose, s.exercise),
                )
                for s in r.steps
            ],
            play_url=f"/play/{r.id}",
            toml_url=f"/routines/{r.id}.toml",
        )
        for r in coach.routines()
    ]


@router.get("/exercises")
def list_exercises(
    coach: CoachDep,
    position: Position | None = None,
    target: Annotated[str | None, Query(max_length=40)] = None,
    equipment: EquipmentQuery = None,
) -> list[ExercisePublic]:
    return [
        ExercisePublic(
            id=e.id,
            code=e.code,
            name=e.name,
            summary=e.summary,
            position=e.position.value,
            targets=list(e.targets),
            muscle_group=e.muscle_group,
            equipment=list(e.equipment),
            dose=dose_text(e.dose, e),
            seconds=exercise_seconds(e),
            url=f"/library/{e.id}",
        )
        for e in coach.exercises(position, target, equipment)
    ]


@router.post("/checkins", status_code=201)
def create_checkin(coach: CoachDep, checkin: CheckInCreate) -> CheckInPublic:
    result = coach.check_in(
        checkin.back_pain, checkin.leg_pain, CheckInContext.ANYTIME, None, checkin.note
    )
    return CheckInPublic(
        id=result.checkin.id,
        at=result.checkin.at,
        back_pain=result.checkin.back_pain,
        leg_pain=result.checkin.leg_pain,
        messages=list(result.messages),
        reask_safety_questions=result.reask_cauda_equina,
    )


@router.get("/progress")
def progress(coach: CoachDep) -> ProgressPublic:
    summary = coach.progress_summary()
    return ProgressPublic(
        streak=summary.streak,
        goal_days=summary.goal_days,
        days_this_week=summary.this_week.days,
        sessions=summary.totals.real,
        work_minutes=round(summary.totals.work_minutes, 1),
        latest_back_pain=summary.pain.back.latest,
        latest_leg_pain=summary.pain.leg.latest,
        weeks=[
            WeekPublic(
                week_start=days.week_start.isoformat(),
                days=days.days,
                hamstring_minutes_per_leg=round(minutes.groups[0].per_leg_minutes or 0.0, 1),
            )
            for days, minutes in zip(summary.weeks, summary.minutes, strict=True)
        ],
    )
