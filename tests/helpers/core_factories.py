"""Small builders for core test data: exercises, steps and routines built in code, not from TOML."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from deskstretch.core.models import (
    Dose,
    Exercise,
    ExerciseType,
    Laterality,
    Position,
    Routine,
    SideOrder,
    Step,
)
from deskstretch.core.programme import Level, Programme, ProgressionRule
from deskstretch.core.records import CheckIn, SessionRecord, SessionStatus

HOLD_30 = Dose(reps=1, hold_seconds=30)


def make_exercise(
    exercise_id: str = "ex",
    *,
    unilateral: bool = False,
    dose: Dose = HOLD_30,
    side_order: SideOrder = SideOrder.ALTERNATE,
    side_noun: str = "side",
    setup: str = "Sit tall.",
    cues: tuple[str, ...] = ("Move slowly.",),
) -> Exercise:
    return Exercise(
        id=exercise_id,
        code="S99",
        name=f"Exercise {exercise_id}",
        summary="A test exercise.",
        targets=("hamstrings",),
        muscle_group="legs",
        position=Position.SEATED,
        laterality=Laterality.UNILATERAL if unilateral else Laterality.BILATERAL,
        equipment=("chair",),
        type=ExerciseType.PNF if dose.contract_seconds else ExerciseType.STATIC,
        dose=dose,
        setup=setup,
        cues=cues,
        mistakes=(),
        cautions=(),
        contraindications=(),
        easier=(),
        harder=(),
        sources=(),
        side_order=side_order,
        side_noun=side_noun,
    )


def make_step(
    exercise_id: str = "ex",
    dose: Dose = HOLD_30,
    *,
    unilateral: bool = False,
    side_order: SideOrder = SideOrder.ALTERNATE,
    side_noun: str = "side",
    setup: str = "Sit tall.",
    cues: tuple[str, ...] = ("Move slowly.",),
) -> Step:
    exercise = make_exercise(
        exercise_id,
        unilateral=unilateral,
        dose=dose,
        side_order=side_order,
        side_noun=side_noun,
        setup=setup,
        cues=cues,
    )
    return Step(exercise=exercise, dose=dose, side_order=side_order)


def make_routine(
    *steps: Step,
    get_ready_seconds: int = 10,
    switch_seconds: int = 5,
    transition_seconds: int = 10,
) -> Routine:
    return Routine(
        id="test-routine",
        name="Test routine",
        summary="Built in a test.",
        steps=steps,
        get_ready_seconds=get_ready_seconds,
        switch_seconds=switch_seconds,
        transition_seconds=transition_seconds,
    )


# -- Programmes and the records they replay -------------------------------------------------------


def make_level(
    number: int,
    *,
    routines: tuple[str, ...] | None = None,
    sessions_per_week: int = 3,
    micro_breaks_per_day: int = 4,
    min_weeks: int = 1,
) -> Level:
    return Level(
        number=number,
        name=f"Level {number}",
        aim="Test the programme.",
        routines=(f"level-{number}-a", f"level-{number}-b") if routines is None else routines,
        sessions_per_week=sessions_per_week,
        micro_breaks_per_day=micro_breaks_per_day,
        min_weeks=min_weeks,
    )


def make_programme(
    *levels: Level,
    weeks: int = 6,
    rule: ProgressionRule | None = None,
    remeasure_weeks: tuple[int, ...] = (1, 3, 6),
) -> Programme:
    """Three one-week-minimum levels unless ``levels`` are given."""
    return Programme(
        id="test-programme",
        name="Test programme",
        summary="Built in a test.",
        weeks=weeks,
        levels=levels or tuple(make_level(number) for number in (1, 2, 3)),
        progression=rule or ProgressionRule(),
        remeasure_weeks=remeasure_weeks,
    )


def local_at(day: date, hour: int = 9, minute: int = 0, tz: tzinfo = UTC) -> datetime:
    """A wall-clock time on ``day`` in ``tz`` (a ZoneInfo picks the offset of that date)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def make_session(
    at: datetime,
    status: SessionStatus = SessionStatus.COMPLETED,
    *,
    too_much: bool = False,
    routine_id: str = "r",
) -> SessionRecord:
    """A session started at ``at``, stored in UTC as the store keeps it."""
    return SessionRecord(
        id=f"s-{at.isoformat()}",
        routine_id=routine_id,
        routine_name="Routine",
        started_at=at.astimezone(UTC),
        status=status,
        too_much=too_much,
    )


def make_checkin(at: datetime, back: int | None, leg: int | None = None) -> CheckIn:
    return CheckIn(id=f"c-{at.isoformat()}", at=at.astimezone(UTC), back_pain=back, leg_pain=leg)
