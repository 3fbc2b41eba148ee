"""The re-measure check (issue 11 item 4): which week's check is open, what it asks for, and which
measures count as done from the records dated inside its window."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deskstretch.core.records import (
    Instrument,
    Measurement,
    MeasurementKind,
    QuestionnaireResult,
)
from deskstretch.core.remeasure import (
    LABELS,
    Measure,
    RemeasureCheck,
    remeasure_check,
    remeasure_window,
)
from helpers.core_factories import local_at, make_checkin

START = date(2026, 3, 2)  # a Monday
WEEKS = (1, 3, 6)


def day_of(week: int, offset: int = 0) -> date:
    return START + timedelta(days=7 * (week - 1) + offset)


def reach(day: date, hour: int = 9) -> Measurement:
    return Measurement(
        f"m-{day}-{hour}",
        local_at(day, hour),
        MeasurementKind.CHAIR_SIT_AND_REACH,
        2.0,
        "p",
        "left",
    )


def result(instrument: Instrument, day: date, hour: int = 9) -> QuestionnaireResult:
    return QuestionnaireResult(
        f"{instrument.value}-{day}-{hour}", local_at(day, hour), instrument, "v", {}, 5.0
    )


def check(today: date, **records: Any) -> RemeasureCheck | None:
    arguments: dict[str, Any] = {
        "checkins": (),
        "measurements": (),
        "results": (),
    }
    arguments.update(records)
    return remeasure_check(WEEKS, 6, START, today, UTC, **arguments)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (START - timedelta(days=3), (1, START - timedelta(days=7))),  # before the start: week 1
        (START, (1, START - timedelta(days=7))),  # week 1 reads from 7 days before the start
        (day_of(2, 6), (1, START - timedelta(days=7))),
        (day_of(3), (3, day_of(3))),
        (day_of(5, 6), (3, day_of(3))),
        (day_of(6, 2), (6, day_of(6))),
        (day_of(9), (6, day_of(6))),  # a finished programme keeps its last check
    ],
)
def test_the_window_is_the_latest_remeasure_week_reached(
    today: date, expected: tuple[int, date]
) -> None:
    assert remeasure_window(WEEKS, 6, START, today) == expected


def test_no_window_before_a_programme_s_first_remeasure_week() -> None:
    assert remeasure_window((3,), 6, START, day_of(2, 6)) is None
    assert check(day_of(2), checkins=()) is not None  # (1, 3, 6) has week 1
    assert (
        remeasure_check((3,), 6, START, day_of(2), UTC, checkins=(), measurements=(), results=())
        is None
    )


def test_nothing_recorded_asks_for_activities_pain_and_reach() -> None:
    found = check(START)
    assert found is not None
    assert [item.measure for item in found.items] == [
        Measure.ACTIVITIES,
        Measure.PAIN,
        Measure.REACH,
    ]
    assert not any(item.done for item in found.items)
    assert not found.is_complete
    assert found.pending == (Measure.ACTIVITIES, Measure.PAIN, Measure.REACH)
    assert [item.label for item in found.items] == [LABELS[m] for m in found.pending]


def test_each_measure_is_done_once_recorded_inside_the_window() -> None:
    today = day_of(3, 2)
    found = check(
        today,
        checkins=[make_checkin(local_at(day_of(3, 1)), 4)],
        results=[result(Instrument.PSFS, day_of(3))],
    )
    assert found is not None and found.week == 3
    assert found.pending == (Measure.REACH,)
    done = check(
        today,
        checkins=[make_checkin(local_at(day_of(3, 1)), None, 2)],  # leg pain alone counts
        results=[result(Instrument.PSFS, day_of(3))],
        measurements=[reach(today)],
    )
    assert done is not None and done.is_complete


def test_records_before_the_window_or_after_today_do_not_count() -> None:
    today = day_of(3, 2)
    found = check(
        today,
        checkins=[
            make_checkin(local_at(day_of(2, 6)), 4),  # the day before week 3
            make_checkin(local_at(day_of(3, 3)), 4),  # tomorrow
            make_checkin(local_at(day_of(3, 1)), None, None),  # no rating given
        ],
        results=[result(Instrument.PSFS, day_of(1, 3))],  # week 1's rating
        measurements=[reach(day_of(2))],
    )
    assert found is not None
    assert found.pending == (Measure.ACTIVITIES, Measure.PAIN, Measure.REACH)


def test_week_one_counts_the_baselines_from_the_week_before_the_start() -> None:
    found = check(
        START + timedelta(days=1),
        checkins=[make_checkin(local_at(START - timedelta(days=7)), 5)],
        results=[result(Instrument.PSFS, START - timedelta(days=2))],
        measurements=[reach(START - timedelta(days=8))],  # a day too early
    )
    assert found is not None
    assert found.pending == (Measure.REACH,)


def test_the_local_day_decides_in_the_person_s_time_zone() -> None:
    tz = ZoneInfo("America/Los_Angeles")
    week3 = day_of(3)
    # 22:00 in Los Angeles on the day before week 3 is already week 3's first day in UTC.
    late = local_at(week3 - timedelta(days=1), 22, tz=tz)
    assert late.astimezone(UTC).date() == week3
    found = remeasure_check(
        WEEKS, 6, START, week3, tz, checkins=[make_checkin(late, 3)], measurements=(), results=()
    )
    assert found is not None and Measure.PAIN in found.pending
    in_utc = remeasure_check(
        WEEKS, 6, START, week3, UTC, checkins=[make_checkin(late, 3)], measurements=(), results=()
    )
    assert in_utc is not None and Measure.PAIN not in in_utc.pending


def test_questionnaires_are_asked_only_when_their_wording_was_supplied() -> None:
    today = day_of(6)
    plain = check(today)
    assert plain is not None
    assert {Measure.ODI, Measure.RMDQ}.isdisjoint(item.measure for item in plain.items)
    supplied = check(
        today,
        questionnaires={Instrument.ODI, Instrument.RMDQ, Instrument.STARTBACK},
        results=[result(Instrument.ODI, today), result(Instrument.RMDQ, day_of(5))],
    )
    assert supplied is not None
    asked = {item.measure: item.done for item in supplied.items}
    assert asked[Measure.ODI] is True
    assert asked[Measure.RMDQ] is False  # filled in before week 6 began
    assert len(supplied.items) == 5  # STarT Back is never asked again: not a change measure


def test_reach_is_not_asked_when_a_flexibility_test_is_not_advised() -> None:
    found = check(START, reach=False, measurements=[reach(START)])
    assert found is not None
    assert Measure.REACH not in {item.measure for item in found.items}


def test_the_photo_assessment_is_offered_as_optional_and_never_holds_the_check_open() -> None:
    from deskstretch.core.body_angles import PhotoTest, Side
    from deskstretch.core.records import Assessment

    today = day_of(3, 2)
    done = check(
        today,
        checkins=(make_checkin(local_at(today, 9), back=3),),
        measurements=(reach(today),),
        results=(result(Instrument.PSFS, today),),
        photo=True,
    )
    assert done is not None
    assert [(i.measure, i.done, i.optional) for i in done.items][-1] == (
        Measure.PHOTO,
        False,
        True,
    )
    assert done.is_complete and done.pending == ()  # no camera: not stuck
    assert LABELS[Measure.PHOTO].startswith("Optional: ")

    photo = Assessment(
        "a-1", local_at(today, 10), PhotoTest.CHAIR_SIT_AND_REACH, "photo", Side.LEFT, 60, 4, 30, 3
    )
    before = Assessment(
        "a-0",
        local_at(day_of(3, -1)),
        PhotoTest.CHAIR_SIT_AND_REACH,
        "photo",
        Side.LEFT,
        60,
        4,
        30,
        3,
    )
    measured = check(today, assessments=(photo,), photo=True)
    outside = check(today, assessments=(before,), photo=True)
    assert measured is not None and measured.items[-1].done
    assert outside is not None and not outside.items[-1].done  # before the window
    assert not measured.is_complete  # the required measures still count
    not_offered = check(today, assessments=(photo,))  # photo=False: osteoporosis, no extra
    assert not_offered is not None
    assert Measure.PHOTO not in {i.measure for i in not_offered.items}
