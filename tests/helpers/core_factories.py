"""Small builders for core test data: exercises, steps and routines built in code, not from TOML."""

from __future__ import annotations

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
