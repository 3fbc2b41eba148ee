"""Domain vocabulary: exercises, doses, steps and routines as frozen values.

Pure data: standard library only, no I/O. ``deskstretch.catalogue`` builds these from TOML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from deskstretch.core.pose import Pose


class Position(StrEnum):
    SEATED = "seated"
    STANDING = "standing"


class Laterality(StrEnum):
    """Whether an exercise is done once for both sides or once per side."""

    BILATERAL = "bilateral"
    UNILATERAL = "unilateral"


class ExerciseType(StrEnum):
    STATIC = "static"
    DYNAMIC = "dynamic"
    PNF = "pnf"
    NEURAL = "neural"
    STRENGTH = "strength"


class Side(StrEnum):
    """Which side a segment works: both at once, or the left or right one."""

    BOTH = "both"
    LEFT = "left"
    RIGHT = "right"


class SideOrder(StrEnum):
    """How a unilateral step visits the sides.

    ``alternate``: L, R, L, R (each leg rests while the other works; used for holds).
    ``blocked``: all reps on the left, then all on the right (used for rep-based moves).
    """

    ALTERNATE = "alternate"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Dose:
    """How much of an exercise to do.

    A *timed* dose holds a position ``reps`` times for ``hold_seconds`` (per side when unilateral),
    optionally preceded by a ``contract_seconds`` muscle contraction (self-PNF). A *rep* dose
    moves through ``reps`` repetitions at ``rep_seconds`` each (tempo). ``rest_seconds`` separates
    holds or sets on the same side.
    """

    reps: int
    hold_seconds: int = 0
    rep_seconds: float = 0.0
    rest_seconds: int = 0
    contract_seconds: int = 0

    @property
    def is_timed_hold(self) -> bool:
        return self.hold_seconds > 0

    def work_seconds_per_side(self) -> float:
        """Seconds of actual work on one side (holds, contractions or reps), no rests."""
        if self.is_timed_hold:
            return float(self.reps * (self.hold_seconds + self.contract_seconds))
        return self.reps * self.rep_seconds


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Exercise:
    """One catalogue entry. ``id`` is a slug, stable forever; ``code`` is the S01-style code."""

    id: str
    code: str
    name: str
    summary: str
    targets: tuple[str, ...]
    muscle_group: str
    position: Position
    laterality: Laterality
    equipment: tuple[str, ...]
    type: ExerciseType
    dose: Dose
    setup: str
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    cautions: tuple[str, ...]
    contraindications: tuple[str, ...]
    easier: tuple[str, ...]
    harder: tuple[str, ...]
    sources: tuple[Source, ...]
    side_order: SideOrder = SideOrder.ALTERNATE
    side_noun: str = "side"
    variant_notes: tuple[str, ...] = ()
    replaced_by: str = ""
    # Figure keyframes (joint angles; the near leg is the working leg), their phase labels and the
    # index of the one held during a static hold (-1: the last).
    keyframes: tuple[Pose, ...] = ()
    keyframe_labels: tuple[str, ...] = ()
    hold_on: int = -1

    @property
    def is_unilateral(self) -> bool:
        return self.laterality is Laterality.UNILATERAL


@dataclass(frozen=True)
class Step:
    """An exercise with the dose it gets inside one routine."""

    exercise: Exercise
    dose: Dose
    side_order: SideOrder
    note: str = ""


@dataclass(frozen=True)
class Routine:
    id: str
    name: str
    summary: str
    steps: tuple[Step, ...]
    position: Position | None = None
    get_ready_seconds: int = 10
    switch_seconds: int = 5
    transition_seconds: int = 10
    sources: tuple[Source, ...] = field(default=())
    origin: str = "built-in"

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return tuple(step.exercise.id for step in self.steps)
