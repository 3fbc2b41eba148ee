"""Exercise figures: every catalogue move has keyframes, and each renders to animatable SVG.

The browser tweens between keyframes, so the contract is strict: the same elements, in the same
order, with the same classes and path commands; only numbers may differ. No ``style`` anywhere
(the page's CSP forbids inline styles).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from deskstretch.catalogue.illustrations import (
    keyframe_count,
    keyframe_labels,
    render_contact_sheet_svg,
    render_sheet_svg,
    render_svg,
    render_thumbnail_svg,
)
from deskstretch.catalogue.loader import Catalogue, load_catalogue
from deskstretch.catalogue.scene import body_parts
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.models import Exercise
from deskstretch.core.pose import SOLE_CM, Root, floor_clearance, solve
from deskstretch.core.pose import knee_extension_deficit as knee_deficit
from deskstretch.core.pose import trunk_thigh_flexion as forward_bend

CODES = [f"S{n:02d}" for n in range(1, 15)]
SVG = "{http://www.w3.org/2000/svg}"
ANIMATED = {"x1", "y1", "x2", "y2", "cx", "cy", "r", "d"}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _exercise(catalogue: Catalogue, code: str) -> Exercise:
    return catalogue.find(code)


def _frames(exercise: Exercise) -> list[ET.Element]:
    return [ET.fromstring(render_svg(exercise, i)) for i in range(keyframe_count(exercise))]


def _commands(d: str) -> str:
    return "".join(re.findall(r"[A-Za-z]", d))


def _shape(element: ET.Element) -> list[tuple[str, str | None, str | None, tuple[str, ...]]]:
    """Document-order (tag, id, class, attribute names) of every element."""
    return [(e.tag, e.get("id"), e.get("class"), tuple(sorted(e.attrib))) for e in element.iter()]


def test_every_exercise_has_labelled_keyframes(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        assert keyframe_count(exercise) >= 2, exercise.code
        labels = keyframe_labels(exercise)
        assert len(labels) == keyframe_count(exercise)
        assert all(labels), exercise.code
        assert len(set(labels)) == len(labels), f"{exercise.code}: repeated phase label"
        assert -keyframe_count(exercise) <= exercise.hold_on < keyframe_count(exercise)
        assert len(set(exercise.keyframes)) == len(exercise.keyframes), "two identical phases"


@pytest.mark.parametrize("code", CODES)
def test_keyframes_share_one_element_structure(catalogue: Catalogue, code: str) -> None:
    frames = _frames(_exercise(catalogue, code))
    first = frames[0]
    for other in frames[1:]:
        assert _shape(other) == _shape(first)
        for a, b in zip(first.iter(), other.iter(), strict=True):
            for name, value in a.attrib.items():
                if value == b.get(name) or (a is first and name == "aria-label"):
                    continue  # the root's label names the phase; the page updates it
                assert name in ANIMATED, f"{code}: <{a.tag}> {name} differs between keyframes"
                if name == "d":
                    assert _commands(value) == _commands(b.get(name, ""))
                    assert len(NUMBER.findall(value)) == len(NUMBER.findall(b.get(name, "")))
            assert (a.text or "").strip() == (b.text or "").strip() or a.tag == f"{SVG}title"


@pytest.mark.parametrize("code", CODES)
def test_keyframes_differ_only_in_numbers_and_do_differ(catalogue: Catalogue, code: str) -> None:
    label = re.compile(r' aria-label="[^"]*"')
    svgs = [label.sub("", render_svg(_exercise(catalogue, code), i, title=False)) for i in range(2)]
    assert svgs[0] != svgs[1], "the two phases draw the same picture"
    assert NUMBER.sub("#", svgs[0]) == NUMBER.sub("#", svgs[1])


@pytest.mark.parametrize("code", CODES)
def test_svg_is_accessible_and_names_the_phase(catalogue: Catalogue, code: str) -> None:
    exercise = _exercise(catalogue, code)
    for index, root in enumerate(_frames(exercise)):
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        label = root.get("aria-label", "")
        assert exercise.name in label
        assert exercise.keyframe_labels[index] in label
        title = root.find(f"{SVG}title")
        assert title is not None
        assert title.text == label
        assert root.get("viewBox") and root.get("width") == "320"
    untitled = ET.fromstring(render_svg(exercise, 0, title=False, width=200, height=200))
    assert untitled.find(f"{SVG}title") is None
    assert untitled.get("aria-label") and untitled.get("width") == "200"


@pytest.mark.parametrize("code", CODES)
def test_no_inline_styles_and_colour_from_current_color(catalogue: Catalogue, code: str) -> None:
    exercise = _exercise(catalogue, code)
    for text in (render_svg(exercise, 0), render_sheet_svg(exercise)):
        root = ET.fromstring(text)
        assert all("style" not in e.attrib for e in root.iter())
        assert root.find(f".//{SVG}style") is None
        assert "currentColor" in text
    figure = _frames(exercise)[0]
    far = [e for e in figure.iter() if e.get("class") == "far"]
    assert len(far) == 1
    assert float(far[0].get("opacity", "1")) < 1  # far-side limbs drawn lighter


@pytest.mark.parametrize("code", CODES)
def test_the_stretched_muscle_is_highlighted(catalogue: Catalogue, code: str) -> None:
    exercise = _exercise(catalogue, code)
    root = _frames(exercise)[0]
    marked = [e for e in root.iter() if "hl" in (e.get("class") or "").split()]
    assert len(marked) == 1
    assert f"hl-{exercise.muscle_group}" in (marked[0].get("class") or "")
    dashed = marked[0].get("stroke-dasharray") is not None
    assert dashed == (exercise.muscle_group == "nerve")


@pytest.mark.parametrize("code", CODES)
def test_numbers_are_rounded_and_output_is_deterministic(catalogue: Catalogue, code: str) -> None:
    exercise = _exercise(catalogue, code)
    text = render_svg(exercise, 1)
    assert text == render_svg(exercise, 1)
    for element in ET.fromstring(text).iter():
        for name in ANIMATED & set(element.attrib):
            for number in NUMBER.findall(element.attrib[name]):
                assert re.fullmatch(r"-?\d+(\.\d)?", number), f"{name}={number}"
                assert number not in ("-0", "-0.0")
    assert 'stroke-linecap="round"' in text


@pytest.mark.parametrize("code", CODES)
def test_poses_stay_above_the_floor_and_feet_plant_where_they_should(
    catalogue: Catalogue, code: str
) -> None:
    exercise = _exercise(catalogue, code)
    for index, pose in enumerate(exercise.keyframes):
        skeleton = solve(pose)
        assert floor_clearance(skeleton) > -0.5, f"{code}[{index}]: a foot is through the floor"
        assert pose.root is Root(exercise.position.value)
        # The far foot is the stance foot when standing, and it stays flat on the floor when
        # seated: nobody does these moves on tiptoe.
        heel, toe = skeleton.far_foot.heel, skeleton.far_foot.toe
        assert heel[1] == pytest.approx(-SOLE_CM, abs=1.0), f"{code}[{index}] far heel"
        assert toe[1] == pytest.approx(-SOLE_CM, abs=1.0), f"{code}[{index}] far toe"
        assert skeleton.head[1] < skeleton.hip[1] or code == "S06"  # only the fold dips the head


def test_hamstring_holds_are_straight_knee_hinges(catalogue: Catalogue) -> None:
    """The held phase is the camera target: knee within 10 degrees of straight (domain §5.2) and a
    deeper forward bend than the starting phase."""
    for code in ("S01", "S02", "S03", "S04"):
        exercise = _exercise(catalogue, code)
        start = solve(exercise.keyframes[0])
        held = solve(exercise.keyframes[exercise.hold_on])
        assert knee_deficit(held) <= 10, code
        assert forward_bend(held) > forward_bend(start) + 15, code


def test_slider_pairs_knee_straightening_with_looking_up(catalogue: Catalogue) -> None:
    exercise = _exercise(catalogue, "S14")
    bent, straight = (solve(p) for p in exercise.keyframes)
    assert knee_deficit(straight) < knee_deficit(bent)
    assert straight.nose[1] < bent.nose[1]  # gaze up as the knee straightens (not a tensioner)


def test_sheet_has_a_labelled_panel_per_keyframe(catalogue: Catalogue) -> None:
    exercise = _exercise(catalogue, "S04")
    root = ET.fromstring(render_sheet_svg(exercise))
    panels = root.findall(f"{SVG}svg")
    assert len(panels) == keyframe_count(exercise) == 3
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert texts[0].startswith("S04")
    for index, label in enumerate(exercise.keyframe_labels):
        assert any(t.startswith(f"{index + 1}. {label}") for t in texts)
    assert any(t.endswith("(hold)") for t in texts)


def test_unknown_keyframe_is_an_error(catalogue: Catalogue) -> None:
    exercise = _exercise(catalogue, "S01")
    with pytest.raises(DeskstretchError, match="keyframe 5 does not exist"):
        render_svg(exercise, 5)


def _ids(root: ET.Element) -> list[str]:
    return [e.get("id", "") for e in root.iter() if e.get("id")]


@pytest.mark.parametrize("code", CODES)
def test_a_desk_passes_behind_the_body_through_a_mask(catalogue: Catalogue, code: str) -> None:
    exercise = _exercise(catalogue, code)
    root = _frames(exercise)[0]
    desks = [e for e in root.iter() if "desk" in (e.get("class") or "").split()]
    masks = list(root.iter(f"{SVG}mask"))
    has_desk = "desk" in exercise.equipment and exercise.position.value == "standing"
    assert len(desks) == len(masks) == (1 if has_desk else 0)
    if has_desk:
        assert desks[0].get("mask") == f"url(#ds-{exercise.id}-behind)"
        assert _ids(root) == [f"ds-{exercise.id}-behind"]
        # White all over but black where the body is: one outline per drawn part but the far arm,
        # whose hand rests on the desk.
        outline = [e for e in masks[0].iter() if e.tag != f"{SVG}mask"]
        assert outline[0].get("fill") == "white"
        assert len(outline) == 2 + len(body_parts(solve(exercise.keyframes[0]))) - 1


def test_uid_keeps_ids_apart_on_one_page(catalogue: Catalogue) -> None:
    exercise = _exercise(catalogue, "S02")
    first, second = (ET.fromstring(render_svg(exercise, i, uid=f"page-{i}")) for i in range(2))
    assert _ids(first) == ["page-0-behind"] and _ids(second) == ["page-1-behind"]
    # Without one, every keyframe shares the id, so that the browser tweens one mask.
    assert _ids(_frames(exercise)[0]) == _ids(_frames(exercise)[1])
    sheet = ET.fromstring(render_contact_sheet_svg(catalogue.exercises.values()))
    assert len(_ids(sheet)) == len(set(_ids(sheet))) > 0


def test_decorative_figure_is_hidden_from_screen_readers(catalogue: Catalogue) -> None:
    root = ET.fromstring(render_svg(_exercise(catalogue, "S01"), 1, decorative=True))
    assert root.get("aria-hidden") == "true" and root.get("focusable") == "false"
    assert root.get("role") is None and root.get("aria-label") is None
    assert root.find(f"{SVG}title") is None


@pytest.mark.parametrize("code", CODES)
def test_thumbnail_frames_the_held_pose_tightly(catalogue: Catalogue, code: str) -> None:
    exercise = _exercise(catalogue, code)
    text = render_thumbnail_svg(exercise, size=48)
    root = ET.fromstring(text)
    assert root.get("width") == root.get("height") == "48"
    assert root.get("aria-hidden") == "true" and root.get("role") is None
    assert _ids(root) == [] and "style" not in text and "desk" not in text
    x, y, w, h = (float(n) for n in (root.get("viewBox") or "").split())
    assert w == h < 200  # tighter than the page figure's window
    held = solve(exercise.keyframes[exercise.hold_on])
    for part in body_parts(held):
        for px, py in part.points:
            assert x <= px <= x + w and y <= py <= y + h, (code, part.name)
    assert len(text) < 2000  # small enough to put beside every exercise on a page


def test_contact_sheet_has_a_row_per_exercise_and_a_panel_per_keyframe(
    catalogue: Catalogue,
) -> None:
    exercises = sorted(catalogue.exercises.values(), key=lambda e: e.code)
    root = ET.fromstring(render_contact_sheet_svg(exercises))
    rows = root.findall(f"{SVG}g")
    assert [r.get("data-exercise") for r in rows] == [e.id for e in exercises]
    for row, exercise in zip(rows, exercises, strict=True):
        assert len(row.findall(f"{SVG}svg")) == len(exercise.keyframes)
    heights = [float(r.findall(f"{SVG}text")[0].get("y", "0")) for r in rows]
    assert heights == sorted(heights) and len(set(heights)) == len(rows)  # stacked, not overlaid
