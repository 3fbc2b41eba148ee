"""Body landmarks from a side-view photo or camera frame -> the angles of domain.md §5.2, and the
quality gates that decide whether a photo can be measured at all (§5.3).

Pure geometry: standard library only, no I/O, no model. ``vision`` turns pixels into
``Landmarks``; this module turns landmarks into ``BodyAngles`` or ``QualityProblem``s, so the
rules are tested on fixed keypoints without a model.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from deskstretch.core.errors import DeskstretchError
from deskstretch.core.pose import angle

ANGLE_STEP_DEG = 5
"""Angles are shown rounded to this step (§5.3): the measurement is not finer than that."""


def rounded_angle(degrees: float) -> int:
    """``degrees`` to the nearest 5° (halves away from zero), as angles are shown."""
    steps = abs(degrees) / ANGLE_STEP_DEG
    whole = math.floor(steps + 0.5)
    return int(math.copysign(whole * ANGLE_STEP_DEG, degrees)) if whole else 0


@dataclass(frozen=True)
class Landmark:
    """One body point in image pixels (x right, y down) and the model's visibility (0..1)."""

    x: float
    y: float
    visibility: float


# BlazePose 33-point indices (domain.md §5.2), left/right as the person's own sides.
NOSE = 0
EAR = {"left": 7, "right": 8}
SHOULDER = {"left": 11, "right": 12}
HIP = {"left": 23, "right": 24}
KNEE = {"left": 25, "right": 26}
ANKLE = {"left": 27, "right": 28}
HEEL = {"left": 29, "right": 30}
FOOT_INDEX = {"left": 31, "right": 32}
LANDMARK_COUNT = 33

ANGLE_UNCERTAINTY_DEG = 6.0
"""Per-angle uncertainty of a correctly set-up lateral photo (domain.md §5.3: about ±5-7°)."""


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class PhotoTest(StrEnum):
    """The positions a photo assessment measures (domain.md §5.1-5.2)."""

    CHAIR_SIT_AND_REACH = "chair_sit_and_reach"
    STANDING_FORWARD_BEND = "standing_forward_bend"


class Problem(StrEnum):
    """Why a photo cannot be measured (or cannot count for the test)."""

    NO_PERSON = "no_person"
    SEVERAL_PEOPLE = "several_people"
    LEGS_CUT_OFF = "legs_cut_off"
    LOW_VISIBILITY = "low_visibility"
    OBLIQUE_VIEW = "oblique_view"
    KNEE_BENT = "knee_bent"


@dataclass(frozen=True)
class QualityProblem:
    """A gate that failed, with specific advice the person can act on."""

    problem: Problem
    advice: str


@dataclass(frozen=True)
class BodyAngles:
    """The §5.2 angles on one side of the body, in degrees.

    ``forward_bend_deg`` is 180 - angle(shoulder, hip, knee) ("forward-bend angle", not "hip
    flexion": it mixes hip, pelvis and spine); ``knee_deficit_deg`` is 180 - angle(hip, knee,
    ankle) (0 = straight knee); ``trunk_inclination_deg`` is hip->shoulder against the image
    vertical (0 upright). ``visibility`` is the lowest visibility of the points used.
    """

    side: Side
    forward_bend_deg: float
    knee_deficit_deg: float
    trunk_inclination_deg: float
    visibility: float


@dataclass(frozen=True)
class PhotoCheck:
    """What one photo gave: the angles on the camera-facing side, and every gate that failed.

    ``angles`` may be present with problems (e.g. a bent knee): such a photo is shown but does not
    count. ``counts`` is True only when there are angles and no problems.
    """

    angles: BodyAngles | None
    problems: tuple[QualityProblem, ...]

    @property
    def counts(self) -> bool:
        return self.angles is not None and not self.problems


Landmarks = Sequence[Landmark]

# --- measuring ----------------------------------------------------------------------------------

MIN_VISIBILITY = 0.7
"""Below this visibility a key landmark is a guess (domain.md §5.3)."""
MAX_SIDE_SEPARATION = 0.15
"""Shoulder-shoulder or hip-hip horizontal gap, as a fraction of torso length, above which the
body is turned toward the camera (domain.md §5.3)."""
MAX_KNEE_DEFICIT_DEG = 10.0
"""A knee bent more than this does not count for the test (domain.md §5.2)."""
EDGE_MARGIN = 0.02
"""A hip, knee or ankle closer to the frame's edge than this fraction of the frame is cut off."""

_JOINTS: tuple[tuple[str, dict[str, int]], ...] = (
    ("shoulder", SHOULDER),
    ("hip", HIP),
    ("knee", KNEE),
    ("ankle", ANKLE),
)


def _point(landmarks: Landmarks, index: int) -> tuple[float, float]:
    mark = landmarks[index]
    return (mark.x, mark.y)


def _check_count(landmarks: Landmarks) -> None:
    if len(landmarks) != LANDMARK_COUNT:
        raise ValueError(f"expected {LANDMARK_COUNT} landmarks, got {len(landmarks)}")


def facing_side(landmarks: Landmarks) -> Side:
    """The side facing the camera: the higher total visibility of shoulder, hip, knee and ankle.

    A tie goes to the left side, so the answer never depends on order.
    """
    _check_count(landmarks)
    totals = {
        side: sum(landmarks[index[side.value]].visibility for _, index in _JOINTS) for side in Side
    }
    return Side.RIGHT if totals[Side.RIGHT] > totals[Side.LEFT] else Side.LEFT


def measure(landmarks: Landmarks, side: Side | None = None) -> BodyAngles:
    """The §5.2 angles on ``side`` (default: the camera-facing side), from pixel landmarks."""
    _check_count(landmarks)
    chosen = side if side is not None else facing_side(landmarks)
    shoulder, hip, knee, ankle = (_point(landmarks, index[chosen.value]) for _, index in _JOINTS)
    above_hip = (hip[0], hip[1] - 1.0)  # image y grows down: "up" is smaller y
    return BodyAngles(
        side=chosen,
        forward_bend_deg=180.0 - angle(shoulder, hip, knee),
        knee_deficit_deg=180.0 - angle(hip, knee, ankle),
        trunk_inclination_deg=angle(shoulder, hip, above_hip),
        visibility=min(landmarks[index[chosen.value]].visibility for _, index in _JOINTS),
    )


def median_angles(angles: Sequence[BodyAngles]) -> BodyAngles:
    """The median of each angle over several photos of one side (§5.2: three photos -> median).

    ``visibility`` is the lowest of them. Photos of different sides measure different legs, so
    mixing them is refused.
    """
    if not angles:
        raise ValueError("median_angles needs at least one measurement")
    sides = {a.side for a in angles}
    if len(sides) > 1:
        counts = ", ".join(
            f"{sum(a.side is side for a in angles)} from the {side.value}" for side in Side
        )
        raise DeskstretchError(
            f"The photos show different sides of the body ({counts}): take them all with the "
            "same side toward the camera."
        )
    return BodyAngles(
        side=angles[0].side,
        forward_bend_deg=statistics.median(a.forward_bend_deg for a in angles),
        knee_deficit_deg=statistics.median(a.knee_deficit_deg for a in angles),
        trunk_inclination_deg=statistics.median(a.trunk_inclination_deg for a in angles),
        visibility=min(a.visibility for a in angles),
    )


# --- mirror averaging ---------------------------------------------------------------------------

_MIRROR_PAIRS = ((1, 4), (2, 5), (3, 6), (7, 8), (9, 10), *((n, n + 1) for n in range(11, 33, 2)))
MIRRORED_INDEX: tuple[int, ...] = tuple(
    dict([*_MIRROR_PAIRS, *((b, a) for a, b in _MIRROR_PAIRS)]).get(i, i)
    for i in range(LANDMARK_COUNT)
)
"""Index of each landmark's left/right twin (the nose is its own): a mirrored photo shows the
person's left side where the right was."""


def unmirror(landmarks: Landmarks, width: int) -> list[Landmark]:
    """Landmarks found in the left-right mirror image of a ``width``-pixel-wide photo, mapped
    back onto the photo itself (x flipped, left and right swapped)."""
    _check_count(landmarks)
    return [
        Landmark(width - landmarks[twin].x, landmarks[twin].y, landmarks[twin].visibility)
        for twin in MIRRORED_INDEX
    ]


def average_landmarks(a: Landmarks, b: Landmarks) -> list[Landmark]:
    """The point-by-point mean of two sets of landmarks of the same person."""
    _check_count(a)
    _check_count(b)
    return [
        Landmark((p.x + q.x) / 2, (p.y + q.y) / 2, (p.visibility + q.visibility) / 2)
        for p, q in zip(a, b, strict=True)
    ]


# --- quality gates ------------------------------------------------------------------------------

_NO_PERSON_ADVICE = (
    "No one was found in this photo. Take it so your whole body is in the picture, side-on to "
    "the camera, in good light against a plain background."
)
_SEVERAL_PEOPLE_ADVICE = (
    "More than one person is in this photo, so it is not clear whom to measure. Take it with "
    "only you in the picture."
)
_OBLIQUE_ADVICE = (
    "You are turned toward the camera, which makes the angles look smaller or larger than they "
    "are. Turn so that one side of your body faces the camera squarely (a true side view), or "
    "move the camera level with your hip and straight out to your side."
)
_KNEE_ADVICE = {
    PhotoTest.CHAIR_SIT_AND_REACH: (
        "Keep the outstretched leg straight, heel on the floor and toes up, and reach only as far "
        "as you can with the knee straight."
    ),
    PhotoTest.STANDING_FORWARD_BEND: (
        "Keep both knees straight as you bend, and stop where you feel a stretch with the knees "
        "still straight."
    ),
}


def _names(points: Sequence[str], side: Side) -> str:
    named = [f"{side.value} {point}" for point in points]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _cut_off(
    landmarks: Landmarks, side: Side, width: int, height: int
) -> tuple[list[str], set[str]]:
    """The hip, knee and ankle points outside or at the edge of the frame, and which edges they
    cross."""
    margin_x, margin_y = EDGE_MARGIN * width, EDGE_MARGIN * height
    cut: list[str] = []
    edges: set[str] = set()
    for name, index in (("hip", HIP), ("knee", KNEE), ("ankle", ANKLE)):
        x, y = _point(landmarks, index[side.value])
        crossed = {
            edge
            for edge, out in (
                ("bottom", y > height - margin_y),
                ("top", y < margin_y),
                ("side", x < margin_x or x > width - margin_x),
            )
            if out
        }
        if crossed:
            cut.append(name)
            edges |= crossed
    return cut, edges


def _cut_off_advice(cut: list[str], edges: set[str], side: Side) -> str:
    what = "Your feet are" if cut == ["ankle"] else "Your legs are"
    verb = "is" if len(cut) == 1 else "are"
    if edges == {"bottom"}:
        move = "Step back or tilt the camera down so your feet are in the picture"
    elif edges == {"top"}:
        move = "Step back or tilt the camera up so your legs are in the picture"
    else:
        move = "Step back, or move the camera so you are in the middle of the picture"
    return (
        f"{what} not fully in the picture (the {_names(cut, side)} {verb} at or past the "
        f"edge). {move}, with some space around your whole body."
    )


def _low_visibility_advice(points: Sequence[str], side: Side) -> str:
    them = "it" if len(points) == 1 else "them"
    return (
        f"The camera cannot see your {_names(points, side)} clearly enough to measure {them}: "
        f"something may be covering {them}, or the photo is blurred or dark. Wear fitted clothes, "
        "keep your arms and furniture from hiding your hip and legs, use good light and a plain "
        "background, and hold still."
    )


def _oblique(landmarks: Landmarks) -> bool:
    """Shoulders or hips spread sideways by more than 15% of the torso length (§5.3)."""
    ls, rs = _point(landmarks, SHOULDER["left"]), _point(landmarks, SHOULDER["right"])
    lh, rh = _point(landmarks, HIP["left"]), _point(landmarks, HIP["right"])
    mid_shoulder = ((ls[0] + rs[0]) / 2, (ls[1] + rs[1]) / 2)
    mid_hip = ((lh[0] + rh[0]) / 2, (lh[1] + rh[1]) / 2)
    torso = math.dist(mid_shoulder, mid_hip)
    if torso <= 0:
        return True
    spread = max(abs(ls[0] - rs[0]), abs(lh[0] - rh[0]))
    return spread > MAX_SIDE_SEPARATION * torso


def check_photo(
    landmarks: Landmarks | None,
    width: int,
    height: int,
    test: PhotoTest,
    *,
    people: int = 1,
) -> PhotoCheck:
    """Measure a photo's landmarks and run every quality gate (domain.md §5.2-5.3).

    ``people`` is how many people the model found. The gates: no person, several people, legs
    cut off, low visibility, an oblique view and a knee bent too much for the test to count. A
    bent knee is judged only when the leg is in the picture and clearly seen.
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"image size must be positive, got {width}x{height}")
    if landmarks is None or people < 1:
        return PhotoCheck(None, (QualityProblem(Problem.NO_PERSON, _NO_PERSON_ADVICE),))
    angles = measure(landmarks)
    side = angles.side
    problems: list[QualityProblem] = []
    if people > 1:
        problems.append(QualityProblem(Problem.SEVERAL_PEOPLE, _SEVERAL_PEOPLE_ADVICE))
    cut, edges = _cut_off(landmarks, side, width, height)
    if cut:
        problems.append(QualityProblem(Problem.LEGS_CUT_OFF, _cut_off_advice(cut, edges, side)))
    unclear = [
        name
        for name, index in _JOINTS
        if landmarks[index[side.value]].visibility < MIN_VISIBILITY and name not in cut
    ]
    if unclear:
        advice = _low_visibility_advice(unclear, side)
        problems.append(QualityProblem(Problem.LOW_VISIBILITY, advice))
    if _oblique(landmarks):
        problems.append(QualityProblem(Problem.OBLIQUE_VIEW, _OBLIQUE_ADVICE))
    leg_seen = not cut and not {"hip", "knee", "ankle"} & set(unclear)
    if leg_seen and angles.knee_deficit_deg > MAX_KNEE_DEFICIT_DEG:
        shown = rounded_angle(angles.knee_deficit_deg)  # as the measured angles are shown
        bent = (
            f"is bent by about {shown}°, more than"
            if shown > MAX_KNEE_DEFICIT_DEG
            else "is bent a little more than"
        )
        advice = (
            f"Your {side.value} knee {bent} the {MAX_KNEE_DEFICIT_DEG:.0f}° the test allows, so "
            "this photo does not count. " + _KNEE_ADVICE[test]
        )
        problems.append(QualityProblem(Problem.KNEE_BENT, advice))
    return PhotoCheck(angles, tuple(problems))
