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


def letterboxed_frames(video: Path, width: int, height: int) -> list[NDArray[np.uint8]]:
    """Every frame of ``video`` scaled to fit ``width`` x ``height`` and centred on black bars
    (BGR), as a camera of that size would deliver them."""
    import cv2

    capture = cv2.VideoCapture(str(video))
    frames: list[NDArray[np.uint8]] = []
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return frames
            scale = min(width / frame.shape[1], height / frame.shape[0])
            size = (round(frame.shape[1] * scale), round(frame.shape[0] * scale))
            left, top = (width - size[0]) // 2, (height - size[1]) // 2
            boxed = cv2.copyMakeBorder(
                cv2.resize(frame, size),
                top,
                height - size[1] - top,
                left,
                width - size[0] - left,
                cv2.BORDER_CONSTANT,
            )
            frames.append(np.asarray(boxed, dtype=np.uint8))
    finally:
        capture.release()
