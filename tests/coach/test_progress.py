"""summarise on hand-built records: every figure checked against numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, timedelta, timezone

import pytest

from deskstretch.coach.progress import PAIN_DAYS, ProgressInput, compare_pain, summarise
from deskstretch.core.outcomes import Direction
from deskstretch.core.records import Instrument, MeasurementKind, SessionStatus
from helpers.progress_records import TODAY, days_ago, empty_input, session, step, worked_input


def test_summarise_counts_streak_and_this_week_from_real_sessions_only() -> None:
    summary = summarise(worked_input())
    # Real sessions on 8, 9 and 10 March; today's 30 s quit does not count, so the streak
    # runs back from yesterday.
    assert summary.streak == 3
    assert summary.this_week.week_start == date(2026, 3, 9)
    assert (summary.this_week.days, summary.this_week.goal) == (2, 5)
    assert [w.days for w in summary.recent_weeks] == [0, 0, 1, 2]
    assert len(summary.weeks) == 12


def test_summarise_weekly_minutes_put_hamstrings_first_with_per_leg_time() -> None:
    this_week = summarise(worked_input()).recent_minutes[-1]
    hamstrings, *others = this_week.groups
    assert hamstrings.group == "hamstrings"
    assert hamstrings.minutes == pytest.approx(3.0)  # 120 s + 60 s
    assert hamstrings.per_leg_minutes == pytest.approx(2.0)  # (60 + 60) / 2 + 60 s both legs
    assert hamstrings.target_minutes == (5.0, 10.0)
    assert hamstrings.met is False
    assert [g.group for g in others] == ["low-back"]
    assert others[0].minutes == pytest.approx(1.5)  # 60 s on Monday + 30 s today


def test_summarise_totals_and_last_five_sessions_newest_first() -> None:
    summary = summarise(worked_input())
    totals = summary.totals
    assert (totals.recorded, totals.real, totals.completed, totals.partial) == (6, 5, 5, 1)
    assert totals.too_much == 1
    assert totals.too_much_days == (days_ago(1),)
    assert totals.work_minutes == pytest.approx(6.0)  # 90 + 180 + 60 + 30 s
    rows = summary.last_sessions
    assert [r.started.date() for r in rows] == [TODAY, *(days_ago(n) for n in (1, 2, 3, 40))]
    assert rows[0].result == "partial"  # quit_early, as earlier versions wrote it
    assert rows[0].minutes == pytest.approx(0.5)
    assert [r.too_much for r in rows[:2]] == [False, True]


def test_summarise_pain_window_uses_first_rating_of_each_day() -> None:
    pain = summarise(worked_input()).pain
    assert len(pain.days) == PAIN_DAYS
    assert (pain.days[0], pain.days[-1]) == (TODAY - timedelta(days=29), TODAY)
    assert pain.back.values[-2:] == (2, None)  # 10 March: 2 in the morning, not 9 at night
    assert pain.back.readings == 6
    assert pain.back.latest == 2
    assert pain.leg.readings == 3


def test_summarise_pain_change_compares_medians_of_first_and_last_three() -> None:
    pain = summarise(worked_input()).pain
    # Back, last 30 days: 6 7 5 4 3 2 -> median(6, 7, 5) = 6 vs median(4, 3, 2) = 3.
    back = pain.back.change
    assert back is not None
    assert (back.before, back.after, back.is_real_change) == (6, 3, True)
    assert (
        back.sentence
        == "Back pain went from 6 to 3 (−3 points, 50%): a real change for the better."
    )
    assert "medians" in pain.back.basis
    # Leg, 3 readings (2 3 2): first vs latest.
    leg = pain.leg.change
    assert leg is not None
    assert leg.sentence == "Leg pain stayed at 2 (no change): within normal variation."
    assert pain.leg.basis == "first rated day vs latest"


def test_summarise_pain_since_start_includes_days_before_the_window() -> None:
    pain = summarise(worked_input()).pain
    # Back: 8 6 7 5 4 3 2 -> 7 vs 3 (4 points, 57%).
    assert pain.back_since_start is not None
    assert pain.back_since_start.sentence == (
        "Back pain went from 7 to 3 (−4 points, 57%): a real change for the better."
    )
    assert pain.back_since_start.threshold == "≥ 2 points or 30% of the starting rating"
    # Leg: 1 -> 2 is one point but 100% of the start: real by the published rule, and worse.
    assert pain.leg_since_start is not None
    assert pain.leg_since_start.is_real_change is True
    assert pain.leg_since_start.direction is Direction.WORSE
    assert pain.leg_since_start.sentence.endswith("(+1 point, 100%): a real change for the worse.")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5], None),
        ([5, 2], (5, 2)),
        ([5, 9, 9, 2, 4], (5, 4)),
        ([5, 9, 1, 2, 8, 2], (5, 2)),
    ],
)
def test_compare_pain_first_vs_latest_below_six_readings_medians_from_six(
    values: list[int], expected: tuple[int, int] | None
) -> None:
    change, _ = compare_pain(values, "Back pain")
    if expected is None:
        assert change is None
    else:
        assert change is not None
        assert (change.before, change.after) == expected


def test_summarise_flexibility_groups_by_test_protocol_and_leg() -> None:
    series = summarise(worked_input()).flexibility
    keys = [(s.kind, s.protocol, s.leg, len(s.points)) for s in series]
    chair, floor = MeasurementKind.CHAIR_SIT_AND_REACH, MeasurementKind.FINGERTIP_TO_FLOOR
    assert keys == [
        (chair, "csr-17in", "left", 1),
        (chair, "csr-44cm", "left", 2),
        (chair, "csr-44cm", "right", 1),
        (floor, "ftf", None, 2),
    ]
    assert series[0].change is None
    left = series[1].change
    assert left is not None
    assert (
        left.sentence
        == "Chair sit-and-reach went from −3 cm to 5 cm (+8 cm): a real change for the better."
    )
    assert series[1].label == "Chair sit-and-reach, left leg"
    assert series[1].rule.startswith("≥ 7 cm")
    floor_change = series[3].change
    assert floor_change is not None
    assert floor_change.direction is Direction.BETTER
    assert not floor_change.is_real_change  # 3 cm is under the 4.5 cm MDC


def test_summarise_questionnaires_first_vs_latest_with_their_rules() -> None:
    summary = summarise(worked_input())
    by = {q.instrument: q for q in summary.questionnaires}
    assert [q.instrument for q in summary.questionnaires] == [
        Instrument.ODI,
        Instrument.RMDQ,
        Instrument.PSFS,
        Instrument.STARTBACK,
    ]
    odi = by[Instrument.ODI]
    assert (odi.first.score, odi.latest.score) == (40, 26)  # sorted by date, not input order
    assert (
        odi.sentence
        == "Your ODI score went from 40 to 26 (−14 points, 35%): a real change for the better."
    )
    assert odi.rule == "≥ 10 points or 30%"
    rmdq = by[Instrument.RMDQ]
    assert rmdq.change is not None
    assert not rmdq.change.is_real_change  # 2 points, 20%
    psfs = by[Instrument.PSFS]
    assert psfs.psfs is not None
    assert psfs.change is not None
    assert not psfs.change.is_real_change  # mean 4 -> 5.33
    assert psfs.psfs.is_real_change  # activity a: 3 -> 6
    assert (
        "Sitting through a meeting went from 3 to 6 (+3 points): a real change for the better."
        in psfs.sentence
    )
    startback = by[Instrument.STARTBACK]
    assert startback.change is None
    assert "information to share with your clinician" in startback.note
    assert "higher-risk" in startback.note


def test_summarise_psfs_by_activity_uses_names_and_marks_retired() -> None:
    rows = summarise(worked_input()).psfs_activities
    assert [(r.name, r.first, r.latest, r.retired) for r in rows] == [
        ("Sitting through a meeting", 3, 6, False),
        ("Putting on socks", 4, 5, False),
        ("Lifting a shopping bag", 5, 5, True),
    ]
    assert rows[0].change is not None
    assert rows[0].change.is_real_change
    assert rows[1].change is not None
    assert not rows[1].change.is_real_change


def test_summarise_period_notes_and_calendar() -> None:
    summary = summarise(worked_input())
    assert summary.period == (days_ago(60), TODAY)
    assert summary.notes == ((days_ago(6), "Long drive"),)
    assert len(summary.calendar) == 8
    last_row = summary.calendar[-1]
    assert [cell.session_count for cell in last_row[:3]] == [1, 1, 0]  # today's quit is not real
    assert last_row[2].day == TODAY
    # Leg up on day -9 (vs day -60), back up on day -8: two worse days in a row. Nobody lifted
    # that pause, so it still holds (only the person lifts it); nothing else is said.
    assert summary.plan.paused_by == (days_ago(9), days_ago(8))
    assert len(summary.plan.messages) == 1


def test_summarise_uses_local_days_in_the_given_timezone() -> None:
    plus_ten = timezone(timedelta(hours=10))
    # 20:00 UTC on 10 March is 06:00 on 11 March in UTC+10: today, so the streak is 1.
    late = session(days_ago(1), step("low-back", 120), hour=20)
    data = ProgressInput([late], [], [], [], [], TODAY, plus_ten)
    summary = summarise(data)
    assert summary.streak == 1
    assert summary.last_sessions[0].started.date() == TODAY
    assert summarise(ProgressInput([late], [], [], [], [], TODAY, UTC)).streak == 1
    assert summary.calendar[-1][2].session_count == 1


def test_summarise_empty_history() -> None:
    summary = summarise(empty_input())
    assert summary.period is None
    assert not summary.has_data
    assert not summary.has_sessions
    assert summary.streak == 0
    assert summary.last_sessions == ()
    assert summary.pain.back.change is None
    assert summary.flexibility == ()
    assert summary.questionnaires == ()


def test_summarise_keeps_status_of_interrupted_sessions() -> None:
    data = ProgressInput(
        [session(TODAY, status=SessionStatus.INTERRUPTED)], [], [], [], [], TODAY, UTC
    )
    summary = summarise(data)
    assert summary.totals.interrupted == 1
    assert summary.totals.real == 0
    assert summary.last_sessions[0].result == "interrupted"


def test_summary_parts_are_reused_only_while_their_records_are_the_same() -> None:
    """A summary built from kept parts equals one worked out afresh, after a check-in (the
    sessions' part kept), after a session (the pain part kept) and on the next day (neither)."""
    from dataclasses import replace

    from deskstretch.coach.progress import SummaryParts
    from deskstretch.core.painrules import daily_pain
    from helpers.progress_records import checkin

    parts = SummaryParts()
    data = worked_input()
    assert summarise(data, parts) == summarise(data)
    assert parts.sessions is not None
    kept_sessions = parts.sessions[3]
    checkins = [*data.checkins, checkin(TODAY, 9, 2, hour=11, note="x")]
    # The Coach hands in the day readings it keeps; the pain part is kept while they are the same.
    after_checkin = replace(data, checkins=checkins, daily=daily_pain(checkins, UTC))
    assert summarise(after_checkin, parts) == summarise(after_checkin)
    assert parts.sessions[3] is kept_sessions  # the sessions were not gone through again
    assert parts.pain is not None
    kept_pain = parts.pain[4]
    after_session = replace(
        after_checkin, sessions=[*after_checkin.sessions, session(TODAY, step("hamstrings", 60))]
    )
    fresh = summarise(after_session)
    assert summarise(after_session, parts) == fresh
    assert parts.pain[4] is kept_pain
    assert fresh.totals.recorded == len(after_session.sessions)
    tomorrow = replace(after_session, today=TODAY + timedelta(days=1))
    assert summarise(tomorrow, parts) == summarise(tomorrow)
    assert parts.pain[4] is not kept_pain
