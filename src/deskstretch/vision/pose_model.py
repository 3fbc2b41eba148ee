"""The pose model behind a small interface: an image in, 33 pixel landmarks out (or None).

``PoseModel`` wraps mediapipe's legacy ``solutions.pose`` with ``model_complexity=1``, the only
model its wheel bundles (other complexities download at run time and fail offline; stack-notes
§1). Geometry and gates take any ``LandmarkSource``, so tests can feed fixed landmarks.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import warnings
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from deskstretch.core.body_angles import LANDMARK_COUNT, Landmark
from deskstretch.vision.extra import require_vision

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MODEL_COMPLEXITY = 1  # the bundled full model: never change (see the module docstring)
MIN_DETECTION_CONFIDENCE = 0.5
PERSON_SCORE = 0.7
"""For counting people, the pose detector's score a detection needs. On our fixtures (as taken,
mirrored, halved, doubled, padded, turned 5° either way; 102 frames of walking.mp4) every real
person scored 0.82 or more and nothing else reached the detector's own floor of 0.5."""


class LandmarkSource(Protocol):
    """Anything that finds one person's landmarks, in pixels, in a BGR image."""

    def landmarks(self, image: NDArray[np.uint8]) -> list[Landmark] | None: ...


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null: mediapipe's C++ start-up lines (absl, TFLite)
    bypass Python and cannot be filtered otherwise. Only held while the model starts."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_PROTOBUF_WARNING = r"SymbolDatabase\.GetPrototype\(\) is deprecated"


def _silence_python_warnings() -> None:
    """mediapipe 0.10.14 calls a protobuf API that warns on every ``process()``. The filter is
    added again whenever it is missing (a test runner, for one, resets filters per test)."""
    for action, message, category, _, _ in warnings.filters:
        pattern = getattr(message, "pattern", None)
        if action == "ignore" and pattern == _PROTOBUF_WARNING and category is UserWarning:
            return
    warnings.filterwarnings("ignore", message=_PROTOBUF_WARNING, category=UserWarning)


class PoseModel:
    """One person's 33 landmarks per image, in pixels; a context manager that closes the model.

    ``static=True`` treats every image on its own (photos); ``static=False`` tracks a person
    from frame to frame (live video: faster, steadier). Images are BGR, as OpenCV decodes them.
    Safe to share between threads: calls take turns.
    """

    def __init__(self, solution: Any, *, static: bool) -> None:
        self._solution = solution
        self._lock = threading.Lock()
        self._detector: PersonDetector | None = None
        self._twin: PoseModel | None = None
        self.static = static
        self.closed = False

    def detector(self) -> PersonDetector:
        """The pose detector alone, for counting people in a photo; built on first use and
        closed with this model."""
        if not self.static:
            raise ValueError("people are counted in photos only (a static model)")
        with self._lock:
            if self.closed:
                raise RuntimeError("the pose model is closed")
            if self._detector is None:
                self._detector = open_person_detector()
            return self._detector

    def twin(self) -> PoseModel:
        """A second photo model like this one, for a pass that runs alongside this model's in
        another thread (the mirror image of a photo); built on first use, closed with this one."""
        if not self.static:
            raise ValueError("a twin is for photos (a static model)")
        with self._lock:
            if self.closed:
                raise RuntimeError("the pose model is closed")
            if self._twin is None:
                self._twin = open_pose_model(static=True)
            return self._twin

    def landmarks(self, image: NDArray[np.uint8]) -> list[Landmark] | None:
        import cv2

        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"expected a BGR image (height x width x 3), got {image.shape}")
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        _silence_python_warnings()
        with self._lock:
            if self.closed:
                raise RuntimeError("the pose model is closed")
            result = self._solution.process(rgb)
        found = result.pose_landmarks
        if found is None:
            return None
        height, width = image.shape[:2]
        points = [
            Landmark(x=p.x * width, y=p.y * height, visibility=p.visibility) for p in found.landmark
        ]
        return points if len(points) == LANDMARK_COUNT else None

    def close(self) -> None:
        with self._lock:
            if not self.closed:
                self._solution.close()
                self.closed = True
            helpers: tuple[PersonDetector | PoseModel | None, ...] = (self._detector, self._twin)
            self._detector = self._twin = None
        for helper in helpers:
            if helper is not None:
                helper.close()

    def __enter__(self) -> PoseModel:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class PersonDetector:
    """How many people a photo shows, by mediapipe's pose detector (no landmarks): one pass of
    about 15 ms on our machine, a third of a full landmark pass. Calls take turns."""

    def __init__(self, solution: Any) -> None:
        self._solution = solution
        self._lock = threading.Lock()
        self.closed = False

    def scores(self, image: NDArray[np.uint8]) -> list[float]:
        """The detector's score for each person-like region of a BGR image, best first."""
        import cv2

        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        _silence_python_warnings()
        with self._lock:
            if self.closed:
                raise RuntimeError("the person detector is closed")
            result = self._solution.process({"image": rgb})
        found = result.detections or []
        return sorted((float(d.score[0]) for d in found if d.score), reverse=True)

    def count(self, image: NDArray[np.uint8]) -> int:
        """The people in a BGR image: detections scoring at least ``PERSON_SCORE``."""
        return sum(score >= PERSON_SCORE for score in self.scores(image))

    def close(self) -> None:
        with self._lock:
            if not self.closed:
                self._solution.close()
                self.closed = True


def open_person_detector() -> PersonDetector:
    """Build the first stage of mediapipe's pose graph on its own: every person-like region in
    the image after non-maximum suppression, where the full graph keeps only the first. Its
    model is bundled with mediapipe, like the pose model."""
    require_vision()
    _silence_python_warnings()
    import numpy as np

    with quiet_stderr():
        from mediapipe.framework import calculator_pb2
        from mediapipe.python.solution_base import SolutionBase

        config = calculator_pb2.CalculatorGraphConfig(
            input_stream=["image"], output_stream=["detections"]
        )
        config.node.add(
            calculator="PoseDetectionCpu",
            input_stream=["IMAGE:image"],
            output_stream=["DETECTIONS:detections"],
        )
        solution = SolutionBase(graph_config=config, outputs=["detections"])
        try:
            solution.process({"image": np.zeros((64, 64, 3), np.uint8)})
        except BaseException:
            solution.close()
            raise
    return PersonDetector(solution)


def open_pose_model(
    static: bool = True, *, min_detection_confidence: float = MIN_DETECTION_CONFIDENCE
) -> PoseModel:
    """Build the pose model and run it once on a blank image, so its start-up cost (about
    0.2 s) and its start-up log lines are paid here, quietly, not on the first real image."""
    require_vision()
    _silence_python_warnings()
    import numpy as np

    with quiet_stderr():
        import mediapipe as mp

        solution = mp.solutions.pose.Pose(
            static_image_mode=static,
            model_complexity=MODEL_COMPLEXITY,
            min_detection_confidence=min_detection_confidence,
        )
        try:
            solution.process(np.zeros((64, 64, 3), np.uint8))
        except BaseException:
            solution.close()
            raise
    return PoseModel(solution, static=static)
