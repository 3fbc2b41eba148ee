"""Live form checks: an exercise's held keyframe (the posable figure) -> a ``FormTarget``, and the
camera's ``BodyAngles`` against it -> a ``FormVerdict`` (in position or not, and one cue).

Pure geometry: standard library only. Cues are about form, never about going deeper than the
figure: the bend check only asks for a start into the stretch, and past the figure it says ease off.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from deskstretch.core.body_angles import ANGLE_UNCERTAINTY_DEG, BodyAngles
from deskstretch.core.body_angles import Side as BodySide
from deskstretch.core.models import Exercise, ExerciseType, Position
from deskstretch.core.models import Side as StepSide
from deskstretch.core.pose import (
    Pose,
    Skeleton,
    knee_extension_deficit,
    solve,
    trunk_inclination,
    trunk_thigh_flexion,
)

# Tolerances. Every angle from a side-view camera is uncertain by about ±6° (domain.md §5.3);
# each limit adds room for real differences between bodies on top of that.
KNEE_ROOM_DEG = ANGLE_UNCERTAINTY_DEG + 4.0
"""A straight knee may show up to 10° bent (±6° measurement, 4° for a soft, unlocked knee): the
same 10° at which a sit-and-reach photo stops counting (domain.md §5.2)."""
UPRIGHT_ROOM_DEG = ANGLE_UNCERTAINTY_DEG + 9.0
"""Sitting or standing tall may lean 15° more than the figure (±6° measurement, 9° for posture
and a camera not quite level)."""
BEND_SHARE = 0.4
"""In the stretch once 40% of the way from the start keyframe to the held one: stiffer bodies feel
a mild pull well before the figure's depth, and that is enough."""
MIN_BEND_GAIN_DEG = 2 * ANGLE_UNCERTAINTY_DEG
"""... and at least 12° past the start (twice the uncertainty), so sitting tall never counts."""
EASE_OFF_ROOM_DEG = 25.0
"""Bending more than 25° past the figure gets 'ease off': more stretch than the figure shows is
never asked for, and this far past it is more than a mild pull for most people."""
STRAIGHT_KNEE_DEG = 10.0
"""A held keyframe with the working knee bent at most this much is a straight-leg stretch."""
BEND_MOVE_DEG = 15.0
"""A held keyframe this much more bent (trunk to thigh) than the start is a bend to hold."""
OUT_OF_PLANE_DEG = 15.0
"""Hip abduction or rotation (a crossed leg) or a twist past this: a side view cannot judge."""
MIN_VISIBILITY = 0.5
"""Below this landmark visibility the model is guessing (stack-notes §1)."""


class Check(StrEnum):
    """What the camera checks for one exercise's held position."""

    KNEE_STRAIGHT = "knee_straight"
    UPRIGHT = "upright"
    BEND = "bend"


class BendStyle(StrEnum):
    """How an exercise reaches its held bend, for the cue's words."""

    HINGE = "hinge"  # from the hips with a long back
    FOLD = "fold"  # rounding the back on purpose
    KNEE_UP = "knee_up"  # drawing a thigh up, trunk upright


@dataclass(frozen=True)
class FormTarget:
    """The held position of one exercise as the camera sees it, and the limits of each check.

    ``side`` is the leg to measure: the segment's side for a one-sided step, None for the
    camera-facing side. Empty ``checks``: no position gate, and ``note`` says why.
    """

    exercise_id: str
    side: BodySide | None
    position: Position
    knee_deficit_deg: float
    forward_bend_deg: float
    trunk_inclination_deg: float
    checks: tuple[Check, ...] = ()
    max_knee_deficit_deg: float = 0.0
    max_inclination_deg: float = 0.0
    min_forward_bend_deg: float = 0.0
    max_forward_bend_deg: float = 0.0
    bend_style: BendStyle = BendStyle.HINGE
    knee_words: str = "working"
    note: str = ""

    @property
    def gated(self) -> bool:
        """Whether the hold counts only while the position is right."""
        return bool(self.checks)


@dataclass(frozen=True)
class FormVerdict:
    """One frame against the target: in position (always True without a gate), and at most one
    cue, the most important one (knee, then posture, then the bend)."""

    in_position: bool
    cue: str | None
    failed: tuple[Check, ...] = ()
    gated: bool = True


NOT_HELD = "The camera checks the held stretches; for this part, follow the figure."
MOVING = "The camera cannot judge moving exercises, so the clock runs as usual: follow the figure."
NOT_A_STRETCH = "The camera checks held stretches; for this exercise, follow the figure."
OUT_OF_VIEW = (
    "A side-on camera cannot judge a twist or a crossed leg, so the clock runs as usual:"
    " follow the figure."
)


def working_side(side: StepSide) -> BodySide | None:
    """The leg to measure for a segment: its own side when one-sided, else None (the
    camera-facing side)."""
    return None if side is StepSide.BOTH else BodySide(side.value)


def form_target(exercise: Exercise, side: StepSide = StepSide.BOTH) -> FormTarget:
    """The target of ``exercise``'s held keyframe, measured as the camera measures (§5.2)."""
    body_side = working_side(side) if exercise.is_unilateral else None
    if not exercise.keyframes:
        return _plain(exercise, body_side, MOVING)
    held = exercise.keyframes[exercise.hold_on % len(exercise.keyframes)]
    start = exercise.keyframes[0]
    skeleton = solve(held)
    knee = knee_extension_deficit(skeleton)
    bend = trunk_thigh_flexion(skeleton)
    incline = trunk_inclination(skeleton)
    base = FormTarget(
        exercise_id=exercise.id,
        side=body_side,
        position=exercise.position,
        knee_deficit_deg=knee,
        forward_bend_deg=bend,
        trunk_inclination_deg=incline,
    )
    if not exercise.dose.is_timed_hold:
        return without_gate(base, MOVING)
    if exercise.type not in (ExerciseType.STATIC, ExerciseType.PNF):
        return without_gate(base, NOT_A_STRETCH)
    if _out_of_plane(held):
        return without_gate(base, OUT_OF_VIEW)
    checks: list[Check] = []
    limits: dict[str, float] = {}
    if held.knee_flex_deg <= STRAIGHT_KNEE_DEG:
        checks.append(Check.KNEE_STRAIGHT)
        limits["knee"] = max(knee, 0.0) + KNEE_ROOM_DEG
    if incline <= UPRIGHT_ROOM_DEG:
        checks.append(Check.UPRIGHT)
        limits["incline"] = incline + UPRIGHT_ROOM_DEG
    start_bend = trunk_thigh_flexion(solve(start))
    gain = bend - start_bend
    if gain >= BEND_MOVE_DEG:
        checks.append(Check.BEND)
        limits["min_bend"] = start_bend + max(BEND_SHARE * gain, MIN_BEND_GAIN_DEG)
        limits["max_bend"] = bend + EASE_OFF_ROOM_DEG
    if not checks:
        return without_gate(base, NOT_A_STRETCH)
    return FormTarget(
        exercise_id=exercise.id,
        side=body_side,
        position=exercise.position,
        knee_deficit_deg=knee,
        forward_bend_deg=bend,
        trunk_inclination_deg=incline,
        checks=tuple(checks),
        bend_style=_bend_style(held, incline),
        knee_words=_knee_words(exercise.position, skeleton, body_side),
        max_knee_deficit_deg=limits.get("knee", 0.0),
        max_inclination_deg=limits.get("incline", 0.0),
        min_forward_bend_deg=limits.get("min_bend", 0.0),
        max_forward_bend_deg=limits.get("max_bend", 0.0),
    )


def check_form(angles: BodyAngles, target: FormTarget) -> FormVerdict:
    """Whether ``angles`` (measured on ``target.side``) hold ``target``'s position, and one cue."""
    if not target.gated:
        return FormVerdict(in_position=True, cue=None, gated=False)
    if angles.visibility < MIN_VISIBILITY:
        where = f"your {target.side.value} side" if target.side else "one side"
        return FormVerdict(
            in_position=False,
            cue=f"Turn so {where} faces the camera, with your whole body in view",
        )
    failed: list[Check] = []
    cues: list[str] = []
    if (
        Check.KNEE_STRAIGHT in target.checks
        and angles.knee_deficit_deg > target.max_knee_deficit_deg
    ):
        failed.append(Check.KNEE_STRAIGHT)
        cues.append(f"Keep the {target.knee_words} knee straight")
    if Check.UPRIGHT in target.checks and angles.trunk_inclination_deg > target.max_inclination_deg:
        failed.append(Check.UPRIGHT)
        cues.append("Sit up tall" if target.position is Position.SEATED else "Stand up tall")
    if Check.BEND in target.checks and angles.forward_bend_deg < target.min_forward_bend_deg:
        failed.append(Check.BEND)
        cues.append(_BEND_CUES[target.bend_style])
    if failed:
        return FormVerdict(in_position=False, cue=cues[0], failed=tuple(failed))
    if Check.BEND in target.checks and angles.forward_bend_deg > target.max_forward_bend_deg:
        return FormVerdict(in_position=True, cue="Ease off a little: a mild pull is enough")
    return FormVerdict(in_position=True, cue=None)


_BEND_CUES = {
    BendStyle.HINGE: "Hinge from the hips and keep your back long, just to a mild pull",
    BendStyle.FOLD: "Fold forward slowly, just until you feel a mild stretch",
    BendStyle.KNEE_UP: "Draw the knee gently toward your chest, just to a mild stretch",
}


def _plain(exercise: Exercise, side: BodySide | None, note: str) -> FormTarget:
    """A target without a position gate or angles, with ``note`` saying why."""
    return FormTarget(
        exercise_id=exercise.id,
        side=side,
        position=exercise.position,
        knee_deficit_deg=0.0,
        forward_bend_deg=0.0,
        trunk_inclination_deg=0.0,
        note=note,
    )


def without_gate(target: FormTarget, note: str = NOT_HELD) -> FormTarget:
    """``target`` with no position gate (a part that is not the hold), saying ``note``."""
    return FormTarget(
        exercise_id=target.exercise_id,
        side=target.side,
        position=target.position,
        knee_deficit_deg=target.knee_deficit_deg,
        forward_bend_deg=target.forward_bend_deg,
        trunk_inclination_deg=target.trunk_inclination_deg,
        note=note,
    )


def _out_of_plane(pose: Pose) -> bool:
    return any(
        abs(value) > OUT_OF_PLANE_DEG
        for value in (pose.trunk_rotation_deg, pose.hip_abduct_deg, pose.hip_ext_rot_deg)
    )


def _bend_style(held: Pose, incline: float) -> BendStyle:
    if held.lumbar_flex_deg + held.thoracic_flex_deg > 2 * STRAIGHT_KNEE_DEG:
        return BendStyle.FOLD
    if incline <= UPRIGHT_ROOM_DEG:
        return BendStyle.KNEE_UP
    return BendStyle.HINGE


RAISED_FOOT_CM = 20.0
"""A standing figure's working ankle this far above the other one rests on something (a chair)."""


def _knee_words(position: Position, skeleton: Skeleton, side: BodySide | None) -> str:
    """Which knee a cue names: 'front' (split stance), 'raised' (heel up), or the side."""
    if position is Position.STANDING:
        raised = skeleton.far_leg.end[1] - skeleton.near_leg.end[1] >= RAISED_FOOT_CM
        return "raised" if raised else "front"
    return side.value if side is not None else "outstretched"
