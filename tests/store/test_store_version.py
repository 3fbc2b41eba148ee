"""Store.data_version: the token that lets the Coach keep a summary until the data changes.

It must change for every commit, whichever process or connection made it, and the Coach's
cached progress summary must never show stale data after one.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.records import CheckIn, ProgrammeEvent, ProgrammeEventKind, SessionStatus
from deskstretch.store import Store, open_store
from deskstretch.store import repository as repo
from helpers.store_factories import (
    T0,
    make_activity,
    make_assessment,
    make_checkin,
    make_enrolment,
    make_measurement,
    make_result,
    make_session,
    make_step,
)


def test_data_version_is_unknown_for_postgresql_and_memory(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        assert store.data_version() is None
    with open_store("sqlite://") as store:
        assert store.data_version() is None


def test_data_version_stays_while_nothing_is_written(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        repo.add_checkin(store, make_checkin("a", session_id=None))
        first = store.data_version()
        repo.list_checkins(store)
        assert first is not None
        assert store.data_version() == first


def test_data_version_changes_on_a_write_through_this_store(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        before = store.data_version()
        repo.add_checkin(store, make_checkin("a", session_id=None))
        assert store.data_version() != before


def test_data_version_changes_on_a_commit_from_another_process(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        repo.add_checkin(store, make_checkin("a", session_id=None))
        before = store.data_version()
        path = sqlite_url.removeprefix("sqlite:///")
        script = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('UPDATE checkins SET note = ? ', ('changed elsewhere',)); c.commit()"
        )
        subprocess.run([sys.executable, "-c", script, path], check=True)
        assert store.data_version() != before
        assert repo.list_checkins(store)[0].note == "changed elsewhere"


def _settings(tmp_path: Path) -> Settings:
    return Settings(config_dir=tmp_path / "config", data_dir=tmp_path / "data")


def test_coach_summary_sees_a_checkin_written_by_another_store(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    coach = Coach(settings)
    now = datetime.now(UTC)
    assert coach.progress_summary(now).pain.back.latest is None
    # Another process (the CLI, say) writes through its own Store.
    with open_store(settings.database_url) as other:
        repo.add_checkin(other, CheckIn("elsewhere", now - timedelta(minutes=1), 4, None))
    assert coach.progress_summary(now).pain.back.latest == 4


def test_coach_summary_is_reused_until_something_changes(tmp_path: Path) -> None:
    coach = Coach(_settings(tmp_path))
    now = datetime.now(UTC)
    first = coach.progress_summary(now)
    assert coach.progress_summary(now) is first
    coach.check_in(3, None)
    assert coach.progress_summary(now) is not first
    assert coach.progress_summary(now).pain.back.latest == 3


def test_coach_summary_follows_the_local_date(tmp_path: Path) -> None:
    coach = Coach(_settings(tmp_path))
    now = datetime.now(UTC)
    today = coach.progress_summary(now)
    tomorrow = coach.progress_summary(now + timedelta(days=1))
    assert tomorrow is not today
    assert tomorrow.today == today.today + timedelta(days=1)


def test_coach_pain_plan_sees_a_worse_day_written_elsewhere(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    coach = Coach(settings)
    now = datetime.now(UTC)
    assert coach.pain_plan().volume_step == 0
    with open_store(settings.database_url) as other:
        repo.add_checkin(other, CheckIn("day-before", now - timedelta(days=2), 2, None))
        repo.add_checkin(other, CheckIn("yesterday", now - timedelta(days=1), 2, None))
        repo.add_checkin(other, CheckIn("today", now, 6, None))
    assert coach.pain_plan().volume_step == 1


def test_pain_plan_from_the_summary_read_equals_the_windowed_read(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    now = datetime.now(UTC)
    with open_store(settings.database_url) as store:
        # Old readings (outside the 14-day window) that would change the answer if counted.
        for days, back in ((40, 9), (30, 1), (3, 2), (2, 2), (1, 4), (0, 7)):
            repo.add_checkin(store, CheckIn(f"c{days}", now - timedelta(days=days), back, None))
        # A session that was too much, a month ago: outside the window, so no "easier" now.
        old_start = now - timedelta(days=30)
        repo.start_session(store, make_session("old", old_start))
        repo.finish_session(store, "old", SessionStatus.COMPLETED, old_start + timedelta(minutes=3))
        repo.mark_too_much(store, "old")
    direct = Coach(settings).pain_plan()
    via_summary = Coach(settings)
    via_summary.progress_summary()
    assert via_summary.pain_plan() == direct
    assert direct.paused  # two worse days in a row
    assert not direct.easier_next  # the old session is outside the window
    everything = Coach(settings)
    assert everything.progress_summary().plan.easier_next  # ...but not outside the summary's


# ----- change counters (migration 0004): after a write, only what changed is read again --------


def _counters(store: Store) -> dict[str, int]:
    return repo.read_history(store)[0]


def test_every_kind_of_write_raises_its_counter(db_url: str) -> None:
    with open_store(db_url) as store:
        writes: list[tuple[str, Callable[[], object]]] = [
            ("sessions", lambda: repo.start_session(store, make_session("s1"))),
            ("sessions", lambda: repo.update_session_progress(store, "s1", [make_step(0)], at=T0)),
            ("sessions", lambda: repo.mark_too_much(store, "s1")),
            ("checkins", lambda: repo.add_checkin(store, make_checkin("c1", session_id=None))),
            ("measurements", lambda: repo.add_measurement(store, make_measurement("m1"))),
            ("psfs_activities", lambda: repo.add_psfs_activity(store, make_activity("a1"))),
            ("psfs_activities", lambda: repo.retire_psfs_activity(store, "a1", T0)),
            ("questionnaire_results", lambda: repo.add_questionnaire_result(store, make_result())),
            (
                "programme_events",
                lambda: repo.add_programme_event(
                    store, ProgrammeEvent("e1", T0, ProgrammeEventKind.QUESTIONS_DUE)
                ),
            ),
            ("enrolments", lambda: repo.add_enrolment(store, make_enrolment("n1"))),
            ("enrolments", lambda: repo.end_enrolment(store, T0)),
            ("assessments", lambda: repo.add_assessment(store, make_assessment())),
            ("assessments", lambda: repo.clear_photo_files(store)),
        ]
        # A session's or check-in's writes also revise it (migration 0008); the reader notes that.
        revised = {
            "sessions": {"sessions", "session_revision", repo.READ_UP_TO["sessions"]},
            "checkins": {"checkins", "checkin_revision", repo.READ_UP_TO["checkins"]},
        }
        for name, write in writes:
            before = _counters(store)
            write()
            after = _counters(store)
            assert after.get(name, 0) > before.get(name, 0), name
            moved = revised.get(name, {name})
            assert {k: v for k, v in after.items() if k not in moved} == {
                k: v for k, v in before.items() if k not in moved
            }, f"writing {name} moved another counter"


def test_counters_only_go_up_even_when_everything_is_forgotten(db_url: str) -> None:
    with open_store(db_url) as store:
        repo.add_checkin(store, make_checkin("c1", session_id=None))
        before = _counters(store)["checkins"]
        repo.forget_everything(store, vacuum=False)
        repo.add_checkin(store, make_checkin("c2", session_id=None))
        assert _counters(store)["checkins"] > before


def test_read_history_reuses_only_what_did_not_change(db_url: str) -> None:
    with open_store(db_url) as store:
        repo.start_session(store, make_session("s1"))
        repo.add_checkin(store, make_checkin("c1", session_id=None))
        first = repo.read_history(store)
        repo.add_checkin(store, make_checkin("c2", when=T0 + timedelta(hours=1), session_id=None))
        second = repo.read_history(store, first)
        assert second[1].sessions is first[1].sessions  # not read again
        assert [c.id for c in second[1].checkins] == ["c1", "c2"]
        repo.mark_too_much(store, "s1")
        third = repo.read_history(store, second)
        assert third[1].checkins is second[1].checkins
        assert third[1].sessions[0].too_much


def test_a_write_from_outside_the_program_is_counted(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        repo.add_checkin(store, make_checkin("c1", session_id=None))
        first = repo.read_history(store)
        path = sqlite_url.removeprefix("sqlite:///")
        script = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('UPDATE checkins SET back_pain = 9'); c.commit()"
        )
        subprocess.run([sys.executable, "-c", script, path], check=True)
        again = repo.read_history(store, first)
        assert again[1].checkins[0].back_pain == 9


# ----- session revisions (migration 0008): after a session write, only that session is read -----


def _outside(sqlite_url: str, *statements: str) -> None:
    """Run SQL from another process, as the sqlite3 shell or an older program would."""
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "[c.execute(s) for s in sys.argv[2:]]; c.commit()"
    )
    path = sqlite_url.removeprefix("sqlite:///")
    subprocess.run([sys.executable, "-c", script, path, *statements], check=True)


def test_after_a_session_write_only_revised_sessions_are_read(db_url: str) -> None:
    with open_store(db_url) as store:
        for number in range(3):
            repo.start_session(store, make_session(f"s{number}", T0 + timedelta(hours=number)))
        first = repo.read_history(store)
        repo.update_session_progress(store, "s1", [make_step(0), make_step(1)], at=T0)
        second = repo.read_history(store, first)
        # The unchanged sessions are the very objects read before: only s1 was read again.
        assert second[1].sessions[0] is first[1].sessions[0]
        assert second[1].sessions[2] is first[1].sessions[2]
        assert second[1].sessions == repo.list_sessions(store)
        assert len(second[1].sessions[1].steps) == 2
        repo.start_session(store, make_session("s-early", T0 - timedelta(days=1)))
        repo.finish_session(store, "s2", SessionStatus.COMPLETED, T0 + timedelta(hours=3))
        repo.mark_too_much(store, "s0")
        third = repo.read_history(store, second)
        assert third[1].sessions == repo.list_sessions(store)  # merged in start order
        assert [s.id for s in third[1].sessions] == ["s-early", "s0", "s1", "s2"]
        repo.forget_everything(store, vacuum=False)  # a delete: everything is read again
        assert repo.read_history(store, third)[1].sessions == []


def test_a_session_changed_from_outside_the_program_is_read_again(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        repo.start_session(store, make_session("s1", steps=(make_step(0),)))
        repo.start_session(store, make_session("s2", T0 + timedelta(hours=1)))
        first = repo.read_history(store)
        _outside(sqlite_url, "UPDATE session_steps SET done_seconds = 5 WHERE session_id = 's1'")
        second = repo.read_history(store, first)
        assert second[1].sessions[0].steps[0].done_seconds == 5
        assert second[1].sessions[1] is first[1].sessions[1]
        _outside(sqlite_url, "UPDATE sessions SET routine_name = 'Renamed' WHERE id = 's2'")
        third = repo.read_history(store, second)
        assert third[1].sessions[1].routine_name == "Renamed"
        _outside(sqlite_url, "DELETE FROM session_steps WHERE session_id = 's1'")
        fourth = repo.read_history(store, third)
        assert fourth[1].sessions[0].steps == ()
        _outside(sqlite_url, "DELETE FROM sessions WHERE id = 's2'")
        assert [s.id for s in repo.read_history(store, fourth)[1].sessions] == ["s1"]
        assert repo.read_history(store, fourth)[1].sessions == repo.list_sessions(store)


def test_after_a_checkin_only_revised_checkins_are_read(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        for number in range(3):
            when = T0 + timedelta(hours=number)
            repo.add_checkin(store, make_checkin(f"c{number}", when, session_id=None))
        first = repo.read_history(store)
        repo.add_checkin(store, make_checkin("early", T0 - timedelta(days=1), session_id=None))
        second = repo.read_history(store, first)
        assert [c.id for c in second[1].checkins] == ["early", "c0", "c1", "c2"]
        assert all(a is b for a, b in zip(second[1].checkins[1:], first[1].checkins, strict=True))
        _outside(sqlite_url, "UPDATE checkins SET note = 'edited' WHERE id = 'c1'")
        third = repo.read_history(store, second)
        assert third[1].checkins == repo.list_checkins(store)
        assert third[1].checkins[2].note == "edited"
        assert third[1].checkins[3] is second[1].checkins[3]
        _outside(sqlite_url, "DELETE FROM checkins WHERE id = 'c0'")
        assert [c.id for c in repo.read_history(store, third)[1].checkins] == ["early", "c1", "c2"]
