"""Photo and camera assessments: measure side-view photos, store the median angles, compare them
honestly with earlier ones (domain.md §5.2-5.3), and keep or delete annotated photos on request.

Reached as ``coach.assessments``; the pixels-to-landmarks work is ``deskstretch.vision``'s (an
optional extra, imported only when a photo is measured).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from deskstretch.core import extras
from deskstretch.core.body_angles import (
    ANGLE_UNCERTAINTY_DEG,
    BodyAngles,
    PhotoCheck,
    PhotoTest,
    median_angles,
)
from deskstretch.core.errors import DeskstretchError, NotFoundError, SafetyStop, WriteFailed
from deskstretch.core.outcomes import forward_bend_change
from deskstretch.core.records import (
    ASSESSMENT_MAX_PHOTOS,
    ASSESSMENT_SOURCES,
    NOTE_MAX_CHARS,
    Assessment,
)

if TYPE_CHECKING:
    from deskstretch.coach import Coach

__all__ = [
    "PHOTOS_FOLDER",
    "TEST_NAMES",
    "AssessmentError",
    "AssessmentOutcome",
    "Assessments",
    "PhotoResult",
    "comparison_sentences",
    "remove_kept_photos",
]

PHOTOS_FOLDER = "photos"
"""Kept annotated photos live in ``<data_dir>/photos/<assessment id>.jpg``."""
_KEPT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}\.jpg$")

TEST_NAMES = {
    PhotoTest.CHAIR_SIT_AND_REACH: "chair sit-and-reach",
    PhotoTest.STANDING_FORWARD_BEND: "standing forward bend",
}


class AssessmentError(DeskstretchError):
    """An assessment that cannot be made (no photos, too many, a note too long); the message
    says what was expected."""


@dataclass(frozen=True)
class PhotoResult:
    """One photo as measured: its name as given, its angles and problems, and the annotated
    image (skeleton and angles drawn; b"" when no person was found)."""

    name: str
    check: PhotoCheck
    annotated_jpeg: bytes


@dataclass(frozen=True)
class AssessmentOutcome:
    """What an assessment gave: each photo, the stored record (None when no photo counted) and
    honest sentences comparing it with the first and the last like it (or saying why nothing
    was saved)."""

    photos: tuple[PhotoResult, ...]
    assessment: Assessment | None
    sentences: tuple[str, ...]


def check_test_allowed(test: PhotoTest, tags: Collection[str], bending_hurts: bool = False) -> None:
    """Refuse a forward-bending photo test with osteoporosis or pain on bending forward (§3.4),
    as ``coach.measurements.check_test_allowed`` does for the tape-measure tests."""
    # Imported here: `deskstretch progress` reads assessments without loading these.
    from deskstretch.coach.measurements import MeasurementNotAdvised
    from deskstretch.core.safety import TAG_LABELS

    name = TEST_NAMES[test]
    if "osteoporosis" in tags:
        raise MeasurementNotAdvised(
            f"Measuring the {name} from photos is not advised for you: you told us about"
            f" {TAG_LABELS['osteoporosis']}, and the test bends as far forward as you can with a"
            " rounded back, which bone health guidance advises against. Your own activities,"
            " rated 0-10 over time (PSFS), track your progress instead."
        )
    if bending_hurts:
        raise MeasurementNotAdvised(
            f"Skip the {name} while bending forward hurts: the photo would measure your pain more"
            " than your flexibility, and the test should not be done with pain on bending"
            " forward."
        )


def _day(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.day} {local:%b %Y}"


def comparison_sentences(
    new: Assessment, earlier: Sequence[Assessment], tz: tzinfo
) -> tuple[str, ...]:
    """``new`` against the first and the last of ``earlier`` (oldest first) of the same test and
    source, by the §5.3 rule; a sentence saying it is the first when there is none."""
    like = [a for a in earlier if a.test is new.test and a.source == new.source and a.id != new.id]
    how = "from photos" if new.source == "photo" else "with the camera"
    if not like:
        return (
            f"This is your first {TEST_NAMES[new.test]} measured {how}: later ones will be"
            " compared with it.",
        )
    sentences = []
    for label, old in (("your first", like[0]), ("your last", like[-1])):
        if label == "your last" and old is like[0]:
            break
        change = forward_bend_change(
            old.forward_bend_deg,
            new.forward_bend_deg,
            photos_before=old.photos,
            photos_after=new.photos,
            uncertainty_deg=max(old.uncertainty_deg, new.uncertainty_deg),
        )
        text = change.sentence[0].lower() + change.sentence[1:]
        sentences.append(f"Compared with {label} ({_day(old.at, tz)}): {text}")
    return tuple(sentences)


def remove_kept_photos(folder: Path) -> int:
    """Delete every file in the kept-photos ``folder`` (photos and any half-written leftovers);
    how many photos (.jpg files) went. A file that cannot be deleted raises WriteFailed."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise WriteFailed(str(folder), error.strerror or str(error)) from None
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            continue
        try:
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise WriteFailed(entry.path, error.strerror or str(error)) from None
        if entry.name.endswith(".jpg") and not entry.name.startswith("."):
            removed += 1
    return removed


class Assessments:
    """The Coach's photo assessments (``coach.assessments``): measure, store, compare, keep."""

    def __init__(self, coach: Coach) -> None:
        self._coach = coach

    @property
    def photos_dir(self) -> Path:
        return self._coach.settings.data_dir / PHOTOS_FOLDER

    # ----- what is possible ----------------------------------------------------------------------

    def unavailable_reason(self) -> str | None:
        """None when the vision extra is installed; otherwise what to install."""
        return extras.unavailable_reason(extras.VISION)

    def check_allowed(self, test: PhotoTest, bending_hurts: bool = False) -> None:
        """SafetyStop when routines are locked or the safety questions wait for answers;
        MeasurementNotAdvised with osteoporosis or pain on bending forward (§3.4)."""
        coach = self._coach
        if coach.needs_screening():
            raise SafetyStop(
                "Please answer the safety questions first: the photo tests bend fully forward."
            )
        if not coach.verdict().routines_allowed:
            raise SafetyStop(
                "Photo tests are paused, like routines, until the safety questions are answered"
                " again once this has been looked at."
            )
        check_test_allowed(test, coach.active_tags(), bending_hurts)

    # ----- measuring -----------------------------------------------------------------------------

    def assess(
        self,
        photos: Sequence[tuple[str, bytes]],
        test: PhotoTest,
        *,
        keep_photo: bool = False,
        note: str = "",
        now: datetime | None = None,
    ) -> AssessmentOutcome:
        """Measure 1-3 side-view photos of one test and store the median of those that count.

        Bad files raise ``vision.PhotoError`` naming the file (nothing is measured or stored);
        a missing vision extra raises ``vision.VisionUnavailable``. With ``keep_photo`` the
        annotated image of the first photo that counted is kept (0600) for the person to see.
        """
        if not 1 <= len(photos) <= ASSESSMENT_MAX_PHOTOS:
            raise AssessmentError(
                f"Expected 1 to {ASSESSMENT_MAX_PHOTOS} photos of the same test (three give the"
                f" steadiest result), got {len(photos)}."
            )
        note = self._check_note(note)
        self.check_allowed(test)
        from deskstretch import vision

        vision.require_vision()
        loaded = [vision.load_photo(name, data) for name, data in photos]  # all, before measuring
        results: list[PhotoResult] = []
        with vision.open_pose_model() as model:
            for photo in loaded:
                measured = vision.assess_photo(photo, test, model)
                jpeg = measured.annotated_jpeg() if measured.check.angles is not None else b""
                results.append(PhotoResult(photo.name, measured.check, jpeg))
        counted = [r for r in results if r.check.counts]
        if not counted:
            return AssessmentOutcome(
                tuple(results),
                None,
                (
                    "Nothing was saved: no photo could be measured. The advice for each photo says"
                    " what to change; take them again and measure the new ones.",
                ),
            )
        try:
            median = median_angles([r.check.angles for r in counted if r.check.angles])
        except DeskstretchError as mixed:
            return AssessmentOutcome(tuple(results), None, (f"Nothing was saved: {mixed.message}",))
        keep = counted[0].annotated_jpeg if keep_photo else None
        return self._store(median, len(counted), test, "photo", note, now, tuple(results), keep)

    def record_angles(
        self,
        angles: Sequence[BodyAngles],
        test: PhotoTest,
        *,
        source: str = "camera",
        note: str = "",
        now: datetime | None = None,
    ) -> AssessmentOutcome:
        """Store the median of measured angles (the live camera's "save this measurement")."""
        if source not in ASSESSMENT_SOURCES:
            raise AssessmentError(f"Expected the source photo or camera, got {source!r}.")
        if not angles:
            raise AssessmentError(
                "Nothing to save yet: hold the position in view until the angles show."
            )
        for measured in angles:
            values = (
                measured.forward_bend_deg,
                measured.knee_deficit_deg,
                measured.trunk_inclination_deg,
            )
            if not all(math.isfinite(v) and -180 <= v <= 180 for v in values):
                raise AssessmentError(f"Expected angles from -180° to 180°, got {values}.")
        note = self._check_note(note)
        self.check_allowed(test)
        median = median_angles(angles)
        return self._store(median, len(angles), test, source, note, now, (), None)

    def _check_note(self, note: str) -> str:
        note = note.strip()
        if len(note) > NOTE_MAX_CHARS:
            raise AssessmentError(
                f"The note is {len(note)} characters long; expected at most {NOTE_MAX_CHARS}."
            )
        return note

    def _store(
        self,
        median: BodyAngles,
        count: int,
        test: PhotoTest,
        source: str,
        note: str,
        now: datetime | None,
        results: tuple[PhotoResult, ...],
        keep: bytes | None,
    ) -> AssessmentOutcome:
        from deskstretch.coach.sessions import new_id, utc_now
        from deskstretch.config import write_atomic
        from deskstretch.store import repository as repo

        store = self._coach.store
        earlier = repo.list_assessments(store, test=test)
        assessment_id = new_id()
        photo_file = f"{assessment_id}.jpg" if keep else None
        record = Assessment(
            id=assessment_id,
            at=now or utc_now(),
            test=test,
            source=source,
            side=median.side,
            forward_bend_deg=median.forward_bend_deg,
            knee_deficit_deg=median.knee_deficit_deg,
            trunk_inclination_deg=median.trunk_inclination_deg,
            photos=count,
            uncertainty_deg=ANGLE_UNCERTAINTY_DEG,
            photo_file=photo_file,
            note=note,
        )
        path = self.photos_dir / photo_file if photo_file else None
        if path is not None and keep:
            write_atomic(path, keep)  # 0600, in a 0700 folder
        try:
            repo.add_assessment(store, record)
        except BaseException:
            if path is not None:
                path.unlink(missing_ok=True)
            raise
        sentences = comparison_sentences(record, earlier, self._coach.local_tz())
        return AssessmentOutcome(results, record, sentences)

    # ----- reading -------------------------------------------------------------------------------

    def history(self, test: PhotoTest | None = None) -> list[Assessment]:
        """Every assessment (of ``test``, if given), oldest first."""
        from deskstretch.store import repository as repo

        return repo.list_assessments(self._coach.store, test=test)

    def latest(self, test: PhotoTest) -> tuple[Assessment, tuple[str, ...]] | None:
        """The newest assessment of ``test`` and how it compares with the earlier ones like it;
        None when there is none."""
        found = self.history(test)
        if not found:
            return None
        newest = found[-1]
        return newest, comparison_sentences(newest, found[:-1], self._coach.local_tz())

    def kept_photo(self, assessment_id: str) -> bytes | None:
        """The kept annotated photo of an assessment; None when none was kept (or it is gone)."""
        from deskstretch.store import repository as repo

        try:
            found = repo.get_assessment(self._coach.store, assessment_id)
        except NotFoundError:
            return None
        return None if found.photo_file is None else self._read_kept(found.photo_file)

    def _read_kept(self, name: str) -> bytes | None:
        if not _KEPT_NAME.match(name):
            return None  # only ever a bare file name in the photos folder
        try:
            return (self.photos_dir / name).read_bytes()
        except OSError:
            return None

    def kept_photo_count(self) -> int:
        """How many kept photos there are on disk."""
        try:
            return sum(
                1
                for entry in os.scandir(self.photos_dir)
                if entry.is_file(follow_symlinks=False)
                and entry.name.endswith(".jpg")
                and not entry.name.startswith(".")
            )
        except OSError:
            return 0

    def delete_photos(self) -> int:
        """Delete every kept photo file, then forget their names; how many photos were deleted.

        The files go first: should the store be unreachable, no photo is left behind."""
        from deskstretch.store import repository as repo

        removed = remove_kept_photos(self.photos_dir)
        repo.clear_photo_files(self._coach.store)
        return removed
