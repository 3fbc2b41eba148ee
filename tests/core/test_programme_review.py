"""The end-of-programme review: the first week against the last, by the honest change rules,
and the next step it suggests."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskstretch.core.outcomes import Direction
from deskstretch.core.programme_review import NextStep, Review, review_programme
from deskstretch.core.records import (
    CheckIn,
    Instrument,
    Measurement,
    MeasurementKind,
    QuestionnaireResult,
)
from helpers.core_factories import local_at, make_checkin

START = date(2026, 3, 2)  # a Monday
END = START + timedelta(days=41)  # the last day of week 6
LAST_WEEK = START + timedelta(days=35)


def pain(first: list[int], last: list[int]) -> list[CheckIn]:
    early = [make_checkin(local_at(START + timedelta(days=i)), v) for i, v in enumerate(first)]
    late = [
        make_checkin(local_at(END - timedelta(days=i)), v) for i, v in enumerate(reversed(last))
    ]
    return early + late


def reach(day: date, cm: float, leg: str = "left", at_hour: int = 9) -> Measurement:
    return Measurement(
        id=f"m-{day}-{leg}-{cm}",
        at=local_at(day, at_hour),
        kind=MeasurementKind.CHAIR_SIT_AND_REACH,
        value_cm=cm,
        protocol="chair-v1",
        leg=leg,
    )


def psfs(day: date, **ratings: int) -> QuestionnaireResult:
    return QuestionnaireResult(
        id=f"p-{day}",
        at=local_at(day),
        instrument=Instrument.PSFS,
        version="1",
        answers=dict(ratings),
        score=sum(ratings.values()) / len(ratings),
    )


def review(**records: object) -> Review:
    arguments: dict[str, object] = {
        "started": START,
        "weeks": 6,
        "today": END,
        "tz": UTC,
        "checkins": (),
        "measurements": (),
        "results": (),
        "level_reached": 3,
        "level_count": 3,
    }
    arguments.update(records)
    return review_programme(**arguments)  # type: ignore[arg-type]


def test_nothing_recorded_asks_for_the_measures_first() -> None:
    result = review()
    assert result.next_step is NextStep.MEASURE_FIRST
    assert result.changes == ()
    assert len(result.missing) == 3
    assert "deskstretch checkin" in result.advice


def test_pain_down_by_the_nprs_rule_suggests_keeping_it_up() -> None:
    result = review(checkins=pain([6, 6, 5, 7, 6], [3, 4, 3, 3]))
    (change,) = result.changes
    assert (change.before, change.after) == (6, 3)
    assert change.is_real_change and change.direction is Direction.BETTER
    assert result.next_step is NextStep.KEEP_GOING
    assert "at least 3 days a week" in result.advice


def test_the_median_rounds_half_up_so_a_worse_week_is_not_hidden() -> None:
    # Medians 4.5 -> 5 and 6.5 -> 7: two points worse, a real change for the worse.
    result = review(checkins=pain([4, 5], [6, 7]))
    (change,) = result.changes
    assert (change.before, change.after) == (5, 7)
    assert result.next_step is NextStep.SEE_CLINICIAN
    assert "back pain changed for the worse" in result.advice


def test_no_real_change_anywhere_suggests_a_clinician() -> None:
    result = review(
        checkins=pain([5, 5, 5], [4, 5, 4]),
        measurements=[reach(START, -4.0), reach(END, -1.0)],
    )
    assert [c.is_real_change for c in result.changes] == [False, False]
    assert result.next_step is NextStep.SEE_CLINICIAN
    assert "no change beyond normal variation" in result.advice


def test_reach_beyond_measurement_error_counts_per_leg_and_names_the_leg() -> None:
    result = review(
        measurements=[
            reach(START, -10.0, "left"),
            reach(START, -9.0, "right"),
            reach(LAST_WEEK + timedelta(days=2), -2.0, "left"),
            reach(LAST_WEEK + timedelta(days=2), -6.0, "right"),
        ]
    )
    by_measure = {c.measure: c for c in result.changes}
    assert by_measure["Chair sit-and-reach, left leg"].is_real_change
    assert not by_measure["Chair sit-and-reach, right leg"].is_real_change
    assert "left leg went from" in by_measure["Chair sit-and-reach, left leg"].sentence
    assert result.next_step is NextStep.KEEP_GOING


def test_a_baseline_taken_just_before_enrolling_counts_and_a_mid_programme_one_does_not() -> None:
    before_start = reach(START - timedelta(days=1), -12.0)
    mid = reach(START + timedelta(days=20), 0.0)
    result = review(measurements=[before_start, mid, reach(END, -3.0)])
    (change,) = result.changes
    assert (change.before, change.after) == (-12.0, -3.0)
    only_mid = review(measurements=[mid])
    assert only_mid.changes == ()


def test_activities_worse_beyond_the_psfs_rule_suggest_a_clinician_even_if_reach_improved() -> None:
    result = review(
        results=[psfs(START, walk=6, sit=5, lift=5), psfs(END, walk=3, sit=2, lift=3)],
        measurements=[reach(START, -10.0), reach(END, 0.0)],
    )
    assert result.psfs is not None and result.psfs.mean.direction is Direction.WORSE
    assert result.next_step is NextStep.SEE_CLINICIAN
    assert "your activity ratings changed for the worse" in result.advice


def test_one_activity_better_by_three_points_is_enough_to_keep_going() -> None:
    result = review(results=[psfs(START, walk=3, sit=5, lift=5), psfs(END, walk=6, sit=5, lift=4)])
    assert result.psfs is not None and not result.psfs.mean.is_real_change
    assert result.next_step is NextStep.KEEP_GOING


def test_better_but_short_of_the_last_level_suggests_repeating_from_the_level_reached() -> None:
    result = review(checkins=pain([7, 7], [4, 4]), level_reached=2, level_count=3)
    assert result.next_step is NextStep.REPEAT_FROM_LEVEL
    assert "level 2" in result.advice


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_days_are_local_days(zone: str) -> None:
    tz = ZoneInfo(zone)
    # 23:30 local on the day before the start: in UTC that is already the start day in
    # Los Angeles' case and still the day before in Auckland's; only local days count.
    late = make_checkin(local_at(START - timedelta(days=1), 23, 30, tz), 9)
    first = make_checkin(local_at(START, 9, 0, tz), 4)
    last = make_checkin(local_at(END, 9, 0, tz), 4)
    result = review(checkins=[late, first, last], tz=tz)
    (change,) = result.changes
    assert change.before == 4


def test_activities_rated_without_a_common_activity_say_why_they_cannot_be_compared() -> None:
    result = review(results=[psfs(START, walk=3, sit=5, lift=5), psfs(END, run=6, bend=5, cook=4)])
    assert result.psfs is None
    assert any(
        line.startswith("Activities (PSFS): the two ratings cannot") for line in result.missing
    )


# -- The ODI and the RMDQ, for a person who fills them in (with the wording they supplied) --------


def scored(instrument: Instrument, day: date, score: float) -> QuestionnaireResult:
    return QuestionnaireResult(
        id=f"{instrument.value}-{day}",
        at=local_at(day),
        instrument=instrument,
        version="test",
        answers={},
        score=score,
    )


def test_questionnaires_never_filled_in_are_not_mentioned() -> None:
    result = review(checkins=pain([6, 6], [3, 3]))
    assert result.questionnaires == ()
    assert not any("ODI" in line or "RMDQ" in line for line in (*result.sentences, *result.missing))


def test_the_odi_and_rmdq_are_compared_by_their_own_rules_and_read_in_the_sentences() -> None:
    result = review(
        results=[
            scored(Instrument.ODI, START - timedelta(days=2), 40),  # a baseline before the start
            scored(Instrument.ODI, START + timedelta(days=20), 10),  # mid-programme: not read
            scored(Instrument.ODI, END, 26),
            scored(Instrument.RMDQ, START, 10),
            scored(Instrument.RMDQ, LAST_WEEK, 8),
        ]
    )
    odi, rmdq = result.questionnaires
    assert (odi.before, odi.after) == (40, 26)
    assert odi.is_real_change and odi.direction is Direction.BETTER  # 14 points
    assert (rmdq.before, rmdq.after) == (10, 8)
    assert not rmdq.is_real_change  # 2 points and 20 %: within normal variation
    assert odi.sentence in result.sentences and rmdq.sentence in result.sentences
    assert result.next_step is NextStep.KEEP_GOING


def test_a_questionnaire_worse_beyond_its_rule_suggests_a_clinician() -> None:
    result = review(
        checkins=pain([6, 6], [3, 3]),  # pain better...
        results=[scored(Instrument.RMDQ, START, 8), scored(Instrument.RMDQ, END, 14)],
    )
    (rmdq,) = result.questionnaires
    assert rmdq.direction is Direction.WORSE and rmdq.is_real_change
    assert result.next_step is NextStep.SEE_CLINICIAN  # ...but worse comes first
    assert "your RMDQ score changed for the worse" in result.advice


def test_a_questionnaire_filled_in_only_once_says_so() -> None:
    result = review(results=[scored(Instrument.ODI, START, 30)])
    assert result.questionnaires == ()
    assert "ODI: not filled in both in the first week and in the last week." in result.missing
    assert result.next_step is NextStep.MEASURE_FIRST
