"""Real photos through the whole photo path: landmarks found, angles where they should be, the
quality gates firing on bad photos, people counted, and the annotated copy drawn legibly."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from deskstretch.core.body_angles import HIP, LANDMARK_COUNT, Landmark, PhotoTest, Problem, Side
from deskstretch.core.body_angles import measure as measure_side
from deskstretch.vision import Photo, PoseModel, assess_photo, open_pose_model
from deskstretch.vision.annotate import MAX_OUTPUT_SIDE, MIN_OUTPUT_SIDE
from deskstretch.vision.photo_assessment import assess_landmarks, people_in_photo
from helpers.pose_photos import PUSHUPS, SEATED, as_photo, fixture_photo, pushup_top_frame

SIT_AND_REACH = PhotoTest.CHAIR_SIT_AND_REACH
FORWARD_BEND = PhotoTest.STANDING_FORWARD_BEND


def problems_of(photo: Photo, model: PoseModel) -> set[Problem]:
    return {p.problem for p in assess_photo(photo, FORWARD_BEND, model).check.problems}


def test_the_side_view_push_up_is_measured_on_the_near_side(pose_model: PoseModel) -> None:
    """Top frame: a piked plank, knees straight. Reference (stack-notes §1): shoulder-hip-knee
    about 151°, hip-knee-ankle about 179° on the right (near) side."""
    result = assess_photo(pushup_top_frame(), FORWARD_BEND, pose_model)
    assert result.landmarks is not None
    assert len(result.landmarks) == LANDMARK_COUNT
    assert result.people == 1
    angles = result.check.angles
    assert angles is not None
    assert angles.side is Side.RIGHT
    assert angles.forward_bend_deg == pytest.approx(29.0, abs=3.0)
    assert angles.knee_deficit_deg == pytest.approx(1.0, abs=3.0)
    assert angles.trunk_inclination_deg == pytest.approx(94.0, abs=4.0)  # nearly horizontal
    assert angles.visibility > 0.9
    assert result.check.problems == ()
    assert result.check.counts


def test_landmarks_are_in_pixels(pose_model: PoseModel) -> None:
    photo = pushup_top_frame()
    marks = pose_model.landmarks(photo.image)
    assert marks is not None
    hip = marks[HIP["right"]]
    assert 100 < hip.x < 220  # reference: about (158, 111) in the 400x225 frame
    assert 80 < hip.y < 140
    assert all(isinstance(m, Landmark) for m in marks)


def test_the_seated_photo_measures_the_left_leg_and_is_flagged(pose_model: PoseModel) -> None:
    """Sitting on the ground, facing the camera. Reference: left hip about 49°, left knee about
    106°; the view is frontal (oblique) and the knees bent, so it does not count."""
    result = assess_photo(fixture_photo(SEATED), SIT_AND_REACH, pose_model)
    assert result.people == 1
    assert result.landmarks is not None
    left = measure_side(result.landmarks, Side.LEFT)
    assert left.forward_bend_deg == pytest.approx(180 - 49, abs=4.0)
    assert left.knee_deficit_deg == pytest.approx(180 - 106, abs=4.0)
    found = {p.problem for p in result.check.problems}
    assert Problem.OBLIQUE_VIEW in found
    assert Problem.KNEE_BENT in found
    assert not result.check.counts


def test_two_people_are_found_in_the_full_push_up_picture(pose_model: PoseModel) -> None:
    """The picture stacks two frames: two people. The model follows one (the top one)."""
    result = assess_photo(fixture_photo(PUSHUPS), FORWARD_BEND, pose_model)
    assert result.people == 2
    assert Problem.SEVERAL_PEOPLE in {p.problem for p in result.check.problems}
    assert result.landmarks is not None
    assert result.landmarks[HIP["right"]].y < 225


def test_an_upper_body_crop_has_its_legs_cut_off(pose_model: PoseModel) -> None:
    """The model still guesses hips and knees below the frame (with visibility near 0)."""
    seated = fixture_photo(SEATED)
    upper = as_photo(seated.image[:250], "upper-body.png")
    result = assess_photo(upper, SIT_AND_REACH, pose_model)
    found = {p.problem for p in result.check.problems}
    assert Problem.LEGS_CUT_OFF in found
    assert Problem.KNEE_BENT not in found  # a knee we cannot see is not judged
    advice = next(p.advice for p in result.check.problems if p.problem is Problem.LEGS_CUT_OFF)
    assert "tilt the camera down" in advice
    assert result.people == 1  # no ghost in the trees and cars


def test_a_blank_image_has_no_person(pose_model: PoseModel) -> None:
    blank = as_photo(np.full((480, 640, 3), 200, np.uint8), "blank.png")
    result = assess_photo(blank, SIT_AND_REACH, pose_model)
    assert result.landmarks is None
    assert result.people == 0
    assert [p.problem for p in result.check.problems] == [Problem.NO_PERSON]
    drawn = cv2.imdecode(np.frombuffer(result.annotated_jpeg(), np.uint8), cv2.IMREAD_COLOR)
    assert drawn is not None


def test_assess_photo_opens_its_own_model_when_given_none(pose_model: PoseModel) -> None:
    photo = pushup_top_frame()
    assert (
        assess_photo(photo, FORWARD_BEND).check
        == assess_photo(photo, FORWARD_BEND, pose_model).check
    )


def test_a_live_video_model_is_refused_for_photos() -> None:
    with open_pose_model(static=False) as live, pytest.raises(ValueError, match="photo model"):
        assess_photo(pushup_top_frame(), FORWARD_BEND, live)


# --- counting people ----------------------------------------------------------------------


def test_people_are_counted_from_the_landmark_pass_and_the_detector() -> None:
    assert people_in_photo(False, 0) == 0
    assert people_in_photo(False, 2) == 0  # nobody measurable: "person not found" wins
    assert people_in_photo(True, 0) == 1  # the landmark pass found someone the detector doubted
    assert people_in_photo(True, 1) == 1
    assert people_in_photo(True, 2) == 2
    assert people_in_photo(True, 5) == 2


def test_the_detector_counts_each_person_in_real_photos(pose_model: PoseModel) -> None:
    detector = pose_model.detector()
    pushups = fixture_photo(PUSHUPS).image
    assert detector.count(pushups) == 2
    assert detector.count(np.ascontiguousarray(pushups[:225])) == 1
    assert detector.count(np.ascontiguousarray(pushups[225:])) == 1
    assert detector.count(fixture_photo(SEATED).image) == 1
    assert detector.count(np.full((480, 640, 3), 200, np.uint8)) == 0


# --- the annotated photo --------------------------------------------------------------------


def annotated(photo: Photo, model: PoseModel) -> np.ndarray:
    data = assess_photo(photo, FORWARD_BEND, model).annotated_jpeg()
    assert data.startswith(b"\xff\xd8")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def test_a_small_photo_is_enlarged_so_the_text_stays_legible(pose_model: PoseModel) -> None:
    image = annotated(pushup_top_frame(), pose_model)  # 400x225
    assert min(image.shape[:2]) == MIN_OUTPUT_SIDE
    assert image.shape[1] == round(400 * MIN_OUTPUT_SIDE / 225)


def test_a_large_photo_is_shrunk(pose_model: PoseModel) -> None:
    seated = fixture_photo(SEATED)
    large = as_photo(cv2.resize(seated.image, None, fx=3, fy=3), "large.png")  # 2880x1920
    image = annotated(large, pose_model)
    assert max(image.shape[:2]) == MAX_OUTPUT_SIDE


def test_the_skeleton_and_the_angles_are_drawn(pose_model: PoseModel) -> None:
    photo = pushup_top_frame()
    result = assess_photo(photo, FORWARD_BEND, pose_model)
    drawn = result.annotated_image()
    plain = cv2.resize(photo.image, (drawn.shape[1], drawn.shape[0]))
    assert result.landmarks is not None
    scale = drawn.shape[0] / photo.height
    hip = result.landmarks[HIP["right"]]
    x, y = round(hip.x * scale), round(hip.y * scale)
    blue, green, red = (int(v) for v in drawn[y, x])
    assert red > 200 and green > 170 and blue < 80  # a gold joint dot on the hip
    # The text panel at the top left: darkened, with white letters in it.
    panel = drawn[:40, :200].astype(int)
    assert panel.mean() < plain[:40, :200].astype(int).mean()
    assert (panel.min(axis=2) > 230).sum() > 50


def test_annotating_works_without_a_model_on_fixed_landmarks() -> None:
    photo = as_photo(np.full((300, 300, 3), 90, np.uint8))
    marks = [Landmark(150.0, 20.0 + 8 * i, 0.95) for i in range(LANDMARK_COUNT)]
    result = assess_landmarks(photo, SIT_AND_REACH, marks, people=1)
    assert result.angles is not None
    image = result.annotated_image()
    assert min(image.shape[:2]) == MIN_OUTPUT_SIDE
