"""The photo self-test's figures as inline SVG: where the phone goes (height, distance, a true
side view against a turned one), what the photo must show, and three photos -> their median.

Drawn by hand from numbers and fixed words; the people in the photos are the posable figure
(``core.pose``, stroked as ``catalogue.scene`` draws it). Colours come from CSS classes
(``.af-*`` in app.css); each figure has a <title> and a <desc>, and the page says the same in words.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from deskstretch.catalogue.scene import body_parts
from deskstretch.core.body_angles import PhotoTest
from deskstretch.core.pose import Point, Pose, Root, Skeleton, seat_chair, solve

_F = "{:.1f}"


def _n(value: float) -> str:
    return _F.format(value).removesuffix(".0")


def _svg(key: str, view: tuple[int, int], title: str, desc: str, parts: Iterable[str]) -> Markup:
    width, height = view
    return Markup(
        f'<svg class="assess-figure" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="{key}-title {key}-desc">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _text(x: float, y: float, words: str, css: str = "af-label", anchor: str = "middle") -> str:
    return (
        f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">{escape(words)}</text>'
    )


def _line(a: Point, b: Point, css: str) -> str:
    return f'<line class="{css}" x1="{_n(a[0])}" y1="{_n(a[1])}" x2="{_n(b[0])}" y2="{_n(b[1])}"/>'


def _arrow(a: Point, b: Point, css: str = "af-dim", *, both: bool = True) -> str:
    """A line with an arrow head at ``b`` (and at ``a`` too: a dimension line)."""
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    heads = []
    ends = ((a, angle + math.pi), (b, angle)) if both else ((b, angle),)
    for tip, direction in ends:
        left = (tip[0] - 7 * math.cos(direction - 0.45), tip[1] - 7 * math.sin(direction - 0.45))
        right = (tip[0] - 7 * math.cos(direction + 0.45), tip[1] - 7 * math.sin(direction + 0.45))
        heads.append(
            f'<polyline class="{css}" points="{_n(left[0])},{_n(left[1])} {_n(tip[0])},'
            f'{_n(tip[1])} {_n(right[0])},{_n(right[1])}"/>'
        )
    return _line(a, b, css) + "".join(heads)


def _phone(x: float, y: float, facing: int = -1, w: float = 10, h: float = 20) -> str:
    """A phone seen edge-on (its lens on the side that faces the person)."""
    lens_x = x + facing * (w / 2 - 2.5)
    return (
        f'<rect class="af-phone" x="{_n(x - w / 2)}" y="{_n(y - h / 2)}" width="{_n(w)}"'
        f' height="{_n(h)}" rx="2.5"/>'
        f'<circle class="af-lens" cx="{_n(lens_x)}" cy="{_n(y - h / 2 + 5)}" r="1.8"/>'
    )


# -- 1. height and distance (seen from in front of the person) -----------------------------------


@functools.cache
def setup_figure() -> Markup:
    """The person on the chair seen from the front, the phone on a stand 2-3 m to the side at
    hip height, the line of sight level."""
    floor, hip_y, x = 178.0, 128.0, 70.0
    parts = [
        _line((10, floor), (410, floor), "af-floor"),
        # chair: backrest behind the person, seat, legs
        f'<rect class="af-chair-fill" x="{_n(x - 26)}" y="88" width="52" height="42" rx="3"/>',
        _line((x - 32, 133), (x + 32, 133), "af-chair"),
        _line((x - 28, 133), (x - 28, floor), "af-chair"),
        _line((x + 28, 133), (x + 28, floor), "af-chair"),
        # legs (shins towards the floor), feet
        _line((x - 10, 134), (x - 10, floor - 4), "af-limb"),
        _line((x + 10, 134), (x + 10, floor - 4), "af-limb"),
        f'<ellipse class="af-body-fill" cx="{_n(x - 11)}" cy="{_n(floor - 3)}" rx="7" ry="3"/>',
        f'<ellipse class="af-body-fill" cx="{_n(x + 11)}" cy="{_n(floor - 3)}" rx="7" ry="3"/>',
        # thighs seen end on, hips, trunk, arms, head
        f'<rect class="af-body-fill" x="{_n(x - 19)}" y="118" width="38" height="18" rx="8"/>',
        f'<path class="af-body-fill" d="M{_n(x - 17)},122 L{_n(x - 21)},80 Q{_n(x)},72'
        f' {_n(x + 21)},80 L{_n(x + 17)},122 Z"/>',
        _line((x - 20, 82), (x - 25, 124), "af-limb"),
        _line((x + 20, 82), (x + 25, 124), "af-limb"),
        f'<circle class="af-body-fill" cx="{_n(x)}" cy="58" r="11"/>',
        f'<circle class="af-mark" cx="{_n(x + 16)}" cy="{_n(hip_y)}" r="3.5"/>',
    ]
    # the stand and the phone at hip height
    px = 318.0
    parts += [
        _line((px, hip_y + 10), (px - 14, floor), "af-stand"),
        _line((px, hip_y + 10), (px + 14, floor), "af-stand"),
        _line((px, hip_y + 10), (px, floor), "af-stand"),
        _phone(px, hip_y, facing=-1),
        _line((px - 8, hip_y), (x + 22, hip_y), "af-sight"),
        _text(180, hip_y - 7, "line of sight, level"),
        _arrow((x + 30, 158), (px - 6, 158)),
        _text(196, 153, "2 to 3 m"),
        _arrow((352, floor), (352, hip_y)),
        _text(358, 150, "hip", anchor="start"),
        _text(358, 164, "height", anchor="start"),
        _text(px, hip_y - 22, "phone upright"),
    ]
    desc = (
        "Seen from in front of the person: the person sits on a chair; a phone on a stand stands"
        " 2 to 3 metres to their side, upright, with its camera at the height of their hip, so"
        " that it looks level and straight across at the hip."
    )
    return _svg("af-setup", (420, 190), "Phone at hip height, 2 to 3 metres away", desc, parts)


# -- 2. true side view against a turned one (seen from above) ----------------------------------


def _top_person(x: float, y: float) -> list[str]:
    """A person on a chair seen from above, facing up the page, legs out in front."""
    return [
        f'<rect class="af-chair-fill" x="{_n(x - 22)}" y="{_n(y - 8)}" width="44" height="40"'
        ' rx="3"/>',
        _line((x - 22, y + 34), (x + 22, y + 34), "af-chair"),
        _line((x - 8, y), (x - 8, y - 40), "af-limb"),  # the bent leg (knee, foot below it)
        _line((x + 8, y), (x + 8, y - 74), "af-limb"),  # the straight leg
        f'<ellipse class="af-body-fill" cx="{_n(x)}" cy="{_n(y + 10)}" rx="24" ry="9"/>',
        f'<circle class="af-body-fill" cx="{_n(x)}" cy="{_n(y + 8)}" r="9"/>',
        f'<circle class="af-mark" cx="{_n(x + 10)}" cy="{_n(y)}" r="3.5"/>',
    ]


@functools.cache
def side_view_figure() -> Markup:
    """From above: the phone square to the side (a true side view) and the phone turned."""
    parts: list[str] = []
    for x0, good in ((0, True), (215, False)):
        hip = (x0 + 60.0, 128.0)
        parts += _top_person(x0 + 50, 128)
        if good:
            phone = (x0 + 185.0, hip[1])
            parts += [
                _line((phone[0] - 7, phone[1]), hip, "af-sight"),
                # the right angle between the straight leg and the line of sight
                f'<polyline class="af-right" points="{_n(hip[0])},{_n(hip[1] - 12)}'
                f' {_n(hip[0] + 12)},{_n(hip[1] - 12)} {_n(hip[0] + 12)},{_n(hip[1])}"/>',
                _text(x0 + 100, 28, "✓ true side view", "af-good"),
                _text(x0 + 122, hip[1] - 8, "square on"),
                _text(phone[0], phone[1] + 26, "phone"),
            ]
        else:
            phone = (x0 + 170.0, 50.0)
            parts += [
                _line((phone[0] - 6, phone[1] + 4), hip, "af-sight"),
                _text(x0 + 100, 28, "✗ turned: angles wrong", "af-bad"),
            ]
        parts.append(
            f'<g transform="rotate({0 if good else -30} {_n(phone[0])} {_n(phone[1])})">'
            f"{_phone(phone[0], phone[1], facing=-1, w=8, h=16)}</g>"
        )
    parts += [
        _line((210, 10), (210, 190), "af-divider"),
        _text(105, 190, "seen from above"),
        _text(320, 190, "seen from above"),
    ]
    desc = (
        "Two views from above of a person sitting with one leg straight out in front. Left: the"
        " phone stands straight out to the side, so its line of sight crosses the straight leg at"
        " a right angle: a true side view. Right: the phone stands ahead and to the side, turned"
        " towards the person: an oblique view, which makes the angles come out wrong."
    )
    return _svg("af-side", (420, 200), "A true side view, and a turned one", desc, parts)


# -- 3. what the photo shows (the posable figure) -----------------------------------------------

SIT_AND_REACH_POSE = Pose(
    root=Root.SEATED,
    pelvis_tilt_deg=30.0,
    lumbar_flex_deg=18.0,
    thoracic_flex_deg=14.0,
    neck_flex_deg=-4.0,
    shoulder_flex_deg=88.0,
    elbow_flex_deg=4.0,
    far_shoulder_flex_deg=84.0,
    far_elbow_flex_deg=8.0,
    hip_flex_deg=86.0,
    knee_flex_deg=0.0,
    ankle_dorsi_deg=8.0,
    far_hip_flex_deg=110.0,
    far_knee_flex_deg=95.0,
)
STANDING_BEND_POSE = Pose(
    root=Root.STANDING,
    pelvis_tilt_deg=60.0,
    lumbar_flex_deg=60.0,
    thoracic_flex_deg=45.0,
    neck_flex_deg=10.0,
    shoulder_flex_deg=100.0,
    far_shoulder_flex_deg=95.0,
    elbow_flex_deg=4.0,
    far_elbow_flex_deg=6.0,
    hip_flex_deg=60.0,
    far_hip_flex_deg=60.0,
)
POSES = {
    PhotoTest.CHAIR_SIT_AND_REACH: SIT_AND_REACH_POSE,
    PhotoTest.STANDING_FORWARD_BEND: STANDING_BEND_POSE,
}


@dataclass(frozen=True)
class _Frame:
    """Where a figure in world cm (y down, floor 0) lands in the drawing."""

    x: float
    y: float
    scale: float

    def __call__(self, p: Point) -> Point:
        return (self.x + p[0] * self.scale, self.y + p[1] * self.scale)


def _figure(pose: Pose, frame: _Frame, *, chair: bool) -> list[str]:
    """The posable figure, stroked like the exercise figures, with its chair and floor."""
    parts: list[str] = []
    if chair:
        for line in seat_chair((pose,)).outline():
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in map(frame, line))
            parts.append(f'<polyline class="af-chair" points="{points}"/>')
    far: list[str] = []
    near: list[str] = []
    for part in body_parts(solve(pose)):
        drawn = far if part.name.startswith("far") else near
        css = "af-far" if drawn is far else "af-near"
        if len(part.points) == 1:
            cx, cy = frame(part.points[0])
            r = _n(part.half_width_cm * frame.scale)
            drawn.append(f'<circle class="af-head {css}" cx="{_n(cx)}" cy="{_n(cy)}" r="{r}"/>')
            continue
        width = _n(max(part.half_width_cm * 2 * frame.scale, 1.5))
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in map(frame, part.points))
        drawn.append(f'<polyline class="af-part {css}" points="{points}" stroke-width="{width}"/>')
    return parts + far + near


def _landmarks(skeleton: Skeleton, frame: _Frame) -> list[str]:
    points = (skeleton.shoulder, skeleton.hip, skeleton.knee, skeleton.ankle)
    lines = [
        _line(frame(a), frame(b), "af-bone")
        for a, b in ((points[0], points[1]), (points[1], points[2]), (points[2], points[3]))
    ]
    dots = [
        f'<circle class="af-mark" cx="{_n(x)}" cy="{_n(y)}" r="3.2"/>'
        for x, y in map(frame, points)
    ]
    return lines + dots


def _arc(centre: Point, a: Point, b: Point, radius: float) -> str:
    """The arc at ``centre`` from the direction of ``a`` to that of ``b`` (the smaller turn)."""
    start = math.atan2(a[1] - centre[1], a[0] - centre[0])
    end = math.atan2(b[1] - centre[1], b[0] - centre[0])
    turn = (end - start + math.pi) % (2 * math.pi) - math.pi
    sweep = 1 if turn > 0 else 0
    sx, sy = centre[0] + radius * math.cos(start), centre[1] + radius * math.sin(start)
    ex, ey = centre[0] + radius * math.cos(end), centre[1] + radius * math.sin(end)
    return (
        f'<path class="af-arc" d="M{_n(sx)},{_n(sy)} A{_n(radius)},{_n(radius)} 0 0 {sweep}'
        f' {_n(ex)},{_n(ey)}"/>'
    )


def _fit(pose: Pose, chair: bool, box: tuple[float, float, float, float]) -> _Frame:
    """The frame that puts the figure (and its chair) inside ``box`` (x0, y0, x1, floor y),
    as large as fits, centred across, standing on the box's floor."""
    skeleton = solve(pose)
    points = [
        (x + dx, y + dy)
        for x, y in skeleton.points()
        for dx, dy in ((-8, -8), (8, 8))  # the drawn thickness, and the head round its centre
    ]
    if chair:
        points += [p for line in seat_chair((pose,)).outline() for p in line]
    x0, x1 = min(x for x, _ in points), max(x for x, _ in points)
    top = min(y for _, y in points)
    left, y0, right, floor = box
    scale = min((right - left) / (x1 - x0), (floor - y0) / -top)
    return _Frame(left + (right - left - (x1 - x0) * scale) / 2 - x0 * scale, floor, scale)


def _callout(words: str, at: Point, target: Point, anchor: str) -> list[str]:
    """A label with a thin line from under it to what it names."""
    return [
        _text(at[0], at[1], words, anchor=anchor),
        _line((at[0], at[1] + 5), target, "af-leader"),
    ]


@functools.cache
def photo_figure(test: PhotoTest) -> Markup:
    """What a good photo shows: the whole body from the side, the measured points and angles."""
    pose = POSES[test]
    seated = test is PhotoTest.CHAIR_SIT_AND_REACH
    frame = _fit(pose, seated, (28, 58, 292, 184))
    skeleton = solve(pose)
    parts = [
        '<rect class="af-screen" x="8" y="8" width="304" height="188" rx="14"/>',
        _line((20, frame.y), (300, frame.y), "af-floor"),
        *_figure(pose, frame, chair=seated),
        *_landmarks(skeleton, frame),
    ]
    hip, shoulder, knee = frame(skeleton.hip), frame(skeleton.shoulder), frame(skeleton.knee)
    # the forward-bend angle: 180 - angle(shoulder, hip, knee), drawn as the turn from the
    # thigh's line carried on past the hip to the trunk
    behind = (2 * hip[0] - knee[0], 2 * hip[1] - knee[1])
    bisector = math.atan2(
        math.sin(math.atan2(behind[1] - hip[1], behind[0] - hip[0]))
        + math.sin(math.atan2(shoulder[1] - hip[1], shoulder[0] - hip[0])),
        math.cos(math.atan2(behind[1] - hip[1], behind[0] - hip[0]))
        + math.cos(math.atan2(shoulder[1] - hip[1], shoulder[0] - hip[0])),
    )
    on_arc = (hip[0] + 22 * math.cos(bisector), hip[1] + 22 * math.sin(bisector))
    parts += [
        _line(hip, behind, "af-extend"),
        _arc(hip, behind, shoulder, 22),
        *_callout("forward-bend angle", (22, 32), on_arc, "start"),
        *_callout("knee straight", (298, 32), (knee[0], knee[1] - 5), "end"),
    ]
    name = "chair sit-and-reach" if seated else "standing forward bend"
    desc = (
        f"A photo of the {name} from the side, inside a phone's screen: the whole body is in the"
        " picture, feet included. Dots mark the shoulder, hip, knee and ankle nearest the phone;"
        " the forward-bend angle is how far the trunk has turned forward from the line of the"
        " thigh, and the knee stays straight."
    )
    return _svg(f"af-photo-{test.value}", (320, 204), f"What the photo shows: {name}", desc, parts)


# -- 4. three photos -> their median ------------------------------------------------------------


@functools.cache
def median_figure(values: Sequence[int] = (60, 65, 75)) -> Markup:
    """Three small photos with their forward-bend angles, and the middle one kept."""
    ordered = sorted(values)
    middle = ordered[len(ordered) // 2]
    parts: list[str] = []
    for index, value in enumerate(values):
        x0 = 8 + index * 98
        parts.append(f'<rect class="af-screen" x="{x0}" y="14" width="88" height="70" rx="8"/>')
        tilt = SIT_AND_REACH_POSE.pelvis_tilt_deg + (value - middle) / 2
        pose = replace(SIT_AND_REACH_POSE, pelvis_tilt_deg=tilt)
        frame = _fit(pose, True, (x0 + 6, 20, x0 + 82, 78))
        parts += _figure(pose, frame, chair=True)
        css = "af-value af-chosen" if value == middle else "af-value"
        parts.append(_text(x0 + 44, 104, f"{value}°", css))
    parts += [
        _arrow((300, 49), (334, 49), both=False),
        '<rect class="af-result" x="340" y="22" width="72" height="56" rx="10"/>',
        _text(376, 48, f"{middle}°", "af-value af-chosen"),
        _text(376, 68, "median"),
    ]
    listed = ", ".join(f"{value}°" for value in values)
    desc = (
        f"Three photos of the same reach give forward-bend angles of {listed}. The median, the"
        f" middle value, {middle}°, is the one recorded: one odd photo cannot pull it off."
    )
    return _svg("af-median", (420, 116), "Three photos, and their median", desc, parts)
