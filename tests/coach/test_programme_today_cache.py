"""Coach.programme_today is kept between calls (Today, the review, the player's routine and the
recap all ask for it), and every change that can move it shows on the next call: a session, a
check-in, new safety answers, a lesson marked read, a programme started or stopped, whether
this Coach wrote it or another process did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.coach.plans import PAIN_PAUSE, SAFETY_PAUSE
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, SessionRecord, SessionStatus
from deskstretch.core.safety import SafetyStatus
from deskstretch.store import Store
from deskstretch.store import repository as repo
from helpers.store_factories import make_step
from helpers.support import CliRunner, answers_toml

PROGRAMME = "desk-back-6-weeks"
IN_PROGRESS = SessionStatus.IN_PROGRESS


@pytest.fixture
def coach(screened: Path) -> Coach:
    coach = Coach(Settings.from_env())
    coach.start_programme(PROGRAMME, datetime.now(UTC).date() - timedelta(days=2))
    return coach


def _finish_a_session(store: Store, session_id: str) -> None:
    at = datetime.now(UTC) - timedelta(minutes=5)
    repo.start_session(store, SessionRecord(session_id, "hamstring-2min", "H", at, IN_PROGRESS))
    step = make_step(0, 60.0, planned_seconds=60.0)
    repo.finish_session(
        store, session_id, SessionStatus.COMPLETED, at + timedelta(minutes=2), [step]
    )


def test_it_is_kept_while_nothing_changes(coach: Coach) -> None:
    first = coach.programme_today()
    assert first is not None
    assert coach.programme_today() is first
    coach.progress_summary()  # reading is not writing
    assert coach.programme_today() is first


def test_a_finished_session_shows_on_the_next_call(coach: Coach) -> None:
    before = coach.programme_today()
    assert before is not None and before.standing.sessions_done == 0
    _finish_a_session(coach.store, "s1")
    after = coach.programme_today()
    assert after is not None and after.standing.sessions_done == 1


def test_a_session_written_by_another_process_shows(coach: Coach) -> None:
    assert coach.programme_today() is not None
    _finish_a_session(Coach(Settings.from_env()).store, "s1")
    after = coach.programme_today()
    assert after is not None and after.standing.sessions_done == 1


def test_check_ins_that_pause_the_programme_show(coach: Coach) -> None:
    now = datetime.now(UTC)
    repo.add_checkin(coach.store, CheckIn("c1", now - timedelta(days=2), 1, None))
    repo.add_checkin(coach.store, CheckIn("c2", now - timedelta(days=1), 3, None))
    before = coach.programme_today()
    assert before is not None and before.standing.paused is None
    coach.check_in(5, None)  # a second worse day in a row
    after = coach.programme_today()
    assert after is not None and after.standing.paused == PAIN_PAUSE


def test_new_safety_answers_show(coach: Coach, run_cli: CliRunner, tmp_path: Path) -> None:
    assert coach.verdict().status is SafetyStatus.OK
    before = coach.programme_today()
    assert before is not None and before.standing.paused is None
    # Answered again in another process (`deskstretch check`): a red flag.
    red_flag = tmp_path / "red-flag.toml"
    red_flag.write_text(answers_toml(yes=("cancer-history",)), encoding="utf-8")
    run_cli("check", "--from", red_flag)  # its exit status says "red flag"; what counts is below
    assert coach.verdict().status is not SafetyStatus.OK
    after = coach.programme_today()
    assert after is not None and after.standing.paused == SAFETY_PAUSE
    assert coach.programme_routine_id() is None


def test_answers_saved_by_this_coach_show(coach: Coach) -> None:
    screening = coach.screening()
    assert screening is not None
    assert coach.programme_today() is not None
    coach.save_screening(
        type(screening)(
            red_flags={**screening.red_flags, "cancer-history": True},
            red_flags_cleared=screening.red_flags_cleared,
            conditions=screening.conditions,
            clearance_confirmed=screening.clearance_confirmed,
            completed_at=screening.completed_at,
            version=screening.version,
        )
    )
    after = coach.programme_today()
    assert after is not None and after.standing.paused == SAFETY_PAUSE


def test_a_damaged_answers_file_locks_routines_at_once(coach: Coach) -> None:
    assert coach.verdict().routines_allowed
    coach.settings.screening_file.write_text("[red_flags\n", encoding="utf-8")
    assert not coach.verdict().routines_allowed
    after = coach.programme_today()
    assert after is not None and after.standing.paused == SAFETY_PAUSE


def test_a_lesson_marked_read_shows(coach: Coach) -> None:
    before = coach.programme_today()
    assert before is not None and before.unread
    first = before.unread[0]
    coach.mark_lesson_read(first.id)
    after = coach.programme_today()
    assert after is not None and first not in after.unread
    # ...and one marked read by another process (the CLI's `deskstretch lesson`).
    Coach(Settings.from_env()).mark_lesson_read(after.unread[0].id)
    again = coach.programme_today()
    assert again is not None and after.unread[0] not in again.unread


def test_stopping_and_starting_a_programme_show(coach: Coach) -> None:
    before = coach.programme_today()
    assert before is not None
    coach.stop_programme()
    assert coach.programme_today() is None
    started = coach.start_programme(PROGRAMME, datetime.now(UTC).date())
    after = coach.programme_today()
    assert after is not None and after.enrolment == started
    assert after.standing.week == 1
