"""`deskstretch assess` on real photos: the guide, the stored median, kept and annotated photos,
deleting them, bad input named plainly, the progress page, and the missing vision extra."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from deskstretch.config import Settings
from deskstretch.core.body_angles import PhotoTest
from deskstretch.core.records import Assessment
from deskstretch.store import open_store
from deskstretch.store import repository as repo
from helpers.support import CliRunner, Dirs, flat

POSE = Path(__file__).parents[1] / "fixtures" / "pose"


def assessments() -> list[Assessment]:
    store = open_store(Settings.from_env().database_url)
    try:
        return repo.list_assessments(store)
    finally:
        store.close()


@pytest.fixture
def planks(tmp_path: Path) -> list[Path]:
    """Three photos of one piked plank, seen side-on with straight knees: the top frame of
    pushups-side-view.jpg cut at three heights (one person each, so each counts)."""
    image = cv2.imread(str(POSE / "pushups-side-view.jpg"))
    assert image is not None
    paths = []
    for rows in (215, 225, 230):
        path = tmp_path / f"plank-{rows}.jpg"
        assert cv2.imwrite(str(path), np.ascontiguousarray(image[:rows]))
        paths.append(path)
    return paths


def test_with_no_photo_it_guides_the_self_test(run_cli: CliRunner) -> None:
    result = run_cli("assess")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    for phrase in (
        "Put the camera at hip height",
        "Stand the camera 2 to 3 metres away",
        "true side view",
        "Wear fitted clothes",
        "plain wall",
        "Keep the phone upright and level",
        "Take three photos",
        "Chair sit-and-reach (--test sit-and-reach)",
        "Standing forward bend (--test forward-bend)",
        "uncertain by about ±6°",
        "never sent anywhere",
    ):
        assert phrase in text, phrase


def test_three_photos_are_measured_and_their_median_saved(
    run_cli: CliRunner, screened: Path, planks: list[Path]
) -> None:
    result = run_cli("assess", *planks, "--test", "forward-bend", "--note", "morning")

    assert result.exit_code == 0, result
    text = flat(result.stdout)
    for path in planks:
        assert f"{path}: counts. Forward-bend angle 30° ±6°" in text
    assert (
        "Saved: standing forward bend, the median of 3 photos: forward-bend angle 30° ±6°" in text
    )
    assert "This is your first standing forward bend measured from photos" in text
    assert "Tip:" not in text  # three photos: nothing to suggest
    (saved,) = assessments()
    assert (saved.test, saved.photos, saved.note, saved.photo_file) == (
        PhotoTest.STANDING_FORWARD_BEND,
        3,
        "morning",
        None,
    )

    again = run_cli("assess", planks[0], "--test", "forward-bend")
    assert again.exit_code == 0, again
    assert "Compared with your first" in flat(again.stdout)
    assert "no detectable change (changes under 10° can be measurement error)" in flat(again.stdout)

    progress = run_cli("progress")
    assert progress.exit_code == 0, progress
    shown = flat(progress.stdout)
    assert "Standing forward bend, from photos" in shown
    assert "forward-bend angle 30° ±6°" in shown and "no detectable change" in shown


def test_kept_and_annotated_photos_and_deleting_them(
    run_cli: CliRunner, screened: Path, planks: list[Path], dirs: Dirs, tmp_path: Path
) -> None:
    out = tmp_path / "annotated.jpg"
    result = run_cli(
        "assess", planks[1], "--test", "forward-bend", "--keep-photo", "--annotated", out
    )

    assert result.exit_code == 0, result
    assert f"Annotated image of {planks[1]} written to {out}" in flat(result.stdout)
    assert out.read_bytes()[:2] == b"\xff\xd8"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    (saved,) = assessments()
    kept = dirs.data / "photos" / f"{saved.id}.jpg"
    assert saved.photo_file == kept.name and kept.read_bytes()[:2] == b"\xff\xd8"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert "1 kept photo is stored" in flat(run_cli("assess").stdout)

    unconfirmed = run_cli("assess", "--delete-photos")  # stdin is not a terminal
    assert unconfirmed.exit_code == 1
    assert "needs confirmation: run it in a terminal, or add --yes" in unconfirmed.stderr
    assert kept.exists()

    deleted = run_cli("assess", "--delete-photos", "--yes")
    assert deleted.exit_code == 0, deleted
    assert "Deleted 1 kept photo. Your measured angles stay." in deleted.stdout
    assert not kept.exists()
    assert [a.photo_file for a in assessments()] == [None]
    assert "No kept photos to delete." in run_cli("assess", "--delete-photos").stdout


def test_photos_that_do_not_count_say_why_and_nothing_is_saved(
    run_cli: CliRunner, screened: Path
) -> None:
    crowd = POSE / "pushups-side-view.jpg"
    result = run_cli("assess", crowd, "--test", "forward-bend")

    assert result.exit_code == 1
    text = flat(result.stdout)
    assert f"{crowd}: does not count." in text
    assert "More than one person is in this photo" in text
    assert "Nothing was saved: no photo could be measured." in text
    assert assessments() == []


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as file:
        file.truncate(25_000_000)  # sparse: 25 MB on paper, nothing read
    return path


def _truncated(tmp_path: Path) -> Path:
    path = tmp_path / "cut.jpg"
    path.write_bytes((POSE / "seated-on-ground.jpg").read_bytes()[:5000])
    return path


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.jpg"
    path.write_text("not a photo at all\n" * 10, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.jpg", "missing.jpg: no such file; expected a photo"),
        (lambda tmp: tmp, "is a folder; expected a photo file"),
        (_text, "notes.jpg' is a text file, not a photo we can read"),
        (lambda tmp: POSE / "walking.mp4", "walking.mp4' is a video (MP4), not a photo"),
        (_huge, "huge.jpg is 25.0 MB; photos up to 20.0 MB are accepted"),
        (_truncated, "cut.jpg' is cut short"),
    ],
    ids=["missing", "folder", "text", "video", "huge", "corrupt"],
)
def test_bad_input_names_the_file_without_a_traceback(
    run_cli: CliRunner, screened: Path, tmp_path: Path, make: object, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = run_cli("assess", path, "--test", "sit-and-reach")
    assert result.exit_code == 1, result
    assert message in flat(result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert assessments() == []


def test_four_photos_or_an_unknown_test_are_refused(
    run_cli: CliRunner, screened: Path, planks: list[Path]
) -> None:
    four = run_cli("assess", *planks, planks[0], "--test", "forward-bend")
    assert four.exit_code == 1
    assert "expected 1 to 3 photos of one test, got 4" in four.stderr
    no_test = run_cli("assess", planks[0])
    assert no_test.exit_code == 1
    assert "--test sit-and-reach or --test forward-bend" in no_test.stderr
    unknown = run_cli("assess", planks[0], "--test", "headstand")
    assert unknown.exit_code == 2
    assert "'headstand' is not one of 'sit-and-reach', 'forward-bend'" in flat(unknown.stderr)
    assert assessments() == []


def test_safety_answers_come_first(run_cli: CliRunner, planks: list[Path]) -> None:
    result = run_cli("assess", planks[0], "--test", "forward-bend")
    assert result.exit_code == 3
    assert "answer the safety questions first" in result.stderr


def test_without_the_vision_extra_it_says_what_to_install(
    run_cli: CliRunner, screened: Path, planks: list[Path], dirs: Dirs, tmp_path: Path
) -> None:
    # A child process in which mediapipe cannot be imported, as if the extra were missing.
    blocker = tmp_path / "no_vision"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\nsys.modules['mediapipe'] = None\n", encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    env["PYTHONPATH"] = os.pathsep.join([str(blocker), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )

    def run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "deskstretch", *map(str, argv)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )

    measured = run("assess", planks[0], "--test", "forward-bend")
    assert measured.returncode == 1, measured
    lines = measured.stderr.strip().splitlines()
    assert len(lines) == 1, measured.stderr
    assert "mediapipe is not installed" in lines[0]
    assert "pip install 'deskstretch[vision]'" in lines[0]
    assert "Traceback" not in measured.stderr
    assert assessments() == []

    guide = run("assess")
    assert guide.returncode == 0, guide
    assert "pip install 'deskstretch[vision]'" in flat(guide.stdout)
