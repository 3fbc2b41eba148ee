"""The programme over weeks (core.programme), replayed from whole 6-week histories with plain dates
as the clock: steady progress, missed weeks, flares, too much, a pause, the end, re-measures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deskstretch.core.painrules import daily_pain
from deskstretch.core.programme import (
    LevelMove,
    Programme,
    ProgressionRule,
    Standing,
    pause_periods,
    standing,
    week_plan,
)
from deskstretch.core.records import (
    CheckIn,
    ProgrammeEvent,
    ProgrammeEventKind,
    SessionRecord,
    SessionStatus,
)
from helpers.core_factories import (
    local_at,
    make_checkin,
    make_level,
    make_programme,
    make_session,
)

START = date(2026, 3, 2)  # a Monday: programme weeks run Monday to Sunday
COMPLETED = SessionStatus.COMPLETED
# Three levels of at least a week each; the default rule: 3 sessions in 7 days, none too much.
PROGRAMME = make_programme()
# Three levels of at least two weeks each: steady work gives levels 1, 1, 2, 2, 3, 3.
TWO_WEEK_LEVELS = make_programme(*(make_level(number, min_weeks=2) for number in (1, 2, 3)))
ROTATING = make_programme(
    make_level(1, routines=("a", "b", "c")), make_level(2, routines=("d", "e")), make_level(3)
)
SESSION_OFFSETS = (0, 2, 4, 6, 1, 3, 5)  # Monday, Wednesday, Friday, then the other days
PAUSE_REASON = "You answered yes to a question about numbness in the saddle area."


def day(week: int, offset: int = 0) -> date:
    """Day ``offset`` (0 = Monday) of programme week ``week`` (1-based)."""
    return START + timedelta(days=7 * (week - 1) + offset)


def sessions_in(
    week: int,
    count: int = 3,
    *,
    status: SessionStatus = COMPLETED,
    too_much: int = 0,
    offsets: Sequence[int] = SESSION_OFFSETS,
) -> list[SessionRecord]:
    """``count`` sessions at 09:00 UTC in programme week ``week``; the first ``too_much`` of
    them felt too much."""
    return [
        make_session(local_at(day(week, offset)), status, too_much=index < too_much)
        for index, offset in enumerate(offsets[:count])
    ]


def steady(weeks: Iterable[int] = range(1, 7)) -> list[SessionRecord]:
    return [session for week in weeks for session in sessions_in(week)]


def pain(first: date, *backs: int) -> list[CheckIn]:
    """A morning check-in a day from ``first``, with these back pain ratings in turn."""
    return [
        make_checkin(local_at(first + timedelta(days=index), 8), back)
        for index, back in enumerate(backs)
    ]


def stand(
    today: date,
    sessions: Iterable[SessionRecord] = (),
    checkins: Iterable[CheckIn] = (),
    programme: Programme = PROGRAMME,
    tz: tzinfo = UTC,
    **options: Any,
) -> Standing:
    return standing(programme, START, sessions, checkins, today, tz, **options)


def levels_by_week(
    sessions: Sequence[SessionRecord],
    checkins: Sequence[CheckIn] = (),
    programme: Programme = PROGRAMME,
    **options: Any,
) -> list[int]:
    """The level on the first day of each programme week, as replayed on that day."""
    return [
        stand(day(week), sessions, checkins, programme, **options).level.number
        for week in range(1, programme.weeks + 1)
    ]


def moves(result: Standing) -> list[tuple[int, int, LevelMove]]:
    return [(change.week, change.level, change.move) for change in result.levels]


# ----- steady progress ----------------------------------------------------------------------------


def test_standing_steady_progress_moves_up_a_level_a_week_and_stops_at_the_last() -> None:
    history = steady()
    assert levels_by_week(history) == [1, 2, 3, 3, 3, 3]
    end = stand(day(6, 6), history)
    assert moves(end) == [(1, 1, LevelMove.START), (2, 2, LevelMove.UP), (3, 3, LevelMove.UP)]
    assert end.levels[1].starts_on == day(2)
    # No pain ratings: the reason claims nothing about pain.
    assert end.levels[1].reason == "You did 3 sessions in the 7 days before, none felt too much."
    assert stand(day(4, 1), history).next_change == (
        "You stay at level 3, the last level, to the end of the programme."
    )


def test_standing_steady_progress_waits_for_each_levels_min_weeks() -> None:
    history = steady()
    assert levels_by_week(history, programme=TWO_WEEK_LEVELS) == [1, 1, 2, 2, 3, 3]
    assert stand(day(1, 5), history, programme=TWO_WEEK_LEVELS).next_change == (
        "You stay at level 1 next week: this level lasts at least 2 weeks."
    )


def test_standing_reason_names_the_pain_when_there_were_readings() -> None:
    history = steady()
    readings = pain(START, *[3] * 14)
    change = stand(day(2, 3), history, readings).levels[1]
    assert change.reason == (
        "You did 3 sessions in the 7 days before, none felt too much, and your back pain was no"
        " worse than when the level began."
    )


def test_standing_counts_the_week_and_the_sessions_planned_and_done() -> None:
    history = steady()
    result = stand(day(3, 2), history)
    assert (result.week, result.weeks, result.week_starts, result.next_week_starts) == (
        3,
        6,
        day(3),
        day(4),
    )
    assert (result.sessions_done, result.sessions_planned) == (2, 3)
    assert result.done_on == (day(3, 0), day(3, 2))
    assert not result.is_finished
    assert result.level_count == 3


def test_standing_replay_never_rewrites_the_past() -> None:
    """The level history of any day is the start of the next day's: records after ``today`` are
    ignored, so the same history gives the same past on every later day."""
    history = (
        sessions_in(1) + sessions_in(2, 3, too_much=2) + sessions_in(3, 1) + steady(range(4, 7))
    )
    readings = pain(START, *[3] * 16, 4, 5, *[3] * 30)
    previous = stand(START, history, readings)
    for offset in range(1, 50):
        current = stand(START + timedelta(days=offset), history, readings)
        assert current.levels[: len(previous.levels)] == previous.levels, offset
        previous = current
    assert len(previous.levels) >= 4  # the history did move, up and down


# ----- missed weeks -------------------------------------------------------------------------------


def test_standing_missed_weeks_hold_the_level_and_a_good_week_moves_it_up_later() -> None:
    history = sessions_in(1, 1) + sessions_in(2, 2) + steady(range(3, 7))
    assert levels_by_week(history, programme=TWO_WEEK_LEVELS) == [1, 1, 1, 2, 2, 3]
    assert levels_by_week(history) == [1, 1, 1, 2, 3, 3]


def test_standing_says_what_is_still_needed_this_week() -> None:
    one_on_monday = sessions_in(1, 1)
    assert stand(day(1, 2), one_on_monday).next_change == (
        "From Monday 9 March: level 2 if you do 2 more sessions this week and none feels too much."
    )
    assert stand(day(2), sessions_in(1, 1)).next_change == (
        "From Monday 16 March: level 2 if you do 3 more sessions this week and none feels too much."
    )
    assert stand(day(1, 5), sessions_in(1, 3)).next_change == (
        "From Monday 9 March: level 2 if no session feels too much."
    )
    # Friday's session is not done yet on Wednesday, though the records hold it.
    assert stand(day(1, 2), sessions_in(1, 3)).next_change == (
        "From Monday 9 March: level 2 if you do 1 more session this week and none feels too much."
    )


def test_standing_says_the_level_stays_when_the_sessions_are_out_of_reach() -> None:
    # Sunday, one session done: two more would take two days, and one a day is the most we ask.
    assert stand(day(1, 6), sessions_in(1, 1)).next_change == (
        "You stay at level 1 next week: 1 of 3 sessions this week."
    )
    assert stand(day(1, 6), sessions_in(1, 2)).next_change == (
        "From Monday 9 March: level 2 if you do 1 more session this week and none feels too much."
    )


# ----- regression: flares and too much -----------------------------------------------------------

# Back pain 3 every morning, except Wednesday 11 and Thursday 12 March (week 2): 4, then 5.
FLARE_IN_WEEK_2 = pain(START, *[3] * 9, 4, 5, 5, 3, 3, *[3] * 28)


def test_standing_two_worse_days_in_a_row_move_down_one_level_with_the_reason() -> None:
    history = steady()
    assert levels_by_week(history, FLARE_IN_WEEK_2) == [1, 2, 1, 2, 3, 3]
    end = stand(day(6, 6), history, FLARE_IN_WEEK_2)
    assert moves(end)[:3] == [
        (1, 1, LevelMove.START),
        (2, 2, LevelMove.UP),
        (3, 1, LevelMove.DOWN),
    ]
    assert end.levels[2].reason == "Your pain was higher two days in a row (11 March and 12 March)."
    assert stand(day(2, 4), history, FLARE_IN_WEEK_2).next_change == (
        "Back to level 1 next week: your pain was higher two days in a row (11 March and 12 March)."
    )
    # On the Wednesday only the first worse day has come.
    assert stand(day(2, 2), history, FLARE_IN_WEEK_2).next_change == (
        "From Monday 16 March: level 3 if you do 1 more session this week, none feels too much"
        " and your back pain comes down to 3.0 or less on average."
    )


def test_standing_one_worse_day_is_not_a_flare_but_holds_the_level() -> None:
    # Wednesday of week 2 is worse, the days after it only as bad: no move down, but the week's
    # mean (24/7) is above level 2's start (3), so no move up either until pain settles.
    one_worse_day = pain(START, *[3] * 9, 4, 4, 4, 3, 3, *[3] * 28)
    history = steady()
    assert levels_by_week(history, one_worse_day) == [1, 2, 2, 3, 3, 3]
    assert [change.move for change in stand(day(6), history, one_worse_day).levels] == [
        LevelMove.START,
        LevelMove.UP,
        LevelMove.UP,
    ]


def test_standing_after_a_flare_moves_up_only_when_pain_is_back_where_the_level_began() -> None:
    # The flare in week 2, then back pain 4 through weeks 3 and 4 and 3 again from week 5.
    readings = pain(START, *[3] * 9, 4, 5, 5, 3, 3, *[4] * 14, *[3] * 14)
    history = steady()
    assert levels_by_week(history, readings) == [1, 2, 1, 1, 1, 2]
    assert stand(day(3, 5), history, readings).next_change == (
        "From Monday 23 March: level 2 if no session feels too much and your back pain comes"
        " down to 3.0 or less on average."
    )
    # A pain margin of one point lets the same weeks move up.
    lenient = make_programme(rule=ProgressionRule(pain_margin=1.0))
    assert levels_by_week(history, readings, lenient) == [1, 2, 1, 2, 3, 3]


def test_standing_moves_up_on_sessions_at_the_level_only() -> None:
    # A 14-day window: at the end of week 2 it holds week 1 too, done at level 1.
    fortnight = make_programme(rule=ProgressionRule(window_days=14))
    history = sessions_in(1) + sessions_in(2, 1) + sessions_in(3, 2)
    assert levels_by_week(history, programme=fortnight) == [1, 2, 2, 3, 3, 3]
    assert stand(day(2, 1), history, programme=fortnight).next_change == (
        "From Monday 16 March: level 3 if you do 2 more sessions in the last 14 days and none"
        " feels too much."
    )


def test_standing_pain_is_compared_with_the_readings_before_the_programme() -> None:
    before = [make_checkin(local_at(START - timedelta(days=n), 8), 2) for n in range(1, 8)]
    history = sessions_in(1)
    assert stand(day(2), history, before + pain(START, *[2] * 7)).level.number == 2
    assert stand(day(2), history, before + pain(START, *[4] * 7)).level.number == 1


def test_standing_a_flare_at_level_1_starts_the_level_again() -> None:
    readings = pain(START, 3, 4, 5, *[5] * 11)
    history = steady()
    assert stand(day(1, 3), history, readings).next_change == (
        "Level 1 again next week: your pain was higher two days in a row (3 March and 4 March)."
    )
    after = stand(day(2, 1), history, readings)
    assert after.level.number == 1
    assert moves(after) == [(1, 1, LevelMove.START), (2, 1, LevelMove.AGAIN)]


def test_standing_two_sessions_too_much_move_down_one_level() -> None:
    history = sessions_in(1) + sessions_in(2, 3, too_much=2) + steady(range(3, 7))
    assert levels_by_week(history) == [1, 2, 1, 2, 3, 3]
    assert stand(day(3), history).levels[-1].reason == "Two sessions felt too much."


def test_standing_a_partial_session_that_was_too_much_still_counts_as_too_much() -> None:
    too_much_partials = sessions_in(2, 2, status=SessionStatus.PARTIAL, too_much=2, offsets=(1, 3))
    history = steady() + too_much_partials
    assert levels_by_week(history) == [1, 2, 1, 2, 3, 3]


def test_standing_one_session_too_much_holds_the_level() -> None:
    history = sessions_in(1, 3, too_much=1) + steady(range(2, 7))
    assert levels_by_week(history) == [1, 1, 2, 3, 3, 3]
    assert stand(day(1, 6), history).next_change == (
        "You stay at level 1 next week: one session felt too much this week."
    )
    allowing_one = make_programme(rule=ProgressionRule(max_too_much=1))
    assert levels_by_week(history, programme=allowing_one) == [1, 2, 3, 3, 3, 3]


def test_standing_two_sessions_too_much_at_level_1_start_it_again() -> None:
    history = sessions_in(1, 3, too_much=2)
    assert stand(day(1, 5), history).next_change == (
        "Level 1 again next week: two sessions felt too much."
    )
    assert moves(stand(day(2), history))[-1] == (2, 1, LevelMove.AGAIN)


# ----- a red flag or the pain pause mid-programme -------------------------------------------------


def test_standing_pause_mid_programme_holds_the_level_while_weeks_pass() -> None:
    # Level 2 from week 3; in week 4 three sessions Monday to Wednesday, then a red flag on
    # Thursday. Weeks 5 and 6 have sessions too, so only the pause can hold the level.
    history = steady(range(1, 4)) + sessions_in(4, offsets=(0, 1, 2)) + steady(range(5, 7))
    since = day(4, 3)
    assert levels_by_week(history, programme=TWO_WEEK_LEVELS) == [1, 1, 2, 2, 3, 3]

    during = stand(
        day(4, 4), history, programme=TWO_WEEK_LEVELS, paused=PAUSE_REASON, paused_since=since
    )
    assert during.paused == PAUSE_REASON
    assert during.next_change == (
        "You stay at level 2 next week: no moving up while the programme is paused."
    )
    assert stand(day(4, 4), history, programme=TWO_WEEK_LEVELS).next_change == (
        "From Monday 30 March: level 3 if no session feels too much."
    )
    later = stand(
        day(6, 2), history, programme=TWO_WEEK_LEVELS, paused=PAUSE_REASON, paused_since=since
    )
    assert (later.week, later.level.number, later.paused) == (6, 2, PAUSE_REASON)
    finished = stand(
        day(7), history, programme=TWO_WEEK_LEVELS, paused=PAUSE_REASON, paused_since=since
    )
    assert (finished.is_finished, finished.level.number) == (True, 2)


def test_standing_pause_holds_only_the_weeks_from_its_first_day() -> None:
    history = steady()
    # Paused from week 3 (from its first day, or later): the move up at the end of week 2
    # stands, the later ones do not.
    for since in (day(3), day(3, 2)):
        result = stand(day(5), history, paused=PAUSE_REASON, paused_since=since)
        expected = [(1, 1, LevelMove.START), (2, 2, LevelMove.UP), (3, 3, LevelMove.UP)]
        assert moves(result) == expected
    result = stand(day(5), history, paused=PAUSE_REASON, paused_since=day(2, 2))
    assert moves(result) == [(1, 1, LevelMove.START), (2, 2, LevelMove.UP)]
    # With no first day known, only the current week is held.
    assert stand(day(2, 3), history, paused=PAUSE_REASON).level.number == 2


def test_standing_a_setback_still_moves_down_while_paused() -> None:
    history = steady()
    paused = stand(day(2, 4), history, FLARE_IN_WEEK_2, paused=PAUSE_REASON)
    assert paused.next_change.startswith("Back to level 1 next week:")
    later = stand(day(3), history, FLARE_IN_WEEK_2, paused=PAUSE_REASON, paused_since=day(2, 3))
    assert later.level.number == 1


# ----- stored pauses: lifting one never moves the person up for the weeks it covered ----------


def event(kind: ProgrammeEventKind, on: date, hour: int = 10) -> ProgrammeEvent:
    return ProgrammeEvent(f"{kind}-{on}", local_at(on, hour), kind)


def level_on(result: Standing, on: date) -> int:
    """The level ``result``'s history gives the day ``on``."""
    return [change.level for change in result.levels if change.starts_on <= on][-1]


def test_standing_a_red_flag_mid_programme_earns_no_move_up_once_lifted() -> None:
    """A fake clock over the whole six weeks: the answers lock the routines on Thursday of week 4
    and let them play again on Tuesday of week 5. Each day's standing comes from what was
    stored by then; replayed on the last day, no level change counts a day of the pause."""
    locked_on, cleared_on = day(4, 3), day(5, 1)
    events = [
        event(ProgrammeEventKind.SAFETY_LOCKED, locked_on),
        event(ProgrammeEventKind.SAFETY_CLEARED, cleared_on, 18),
    ]
    # Sessions on every other day: three in week 4 before the lock, three in week 5 after it.
    history = (
        steady(range(1, 4))
        + sessions_in(4, offsets=(0, 1, 2))
        + sessions_in(5, offsets=(2, 3, 4))
        + steady([6])
    )
    shown: dict[date, int] = {}
    for offset in range(6 * 7):
        today = START + timedelta(days=offset)
        stored = [e for e in events if e.at.date() <= today]
        # The Coach's current pause: the lock holds from its day until the day it is lifted.
        paused = PAUSE_REASON if locked_on <= today < cleared_on else None
        result = stand(
            today,
            history,
            programme=TWO_WEEK_LEVELS,
            paused=paused,
            paused_since=locked_on if paused else None,
            pauses=pause_periods(stored, (), UTC),
        )
        shown[today] = result.level.number
        if locked_on <= today <= cleared_on:
            assert result.level.number == 2
    last = stand(
        day(6, 6), history, programme=TWO_WEEK_LEVELS, pauses=pause_periods(events, (), UTC)
    )
    # Weeks 4 and 5 touched the pause: neither end of week moved the person up.
    assert moves(last) == [(1, 1, LevelMove.START), (3, 2, LevelMove.UP)]
    assert last.level.number == 2
    # The replay never rewrites a day already shown.
    assert all(level_on(last, today) == level for today, level in shown.items())
    # Without the stored pause, lifting it moved the person up for the weeks it covered.
    forgetful = stand(day(6, 6), history, programme=TWO_WEEK_LEVELS)
    assert forgetful.level.number == 3
    assert level_on(forgetful, day(5)) != shown[day(5)]


def test_standing_next_change_says_the_pause_holds_the_level() -> None:
    history = steady()
    pauses = pause_periods(
        [
            event(ProgrammeEventKind.SAFETY_LOCKED, day(2, 1)),
            event(ProgrammeEventKind.SAFETY_CLEARED, day(2, 2)),
        ],
        (),
        UTC,
    )
    result = stand(day(2, 4), history, pauses=pauses)
    assert result.level.number == 2
    assert result.next_change == (
        "You stay at level 2 next week: the days of the pause do not count toward moving up."
    )
    assert stand(day(3), history, pauses=pauses).level.number == 2  # held, not moved up
    assert stand(day(4), history, pauses=pauses).level.number == 3  # a clean week moves up


def test_pause_periods_from_locks_questions_and_pain() -> None:
    checkins = pain(START, 2, 2, 3, 4, 4, 4, 2, 3, 4, 4)  # worse on days 3-4, again on 8-9
    events = [
        event(ProgrammeEventKind.QUESTIONS_DUE, day(1, 1)),
        event(ProgrammeEventKind.QUESTIONS_ANSWERED, day(1, 2)),
        event(ProgrammeEventKind.RESUMED_BACK_TO_USUAL, day(1, 5)),
        event(ProgrammeEventKind.SAFETY_LOCKED, day(3)),
    ]
    periods = pause_periods(events, daily_pain(checkins, UTC), UTC)
    assert periods == (
        (day(1, 1), day(1, 2)),  # questions due until answered
        (day(1, 3), day(1, 5)),  # two worse days in a row until the person lifted the pause
        (day(2, 1), None),  # two more after the resume: not lifted yet
        (day(3), None),  # a lock not cleared
    )
    # Worse days that straddle the resume day do not pause again (painrules.find_pause).
    straddling = pain(START, 2, 3, 4, 4)
    assert (
        pause_periods(
            [event(ProgrammeEventKind.RESUMED_SEEN_CLINICIAN, day(1, 1))],
            daily_pain(straddling, UTC),
            UTC,
        )
        == ()
    )


# ----- the end of the programme -------------------------------------------------------------------


def test_standing_finishes_after_week_6_and_makes_no_change_after_it() -> None:
    only_week_6 = sessions_in(6)
    last_week = stand(day(6, 6), only_week_6)
    assert not last_week.is_finished
    assert last_week.next_change == (
        "This is the programme's last week: it ends after Sunday 12 April."
    )
    for today in (day(7), day(9, 3)):
        result = stand(today, only_week_6)
        assert result.is_finished
        assert result.level.number == 1
        assert moves(result) == [(1, 1, LevelMove.START)]
        assert result.next_change == "The programme is finished: you reached level 1 of 3."
    assert stand(day(7), steady()).next_change == (
        "The programme is finished: you reached level 3 of 3."
    )
    assert stand(day(7), steady()).week == 7


def test_standing_before_the_start_counts_as_the_first_day() -> None:
    result = stand(START - timedelta(days=2))
    assert (result.week, result.today, result.level.number) == (1, START, 1)


def test_standing_rejects_a_programme_it_cannot_play() -> None:
    empty_level = make_programme(make_level(1, routines=()))
    with pytest.raises(ValueError, match="a routine in every level"):
        stand(START, programme=empty_level)


# ----- re-measurement -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "measured_on", "due"),
    [
        (day(1), (), 1),
        (day(1), (START,), None),
        (day(2, 3), (), 1),
        (day(2, 3), (START,), None),
        (day(3), (START,), 3),
        (day(3, 2), (START, day(2, 6)), 3),  # before week 3 began: does not count
        (day(3, 2), (START, day(3, 1)), None),
        (day(3, 2), (START, day(3, 4)), 3),  # after today: not yet
        (day(5, 6), (day(3),), None),
        (day(6), (START, day(3)), 6),
        (day(8), (START, day(3)), 6),  # finished, the last re-measure still asked for
        (day(8), (START, day(3), day(7, 2)), None),
    ],
)
def test_standing_remeasure_due_at_weeks_1_3_and_6_until_measured(
    today: date, measured_on: tuple[date, ...], due: int | None
) -> None:
    result = stand(today, measured_on=measured_on)
    assert result.remeasure_week == due
    assert result.is_remeasure_due is (due is not None)


def test_standing_remeasure_follows_the_programmes_weeks() -> None:
    programme = make_programme(remeasure_weeks=(2,))
    assert stand(day(1), programme=programme).remeasure_week is None
    assert stand(day(2), programme=programme).remeasure_week == 2


# ----- today's routine ----------------------------------------------------------------------------


def test_standing_routines_rotate_by_completed_sessions_at_the_level() -> None:
    history = [
        make_session(local_at(day(1, 0))),
        make_session(local_at(day(1, 1)), SessionStatus.PARTIAL),
        make_session(local_at(day(1, 2))),
        make_session(local_at(day(1, 4))),
        make_session(local_at(day(2, 1))),
    ]
    routine = [stand(day(1, n), history, programme=ROTATING).routine_id for n in range(7)]
    assert routine == ["b", "b", "c", "c", "a", "a", "a"]
    # Moved up: the new level's routines from its first.
    assert stand(day(2, 0), history, programme=ROTATING).routine_id == "d"
    assert stand(day(2, 1), history, programme=ROTATING).routine_id == "e"
    assert stand(day(2, 1), history, programme=ROTATING).sessions_at_level == 1


def test_standing_rotation_carries_on_through_a_level_s_second_week() -> None:
    two_weeks = make_programme(make_level(1, routines=("a", "b", "c"), min_weeks=2))
    history = sessions_in(1, 2)
    assert stand(day(2), history, programme=two_weeks).routine_id == "c"


# ----- partial and interrupted sessions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "done", "level_next_week"),
    [
        (SessionStatus.COMPLETED, 3, 2),
        (SessionStatus.PARTIAL, 2, 1),
        (SessionStatus.INTERRUPTED, 2, 1),
        (SessionStatus.QUIT_EARLY, 2, 1),
        (SessionStatus.IN_PROGRESS, 2, 1),
    ],
)
def test_standing_counts_only_completed_sessions(
    status: SessionStatus, done: int, level_next_week: int
) -> None:
    history = sessions_in(1, 2) + sessions_in(1, 1, status=status, offsets=(5,))
    assert stand(day(1, 6), history).sessions_done == done
    assert stand(day(2), history).level.number == level_next_week


# ----- local days across daylight saving time -----------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")  # clocks go forward on Sunday 8 March 2026
BERLIN = ZoneInfo("Europe/Berlin")  # clocks go forward on Sunday 29 March 2026


def test_standing_weeks_follow_local_days_across_a_dst_change() -> None:
    # Week 1 ends on the Sunday the clocks change; its third session starts at 23:30 that night
    # (03:30 UTC on Monday) and a fourth at 00:30 on Monday (04:30 UTC, still Monday).
    history = [
        make_session(local_at(day(1, 0), 9, tz=NEW_YORK)),
        make_session(local_at(day(1, 2), 9, tz=NEW_YORK)),
        make_session(local_at(day(1, 6), 23, 30, tz=NEW_YORK)),
        make_session(local_at(day(2, 0), 0, 30, tz=NEW_YORK)),
    ]
    in_new_york = stand(day(2), history, tz=NEW_YORK)
    assert in_new_york.level.number == 2
    assert in_new_york.done_on == (day(2),)
    assert stand(day(1, 6), history, tz=NEW_YORK).sessions_done == 3
    # Read in UTC, the Sunday session falls on Monday: the same records would not move up.
    assert stand(day(2), history, tz=UTC).level.number == 1


def test_standing_a_monday_after_the_change_belongs_to_the_next_week() -> None:
    # Week 4 is 23-29 March; 00:30 on Monday 30 March in Berlin is 22:30 UTC on Sunday 29 March.
    history = [
        make_session(local_at(day(4, 0), 18, tz=BERLIN)),
        make_session(local_at(day(4, 2), 18, tz=BERLIN)),
        make_session(local_at(day(5, 0), 0, 30, tz=BERLIN)),
    ]
    assert stand(day(5), history, tz=BERLIN).level.number == 1
    assert stand(day(5), history, tz=BERLIN).sessions_done == 1
    assert stand(day(5), history, tz=UTC).level.number == 2


def test_standing_flare_days_are_local_days_across_a_dst_change() -> None:
    # Check-ins at 21:00 in New York: after the change that is 01:00 UTC the next day. Local
    # mornings 3, 4, 5 on Saturday, Sunday and Monday: two worse days in a row, the second on the
    # Monday of week 2. Read in UTC the Sunday reading lands on Monday beside it, and is lost.
    readings = [
        make_checkin(local_at(day(1, 5), 21, tz=NEW_YORK), 3),
        make_checkin(local_at(day(1, 6), 21, tz=NEW_YORK), 4),
        make_checkin(local_at(day(2, 0), 8, tz=NEW_YORK), 5),
    ]
    history = steady()
    assert stand(day(2, 3), history, readings, tz=NEW_YORK).next_change.startswith(
        "Back to level 1 next week: your pain was higher two days in a row (8 March and 9 March)"
    )
    assert not stand(day(2, 3), history, readings, tz=UTC).next_change.startswith("Back")


# ----- the week's plan ----------------------------------------------------------------------------


def plan_of(today: date, history: Sequence[SessionRecord] = ()) -> list[tuple[int, str | None]]:
    """(sessions done, routine planned) for each day of the week."""
    plan = week_plan(stand(today, history, programme=ROTATING))
    return [(planned.sessions_done, planned.routine_id) for planned in plan.days]


def test_week_plan_spreads_the_weeks_sessions_from_the_first_day() -> None:
    plan = week_plan(stand(START, programme=ROTATING))
    assert (plan.week, plan.level.number) == (1, 1)
    assert [planned.day for planned in plan.days] == [day(1, n) for n in range(7)]
    assert [planned.routine_id for planned in plan.days] == ["a", None, "b", None, "c", None, None]
    assert {planned.micro_breaks for planned in plan.days} == {4}


def test_week_plan_spreads_what_is_left_from_today() -> None:
    monday = [make_session(local_at(day(1, 0)))]
    assert plan_of(day(1, 2), monday) == [
        (1, None),
        (0, None),
        (0, "b"),
        (0, None),
        (0, "c"),
        (0, None),
        (0, None),
    ]
    # Done today: the rest from tomorrow.
    monday_and_wednesday = [*monday, make_session(local_at(day(1, 2)))]
    planned = [routine for _, routine in plan_of(day(1, 2), monday_and_wednesday)]
    assert planned == [None, None, None, "c", None, None, None]


def test_week_plan_asks_at_most_one_session_a_day_and_none_when_done() -> None:
    assert [routine for _, routine in plan_of(day(1, 6))] == [None] * 6 + ["a"]
    done = sessions_in(1)
    assert [routine for _, routine in plan_of(day(1, 4), done)] == [None] * 7
    assert [count for count, _ in plan_of(day(1, 4), done)] == [1, 0, 1, 0, 1, 0, 0]
