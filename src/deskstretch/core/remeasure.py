"""The programme's re-measure check: which measures the latest re-measure week asks for, and which
of them the person has already recorded in its window.

Pure: standard library only, no I/O, no clock reads; ``today`` and the time zone come in. The
measures are those of issue 11 (and docs/programme-format.md): the PSFS activities, back and leg
pain, the reach (a flexibility test), and the ODI or RMDQ only when the person supplied their
wording; and, optional (never holding the check open, since not everyone has a camera), the
forward bend measured from side-view photos (issue 13). A measure counts as done once a record
of it falls in the window: from the first day of the re-measure week (for week 1, from 7 days
before the start, as the end-of-programme review reads its baselines there) to ``today``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from deskstretch.core.records import (
    Assessment,
    CheckIn,
    Instrument,
    Measurement,
    QuestionnaireResult,
)

WEEK = timedelta(days=7)


class Measure(StrEnum):
    ACTIVITIES = "activities"
    PAIN = "pain"
    REACH = "reach"
    ODI = "odi"
    RMDQ = "rmdq"
    PHOTO = "photo"


QUESTIONNAIRES: dict[Measure, Instrument] = {
    Measure.ODI: Instrument.ODI,
    Measure.RMDQ: Instrument.RMDQ,
}
"""The questionnaires a re-measure asks for when their wording was supplied (STarT Back is not a
change measure, so it is never asked again)."""

LABELS: dict[Measure, str] = {
    Measure.ACTIVITIES: "Rate your everyday activities",
    Measure.PAIN: "Rate your back and leg pain",
    Measure.REACH: "Measure your reach (the chair sit-and-reach)",
    Measure.ODI: "Fill in the ODI questionnaire",
    Measure.RMDQ: "Fill in the RMDQ questionnaire",
    Measure.PHOTO: "Optional: measure your forward bend from side-view photos",
}
"""What each measure asks, in the words both front ends show."""


OPTIONAL: frozenset[Measure] = frozenset({Measure.PHOTO})
"""Measures offered but never waited for: the check is complete without them."""


@dataclass(frozen=True)
class RemeasureItem:
    measure: Measure
    done: bool

    @property
    def optional(self) -> bool:
        return self.measure in OPTIONAL

    @property
    def label(self) -> str:
        return LABELS[self.measure]


@dataclass(frozen=True)
class RemeasureCheck:
    """The latest re-measure week reached, its window's first day and each measure it asks for."""

    week: int
    opens_on: date
    items: tuple[RemeasureItem, ...]

    @property
    def is_complete(self) -> bool:
        """Every measure asked for is recorded (the optional ones do not count)."""
        return all(item.done for item in self.items if not item.optional)

    @property
    def pending(self) -> tuple[Measure, ...]:
        """The measures still to record, optional ones left out."""
        return tuple(item.measure for item in self.items if not item.done and not item.optional)


def remeasure_window(
    remeasure_weeks: Iterable[int], weeks: int, started: date, today: date
) -> tuple[int, date] | None:
    """(week, first day of its window) of the latest re-measure week reached by ``today``, or
    None before the first (as ``core.programme.standing``: a finished programme keeps its last)."""
    week_no = (max(today, started) - started).days // 7 + 1
    reached = [week for week in remeasure_weeks if week <= min(week_no, weeks)]
    if not reached:
        return None
    latest = max(reached)
    opens = started + WEEK * (latest - 1)
    return latest, (opens - WEEK if latest == 1 else opens)


def _since(day: date) -> datetime:
    """A moment before ``day`` began in every time zone (offsets are under a day)."""
    return datetime.combine(day - timedelta(days=1), time.min, UTC)


def remeasure_check(
    remeasure_weeks: Iterable[int],
    weeks: int,
    started: date,
    today: date,
    tz: tzinfo,
    *,
    checkins: Iterable[CheckIn],
    measurements: Iterable[Measurement],
    results: Iterable[QuestionnaireResult],
    questionnaires: Collection[Instrument] = (),
    reach: bool = True,
    assessments: Iterable[Assessment] = (),
    photo: bool = False,
) -> RemeasureCheck | None:
    """The re-measure check on ``today`` of a programme of ``weeks`` weeks begun on ``started``.

    ``questionnaires``: the instruments whose wording the person supplied (only the ODI and the
    RMDQ are asked); ``reach``: False when a flexibility test is not advised for the person;
    ``photo``: True to offer the optional photo assessment (done by any of ``assessments`` in the
    window).
    """
    window = remeasure_window(remeasure_weeks, weeks, started, today)
    if window is None:
        return None
    week, opens = window
    cutoff = _since(opens)  # a cheap first filter: a year of check-ins is mostly before it

    def inside(at: datetime) -> bool:
        return at >= cutoff and opens <= at.astimezone(tz).date() <= today

    pain = any(inside(c.at) for c in checkins if c.back_pain is not None or c.leg_pain is not None)
    rated = {r.instrument for r in results if inside(r.at)}
    items = [
        RemeasureItem(Measure.ACTIVITIES, Instrument.PSFS in rated),
        RemeasureItem(Measure.PAIN, pain),
    ]
    if reach:
        items.append(RemeasureItem(Measure.REACH, any(inside(m.at) for m in measurements)))
    items += [
        RemeasureItem(measure, instrument in rated)
        for measure, instrument in QUESTIONNAIRES.items()
        if instrument in questionnaires
    ]
    if photo:
        items.append(RemeasureItem(Measure.PHOTO, any(inside(a.at) for a in assessments)))
    return RemeasureCheck(week, opens, tuple(items))
