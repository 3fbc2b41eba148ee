"""Routine adaptation: leave out or swap the exercises a person's conditions rule out.

Pure: standard library only, no I/O, no clock reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from deskstretch.core.models import Dose, Exercise, Routine, Step
from deskstretch.core.safety.advice import NO_STAND_IN, TAG_REASONS, join_words, tag_label


@dataclass(frozen=True)
class Change:
    """One exercise left out (``replacement`` None) or swapped, with a sentence saying why."""

    exercise: Exercise
    replacement: Exercise | None
    tags: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Adaptation:
    routine: Routine
    changes: tuple[Change, ...]


def blocking_tags(exercise: Exercise, tags: frozenset[str]) -> tuple[str, ...]:
    """The exercise's contraindication tags that are in ``tags``, in the exercise's order."""
    return tuple(tag for tag in exercise.contraindications if tag in tags)


def is_allowed(exercise: Exercise, tags: frozenset[str]) -> bool:
    return not blocking_tags(exercise, tags)


def filter_exercises(
    exercises: Mapping[str, Exercise], tags: frozenset[str]
) -> dict[str, Exercise]:
    """The exercises not contraindicated by ``tags``, keeping the mapping's order."""
    return {key: ex for key, ex in exercises.items() if is_allowed(ex, tags)}


def _reason(exercise: Exercise, replacement: Exercise | None, tags: tuple[str, ...]) -> str:
    action = "is left out" if replacement is None else f"is swapped for {replacement.name}"
    why = ", and ".join(TAG_REASONS[tag] for tag in tags if tag in TAG_REASONS)
    sentence = f"{exercise.name} {action} because you told us about "
    sentence += join_words(tag_label(tag) for tag in tags)
    sentence = f"{sentence}: this {why}." if why else f"{sentence}."
    if replacement is None:
        sentence += NO_STAND_IN
    return sentence


def _candidates(exercise: Exercise, exercises: Mapping[str, Exercise]) -> Iterator[Exercise]:
    """Possible stand-ins, best first: easier variants, then same muscle group and position,
    then same muscle group in any position (each in the mapping's order)."""
    for easier_id in exercise.easier:
        if easier_id in exercises:
            yield exercises[easier_id]
    same_group = [ex for ex in exercises.values() if ex.muscle_group == exercise.muscle_group]
    yield from (ex for ex in same_group if ex.position is exercise.position)
    yield from same_group


def _dose_kind(dose: Dose) -> tuple[bool, bool]:
    # A contract-relax hold is its own kind: keeping it on a plain stretch would cue contractions
    # the new exercise does not have (and dropping them from a PNF stand-in would lose its point).
    return (dose.is_timed_hold, dose.contract_seconds > 0)


def _swap_step(step: Step, replacement: Exercise) -> Step:
    kept = _dose_kind(step.dose) == _dose_kind(replacement.dose)
    dose = step.dose if kept else replacement.dose
    # The note belonged to the old exercise, so it does not carry over.
    return Step(exercise=replacement, dose=dose, side_order=replacement.side_order)


def adapt_routine(
    routine: Routine, exercises: Mapping[str, Exercise], tags: frozenset[str]
) -> Adaptation:
    """Swap or leave out every step whose exercise is contraindicated by ``tags``.

    A stand-in must be allowed, not retired (``replaced_by``) and not already in the routine.
    A routine that repeats an exercise gets the same stand-in each time, and one Change for it.
    The result may have no steps; the caller decides how to tell the person.
    """
    in_routine = set(routine.exercise_ids)
    decided: dict[str, Exercise | None] = {}
    changes: list[Change] = []
    steps: list[Step] = []
    for step in routine.steps:
        exercise = step.exercise
        blocked = blocking_tags(exercise, tags)
        if not blocked:
            steps.append(step)
            continue
        if exercise.id not in decided:
            replacement = next(
                (
                    candidate
                    for candidate in _candidates(exercise, exercises)
                    if is_allowed(candidate, tags)
                    and not candidate.replaced_by
                    and candidate.id not in in_routine
                ),
                None,
            )
            decided[exercise.id] = replacement
            if replacement is not None:
                in_routine.add(replacement.id)
            changes.append(
                Change(exercise, replacement, blocked, _reason(exercise, replacement, blocked))
            )
        chosen = decided[exercise.id]
        if chosen is not None:
            steps.append(_swap_step(step, chosen))
    position = routine.position
    if position is not None and any(step.exercise.position is not position for step in steps):
        position = None  # a swap brought in the other position: the routine is now mixed
    adapted = dataclasses.replace(routine, steps=tuple(steps), position=position)
    return Adaptation(adapted, tuple(changes))
