"""Draw an exercise's keyframes as SVG: a neutral side-view figure, its props, the stretched muscle.

The animation contract (the browser tweens between keyframes): every keyframe of one exercise
renders the same elements, in the same order, with the same classes and the same path command
letters; only numbers change (x1/y1/x2/y2, cx/cy, path ``d`` numbers). The viewBox, props and
highlight kind are fixed per exercise. No ``style`` attributes (the web page has a strict CSP):
colour comes from ``currentColor`` and presentation attributes, and the ``hl`` class lets a page
restyle the highlighted muscle. A desk stands beside the figure, further away: it is drawn through
a mask of the body's outline, so that it passes behind the figure (``catalogue/scene.py`` places
the props and checks that the body never goes through them).
Past 400 lines: one drawing function per prop and body part, and the page figure, the thumbnail
and the sheets built from them, all bound by that one contract.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from deskstretch.catalogue.scene import (
    ARM_W,
    FOOT_W,
    LEG_W,
    NECK_W,
    PROP_W,
    TRUNK_W,
    body_parts,
    exercise_props,
)
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.models import Exercise
from deskstretch.core.pose import HEAD_RADIUS_CM, Limb, Point, Skeleton, solve

# The world window every figure is drawn in (cm, y down, floor at 0). One window for every
# exercise keeps the figure the same size from one exercise to the next.
VIEW_X, VIEW_Y, VIEW_SIZE = -80.0, -188.0, 200.0

# Line weights (cm in the world window; 200 cm across 320 px is 1.6 px per cm); the body's are
# in ``scene``, which checks them against the props.
FACE_W = 3.5
HIGHLIGHT_W = 4.0
FLOOR_W = 2.0
BEHIND_GAP_CM = 2.0  # the desk behind the body stops this far short of its outline
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


# --- the figure ----------------------------------------------------------------------------------


def keyframe_count(exercise: Exercise) -> int:
    return len(exercise.keyframes)


def keyframe_labels(exercise: Exercise) -> tuple[str, ...]:
    return exercise.keyframe_labels


def _phase_text(exercise: Exercise, index: int) -> str:
    label = exercise.keyframe_labels[index]
    return f"{exercise.name}, {label} ({index + 1} of {len(exercise.keyframes)})"


def _trunk_d(s: Skeleton) -> str:
    return (
        f"M{_pt(s.hip)} L{_pt(s.sacrum)} Q{_pt(s.lumbar_bend)} {_pt(s.thoracolumbar)}"
        f" Q{_pt(s.thoracic_bend)} {_pt(s.neck_base)}"
    )


def _behind_mask(s: Skeleton, mask_id: str) -> _Element:
    """White everywhere but the body (the far arm aside: that hand rests on the desk), widened by
    ``BEHIND_GAP_CM``: a prop drawn through this mask passes behind the figure."""
    gap = 2 * BEHIND_GAP_CM
    return _el(
        "mask",
        _el(
            "rect",
            x=_num(VIEW_X),
            y=_num(VIEW_Y),
            width=_num(VIEW_SIZE),
            height=_num(VIEW_SIZE),
            fill="white",
        ),
        _el(
            "g",
            _path("m-trunk", _trunk_d(s), TRUNK_W + gap),
            _line("m-neck", s.neck_base, s.head, NECK_W + gap),
            _el(
                "circle",
                cx=_num(s.head[0]),
                cy=_num(s.head[1]),
                r=_num(HEAD_RADIUS_CM + BEHIND_GAP_CM),
                fill="black",
            ),
            _limb("m-far-leg", s.far_leg, LEG_W + gap),
            _line("m-far-foot", s.far_foot.heel, s.far_foot.toe, FOOT_W + gap),
            _limb("m-near-leg", s.near_leg, LEG_W + gap),
            _line("m-near-foot", s.near_foot.heel, s.near_foot.toe, FOOT_W + gap),
            _limb("m-near-arm", s.near_arm, ARM_W + gap),
            stroke="black",
        ),
        id=mask_id,
        maskUnits="userSpaceOnUse",
        x=_num(VIEW_X),
        y=_num(VIEW_Y),
        width=_num(VIEW_SIZE),
        height=_num(VIEW_SIZE),
    )


def _figure_elements(exercise: Exercise, index: int, uid: str) -> list[_Element]:
    """The floor, the props and the figure; ``uid`` makes the ids inside unique on a page (the
    same for every keyframe of one animation). Without a ``uid`` there are no ids, and no desk:
    it would have no mask to pass behind the body."""
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
    props = exercise_props(exercise)
    if props.desk is not None and uid:
        mask_id = f"{uid}-behind"
        d = " ".join(_polyline_d(points) for points in props.desk.outline())
        elements.append(_el("defs", _behind_mask(s, mask_id)))
        elements.append(
            _path(
                "props desk",
                d,
                PROP_W,
                stroke="currentColor",
                stroke_opacity=PROP_OPACITY,
                mask=f"url(#{mask_id})",
            )
        )
    outlines = tuple(
        line for prop in (props.chair, props.surface) if prop is not None for line in prop.outline()
    )
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
    figure = _el(
        "g",
        far,
        _path("trunk", _trunk_d(s), TRUNK_W),
        _line("neck", s.neck_base, s.head, NECK_W),
        _el(
            "circle",
            class_="head",
            cx=_num(s.head[0]),
            cy=_num(s.head[1]),
            r=_num(HEAD_RADIUS_CM),
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
    uid: str = "",
    decorative: bool = False,
) -> str:
    """One keyframe of ``exercise`` as a standalone, accessible SVG document.

    ``uid`` prefixes the ids inside (default ``ds-<exercise id>``, the same for every keyframe so
    that the browser can tween them); give each SVG put inline on one page its own.
    ``decorative`` hides it from screen readers (no title or label) for a page that names the
    picture itself.
    """
    _check_index(exercise, keyframe_index)
    label = _phase_text(exercise, keyframe_index)
    children = _figure_elements(exercise, keyframe_index, uid or f"ds-{exercise.id}")
    if title and not decorative:
        children.insert(0, _el("title", text=label))
    naming = (
        {"aria_hidden": "true", "focusable": "false"}
        if decorative
        else {"role": "img", "aria_label": label}
    )
    root = _el(
        "svg",
        *children,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=_view_box(),
        width=str(width),
        height=str(height),
        **naming,
        class_="ds-figure",
        **_svg_attrs(),
    )
    return root.render() + "\n"


THUMB_PAD_CM = 6.0


def render_thumbnail_svg(exercise: Exercise, *, size: int = 64) -> str:
    """The held pose, small and framed tight round the body, to sit beside the exercise's name:
    decorative (hidden from screen readers, which read the name), with no ids, so that one page
    can show it many times."""
    index = exercise.hold_on % max(len(exercise.keyframes), 1)
    _check_index(exercise, index)
    points = [
        (x + dx * part.half_width_cm, y + dy * part.half_width_cm)
        for part in body_parts(solve(exercise.keyframes[index]))
        for x, y in part.points
        for dx, dy in ((-1, -1), (1, 1))
    ]
    x0, x1 = min(x for x, _ in points), max(x for x, _ in points)
    y0, y1 = min(y for _, y in points), max(*(y for _, y in points), FLOOR_W)
    side = max(x1 - x0, y1 - y0) + 2 * THUMB_PAD_CM
    left, top = (x0 + x1 - side) / 2, y1 + THUMB_PAD_CM - side
    root = _el(
        "svg",
        *_figure_elements(exercise, index, ""),
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"{_num(left)} {_num(top)} {_num(side)} {_num(side)}",
        width=str(size),
        height=str(size),
        class_="ds-thumb",
        aria_hidden="true",
        focusable="false",
        **_svg_attrs(),
    )
    return root.render()


_SHEET_GAP, _SHEET_TOP, _SHEET_BOTTOM = 16, 44, 34


def _sheet_row(exercise: Exercise, panel: int, y0: int) -> tuple[list[_Element], int, int]:
    """A heading, then every keyframe side by side labelled with its phase, from ``y0`` down:
    the elements, their width and their height."""
    _check_index(exercise, 0)
    count = len(exercise.keyframes)
    gap, top, bottom = _SHEET_GAP, y0 + _SHEET_TOP, _SHEET_BOTTOM
    total_w = count * panel + (count + 1) * gap
    total_h = _SHEET_TOP + panel + bottom
    muscle = _MUSCLE_NAMES.get(exercise.muscle_group, exercise.muscle_group)
    heading = f"{exercise.code}  {exercise.name}"
    children: list[_Element] = [
        _el("title", text=f"{exercise.name}: {count} phases; highlighted: {muscle}"),
        _el(
            "text",
            text=heading,
            x=str(gap),
            y=str(y0 + 28),
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
                *_figure_elements(exercise, index, f"ds-{exercise.id}-sheet-{index}"),
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
    return children, total_w, total_h


def render_sheet_svg(exercise: Exercise, *, panel: int = 240) -> str:
    """Every keyframe side by side, labelled with its phase, for export (``show --svg``)."""
    children, total_w, total_h = _sheet_row(exercise, panel, 0)
    count = len(exercise.keyframes)
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


def render_contact_sheet_svg(exercises: Iterable[Exercise], *, panel: int = 200) -> str:
    """Every exercise's keyframes, one exercise a row, for reviewing the figures at a glance
    (``scripts/figure_sheet.py`` and the browser test save it as a picture). On a white ground,
    so that it reads the same whatever shows it."""
    children: list[_Element] = []
    width = height = 0
    for exercise in exercises:
        row, row_w, row_h = _sheet_row(exercise, panel, height)
        children.append(_el("g", *row, class_="sheet-row", data_exercise=exercise.id))
        width, height = max(width, row_w), height + row_h
    root = _el(
        "svg",
        _el("rect", width="100%", height="100%", fill="white"),
        *children,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=str(width),
        height=str(height),
        color="#1d2430",
        role="img",
        aria_label="Every exercise's figure, phase by phase",
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
