"""Turn a routine into an ordered list of timed segments, each with its cue text.

Pure: no clock reads and no sleeping. Every front end (terminal, browser, reminders) plays the same
timeline, so a routine lasts the same and says the same everywhere.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import StrEnum

from deskstretch.core.models import Dose, Routine, Side, SideOrder, Step


class SegmentKind(StrEnum):
    GET_READY = "get_ready"
    CONTRACT = "contract"
    HOLD = "hold"
    REPS = "reps"
    REST = "rest"
    SWITCH_SIDE = "switch_side"
    TRANSITION = "transition"

    @property
    def is_work(self) -> bool:
        """Work segments are the ones that count as exercise done (not waiting or moving)."""
        return self in (SegmentKind.CONTRACT, SegmentKind.HOLD, SegmentKind.REPS)


KIND_TITLES: dict[SegmentKind, str] = {
    SegmentKind.GET_READY: "Get ready",
    SegmentKind.CONTRACT: "Press gently",
    SegmentKind.HOLD: "Hold",
    SegmentKind.REPS: "Move",
    SegmentKind.REST: "Relax",
    SegmentKind.SWITCH_SIDE: "Switch sides",
    SegmentKind.TRANSITION: "Next exercise",
}


@dataclass(frozen=True)
class Segment:
    """One timed piece of a routine. ``start_seconds`` is measured from the start of the routine."""

    index: int
    kind: SegmentKind
    step_index: int
    exercise_id: str
    exercise_name: str
    side: Side
    set_number: int
    sets_total: int
    start_seconds: float
    duration_seconds: float
    cue: str
    reps: int = 0
    rep_seconds: float = 0.0

    @property
    def end_seconds(self) -> float:
        return self.start_seconds + self.duration_seconds

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    def rep_at(self, elapsed_seconds: float) -> int:
        """1-based repetition number ``elapsed_seconds`` into a REPS segment (0 for other kinds)."""
        if self.kind is not SegmentKind.REPS or self.rep_seconds <= 0:
            return 0
        return min(self.reps, int(elapsed_seconds // self.rep_seconds) + 1)


@dataclass(frozen=True)
class Timeline:
    routine_id: str
    routine_name: str
    steps: tuple[Step, ...]
    segments: tuple[Segment, ...]

    @property
    def total_seconds(self) -> float:
        return self.segments[-1].end_seconds if self.segments else 0.0

    def index_at(self, offset_seconds: float) -> int:
        """Index of the segment playing at ``offset_seconds``; ``len(segments)`` once finished."""
        if offset_seconds < 0:
            return 0
        starts = [s.start_seconds for s in self.segments]
        index = bisect.bisect_right(starts, offset_seconds) - 1
        if index >= 0 and offset_seconds >= self.segments[index].end_seconds:
            return len(self.segments)
        return max(index, 0)

    def work_seconds(self, step_index: int | None = None) -> float:
        return sum(
            s.duration_seconds
            for s in self.segments
            if s.kind.is_work and (step_index is None or s.step_index == step_index)
        )

    def next_step_after(self, segment_index: int) -> Step | None:
        """The step after the one ``segment_index`` belongs to, if any."""
        if not self.segments:
            return None
        step_index = self.segments[min(segment_index, len(self.segments) - 1)].step_index
        return self.steps[step_index + 1] if step_index + 1 < len(self.steps) else None


def _side_phrase(step: Step, side: Side) -> str:
    if side is Side.BOTH:
        return ""
    return f"{side.value} {step.exercise.side_noun}"


def _work_cue(step: Step, kind: SegmentKind, side: Side, set_number: int, sets_total: int) -> str:
    dose = step.dose
    where = _side_phrase(step, side)
    where_text = f" on the {where}" if where else ""
    if kind is SegmentKind.CONTRACT:
        return (
            f"Press gently{where_text} for {dose.contract_seconds} seconds, "
            "about a third of your effort. Keep breathing."
        )
    if kind is SegmentKind.REPS:
        reps = f"{dose.reps} slow rep{'' if dose.reps == 1 else 's'}"
        first_cue = step.exercise.cues[0] if step.exercise.cues else ""
        tempo = _seconds_phrase(dose.rep_seconds)
        return f"{reps}{where_text}, about {tempo} each. {first_cue}".strip()
    count = f" ({set_number} of {sets_total})" if sets_total > 1 else ""
    return (
        f"Hold{where_text}{count} for {dose.hold_seconds} seconds. "
        "Ease into a mild pull, never pain. Breathe normally."
    )


def _seconds_phrase(seconds: float) -> str:
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def _work_plan(step: Step) -> list[tuple[Side, int]]:
    """The (side, set number) pairs of one step in the order they are done."""
    dose = step.dose
    sets = dose.reps if dose.is_timed_hold else 1
    if not step.exercise.is_unilateral:
        return [(Side.BOTH, n) for n in range(1, sets + 1)]
    sides = (Side.LEFT, Side.RIGHT)
    if step.side_order is SideOrder.ALTERNATE:
        return [(side, n) for n in range(1, sets + 1) for side in sides]
    return [(side, n) for side in sides for n in range(1, sets + 1)]


class _Builder:
    def __init__(self, routine: Routine) -> None:
        self.routine = routine
        self.segments: list[Segment] = []
        self.offset = 0.0

    def add(
        self,
        kind: SegmentKind,
        step_index: int,
        side: Side,
        duration: float,
        cue: str,
        set_number: int = 0,
        sets_total: int = 0,
        dose: Dose | None = None,
    ) -> None:
        if duration <= 0:
            return
        step = self.routine.steps[step_index]
        self.segments.append(
            Segment(
                index=len(self.segments),
                kind=kind,
                step_index=step_index,
                exercise_id=step.exercise.id,
                exercise_name=step.exercise.name,
                side=side,
                set_number=set_number,
                sets_total=sets_total,
                start_seconds=self.offset,
                duration_seconds=float(duration),
                cue=cue,
                reps=dose.reps if dose and kind is SegmentKind.REPS else 0,
                rep_seconds=dose.rep_seconds if dose and kind is SegmentKind.REPS else 0.0,
            )
        )
        self.offset += duration

    def add_step(self, step_index: int) -> None:
        step = self.routine.steps[step_index]
        dose = step.dose
        plan = _work_plan(step)
        sets_total = dose.reps if dose.is_timed_hold else 1
        previous: Side | None = None
        for side, set_number in plan:
            if previous is not None:
                if side is not previous:
                    noun = step.exercise.side_noun
                    self.add(
                        SegmentKind.SWITCH_SIDE,
                        step_index,
                        side,
                        self.routine.switch_seconds,
                        f"Switch to the {side.value} {noun} and set up the same way.",
                    )
                else:
                    self.add(
                        SegmentKind.REST,
                        step_index,
                        side,
                        dose.rest_seconds,
                        f"Relax and breathe. Next: hold {set_number} of {sets_total}.",
                    )
            if dose.is_timed_hold:
                self.add(
                    SegmentKind.CONTRACT,
                    step_index,
                    side,
                    dose.contract_seconds,
                    _work_cue(step, SegmentKind.CONTRACT, side, set_number, sets_total),
                    set_number,
                    sets_total,
                )
                self.add(
                    SegmentKind.HOLD,
                    step_index,
                    side,
                    dose.hold_seconds,
                    _work_cue(step, SegmentKind.HOLD, side, set_number, sets_total),
                    set_number,
                    sets_total,
                )
            else:
                self.add(
                    SegmentKind.REPS,
                    step_index,
                    side,
                    dose.reps * dose.rep_seconds,
                    _work_cue(step, SegmentKind.REPS, side, set_number, sets_total),
                    set_number,
                    sets_total,
                    dose,
                )
            previous = side


def _lead_in_cue(step: Step, first: bool) -> str:
    exercise = step.exercise
    start = "First" if first else "Next"
    side = ""
    if exercise.is_unilateral:
        side = f" Start with the left {exercise.side_noun}."
    return f"{start}: {exercise.name}. {exercise.setup}{side}"


def build_timeline(routine: Routine) -> Timeline:
    """Expand ``routine`` into segments: get ready, then each step's work with rests, side switches
    and a transition before every following step."""
    builder = _Builder(routine)
    for step_index, step in enumerate(routine.steps):
        first_side = Side.LEFT if step.exercise.is_unilateral else Side.BOTH
        if step_index == 0:
            builder.add(
                SegmentKind.GET_READY,
                step_index,
                first_side,
                routine.get_ready_seconds,
                _lead_in_cue(step, first=True),
            )
        else:
            builder.add(
                SegmentKind.TRANSITION,
                step_index,
                first_side,
                routine.transition_seconds,
                _lead_in_cue(step, first=False),
            )
        builder.add_step(step_index)
    return Timeline(
        routine_id=routine.id,
        routine_name=routine.name,
        steps=routine.steps,
        segments=tuple(builder.segments),
    )
