"""coach.assessments on real photos through the real pose model: the stored median, kept photos
(file, mode, deletion), photos that do not count, bad input and the missing vision extra."""

from __future__ import annotations

import stat
import statistics
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest

from deskstretch.coach import Coach
from deskstretch.coach.assessments import AssessmentError, check_test_allowed
from deskstretch.coach.measurements import MeasurementNotAdvised
from deskstretch.config import Settings
from deskstretch.core.body_angles import BodyAngles, PhotoTest, Problem, Side
from deskstretch.core.errors import SafetyStop
from deskstretch.vision import PhotoError
from helpers.support import AnswersWriter, CliRunner

POSE = Path(__file__).parents[1] / "fixtures" / "pose"
BEND = PhotoTest.STANDING_FORWARD_BEND
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def plank_photo(rows: int) -> bytes:
    """The top frame of pushups-side-view.jpg (a piked plank, knees straight, seen side-on),
    cut at ``rows``: one person, so it counts. Different cuts give slightly different angles."""
    image = cv2.imread(str(POSE / "pushups-side-view.jpg"))
    assert image is not None
    ok, encoded = cv2.imencode(".jpg", np.ascontiguousarray(image[:rows]))
    assert ok
    return encoded.tobytes()


@pytest.fixture
def coach(screened: Path) -> Coach:
    return Coach(Settings.from_env())


def test_three_photos_store_their_median_and_say_it_is_the_first(coach: Coach) -> None:
    photos = [(f"plank-{rows}.jpg", plank_photo(rows)) for rows in (215, 225, 230)]

    outcome = coach.assessments.assess(photos, BEND, note=" after lunch ", now=T0)

    assert [p.name for p in outcome.photos] == ["plank-215.jpg", "plank-225.jpg", "plank-230.jpg"]
    assert all(p.check.counts for p in outcome.photos)
    bends = [p.check.angles.forward_bend_deg for p in outcome.photos if p.check.angles]
    saved = outcome.assessment
    assert saved is not None
    assert saved.forward_bend_deg == statistics.median(bends)
    assert 15 < saved.forward_bend_deg < 45  # a piked plank: trunk and thigh nearly in line
    assert saved.knee_deficit_deg < 10  # knees straight
    assert 80 < saved.trunk_inclination_deg < 110  # trunk about horizontal
    assert (saved.side, saved.photos, saved.source, saved.at) == (Side.RIGHT, 3, "photo", T0)
    assert (saved.uncertainty_deg, saved.photo_file, saved.note) == (6.0, None, "after lunch")
    assert coach.assessments.history() == [saved]
    assert coach.assessments.history(PhotoTest.CHAIR_SIT_AND_REACH) == []
    assert outcome.sentences == (
        "This is your first standing forward bend measured from photos: later ones will be"
        " compared with it.",
    )
    assert not (coach.settings.data_dir / "photos").exists()  # nothing kept unless asked


def test_a_later_assessment_is_compared_by_the_detectable_change_rule(coach: Coach) -> None:
    coach.assessments.assess([("a.jpg", plank_photo(225))], BEND, now=T0)
    later = coach.assessments.assess([("b.jpg", plank_photo(230))], BEND, now=T0 + timedelta(1))

    (sentence,) = later.sentences
    assert sentence.startswith("Compared with your first (2 Mar 2026): forward-bend angle 30°")
    assert sentence.endswith("no detectable change (changes under 10° can be measurement error).")
    latest = coach.assessments.latest(BEND)
    assert latest is not None and latest[0] == later.assessment and latest[1] == later.sentences


def test_a_kept_photo_is_a_private_jpeg_until_the_person_deletes_them_all(coach: Coach) -> None:
    outcome = coach.assessments.assess(
        [
            ("crowd.jpg", (POSE / "pushups-side-view.jpg").read_bytes()),
            ("me.jpg", plank_photo(225)),
        ],
        BEND,
        keep_photo=True,
    )

    saved = outcome.assessment
    assert saved is not None and saved.photos == 1  # the two-person photo did not count
    assert saved.photo_file == f"{saved.id}.jpg"
    path = coach.settings.data_dir / "photos" / saved.photo_file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    kept = path.read_bytes()
    assert kept[:2] == b"\xff\xd8" and kept == outcome.photos[1].annotated_jpeg  # the counted one
    assert coach.assessments.kept_photo(saved.id) == kept
    assert coach.assessments.kept_photo("no-such-id") is None
    assert coach.assessments.kept_photo_count() == 1

    assert coach.assessments.delete_photos() == 1

    assert not path.exists()
    assert coach.assessments.kept_photo(saved.id) is None
    assert coach.assessments.kept_photo_count() == 0
    assert [a.photo_file for a in coach.assessments.history()] == [None]
    assert coach.assessments.history()[0].forward_bend_deg == saved.forward_bend_deg  # kept
    assert coach.assessments.delete_photos() == 0


def test_forgetting_everything_deletes_kept_photos_too(coach: Coach) -> None:
    coach.assessments.assess([("me.jpg", plank_photo(225))], BEND, keep_photo=True)
    assert coach.assessments.kept_photo_count() == 1
    coach.forget_everything()
    assert coach.assessments.kept_photo_count() == 0
    assert list((coach.settings.data_dir / "photos").iterdir()) == []


def test_photos_that_do_not_count_say_why_and_nothing_is_stored(coach: Coach) -> None:
    outcome = coach.assessments.assess(
        [
            ("crowd.jpg", (POSE / "pushups-side-view.jpg").read_bytes()),
            ("sitting.jpg", (POSE / "seated-on-ground.jpg").read_bytes()),
        ],
        BEND,
        keep_photo=True,
    )

    assert outcome.assessment is None
    crowd, sitting = outcome.photos
    assert [p.problem for p in crowd.check.problems] == [Problem.SEVERAL_PEOPLE]
    assert {p.problem for p in sitting.check.problems} >= {Problem.KNEE_BENT}
    assert all(p.advice for p in crowd.check.problems + sitting.check.problems)
    assert crowd.annotated_jpeg[:2] == b"\xff\xd8"  # shown, with its problems
    assert outcome.sentences[0].startswith("Nothing was saved: no photo could be measured.")
    assert coach.assessments.history() == []
    assert coach.assessments.kept_photo_count() == 0


def test_bad_files_name_the_file_and_nothing_is_measured(coach: Coach) -> None:
    good = ("me.jpg", plank_photo(225))
    with pytest.raises(PhotoError, match=r"'notes.txt' is .*not a photo"):
        coach.assessments.assess([good, ("notes.txt", b"just some words\n" * 20)], BEND)
    with pytest.raises(PhotoError, match=r"'walk.mp4' is a video"):
        coach.assessments.assess([("walk.mp4", (POSE / "walking.mp4").read_bytes())], BEND)
    cut = plank_photo(225)[:4000]
    with pytest.raises(PhotoError, match=r"'cut.jpg' is cut short"):
        coach.assessments.assess([("cut.jpg", cut)], BEND)
    with pytest.raises(AssessmentError, match=r"Expected 1 to 3 photos .*got 4"):
        coach.assessments.assess([good] * 4, BEND)
    with pytest.raises(AssessmentError, match="got 0"):
        coach.assessments.assess([], BEND)
    with pytest.raises(AssessmentError, match="at most 500"):
        coach.assessments.assess([good], BEND, note="x" * 501)
    assert coach.assessments.history() == []


def test_forward_bend_tests_are_refused_with_osteoporosis_or_without_answers(
    run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    unanswered = Coach(Settings.from_env())
    with pytest.raises(SafetyStop, match="safety questions first"):
        unanswered.assessments.assess([("me.jpg", plank_photo(225))], BEND)
    assert run_cli("check", "--from", write_answers(yes=["osteoporosis"])).exit_code == 0
    fragile = Coach(Settings.from_env())
    for test in PhotoTest:
        with pytest.raises(MeasurementNotAdvised, match="not advised for you"):
            fragile.assessments.assess([("me.jpg", plank_photo(225))], test)
    with pytest.raises(MeasurementNotAdvised, match="while bending forward hurts"):
        check_test_allowed(BEND, (), bending_hurts=True)
    check_test_allowed(BEND, ())  # no osteoporosis, no pain: allowed


def test_the_camera_stores_the_median_of_its_frames(coach: Coach) -> None:
    frames = [BodyAngles(Side.LEFT, bend, 4.0, 60.0, 0.9) for bend in (70.0, 90.0, 80.0, 85.0)]
    first = coach.assessments.record_angles(frames, BEND, now=T0)
    assert first.assessment is not None and first.photos == ()
    assert (first.assessment.forward_bend_deg, first.assessment.photos) == (82.5, 4)
    assert first.assessment.source == "camera" and first.assessment.photo_file is None

    again = coach.assessments.record_angles(
        [BodyAngles(Side.LEFT, 95.0, 2.0, 62.0, 0.9)] * 3, BEND, now=T0 + timedelta(days=21)
    )
    (sentence,) = again.sentences
    assert "angle 85° → 95° (±6° each, a change of +12°)" in sentence  # shown to the nearest 5°
    assert "a detectable change, you fold further forward (with 3 photos each time," in sentence
    with pytest.raises(AssessmentError, match="Nothing to save yet"):
        coach.assessments.record_angles([], BEND)
    with pytest.raises(AssessmentError, match="source"):
        coach.assessments.record_angles(frames, BEND, source="x-ray")


def test_unavailable_reason_says_what_to_install(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert coach.assessments.unavailable_reason() is None
    monkeypatch.setitem(sys.modules, "mediapipe", None)  # as if it were not installed
    reason = coach.assessments.unavailable_reason()
    assert reason is not None and "pip install 'deskstretch[vision]'" in reason
    assert "mediapipe" in reason
