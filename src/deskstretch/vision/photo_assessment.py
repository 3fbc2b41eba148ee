"""One photo assessed: the person's landmarks, how many people are in it, the angles and quality
gates (``core.body_angles``), and the annotated copy to show."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from deskstretch.core.body_angles import (
    ANKLE,
    HIP,
    KNEE,
    SHOULDER,
    BodyAngles,
    Landmark,
    PhotoCheck,
    PhotoTest,
    average_landmarks,
    check_photo,
    unmirror,
)
from deskstretch.vision import annotate
from deskstretch.vision.pose_model import PoseModel, open_pose_model

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from deskstretch.vision.photos import Photo


@dataclass(frozen=True, eq=False)
class PhotoAssessment:
    """What one photo gave. ``check.counts`` says whether it counts as a measurement."""

    photo: Photo
    test: PhotoTest
    landmarks: tuple[Landmark, ...] | None
    people: int
    check: PhotoCheck

    @property
    def angles(self) -> BodyAngles | None:
        return self.check.angles

    def annotated_image(self) -> NDArray[np.uint8]:
        """A copy of the photo with the measured side's skeleton and the angles drawn (BGR)."""
        marks = list(self.landmarks) if self.landmarks is not None else None
        return annotate.draw(self.photo.image, marks, self.check)

    def annotated_jpeg(self, quality: int = 88) -> bytes:
        return annotate.encode_jpeg(self.annotated_image(), quality)


def people_in_photo(found_person: bool, detected: int) -> int:
    """0, 1 or 2 (meaning "more than one") people, from whether the landmark pass found a person
    and how many the detector counted. The landmark pass decides whether there is anyone (its
    own detector threshold is lower); the detector decides whether there is more than one."""
    if not found_person:
        return 0
    return 2 if detected >= 2 else 1


MIRROR_AGREEMENT = 0.25
"""The two views are one person when their shoulders, hips, knees and ankles lie on average
within this fraction of the torso length of each other."""
_BODY = tuple(index[side] for index in (SHOULDER, HIP, KNEE, ANKLE) for side in ("left", "right"))


def same_person(a: list[Landmark], b: list[Landmark]) -> bool:
    """Whether two sets of landmarks of one photo are the same person, roughly where."""
    torso = math.dist(
        (
            (a[SHOULDER["left"]].x + a[SHOULDER["right"]].x) / 2,
            (a[SHOULDER["left"]].y + a[SHOULDER["right"]].y) / 2,
        ),
        ((a[HIP["left"]].x + a[HIP["right"]].x) / 2, (a[HIP["left"]].y + a[HIP["right"]].y) / 2),
    )
    gap = sum(math.dist((a[i].x, a[i].y), (b[i].x, b[i].y)) for i in _BODY) / len(_BODY)
    return gap <= MIRROR_AGREEMENT * max(torso, 1.0)


def merge_mirrored(
    direct: list[Landmark] | None, mirrored: list[Landmark] | None, width: int
) -> list[Landmark] | None:
    """The person's landmarks found in the photo (``direct``) and in its mirror image, averaged.

    The pose model is not exactly left-right symmetric: on our side-view photo the forward-bend
    angle of a mirrored copy differed by 2.8°. Averaging both views makes the result the same for
    a photo and its mirror image, and steadier in general. With several people the two passes
    may pick different people: then the photo's own pass is kept (and the people count flags the
    photo).
    """
    if mirrored is None:
        return direct
    back = unmirror(mirrored, width)
    if direct is None:
        return back
    return average_landmarks(direct, back) if same_person(direct, back) else direct


def assess_landmarks(
    photo: Photo, test: PhotoTest, landmarks: list[Landmark] | None, people: int
) -> PhotoAssessment:
    """The assessment of landmarks already found (the model-free half of ``assess_photo``)."""
    check = check_photo(landmarks, photo.width, photo.height, test, people=people)
    marks = tuple(landmarks) if landmarks is not None else None
    return PhotoAssessment(photo=photo, test=test, landmarks=marks, people=people, check=check)


def assess_photo(
    photo: Photo,
    test: PhotoTest,
    model: PoseModel | None = None,
    *,
    mirror_average: bool = True,
) -> PhotoAssessment:
    """Find the person, count people, measure the camera-facing side and run the gates.

    With ``mirror_average`` (the default) the person is found in the photo and in its mirror
    image and the two are averaged: the same angles for a photo and its mirror image, for one
    more model pass, run alongside the first. ``model`` must be a photo (static) model; without
    one, a model is opened and closed here (about 0.5 s more: keep one open for several photos).
    """
    if model is None:
        with open_pose_model(static=True) as own:
            return assess_photo(photo, test, own, mirror_average=mirror_average)
    if not model.static:
        raise ValueError("assess_photo needs a photo model: open_pose_model(static=True)")
    if not mirror_average:
        landmarks = model.landmarks(photo.image)
        people = people_in_photo(landmarks is not None, model.detector().count(photo.image))
        return assess_landmarks(photo, test, landmarks, people)
    # The mirror pass (on a second model) and the people count (the detector) run in threads
    # while this thread finds the person: the model leaves Python while it works, so on two
    # cores the three passes take about one and a half passes' time (docs/performance.md).
    image = photo.image
    passes: dict[str, object] = {}

    def find_in_mirror() -> None:
        passes["mirrored"] = model.twin().landmarks(image[:, ::-1].copy())

    def count() -> None:
        passes["detected"] = model.detector().count(image)

    workers = [
        threading.Thread(target=find_in_mirror, name="mirror-pass", daemon=True),
        threading.Thread(target=count, name="people-count", daemon=True),
    ]
    for worker in workers:
        worker.start()
    try:
        direct = model.landmarks(image)
    finally:
        for worker in workers:
            worker.join()
    mirrored, detected = passes.get("mirrored", False), passes.get("detected")
    if mirrored is False or not isinstance(detected, int):
        raise RuntimeError("a pass of the pose model in another thread failed")
    people = people_in_photo(direct is not None, detected)
    landmarks = merge_mirrored(direct, cast("list[Landmark] | None", mirrored), photo.width)
    return assess_landmarks(photo, test, landmarks, people)
