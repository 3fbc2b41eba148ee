"""Figure keyframes in exercise files: defaults per position, anatomical limits, precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskstretch.catalogue.loader import load_catalogue, load_exercise_file, package_folder
from deskstretch.core.errors import FileFormatError
from deskstretch.core.pose import SEATED_POSE, STANDING_POSE, Root

SOURCE = package_folder("exercises") / "seated-hamstring-hinge.toml"


def _copy(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "exercises"
    folder.mkdir(exist_ok=True)
    path = folder / SOURCE.name
    path.write_text(text, encoding="utf-8")
    return path


def test_keyframes_start_from_the_position_default() -> None:
    catalogue = load_catalogue()
    for exercise in catalogue.exercises.values():
        default = SEATED_POSE if exercise.position.value == "seated" else STANDING_POSE
        assert all(pose.root is default.root for pose in exercise.keyframes)
    pelvic_tilts = catalogue.find("S10")
    # Only the angles a file gives change; the rest are the seated default.
    assert pelvic_tilts.keyframes[0].far_ankle_dorsi_deg == SEATED_POSE.far_ankle_dorsi_deg
    assert pelvic_tilts.keyframes[0].pelvis_tilt_deg < 0 < pelvic_tilts.keyframes[1].pelvis_tilt_deg
    assert catalogue.find("S12").keyframes[0].root is Root.STANDING


def test_hold_on_defaults_to_the_last_keyframe() -> None:
    exercise, _ = load_exercise_file(SOURCE)
    assert exercise.hold_on == len(exercise.keyframes) - 1
    assert exercise.keyframe_labels[exercise.hold_on] == "hinge forward"


def test_out_of_range_keyframe_angle_names_file_line_and_field(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    assert "\npelvis_tilt_deg = 32\n" in text
    broken = _copy(tmp_path, text.replace("\npelvis_tilt_deg = 32\n", "\npelvis_tilt_deg = 320\n"))
    line = text.splitlines().index("pelvis_tilt_deg = 32") + 1
    with pytest.raises(FileFormatError) as caught:
        load_catalogue(broken.parent)
    assert caught.value.path == str(broken)
    assert caught.value.line == line
    assert caught.value.field == "keyframes[1].pelvis_tilt_deg"
    assert "expected at most 60" in caught.value.message
    assert f"{broken}:{line}:" in caught.value.message


def test_misspelt_keyframe_angle_is_named(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace(
        "\npelvis_tilt_deg = 32\n", "\npelvis_tilt = 32\n"
    )
    with pytest.raises(FileFormatError, match=r"keyframes\[1\]\.pelvis_tilt: unknown field"):
        load_catalogue(_copy(tmp_path, text).parent)


def test_a_single_keyframe_is_not_enough(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    first_only = text[: text.index("[[keyframes]]", text.index("[[keyframes]]") + 1)]
    with pytest.raises(FileFormatError, match=r"keyframes: expected at least 2 item"):
        load_catalogue(_copy(tmp_path, first_only).parent)


def test_hold_on_must_name_an_existing_keyframe(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace(
        'side_order = "alternate"\n', 'side_order = "alternate"\nhold_on = 2\n'
    )
    line = text.splitlines().index("hold_on = 2") + 1
    with pytest.raises(FileFormatError, match=rf":{line}: hold_on: expected a keyframe index"):
        load_catalogue(_copy(tmp_path, text).parent)
