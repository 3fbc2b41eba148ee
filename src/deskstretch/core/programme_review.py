"""The end-of-programme review: what changed between the first week and the last, judged by the
important-change rules of ``core.outcomes``, and the next step it suggests.

Pure: standard library only, no clock reads; ``today`` and the time zone come in.

What is compared (Recommendation (ours), stated in docs/programme-format.md):

* back pain: the median of the first daily ratings of the programme's first 7 days against the
  median of the last 7 days up to ``today`` (whole points, rounded half up), by the NPRS rule;
* each leg's chair sit-and-reach and the fingertip-to-floor test: the first result from 7 days
  before the start to the end of week 1 against the latest from the start of the last week, same
  test, leg and protocol, by each test's measurement-error rule;
* the PSFS activities: the first rating from 7 days before the start to the end of week 1 against
  the latest from the start of the last week (Stratford 1995 rules);
* the ODI and the RMDQ, for a person who fills them in (with the wording they supplied): the same
  two windows, by each questionnaire's rule (Ostelo et al. 2008). Never filled in, they are left
  out without a word, since deskstretch cannot ship their wording.

The next step: a real change for the worse in pain, activities or a questionnaire, or no real
change anywhere
after the whole programme, suggests seeing a clinician; a real change for the better (and none
for the worse) suggests keeping it up (at least 3 days a week keeps hamstring gains: Reid and
Kim 2014), or repeating from the level reached when the last level was not reached.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo
from enum import StrEnum

from deskstretch.core.outcomes import (
    Direction,
    ImportantChange,
    PsfsChange,
    ScoringError,
    measurement_change,
    nprs_change,
    odi_change,
    psfs_change,
    rmdq_change,
)
from deskstretch.core.painrules import daily_pain
from deskstretch.core.records import CheckIn, Instrument, Measurement, QuestionnaireResult

WEEK = timedelta(days=7)


class NextStep(StrEnum):
    KEEP_GOING = "keep_going"
    REPEAT_FROM_LEVEL = "repeat_from_level"
    SEE_CLINICIAN = "see_clinician"
    MEASURE_FIRST = "measure_first"


@dataclass(frozen=True)
class Review:
    changes: tuple[ImportantChange, ...]
    """Pain and each flexibility test compared, in that order."""
    psfs: PsfsChange | None
    missing: tuple[str, ...]
    """Sentences naming what could not be compared, and why."""
    next_step: NextStep
    advice: str
    questionnaires: tuple[ImportantChange, ...] = ()
    """The ODI and the RMDQ compared, for those the person filled in both times."""

    @property
    def sentences(self) -> tuple[str, ...]:
        found = [change.sentence for change in self.changes]
        if self.psfs is not None:
            found.append(self.psfs.sentence)
        found += [change.sentence for change in self.questionnaires]
        return tuple(found)


_ADVICE = {
    NextStep.KEEP_GOING: (
        "Something changed for the better. To keep it, go on with a routine on at least 3 days a"
        " week (Reid and Kim 2014 found that kept hamstring gains and once a week lost them):"
        " start the programme again for a fresh six weeks, or keep to the last level's routines."
    ),
    NextStep.REPEAT_FROM_LEVEL: (
        "Something changed for the better. You finished at level {level}: start the programme"
        " again for another six weeks to reach the last level, whose strength and control work"
        " has better evidence for back pain than stretching alone (Owen et al. 2020)."
    ),
    NextStep.SEE_CLINICIAN: (
        "{why} A GP or physiotherapist can look at what else might help; deskstretch cannot"
        " tell why, and it does not diagnose."
    ),
    NextStep.MEASURE_FIRST: (
        "There is nothing to compare yet: rate your pain (deskstretch checkin), your activities"
        " (deskstretch psfs rate) and measure your reach (deskstretch measure) now, so the review"
        " can set them against the start."
    ),
}


def _median_points(values: Sequence[int]) -> int:
    """The median as whole points, halves rounded up (so a worse week is never hidden)."""
    return math.floor(statistics.median(values) + 0.5)


def _pain_change(
    checkins: Iterable[CheckIn], started: date, today: date, tz: tzinfo
) -> ImportantChange | str:
    days = [d for d in daily_pain(checkins, tz) if d.back_pain is not None]
    first = [d.back_pain for d in days if started <= d.day < started + WEEK]
    last = [d.back_pain for d in days if today - timedelta(days=6) <= d.day <= today]
    if not first or not last:
        week = "the first week" if not first else "the last 7 days"
        return f"Back pain: no rating in {week}, so it cannot be compared."
    before = _median_points([p for p in first if p is not None])
    after = _median_points([p for p in last if p is not None])
    return nprs_change(before, after, "Back pain (median of the week)")


def _in_window(at: date, started: date, last_week: date) -> tuple[bool, bool]:
    """(a baseline, a result at the end)."""
    return started - WEEK <= at < started + WEEK, last_week <= at


def _flexibility_changes(
    measurements: Iterable[Measurement], started: date, last_week: date, today: date, tz: tzinfo
) -> tuple[list[ImportantChange], list[str]]:
    groups: dict[tuple[str, str | None, str], list[tuple[date, Measurement]]] = {}
    for m in sorted(measurements, key=lambda m: m.at):
        day = m.at.astimezone(tz).date()
        if day <= today:
            groups.setdefault((m.kind.value, m.leg, m.protocol), []).append((day, m))
    changes, missing = [], []
    for (_kind, leg, _protocol), results in groups.items():
        baseline = next((m for day, m in results if _in_window(day, started, last_week)[0]), None)
        latest = next(
            (m for day, m in reversed(results) if _in_window(day, started, last_week)[1]), None
        )
        if baseline is None or latest is None or baseline.id == latest.id:
            continue
        change = measurement_change(baseline.kind, baseline.value_cm, latest.value_cm)
        if leg:
            change = _with_measure(change, f"{change.measure}, {leg} leg")
        changes.append(change)
    if not changes:
        missing.append(
            "Flexibility: no test both in the first week and in the last week, so it cannot be"
            " compared."
        )
    return changes, missing


def _with_measure(change: ImportantChange, measure: str) -> ImportantChange:
    sentence = change.sentence.replace(change.measure, measure, 1)
    return replace(change, measure=measure, sentence=sentence)


def _ratings(result: QuestionnaireResult) -> dict[str, int]:
    return {item: value for item, value in result.answers.items() if value is not None}


def _psfs_change(
    results: Iterable[QuestionnaireResult], started: date, last_week: date, tz: tzinfo
) -> PsfsChange | str:
    rated = sorted(
        (r for r in results if r.instrument is Instrument.PSFS), key=lambda result: result.at
    )
    dated = [(r.at.astimezone(tz).date(), r) for r in rated]
    baseline = next((r for day, r in dated if _in_window(day, started, last_week)[0]), None)
    latest = next((r for day, r in reversed(dated) if _in_window(day, started, last_week)[1]), None)
    if baseline is None or latest is None or baseline.id == latest.id:
        return "Activities (PSFS): not rated both in the first week and in the last week."
    try:
        return psfs_change(_ratings(baseline), _ratings(latest))
    except ScoringError as error:
        return f"Activities (PSFS): the two ratings cannot be compared ({error.message})"


_QUESTIONNAIRE_RULES = ((Instrument.ODI, "ODI", odi_change), (Instrument.RMDQ, "RMDQ", rmdq_change))


def _questionnaire_changes(
    results: Iterable[QuestionnaireResult], started: date, last_week: date, tz: tzinfo
) -> tuple[list[ImportantChange], list[str]]:
    changes: list[ImportantChange] = []
    missing: list[str] = []
    kept = sorted(results, key=lambda result: result.at)
    for instrument, name, compare in _QUESTIONNAIRE_RULES:
        dated = [(r.at.astimezone(tz).date(), r) for r in kept if r.instrument is instrument]
        if not dated:
            continue  # never filled in: its wording is the person's to supply, so no reminder
        baseline = next((r for day, r in dated if _in_window(day, started, last_week)[0]), None)
        latest = next(
            (r for day, r in reversed(dated) if _in_window(day, started, last_week)[1]), None
        )
        if baseline is None or latest is None or baseline.id == latest.id:
            missing.append(f"{name}: not filled in both in the first week and in the last week.")
            continue
        try:
            changes.append(compare(round(baseline.score), round(latest.score)))
        except ScoringError as error:  # an imported score out of range
            missing.append(f"{name}: the two results cannot be compared ({error.message})")
    return changes, missing


def review_programme(
    *,
    started: date,
    weeks: int,
    today: date,
    tz: tzinfo,
    checkins: Iterable[CheckIn],
    measurements: Iterable[Measurement],
    results: Iterable[QuestionnaireResult],
    level_reached: int,
    level_count: int,
) -> Review:
    """Compare the start with the end of a programme of ``weeks`` weeks begun on ``started``."""
    last_week = started + (weeks - 1) * WEEK
    missing: list[str] = []
    changes: list[ImportantChange] = []
    pain = _pain_change(checkins, started, today, tz)
    if isinstance(pain, str):
        missing.append(pain)
    else:
        changes.append(pain)
    flexibility, not_compared = _flexibility_changes(measurements, started, last_week, today, tz)
    changes += flexibility
    missing += not_compared
    rated = _psfs_change(results, started, last_week, tz)
    psfs = None if isinstance(rated, str) else rated
    if isinstance(rated, str):
        missing.append(rated)
    questionnaires, not_filled = _questionnaire_changes(results, started, last_week, tz)
    missing += not_filled
    step, advice = _next_step(
        None if isinstance(pain, str) else pain, changes, psfs, questionnaires
    )
    if step is NextStep.KEEP_GOING and level_reached < level_count:
        step = NextStep.REPEAT_FROM_LEVEL
        advice = _ADVICE[step].format(level=level_reached)
    return Review(tuple(changes), psfs, tuple(missing), step, advice, tuple(questionnaires))


def _is(change: ImportantChange, direction: Direction) -> bool:
    return change.is_real_change and change.direction is direction


def _next_step(
    pain: ImportantChange | None,
    changes: Sequence[ImportantChange],
    psfs: PsfsChange | None,
    questionnaires: Sequence[ImportantChange] = (),
) -> tuple[NextStep, str]:
    """Worse pain, activities or questionnaire come first; then better anywhere; else no
    change at all."""
    judged = (pain, psfs.mean if psfs else None, *questionnaires)
    worse = [c for c in judged if c and _is(c, Direction.WORSE)]
    if worse:
        names = [c.measure.split(" (")[0] for c in worse]
        why = "Over the programme, " + " and ".join(n[:1].lower() + n[1:] for n in names)
        return NextStep.SEE_CLINICIAN, _ADVICE[NextStep.SEE_CLINICIAN].format(
            why=why + " changed for the worse beyond normal variation."
        )
    compared = [*changes, *questionnaires] + ([psfs.mean] if psfs is not None else [])
    if not compared:
        return NextStep.MEASURE_FIRST, _ADVICE[NextStep.MEASURE_FIRST]
    better = [c for c in (*changes, *questionnaires) if _is(c, Direction.BETTER)]
    if psfs is not None:
        better += [c for c in (psfs.mean, *psfs.activities) if _is(c, Direction.BETTER)]
    if better:
        return NextStep.KEEP_GOING, _ADVICE[NextStep.KEEP_GOING]
    return NextStep.SEE_CLINICIAN, _ADVICE[NextStep.SEE_CLINICIAN].format(
        why="The whole programme brought no change beyond normal variation in what was measured."
    )
