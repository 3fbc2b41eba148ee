"""Flexibility tests and questionnaires, first vs latest, judged by each measure's change rule.

Helpers for ``summary.summarise``; they take plain records and never read a database or clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from deskstretch.core.errors import DeskstretchError
from deskstretch.core.outcomes import (
    CHAIR_SIT_AND_REACH_ERROR_CM,
    FINGERTIP_TO_FLOOR_MDC_CM,
    ODI_POINTS,
    ODI_SHARE,
    PSFS_ACTIVITY_POINTS,
    PSFS_MEAN_POINTS,
    RMDQ_POINTS,
    RMDQ_SHARE,
    ImportantChange,
    PsfsChange,
    measurement_change,
    odi_change,
    psfs_change,
    rmdq_change,
    score_startback,
)
from deskstretch.core.records import (
    Instrument,
    Measurement,
    MeasurementKind,
    PsfsActivity,
    QuestionnaireResult,
)

# name, the change that exceeds measurement error, and which way is better (outcomes.py, §5.1)
FLEXIBILITY_TESTS: Mapping[MeasurementKind, tuple[str, float, str]] = {
    MeasurementKind.CHAIR_SIT_AND_REACH: (
        "Chair sit-and-reach",
        CHAIR_SIT_AND_REACH_ERROR_CM,
        "a longer reach is better",
    ),
    MeasurementKind.FINGERTIP_TO_FLOOR: (
        "Fingertip-to-floor",
        FINGERTIP_TO_FLOOR_MDC_CM,
        "a shorter distance is better",
    ),
}

INSTRUMENT_NAMES: Mapping[Instrument, str] = {
    Instrument.ODI: "Oswestry Disability Index (ODI)",
    Instrument.RMDQ: "Roland-Morris Disability Questionnaire (RMDQ)",
    Instrument.STARTBACK: "Keele STarT Back",
    Instrument.PSFS: "Patient-Specific Functional Scale (PSFS)",
}
INSTRUMENT_RULES: Mapping[Instrument, str] = {
    Instrument.ODI: f"≥ {ODI_POINTS} points or {ODI_SHARE:.0%}",
    Instrument.RMDQ: f"≥ {RMDQ_POINTS} points or {RMDQ_SHARE:.0%}",
    Instrument.STARTBACK: "not a change measure: it sorts answers into risk groups",
    Instrument.PSFS: (
        f"≥ {PSFS_MEAN_POINTS:g} points on average, or ≥ {PSFS_ACTIVITY_POINTS:g} on one activity"
    ),
}
_ORDER = (Instrument.ODI, Instrument.RMDQ, Instrument.PSFS, Instrument.STARTBACK)
STARTBACK_NOTE = "This is information to share with your clinician, not a diagnosis."


@dataclass(frozen=True)
class FlexibilitySeries:
    """One flexibility test on one leg with one protocol (zero points differ, §5.1)."""

    kind: MeasurementKind
    protocol: str
    leg: str | None
    points: tuple[tuple[date, float], ...]
    change: ImportantChange | None

    @property
    def name(self) -> str:
        return FLEXIBILITY_TESTS[self.kind][0]

    @property
    def label(self) -> str:
        return f"{self.name}, {self.leg} leg" if self.leg else self.name

    @property
    def rule(self) -> str:
        _, error_cm, better = FLEXIBILITY_TESTS[self.kind]
        return f"≥ {error_cm:g} cm (beyond measurement error); {better}"


def flexibility_series(
    measurements: Iterable[Measurement], tz: tzinfo
) -> tuple[FlexibilitySeries, ...]:
    """Group by test, protocol and leg; compare the first result with the latest."""
    groups: defaultdict[tuple[MeasurementKind, str, str | None], list[Measurement]]
    groups = defaultdict(list)
    for measurement in measurements:
        groups[(measurement.kind, measurement.protocol, measurement.leg)].append(measurement)
    series: list[FlexibilitySeries] = []
    for (kind, protocol, leg), found in sorted(
        groups.items(), key=lambda item: (item[0][0].value, item[0][1], item[0][2] or "")
    ):
        found.sort(key=lambda m: m.at)
        points = tuple((m.at.astimezone(tz).date(), m.value_cm) for m in found)
        change = None
        if len(found) >= 2:
            change = measurement_change(kind, found[0].value_cm, found[-1].value_cm)
        series.append(FlexibilitySeries(kind, protocol, leg, points, change))
    return tuple(series)


@dataclass(frozen=True)
class ScorePoint:
    day: date
    score: float
    label: str


@dataclass(frozen=True)
class InstrumentSummary:
    """One questionnaire over time; ``change`` compares the first result with the latest."""

    instrument: Instrument
    points: tuple[ScorePoint, ...]
    change: ImportantChange | None
    psfs: PsfsChange | None = None
    note: str = ""

    @property
    def name(self) -> str:
        return INSTRUMENT_NAMES[self.instrument]

    @property
    def rule(self) -> str:
        return INSTRUMENT_RULES[self.instrument]

    @property
    def first(self) -> ScorePoint:
        return self.points[0]

    @property
    def latest(self) -> ScorePoint:
        return self.points[-1]

    @property
    def sentence(self) -> str:
        if self.psfs is not None:
            return self.psfs.sentence
        return self.change.sentence if self.change is not None else ""


@dataclass(frozen=True)
class PsfsActivitySummary:
    """One chosen activity: its rating in the first and the latest PSFS (None = not rated)."""

    activity_id: str
    name: str
    first: int | None
    latest: int | None
    retired: bool
    change: ImportantChange | None


def _ratings(result: QuestionnaireResult) -> dict[str, int]:
    return {item: value for item, value in result.answers.items() if value is not None}


def _change(first: QuestionnaireResult, latest: QuestionnaireResult) -> ImportantChange | None:
    before, after = round(first.score), round(latest.score)
    if first.instrument is Instrument.ODI:
        return odi_change(before, after)
    if first.instrument is Instrument.RMDQ:
        return rmdq_change(before, after)
    return None


def _startback_note(latest: QuestionnaireResult) -> str:
    try:
        return score_startback(latest.answers).message
    except DeskstretchError:
        return STARTBACK_NOTE


def questionnaire_summaries(
    results: Iterable[QuestionnaireResult], activities: Iterable[PsfsActivity], tz: tzinfo
) -> tuple[tuple[InstrumentSummary, ...], tuple[PsfsActivitySummary, ...]]:
    """Per instrument (ODI, RMDQ, PSFS, STarT Back) and, for the PSFS, per activity.

    A pair that cannot be scored (a stored score out of range, PSFS with too few activities rated
    both times) is shown without a change and with a note saying why.
    """
    by_instrument: defaultdict[Instrument, list[QuestionnaireResult]] = defaultdict(list)
    for result in results:
        by_instrument[result.instrument].append(result)
    names = {activity.id: activity.name for activity in activities}
    retired = {activity.id for activity in activities if activity.retired_at is not None}
    summaries: list[InstrumentSummary] = []
    psfs_rows: list[PsfsActivitySummary] = []
    for instrument in _ORDER:
        found = sorted(by_instrument.get(instrument, ()), key=lambda r: r.at)
        if not found:
            continue
        points = tuple(ScorePoint(r.at.astimezone(tz).date(), r.score, r.label) for r in found)
        first, latest = found[0], found[-1]
        change: ImportantChange | None = None
        psfs: PsfsChange | None = None
        note = ""
        if instrument is Instrument.STARTBACK:
            note = _startback_note(latest)
        elif len(found) >= 2:
            try:
                if instrument is Instrument.PSFS:
                    psfs = psfs_change(_ratings(first), _ratings(latest), names)
                    change = psfs.mean
                else:
                    change = _change(first, latest)
            except DeskstretchError as error:
                note = f"Not compared: {error}"
        if instrument is Instrument.PSFS:
            psfs_rows = _psfs_rows(first, latest, psfs, names, retired)
        summaries.append(InstrumentSummary(instrument, points, change, psfs, note))
    return tuple(summaries), tuple(psfs_rows)


def _psfs_rows(
    first: QuestionnaireResult,
    latest: QuestionnaireResult,
    psfs: PsfsChange | None,
    names: Mapping[str, str],
    retired: set[str],
) -> list[PsfsActivitySummary]:
    before, after = _ratings(first), _ratings(latest)
    changes = dict(zip(psfs.compared, psfs.activities, strict=True)) if psfs else {}
    ids = list(dict.fromkeys((*before, *after)))
    return [
        PsfsActivitySummary(
            activity_id,
            names.get(activity_id, activity_id),
            before.get(activity_id),
            after.get(activity_id),
            activity_id in retired,
            changes.get(activity_id),
        )
        for activity_id in ids
    ]
