"""Progress: real sessions, streaks, days per week, weekly minutes per group, pain trends."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from deskstretch.core.painrules import DailyPain, assess_pain
from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    SessionRecord,
    SessionStatus,
    StepRecord,
)
from deskstretch.core.streaks import (
    HAMSTRINGS,
    CalendarDay,
    adherence_calendar,
    days_per_week,
    is_real_session,
    pain_trend,
    rolling_mean,
    session_days,
    streak,
    weekly_minutes_by_group,
)

TODAY = date(2026, 3, 11)  # a Wednesday; its ISO week starts Monday 9 March
MONDAY = date(2026, 3, 9)
PLUS_10 = timezone(timedelta(hours=10))

# ----- builders -----------------------------------------------------------------------------------


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def work(
    group: str = "low-back",
    *,
    left: float = 0.0,
    right: float = 0.0,
    both: float = 0.0,
    done: float | None = None,
) -> StepRecord:
    """A step with the given seconds of work per side; ``done`` defaults to their sum."""
    total = left + right + both if done is None else done
    return StepRecord(
        step_index=0,
        exercise_id=f"{group}-move",
        muscle_group=group,
        planned_seconds=total,
        done_seconds=total,
        seconds_left=left,
        seconds_right=right,
        seconds_both=both,
        completed=True,
    )


def session(
    started_at: datetime,
    *steps: StepRecord,
    status: SessionStatus = SessionStatus.COMPLETED,
    session_id: str = "s",
) -> SessionRecord:
    return SessionRecord(
        id=session_id,
        routine_id="r",
        routine_name="Routine",
        started_at=started_at,
        status=status,
        steps=steps,
    )


def checkin(when: datetime, back: int | None, leg: int | None = None) -> CheckIn:
    return CheckIn(id=when.isoformat(), at=when, back_pain=back, leg_pain=leg)


def days_before(day: date, *offsets: int) -> list[date]:
    return [day - timedelta(days=offset) for offset in offsets]


# ----- real sessions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "seconds", "real"),
    [
        (SessionStatus.COMPLETED, 0.0, True),
        (SessionStatus.QUIT_EARLY, 60.0, True),
        (SessionStatus.QUIT_EARLY, 59.0, False),
        (SessionStatus.INTERRUPTED, 120.0, True),
        (SessionStatus.INTERRUPTED, 10.0, False),
    ],
)
def test_is_real_session_needs_completion_or_a_minute_of_work(
    status: SessionStatus, seconds: float, real: bool
) -> None:
    record = session(at(TODAY), work(both=seconds), status=status)
    assert is_real_session(record) is real


def test_session_days_uses_local_days_and_drops_skipped_sessions() -> None:
    late_utc = session(datetime(2026, 3, 10, 15, tzinfo=UTC))  # 01:00 on the 11th in UTC+10
    skipped = session(at(TODAY), work(both=5.0), status=SessionStatus.QUIT_EARLY)
    assert session_days([late_utc, skipped], PLUS_10) == (date(2026, 3, 11),)
    assert session_days([late_utc], UTC) == (date(2026, 3, 10),)


# ----- streak -------------------------------------------------------------------------------------


def test_streak_counts_consecutive_days_ending_today() -> None:
    assert streak(days_before(TODAY, 0, 1, 2, 2, 4), TODAY) == 3


def test_streak_is_not_broken_by_a_missing_today() -> None:
    assert streak(days_before(TODAY, 1, 2, 3), TODAY) == 3


def test_streak_is_broken_by_a_missing_yesterday() -> None:
    assert streak(days_before(TODAY, 2, 3, 4), TODAY) == 0


def test_streak_of_nothing_is_zero() -> None:
    assert streak([], TODAY) == 0


def test_streak_ignores_skipped_through_sessions() -> None:
    records = [
        session(at(TODAY - timedelta(days=1))),
        session(at(TODAY), work(both=20.0), status=SessionStatus.QUIT_EARLY),
        session(at(TODAY - timedelta(days=2)), status=SessionStatus.QUIT_EARLY),
    ]
    assert streak(session_days(records, UTC), TODAY) == 1


# ----- days per week ------------------------------------------------------------------------------


def test_days_per_week_counts_distinct_days_per_iso_week() -> None:
    last_week = [MONDAY - timedelta(days=offset) for offset in (1, 2, 3, 4, 5, 5)]
    this_week = [MONDAY, MONDAY, TODAY]
    weeks = days_per_week([*last_week, *this_week], TODAY, weeks=3)
    assert [w.week_start for w in weeks] == [
        MONDAY - timedelta(days=14),
        MONDAY - timedelta(7),
        MONDAY,
    ]
    assert [w.days for w in weeks] == [0, 5, 2]
    assert [w.met for w in weeks] == [False, True, False]
    assert weeks[-1].goal == 5
    assert weeks[-1].iso_week == (2026, 11)


def test_days_per_week_ignores_days_outside_the_window() -> None:
    weeks = days_per_week([MONDAY - timedelta(days=30), TODAY + timedelta(days=1)], TODAY, weeks=2)
    assert [w.days for w in weeks] == [0, 0]


def test_days_per_week_needs_at_least_one_week() -> None:
    with pytest.raises(ValueError, match="weeks"):
        days_per_week([], TODAY, weeks=0)


# ----- weekly minutes by group --------------------------------------------------------------------


def test_weekly_minutes_per_leg_hamstrings_and_other_groups() -> None:
    # Unilateral: 150 s each leg (2.5 min per leg); bilateral: 60 s for both legs at once.
    records = [
        session(at(MONDAY), work(HAMSTRINGS, left=150.0, right=150.0), work("low-back", both=90.0)),
        session(at(TODAY), work(HAMSTRINGS, both=60.0), work("core", both=30.0)),
    ]
    (week,) = weekly_minutes_by_group(records, UTC, 1, TODAY)
    assert week.week_start == MONDAY
    assert [g.group for g in week.groups] == [HAMSTRINGS, "core", "low-back"]
    hamstrings = week.groups[0]
    assert hamstrings.minutes == pytest.approx(6.0)
    assert hamstrings.per_leg_minutes == pytest.approx(3.5)
    assert hamstrings.target_minutes == (5.0, 10.0)
    assert hamstrings.met is False
    back = week.group("low-back")
    assert back is not None
    assert back.minutes == pytest.approx(1.5)
    assert back.met is None


def test_weekly_minutes_hamstring_target_met_at_five_minutes_per_leg() -> None:
    # §1.2: 2 x 30 s per leg on 5 days = 5 minutes per leg.
    records = [
        session(at(MONDAY + timedelta(days=offset)), work(HAMSTRINGS, left=60.0, right=60.0))
        for offset in range(5)
    ]
    (week,) = weekly_minutes_by_group(records, UTC, 1, MONDAY + timedelta(days=6))
    assert week.groups[0].per_leg_minutes == pytest.approx(5.0)
    assert week.groups[0].met is True


def test_weekly_minutes_counts_steps_without_a_side_breakdown_as_half_per_leg() -> None:
    records = [session(at(TODAY), work(HAMSTRINGS, done=120.0))]
    (week,) = weekly_minutes_by_group(records, UTC, 1, TODAY)
    assert week.groups[0].per_leg_minutes == pytest.approx(1.0)


def test_weekly_minutes_lists_hamstrings_in_empty_weeks_and_splits_weeks_locally() -> None:
    # Sunday 8 March 15:00 UTC is Monday 9 March 01:00 in UTC+10: the next ISO week.
    records = [session(datetime(2026, 3, 8, 15, tzinfo=UTC), work("hips", both=120.0))]
    local = weekly_minutes_by_group(records, PLUS_10, 2, TODAY)
    assert [w.week_start for w in local] == [MONDAY - timedelta(days=7), MONDAY]
    assert local[0].groups == (local[0].groups[0],)
    assert local[0].groups[0].group == HAMSTRINGS
    assert local[0].groups[0].minutes == 0
    assert local[1].group("hips") is not None
    in_utc = weekly_minutes_by_group(records, UTC, 2, TODAY)
    assert in_utc[0].group("hips") is not None
    assert in_utc[1].group("hips") is None


# ----- pain trend ---------------------------------------------------------------------------------


def test_pain_trend_has_one_entry_per_day_with_first_readings() -> None:
    readings = [
        checkin(at(TODAY, 8), 5, 1),
        checkin(at(TODAY, 18), 2, 0),
        checkin(at(TODAY - timedelta(days=2), 8), 4, None),
        checkin(at(TODAY - timedelta(days=9), 8), 9, 9),  # outside the window
    ]
    trend = pain_trend(readings, UTC, 3, TODAY)
    assert trend == (
        DailyPain(TODAY - timedelta(days=2), 4, None),
        DailyPain(TODAY - timedelta(days=1), None, None),
        DailyPain(TODAY, 5, 1),
    )


def test_rolling_mean_skips_missing_values() -> None:
    means = rolling_mean([2.0, None, 4.0, 6.0, None, None, None], 3)
    assert means == pytest.approx([2.0, 2.0, 3.0, 5.0, 5.0, 6.0, None])


def test_rolling_mean_window_one_is_the_values() -> None:
    assert rolling_mean([1.0, None, 3.0], 1) == (1.0, None, 3.0)


# ----- calendar -----------------------------------------------------------------------------------


def test_adherence_calendar_is_weeks_by_seven_monday_first() -> None:
    grid = adherence_calendar([TODAY, TODAY, MONDAY - timedelta(days=1)], TODAY, weeks=8)
    assert len(grid) == 8
    assert all(len(row) == 7 for row in grid)
    assert grid[0][0].day == MONDAY - timedelta(weeks=7)
    assert grid[-1][0] == CalendarDay(MONDAY, 0)
    assert grid[-1][2] == CalendarDay(TODAY, 2)
    assert grid[-2][6] == CalendarDay(MONDAY - timedelta(days=1), 1)
    assert grid[-1][6].day == MONDAY + timedelta(days=6)
    assert sum(cell.session_count for row in grid for cell in row) == 3


# ----- scale --------------------------------------------------------------------------------------


def test_every_function_handles_a_years_long_history() -> None:
    """5,000 sessions and 10,000 check-ins through every function: no quadratic blow-up.

    Asserts the results only; timings belong in bench/.
    """
    rng = random.Random(7)
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    records = [
        session(
            start + timedelta(hours=5 * index),
            work(HAMSTRINGS, left=30.0, right=30.0),
            work("low-back", both=30.0),
            session_id=f"s{index}",
        )
        for index in range(5000)
    ]
    checkins = [
        CheckIn(
            id=f"c{index}",
            at=start + timedelta(hours=2.5 * index),
            back_pain=rng.randint(0, 10),
            leg_pain=rng.randint(0, 3),
            context=CheckInContext.ANYTIME,
        )
        for index in range(10000)
    ]
    today = (start + timedelta(hours=5 * 4999)).date()

    days = session_days(records, UTC)
    assert len(days) == 5000
    assert streak(days, today) == len(set(days))  # sessions every 5 h: no day is missed
    assert [w.days for w in days_per_week(days, today, weeks=52)][:-1] == [7] * 51
    minutes = weekly_minutes_by_group(records, UTC, 52, today)
    # A session every 5 h is 33.6 a week, each giving every leg 30 s of hamstring work.
    assert minutes[0].groups[0].per_leg_minutes == pytest.approx(168 / 5 * 0.5, abs=0.5)
    assert minutes[0].groups[0].met is True
    trend = pain_trend(checkins, UTC, 365, today)
    assert len(trend) == 365
    assert all(day.back_pain is not None for day in trend)
    means = rolling_mean([day.back_pain for day in trend], 7)
    assert all(mean is not None and 0 <= mean <= 10 for mean in means)
    assert sum(cell.session_count for row in adherence_calendar(days, today, 8) for cell in row) > 0
    plan = assess_pain(checkins, records, today, UTC)
    assert plan.volume_step in (0, 1)
