"""Whether the optional vision extra (numpy, OpenCV, mediapipe) is installed, and the error that
says exactly what to install when it is not."""

from __future__ import annotations

import importlib.util
import os

from deskstretch.core.errors import DeskstretchError
from deskstretch.vision.sniff import MAX_PHOTO_PIXELS

INSTALL_HINT = "pip install 'deskstretch[vision]' (in a source checkout: uv sync --extra vision)"
_MODULES = (("numpy", "numpy"), ("cv2", "opencv-python-headless"), ("mediapipe", "mediapipe"))


class VisionUnavailable(DeskstretchError):
    """The photo and camera features were asked for without the vision extra installed."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        names = " and ".join(missing)
        super().__init__(
            f"Photo assessment and camera coaching need the optional vision extra, and {names} "
            f"{'is' if len(missing) == 1 else 'are'} not installed. Install it with: "
            f"{INSTALL_HINT}"
        )
        self.missing = missing


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent is broken, or the module is blocked in sys.modules
        return False


def missing_packages() -> tuple[str, ...]:
    """The vision packages that cannot be found (by their install names); empty when all are."""
    return tuple(package for module, package in _MODULES if not _installed(module))


def require_vision() -> None:
    """Raise ``VisionUnavailable`` unless numpy, OpenCV and mediapipe can all be imported.

    Cheap: it finds the packages without importing them. Every vision function calls it before
    importing OpenCV, so OpenCV's own decoder limit (read once, from the environment) is ours.
    """
    missing = missing_packages()
    if missing:
        raise VisionUnavailable(missing)
    os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(MAX_PHOTO_PIXELS))
