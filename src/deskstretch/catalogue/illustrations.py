"""Draw an exercise's keyframes as SVG: a neutral side-view figure, its props, the stretched muscle.

The animation contract (the browser tweens between keyframes): every keyframe of one exercise
renders the same elements, in the same order, with the same classes and the same path command
letters; only numbers change (x1/y1/x2/y2, cx/cy, path ``d`` numbers). The viewBox, props and
highlight kind are fixed per exercise. No ``style`` attributes (the web page has a strict CSP):
colour comes from ``currentColor`` and presentation attributes, and the ``hl`` class lets a page
restyle the highlighted muscle.
Just past 400 lines: one drawing function per prop and body part, all bound by that contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from pathlib import Path

from deskstretch.core.errors import DeskstretchError
from deskstretch.core.models import Exercise
from deskstretch.core.pose import (
    SOLE_CM,
    Chair,
    Desk,
    Limb,
    Point,
    Props,
    Root,
    Skeleton,
    seat_chair,
    solve,
)

# The world window every figure is drawn in (cm, y down, floor at 0). One window for every
# exercise keeps the figure the same size from one exercise to the next.
VIEW_X, VIEW_Y, VIEW_SIZE = -80.0, -188.0, 200.0

# Line weights (cm in the world window; 220 cm across 320 px is about 1.45 px per cm).
TRUNK_W = 13.0
LEG_W = 8.5
ARM_W = 7.0
NECK_W = 7.0
FOOT_W = 2 * SOLE_CM
FACE_W = 3.5
HIGHLIGHT_W = 4.0
PROP_W = 3.0
FLOOR_W = 2.0
ACCENT = "#e8590c"  # fallback highlight colour; a page can restyle ``.hl``
FAR_OPACITY = "0.45"
PROP_OPACITY = "0.45"

_MUSCLE_NAMES = {
    "hamstrings": "back of the thigh",
    "hips": "front of the hip",
    "glutes": "buttock",
    "low-back": "lower back",
    "trunk": "lower back",
    "core": "belly",
    "nerve": "nerve path down the back of the leg",
}


@dataclass(frozen=True)
class _Element:
    tag: str
    attrs: tuple[tuple[str, str], ...]
    children: tuple[_Element, ...] = ()
    text: str = ""

    def render(self) -> str:
        attrs = "".join(f' {k}="{escape(v, quote=True)}"' for k, v in self.attrs)
        if not self.children and not self.text:
            return f"<{self.tag}{attrs}/>"
        inner = escape(self.text, quote=False) + "".join(c.render() for c in self.children)
        return f"<{self.tag}{attrs}>{inner}</{self.tag}>"


def _num(value: float) -> str:
    text = f"{round(value, 1) + 0.0:.1f}"  # + 0.0 turns -0.0 into 0.0
    text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pt(p: Point) -> str:
    return f"{_num(p[0])} {_num(p[1])}"


def _el(tag: str, *children: _Element, text: str = "", **attrs: str) -> _Element:
    pairs = tuple((k.rstrip("_").replace("_", "-"), v) for k, v in attrs.items())
    return _Element(tag, pairs, tuple(children), text)


def _line(cls: str, a: Point, b: Point, width: float) -> _Element:
    return _el(
        "line",
        class_=cls,
        x1=_num(a[0]),
        y1=_num(a[1]),
        x2=_num(b[0]),
        y2=_num(b[1]),
        stroke_width=_num(width),
    )


def _path(cls: str, d: str, width: float, **extra: str) -> _Element:
    return _el("path", class_=cls, d=d, stroke_width=_num(width), **extra)


def _polyline_d(points: tuple[Point, ...]) -> str:
    return "M" + _pt(points[0]) + "".join(" L" + _pt(p) for p in points[1:])


def _limb(cls: str, limb: Limb, width: float) -> _Element:
    return _path(cls, _polyline_d((limb.root, limb.middle, limb.end)), width)


# --- geometry helpers for the highlight ---------------------------------------------------------


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _back(a: Point, b: Point) -> Point:
    """Unit normal of segment a->b on the body's back side (for a segment running down a leg, or
    up the spine, this points behind the body)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    return (-dy / length, dx / length)


def _shift(p: Point, n: Point, k: float) -> Point:
    return (p[0] + n[0] * k, p[1] + n[1] * k)


def _highlight(skeleton: Skeleton, group: str) -> _Element:
    s = skeleton
    leg = s.near_leg
    thigh_back = _back(leg.root, leg.middle)
    shank_back = _back(leg.middle, leg.end)
    # Up the spine, _back points forward (the segment runs upward), so negate it for the back.
    spine_front = _back(s.sacrum, s.thoracolumbar)
    cls = f"hl hl-{group}"
    extra: dict[str, str] = {"stroke": ACCENT}
    if group == "hamstrings":
        a = _shift(_lerp(leg.root, leg.middle, 0.2), thigh_back, 2.2)
        b = _shift(_lerp(leg.root, leg.middle, 0.85), thigh_back, 2.2)
        d = f"M{_pt(a)} L{_pt(b)}"
    elif group == "hips":
        start = _shift(_lerp(s.sacrum, s.thoracolumbar, 0.7), spine_front, 3.5)
        bend = _shift(s.hip, thigh_back, -6.0)
        end = _shift(_lerp(leg.root, leg.middle, 0.5), thigh_back, -2.2)
        d = f"M{_pt(start)} Q{_pt(bend)} {_pt(end)}"
    elif group == "glutes":
        start = _shift(s.sacrum, spine_front, -3.0)
        bend = _shift(_shift(s.hip, spine_front, -8.0), thigh_back, 4.0)
        end = _shift(_lerp(leg.root, leg.middle, 0.3), thigh_back, 2.5)
        d = f"M{_pt(start)} Q{_pt(bend)} {_pt(end)}"
    elif group == "core":
        start = _shift(_lerp(s.sacrum, s.thoracolumbar, 0.05), spine_front, 5.0)
        bend = _shift(s.lumbar_bend, spine_front, 5.0)
        end = _shift(_lerp(s.thoracolumbar, s.thoracic_bend, 0.45), spine_front, 5.0)
        d = f"M{_pt(start)} Q{_pt(bend)} {_pt(end)}"
    elif group == "nerve":
        points = (
            _shift(s.sacrum, spine_front, -2.5),
            _shift(_lerp(leg.root, leg.middle, 0.15), thigh_back, 3.0),
            _shift(leg.middle, thigh_back, 3.0),
            _shift(_lerp(leg.middle, leg.end, 0.85), shank_back, 3.0),
        )
        d = _polyline_d(points)
        extra["stroke_dasharray"] = "3 2.5"
        return _path(cls, d, HIGHLIGHT_W - 1.0, **extra)
    else:  # low-back, trunk: the lumbar curve, on the back
        start = _shift(s.sacrum, spine_front, -4.0)
        bend = _shift(s.lumbar_bend, spine_front, -4.0)
        end = _shift(s.thoracolumbar, spine_front, -4.0)
        d = f"M{_pt(start)} Q{_pt(bend)} {_pt(end)}"
    return _path(cls, d, HIGHLIGHT_W, **extra)


# --- props ---------------------------------------------------------------------------------------


def exercise_props(exercise: Exercise) -> Props:
    """The chair, low surface and desk drawn with an exercise (fixed for all its keyframes)."""
    if not exercise.keyframes:
        return Props()
    if exercise.keyframes[0].root is Root.SEATED:
        return Props(chair=seat_chair(exercise.keyframes, thigh_half_width_cm=LEG_W / 2))
    first = solve(exercise.keyframes[0])
    surface = None
    if "chair" in exercise.equipment:
        # The heel rests on a chair seat facing the figure, a hand's width in from its edge.
        heel_x = first.near_foot.heel[0]
        surface = Chair(front_x=heel_x - 8.0, facing=-1)
    desk = None
    if "desk" in exercise.equipment:
        # Side-on, behind the figure, where the far hand rests.
        wrist_x = first.far_arm.end[0]
        desk = Desk(x0=wrist_x - 60.0, x1=wrist_x + 14.0)
    return Props(surface=surface, desk=desk)


# --- the figure ----------------------------------------------------------------------------------


def keyframe_count(exercise: Exercise) -> int:
    return len(exercise.keyframes)


def keyframe_labels(exercise: Exercise) -> tuple[str, ...]:
    return exercise.keyframe_labels


def _phase_text(exercise: Exercise, index: int) -> str:
    label = exercise.keyframe_labels[index]
    return f"{exercise.name}, {label} ({index + 1} of {len(exercise.keyframes)})"


def _figure_elements(exercise: Exercise, index: int) -> list[_Element]:
    skeleton = solve(exercise.keyframes[index])
    s = skeleton
    elements = [
        _el(
            "line",
            class_="floor",
            x1=_num(VIEW_X + 4),
            y1="0",
            x2=_num(VIEW_X + VIEW_SIZE - 4),
            y2="0",
            stroke="currentColor",
            stroke_opacity="0.35",
            stroke_width=_num(FLOOR_W),
        )
    ]
    outlines = exercise_props(exercise).outlines()
    if outlines:
        d = " ".join(_polyline_d(points) for points in outlines)
        elements.append(
            _path("props", d, PROP_W, stroke="currentColor", stroke_opacity=PROP_OPACITY)
        )
    far = _el(
        "g",
        _limb("far-leg", s.far_leg, LEG_W),
        _line("far-foot", s.far_foot.heel, s.far_foot.toe, FOOT_W),
        _limb("far-arm", s.far_arm, ARM_W),
        class_="far",
        opacity=FAR_OPACITY,
    )
    trunk = (
        f"M{_pt(s.hip)} L{_pt(s.sacrum)} Q{_pt(s.lumbar_bend)} {_pt(s.thoracolumbar)}"
        f" Q{_pt(s.thoracic_bend)} {_pt(s.neck_base)}"
    )
    figure = _el(
        "g",
        far,
        _path("trunk", trunk, TRUNK_W),
        _line("neck", s.neck_base, s.head, NECK_W),
        _el(
            "circle",
            class_="head",
            cx=_num(s.head[0]),
            cy=_num(s.head[1]),
            r="10",
            fill="currentColor",
            stroke="none",
        ),
        _line("face", _lerp(s.head, s.nose, 0.5), s.nose, FACE_W),
        _limb("near-leg", s.near_leg, LEG_W),
        _line("near-foot", s.near_foot.heel, s.near_foot.toe, FOOT_W),
        _highlight(s, exercise.muscle_group),
        _limb("near-arm", s.near_arm, ARM_W),
        class_="figure",
        stroke="currentColor",
    )
    elements.append(figure)
    return elements


def _check_index(exercise: Exercise, index: int) -> None:
    if not exercise.keyframes:
        raise DeskstretchError(f"{exercise.code} {exercise.name}: no figure keyframes")
    if not 0 <= index < len(exercise.keyframes):
        raise DeskstretchError(
            f"{exercise.code}: keyframe {index} does not exist "
            f"(expected 0 to {len(exercise.keyframes) - 1})"
        )


def _view_box() -> str:
    return f"{_num(VIEW_X)} {_num(VIEW_Y)} {_num(VIEW_SIZE)} {_num(VIEW_SIZE)}"


def _svg_attrs() -> dict[str, str]:
    return {
        "fill": "none",
        "stroke_linecap": "round",
        "stroke_linejoin": "round",
    }


def render_svg(
    exercise: Exercise,
    keyframe_index: int,
    *,
    width: int = 320,
    height: int = 320,
    title: bool = True,
) -> str:
    """One keyframe of ``exercise`` as a standalone, accessible SVG document."""
    _check_index(exercise, keyframe_index)
    label = _phase_text(exercise, keyframe_index)
    children = _figure_elements(exercise, keyframe_index)
    if title:
        children.insert(0, _el("title", text=label))
    root = _el(
        "svg",
        *children,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=_view_box(),
        width=str(width),
        height=str(height),
        role="img",
        aria_label=label,
        class_="ds-figure",
        **_svg_attrs(),
    )
    return root.render() + "\n"


def render_sheet_svg(exercise: Exercise, *, panel: int = 240) -> str:
    """Every keyframe side by side, labelled with its phase, for export (``show --svg``)."""
    _check_index(exercise, 0)
    count = len(exercise.keyframes)
    gap, top, bottom = 16, 44, 34
    total_w = count * panel + (count + 1) * gap
    total_h = top + panel + bottom
    muscle = _MUSCLE_NAMES.get(exercise.muscle_group, exercise.muscle_group)
    heading = f"{exercise.code}  {exercise.name}"
    children: list[_Element] = [
        _el("title", text=f"{exercise.name}: {count} phases; highlighted: {muscle}"),
        _el(
            "text",
            text=heading,
            x=str(gap),
            y="28",
            fill="currentColor",
            stroke="none",
            font_family="system-ui, sans-serif",
            font_size="18",
            font_weight="600",
        ),
    ]
    hold = exercise.hold_on if exercise.dose.is_timed_hold else None
    for index in range(count):
        x = gap + index * (panel + gap)
        children.append(
            _el(
                "svg",
                *_figure_elements(exercise, index),
                x=str(x),
                y=str(top),
                width=str(panel),
                height=str(panel),
                viewBox=_view_box(),
                role="img",
                aria_label=_phase_text(exercise, index),
            )
        )
        label = f"{index + 1}. {exercise.keyframe_labels[index]}"
        if hold is not None and index == hold % count:
            label += " (hold)"
        children.append(
            _el(
                "text",
                text=label,
                x=str(x + panel // 2),
                y=str(top + panel + 22),
                fill="currentColor",
                stroke="none",
                text_anchor="middle",
                font_family="system-ui, sans-serif",
                font_size="15",
            )
        )
    root = _el(
        "svg",
        *children,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {total_w} {total_h}",
        width=str(total_w),
        height=str(total_h),
        role="img",
        aria_label=f"{exercise.name}, all {count} phases",
        **_svg_attrs(),
    )
    return root.render() + "\n"


def write_sheet_svg(exercise: Exercise, path: Path) -> None:
    """Save ``render_sheet_svg(exercise)`` to ``path`` atomically; a missing folder is an error."""
    from deskstretch.config import write_atomic

    if path.is_dir():
        raise DeskstretchError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise DeskstretchError(f"{path.parent}: no such folder")
    try:
        write_atomic(path, render_sheet_svg(exercise))
    except OSError as error:
        raise DeskstretchError(f"{path}: cannot write ({error.strerror})") from None
