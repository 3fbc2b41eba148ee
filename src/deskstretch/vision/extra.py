"""Whether the optional vision extra (numpy, OpenCV, mediapipe) is installed, and the error that
says exactly what to install when it is not (``core.extras``, shared with the other extras)."""

from __future__ import annotations

import os

from deskstretch.core.extras import VISION, ExtraMissing, missing_packages, require
from deskstretch.vision.sniff import MAX_PHOTO_PIXELS

INSTALL_HINT = VISION.install_hint


class VisionUnavailable(ExtraMissing):
    """The photo and camera features were asked for without the vision extra installed."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        super().__init__(VISION, missing)


def require_vision() -> None:
    """Raise ``VisionUnavailable`` unless numpy, OpenCV and mediapipe can all be imported.

    Cheap: it finds the packages without importing them. Every vision function calls it before
    importing OpenCV, so OpenCV's own decoder limit (read once, from the environment) is ours.
    """
    try:
        require(VISION)
    except ExtraMissing as error:
        raise VisionUnavailable(error.missing) from None
    os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PHOTO_PIXELS))


__all__ = ["INSTALL_HINT", "VisionUnavailable", "missing_packages", "require_vision"]
