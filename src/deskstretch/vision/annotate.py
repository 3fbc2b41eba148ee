"""The annotated photo: the measured side's skeleton and the three angles drawn on a copy, sized
so lines and text read well on a thumbnail-sized phone screen and on a large monitor."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from deskstretch.core.body_angles import (
    ANGLE_UNCERTAINTY_DEG,
    ANKLE,
    EAR,
    FOOT_INDEX,
    HEEL,
    HIP,
    KNEE,
    SHOULDER,
    Landmark,
    PhotoCheck,
    Problem,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MAX_OUTPUT_SIDE = 1600  # longer side of the drawn image, at most
MIN_OUTPUT_SIDE = 480  # shorter side, at least (small photos are enlarged so text stays legible)
_CHAIN = (EAR, SHOULDER, HIP, KNEE, ANKLE, HEEL, FOOT_INDEX)
_LINE = (0, 215, 255)  # BGR gold: shows on skin, clothes, walls and grass
_OUTLINE = (0, 0, 0)
_TEXT = (255, 255, 255)
_WARN = (80, 190, 255)
_PROBLEM_LABELS = {
    Problem.NO_PERSON: "no person found",
    Problem.SEVERAL_PEOPLE: "more than one person",
    Problem.LEGS_CUT_OFF: "legs cut off",
    Problem.LOW_VISIBILITY: "body not clearly seen",
    Problem.OBLIQUE_VIEW: "not a side view",
    Problem.KNEE_BENT: "knee bent",
}


def output_scale(width: int, height: int) -> float:
    """How much to resize a photo before drawing: large ones shrink, small ones grow."""
    return min(MAX_OUTPUT_SIDE / max(width, height), max(1.0, MIN_OUTPUT_SIDE / min(width, height)))


def _rounded(value: float) -> int:
    return int(5 * round(value / 5))  # angles are reported to the nearest 5° (domain.md §5.3)


def text_lines(check: PhotoCheck) -> list[tuple[str, bool]]:
    """The lines written on the photo (plain ASCII: OpenCV's fonts have no degree sign), each
    with whether it is a warning."""
    angles = check.angles
    lines: list[tuple[str, bool]] = []
    if angles is not None:
        uncertainty = f"+/-{ANGLE_UNCERTAINTY_DEG:.0f}"
        lines += [
            (f"Forward bend  {_rounded(angles.forward_bend_deg)} deg", False),
            (f"Knee bend     {_rounded(angles.knee_deficit_deg)} deg", False),
            (f"Trunk lean    {_rounded(angles.trunk_inclination_deg)} deg", False),
            (f"{angles.side.value} side, each {uncertainty} deg", False),
        ]
    if check.problems:
        labels = ", ".join(_PROBLEM_LABELS[p.problem] for p in check.problems)
        lines.append((f"Does not count: {labels}", True))
    return lines


def draw(
    image: NDArray[np.uint8], landmarks: list[Landmark] | None, check: PhotoCheck
) -> NDArray[np.uint8]:
    """A resized copy of ``image`` (BGR) with the skeleton and the angles drawn on it."""
    import cv2
    import numpy as np

    height, width = image.shape[:2]
    scale = output_scale(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    canvas = np.asarray(cv2.resize(image, size, interpolation=interpolation), dtype=np.uint8)
    unit = max(size) / 800
    thickness = max(2, round(3 * unit))
    if landmarks is not None and check.angles is not None:
        side = check.angles.side.value
        points = [
            (round(landmarks[index[side]].x * scale), round(landmarks[index[side]].y * scale))
            for index in _CHAIN
        ]
        for a, b in itertools.pairwise(points):
            cv2.line(canvas, a, b, _OUTLINE, thickness + 2 * max(1, thickness // 2), cv2.LINE_AA)
            cv2.line(canvas, a, b, _LINE, thickness, cv2.LINE_AA)
        radius = max(4, round(6 * unit))
        for point in points[1:5]:  # shoulder, hip, knee, ankle: the measured joints
            cv2.circle(canvas, point, radius + max(1, thickness // 2), _OUTLINE, -1, cv2.LINE_AA)
            cv2.circle(canvas, point, radius, _LINE, -1, cv2.LINE_AA)
    _write_panel(canvas, text_lines(check) or [("No person found", True)])
    return canvas


def _write_panel(canvas: NDArray[np.uint8], lines: list[tuple[str, bool]]) -> None:
    """The lines in a dark box at the top left, the font sized to the picture."""
    import cv2

    height, width = canvas.shape[:2]
    font = cv2.FONT_HERSHEY_SIMPLEX
    scale = max(0.5, max(width, height) / 1100)
    weight = max(1, round(2 * scale))
    widest = max(cv2.getTextSize(text, font, scale, weight)[0][0] for text, _ in lines)
    if widest > 0.94 * width:  # a narrow photo: shrink the text to fit
        scale *= 0.94 * width / widest
        weight = max(1, round(2 * scale))
    (_, text_height), baseline = cv2.getTextSize("Ag", font, scale, weight)
    line_height = round((text_height + baseline) * 1.35)
    pad = max(4, round(line_height * 0.4))
    box_width = max(cv2.getTextSize(text, font, scale, weight)[0][0] for text, _ in lines)
    box = (min(width, box_width + 2 * pad), min(height, line_height * len(lines) + 2 * pad))
    region = canvas[: box[1], : box[0]]
    region[:] = (region * 0.35).astype(region.dtype)  # darken behind the text
    for row, (text, warning) in enumerate(lines):
        y = pad + text_height + row * line_height
        colour = _WARN if warning else _TEXT
        cv2.putText(canvas, text, (pad, y), font, scale, colour, weight, cv2.LINE_AA)


def encode_jpeg(image: NDArray[np.uint8], quality: int = 88) -> bytes:
    import cv2

    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode the annotated image as JPEG")
    return bytes(buffer.tobytes())
