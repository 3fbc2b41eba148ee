"""Live form checks: targets from the catalogue's held keyframes, verdicts on measured angles."""

from __future__ import annotations

from functools import cache

import pytest

from deskstretch.catalogue.loader import load_catalogue
from deskstretch.core.body_angles import BodyAngles
from deskstretch.core.body_angles import Side as BodySide
from deskstretch.core.form_check import (
    KNEE_ROOM_DEG,
    MIN_VISIBILITY,
    UPRIGHT_ROOM_DEG,
    Check,
    FormTarget,
    check_form,
    form_target,
    without_gate,
    working_side,
)
from deskstretch.core.models import Exercise
from deskstretch.core.models import Side as StepSide
from deskstretch.core.pose import (
    Pose,
    knee_extension_deficit,
    solve,
    trunk_inclination,
    trunk_thigh_flexion,
)

HAMSTRING_HOLDS = (
    "seated-hamstring-hinge",
    "seated-hamstring-contract-relax",
    "heel-on-chair-hamstring",
    "split-stance-hamstring-hinge",
)


@cache
def _exercise(exercise_id: str) -> Exercise:
    return load_catalogue().find(exercise_id)


def _angles_of(pose: Pose, *, visibility: float = 0.95, **change: float) -> BodyAngles:
    """What a perfect camera would measure on the figure in ``pose`` (near leg), with
    ``change`` added to the named angles."""
    skeleton = solve(pose)
    values = {
        "forward_bend_deg": trunk_thigh_flexion(skeleton),
        "knee_deficit_deg": knee_extension_deficit(skeleton),
        "trunk_inclination_deg": trunk_inclination(skeleton),
    }
    for name, delta in change.items():
        values[name] += delta
    return BodyAngles(side=BodySide.LEFT, visibility=visibility, **values)


def _held(exercise: Exercise) -> Pose:
    return exercise.keyframes[exercise.hold_on]


@pytest.mark.parametrize("exercise_id", HAMSTRING_HOLDS)
def test_the_figures_own_hold_is_in_position(exercise_id: str) -> None:
    exercise = _exercise(exercise_id)
    target = form_target(exercise, StepSide.LEFT)
    verdict = check_form(_angles_of(_held(exercise)), target)
    assert target.gated
    assert verdict.in_position
    assert verdict.cue is None


@pytest.mark.parametrize("exercise_id", HAMSTRING_HOLDS)
def test_hamstring_holds_check_a_straight_knee_and_a_bend(exercise_id: str) -> None:
    target = form_target(_exercise(exercise_id), StepSide.RIGHT)
    assert target.checks == (Check.KNEE_STRAIGHT, Check.BEND)
    assert target.side is BodySide.RIGHT
    assert target.knee_deficit_deg == pytest.approx(target.max_knee_deficit_deg - KNEE_ROOM_DEG)


@pytest.mark.parametrize("exercise_id", HAMSTRING_HOLDS)
def test_starting_position_is_not_yet_the_stretch(exercise_id: str) -> None:
    exercise = _exercise(exercise_id)
    verdict = check_form(_angles_of(exercise.keyframes[0]), form_target(exercise, StepSide.LEFT))
    assert not verdict.in_position
    assert verdict.failed == (Check.BEND,)
    assert verdict.cue == "Hinge from the hips and keep your back long, just to a mild pull"


def test_a_bent_knee_is_cued_first_by_the_knee_that_works() -> None:
    exercise = _exercise("seated-hamstring-hinge")
    target = form_target(exercise, StepSide.LEFT)
    bent = _angles_of(_held(exercise), knee_deficit_deg=25.0)
    verdict = check_form(bent, target)
    assert not verdict.in_position
    assert verdict.cue == "Keep the left knee straight"
    # Both wrong: the knee comes first (a bent knee makes the bend easy and the test invalid).
    both = _angles_of(exercise.keyframes[0], knee_deficit_deg=25.0)
    assert check_form(both, target).failed == (Check.KNEE_STRAIGHT, Check.BEND)
    assert check_form(both, target).cue == "Keep the left knee straight"


def test_knee_words_follow_the_stance() -> None:
    assert form_target(_exercise("split-stance-hamstring-hinge")).knee_words == "front"
    assert form_target(_exercise("heel-on-chair-hamstring")).knee_words == "raised"
    target = form_target(_exercise("split-stance-hamstring-hinge"), StepSide.LEFT)
    bent = _angles_of(_held(_exercise("split-stance-hamstring-hinge")), knee_deficit_deg=20.0)
    assert check_form(bent, target).cue == "Keep the front knee straight"


def test_a_soft_knee_within_the_stated_room_still_counts() -> None:
    exercise = _exercise("split-stance-hamstring-hinge")
    target = form_target(exercise, StepSide.LEFT)
    soft = _angles_of(_held(exercise), knee_deficit_deg=KNEE_ROOM_DEG - 0.5)
    too_bent = _angles_of(_held(exercise), knee_deficit_deg=KNEE_ROOM_DEG + 0.5)
    assert check_form(soft, target).in_position
    assert not check_form(too_bent, target).in_position


def test_a_stiffer_body_counts_well_before_the_figures_depth() -> None:
    """Less than half-way to the figure's bend is in position: never push past a mild pull."""
    exercise = _exercise("seated-hamstring-hinge")
    target = form_target(exercise, StepSide.LEFT)
    start = trunk_thigh_flexion(solve(exercise.keyframes[0]))
    half_way = start + 0.5 * (target.forward_bend_deg - start)
    assert target.min_forward_bend_deg < half_way
    assert target.min_forward_bend_deg >= start + 12.0  # twice the ±6° uncertainty: sitting tall
    shallow = _angles_of(_held(exercise), forward_bend_deg=half_way - target.forward_bend_deg)
    assert check_form(shallow, target).in_position


def test_past_the_figure_the_cue_says_ease_off_never_further() -> None:
    exercise = _exercise("seated-hamstring-hinge")
    target = form_target(exercise, StepSide.LEFT)
    deep = _angles_of(_held(exercise), forward_bend_deg=40.0)
    verdict = check_form(deep, target)
    assert verdict.in_position
    assert verdict.cue == "Ease off a little: a mild pull is enough"
    cues = {
        check_form(_angles_of(_held(exercise), forward_bend_deg=d), target).cue
        for d in range(-60, 61, 5)
    }
    assert not any(cue and ("further" in cue or "deeper" in cue) for cue in cues)


def test_upright_holds_say_sit_up_tall_or_stand_tall() -> None:
    knee_hug = _exercise("seated-knee-to-chest")
    target = form_target(knee_hug, StepSide.RIGHT)
    assert Check.UPRIGHT in target.checks
    slumped = _angles_of(_held(knee_hug), trunk_inclination_deg=UPRIGHT_ROOM_DEG + 5)
    assert check_form(slumped, target).cue == "Sit up tall"
    hip_flexor = _exercise("standing-hip-flexor-stretch")
    target = form_target(hip_flexor, StepSide.LEFT)
    assert target.checks == (Check.UPRIGHT,)
    leaning = _angles_of(_held(hip_flexor), trunk_inclination_deg=UPRIGHT_ROOM_DEG + 5)
    assert check_form(leaning, target).cue == "Stand up tall"
    assert check_form(_angles_of(_held(hip_flexor)), target).in_position


def test_a_fold_is_cued_as_a_fold_not_as_a_long_back_hinge() -> None:
    fold = _exercise("seated-forward-fold")
    target = form_target(fold)
    verdict = check_form(_angles_of(fold.keyframes[0]), target)
    assert verdict.cue == "Fold forward slowly, just until you feel a mild stretch"
    assert target.side is None  # both sides at once: the camera-facing side is measured


@pytest.mark.parametrize(
    ("exercise_id", "words"),
    [
        ("desk-leg-swings", "moving"),
        ("seated-sciatic-slider", "moving"),
        ("seated-spinal-twist", "twist"),
        ("seated-figure-four", "crossed leg"),
        ("seated-brace-march", "held stretches"),
    ],
)
def test_what_a_side_view_cannot_judge_has_no_gate_and_a_plain_note(
    exercise_id: str, words: str
) -> None:
    target = form_target(_exercise(exercise_id), StepSide.LEFT)
    assert not target.gated
    assert words in target.note
    verdict = check_form(_angles_of(Pose(), knee_deficit_deg=60.0), target)
    assert verdict.in_position and verdict.cue is None and not verdict.gated


def test_low_visibility_asks_to_turn_the_working_side_to_the_camera() -> None:
    exercise = _exercise("seated-hamstring-hinge")
    target = form_target(exercise, StepSide.RIGHT)
    hidden = _angles_of(_held(exercise), visibility=MIN_VISIBILITY - 0.1)
    verdict = check_form(hidden, target)
    assert not verdict.in_position
    assert verdict.cue == "Turn so your right side faces the camera, with your whole body in view"


def test_working_side_is_the_segments_side_else_the_camera_facing_one() -> None:
    assert working_side(StepSide.LEFT) is BodySide.LEFT
    assert working_side(StepSide.RIGHT) is BodySide.RIGHT
    assert working_side(StepSide.BOTH) is None
    # A bilateral exercise never names a side, whatever the segment says.
    assert form_target(_exercise("seated-forward-fold"), StepSide.LEFT).side is None


def test_without_gate_keeps_the_numbers_and_drops_the_checks() -> None:
    target = form_target(_exercise("seated-hamstring-hinge"), StepSide.LEFT)
    plain: FormTarget = without_gate(target)
    assert not plain.gated and plain.note
    assert plain.forward_bend_deg == target.forward_bend_deg
