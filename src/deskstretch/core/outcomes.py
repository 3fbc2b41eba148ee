"""Outcome measures: NPRS, ODI, RMDQ, PSFS and STarT Back scoring, and important-change rules
(including the "detectable change" rule for angles measured from photos, §5.3).

Pure: standard library only, no I/O; item ids and scoring, never item wording (§4.3). Past 400
lines because it holds one short section per instrument, all sharing the ImportantChange result.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType

from deskstretch.core.body_angles import rounded_angle
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.records import MeasurementKind


class ScoringError(DeskstretchError):
    """An answer that cannot be scored: names the instrument, the item and what was expected."""

    def __init__(self, instrument: str, item: str, expected: str, got: str) -> None:
        super().__init__(f"{instrument} answer '{item}': expected {expected}, got {got}.")
        self.instrument = instrument
        self.item = item
        self.expected = expected


def _int_in_range(instrument: str, item: str, value: object, low: int, high: int) -> int:
    # bool is an int subclass: True is not a valid 0-10 or 0-5 answer, so it is refused here.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScoringError(instrument, item, f"a whole number from {low} to {high}", repr(value))
    return value


def _finite(instrument: str, item: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScoringError(instrument, item, "a number", repr(value))
    return float(value)


# -- The shared important-change result -----------------------------------------------------------


class Direction(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


REAL_CHANGE = "a real change"
NORMAL_VARIATION = "within normal variation"
# A real change always says which way it went: a rise in pain is never just "a real change".
_REAL_CHANGE_WORDS: Mapping[Direction, str] = MappingProxyType(
    {
        Direction.BETTER: f"{REAL_CHANGE} for the better",
        Direction.WORSE: f"{REAL_CHANGE} for the worse",
        Direction.SAME: NORMAL_VARIATION,
    }
)


def verdict_words(real: bool, direction: Direction) -> str:
    """The verdict in words: a real change for the better or the worse, or normal variation."""
    return _REAL_CHANGE_WORDS[direction] if real else NORMAL_VARIATION


@dataclass(frozen=True)
class ImportantChange:
    """A before/after comparison of one measure, judged against its important-change rule.

    ``delta`` is the improvement in ``unit`` (positive = better, whichever way the scale runs);
    ``pct`` is ``delta`` as a share of ``before`` (None when ``before`` is 0 or the measure has no
    percentage rule). ``sentence`` is ready to show, e.g. "Back pain went from 6 to 3 (-3 points,
    50%): a real change for the better." (with a true minus sign).
    """

    measure: str
    before: float
    after: float
    delta: float
    pct: float | None
    unit: str
    threshold: str
    is_real_change: bool
    direction: Direction
    sentence: str

    @property
    def is_important(self) -> bool:
        return self.is_real_change

    @property
    def verdict(self) -> str:
        return verdict_words(self.is_real_change, self.direction)


def _number(value: float) -> str:
    text = str(int(value)) if value == int(value) else f"{value:.1f}"
    return text.replace("-", "−")


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _number(value)


def _sentence(
    measure: str, before: float, after: float, unit: str, pct: float | None, verdict: str
) -> str:
    suffix = f" {unit}" if unit == "cm" else ""
    if before == after:
        return f"{measure} stayed at {_number(before)}{suffix} (no change): {verdict}."
    raw = after - before
    unit_word = "point" if unit == "points" and abs(raw) == 1 else unit
    detail = f"{_signed(raw)} {unit_word}"
    if pct is not None:
        detail += f", {abs(pct):.0%}"
    return (
        f"{measure} went from {_number(before)}{suffix} to {_number(after)}{suffix} ({detail}):"
        f" {verdict}."
    )


def _judge(
    measure: str,
    before: float,
    after: float,
    *,
    lower_is_better: bool,
    unit: str,
    threshold: str,
    with_pct: bool,
    is_real: Callable[[float, float | None], bool],
) -> ImportantChange:
    """Build the result; ``is_real(abs_delta, abs_pct)`` applies the measure's rule."""
    # Rounded so that float noise (10.3 - 5.8 = 4.500000000000001) cannot flip a threshold.
    delta = round(before - after if lower_is_better else after - before, 9)
    pct = round(delta / abs(before), 9) if with_pct and before != 0 else None
    real = delta != 0 and is_real(abs(delta), None if pct is None else abs(pct))
    if delta > 0:
        direction = Direction.BETTER
    elif delta < 0:
        direction = Direction.WORSE
    else:
        direction = Direction.SAME
    sentence = _sentence(measure, before, after, unit, pct, verdict_words(real, direction))
    return ImportantChange(
        measure, before, after, delta, pct, unit, threshold, real, direction, sentence
    )


def _points_or_pct(points: float, share: float) -> Callable[[float, float | None], bool]:
    def rule(abs_delta: float, abs_pct: float | None) -> bool:
        return abs_delta >= points or (abs_pct is not None and abs_pct >= share)

    return rule


# -- NPRS (domain.md §4.1, §4.2) -------------------------------------------------------------------


class NprsBand(StrEnum):
    """Physiotherapy Canada NRS-11 bands: 0 none, 1-3 mild, 4-6 moderate, 7-10 severe."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


def nprs_band(value: int) -> NprsBand:
    _int_in_range("NPRS", "pain", value, 0, 10)
    if value == 0:
        return NprsBand.NONE
    if value <= 3:
        return NprsBand.MILD
    if value <= 6:
        return NprsBand.MODERATE
    return NprsBand.SEVERE


NPRS_POINTS = 2  # Farrar 2001; Ostelo 2008; also the LBP MDC (Childs 2005)
NPRS_SHARE = 0.30  # Farrar 2001; Ostelo 2008


def nprs_change(baseline: int, current: int, measure: str = "Pain") -> ImportantChange:
    """Whether a 0-10 pain rating changed by more than normal variation (either direction).

    The published rule exactly, with no extra guard: important when the rating moves 2+ points
    or 30%+ of the starting rating, up or down (Farrar 2001; Ostelo 2008; §4.1). So 8 -> 6 and
    8 -> 10 count (2 points), and so does 3 -> 2 (one point, but 33%). From a starting rating
    of 0 there is no percentage, so only the points rule applies (0 -> 1 does not count).
    """
    _int_in_range("NPRS", "baseline", baseline, 0, 10)
    _int_in_range("NPRS", "current", current, 0, 10)
    threshold = f"≥ {NPRS_POINTS} points or {NPRS_SHARE:.0%} of the starting rating"
    rule = _points_or_pct(NPRS_POINTS, NPRS_SHARE)
    return _judge(
        measure,
        baseline,
        current,
        lower_is_better=True,
        unit="points",
        threshold=threshold,
        with_pct=True,
        is_real=rule,
    )


# -- ODI v2.1a (Fairbank & Pynsent 2000; §4.2) ----------------------------------------------------

ODI_VERSION = "2.1a"
ODI_SECTIONS: tuple[str, ...] = (
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
)
# §4.2 Recommendation (ours): valid with 9+ sections answered (the AO rule), configurable to 8.
ODI_MIN_ANSWERED = 9


class OdiBand(StrEnum):
    """ODI bands as half-open intervals (§4.2), with neutral labels in place of the originals."""

    MINIMAL = "minimal"
    MODERATE = "moderate"
    SEVERE = "severe"
    VERY_SEVERE = "very_severe"
    EXTREME = "extreme"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


_ODI_BAND_TOPS: tuple[tuple[float, OdiBand], ...] = (
    (20, OdiBand.MINIMAL),
    (40, OdiBand.MODERATE),
    (60, OdiBand.SEVERE),
    (80, OdiBand.VERY_SEVERE),
    (100, OdiBand.EXTREME),
)


def odi_band(score: float) -> OdiBand:
    """[0,20] minimal, (20,40] moderate, (40,60] severe, (60,80] very severe, (80,100] extreme."""
    value = _finite("ODI", "score", score)
    if not 0 <= value <= 100:
        raise ScoringError("ODI", "score", "a number from 0 to 100", repr(score))
    return next(band for top, band in _ODI_BAND_TOPS if value <= top)


@dataclass(frozen=True)
class OdiScore:
    """An ODI result. ``score`` and ``band`` are None when too few sections were answered."""

    score: int | None
    band: OdiBand | None
    section_scores: Mapping[str, int]
    missing: tuple[str, ...]
    min_answered: int
    version: str = ODI_VERSION

    @property
    def answered(self) -> int:
        return len(self.section_scores)

    @property
    def raw_sum(self) -> int:
        return sum(self.section_scores.values())

    @property
    def is_valid(self) -> bool:
        return self.score is not None


def _odi_section(section: str, value: int | Sequence[int] | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, Sequence) and not isinstance(value, str):
        # Two statements ticked in one section: score the higher one (§4.2).
        ticked = [_int_in_range("ODI", section, item, 0, 5) for item in value]
        return max(ticked, default=None)
    return _int_in_range("ODI", section, value, 0, 5)


def score_odi(
    answers: Mapping[str, int | Sequence[int] | None], min_answered: int = ODI_MIN_ANSWERED
) -> OdiScore:
    """Score ODI v2.1a: round(100 * sum / (5 * answered)), sections 0-5, skipped ones left out.

    A section may hold a list of ticked statements; the highest counts. Unknown section ids and
    out-of-range answers raise ScoringError.
    """
    if not 1 <= min_answered <= len(ODI_SECTIONS):
        raise ValueError(f"min_answered must be 1 to {len(ODI_SECTIONS)}, got {min_answered}")
    for section in answers:
        if section not in ODI_SECTIONS:
            raise ScoringError("ODI", section, "one of " + ", ".join(ODI_SECTIONS), "unknown id")
    scores: dict[str, int] = {}
    missing: list[str] = []
    for section in ODI_SECTIONS:
        value = _odi_section(section, answers.get(section))
        if value is None:
            missing.append(section)
        else:
            scores[section] = value
    answered = len(scores)
    score: int | None = None
    band: OdiBand | None = None
    if answered >= min_answered:
        # 100 * total / (5 * n) = 20 * total / n, rounded half up in integers: the AO Stata module
        # and paper score sheets round 2.5 to 3, where Python's round() would give 2.
        total = sum(scores.values())
        score = (40 * total + answered) // (2 * answered)
        band = odi_band(score)
    return OdiScore(
        score, band, MappingProxyType(scores), tuple(missing), min_answered, ODI_VERSION
    )


ODI_POINTS = 10  # Ostelo 2008; also about the MDC(90%) on the scoring sheets
ODI_SHARE = 0.30  # Ostelo 2008


def odi_change(before: int, after: int) -> ImportantChange:
    """ODI change: 10 points or 30% of the starting score, either direction (Ostelo 2008)."""
    _int_in_range("ODI", "before", before, 0, 100)
    _int_in_range("ODI", "after", after, 0, 100)
    return _judge(
        "Your ODI score",
        before,
        after,
        lower_is_better=True,
        unit="points",
        threshold=f"≥ {ODI_POINTS} points or {ODI_SHARE:.0%}",
        with_pct=True,
        is_real=_points_or_pct(ODI_POINTS, ODI_SHARE),
    )


# -- RMDQ-24 (Roland & Morris 1983; §4.2) ---------------------------------------------------------

RMDQ_ITEMS: tuple[str, ...] = tuple(f"rmdq{number:02d}" for number in range(1, 25))
RMDQ_POINTS = 5  # Ostelo 2008; Maughan & Lewis 2010
RMDQ_SHARE = 0.30  # Ostelo 2008


@dataclass(frozen=True)
class RmdqScore:
    score: int
    ticked: tuple[str, ...]

    @property
    def near_floor_or_ceiling(self) -> bool:
        """Below 4 or above 20 the RMDQ detects change poorly (scientificspine.com, §4.1)."""
        return self.score < 4 or self.score > 20


def score_rmdq(answers: Mapping[str, bool | int | None]) -> RmdqScore:
    """Count the ticked statements (0-24). Unticked, skipped or absent items count as 0."""
    ticked: list[str] = []
    for item, value in answers.items():
        if item not in RMDQ_ITEMS:
            raise ScoringError("RMDQ", item, "an item id from rmdq01 to rmdq24", "unknown id")
        if value is None:
            continue
        if value not in (0, 1):
            raise ScoringError("RMDQ", item, "ticked (true or 1) or not (false or 0)", repr(value))
        if value:
            ticked.append(item)
    ticked.sort()
    return RmdqScore(len(ticked), tuple(ticked))


def rmdq_change(before: int, after: int) -> ImportantChange:
    """RMDQ change: 5 points or 30% of the starting score, either direction (Ostelo 2008)."""
    _int_in_range("RMDQ", "before", before, 0, 24)
    _int_in_range("RMDQ", "after", after, 0, 24)
    return _judge(
        "Your RMDQ score",
        before,
        after,
        lower_is_better=True,
        unit="points",
        threshold=f"≥ {RMDQ_POINTS} points or {RMDQ_SHARE:.0%}",
        with_pct=True,
        is_real=_points_or_pct(RMDQ_POINTS, RMDQ_SHARE),
    )


# -- PSFS (Stratford et al. 1995; §4.2) -----------------------------------------------------------

PSFS_MIN_ACTIVITIES = 1  # up to three asked (Stratford 1995); fewer judged more strictly
PSFS_MAX_ACTIVITIES = 5
PSFS_MEAN_POINTS = 2.0  # MDC(90%) of the mean (Stratford 1995)
PSFS_ACTIVITY_POINTS = 3.0  # MDC(90%) of a single activity (Stratford 1995)
PSFS_MEAN_MIN_ACTIVITIES = 3  # the mean's rule needs at least this many activities compared


@dataclass(frozen=True)
class PsfsScore:
    mean: float
    ratings: Mapping[str, int]


def score_psfs(ratings: Mapping[str, int]) -> PsfsScore:
    """The mean of 1-5 activity ratings, each 0 (unable) to 10 (as before the problem)."""
    count = len(ratings)
    if not PSFS_MIN_ACTIVITIES <= count <= PSFS_MAX_ACTIVITIES:
        expected = f"{PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} rated activities"
        raise ScoringError("PSFS", "activities", expected, str(count))
    checked = {name: _int_in_range("PSFS", name, value, 0, 10) for name, value in ratings.items()}
    return PsfsScore(sum(checked.values()) / count, MappingProxyType(checked))


@dataclass(frozen=True)
class PsfsChange:
    """PSFS change over the activities rated both times: the mean and each activity on its own."""

    mean: ImportantChange
    activities: tuple[ImportantChange, ...]
    compared: tuple[str, ...]
    not_compared: tuple[str, ...]

    @property
    def is_real_change(self) -> bool:
        return self.mean.is_real_change or any(a.is_real_change for a in self.activities)

    @property
    def sentence(self) -> str:
        real = [a.sentence for a in self.activities if a.is_real_change]
        return " ".join([self.mean.sentence, *real])


def psfs_change(
    before: Mapping[str, int], after: Mapping[str, int], names: Mapping[str, str] | None = None
) -> PsfsChange:
    """Compare two PSFS ratings on the activities present in both (re-rate the SAME activities).

    Meaningful if the mean moves 2+ points or any one activity 3+ points (Stratford 1995).
    ``names`` maps activity ids to display names.
    """
    score_psfs(before)
    score_psfs(after)
    compared = tuple(activity for activity in before if activity in after)
    if not compared:
        raise ScoringError("PSFS", "activities", "at least one activity rated both times", "none")
    not_compared = tuple(a for a in (*before, *after) if a not in compared)
    label = names or {}
    activities = tuple(
        _judge(
            label.get(activity, activity),
            before[activity],
            after[activity],
            lower_is_better=False,
            unit="points",
            threshold=f"≥ {_number(PSFS_ACTIVITY_POINTS)} points",
            with_pct=False,
            is_real=lambda abs_delta, _: abs_delta >= PSFS_ACTIVITY_POINTS,
        )
        for activity in compared
    )
    # The 2-point rule is for the mean of several activities; with one or two, the mean is little
    # steadier than a single rating, so the single-activity 3 points apply (Recommendation (ours)).
    mean_points = (
        PSFS_MEAN_POINTS if len(compared) >= PSFS_MEAN_MIN_ACTIVITIES else PSFS_ACTIVITY_POINTS
    )
    mean = _judge(
        "Your activity ratings",
        round(sum(before[a] for a in compared) / len(compared), 2),
        round(sum(after[a] for a in compared) / len(compared), 2),
        lower_is_better=False,
        unit="points",
        threshold=f"≥ {_number(mean_points)} points on average",
        with_pct=False,
        is_real=lambda abs_delta, _: abs_delta >= mean_points,
    )
    return PsfsChange(mean, activities, compared, not_compared)


# -- Keele STarT Back, 9 items (Hill et al. 2008; keele.ac.uk/sbst; §4.2) -------------------------

STARTBACK_ITEMS: tuple[str, ...] = tuple(f"sbst{number}" for number in range(1, 10))
STARTBACK_DISTRESS_ITEMS: tuple[str, ...] = STARTBACK_ITEMS[4:]  # items 5-9


class Bothersomeness(IntEnum):
    """The five answers to item 9; only the last two score a point."""

    NOT_AT_ALL = 0
    SLIGHTLY = 1
    MODERATELY = 2
    VERY_MUCH = 3
    EXTREMELY = 4


class StartBackRisk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


# Shown as information for a clinician, never as a verdict: Keele says the tool is part of a
# clinical assessment, not a stand-alone online screen; NICE NG59 suggests more support for the
# high-risk group (§4.2, Recommendation (ours)).
_STARTBACK_MESSAGES: Mapping[StartBackRisk, str] = MappingProxyType(
    {
        StartBackRisk.LOW: (
            "Your answers fall in the lower-risk group of this questionnaire. This is information"
            " to share with your clinician, who can put it alongside everything else they know"
            " about your back."
        ),
        StartBackRisk.MEDIUM: (
            "Your answers fall in the medium-risk group of this questionnaire. This is information"
            " to share with your clinician; people in this group often do well with some guidance"
            " from a physiotherapist."
        ),
        StartBackRisk.HIGH: (
            "Your answers fall in the higher-risk group of this questionnaire. This is information"
            " to share with your clinician. We suggest talking to a doctor or physiotherapist about"
            " extra support alongside these exercises, rather than relying on this app alone."
        ),
    }
)


@dataclass(frozen=True)
class StartBackResult:
    total: int
    distress: int
    risk: StartBackRisk
    message: str


def _startback_point(item: str, value: bool | int | None) -> int:
    if item == "sbst9":
        if value is None:
            raise ScoringError("STarT Back", item, "an answer from 0 to 4", "no answer")
        answer = Bothersomeness(_int_in_range("STarT Back", item, value, 0, 4))
        return 1 if answer >= Bothersomeness.VERY_MUCH else 0
    if value is None or value not in (0, 1):
        raise ScoringError("STarT Back", item, "agree (1) or disagree (0)", repr(value))
    return int(value)


def score_startback(answers: Mapping[str, bool | int | None]) -> StartBackResult:
    """Items 1-8: agree 1 / disagree 0; item 9: 0-4, "very much" or "extremely" score 1.

    Every item must be answered. Low if total <= 3; high if total >= 4 and distress (items 5-9)
    >= 4; medium otherwise.
    """
    for item in answers:
        if item not in STARTBACK_ITEMS:
            raise ScoringError("STarT Back", item, "an item id from sbst1 to sbst9", "unknown id")
    points = {item: _startback_point(item, answers.get(item)) for item in STARTBACK_ITEMS}
    total = sum(points.values())
    distress = sum(points[item] for item in STARTBACK_DISTRESS_ITEMS)
    if total <= 3:
        risk = StartBackRisk.LOW
    elif distress >= 4:
        risk = StartBackRisk.HIGH
    else:
        risk = StartBackRisk.MEDIUM
    return StartBackResult(total, distress, risk, _STARTBACK_MESSAGES[risk])


# -- Flexibility tests (§5.1) ---------------------------------------------------------------------

# Fingertip-to-floor: published MDC 4.5 cm (Ekedahl et al. 2012). A smaller distance is better.
FINGERTIP_TO_FLOOR_MDC_CM = 4.5

# Chair sit-and-reach: Recommendation (ours), NOT a published MDC. Jones et al. 1998 give
# test-retest ICC 0.92 (men) / 0.96 (women) but no SEM. Our estimate: the middle-50% range for men
# 60-64 (-2.5 to +4.0 in, Jones & Rikli 2002) implies a between-person SD of about 12 cm, so
# SEM = SD * sqrt(1 - ICC) is about 2.4-3.4 cm and a 95% MDC (1.96 * sqrt(2) * SEM) about 7-9 cm.
# We use the low end, 7 cm: a smaller change could be day-to-day noise. Larger reach is better.
# Replace this with a published MDC when one is found.
CHAIR_SIT_AND_REACH_ERROR_CM = 7.0

_FLEXIBILITY: Mapping[MeasurementKind, tuple[str, float, bool]] = MappingProxyType(
    {
        MeasurementKind.FINGERTIP_TO_FLOOR: (
            "Fingertip-to-floor distance",
            FINGERTIP_TO_FLOOR_MDC_CM,
            True,
        ),
        MeasurementKind.CHAIR_SIT_AND_REACH: (
            "Chair sit-and-reach",
            CHAIR_SIT_AND_REACH_ERROR_CM,
            False,
        ),
    }
)


def measurement_change(kind: MeasurementKind, before_cm: float, after_cm: float) -> ImportantChange:
    """Whether a flexibility result moved beyond measurement error.

    Compare only results taken with the same protocol and leg: zero points differ (§5.1).
    """
    measure, threshold_cm, lower_is_better = _FLEXIBILITY[kind]
    before = _finite(measure, "before_cm", before_cm)
    after = _finite(measure, "after_cm", after_cm)
    return _judge(
        measure,
        before,
        after,
        lower_is_better=lower_is_better,
        unit="cm",
        threshold=f"≥ {_number(threshold_cm)} cm",
        with_pct=False,
        is_real=lambda abs_delta, _: abs_delta >= threshold_cm,
    )


# -- Angles from side-view photos or the camera (§5.3) ---------------------------------------------

# Recommendation (ours), domain.md §5.3: a correctly set-up lateral photo measures each angle to
# about ±6°, so a change between sessions under 10° (one photo each time) is not detectable; the
# median of 3 photos on both sides narrows that to 6°.
ANGLE_CHANGE_SINGLE_DEG = 10.0
ANGLE_CHANGE_MEDIAN_DEG = 6.0
MEDIAN_PHOTOS = 3


def angle_change_threshold(photos_before: int, photos_after: int) -> float:
    """The smallest detectable change: 6° when both are the median of 3 photos (or camera
    frames), else 10°."""
    both_medians = min(photos_before, photos_after) >= MEDIAN_PHOTOS
    return ANGLE_CHANGE_MEDIAN_DEG if both_medians else ANGLE_CHANGE_SINGLE_DEG


@dataclass(frozen=True)
class AngleChange:
    """A forward-bend angle before and after, judged against the §5.3 rule.

    ``delta_deg`` is after - before (positive: folding further forward); ``detectable`` is True
    when its size reaches ``threshold_deg``. ``sentence`` is ready to show, e.g. "Forward-bend
    angle 45° → 55° (±6° each, a change of +5°): no detectable change (changes under 10° can be
    measurement error)."
    """

    before_deg: float
    after_deg: float
    delta_deg: float
    threshold_deg: float
    detectable: bool
    sentence: str


def forward_bend_change(
    before_deg: float,
    after_deg: float,
    *,
    photos_before: int,
    photos_after: int,
    uncertainty_deg: float = 6.0,
) -> AngleChange:
    """Whether the forward-bend angle moved beyond measurement error (domain.md §5.3).

    A larger forward-bend angle means folding further forward. Never called better or worse:
    the angle mixes hip, pelvis and spine (§5.2).
    """
    before = _finite("Forward-bend angle", "before_deg", before_deg)
    after = _finite("Forward-bend angle", "after_deg", after_deg)
    threshold = angle_change_threshold(photos_before, photos_after)
    delta = round(after - before, 9)
    detectable = abs(delta) >= threshold
    shown = f"{rounded_angle(before)}° → {rounded_angle(after)}°"
    # Whole degrees, unless rounding would lift a change below the threshold up to it.
    if not detectable and abs(round(delta)) >= threshold:
        change = f"{delta:+.1f}°"
    else:
        change = f"{round(delta):+d}°" if round(delta) else "0°"
    change = change.replace("-", "−")
    head = f"Forward-bend angle {shown} (±{uncertainty_deg:g}° each, a change of {change})"
    median_words = f"with {MEDIAN_PHOTOS} photos each time, " if threshold < 10 else ""
    if not detectable:
        sentence = (
            f"{head}: no detectable change ({median_words}changes under {threshold:g}° can be "
            "measurement error)."
        )
    else:
        way = "further" if delta > 0 else "less far"
        sentence = (
            f"{head}: a detectable change, you fold {way} forward ({median_words}changes of "
            f"{threshold:g}° or more are beyond measurement error)."
        )
    return AngleChange(before, after, delta, threshold, detectable, sentence)
