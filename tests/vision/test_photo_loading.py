"""Photo files in: accepted formats decode upright; every bad input becomes one plain PhotoError
that names the file and says what was expected (never a crash, never a traceback)."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from deskstretch.core.errors import DeskstretchError
from deskstretch.vision import (
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    PhotoError,
    decode_frame,
    load_photo,
)
from deskstretch.vision.sniff import header_size, image_format
from helpers.pose_photos import PUSHUPS, SEATED, WALKING


def encoded(image: NDArray[np.uint8], extension: str) -> bytes:
    ok, buffer = cv2.imencode(extension, image)
    assert ok
    return bytes(buffer.tobytes())


def picture(width: int = 320, height: int = 240) -> NDArray[np.uint8]:
    """A test card: the left quarter white, so orientation can be seen."""
    image = np.zeros((height, width, 3), np.uint8)
    image[:, : width // 4] = 255
    return image


def with_exif_orientation(jpeg: bytes, orientation: int) -> bytes:
    """The JPEG with an EXIF block holding only an orientation tag, as a phone writes it."""
    ifd = struct.pack("<H", 1) + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)
    payload = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size in its header (and holds one tiny, useless data chunk)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- accepted -------------------------------------------------------------------------------


def test_the_fixture_photos_load_with_their_sizes() -> None:
    seated = load_photo("seated.jpg", SEATED.read_bytes())
    assert (seated.width, seated.height, seated.format) == (960, 640, "JPEG")
    assert seated.image.shape == (640, 960, 3)
    assert seated.image.dtype == np.uint8
    assert load_photo("p.jpg", PUSHUPS.read_bytes()).height == 450


@pytest.mark.parametrize(
    ("extension", "kind"), [(".png", "PNG"), (".webp", "WebP"), (".bmp", "BMP")]
)
def test_png_webp_and_bmp_load(extension: str, kind: str) -> None:
    source = picture()
    data = encoded(source, extension)
    assert image_format(data) == kind
    assert header_size(kind, data) == (320, 240)
    photo = load_photo(f"card{extension}", data)
    assert (photo.width, photo.height, photo.format) == (320, 240, kind)
    assert int(photo.image[120, 10, 0]) > 200  # the white quarter stays on the left
    assert int(photo.image[120, 300, 0]) < 50


def test_a_grey_png_with_transparency_loads_as_colour() -> None:
    rgba = np.zeros((240, 320, 4), np.uint8)
    rgba[..., 3] = 128
    grey = np.full((240, 320), 90, np.uint8)
    for image in (rgba, grey):
        photo = load_photo("odd.png", encoded(image, ".png"))
        assert photo.image.shape == (240, 320, 3)


@pytest.mark.parametrize(
    ("orientation", "size", "white_at"),
    [(1, (320, 240), (120, 10)), (6, (240, 320), (10, 120)), (3, (320, 240), (120, 310))],
)
def test_the_exif_orientation_a_phone_writes_is_applied(
    orientation: int, size: tuple[int, int], white_at: tuple[int, int]
) -> None:
    """OpenCV's imdecode turns the picture as the EXIF tag says (6: rotate 90° clockwise)."""
    data = with_exif_orientation(encoded(picture(), ".jpg"), orientation)
    photo = load_photo("phone.jpg", data)
    assert (photo.width, photo.height) == size
    assert int(photo.image[white_at][0]) > 200


def test_a_jpeg_with_data_after_its_end_marker_is_accepted() -> None:
    """Phones append a short video to "motion photos": the picture itself is complete."""
    data = encoded(picture(), ".jpg") + b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500
    assert load_photo("motion.jpg", data).width == 320


# --- refused --------------------------------------------------------------------------------


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(PhotoError) as caught:
        load_photo(name, data)
    assert isinstance(caught.value, DeskstretchError)
    message = caught.value.message
    assert message.startswith(f"'{name}' ")
    return message


def test_an_empty_file() -> None:
    assert "is empty (0 bytes)" in refusal("empty.jpg", b"")


def test_a_text_file() -> None:
    message = refusal("notes.jpg", b"My stretches: hamstrings, 30 s.\n" * 20)
    assert "is a text file, not a photo" in message
    assert "JPEG, PNG, WebP or BMP" in message


def test_the_walking_video() -> None:
    message = refusal("walking.mp4", WALKING.read_bytes())
    assert "is a video (MP4)" in message
    assert "still photo" in message


@pytest.mark.parametrize(
    ("head", "found"),
    [
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "a video (QuickTime MOV)"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "a video (WebM)"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "a video (MKV)"),
        (b"RIFF\x00\x10\x00\x00AVI LIST", "a video (AVI)"),
        (b"GIF89a\x10\x00\x10\x00", "a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1", "a HEIC photo"),
        (b"II*\x00\x08\x00\x00\x00", "a TIFF image"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "an SVG drawing"),
        (b"\x00\x01\x02\x03\xfe\xfd\xfc\x80\x81\x82", "a file of a kind we do not recognise"),
    ],
)
def test_other_kinds_of_file_are_named(head: bytes, found: str) -> None:
    padding = b"\n" if head.startswith(b"<") else b"\x00"  # text stays text
    message = refusal("upload.jpg", head + padding * 200)
    assert f"is {found}" in message


def test_an_animated_webp() -> None:
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([0x02, 0, 0, 0]) + b"\x3f\x01\x00\xef\x00\x00"
    data = b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x
    assert "animated WebP" in refusal("moving.webp", data)


def test_a_truncated_jpeg() -> None:
    data = SEATED.read_bytes()
    message = refusal("half.jpg", data[: len(data) // 2])
    assert "is cut short" in message
    assert "Copy the photo again" in message


def test_a_truncated_png() -> None:
    data = encoded(picture(), ".png")
    assert "is cut short" in refusal("half.png", data[: len(data) // 2])


def test_a_jpeg_with_a_damaged_header() -> None:
    data = SEATED.read_bytes()
    assert "its header is damaged" in refusal("bad.jpg", data[:4] + b"\x00" * 64 + data[68:])


def test_a_jpeg_whose_picture_data_is_garbage() -> None:
    data = encoded(picture(), ".jpg")
    start = data.index(b"\xff\xda")  # start of scan: keep the headers, spoil the picture
    spoiled = data[: start + 4] + b"\xff\x01" * 50 + b"\xff\xd9"
    message = refusal("spoiled.jpg", spoiled)
    assert "damaged" in message or "cut short" in message


def test_a_huge_image_is_refused_from_its_header_before_decoding() -> None:
    message = refusal("huge.png", png_header(20_000, 15_000))
    assert "is 20000x15000 pixels (300 megapixels)" in message
    assert f"up to {MAX_PHOTO_PIXELS // 1_000_000} megapixels" in message
    # A JPEG header claiming the largest size JPEG allows (65535 x 65535).
    data = bytearray(encoded(picture(), ".jpg"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = b"\xff\xff\xff\xff"
    assert "is 65535x65535 pixels" in refusal("huge.jpg", bytes(data))


def test_opencv_refuses_to_decode_past_our_pixel_limit_too() -> None:
    """Defence in depth: vision sets OPENCV_IO_MAX_IMAGE_PIXELS to our limit before OpenCV loads."""
    import os

    assert os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] == str(MAX_PHOTO_PIXELS)


def test_a_file_over_the_byte_limit() -> None:
    data = encoded(picture(), ".jpg")
    big = data[:-2] + b"\x00" * (MAX_PHOTO_BYTES + 1 - len(data)) + b"\xff\xd9"
    message = refusal("big.jpg", big)
    assert "is 20.0 MB; photos up to 20.0 MB are accepted" in message


@pytest.mark.parametrize(("width", "height"), [(150, 400), (400, 199)])
def test_a_photo_too_small_to_measure(width: int, height: int) -> None:
    message = refusal("thumb.jpg", encoded(picture(width, height), ".jpg"))
    assert f"is only {width}x{height} pixels" in message
    assert "at least 200 pixels" in message


# --- live frames ----------------------------------------------------------------------------


def test_decode_frame_gives_a_bgr_image() -> None:
    frame = decode_frame(encoded(picture(640, 480), ".jpg"))
    assert frame.shape == (480, 640, 3)
    assert frame.dtype == np.uint8


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "is empty"),
        (b"hello", "is not a JPEG image"),
        (b"\xff\xd8\xff" + b"\x00" * 3_000_000, "frames up to 2 MB"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "damaged header"),
    ],
)
def test_decode_frame_refuses_bad_frames(data: bytes, says: str) -> None:
    with pytest.raises(PhotoError, match=says):
        decode_frame(data)
