"""A posable side-view body: joint angles in, 2-D points out (forward kinematics), plus props.

Pure geometry: standard library only, no I/O, no drawing. ``catalogue.illustrations`` turns a
``Skeleton`` into SVG; the angle helpers follow domain spec §5.2 so that the camera feature can
compare a photo's landmarks with the same numbers.

Conventions. Lengths are centimetres of a 175 cm adult. Points use SVG axes: x grows toward the
way the figure faces, y grows *down*, and the floor is y = 0 (so a head is near y = -165). The
working leg is the *near* one (nearest the viewer). Joint angles are degrees; 0 everywhere is
standing tall with arms hanging. Flexion is positive (forward/bending), so extension is negative.
Inside, the limbs are posed in 3-D (x forward, y up, z toward the viewer) and drawn by dropping z,
so a leg turned out to the side (figure-four) shortens the way it does in a photo.

Past 400 lines on purpose: the body, its props and the measurements share one coordinate
system and its conventions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

Point = tuple[float, float]
_Vec = tuple[float, float, float]
_Mat = tuple[_Vec, _Vec, _Vec]

# Segment lengths (cm), rounded from Winter's height fractions for a 175 cm adult.
PELVIS_CM = 9.0  # hip joint centre to the top of the sacrum (L5/S1)
LUMBAR_CM = 18.0  # L5/S1 to T12/L1, as a chord of the lumbar curve
THORACIC_CM = 27.0  # T12/L1 to C7, as a chord of the thoracic curve
NECK_CM = 17.0  # C7 to the centre of the head
HEAD_RADIUS_CM = 10.0
UPPER_ARM_CM = 31.0
FOREARM_CM = 27.0  # elbow to the middle of the hand
THIGH_CM = 43.0
SHANK_CM = 43.0
HEEL_CM = 5.0  # ankle to heel, along the foot
TOE_CM = 19.0  # ankle to toe tip, along the foot
ANKLE_DROP_CM = 4.0  # ankle centre to the line drawn through the foot
SOLE_CM = 3.0  # half the drawn foot thickness: the foot line sits this far above the floor
SHOULDER_HALF_WIDTH_CM = 17.0

# The neutral curves of the back (standing tall): the lumbar part leans forward at the sacrum and
# back at T12 (lordosis); the thoracic part turns forward again (kyphosis). The drawn trunk is the
# outline of the back, which the back muscles keep much flatter than the bones' curves (about 30
# degrees each): drawn at full depth, a neutral back tipped into a hip hinge reads as a rounded one.
# The chords (T12, C7, the shoulders, the head) do not depend on these two numbers as long as the
# kyphosis equals the lordosis and the lumbar part starts at half of it.
_SACRUM_DEG = -25.0  # hip joint -> top of sacrum leans back this much with a neutral pelvis
_LORDOSIS_DEG = 6.0
_KYPHOSIS_DEG = _LORDOSIS_DEG
_LUMBAR_START_DEG = _LORDOSIS_DEG / 2
_NECK_LEAN_DEG = 5.0  # C7 -> head centre leans forward this much with a neutral neck
_NOSE_BELOW_GAZE_DEG = 20.0

# Props (cm).
SEAT_HEIGHT_CM = 45.0  # about knee height; the chair sit-and-reach uses a 44 cm chair (§5.1)
SEAT_DEPTH_CM = 42.0
BACKREST_CM = 42.0
DESK_HEIGHT_CM = 74.0
_HIP_ABOVE_SEAT_CM = 5.0  # hip joint centre above the seat (half a drawn thigh, and a little)
_SEATED_HIP_X = 0.0
_SEAT_FRONT_AHEAD_CM = 16.0  # "sit near the front edge": the seat ends this far ahead of the hip
_MIN_SEAT_AHEAD_CM = 1.0  # ... or closer, when a leg reaches down to the floor


class Root(StrEnum):
    """Where the body is held: sitting on the chair seat, or standing on the far (stance) foot."""

    SEATED = "seated"
    STANDING = "standing"


@dataclass(frozen=True)
class Pose:
    """Named joint angles (degrees) of a side-view body; the near leg and arm face the viewer.

    ``pelvis_tilt_deg`` is the pelvis against the vertical (+ anterior tilt, top forward);
    ``lumbar_flex_deg`` / ``thoracic_flex_deg`` bend the lower / upper back (+ rounding,
    - arching) from its standing curves; ``trunk_rotation_deg`` turns the chest toward the near
    side. Hip, knee and shoulder flexion are the usual clinical angles; ``elbow_flex_deg`` 0 is a
    straight arm; ``ankle_dorsi_deg`` + pulls the toes up; hip abduction and external rotation
    move the thigh out of the picture plane (a crossed figure-four leg).
    """

    root: Root = Root.STANDING
    pelvis_tilt_deg: float = 0.0
    lumbar_flex_deg: float = 0.0
    thoracic_flex_deg: float = 0.0
    neck_flex_deg: float = 0.0
    trunk_rotation_deg: float = 0.0
    shoulder_flex_deg: float = 0.0
    elbow_flex_deg: float = 0.0
    far_shoulder_flex_deg: float = 0.0
    far_elbow_flex_deg: float = 0.0
    hip_flex_deg: float = 0.0
    hip_abduct_deg: float = 0.0
    hip_ext_rot_deg: float = 0.0
    knee_flex_deg: float = 0.0
    ankle_dorsi_deg: float = 0.0
    far_hip_flex_deg: float = 0.0
    far_hip_abduct_deg: float = 0.0
    far_hip_ext_rot_deg: float = 0.0
    far_knee_flex_deg: float = 0.0
    far_ankle_dorsi_deg: float = 0.0


# Accepted range of each angle: anatomical limits with a little room, so a typo is caught.
_TRUNK_LIMITS: dict[str, tuple[float, float]] = {
    "pelvis_tilt_deg": (-40.0, 60.0),
    "lumbar_flex_deg": (-40.0, 70.0),
    "thoracic_flex_deg": (-30.0, 50.0),
    "neck_flex_deg": (-60.0, 60.0),
    "trunk_rotation_deg": (-60.0, 60.0),
}
_LIMB_LIMITS: dict[str, tuple[float, float]] = {
    "shoulder_flex_deg": (-60.0, 180.0),
    "elbow_flex_deg": (0.0, 150.0),
    "hip_flex_deg": (-30.0, 135.0),
    "hip_abduct_deg": (-20.0, 60.0),
    "hip_ext_rot_deg": (-45.0, 70.0),
    "knee_flex_deg": (-5.0, 150.0),
    "ankle_dorsi_deg": (-50.0, 30.0),
}
JOINT_LIMITS: dict[str, tuple[float, float]] = {
    **_TRUNK_LIMITS,
    **_LIMB_LIMITS,
    **{f"far_{name}": limits for name, limits in _LIMB_LIMITS.items()},
}

ANGLE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Pose) if f.name != "root")

# Sitting tall near the front of the seat, thighs level, feet flat, hands resting on the thighs.
SEATED_POSE = Pose(
    root=Root.SEATED,
    shoulder_flex_deg=4.0,
    elbow_flex_deg=65.0,
    far_shoulder_flex_deg=4.0,
    far_elbow_flex_deg=65.0,
    hip_flex_deg=90.0,
    knee_flex_deg=90.0,
    far_hip_flex_deg=90.0,
    far_knee_flex_deg=90.0,
)
# Standing tall, arms relaxed at the sides.
STANDING_POSE = Pose(root=Root.STANDING, elbow_flex_deg=8.0, far_elbow_flex_deg=8.0)


def default_pose(position: str) -> Pose:
    """The pose a keyframe starts from: ``"seated"`` or ``"standing"``."""
    return SEATED_POSE if Root(position) is Root.SEATED else STANDING_POSE


def pose_from_angles(position: str, angles: dict[str, float]) -> Pose:
    """The position's default pose with ``angles`` (names from ``ANGLE_NAMES``) replaced."""
    unknown = sorted(set(angles) - set(ANGLE_NAMES))
    if unknown:
        raise ValueError(f"unknown joint angle {unknown[0]!r}")
    values: dict[str, Any] = {k: float(v) for k, v in angles.items()}
    return replace(default_pose(position), **values)


def lerp_pose(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` (0..1) of the way from ``a`` to ``b``; the root is ``a``'s."""
    if a.root is not b.root:
        raise ValueError(f"cannot blend a {a.root.value} pose with a {b.root.value} pose")
    values: dict[str, Any] = {
        name: getattr(a, name) + (getattr(b, name) - getattr(a, name)) * t for name in ANGLE_NAMES
    }
    return replace(a, **values)


@dataclass(frozen=True)
class Limb:
    """Three points of an arm (shoulder, elbow, wrist) or a leg (hip, knee, ankle)."""

    root: Point
    middle: Point
    end: Point


@dataclass(frozen=True)
class Foot:
    heel: Point
    toe: Point


@dataclass(frozen=True)
class Skeleton:
    """2-D points of a posed body in SVG axes (cm, y down, floor at y = 0).

    ``lumbar_bend`` and ``thoracic_bend`` are the control points of the quadratic curves through
    the lower and upper back (where the tangents at each end meet), for drawing the spine's shape.
    """

    hip: Point
    sacrum: Point  # L5/S1, top of the pelvis at the back
    lumbar_bend: Point
    thoracolumbar: Point  # T12/L1
    thoracic_bend: Point
    neck_base: Point  # C7
    head: Point  # centre of the head, about where the ear is
    nose: Point  # front of the face: shows where the figure looks
    near_arm: Limb
    far_arm: Limb
    near_leg: Limb
    far_leg: Limb
    near_foot: Foot
    far_foot: Foot

    @property
    def shoulder(self) -> Point:
        return self.near_arm.root

    @property
    def knee(self) -> Point:
        return self.near_leg.middle

    @property
    def ankle(self) -> Point:
        return self.near_leg.end

    @property
    def ear(self) -> Point:
        return self.head

    def points(self) -> tuple[Point, ...]:
        """Every point, for bounds and floor checks (control points excluded)."""
        limbs = (self.near_arm, self.far_arm, self.near_leg, self.far_leg)
        feet = (self.near_foot, self.far_foot)
        return (
            self.hip,
            self.sacrum,
            self.thoracolumbar,
            self.neck_base,
            self.head,
            self.nose,
            *(p for limb in limbs for p in (limb.root, limb.middle, limb.end)),
            *(p for foot in feet for p in (foot.heel, foot.toe)),
        )


# --- vectors (3-D, y up) ------------------------------------------------------------------------


def _rz(deg: float) -> _Mat:
    """Rotation about the axis toward the viewer; + turns 'down' toward 'forward' (flexion)."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _rx(deg: float) -> _Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(deg: float) -> _Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _mul(a: _Mat, b: _Mat) -> _Mat:
    cols = tuple(zip(*b, strict=True))
    return tuple(  # type: ignore[return-value]
        tuple(sum(x * y for x, y in zip(row, col, strict=True)) for col in cols) for row in a
    )


def _apply(m: _Mat, v: _Vec) -> _Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _add(p: _Vec, v: _Vec, k: float = 1.0) -> _Vec:
    return (p[0] + v[0] * k, p[1] + v[1] * k, p[2] + v[2] * k)


def _lean(deg: float) -> _Vec:
    """Unit vector tilted ``deg`` forward from straight up, in the picture plane."""
    r = math.radians(deg)
    return (math.sin(r), math.cos(r), 0.0)


_DOWN: _Vec = (0.0, -1.0, 0.0)
_FORWARD: _Vec = (1.0, 0.0, 0.0)


def _curve(start: _Vec, start_deg: float, turn_deg: float, chord: float) -> tuple[_Vec, _Vec]:
    """End point and control point of a circular-ish bend: tangent ``start_deg``, turning by
    ``turn_deg`` over a chord of ``chord`` cm."""
    end = _add(start, _lean(start_deg + turn_deg / 2), chord)
    half = math.radians(turn_deg / 2)
    control = _add(start, _lean(start_deg), chord / 2 / max(math.cos(half), 0.2))
    return end, control


def _leg(hip: _Vec, pelvis: _Mat, pose: Pose, prefix: str) -> tuple[_Vec, _Vec, _Vec, _Vec]:
    """Knee, ankle, heel and toe of the near (``prefix`` "") or far (``"far_"``) leg."""
    side = -1.0 if prefix else 1.0  # abduction and rotation mirror: the near leg is toward +z
    flex, abduct, rot, knee, dorsi = (
        float(getattr(pose, prefix + name))
        for name in (
            "hip_flex_deg",
            "hip_abduct_deg",
            "hip_ext_rot_deg",
            "knee_flex_deg",
            "ankle_dorsi_deg",
        )
    )
    thigh = _mul(pelvis, _mul(_rz(flex), _mul(_rx(-abduct * side), _ry(-rot * side))))
    knee_at = _add(hip, _apply(thigh, _DOWN), THIGH_CM)
    shank = _mul(thigh, _rz(-knee))
    ankle = _add(knee_at, _apply(shank, _DOWN), SHANK_CM)
    foot = _mul(shank, _rz(90.0 + dorsi))
    along, up = _apply(foot, _DOWN), _apply(foot, _FORWARD)
    sole = _add(ankle, up, -ANKLE_DROP_CM)
    return knee_at, ankle, _add(sole, along, -HEEL_CM), _add(sole, along, TOE_CM)


def _arm(shoulder: _Vec, thorax: _Mat, flex: float, elbow: float) -> tuple[_Vec, _Vec]:
    upper = _mul(thorax, _rz(flex))
    elbow_at = _add(shoulder, _apply(upper, _DOWN), UPPER_ARM_CM)
    wrist = _add(elbow_at, _apply(_mul(upper, _rz(elbow)), _DOWN), FOREARM_CM)
    return elbow_at, wrist


def _body(pose: Pose) -> dict[str, _Vec]:
    """All joints in 3-D with the hip joint at the origin."""
    hip: _Vec = (0.0, 0.0, 0.0)
    tilt = pose.pelvis_tilt_deg
    pelvis = _rz(-tilt)
    sacrum = _add(hip, _lean(tilt + _SACRUM_DEG), PELVIS_CM)
    lumbar_start = tilt + _LUMBAR_START_DEG
    lumbar_turn = pose.lumbar_flex_deg - _LORDOSIS_DEG
    t12, lumbar_bend = _curve(sacrum, lumbar_start, lumbar_turn, LUMBAR_CM)
    thoracic_start = lumbar_start + lumbar_turn
    thoracic_turn = pose.thoracic_flex_deg + _KYPHOSIS_DEG
    c7, thoracic_bend = _curve(t12, thoracic_start, thoracic_turn, THORACIC_CM)
    chest_lean = thoracic_start + thoracic_turn / 2
    # The shoulders turn with the chest about the thoracic axis; the near one is toward +z.
    thorax = _mul(_rz(-chest_lean), _ry(-pose.trunk_rotation_deg))
    near_shoulder = _add(c7, _apply(thorax, (2.0, -5.0, SHOULDER_HALF_WIDTH_CM)))
    far_shoulder = _add(c7, _apply(thorax, (2.0, -5.0, -SHOULDER_HALF_WIDTH_CM)))
    # The neck curves back from the top of the kyphosis (cervical lordosis).
    neck_lean = thoracic_start + thoracic_turn - _KYPHOSIS_DEG / 2 + _NECK_LEAN_DEG
    neck_lean += pose.neck_flex_deg
    head = _add(c7, _lean(neck_lean), NECK_CM)
    # The nose sits a little below the line of gaze; it turns with the chest (twist).
    nose_deg = neck_lean - _NECK_LEAN_DEG + _NOSE_BELOW_GAZE_DEG
    face = _mul(_rz(-nose_deg), _ry(-pose.trunk_rotation_deg))
    nose = _add(head, _apply(face, _FORWARD), HEAD_RADIUS_CM + 0.5)
    n_elbow, n_wrist = _arm(near_shoulder, thorax, pose.shoulder_flex_deg, pose.elbow_flex_deg)
    f_elbow, f_wrist = _arm(
        far_shoulder, thorax, pose.far_shoulder_flex_deg, pose.far_elbow_flex_deg
    )
    n_knee, n_ankle, n_heel, n_toe = _leg(hip, pelvis, pose, "")
    f_knee, f_ankle, f_heel, f_toe = _leg(hip, pelvis, pose, "far_")
    return {
        "hip": hip, "sacrum": sacrum, "lumbar_bend": lumbar_bend, "t12": t12,
        "thoracic_bend": thoracic_bend, "c7": c7, "head": head, "nose": nose,
        "n_shoulder": near_shoulder, "n_elbow": n_elbow, "n_wrist": n_wrist,
        "f_shoulder": far_shoulder, "f_elbow": f_elbow, "f_wrist": f_wrist,
        "n_knee": n_knee, "n_ankle": n_ankle, "n_heel": n_heel, "n_toe": n_toe,
        "f_knee": f_knee, "f_ankle": f_ankle, "f_heel": f_heel, "f_toe": f_toe,
    }  # fmt: skip


def solve(pose: Pose) -> Skeleton:
    """Forward kinematics: place the body (on the seat, or standing on the far foot) and project.

    Seated, the hip joint sits at a fixed spot just above the chair seat. Standing, the far foot
    is the stance foot: its ankle is at x = 0 and its lowest point rests on the floor.
    """
    body = _body(pose)
    if pose.root is Root.SEATED:
        dx, dy = _SEATED_HIP_X, SEAT_HEIGHT_CM + _HIP_ABOVE_SEAT_CM
    else:
        lowest = min(body["f_heel"][1], body["f_toe"][1])
        dx, dy = -body["f_ankle"][0], SOLE_CM - lowest

    def at(name: str) -> Point:
        x, y, _ = body[name]
        return (x + dx, -(y + dy))  # drop z (orthographic side view); flip y to point down

    def limb(prefix: str, names: tuple[str, str, str]) -> Limb:
        return Limb(at(names[0]), at(prefix + names[1]), at(prefix + names[2]))

    return Skeleton(
        hip=at("hip"),
        sacrum=at("sacrum"),
        lumbar_bend=at("lumbar_bend"),
        thoracolumbar=at("t12"),
        thoracic_bend=at("thoracic_bend"),
        neck_base=at("c7"),
        head=at("head"),
        nose=at("nose"),
        near_arm=limb("n_", ("n_shoulder", "elbow", "wrist")),
        far_arm=limb("f_", ("f_shoulder", "elbow", "wrist")),
        near_leg=limb("n_", ("hip", "knee", "ankle")),
        far_leg=limb("f_", ("hip", "knee", "ankle")),
        near_foot=Foot(at("n_heel"), at("n_toe")),
        far_foot=Foot(at("f_heel"), at("f_toe")),
    )


# --- measurements (domain spec §5.2) ------------------------------------------------------------


def angle(a: Point, b: Point, c: Point) -> float:
    """Angle ABC in degrees (0..180) at vertex ``b``: atan2(|cross(A-B, C-B)|, dot(A-B, C-B))."""
    ux, uy = a[0] - b[0], a[1] - b[1]
    vx, vy = c[0] - b[0], c[1] - b[1]
    return math.degrees(math.atan2(abs(ux * vy - uy * vx), ux * vx + uy * vy))


def knee_extension_deficit(skeleton: Skeleton, *, far: bool = False) -> float:
    """180 - angle(hip, knee, ankle): 0 is a straight knee (§5.2)."""
    leg = skeleton.far_leg if far else skeleton.near_leg
    return 180.0 - angle(leg.root, leg.middle, leg.end)


def trunk_thigh_flexion(skeleton: Skeleton, *, far: bool = False) -> float:
    """180 - angle(shoulder, hip, knee): 0 standing tall, rising as you fold (§5.2).

    Uses the near shoulder, the one a side-on camera sees best.
    """
    leg = skeleton.far_leg if far else skeleton.near_leg
    return 180.0 - angle(skeleton.shoulder, leg.root, leg.middle)


def trunk_inclination(skeleton: Skeleton) -> float:
    """Angle between hip->shoulder and the vertical, degrees (0 upright)."""
    hx, hy = skeleton.hip
    sx, sy = skeleton.shoulder
    return angle((sx, sy), (hx, hy), (hx, hy - 1.0))


def _bezier(a: Point, control: Point, b: Point, t: float) -> Point:
    u = 1.0 - t
    return (
        u * u * a[0] + 2 * u * t * control[0] + t * t * b[0],
        u * u * a[1] + 2 * u * t * control[1] + t * t * b[1],
    )


def back_points(skeleton: Skeleton, per_curve: int = 8) -> tuple[Point, ...]:
    """The back as drawn, from the sacrum up the lumbar and thoracic curves to C7, then the head
    centre: ``per_curve`` pieces along each curve."""
    s = skeleton
    points: list[Point] = [s.sacrum]
    for start, control, end in (
        (s.sacrum, s.lumbar_bend, s.thoracolumbar),
        (s.thoracolumbar, s.thoracic_bend, s.neck_base),
    ):
        points.extend(_bezier(start, control, end, k / per_curve) for k in range(1, per_curve + 1))
    points.append(s.head)
    return tuple(points)


def back_bend(skeleton: Skeleton) -> float:
    """How far the back, neck included, strays from one straight line: the largest angle (degrees)
    between a piece of ``back_points`` and the line from the sacrum to the head centre.

    A hip hinge done with a long back keeps the sacrum, the upper back and the head on one line
    (the dowel test of a hip hinge); a rounded or arched back, or a dropped or craned head, bends
    it.
    """
    points = back_points(skeleton)
    (x0, y0), (x1, y1) = points[0], points[-1]
    line = math.atan2(y1 - y0, x1 - x0)
    worst = 0.0
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if math.hypot(bx - ax, by - ay) < 1e-9:
            continue
        off = math.degrees(math.atan2(by - ay, bx - ax) - line)
        worst = max(worst, abs((off + 180.0) % 360.0 - 180.0))
    return worst


def lerp_skeleton(a: Skeleton, b: Skeleton, t: float) -> Skeleton:
    """The drawing a fraction ``t`` of the way from ``a`` to ``b``, point by point: what a browser
    shows when it tweens the numbers of two keyframes' SVG."""

    def mix(p: Any, q: Any) -> Any:
        if isinstance(p, tuple):
            return ((1 - t) * p[0] + t * q[0], (1 - t) * p[1] + t * q[1])
        return type(p)(*(mix(getattr(p, f.name), getattr(q, f.name)) for f in fields(p)))

    result: Skeleton = mix(a, b)
    return result


# --- props ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chair:
    """A plain chair without wheels. ``front_x`` is the front edge of the seat; ``facing`` +1 means
    the seat faces the way the figure looks (the figure sits on it), -1 that it faces the figure
    (a low surface in front for the heel)."""

    front_x: float
    seat_height_cm: float = SEAT_HEIGHT_CM
    depth_cm: float = SEAT_DEPTH_CM
    back_cm: float = BACKREST_CM
    facing: int = 1

    def outline(self) -> tuple[tuple[Point, ...], ...]:
        """Polylines: back leg and backrest, seat, front leg."""
        f, h = self.facing, self.seat_height_cm
        back_x = self.front_x - f * self.depth_cm
        return (
            ((back_x, 0.0), (back_x, -h), (back_x - f * 4.0, -h - self.back_cm)),
            ((back_x, -h), (self.front_x, -h), (self.front_x, 0.0)),
        )


@dataclass(frozen=True)
class Desk:
    """A desk beside the figure, on its far side (further from the viewer than the body, which
    hides part of it): a top at ``height_cm`` from x0 to x1 and a leg ``LEG_INSET_CM`` in from
    each end."""

    x0: float
    x1: float
    height_cm: float = DESK_HEIGHT_CM
    LEG_INSET_CM = 6.0

    def top(self) -> tuple[Point, ...]:
        return ((self.x0, -self.height_cm), (self.x1, -self.height_cm))

    def legs(self) -> tuple[tuple[Point, ...], ...]:
        h, inset = self.height_cm, self.LEG_INSET_CM
        return (
            ((self.x0 + inset, -h), (self.x0 + inset, 0.0)),
            ((self.x1 - inset, -h), (self.x1 - inset, 0.0)),
        )

    def outline(self) -> tuple[tuple[Point, ...], ...]:
        return (self.top(), *self.legs())


@dataclass(frozen=True)
class Props:
    """What stands around the figure: the chair it sits on, a low surface, a desk."""

    chair: Chair | None = None
    surface: Chair | None = None
    desk: Desk | None = None

    def outlines(self) -> tuple[tuple[Point, ...], ...]:
        parts: list[tuple[Point, ...]] = []
        for prop in (self.desk, self.chair, self.surface):
            if prop is not None:
                parts.extend(prop.outline())
        return tuple(parts)


def seat_chair(poses: Iterable[Pose] = (), *, thigh_half_width_cm: float = 4.5) -> Chair:
    """The chair a seated figure sits on, its seat ending where the thighs leave it.

    Sitting "near the front edge" means a thigh that slopes down to the floor (a straight leg)
    leaves the seat just ahead of the hip; otherwise the seat reaches well under the thighs.
    """
    front = _SEATED_HIP_X + _SEAT_FRONT_AHEAD_CM
    seat_y = -SEAT_HEIGHT_CM
    for pose in poses:
        skeleton = solve(pose)
        for leg in (skeleton.near_leg, skeleton.far_leg):
            (hx, hy), (kx, ky) = leg.root, leg.middle
            if kx - hx <= 1.0 or ky <= hy:
                continue  # thigh not reaching forward and down: it cannot cut the seat
            # Where the underside of the thigh (a drawn line of half-width w) drops to the seat.
            length = math.hypot(kx - hx, ky - hy)
            underside = hy + thigh_half_width_cm * length / (kx - hx)
            t = (seat_y - underside) / (ky - hy)
            front = min(front, hx + (kx - hx) * max(t, 0.0))
    return Chair(front_x=max(front, _SEATED_HIP_X + _MIN_SEAT_AHEAD_CM))


def floor_clearance(skeleton: Skeleton) -> float:
    """Height of the lowest drawn foot line above its resting height (negative: through the
    floor)."""
    return min(-y for _, y in skeleton.points()) - SOLE_CM
