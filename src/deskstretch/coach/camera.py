"""Live camera coaching for the browser player: an exercise's form target, one camera frame ->
angles and a verdict, and a measurement saved only when the person asks for it.

Frames live in memory only: nothing is written unless ``LiveSession.save`` is called.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from deskstretch.core import extras
from deskstretch.core.body_angles import BodyAngles, PhotoTest, measure
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.form_check import (
    FormTarget,
    FormVerdict,
    check_form,
    form_target,
    without_gate,
)
from deskstretch.core.models import Side

if TYPE_CHECKING:
    from deskstretch.coach import Coach
    from deskstretch.coach.assessments import AssessmentOutcome

MAX_LIVE_SESSIONS = 2
"""Camera analysers open at once (each is a model on the CPU): a second tab may coach too."""
SAVE_FRAMES = 30
"""A saved measurement is the median of the last in-position frames, up to this many (~1 s)."""
MIN_SAVE_FRAMES = 10
"""... and needs at least this many: a third of a second held still in view."""

SAVABLE: dict[str, PhotoTest] = {
    "seated-hamstring-hinge": PhotoTest.CHAIR_SIT_AND_REACH,
    "seated-hamstring-contract-relax": PhotoTest.CHAIR_SIT_AND_REACH,
}
"""Held positions that are a flexibility test's position (domain.md §5.1: seated, one leg
straight, hinging forward): only these can be saved as a measurement. The standing hamstring
stretches are not the standing forward bend (one leg forward, or a heel raised), so they are not."""


class CameraError(DeskstretchError):
    """A frame or a request the live camera cannot use; the message says what was expected."""


@dataclass(frozen=True)
class LiveReading:
    """One frame: whether a person was found, the angles on the working side, the verdict."""

    found: bool
    angles: BodyAngles | None
    verdict: FormVerdict
    target: FormTarget


class CameraCoaching:
    """``coach.camera``: opens live analysers and gives form targets."""

    def __init__(self, coach: Coach) -> None:
        self._coach = coach
        self._lock = threading.Lock()
        self._open = 0

    def unavailable_reason(self) -> str | None:
        """None when the vision extra is installed, else what to install."""
        return extras.unavailable_reason(extras.VISION)

    def target(self, exercise_id: str, side: str = "both", kind: str = "hold") -> FormTarget:
        """The form target of ``exercise_id``'s held position for a segment of ``kind`` on
        ``side`` ("left", "right", "both"); parts other than a hold get no position gate."""
        try:
            step_side = Side(side)
        except ValueError:
            raise CameraError(f"side: expected left, right or both, got {side!r}") from None
        target = form_target(self._coach.find_exercise(exercise_id), step_side)
        return target if kind == "hold" or not target.gated else without_gate(target)

    def savable(self, exercise_id: str, kind: str) -> PhotoTest | None:
        """The test a hold of ``exercise_id`` can be saved as (None: it cannot be saved)."""
        return SAVABLE.get(exercise_id) if kind == "hold" else None

    def open(self) -> LiveSession:
        """A live analyser with its own video-mode pose model; close it (or use ``with``).

        Raises VisionUnavailable without the vision extra, CameraError when too many are open.
        """
        from deskstretch.vision import open_pose_model

        with self._lock:
            if self._open >= MAX_LIVE_SESSIONS:
                raise CameraError(
                    f"Camera coaching is already on in {MAX_LIVE_SESSIONS} tabs or windows: turn"
                    " it off in one of them first."
                )
            self._open += 1
        try:
            model = open_pose_model(static=False)
        except BaseException:
            self._closed()
            raise
        return LiveSession(self, model)

    def _closed(self) -> None:
        with self._lock:
            self._open = max(0, self._open - 1)

    def _record(
        self, angles: list[BodyAngles], test: PhotoTest, note: str, now: datetime | None
    ) -> AssessmentOutcome:
        return self._coach.assessments.record_angles(
            angles, test, source="camera", note=note, now=now
        )


class LiveSession:
    """One connection's analyser: aim at a segment, analyse frames, save on request."""

    def __init__(self, camera: CameraCoaching, model: Any) -> None:
        self._camera = camera
        self._model = model
        self._target: FormTarget | None = None
        self._test: PhotoTest | None = None
        self._held: deque[BodyAngles] = deque(maxlen=SAVE_FRAMES)
        self._closed = False

    def __enter__(self) -> LiveSession:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def target(self) -> FormTarget | None:
        return self._target

    @property
    def savable(self) -> PhotoTest | None:
        return self._test

    def aim(self, exercise_id: str, side: str = "both", kind: str = "hold") -> FormTarget:
        """Check frames against this segment's target from now on."""
        target = self._camera.target(exercise_id, side, kind)
        if target != self._target:
            self._held.clear()
        self._target = target
        self._test = self._camera.savable(exercise_id, kind)
        return target

    def analyse(self, jpeg: bytes) -> LiveReading:
        """One JPEG frame -> the angles on the working side and the verdict (nothing kept but
        the last in-position angles of a savable hold, in memory)."""
        from deskstretch.vision import PhotoError, decode_frame

        target = self._target
        if target is None:
            raise CameraError("Say which exercise is playing before sending camera frames.")
        try:
            image = decode_frame(jpeg)
        except PhotoError as error:
            raise CameraError(str(error)) from None
        landmarks = self._model.landmarks(image)
        if landmarks is None:
            verdict = FormVerdict(
                in_position=not target.gated,
                cue="Step into view, side-on to the camera" if target.gated else None,
                gated=target.gated,
            )
            return LiveReading(found=False, angles=None, verdict=verdict, target=target)
        angles = measure(landmarks, target.side)
        verdict = check_form(angles, target)
        if self._test is not None and verdict.in_position and verdict.gated:
            self._held.append(angles)
        return LiveReading(found=True, angles=angles, verdict=verdict, target=target)

    def save(self, note: str = "", now: datetime | None = None) -> AssessmentOutcome:
        """Store the median of the last in-position frames as a camera measurement."""
        if self._test is None:
            raise CameraError(
                "Only the held position of the seated hamstring stretches can be saved as a"
                " measurement (it is the chair sit-and-reach position)."
            )
        if len(self._held) < MIN_SAVE_FRAMES:
            raise CameraError(
                "Hold the position in view of the camera for a moment (until it says you are in"
                " position), then save."
            )
        outcome: AssessmentOutcome = self._camera._record(list(self._held), self._test, note, now)
        self._held.clear()
        return outcome

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._held.clear()
        try:
            self._model.close()
        finally:
            self._camera._closed()
