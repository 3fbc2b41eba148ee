"""Every record type goes in and comes back equal, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from deskstretch.core.errors import NotFoundError
from deskstretch.core.records import (
    CheckInContext,
    Instrument,
    MeasurementKind,
    ProgrammeEvent,
    ProgrammeEventKind,
    SessionStatus,
)
from deskstretch.store import Store, StoreError, exchange
from deskstretch.store import repository as repo
from helpers.store_factories import (
    BERLIN_WINTER,
    T0,
    at,
    make_activity,
    make_assessment,
    make_checkin,
    make_enrolment,
    make_measurement,
    make_result,
    make_session,
    make_step,
)


def test_session_round_trips_with_steps_and_flags(store: Store) -> None:
    steps = (make_step(0), make_step(1, 12.5, skipped=True), make_step(2, 0.0))
    record = make_session(
        started_at=T0.astimezone(BERLIN_WINTER), steps=steps, too_much=True, front_end="web"
    )
    repo.start_session(store, record)
    repo.finish_session(store, record.id, SessionStatus.QUIT_EARLY, at(3.5))

    [back] = repo.list_sessions(store)
    expected = make_session(
        steps=steps,
        status=SessionStatus.QUIT_EARLY,
        ended_at=at(3.5),
        too_much=True,
        front_end="web",
    )
    assert back == expected
    assert back.started_at.tzinfo is UTC and back.started_at == T0
    assert back.work_seconds == 42.5


def test_checkin_round_trips_with_unanswered_pain(store: Store) -> None:
    checkin = make_checkin(when=at(1).astimezone(BERLIN_WINTER))
    empty = make_checkin(
        "checkin-2", at(2), back_pain=None, context=CheckInContext.ANYTIME, session_id=None, note=""
    )
    repo.add_checkin(store, checkin)
    repo.add_checkin(store, empty)

    back = repo.list_checkins(store)
    assert back == [checkin, empty]
    assert all(c.at.tzinfo is UTC for c in back)


def test_measurement_round_trips_and_filters_by_kind(store: Store) -> None:
    reach = make_measurement()
    floor = make_measurement(
        "measurement-2", at(5), kind=MeasurementKind.FINGERTIP_TO_FLOOR, value_cm=12.25, leg=None
    )
    repo.add_measurement(store, floor)
    repo.add_measurement(store, reach)

    assert repo.list_measurements(store) == [reach, floor]
    assert repo.list_measurements(store, kind=MeasurementKind.FINGERTIP_TO_FLOOR) == [floor]


def test_questionnaire_answers_come_back_as_equal_json(store: Store) -> None:
    odi = make_result()
    psfs = make_result(
        "result-2", at(1), instrument=Instrument.PSFS, answers={"activity-1": 6}, extra={}
    )
    repo.add_questionnaire_result(store, odi)
    repo.add_questionnaire_result(store, psfs)

    back = repo.list_questionnaire_results(store)
    assert back == [odi, psfs]
    assert back[0].answers["lifting"] is None
    assert isinstance(back[0].answers["walking"], int)
    assert repo.list_questionnaire_results(store, instrument=Instrument.PSFS) == [psfs]


def test_psfs_activities_retire_but_stay_listed_on_request(store: Store) -> None:
    socks, stairs = make_activity(), make_activity("activity-2", at(1))
    repo.add_psfs_activity(store, socks)
    repo.add_psfs_activity(store, stairs)

    retired = repo.retire_psfs_activity(store, socks.id, at(60))
    again = repo.retire_psfs_activity(store, socks.id, at(120))

    assert retired.retired_at == at(60) and again.retired_at == at(60)
    assert repo.list_psfs_activities(store) == [stairs]
    assert repo.list_psfs_activities(store, include_retired=True) == [retired, stairs]


def test_lists_filter_by_since_and_keep_the_newest_with_limit(store: Store) -> None:
    for minute in (30, 10, 20):
        repo.start_session(store, make_session(f"s{minute}", at(minute)))
        repo.add_checkin(store, make_checkin(f"c{minute}", at(minute)))

    assert [s.id for s in repo.list_sessions(store)] == ["s10", "s20", "s30"]
    assert [s.id for s in repo.list_sessions(store, limit=2)] == ["s20", "s30"]
    assert [s.id for s in repo.list_sessions(store, since=at(20))] == ["s20", "s30"]
    assert [c.id for c in repo.list_checkins(store, since=at(15))] == ["c20", "c30"]


def test_counts_count_each_kind(store: Store) -> None:
    repo.start_session(store, make_session())
    repo.add_checkin(store, make_checkin())
    repo.add_checkin(store, make_checkin("checkin-2"))
    repo.add_questionnaire_result(store, make_result())
    repo.add_enrolment(store, make_enrolment())
    repo.add_assessment(store, make_assessment())

    assert repo.counts(store) == {
        "sessions": 1,
        "checkins": 2,
        "measurements": 0,
        "psfs_activities": 0,
        "questionnaire_results": 1,
        "programme_events": 0,
        "enrolments": 1,
        "assessments": 1,
    }


def test_same_id_twice_is_a_clear_error_not_a_traceback(store: Store) -> None:
    repo.add_checkin(store, make_checkin())
    with pytest.raises(StoreError, match="already stored"):
        repo.add_checkin(store, make_checkin(note="again"))
    assert repo.list_checkins(store) == [make_checkin()]


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="timezone-aware"):
        repo.add_checkin(store, make_checkin(when=datetime(2025, 1, 1, 12, 0)))
    assert repo.list_checkins(store) == []


def test_timestamps_keep_microseconds_and_order_across_offsets(store: Store) -> None:
    # 09:00+01:00 is 08:00 UTC: earlier than 08:30 UTC even though its wall time is later.
    early = make_checkin("early", datetime(2025, 3, 4, 9, 0, 0, 1, tzinfo=BERLIN_WINTER))
    late = make_checkin("late", datetime(2025, 3, 4, 8, 30, tzinfo=UTC))
    repo.add_checkin(store, late)
    repo.add_checkin(store, early)

    back = repo.list_checkins(store)
    assert [c.id for c in back] == ["early", "late"]
    assert back[0].at == datetime(2025, 3, 4, 8, 0, 0, 1, tzinfo=UTC)
    assert back[0].at - back[1].at == -timedelta(minutes=30) + timedelta(microseconds=1)


def test_programme_events_round_trip_oldest_first(store: Store) -> None:
    events = [
        ProgrammeEvent(
            "e2", at(5).astimezone(BERLIN_WINTER), ProgrammeEventKind.QUESTIONS_ANSWERED
        ),
        ProgrammeEvent("e1", at(1), ProgrammeEventKind.QUESTIONS_DUE),
        ProgrammeEvent("e3", at(9), ProgrammeEventKind.RESUMED_SEEN_CLINICIAN),
        ProgrammeEvent("e4", at(10), ProgrammeEventKind.RESUMED_BACK_TO_USUAL),
    ]
    for event in events:
        repo.add_programme_event(store, event)
    back = repo.list_programme_events(store)
    assert [e.id for e in back] == ["e1", "e2", "e3", "e4"]
    assert back[1] == ProgrammeEvent("e2", at(5), ProgrammeEventKind.QUESTIONS_ANSWERED)
    assert all(e.at.tzinfo is UTC for e in back)


def test_a_check_in_and_its_questions_due_are_saved_together(store: Store) -> None:
    due = ProgrammeEvent("due", at(2), ProgrammeEventKind.QUESTIONS_DUE)
    repo.add_checkin(store, make_checkin("c1", session_id=None), [due])
    assert repo.list_programme_events(store) == [due]
    # The same check-in id again fails the whole write: no lone event is left behind.
    with pytest.raises(StoreError):
        repo.add_checkin(
            store,
            make_checkin("c1", session_id=None),
            [ProgrammeEvent("due2", at(3), ProgrammeEventKind.QUESTIONS_DUE)],
        )
    assert repo.list_programme_events(store) == [due]


def test_forget_everything_removes_programme_events(store: Store) -> None:
    repo.add_programme_event(
        store, ProgrammeEvent("e1", at(1), ProgrammeEventKind.RESUMED_SEEN_CLINICIAN)
    )
    repo.forget_everything(store, vacuum=False)
    assert repo.list_programme_events(store) == []


def test_forget_everything_keeps_safety_questions_still_due(store: Store) -> None:
    answered = ProgrammeEvent("a1", at(1), ProgrammeEventKind.QUESTIONS_ANSWERED)
    due_old = ProgrammeEvent("d0", at(0), ProgrammeEventKind.QUESTIONS_DUE)
    due = ProgrammeEvent("d1", at(2), ProgrammeEventKind.QUESTIONS_DUE)
    lifted = ProgrammeEvent("r1", at(3), ProgrammeEventKind.RESUMED_BACK_TO_USUAL)
    for event in (due_old, answered, due, lifted):
        repo.add_programme_event(store, event)
    repo.forget_everything(store, vacuum=False)
    # Forgetting the history is no way round a question that waits for an answer.
    assert repo.list_programme_events(store) == [due]


def test_import_replace_keeps_safety_questions_still_due(store: Store) -> None:
    due = ProgrammeEvent("d1", at(2), ProgrammeEventKind.QUESTIONS_DUE)
    repo.add_programme_event(store, due)
    empty = exchange.dump(exchange.Bundle([], [], [], [], [], []))
    repo.import_all(store, empty, replace=True)
    assert repo.list_programme_events(store) == [due]


def test_restoring_a_backup_with_the_question_still_due_works(store: Store) -> None:
    """The kept question and the file's copy are one event: no "already stored" error."""
    due = ProgrammeEvent("d1", at(2), ProgrammeEventKind.QUESTIONS_DUE)
    repo.add_programme_event(store, due)
    repo.add_checkin(store, make_checkin("c1", session_id=None))
    backup = repo.export_all(store)

    summary = repo.import_records(store, backup, replace=True)

    assert repo.export_all(store) == backup
    assert summary.imported["programme_events"] == 1


def test_forget_everything_drops_questions_already_answered(store: Store) -> None:
    repo.add_programme_event(store, ProgrammeEvent("d1", at(1), ProgrammeEventKind.QUESTIONS_DUE))
    repo.add_programme_event(
        store, ProgrammeEvent("a1", at(2), ProgrammeEventKind.QUESTIONS_ANSWERED)
    )
    repo.forget_everything(store, vacuum=False)
    assert repo.list_programme_events(store) == []


def test_assessments_round_trip_filter_by_test_and_forget_kept_photos(store: Store) -> None:
    from deskstretch.core.body_angles import PhotoTest

    bend = make_assessment("a-bend", at(10).astimezone(BERLIN_WINTER))
    reach = make_assessment(
        "a-reach", at(5), test=PhotoTest.CHAIR_SIT_AND_REACH, source="photo", photo_file=None
    )
    repo.add_assessment(store, bend)
    repo.add_assessment(store, reach)

    assert repo.list_assessments(store) == [reach, bend]  # oldest first, UTC back
    assert repo.list_assessments(store, test=PhotoTest.STANDING_FORWARD_BEND) == [bend]
    assert repo.get_assessment(store, "a-bend").at.tzinfo is not None
    with pytest.raises(NotFoundError):
        repo.get_assessment(store, "nobody")

    assert repo.clear_photo_files(store) == ["a-bend.jpg"]
    assert repo.clear_photo_files(store) == []
    assert [a.photo_file for a in repo.list_assessments(store)] == [None, None]
    assert repo.read_history(store)[1].assessments == repo.list_assessments(store)
