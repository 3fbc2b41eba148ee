"""Milestones reward keeping at it, never pain; the weekly recap says what was done against the
plan, minutes per muscle group, the pain trend by the NPRS rule only, and next week's plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from deskstretch.core.milestones import (
    Milestone,
    ProgrammeWeek,
    milestones,
    pain_trend_text,
    weekly_recap,
)
from deskstretch.core.painrules import DailyPain
from deskstretch.core.records import SessionRecord, SessionStatus, StepRecord

MONDAY = date(2026, 3, 2)  # a Monday


def step(group: str, seconds: float) -> StepRecord:
    return StepRecord(
        step_index=0,
        exercise_id=f"{group}-move",
        muscle_group=group,
        planned_seconds=seconds,
        done_seconds=seconds,
        seconds_left=0.0,
        seconds_right=0.0,
        seconds_both=seconds,
        completed=True,
    )


def session(
    day: date, status: SessionStatus = SessionStatus.COMPLETED, hour: int = 12, *steps: StepRecord
) -> SessionRecord:
    at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    return SessionRecord(
        id=f"{day}-{hour}",
        routine_id="r",
        routine_name="R",
        started_at=at,
        status=status,
        steps=steps,
    )


def on(*offsets: int) -> list[SessionRecord]:
    return [session(MONDAY + timedelta(days=n)) for n in offsets]


def titles(found: tuple[Milestone, ...]) -> dict[str, date]:
    return {m.title: m.reached_on for m in found}


def test_no_sessions_no_milestones() -> None:
    assert milestones([], UTC) == ()


def test_first_session_counts_only_finished_sessions() -> None:
    stopped = session(MONDAY, SessionStatus.INTERRUPTED)
    found = titles(milestones([stopped, *on(2)], UTC))
    assert found == {"First session": MONDAY + timedelta(days=2)}


def test_first_full_calendar_week_needs_three_sessions_in_one_week() -> None:
    # Two on Sat/Sun, then one on Monday: a new week, not a full one.
    assert "First full week" not in titles(milestones(on(5, 6, 7), UTC))
    found = titles(milestones(on(5, 7, 8, 9), UTC))
    assert found["First full week"] == MONDAY + timedelta(days=9)


def test_first_full_programme_week_uses_its_planned_sessions() -> None:
    weeks = [
        ProgrammeWeek(MONDAY + timedelta(days=2), 2),
        ProgrammeWeek(MONDAY + timedelta(days=9), 4),
    ]
    # One session in the first programme week (Wed-Tue), four in the second.
    found = titles(milestones(on(3, 9, 10, 12, 14), UTC, weeks))
    assert found["First full week"] == MONDAY + timedelta(days=14)
    # Two in the first week are enough: it planned two (Tuesday is still inside it).
    found = titles(milestones(on(3, 8), UTC, weeks))
    assert found["First full week"] == MONDAY + timedelta(days=8)


def test_three_weeks_in_a_row_with_two_sessions() -> None:
    steady = "3 weeks in a row with at least 2 sessions"
    assert steady not in titles(milestones(on(0, 1, 7, 8, 21, 22), UTC))  # a gap week
    found = titles(milestones(on(0, 1, 7, 8, 14, 16), UTC))
    assert found[steady] == MONDAY + timedelta(days=16)


def test_session_counts_take_the_date_of_the_nth_finished_session() -> None:
    many = on(*range(60))
    found = titles(milestones(many, UTC))
    assert found["10 sessions"] == MONDAY + timedelta(days=9)
    assert found["25 sessions"] == MONDAY + timedelta(days=24)
    assert found["50 sessions"] == MONDAY + timedelta(days=49)
    assert "10 sessions" not in titles(milestones(many[:9], UTC))


def test_milestones_never_mention_pain() -> None:
    for m in milestones(on(*range(60)), UTC):
        assert "pain" not in m.title.lower()


def test_days_are_local() -> None:
    # 23:30 UTC on Sunday is Monday in UTC+2: a new week there.
    late = [session(MONDAY + timedelta(days=n), hour=23) for n in (4, 5, 6)]
    assert "First full week" in titles(milestones(late, UTC))
    assert "First full week" not in titles(milestones(late, timezone(timedelta(hours=2))))


def pain(*pairs: tuple[int, int]) -> list[DailyPain]:
    return [DailyPain(MONDAY + timedelta(days=n), back, None) for n, back in pairs]


def test_pain_trend_within_the_usual_ups_and_downs() -> None:
    today = MONDAY + timedelta(days=9)
    text = pain_trend_text(pain((0, 5), (1, 5), (7, 4), (8, 5)), today)
    assert "5/10 this week, 5/10 last week" in text
    assert "usual ups and downs" in text
    assert "real change" not in text


def test_pain_trend_calls_a_change_real_only_by_the_nprs_rule() -> None:
    today = MONDAY + timedelta(days=9)
    better = pain_trend_text(pain((0, 6), (1, 6), (7, 3), (8, 3)), today)
    assert "a real change for the better" in better
    worse = pain_trend_text(pain((0, 3), (1, 3), (7, 6), (8, 6)), today)
    assert "a real change for the worse" in worse
    assert pain_trend_text(pain((7, 3)), today) == ""  # nothing last week to compare


def test_weekly_recap_against_the_plan() -> None:
    sessions = [
        session(MONDAY + timedelta(days=7), SessionStatus.COMPLETED, 12, step("hamstrings", 120)),
        session(MONDAY + timedelta(days=8), SessionStatus.COMPLETED, 12, step("low-back", 60)),
        session(MONDAY + timedelta(days=1)),  # last week
    ]
    recap = weekly_recap(
        sessions,
        [],
        MONDAY + timedelta(days=9),
        UTC,
        planned=3,
        next_planned=4,
        next_level="level 2",
    )
    assert recap.sessions_text == "This week: 2 of 3 planned sessions done."
    assert "hamstrings 2 min" in recap.minutes_text
    assert "lower back 1 min" in recap.minutes_text  # the label, not the stored id
    assert recap.pain == ""
    assert recap.next_week == "Next week: 4 sessions of your programme at level 2."


def test_weekly_recap_without_a_programme_plans_nothing() -> None:
    recap = weekly_recap(on(7), [], MONDAY + timedelta(days=9), UTC)
    assert recap.sessions_planned is None
    assert recap.sessions_text == "This week: 1 session done."
    assert recap.next_week.startswith("Next week: aim for 3 sessions")


def test_programme_weeks_follow_the_level_in_each_week() -> None:
    from deskstretch.core.milestones import programme_weeks

    weeks = programme_weeks(MONDAY, 3, lambda day: 2 if day < MONDAY + timedelta(days=14) else 3)
    assert [(w.starts, w.planned) for w in weeks] == [
        (MONDAY, 2),
        (MONDAY + timedelta(days=7), 2),
        (MONDAY + timedelta(days=14), 3),
    ]
