"""coach.camera: form targets per segment, live frames -> angles and verdicts, and a measurement
saved only on request (the median of the last in-position frames, stored as a camera assessment)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deskstretch.coach import Coach
from deskstretch.coach.camera import MAX_LIVE_SESSIONS, MIN_SAVE_FRAMES, CameraError, LiveSession
from deskstretch.config import Settings
from deskstretch.core.body_angles import (
    ANKLE,
    HIP,
    KNEE,
    LANDMARK_COUNT,
    SHOULDER,
    Landmark,
    PhotoTest,
)
from deskstretch.core.pose import solve
from helpers.support import Dirs

WALKING = Path(__file__).resolve().parents[1] / "fixtures" / "pose" / "walking.mp4"


def _jpeg() -> bytes:
    """The first frame of walking.mp4 as a JPEG (a real camera frame for decode_frame)."""
    import cv2

    capture = cv2.VideoCapture(str(WALKING))
    ok, frame = capture.read()
    capture.release()
    assert ok
    return bytes(cv2.imencode(".jpg", frame)[1].tobytes())


class FigureCamera:
    """A pose model that 'sees' the posable figure in a keyframe, side-on, left side near."""

    def __init__(self, coach: Coach, exercise_id: str, keyframe: int) -> None:
        skeleton = solve(coach.find_exercise(exercise_id).keyframes[keyframe])
        marks = [Landmark(0.0, 0.0, 0.9)] * LANDMARK_COUNT

        def pixel(point: tuple[float, float]) -> Landmark:
            return Landmark(300.0 + 3 * point[0], 600.0 + 3 * point[1], 0.95)

        for side, arm, leg in (
            ("left", skeleton.near_arm, skeleton.near_leg),
            ("right", skeleton.far_arm, skeleton.far_leg),
        ):
            marks[SHOULDER[side]] = pixel(arm.root)
            marks[HIP[side]] = pixel(leg.root)
            marks[KNEE[side]] = pixel(leg.middle)
            marks[ANKLE[side]] = pixel(leg.end)
        self.marks = marks
        self.closed = False

    def landmarks(self, image: Any) -> list[Landmark]:
        return list(self.marks)

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def coach(dirs: Dirs, screened: Path) -> Coach:
    """Safety questions answered (saving a measurement, like any test, needs them)."""
    return Coach(Settings.from_env())


def test_only_a_hold_is_gated_and_other_parts_say_why(coach: Coach) -> None:
    hold = coach.camera.target("seated-hamstring-hinge", "left", "hold")
    assert hold.gated and hold.side is not None and hold.side.value == "left"
    rest = coach.camera.target("seated-hamstring-hinge", "left", "get_ready")
    assert not rest.gated and "held stretches" in rest.note
    with pytest.raises(CameraError, match="left, right or both"):
        coach.camera.target("seated-hamstring-hinge", "up", "hold")
    assert coach.camera.savable("seated-hamstring-hinge", "hold") is PhotoTest.CHAIR_SIT_AND_REACH
    assert coach.camera.savable("split-stance-hamstring-hinge", "hold") is None
    assert coach.camera.unavailable_reason() is None  # the vision extra is installed in tests


def test_saving_stores_the_median_of_in_position_frames_as_a_camera_assessment(
    coach: Coach,
) -> None:
    figure = FigureCamera(coach, "seated-hamstring-hinge", keyframe=1)  # the held hinge
    session = LiveSession(coach.camera, figure)
    session.aim("seated-hamstring-hinge", "left", "hold")
    frame = _jpeg()
    reading = session.analyse(frame)
    assert reading.found and reading.verdict.in_position and reading.verdict.cue is None
    with pytest.raises(CameraError, match="Hold the position"):
        session.save()
    assert coach.assessments.history() == []
    for _ in range(MIN_SAVE_FRAMES):
        session.analyse(frame)
    outcome = session.save(note="after work")
    stored = outcome.assessment
    assert stored is not None
    assert stored.source == "camera" and stored.test is PhotoTest.CHAIR_SIT_AND_REACH
    assert stored.knee_deficit_deg == pytest.approx(2.0, abs=0.5)
    assert stored.forward_bend_deg == pytest.approx(reading.target.forward_bend_deg, abs=0.5)
    assert [a.id for a in coach.assessments.history()] == [stored.id]
    session.close()
    assert figure.closed


def test_frames_out_of_position_are_never_saved(coach: Coach) -> None:
    sitting_tall = FigureCamera(coach, "seated-hamstring-hinge", keyframe=0)
    with LiveSession(coach.camera, sitting_tall) as session:
        session.aim("seated-hamstring-hinge", "left", "hold")
        for _ in range(MIN_SAVE_FRAMES * 2):
            reading = session.analyse(_jpeg())
        assert not reading.verdict.in_position
        assert reading.verdict.cue == (
            "Hinge from the hips and keep your back long, just to a mild pull"
        )
        with pytest.raises(CameraError, match="Hold the position"):
            session.save()
    assert coach.assessments.history() == []


def test_a_hold_that_is_not_a_test_position_cannot_be_saved(coach: Coach) -> None:
    figure = FigureCamera(coach, "split-stance-hamstring-hinge", keyframe=1)
    with LiveSession(coach.camera, figure) as session:
        session.aim("split-stance-hamstring-hinge", "right", "hold")
        assert session.savable is None
        with pytest.raises(CameraError, match="seated hamstring"):
            session.save()


def test_live_analysers_are_limited_and_released_on_close(coach: Coach) -> None:
    sessions = [coach.camera.open() for _ in range(MAX_LIVE_SESSIONS)]
    with pytest.raises(CameraError, match="already on"):
        coach.camera.open()
    sessions[0].close()
    sessions[0].close()  # twice is harmless, and frees one place only
    again = coach.camera.open()
    again.aim("seated-forward-fold", "both", "hold")
    reading = again.analyse(_jpeg())
    assert reading.found and reading.angles is not None  # the real model on a real frame
    for session in (*sessions[1:], again):
        session.close()
    with pytest.raises(CameraError, match="which exercise"):
        coach.camera.open().analyse(_jpeg())
