"""Pain rules (domain.md §3.3): too much, worse days, lighter doses, easier routines, re-asks."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from deskstretch.core.models import Dose, Exercise, Position, Step
from deskstretch.core.painrules import (
    BECAUSE_PAIN_ROSE,
    DailyPain,
    assess_pain,
    daily_pain,
    easier_routine,
    is_worse_day,
    reduce_dose,
    session_was_too_much,
    should_reask_cauda_equina,
)
from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    ProgrammeEvent,
    ProgrammeEventKind,
    SessionRecord,
    SessionStatus,
)
from helpers.core_factories import make_exercise, make_routine

TODAY = date(2026, 3, 10)
TWO_BY_30 = Dose(reps=2, hold_seconds=30)
# UTC+10 with no daylight saving: local midnight is 14:00 UTC the day before.
PLUS_10 = timezone(timedelta(hours=10))

# ----- builders -----------------------------------------------------------------------------------


def checkin(
    at: datetime,
    back: int | None = None,
    leg: int | None = None,
    *,
    context: CheckInContext = CheckInContext.ANYTIME,
    session_id: str | None = None,
) -> CheckIn:
    return CheckIn(
        id=f"c-{at.isoformat()}-{context}",
        at=at,
        back_pain=back,
        leg_pain=leg,
        context=context,
        session_id=session_id,
    )


def morning(day: date, back: int | None = None, leg: int | None = None) -> CheckIn:
    """A 09:00 UTC check-in (also the same local day in UTC)."""
    return checkin(datetime(day.year, day.month, day.day, 9, tzinfo=UTC), back, leg)


def days_ago(count: int) -> date:
    return TODAY - timedelta(days=count)


def session(
    session_id: str,
    started_at: datetime,
    status: SessionStatus = SessionStatus.COMPLETED,
    *,
    too_much: bool = False,
) -> SessionRecord:
    return SessionRecord(
        id=session_id,
        routine_id="r",
        routine_name="Routine",
        started_at=started_at,
        status=status,
        too_much=too_much,
    )


def session_with_checkins(
    session_id: str, started_at: datetime, before: int, after: int
) -> tuple[SessionRecord, list[CheckIn]]:
    """A completed session with back-pain check-ins just before and after it."""
    return session(session_id, started_at), [
        checkin(
            started_at - timedelta(minutes=1),
            before,
            context=CheckInContext.BEFORE_SESSION,
            session_id=session_id,
        ),
        checkin(
            started_at + timedelta(minutes=6),
            after,
            context=CheckInContext.AFTER_SESSION,
            session_id=session_id,
        ),
    ]


def exercise(
    exercise_id: str,
    *,
    easier: tuple[str, ...] = (),
    contraindications: tuple[str, ...] = (),
    dose: Dose = TWO_BY_30,
    position: Position = Position.SEATED,
    replaced_by: str = "",
) -> Exercise:
    return dataclasses.replace(
        make_exercise(exercise_id, dose=dose),
        easier=easier,
        contraindications=contraindications,
        position=position,
        replaced_by=replaced_by,
    )


def step(ex: Exercise, dose: Dose | None = None) -> Step:
    return Step(exercise=ex, dose=dose or ex.dose, side_order=ex.side_order)


# ----- session_was_too_much -----------------------------------------------------------------------


NOON = datetime(2026, 3, 10, 12, tzinfo=UTC)


def test_session_was_too_much_rise_of_two_in_back() -> None:
    result = session_was_too_much(checkin(NOON, 2, 0), checkin(NOON, 4, 0))
    assert result is not None
    assert result.reason == "Your back pain went up from 2 to 4 after the session."


def test_session_was_too_much_rise_of_two_in_leg() -> None:
    result = session_was_too_much(checkin(NOON, 3, 1), checkin(NOON, 3, 3))
    assert result is not None
    assert "leg pain went up from 1 to 3" in result.reason


def test_session_was_too_much_after_six_without_a_before() -> None:
    result = session_was_too_much(None, checkin(NOON, 6, None))
    assert result is not None
    assert "back pain was 6 out of 10" in result.reason


@pytest.mark.parametrize(
    ("before", "after"),
    [((4, 0), (5, 0)), ((5, 2), (5, 3)), ((None, None), (5, 5)), ((5, 5), (3, 2))],
)
def test_session_was_too_much_not_for_five_or_a_small_rise(
    before: tuple[int | None, int | None], after: tuple[int | None, int | None]
) -> None:
    assert session_was_too_much(checkin(NOON, *before), checkin(NOON, *after)) is None


def test_session_was_too_much_needs_an_after_check_in() -> None:
    assert session_was_too_much(checkin(NOON, 2, 2), None) is None


def test_session_was_too_much_names_each_site() -> None:
    result = session_was_too_much(checkin(NOON, 1, 1), checkin(NOON, 3, 7))
    assert result is not None
    assert len(result.reasons) == 2


# ----- daily readings -----------------------------------------------------------------------------


def test_daily_pain_takes_the_first_reading_of_each_local_day() -> None:
    # 13:30 and 14:30 UTC are the same UTC day but 23:30 and 00:30 in UTC+10.
    late = checkin(datetime(2026, 3, 9, 13, 30, tzinfo=UTC), 3, 0)
    after_midnight = checkin(datetime(2026, 3, 9, 14, 30, tzinfo=UTC), 6, 0)
    later_same_day = checkin(datetime(2026, 3, 9, 20, 0, tzinfo=UTC), 1, 0)
    readings = daily_pain([later_same_day, after_midnight, late], PLUS_10)
    assert readings == (
        DailyPain(date(2026, 3, 9), 3, 0),
        DailyPain(date(2026, 3, 10), 6, 0),
    )
    assert len(daily_pain([late, after_midnight], UTC)) == 1


def test_daily_pain_uses_each_site_first_answer_and_skips_empty_check_ins() -> None:
    day = date(2026, 3, 10)
    at = datetime(2026, 3, 10, 8, tzinfo=UTC)
    readings = daily_pain(
        [
            checkin(at, None, None),
            checkin(at + timedelta(hours=1), 4, None),
            checkin(at + timedelta(hours=2), 7, 2),
            checkin(datetime(2026, 3, 11, 8, tzinfo=UTC), None, None),
        ],
        UTC,
    )
    assert readings == (DailyPain(day, 4, 2),)


@pytest.mark.parametrize(
    ("today", "previous", "worse"),
    [
        ((4, 0), (3, 0), True),
        ((3, 2), (3, 1), True),
        ((3, 1), (3, 1), False),
        ((4, None), (None, 3), False),
    ],
)
def test_is_worse_day_one_point_in_back_or_leg(
    today: tuple[int | None, int | None], previous: tuple[int | None, int | None], worse: bool
) -> None:
    assert is_worse_day(DailyPain(TODAY, *today), DailyPain(days_ago(1), *previous)) is worse


# ----- assess_pain --------------------------------------------------------------------------------


def test_assess_pain_with_nothing_recorded_changes_nothing() -> None:
    plan = assess_pain([], [], TODAY, UTC)
    assert (plan.easier_next, plan.volume_step, plan.paused) == (False, 0, False)
    assert plan.messages == ()
    assert plan.clinician_advice is None


def test_assess_pain_one_worse_day_reduces_volume_one_step() -> None:
    plan = assess_pain(
        [morning(days_ago(2), 3), morning(days_ago(1), 3), morning(TODAY, 4)], [], TODAY, UTC
    )
    assert plan.volume_step == 1
    assert not plan.paused
    assert plan.worse_days == (TODAY,)
    assert plan.messages == (
        "Your pain today was higher than on the last day you checked in, so the next routine is"
        " a little lighter: fewer repeats and shorter holds.",
    )


def test_assess_pain_two_worse_days_in_a_row_pauses_and_suggests_a_clinician() -> None:
    checkins = [morning(days_ago(2), 2), morning(days_ago(1), 3, 0), morning(TODAY, 3, 1)]
    plan = assess_pain(checkins, [], TODAY, UTC)
    assert plan.paused
    assert plan.worse_days == (days_ago(1), TODAY)
    assert plan.clinician_advice is not None
    assert "doctor or physiotherapist" in plan.clinician_advice
    assert any("two days in a row" in message for message in plan.messages)


def test_assess_pain_not_worse_latest_day_resets_the_lighter_dose() -> None:
    checkins = [morning(days_ago(2), 3), morning(days_ago(1), 4), morning(TODAY, 4)]
    plan = assess_pain(checkins, [], TODAY, UTC)
    assert (plan.volume_step, plan.paused) == (0, False)
    assert plan.messages == ()


def test_assess_pain_a_better_day_does_not_lift_the_pause() -> None:
    checkins = [
        morning(days_ago(3), 2),
        morning(days_ago(2), 3),
        morning(days_ago(1), 4),
        morning(TODAY, 1),
    ]
    plan = assess_pain(checkins, [], TODAY, UTC)
    assert (plan.volume_step, plan.paused) == (0, True)
    assert plan.paused_by == (days_ago(2), days_ago(1))


def test_assess_pain_compares_with_the_previous_recorded_day_not_the_calendar_day() -> None:
    plan = assess_pain([morning(days_ago(5), 2), morning(TODAY, 3)], [], TODAY, UTC)
    assert plan.volume_step == 1


def test_assess_pain_worse_yesterday_still_counts_today() -> None:
    plan = assess_pain([morning(days_ago(2), 2), morning(days_ago(1), 4)], [], TODAY, UTC)
    assert plan.volume_step == 1
    assert "yesterday" in plan.messages[0]


def test_assess_pain_old_worse_day_does_not_make_the_dose_lighter() -> None:
    checkins = [morning(days_ago(3), 3), morning(days_ago(2), 4)]
    plan = assess_pain(checkins, [], TODAY, UTC)
    assert (plan.volume_step, plan.paused) == (0, False)


@pytest.mark.parametrize("days_without_check_in", [2, 3, 10, 40])
def test_assess_pain_pause_holds_while_no_one_checks_in(days_without_check_in: int) -> None:
    last = days_without_check_in
    checkins = [
        morning(days_ago(last + 2), 2),
        morning(days_ago(last + 1), 3),
        morning(days_ago(last), 4),
    ]
    plan = assess_pain(checkins, [], TODAY, UTC)
    assert plan.paused
    assert plan.paused_by == (days_ago(last + 1), days_ago(last))
    assert plan.clinician_advice is not None
    first, second = days_ago(last + 1), days_ago(last)
    assert any(
        f"({first.day} {first:%B} and {second.day} {second:%B})" in m and "stay paused" in m
        for m in plan.messages
    )


def resume(
    at: datetime, kind: ProgrammeEventKind = ProgrammeEventKind.RESUMED_BACK_TO_USUAL
) -> ProgrammeEvent:
    return ProgrammeEvent(f"e-{at.isoformat()}-{kind}", at, kind)


PAUSED_BY_THREE_DAYS_AGO = [
    morning(days_ago(5), 2),
    morning(days_ago(4), 3),
    morning(days_ago(3), 4),
]


@pytest.mark.parametrize(
    "kind", [ProgrammeEventKind.RESUMED_SEEN_CLINICIAN, ProgrammeEventKind.RESUMED_BACK_TO_USUAL]
)
def test_assess_pain_pause_lifts_when_the_person_says_so(kind: ProgrammeEventKind) -> None:
    lifted_at = datetime(TODAY.year, TODAY.month, TODAY.day, 8, tzinfo=UTC)
    plan = assess_pain(PAUSED_BY_THREE_DAYS_AGO, [], TODAY, UTC, events=[resume(lifted_at, kind)])
    assert not plan.paused
    assert plan.clinician_advice is None
    # Any other event does not lift it.
    other = ProgrammeEvent("q", lifted_at, ProgrammeEventKind.QUESTIONS_ANSWERED)
    assert assess_pain(PAUSED_BY_THREE_DAYS_AGO, [], TODAY, UTC, events=[other]).paused


def test_assess_pain_a_later_run_of_two_worse_days_pauses_again() -> None:
    lifted = resume(datetime.combine(days_ago(3), datetime.min.time(), UTC) + timedelta(hours=20))
    one_more = [*PAUSED_BY_THREE_DAYS_AGO, morning(days_ago(1), 5)]
    plan = assess_pain(one_more, [], TODAY, UTC, events=[lifted])
    assert (plan.paused, plan.volume_step) == (False, 1)  # one new worse day: lighter only
    two_more = [*one_more, morning(TODAY, 6)]
    plan = assess_pain(two_more, [], TODAY, UTC, events=[lifted])
    assert plan.paused
    assert plan.paused_by == (days_ago(1), TODAY)


def test_assess_pain_pause_reads_further_back_than_the_window() -> None:
    recent = [morning(days_ago(1), 1)]
    history = daily_pain([*PAUSED_BY_THREE_DAYS_AGO, *recent], UTC)
    assert assess_pain(recent, [], TODAY, UTC, pause_daily=history).paused
    assert not assess_pain(recent, [], TODAY, UTC).paused


def test_assess_pain_questions_due_until_answered_again() -> None:
    due = ProgrammeEvent("d", NOON - timedelta(hours=2), ProgrammeEventKind.QUESTIONS_DUE)
    answered = ProgrammeEvent("a", NOON, ProgrammeEventKind.QUESTIONS_ANSWERED)
    again = ProgrammeEvent("d2", NOON + timedelta(hours=1), ProgrammeEventKind.QUESTIONS_DUE)
    assert not assess_pain([], [], TODAY, UTC).questions_due
    plan = assess_pain([], [], TODAY, UTC, events=[due])
    assert plan.questions_due
    assert any("safety questions" in m for m in plan.messages)
    assert not assess_pain([], [], TODAY, UTC, events=[answered, due]).questions_due
    assert assess_pain([], [], TODAY, UTC, events=[again, answered, due]).questions_due


def test_assess_pain_uses_local_days() -> None:
    # In UTC+10 these are two local days (9th 23:00 and 10th 01:00); in UTC they are one day.
    checkins = [
        checkin(datetime(2026, 3, 9, 13, tzinfo=UTC), 2),
        checkin(datetime(2026, 3, 9, 15, tzinfo=UTC), 4),
    ]
    assert assess_pain(checkins, [], TODAY, PLUS_10).volume_step == 1
    assert assess_pain(checkins, [], date(2026, 3, 9), UTC).volume_step == 0


def test_assess_pain_last_session_too_much_offers_easier_next() -> None:
    record, checkins = session_with_checkins("s1", NOON, before=2, after=4)
    plan = assess_pain(checkins, [record], TODAY, UTC)
    assert plan.easier_next
    assert plan.too_much is not None
    assert "easier versions" in plan.messages[0]


def test_assess_pain_only_the_most_recent_finished_session_matters() -> None:
    bad, bad_checkins = session_with_checkins("s1", NOON - timedelta(days=1), before=2, after=5)
    good, good_checkins = session_with_checkins("s2", NOON, before=2, after=2)
    running = session("s3", NOON + timedelta(hours=1), SessionStatus.IN_PROGRESS, too_much=True)
    plan = assess_pain([*bad_checkins, *good_checkins], [running, good, bad], TODAY, UTC)
    assert not plan.easier_next
    plan = assess_pain([*bad_checkins], [bad, running], TODAY, UTC)
    assert plan.easier_next


def test_assess_pain_trusts_the_stored_too_much_flag() -> None:
    plan = assess_pain(
        [], [session("s1", NOON, SessionStatus.QUIT_EARLY, too_much=True)], TODAY, UTC
    )
    assert plan.easier_next


# ----- reduce_dose --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "steps", "expected"),
    [
        (Dose(reps=2, hold_seconds=30), 0, Dose(reps=2, hold_seconds=30)),
        (Dose(reps=2, hold_seconds=30), 1, Dose(reps=1, hold_seconds=20)),  # 22.5 s -> 20 s
        (Dose(reps=3, hold_seconds=60), 1, Dose(reps=2, hold_seconds=45)),
        (Dose(reps=3, hold_seconds=60), 2, Dose(reps=1, hold_seconds=35)),  # 33.75 s -> 35 s
        (Dose(reps=1, hold_seconds=12), 1, Dose(reps=1, hold_seconds=10)),  # minimum hold
        (Dose(reps=1, hold_seconds=10), 3, Dose(reps=1, hold_seconds=10)),
        (Dose(reps=1, hold_seconds=5), 1, Dose(reps=1, hold_seconds=5)),  # never heavier
        (Dose(reps=10, rep_seconds=3.0), 1, Dose(reps=7, rep_seconds=3.0)),  # 7.5 -> 7
        (Dose(reps=12, rep_seconds=3.0), 1, Dose(reps=9, rep_seconds=3.0)),
        (Dose(reps=4, rep_seconds=2.0), 1, Dose(reps=3, rep_seconds=2.0)),  # minimum reps
        (Dose(reps=2, rep_seconds=2.0), 1, Dose(reps=2, rep_seconds=2.0)),  # never heavier
    ],
)
def test_reduce_dose_steps_and_minima(dose: Dose, steps: int, expected: Dose) -> None:
    assert reduce_dose(dose, steps) == expected


def test_reduce_dose_keeps_rest_and_contractions() -> None:
    dose = Dose(reps=3, hold_seconds=20, rest_seconds=5, contract_seconds=5)
    assert reduce_dose(dose, 1) == Dose(reps=2, hold_seconds=15, rest_seconds=5, contract_seconds=5)


def test_reduce_dose_rejects_negative_steps() -> None:
    with pytest.raises(ValueError, match="steps"):
        reduce_dose(Dose(reps=1, hold_seconds=30), -1)


# ----- easier_routine -----------------------------------------------------------------------------


def test_easier_routine_swaps_to_the_easier_variant() -> None:
    easy = exercise("easy")
    hard = exercise("hard", easier=("easy",))
    original = make_routine(step(hard))
    routine, changes = easier_routine(original, {"easy": easy, "hard": hard}, frozenset())
    assert routine.exercise_ids == ("easy",)
    assert routine.steps[0].dose == hard.dose  # same kind of dose: the step keeps it
    assert len(changes) == 1
    assert changes[0].replacement == easy
    assert changes[0].text == f"Exercise easy instead of Exercise hard, {BECAUSE_PAIN_ROSE}."


def test_easier_routine_skips_contraindicated_variants() -> None:
    blocked = exercise("blocked", contraindications=("osteoporosis",))
    fine = exercise("fine")
    hard = exercise("hard", easier=("blocked", "fine"))
    catalogue = {ex.id: ex for ex in (blocked, fine, hard)}
    routine, _ = easier_routine(make_routine(step(hard)), catalogue, frozenset({"osteoporosis"}))
    assert routine.exercise_ids == ("fine",)
    routine, _ = easier_routine(make_routine(step(hard)), catalogue, frozenset())
    assert routine.exercise_ids == ("blocked",)


def test_easier_routine_reduces_the_dose_when_no_variant_is_allowed() -> None:
    blocked = exercise("blocked", contraindications=("osteoporosis",))
    hard = exercise("hard", easier=("blocked", "missing"))
    catalogue = {ex.id: ex for ex in (blocked, hard)}
    routine, changes = easier_routine(
        make_routine(step(hard)), catalogue, frozenset({"osteoporosis"})
    )
    assert routine.exercise_ids == ("hard",)
    assert routine.steps[0].dose == Dose(reps=1, hold_seconds=20)
    assert changes[0].replacement is None
    assert changes[0].text == (
        f"Exercise hard is a little lighter (2 × 30 s becomes 1 × 20 s), {BECAUSE_PAIN_ROSE}."
    )


def test_easier_routine_does_not_duplicate_an_exercise_already_in_the_routine() -> None:
    easy = exercise("easy")
    hard = exercise("hard", easier=("easy",))
    routine, changes = easier_routine(
        make_routine(step(easy), step(hard)), {"easy": easy, "hard": hard}, frozenset()
    )
    assert routine.exercise_ids == ("easy", "hard")
    assert routine.steps[1].dose == Dose(reps=1, hold_seconds=20)
    assert [change.replacement for change in changes] == [None, None]


def test_easier_routine_skips_retired_variants() -> None:
    old = exercise("old", replaced_by="new")
    hard = exercise("hard", easier=("old",))
    routine, _ = easier_routine(make_routine(step(hard)), {"old": old, "hard": hard}, frozenset())
    assert routine.exercise_ids == ("hard",)


def test_easier_routine_uses_the_variant_dose_when_the_kind_differs() -> None:
    moving = exercise("moving", dose=Dose(reps=8, rep_seconds=3.0))
    hard = exercise("hard", easier=("moving",))
    routine, changes = easier_routine(
        make_routine(step(hard)), {"moving": moving, "hard": hard}, frozenset()
    )
    assert routine.steps[0].dose == Dose(reps=8, rep_seconds=3.0)
    assert changes[0].new_dose == Dose(reps=8, rep_seconds=3.0)


def test_easier_routine_marks_a_routine_mixed_when_a_variant_changes_position() -> None:
    standing = exercise("standing", position=Position.STANDING)
    hard = exercise("hard", easier=("standing",))
    original = dataclasses.replace(make_routine(step(hard)), position=Position.SEATED)
    routine, _ = easier_routine(original, {"standing": standing, "hard": hard}, frozenset())
    assert routine.position is None


def test_easier_routine_leaves_an_already_minimal_step_without_a_change() -> None:
    gentle = exercise("gentle", dose=Dose(reps=1, hold_seconds=10))
    routine, changes = easier_routine(make_routine(step(gentle)), {"gentle": gentle}, frozenset())
    assert routine.steps[0].dose == Dose(reps=1, hold_seconds=10)
    assert changes == ()


# ----- should_reask_cauda_equina ------------------------------------------------------------------


NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
YESTERDAY_ASK = NOW - timedelta(days=1)


@pytest.mark.parametrize(
    ("latest", "previous", "last_reask", "expected"),
    [
        ((3, 2), None, YESTERDAY_ASK, True),  # leg pain with nothing before: new
        ((3, 2), (3, 0), YESTERDAY_ASK, True),  # new leg pain
        ((3, 2), (3, None), YESTERDAY_ASK, True),  # leg not answered before: new
        ((3, 4), (3, 2), YESTERDAY_ASK, True),  # leg up 2
        ((3, 3), (3, 2), YESTERDAY_ASK, False),  # leg up 1, asked yesterday
        ((3, 3), (3, 3), YESTERDAY_ASK, False),  # steady leg pain, asked yesterday
        ((3, 3), (3, 3), NOW - timedelta(days=7), True),  # steady, a week since asking
        ((3, 3), (3, 3), NOW - timedelta(days=6, hours=23), False),
        ((3, 3), (3, 3), None, True),  # never asked
        ((6, 0), (3, 0), YESTERDAY_ASK, True),  # back jump of 3
        ((5, 0), (3, 0), YESTERDAY_ASK, False),  # back up 2, no leg pain
        ((3, 0), (3, 5), None, False),  # no leg pain now
        ((3, None), None, None, False),
    ],
)
def test_should_reask_cauda_equina(
    latest: tuple[int | None, int | None],
    previous: tuple[int | None, int | None] | None,
    last_reask: datetime | None,
    expected: bool,
) -> None:
    before = None if previous is None else checkin(NOW - timedelta(days=1), *previous)
    assert should_reask_cauda_equina(checkin(NOW, *latest), before, last_reask, NOW) is expected


def test_a_pause_from_another_year_names_the_year() -> None:
    def on(day: date, back: int) -> CheckIn:
        return CheckIn(f"c{day}", datetime(day.year, day.month, day.day, 9, tzinfo=UTC), back, 0)

    checkins = [on(date(2025, 12, 29), 2), on(date(2025, 12, 30), 4), on(date(2025, 12, 31), 6)]
    plan = assess_pain(checkins, [], date(2026, 1, 5), UTC)
    assert plan.paused
    assert "(30 December 2025 and 31 December 2025)" in plan.messages[-1]
