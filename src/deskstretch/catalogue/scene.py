"""The scene an exercise is drawn in: the props around the figure, the body as drawn (lines with a
thickness), and the checks that keep the two apart in every frame the browser shows.

The chair a figure sits on and the low surface under a heel stand in the figure's own plane: no
part of the body may pass through them. One exception, asked for by the words: a cue that rests
a hand on the chair back makes that hand hold the back post, and a real arm reaches round beside
the post, so that arm may cross it in the side view; the hand must then touch the post. The desk
stands beside the figure, further from the viewer, so the body hides part of its top (the
drawing masks it there); its legs stand clear of the body, and the hand on the desk side never
goes through its top.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from deskstretch.core.models import Exercise
from deskstretch.core.pose import (
    HEAD_RADIUS_CM,
    SOLE_CM,
    Chair,
    Desk,
    Point,
    Props,
    Root,
    Skeleton,
    back_points,
    lerp_skeleton,
    seat_chair,
    solve,
)

# Drawn thickness of each part (cm in the world window).
TRUNK_W = 13.0
LEG_W = 8.5
ARM_W = 7.0
NECK_W = 7.0
FOOT_W = 2 * SOLE_CM
PROP_W = 3.0

TWEEN_STEPS = 20
"""In-between frames checked between two keyframes (the browser tweens them continuously)."""

_DESK_CLEARANCE_CM = 8.0  # between a desk leg and the nearest drawn edge of the body
_HEEL_ON_SURFACE_CM = 8.0  # the heel rests a hand's width in from the edge of the seat


@dataclass(frozen=True)
class Part:
    """A drawn line (or, with one point, a dot) and half its thickness, in cm."""

    name: str
    points: tuple[Point, ...]
    half_width_cm: float


def body_parts(skeleton: Skeleton) -> tuple[Part, ...]:
    """The figure as the drawing strokes it: trunk, neck, head, legs, feet and arms."""
    s = skeleton
    return (
        Part("trunk", (s.hip, *back_points(s)[:-1]), TRUNK_W / 2),
        Part("neck", (s.neck_base, s.head), NECK_W / 2),
        Part("head", (s.head,), HEAD_RADIUS_CM),
        Part("near leg", (s.near_leg.root, s.near_leg.middle, s.near_leg.end), LEG_W / 2),
        Part("far leg", (s.far_leg.root, s.far_leg.middle, s.far_leg.end), LEG_W / 2),
        Part("near foot", (s.near_foot.heel, s.near_foot.toe), FOOT_W / 2),
        Part("far foot", (s.far_foot.heel, s.far_foot.toe), FOOT_W / 2),
        Part("near arm", (s.near_arm.root, s.near_arm.middle, s.near_arm.end), ARM_W / 2),
        Part("far arm", (s.far_arm.root, s.far_arm.middle, s.far_arm.end), ARM_W / 2),
    )


def _segments(points: tuple[Point, ...]) -> Iterator[tuple[Point, Point]]:
    if len(points) == 1:
        yield points[0], points[0]
    yield from itertools.pairwise(points)


def _point_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
    t = max(0.0, min(1.0, t))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segment_distance(a: Point, b: Point, c: Point, d: Point) -> float:
    """Shortest distance between segments ab and cd (0 when they cross)."""
    d1, d2 = _cross(c, d, a), _cross(c, d, b)
    d3, d4 = _cross(a, b, c), _cross(a, b, d)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return 0.0
    return min(
        _point_segment(a, c, d),
        _point_segment(b, c, d),
        _point_segment(c, a, b),
        _point_segment(d, a, b),
    )


def part_distance(one: Part, other: Part) -> float:
    """Shortest distance between the centre lines of two parts."""
    return min(
        segment_distance(a, b, c, d)
        for a, b in _segments(one.points)
        for c, d in _segments(other.points)
    )


def clearance(body: Part, prop: Part) -> float:
    """How far ``body`` stays off ``prop`` (cm); negative when it goes through.

    A body part may press into what it rests on by up to half its drawn thickness (the thighs on
    a seat, a heel on a chair), never further: its centre line never reaches the prop.
    """
    return part_distance(body, prop) - prop.half_width_cm - body.half_width_cm / 2


# --- frames -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One drawing the browser can show: a keyframe (``fraction`` 0) or a tween after it."""

    keyframe: int
    fraction: float
    skeleton: Skeleton

    @property
    def label(self) -> str:
        if self.fraction == 0:
            return f"keyframe {self.keyframe}"
        return f"{self.fraction:.0%} from keyframe {self.keyframe} to {self.keyframe + 1}"


def frames(exercise: Exercise, steps: int = TWEEN_STEPS) -> tuple[Frame, ...]:
    """Every keyframe and ``steps - 1`` tweens between each keyframe and the next: the browser
    tweens the drawing's numbers (``lerp_skeleton``), and plays keyframes in order, forward and
    back, so these are all the pictures it can show."""
    skeletons = [solve(pose) for pose in exercise.keyframes]
    out: list[Frame] = []
    for index, skeleton in enumerate(skeletons):
        out.append(Frame(index, 0.0, skeleton))
        if index + 1 < len(skeletons):
            following = skeletons[index + 1]
            out.extend(
                Frame(index, k / steps, lerp_skeleton(skeleton, following, k / steps))
                for k in range(1, steps)
            )
    return tuple(out)


# --- props ---------------------------------------------------------------------------------------


def _lines(name: str, outline: tuple[tuple[Point, ...], ...]) -> tuple[Part, ...]:
    return tuple(Part(name, points, PROP_W / 2) for points in outline)


_HOLDS_CHAIR_BACK = re.compile(r"\bother hand on the chair back\b", re.IGNORECASE)
"""The words that put the near hand (the working side's: the chest turns toward it) on the back
post of the chair; the "opposite" hand goes to the knee."""


def holds_chair_back(exercise: Exercise) -> bool:
    """Whether a cue rests the near hand on the chair back (see the module docstring)."""
    return any(_HOLDS_CHAIR_BACK.search(cue) for cue in exercise.cues)


def _back_post(chair: Chair) -> Part:
    back_leg_and_rest = chair.outline()[0]
    return Part("chair back", back_leg_and_rest[1:], PROP_W / 2)


def obstacles(props: Props, body_part: str, *, held: bool = False) -> tuple[Part, ...]:
    """The prop lines ``body_part`` must stay off: all of a chair or surface in the figure's
    plane (but the back post for the near arm when it ``held`` it); of the desk beside the
    figure, its legs, and its top for the arm on the desk side (far)."""
    found: list[Part] = []
    if props.chair is not None:
        back_leg_and_post, seat = props.chair.outline()
        if held and body_part == "near arm":
            back_leg_and_post = back_leg_and_post[:2]  # the leg under the seat stays an obstacle
        found.extend(_lines("chair", (back_leg_and_post, seat)))
    if props.surface is not None:
        found.extend(_lines("surface", props.surface.outline()))
    if props.desk is not None:
        found.extend(_lines("desk leg", props.desk.legs()))
        if body_part == "far arm":
            found.append(Part("desk top", props.desk.top(), PROP_W / 2))
    return tuple(found)


@dataclass(frozen=True)
class Clash:
    """A body part through a prop in one frame."""

    frame: str
    body_part: str
    prop: str
    depth_cm: float

    def __str__(self) -> str:
        return (
            f"{self.frame}: the {self.body_part} goes {self.depth_cm:.1f} cm into the {self.prop}"
        )


def clashes(exercise: Exercise, props: Props | None = None) -> tuple[Clash, ...]:
    """Every frame in which a body part goes through a prop (``props``: the exercise's own)."""
    props = exercise_props(exercise) if props is None else props
    held = props.chair is not None and holds_chair_back(exercise)
    found: list[Clash] = []
    for frame in frames(exercise):
        for part in body_parts(frame.skeleton):
            for prop in obstacles(props, part.name, held=held):
                gap = clearance(part, prop)
                if gap < 0:
                    found.append(Clash(frame.label, part.name, prop.name, -gap))
    return tuple(found)


def hold_gap(exercise: Exercise, props: Props | None = None) -> float | None:
    """How far the hand that holds the chair back is from its post in the held pose (cm between
    the edges; 0 or less: touching), or None when no hand holds it."""
    props = exercise_props(exercise) if props is None else props
    if props.chair is None or not holds_chair_back(exercise):
        return None
    hand = solve(exercise.keyframes[exercise.hold_on]).near_arm.end
    post = _back_post(props.chair)
    return part_distance(Part("hand", (hand,), ARM_W / 2), post) - ARM_W / 2 - PROP_W / 2


def _desk(all_frames: tuple[Frame, ...], surface: Chair | None) -> Desk:
    """A long desk beside the figure, its legs clear of the body in every frame and of a surface
    in front of the figure (a chair pulled out from the desk stands beside it too)."""
    xs = [
        (x - part.half_width_cm, x + part.half_width_cm)
        for frame in all_frames
        for part in body_parts(frame.skeleton)
        for x, _ in part.points
    ]
    if surface is not None:
        xs.extend((x, x) for line in surface.outline() for x, _ in line)
    low = min(x for x, _ in xs) - _DESK_CLEARANCE_CM - PROP_W / 2
    high = max(x for _, x in xs) + _DESK_CLEARANCE_CM + PROP_W / 2
    return Desk(x0=math.floor(low) - Desk.LEG_INSET_CM, x1=math.ceil(high) + Desk.LEG_INSET_CM)


def exercise_props(exercise: Exercise) -> Props:
    """The chair, low surface and desk drawn with an exercise (fixed for all its keyframes)."""
    if not exercise.keyframes:
        return Props()
    if exercise.keyframes[0].root is Root.SEATED:
        return Props(chair=seat_chair(exercise.keyframes, thigh_half_width_cm=LEG_W / 2))
    surface = None
    if "chair" in exercise.equipment:
        # The heel rests on a chair seat facing the figure, a hand's width in from its edge.
        heel_x = solve(exercise.keyframes[0]).near_foot.heel[0]
        surface = Chair(front_x=heel_x - _HEEL_ON_SURFACE_CM, facing=-1)
    desk = _desk(frames(exercise), surface) if "desk" in exercise.equipment else None
    return Props(surface=surface, desk=desk)
