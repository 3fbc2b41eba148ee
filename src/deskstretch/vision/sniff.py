"""What a file is, from its first bytes: the photo formats we accept and their pixel size read
from the header (before any decoding), or a plain name for anything else (a video, a PDF...).

Standard library (and core) only, so it can judge a file before numpy and OpenCV are loaded.
"""

from __future__ import annotations

import struct

from deskstretch.core.records import PHOTO_MAX_BYTES

ACCEPTED = ("JPEG", "PNG", "WebP", "BMP")
MAX_PHOTO_BYTES = PHOTO_MAX_BYTES
MAX_PHOTO_PIXELS = 40_000_000
MIN_PHOTO_SIDE = 200
"""The shortest side a photo may have: below it a person is too few pixels to measure."""

_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_SOF_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start-of-frame: holds the size


def image_format(data: bytes) -> str | None:
    """``"JPEG"``, ``"PNG"``, ``"WebP"`` or ``"BMP"`` from the magic bytes; None for others."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[:2] == b"BM" and len(data) >= 26:
        return "BMP"
    return None


def describe(data: bytes) -> str:
    """A plain name for a file that is not an accepted photo: "an MP4 video", "a PDF document"."""
    box = data[4:8]
    if box == b"ftyp":
        brand = data[8:12]
        if brand in _HEIC_BRANDS:
            return "a HEIC photo (the iPhone's own format)"
        if brand in {b"avif", b"avis"}:
            return "an AVIF image"
        if brand == b"qt  ":
            return "a video (QuickTime MOV)"
        return "a video (MP4)"
    if box in {b"moov", b"mdat", b"wide", b"free", b"skip"}:
        return "a video (QuickTime MOV)"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "a video (WebM)" if b"webm" in data[:64] else "a video (MKV)"
    if data[:4] == b"RIFF":
        kind = data[8:12]
        if kind == b"AVI ":
            return "a video (AVI)"
        if kind == b"WAVE":
            return "a sound file (WAV)"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF image (often animated)"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "a TIFF image"
    if data.startswith(b"PK\x03\x04"):
        return "a ZIP archive (or an office document)"
    if data.startswith(b"ID3") or data[:2] in {b"\xff\xfb", b"\xff\xf3"}:
        return "a sound file (MP3)"
    text = _as_text(data[:4096])
    if text is not None:
        lowered = text.lower()
        if "<svg" in lowered:
            return "an SVG drawing"
        if "<html" in lowered or "<!doctype html" in lowered:
            return "a web page (HTML)"
        return "a text file"
    return "a file of a kind we do not recognise"


def _as_text(head: bytes) -> str | None:
    """The start of the file as text, or None if it holds bytes text never has."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # a bad byte, not a character cut at the 4096 boundary
            return None
        text = head[: error.start].decode("utf-8")
    if not text.strip():
        return None
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return text if printable >= 0.95 * len(text) else None


def header_size(kind: str, data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header of an accepted format, or None if the header is unreadable.

    An animated WebP has a size too; ``is_animated`` tells it apart.
    """
    try:
        if kind == "JPEG":
            return _jpeg_size(data)
        if kind == "PNG":
            if data[12:16] != b"IHDR":
                return None
            width, height = struct.unpack(">II", data[16:24])
            return width, height
        if kind == "WebP":
            return _webp_size(data)
        if kind == "BMP":
            return _bmp_size(data)
    except (struct.error, IndexError):  # the header stops early
        return None
    return None


def is_animated(kind: str, data: bytes) -> bool:
    """True for an animated WebP (VP8X with its animation flag) or an animated PNG (acTL)."""
    if kind == "WebP":
        return len(data) > 20 and data[12:16] == b"VP8X" and bool(data[20] & 0x02)
    if kind == "PNG":
        idat = data.find(b"IDAT")
        actl = data.find(b"acTL")
        return actl != -1 and (idat == -1 or actl < idat)
    return False


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in {0x01, *range(0xD0, 0xD8)}:  # markers with no length
            offset += 2
            continue
        if marker in {0xD9, 0xDA}:  # end of image or start of scan before any frame header
            return None
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if marker in _SOF_MARKERS:
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return width, height
        offset += 2 + length
    return None


def jpeg_is_complete(data: bytes) -> bool:
    """True when the JPEG's end-of-image marker follows its first scan (a cut-off copy has none).

    Data after the end marker (a phone's motion-photo video, say) is allowed.
    """
    offset = 2
    while offset + 4 <= len(data):
        marker = data[offset + 1]
        if data[offset] != 0xFF:
            return False
        if marker == 0xFF or marker in {0x01, *range(0xD0, 0xD8)}:
            offset += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if marker == 0xDA:
            return data.find(b"\xff\xd9", offset + 2 + length) != -1
        offset += 2 + length
    return False


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        if len(data) < 30:
            return None
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    return None


def _bmp_size(data: bytes) -> tuple[int, int] | None:
    (header,) = struct.unpack("<I", data[14:18])
    if header == 12:  # the old OS/2 header: 16-bit sizes
        width, height = struct.unpack("<HH", data[18:22])
        return width, height
    if header >= 40:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)  # a negative height means rows stored top-down
    return None
