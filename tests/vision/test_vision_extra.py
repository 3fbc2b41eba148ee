"""The optional extra: deskstretch.vision imports without numpy, OpenCV or mediapipe and says
exactly what to install; the pose model starts quietly and behaves as its interface says."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from deskstretch.core.errors import DeskstretchError
from deskstretch.vision import PoseModel, VisionUnavailable, open_pose_model, require_vision
from deskstretch.vision.pose_model import MODEL_COMPLEXITY
from helpers.pose_photos import PUSHUPS, pushup_top_frame

BLOCK_VISION = (
    "import sys\n"
    "for name in ('numpy', 'cv2', 'mediapipe'):\n"
    "    sys.modules[name] = None  # as if not installed\n"
)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


def test_the_package_imports_without_the_extra_and_says_what_to_install() -> None:
    code = BLOCK_VISION + (
        "import deskstretch.vision as v\n"
        "try:\n"
        "    v.require_vision()\n"
        "except v.VisionUnavailable as error:\n"
        "    print(error.message)\n"
        "try:\n"
        f"    v.load_photo('a.jpg', open({str(PUSHUPS)!r}, 'rb').read())\n"
        "except v.VisionUnavailable:\n"
        "    print('load_photo asked for the extra too')\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "numpy, opencv-python-headless and mediapipe are not installed" in lines[0]
    assert "pip install 'deskstretch[vision]'" in lines[0]
    assert "uv sync --extra vision" in lines[0]
    assert lines[1] == "load_photo asked for the extra too"


def test_bad_files_are_refused_even_without_the_extra() -> None:
    """The checks before decoding need only the standard library."""
    result = run_python(
        BLOCK_VISION
        + "import deskstretch.vision as v\n"
        + "try:\n    v.load_photo('clip.mp4', b'\\x00\\x00\\x00\\x18ftypisom' + bytes(100))\n"
        + "except v.PhotoError as error:\n    print(error.message)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "'clip.mp4' is a video (MP4)" in result.stdout


def test_importing_the_package_loads_none_of_the_heavy_libraries() -> None:
    result = run_python(
        "import sys, deskstretch.vision\n"
        "print(sorted(n for n in ('numpy', 'cv2', 'mediapipe') if n in sys.modules))"
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_the_extra_is_installed_here() -> None:
    require_vision()  # CI installs it: every vision test runs, none skips
    assert issubclass(VisionUnavailable, DeskstretchError)


def test_the_model_starts_and_runs_without_log_noise() -> None:
    """mediapipe's C++ start-up lines (absl, TFLite) and protobuf's deprecation warning stay
    out of the person's terminal."""
    result = run_python(
        "from deskstretch.vision import assess_photo, load_photo, open_pose_model\n"
        "from deskstretch.core.body_angles import PhotoTest\n"
        f"photo = load_photo('p.jpg', open({str(PUSHUPS)!r}, 'rb').read())\n"
        "with open_pose_model() as model:\n"
        "    result = assess_photo(photo, PhotoTest.STANDING_FORWARD_BEND, model)\n"
        "print(result.people)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"
    assert result.stderr == ""


def test_only_the_bundled_model_is_used() -> None:
    """Complexity 0 or 2 would download a model at run time and fail offline (stack-notes §1)."""
    assert MODEL_COMPLEXITY == 1


def test_a_video_model_tracks_frames_and_gives_pixels() -> None:
    frame = pushup_top_frame().image
    with open_pose_model(static=False) as live:
        assert not live.static
        first = live.landmarks(frame)
        second = live.landmarks(frame)
    assert first is not None and second is not None
    assert all(0 <= m.x <= frame.shape[1] for m in second[11:29])
    assert live.closed


def test_the_model_refuses_a_grey_image_and_use_after_close(pose_model: PoseModel) -> None:
    with pytest.raises(ValueError, match="BGR image"):
        pose_model.landmarks(np.zeros((50, 50), np.uint8))
    model = open_pose_model()
    model.close()
    model.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        model.landmarks(np.zeros((50, 50, 3), np.uint8))
