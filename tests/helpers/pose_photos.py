"""The real pose photos (tests/fixtures/pose/, licences in its README), for the vision tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from deskstretch.vision import Photo, load_photo

POSE_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pose"
PUSHUPS = POSE_FIXTURES / "pushups-side-view.jpg"
SEATED = POSE_FIXTURES / "seated-on-ground.jpg"
WALKING = POSE_FIXTURES / "walking.mp4"


def fixture_photo(path: Path) -> Photo:
    return load_photo(path.name, path.read_bytes())


def pushup_top_frame() -> Photo:
    """The top frame of the push-up picture: one person in a piked plank, knees straight,
    right side to the camera."""
    photo = fixture_photo(PUSHUPS)
    return Photo("pushup-top.jpg", photo.image[:225].copy(), "JPEG")


def pushup_bottom_frame() -> Photo:
    """The bottom frame of the push-up picture: the same person in a straight plank, knees
    straight, right side to the camera."""
    photo = fixture_photo(PUSHUPS)
    return Photo("pushup-bottom.jpg", photo.image[225:].copy(), "JPEG")


def as_photo(image: NDArray[Any], name: str = "variant.png") -> Photo:
    """An image (as OpenCV's functions return it) as a photo, without the file checks."""
    return Photo(name, np.ascontiguousarray(image, dtype=np.uint8), "PNG")
