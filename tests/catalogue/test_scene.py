"""Figures people can follow: in every frame the browser can show (each keyframe and the tweens
between them) the body stays out of the furniture, and the hip hinges keep the back long.

Every exercise in the catalogue is checked; the hinges are the exercises whose own words say to
move from the hips or to keep the back long or flat.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from deskstretch.catalogue.loader import load_catalogue
from deskstretch.catalogue.scene import (
    TWEEN_STEPS,
    Part,
    body_parts,
    clashes,
    clearance,
    exercise_props,
    frames,
    hold_gap,
    holds_chair_back,
    segment_distance,
)
from deskstretch.core.models import Exercise
from deskstretch.core.pose import (
    DESK_HEIGHT_CM,
    SEATED_POSE,
    Desk,
    Props,
    back_bend,
    pose_from_angles,
    solve,
)

CATALOGUE = load_catalogue()
EXERCISES = sorted(CATALOGUE.exercises)
BACK_BEND_LIMIT_DEG = 5.0
HINGE_WORDS = re.compile(
    r"\bfrom the hips\b|\bback (?:stays |long and |)(?:long|flat)\b|\b(?:long|flat) back\b",
    re.IGNORECASE,
)


def keeps_the_back_long(exercise: Exercise) -> bool:
    """A hip hinge by its own words: the summary, set-up or a cue says to move from the hips or
    to keep the back long or flat."""
    return any(
        HINGE_WORDS.search(text) for text in (exercise.summary, exercise.setup, *exercise.cues)
    )


HINGES = sorted(e.id for e in CATALOGUE.exercises.values() if keeps_the_back_long(e))


def _with_keyframes(exercise: Exercise, *poses: object) -> Exercise:
    return replace(exercise, keyframes=tuple(poses))  # type: ignore[arg-type]


# --- every exercise -----------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_no_frame_puts_the_body_through_the_furniture(exercise_id: str) -> None:
    found = clashes(CATALOGUE.exercises[exercise_id])
    assert [str(c) for c in found] == []


@pytest.mark.parametrize("exercise_id", HINGES)
def test_hip_hinges_keep_the_back_long_in_every_frame(exercise_id: str) -> None:
    exercise = CATALOGUE.exercises[exercise_id]
    bent = [
        f"{frame.label}: {back_bend(frame.skeleton):.1f} degrees"
        for frame in frames(exercise)
        if back_bend(frame.skeleton) > BACK_BEND_LIMIT_DEG
    ]
    assert bent == []


def test_the_hinges_are_found_from_the_words() -> None:
    codes = {CATALOGUE.exercises[i].code for i in HINGES}
    # The hamstring hinges and the figure-four lean all say so; the forward fold, which rounds
    # the back on purpose, and the pelvic tilts do not.
    assert {"S01", "S02", "S03", "S04", "S08"} <= codes
    assert not {"S06", "S10", "S12"} & codes


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_frames_are_every_keyframe_and_the_tweens_between(exercise_id: str) -> None:
    exercise = CATALOGUE.exercises[exercise_id]
    shown = frames(exercise)
    count = len(exercise.keyframes)
    assert len(shown) == count + (count - 1) * (TWEEN_STEPS - 1)
    keyframes = [f for f in shown if f.fraction == 0]
    assert [f.skeleton for f in keyframes] == [solve(p) for p in exercise.keyframes]


def test_a_hand_on_the_chair_back_touches_it() -> None:
    holding = [e for e in CATALOGUE.exercises.values() if holds_chair_back(e)]
    assert [e.code for e in holding] == ["S09"]
    for exercise in holding:
        gap = hold_gap(exercise)
        assert gap is not None
        assert gap <= 0.5, f"{exercise.code}: the hand is {gap:.1f} cm off the chair back"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_desk_stands_beside_the_figure_with_the_hand_over_it(exercise_id: str) -> None:
    exercise = CATALOGUE.exercises[exercise_id]
    desk = exercise_props(exercise).desk
    assert (desk is not None) == (
        "desk" in exercise.equipment and exercise.position.value == "standing"
    )
    if desk is None:
        return
    held = solve(exercise.keyframes[exercise.hold_on])
    x, y = held.far_arm.end
    assert desk.x0 < x < desk.x1, "the hand on the desk side is over the desk"
    assert -DESK_HEIGHT_CM - 12.0 < y < -DESK_HEIGHT_CM, "and just above its top"


# --- the checks can fail ------------------------------------------------------------------------


def test_the_old_desk_stood_round_the_heel_on_chair_figure() -> None:
    """The desk used to span the standing leg (60 cm behind the hand to 14 in front): its leg
    went through the body, which the check reports."""
    exercise = CATALOGUE.find("S02")
    wrist_x = solve(exercise.keyframes[0]).far_arm.end[0]
    old = Props(surface=exercise_props(exercise).surface, desk=Desk(wrist_x - 60.0, wrist_x + 14.0))
    assert any(c.prop == "desk leg" for c in clashes(exercise, old))
    assert clashes(exercise) == ()


def test_the_old_rounded_hinges_fail_the_back_check() -> None:
    """The hinge keyframes as they were: the upper back arched and the chin pulled in against a
    forward-leaning neck drew a bent back."""
    old_s02 = pose_from_angles(
        "standing",
        {
            "pelvis_tilt_deg": 30,
            "lumbar_flex_deg": 3,
            "thoracic_flex_deg": -8,
            "neck_flex_deg": -10,
            "hip_flex_deg": 94.5,
            "far_hip_flex_deg": 32,
            "far_knee_flex_deg": 4,
        },
    )
    assert back_bend(solve(old_s02)) > BACK_BEND_LIMIT_DEG
    rounded = replace(SEATED_POSE, pelvis_tilt_deg=20.0, hip_flex_deg=110.0, lumbar_flex_deg=35.0)
    assert back_bend(solve(rounded)) > 3 * BACK_BEND_LIMIT_DEG


def test_a_tween_through_the_chair_is_caught_between_clear_keyframes() -> None:
    """The forward fold's far arm as it was: clear of the chair in both keyframes, but the browser's
    tween swung the elbow through the front of the seat."""
    exercise = CATALOGUE.find("S06")
    start, fold = exercise.keyframes
    old = _with_keyframes(exercise, start, replace(fold, far_shoulder_flex_deg=80.0))
    found = clashes(old)
    assert found
    assert all(c.body_part == "far arm" and "from keyframe 0 to 1" in c.frame for c in found)


def test_an_arm_through_the_seat_is_a_clash() -> None:
    exercise = CATALOGUE.find("S11")
    down = replace(SEATED_POSE, shoulder_flex_deg=-5.0, elbow_flex_deg=0.0)
    found = clashes(_with_keyframes(exercise, SEATED_POSE, down))
    assert {(c.body_part, c.prop) for c in found} == {("near arm", "chair")}
    assert str(found[-1]).startswith("keyframe 1: the near arm goes")


def test_without_the_words_the_hand_may_not_cross_the_chair_back() -> None:
    twist = CATALOGUE.find("S09")
    silent = replace(twist, cues=tuple(c.replace("chair back", "thigh") for c in twist.cues))
    assert not holds_chair_back(silent)
    assert hold_gap(silent) is None
    assert any(c.body_part == "near arm" for c in clashes(silent))


# --- the geometry underneath --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        (((0, 0), (10, 0), (5, -5), (5, 5)), 0.0),  # crossing
        (((0, 0), (10, 0), (0, 3), (10, 3)), 3.0),  # parallel
        (((0, 0), (10, 0), (13, 4), (20, 4)), 5.0),  # end to end
        (((0, 0), (0, 0), (3, 4), (3, 4)), 5.0),  # two points
    ],
)
def test_segment_distance(segments: tuple[tuple[float, float], ...], expected: float) -> None:
    a, b, c, d = segments
    assert segment_distance(a, b, c, d) == pytest.approx(expected)
    assert segment_distance(c, d, a, b) == pytest.approx(expected)


def test_a_part_may_press_into_a_prop_by_half_its_thickness() -> None:
    seat = Part("seat", ((-20.0, 0.0), (20.0, 0.0)), 1.5)
    thigh_on_it = Part("thigh", ((-10.0, -4.0), (10.0, -4.0)), 4.0)
    thigh_in_it = Part("thigh", ((-10.0, -3.0), (10.0, -3.0)), 4.0)
    assert clearance(thigh_on_it, seat) == pytest.approx(0.5)
    assert clearance(thigh_in_it, seat) == pytest.approx(-0.5)


def test_body_parts_are_what_the_drawing_strokes() -> None:
    names = [p.name for p in body_parts(solve(SEATED_POSE))]
    assert names == [
        "trunk",
        "neck",
        "head",
        "near leg",
        "far leg",
        "near foot",
        "far foot",
        "near arm",
        "far arm",
    ]
