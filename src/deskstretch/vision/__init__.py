"""Photo assessment and live camera coaching on the person's own machine (the optional extra).

Public API (numpy, OpenCV and mediapipe are imported only when used, so this package imports
without them; ``require_vision()`` says what to install):

- ``VisionUnavailable``, ``require_vision()``: the extra is missing -> the exact install line.
- ``PhotoError``: a bad input (empty, not an image, a video, too large, corrupt, cut short,
  too small), naming the file and what was expected.
- ``load_photo(name, data) -> Photo``: checked, decoded, EXIF orientation applied (BGR image).
  ``MAX_PHOTO_BYTES``, ``MAX_PHOTO_PIXELS``, ``MIN_PHOTO_SIDE``.
- ``open_pose_model(static=True) -> PoseModel``: a context manager; ``landmarks(bgr_image)``
  gives 33 ``Landmark``s in pixels or None. ``LandmarkSource`` is the interface it satisfies.
- ``assess_photo(photo, test, model=None, *, mirror_average=True) -> PhotoAssessment``:
  landmarks (the photo and its mirror image averaged), people found (the first person greyed
  out, a strict detector looks again), the ``PhotoCheck`` (angles and quality gates), and
  ``annotated_jpeg()`` (skeleton and angles drawn).
- ``decode_frame(jpeg) -> image``: a live camera frame, decoded.
"""

from __future__ import annotations

from deskstretch.vision.extra import VisionUnavailable, require_vision
from deskstretch.vision.photo_assessment import PhotoAssessment, assess_photo
from deskstretch.vision.photos import Photo, PhotoError, decode_frame, load_photo
from deskstretch.vision.pose_model import LandmarkSource, PoseModel, open_pose_model
from deskstretch.vision.sniff import MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, MIN_PHOTO_SIDE

__all__ = [
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "MIN_PHOTO_SIDE",
    "LandmarkSource",
    "Photo",
    "PhotoAssessment",
    "PhotoError",
    "PoseModel",
    "VisionUnavailable",
    "assess_photo",
    "decode_frame",
    "load_photo",
    "open_pose_model",
    "require_vision",
]
