"""What the photo-assessment pages show: the upload form and its limits, each photo's result
(angles rounded to 5° with their ±6°, every problem with its advice), the stored median, the
forward-bend history for Progress, and the results held in memory between upload and page."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from markupsafe import Markup

from deskstretch.coach.assessments import AssessmentOutcome, PhotoResult
from deskstretch.core.body_angles import ANGLE_UNCERTAINTY_DEG, PhotoTest, Problem
from deskstretch.core.records import ASSESSMENT_MAX_PHOTOS, NOTE_MAX_CHARS, Assessment
from deskstretch.web.forms import NOT_FILLED, Filled

if TYPE_CHECKING:
    from deskstretch.coach import Coach

MAX_PHOTOS = ASSESSMENT_MAX_PHOTOS
PHOTO_MAX_BYTES = 15_000_000
"""Each photo: a phone photo is 2 to 8 MB; the whole upload's limit is in web.security."""
ROUND_TO_DEG = 5
RESULT_SECONDS = 15 * 60
RESULTS_KEPT = 8
ACCEPT = "image/jpeg,image/png,image/webp"
"""What the file field offers. A phone turns its own formats (HEIC) into JPEG for such a field."""

TEST_LABELS: dict[PhotoTest, str] = {
    PhotoTest.CHAIR_SIT_AND_REACH: "Chair sit-and-reach",
    PhotoTest.STANDING_FORWARD_BEND: "Standing forward bend",
}
TEST_HINTS: dict[PhotoTest, str] = {
    PhotoTest.CHAIR_SIT_AND_REACH: "seated, one leg straight: the gentler one",
    PhotoTest.STANDING_FORWARD_BEND: "standing, knees straight, reaching down",
}
PROBLEM_TITLES: dict[Problem, str] = {
    Problem.NO_PERSON: "No person found",
    Problem.SEVERAL_PEOPLE: "More than one person",
    Problem.LEGS_CUT_OFF: "Legs cut off",
    Problem.LOW_VISIBILITY: "Body not clear enough",
    Problem.OBLIQUE_VIEW: "Not a true side view",
    Problem.KNEE_BENT: "Knee bent",
}


def rounded(degrees: float) -> int:
    """An angle as shown: to the nearest 5° (domain.md §5.3), never more precise than it is."""
    return int(ROUND_TO_DEG * round(degrees / ROUND_TO_DEG))


@dataclass(frozen=True)
class AngleView:
    label: str
    degrees: int
    uncertainty: int
    hint: str = ""

    @property
    def text(self) -> str:
        return f"{self.degrees}° ± {self.uncertainty}°"


def angle_views(
    forward_bend: float, knee_deficit: float, trunk: float, uncertainty: float
) -> tuple[AngleView, ...]:
    plus_minus = round(uncertainty)
    return (
        AngleView(
            "Forward-bend angle",
            rounded(forward_bend),
            plus_minus,
            "how far your trunk has turned forward from the line of your thigh (0° upright)",
        ),
        AngleView(
            "Knee bend",
            rounded(knee_deficit),
            plus_minus,
            "0° is a straight knee; over 10° and the test does not count",
        ),
        AngleView(
            "Trunk lean",
            rounded(trunk),
            plus_minus,
            "your trunk against the upright (needs the phone held level)",
        ),
    )


@dataclass(frozen=True)
class ProblemView:
    title: str
    advice: str


@dataclass(frozen=True)
class PhotoView:
    """One photo as the result shows it: the annotated image (a data: URL, or '' when no person
    was found), its angles, and why it did not count."""

    number: int
    name: str
    image: str
    side: str
    angles: tuple[AngleView, ...]
    problems: tuple[ProblemView, ...]
    counts: bool


def photo_view(number: int, result: PhotoResult) -> PhotoView:
    check = result.check
    image = ""
    if result.annotated_jpeg:
        image = "data:image/jpeg;base64," + base64.b64encode(result.annotated_jpeg).decode("ascii")
    angles: tuple[AngleView, ...] = ()
    side = ""
    if check.angles is not None:
        a = check.angles
        side = a.side.value
        angles = angle_views(
            a.forward_bend_deg, a.knee_deficit_deg, a.trunk_inclination_deg, ANGLE_UNCERTAINTY_DEG
        )
    problems = tuple(
        ProblemView(PROBLEM_TITLES.get(p.problem, "Problem"), p.advice) for p in check.problems
    )
    return PhotoView(number, result.name, image, side, angles, problems, check.counts)


@dataclass(frozen=True)
class AssessForm:
    """The upload form: empty, or sent back with its problems (``filled``) and, when the photos
    were read but none could be measured, what each one showed (``photos``)."""

    filled: Filled = NOT_FILLED
    photos: tuple[PhotoView, ...] = ()
    unavailable: str = ""
    """What to install when the vision extra is missing ('' when it is there)."""
    blocked: str = ""
    """Why the test is not offered now (the safety lock, a condition), or ''."""
    tests: tuple[tuple[str, str, str], ...] = tuple(
        (test.value, TEST_LABELS[test], TEST_HINTS[test]) for test in PhotoTest
    )
    max_photos: int = MAX_PHOTOS
    photo_max_mb: int = PHOTO_MAX_BYTES // 1_000_000
    accept: str = ACCEPT
    note_max_chars: int = NOTE_MAX_CHARS

    def chosen_test(self) -> str:
        return self.filled.value("test") or PhotoTest.CHAIR_SIT_AND_REACH.value


@dataclass(frozen=True)
class ResultPage:
    token: str
    test: str
    photos: tuple[PhotoView, ...]
    assessment: Assessment
    angles: tuple[AngleView, ...]
    sentences: tuple[str, ...]
    left_out: int

    @property
    def kept(self) -> bool:
        return self.assessment.photo_file is not None


def result_page(token: str, outcome: AssessmentOutcome) -> ResultPage | None:
    a = outcome.assessment
    if a is None:
        return None
    photos = tuple(photo_view(i, result) for i, result in enumerate(outcome.photos, start=1))
    return ResultPage(
        token,
        TEST_LABELS[a.test],
        photos,
        a,
        angle_views(
            a.forward_bend_deg, a.knee_deficit_deg, a.trunk_inclination_deg, a.uncertainty_deg
        ),
        outcome.sentences,
        sum(not photo.counts for photo in photos),
    )


# -- results between the upload and their page ----------------------------------------------------


@dataclass
class RecentResults:
    """Each upload's outcome, kept in this process's memory only (never on disk) so that its page
    can be shown after a redirect (a reload then never measures, or stores, twice): for
    ``RESULT_SECONDS``, the latest ``RESULTS_KEPT`` at most."""

    seconds: float = RESULT_SECONDS
    kept: int = RESULTS_KEPT
    _items: OrderedDict[str, tuple[float, AssessmentOutcome]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, outcome: AssessmentOutcome) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._expire()
            self._items[token] = (time.monotonic(), outcome)
            while len(self._items) > self.kept:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> AssessmentOutcome | None:
        with self._lock:
            self._expire()
            found = self._items.get(token)
        return found[1] if found else None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, (at, _) in self._items.items() if now - at > self.seconds]:
            del self._items[token]


# -- the forward-bend history, for Progress -------------------------------------------------------


@dataclass(frozen=True)
class BendRow:
    """One assessment as Progress lists it."""

    id: str
    day: date
    degrees: int
    uncertainty: int
    photos: int
    source: str
    kept: bool
    note: str


@dataclass(frozen=True)
class BendSeries:
    """One test's assessments, oldest first, charted, with the coach's honest comparison."""

    test: PhotoTest
    label: str
    rows: tuple[BendRow, ...]
    sentences: tuple[str, ...]
    chart: Markup

    @property
    def first(self) -> BendRow:
        return self.rows[0]

    @property
    def latest(self) -> BendRow:
        return self.rows[-1]


def bend_progress(coach: Coach) -> tuple[BendSeries, ...]:
    """Each photo test with assessments (the two tests' angles are not comparable)."""
    from deskstretch.web.svg_charts import bend_chart

    tz = coach.local_tz()
    series = []
    for test in PhotoTest:
        history = coach.assessments.history(test)
        latest = coach.assessments.latest(test)
        if not history or latest is None:
            continue
        rows = tuple(
            BendRow(
                a.id,
                a.at.astimezone(tz).date(),
                rounded(a.forward_bend_deg),
                round(a.uncertainty_deg),
                a.photos,
                a.source,
                a.photo_file is not None,
                a.note,
            )
            for a in history
        )
        points = [(row.day, row.degrees, row.uncertainty) for row in rows]
        chart = bend_chart(f"bend-{test.value}", TEST_LABELS[test], points)
        series.append(BendSeries(test, TEST_LABELS[test], rows, latest[1], chart))
    return tuple(series)
