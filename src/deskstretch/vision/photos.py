"""Photos and camera frames in: checked (kind, size, completeness) before decoding, decoded with
the phone's EXIF orientation applied, and every bad input turned into one plain ``PhotoError``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from deskstretch.core.errors import DeskstretchError
from deskstretch.vision import sniff
from deskstretch.vision.extra import require_vision
from deskstretch.vision.sniff import MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, MIN_PHOTO_SIDE

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Image = NDArray[np.uint8]

WORKING_LONG_SIDE = 1000
"""Photos are measured at most this many pixels on the long side (a phone's 4032x3024 decodes
straight to a quarter, 1008x756). The pose model looks at the person at 256x256 anyway and the
angles do not depend on scale (tests/vision/test_metamorphic.py), while a 12-megapixel photo
took 150 ms to decode and measure at full size and 98 ms at 1600 pixels (docs/performance.md)."""
MAX_FRAME_BYTES = 2_000_000
MAX_FRAME_PIXELS = 4096 * 4096
_ACCEPTED_TEXT = "a JPEG, PNG, WebP or BMP photo"


class PhotoError(DeskstretchError):
    """A file that cannot be used as a photo; the message names it and says what was expected."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"'{name}' {problem}")
        self.name = name


@dataclass(frozen=True, eq=False)
class Photo:
    """A decoded photo: ``image`` is 8-bit BGR (OpenCV's order), upright, ``height x width x 3``."""

    name: str
    image: Image
    format: str

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def check_photo_bytes(name: str, data: bytes) -> str:
    """The photo's format, once the bytes pass every check that needs no decoding.

    Raises ``PhotoError`` for an empty or too-large file, a file that is not a photo (saying
    what it is instead), an animated image, a header that cannot be read, a picture over
    ``MAX_PHOTO_PIXELS`` or one cut short. Standard library only.
    """
    if not data:
        raise PhotoError(name, "is empty (0 bytes). Choose the photo file again.")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(
            name,
            f"is {_megabytes(len(data))}; photos up to {_megabytes(MAX_PHOTO_BYTES)} are accepted. "
            "Send a smaller copy (phones offer a smaller size when sharing a photo).",
        )
    kind = sniff.image_format(data)
    if kind is None:
        found = sniff.describe(data)
        advice = f"Choose {_ACCEPTED_TEXT}."
        if found.startswith("a video"):
            advice = f"Take a still photo instead, or save one frame as {_ACCEPTED_TEXT}."
        elif found.startswith(("a HEIC", "an AVIF", "a GIF", "a TIFF")):
            advice = f"Save or export it as {_ACCEPTED_TEXT} (JPEG is the usual choice)."
        raise PhotoError(name, f"is {found}, not a photo we can read. {advice}")
    if sniff.is_animated(kind, data):
        raise PhotoError(
            name, f"is an animated {kind} image. Choose a single still photo ({_ACCEPTED_TEXT})."
        )
    size = sniff.header_size(kind, data)
    if size is None or min(size) == 0:
        raise PhotoError(
            name,
            f"looks like a {kind} file but its header is damaged, so it cannot be read. "
            "Copy the photo from your phone or camera again.",
        )
    width, height = size
    if width * height > MAX_PHOTO_PIXELS:
        raise PhotoError(
            name,
            f"is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels); photos up to "
            f"{MAX_PHOTO_PIXELS / 1e6:.0f} megapixels are accepted. Send a smaller copy.",
        )
    if _cut_short(kind, data):
        raise PhotoError(
            name,
            f"is cut short: the {kind} file ends before the picture does (perhaps it was still "
            "copying or downloading). Copy the photo again.",
        )
    return kind


def _cut_short(kind: str, data: bytes) -> bool:
    if kind == "JPEG":
        return not sniff.jpeg_is_complete(data)
    if kind == "PNG":
        return data.rfind(b"IEND") == -1
    return False


def _too_small(name: str, width: int, height: int) -> PhotoError:
    return PhotoError(
        name,
        f"is only {width}x{height} pixels; measuring needs at least {MIN_PHOTO_SIDE} pixels on "
        "the shorter side. Use the original photo rather than a thumbnail or a screenshot of one.",
    )


def load_photo(name: str, data: bytes) -> Photo:
    """Check and decode a photo file's bytes; ``name`` is how messages refer to it.

    The EXIF orientation a phone writes is applied (OpenCV's ``imdecode`` does this for
    ``IMREAD_COLOR``), so the person stands upright. Transparency is dropped.
    """
    kind = check_photo_bytes(name, data)
    size = sniff.header_size(kind, data)
    if size is not None and min(size) < MIN_PHOTO_SIDE:
        raise _too_small(name, *size)
    require_vision()
    import cv2
    import numpy as np

    flags = cv2.IMREAD_COLOR
    if kind == "JPEG" and size is not None:
        # A JPEG decodes straight to a half, quarter or eighth size at a fraction of the cost.
        for factor, reduced in ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
                                (2, cv2.IMREAD_REDUCED_COLOR_2)):  # fmt: skip
            if max(size) // factor >= WORKING_LONG_SIDE and min(size) // factor >= MIN_PHOTO_SIDE:
                flags = reduced
                break
    try:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
    except cv2.error:
        image = None
    if image is not None and image.ndim == 3 and max(image.shape[:2]) > WORKING_LONG_SIDE:
        scale = WORKING_LONG_SIDE / max(image.shape[:2])
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if image is None or image.ndim != 3 or image.shape[2] != 3:
        raise PhotoError(
            name,
            f"looks like a {kind} file but its picture data is damaged, so it cannot be read. "
            "Copy the photo from your phone or camera again.",
        )
    height, width = image.shape[:2]
    if min(width, height) < MIN_PHOTO_SIDE:
        raise _too_small(name, width, height)
    return Photo(name=name, image=np.asarray(image, dtype=np.uint8), format=kind)


def decode_frame(jpeg: bytes) -> Image:
    """A live camera frame (JPEG bytes from the browser) as a BGR image.

    Lighter than ``load_photo``: frames come many times a second from our own page, so only the
    size, the JPEG magic and the decode are checked. Raises ``PhotoError`` on a bad frame.
    """
    name = "camera frame"
    if not jpeg:
        raise PhotoError(name, "is empty.")
    if len(jpeg) > MAX_FRAME_BYTES:
        raise PhotoError(name, f"is {_megabytes(len(jpeg))}; frames up to 2 MB are accepted.")
    if sniff.image_format(jpeg) != "JPEG":
        raise PhotoError(name, "is not a JPEG image.")
    size = sniff.header_size("JPEG", jpeg)
    if size is None or size[0] * size[1] > MAX_FRAME_PIXELS or min(size) == 0:
        raise PhotoError(name, "has a damaged header or is larger than 4096x4096 pixels.")
    require_vision()
    import cv2
    import numpy as np

    try:
        image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    except cv2.error:
        image = None
    if image is None:
        raise PhotoError(name, "could not be decoded as a JPEG image.")
    return np.asarray(image, dtype=np.uint8)
