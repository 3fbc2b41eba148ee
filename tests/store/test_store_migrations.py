"""Schema history: every earlier revision upgrades to the newest without losing data.

Old databases are built with Alembic at that revision and filled with raw SQL of that schema.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    Enrolment,
    Instrument,
    Measurement,
    MeasurementKind,
    ProgrammeEvent,
    ProgrammeEventKind,
    PsfsActivity,
    QuestionnaireResult,
    SessionRecord,
    SessionStatus,
)
from deskstretch.store import Store, StoreError, StoreTooNewError, open_store
from deskstretch.store import repository as repo
from deskstretch.store.migrate import HEAD, KNOWN_REVISIONS, alembic_config
from deskstretch.store.tables import metadata
from helpers.store_factories import Backend, make_step

STARTED = datetime.fromisoformat("2024-11-05T07:45:10.250000+00:00")
ENDED = datetime.fromisoformat("2024-11-05T07:49:40+00:00")


def stamp(backend: Backend, moment: datetime) -> Any:
    """A timestamp as that schema stores it: UTC ISO text on SQLite, timestamptz on PostgreSQL."""
    if backend == "sqlite":
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


def json_value(backend: Backend) -> str:
    return ":answers" if backend == "sqlite" else "CAST(:answers AS JSON)"


def fill_0001(connection: sa.Connection, backend: Backend) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO sessions (id, routine_id, routine_name, status, started_at, updated_at,"
            " ended_at) VALUES ('old-1', 'hamstring-2min', 'Hamstrings', 'completed',"
            " :started, :ended, :ended)"
        ),
        {"started": stamp(backend, STARTED), "ended": stamp(backend, ENDED)},
    )
    connection.execute(
        sa.text(
            "INSERT INTO session_steps (session_id, step_index, exercise_id, muscle_group,"
            " planned_seconds, done_seconds, seconds_left, seconds_right, seconds_both,"
            " completed, skipped) VALUES ('old-1', 0, 'exercise-0', 'hamstrings', 30.0, 30.0,"
            " 15.0, 15.0, 0.0, :yes, :no)"
        ),
        {"yes": True, "no": False},
    )
    connection.execute(
        sa.text(
            "INSERT INTO checkins (id, at, back_pain, leg_pain, context, session_id, note)"
            " VALUES ('c-1', :at, 5, NULL, 'after_session', 'old-1', 'better')"
        ),
        {"at": stamp(backend, ENDED)},
    )


def fill_0002(connection: sa.Connection, backend: Backend) -> None:
    connection.execute(
        sa.text(
            "INSERT INTO measurements (id, at, kind, value_cm, protocol, leg, note) VALUES"
            " ('m-1', :at, 'chair_sit_and_reach', -2.5, 'acsm-chair-2021', 'right', '')"
        ),
        {"at": stamp(backend, STARTED)},
    )
    connection.execute(
        sa.text(
            "INSERT INTO psfs_activities (id, name, created_at, retired_at) VALUES"
            " ('a-1', 'Tie shoes', :at, NULL)"
        ),
        {"at": stamp(backend, STARTED)},
    )
    connection.execute(
        sa.text(
            "INSERT INTO questionnaire_results (id, at, instrument, version, answers, score,"
            f" label, extra) VALUES ('q-1', :at, 'rmdq', '1', {json_value(backend)}, 7.0,"
            f" 'some', {json_value(backend).replace('answers', 'extra')})"
        ),
        {"at": stamp(backend, ENDED), "answers": '{"1": 1, "2": null}', "extra": '{"n": 24.0}'},
    )


def fill_0006(connection: sa.Connection, backend: Backend) -> None:
    connection.execute(
        sa.text("INSERT INTO programme_events (id, at, kind) VALUES ('e-1', :at, 'questions_due')"),
        {"at": stamp(backend, ENDED)},
    )


EXPECTED_SESSION = SessionRecord(
    id="old-1",
    routine_id="hamstring-2min",
    routine_name="Hamstrings",
    started_at=STARTED,
    status=SessionStatus.COMPLETED,
    steps=(make_step(0, 30.0),),
    ended_at=ENDED,
)
EXPECTED_CHECKIN = CheckIn(
    "c-1", ENDED, 5, None, CheckInContext.AFTER_SESSION, session_id="old-1", note="better"
)


@pytest.mark.parametrize("old_revision", [r for r in KNOWN_REVISIONS if r != HEAD])
def test_every_earlier_revision_upgrades_without_losing_data(
    db_url: str, backend: Backend, old_revision: str
) -> None:
    with open_store(db_url, revision=old_revision) as old, old.engine.begin() as connection:
        fill_0001(connection, backend)
        if old_revision >= "0002":
            fill_0002(connection, backend)
        if old_revision >= "0006":
            fill_0006(connection, backend)

    with open_store(db_url) as store:
        assert repo.list_sessions(store) == [EXPECTED_SESSION]  # too_much/front_end defaulted
        assert repo.list_checkins(store) == [EXPECTED_CHECKIN]
        if old_revision >= "0002":
            assert repo.list_measurements(store) == [
                Measurement(
                    "m-1",
                    STARTED,
                    MeasurementKind.CHAIR_SIT_AND_REACH,
                    -2.5,
                    "acsm-chair-2021",
                    leg="right",
                )
            ]
            assert repo.list_psfs_activities(store) == [PsfsActivity("a-1", "Tie shoes", STARTED)]
            assert repo.list_questionnaire_results(store) == [
                QuestionnaireResult(
                    "q-1",
                    ENDED,
                    Instrument.RMDQ,
                    "1",
                    {"1": 1, "2": None},
                    7.0,
                    "some",
                    {"n": 24.0},
                )
            ]
        if old_revision >= "0006":
            assert repo.list_programme_events(store) == [
                ProgrammeEvent("e-1", ENDED, ProgrammeEventKind.QUESTIONS_DUE)
            ]
        assert repo.list_enrolments(store) == []  # nobody is enrolled by an upgrade
        new = SessionRecord("new", "r", "R", ENDED, SessionStatus.IN_PROGRESS, front_end="web")
        repo.start_session(store, new)
        assert repo.get_session(store, "new") == new
        enrolment = Enrolment("en-1", "desk-back-6-weeks", date(2024, 11, 6), ENDED)
        repo.add_enrolment(store, enrolment)
        assert repo.current_enrolment(store) == enrolment


def _counters(store: Store) -> dict[str, int]:
    with store.snapshot() as rows:
        return {
            str(name): int(n) for name, n in rows("SELECT name, version FROM change_counters", {})
        }


def _history_before_0007(store: Store) -> tuple[list[Any], ...]:
    """Every kind of record schema 0006 holds (readable at 0006, so no export_all)."""
    return (
        repo.list_sessions(store),
        repo.list_checkins(store),
        repo.list_measurements(store),
        repo.list_psfs_activities(store, include_retired=True),
        repo.list_questionnaire_results(store),
        repo.list_programme_events(store),
    )


def test_0007_keeps_everything_and_counts_writes_to_enrolments(
    db_url: str, backend: Backend
) -> None:
    """A database at 0006 with a full history gains the enrolments table; nothing else changes,
    the change counters included, and writes to the new table raise its own counter."""
    with open_store(db_url, revision="0006") as old:
        with old.engine.begin() as connection:
            fill_0001(connection, backend)
            fill_0002(connection, backend)
            fill_0006(connection, backend)
        before = _history_before_0007(old)
        counters_before = _counters(old)
    assert all(before), "every kind of record is filled in"

    with open_store(db_url) as store:
        assert _history_before_0007(store) == before
        assert repo.list_enrolments(store) == []
        assert _counters(store) == counters_before
        assert "enrolments" not in counters_before

        repo.add_enrolment(store, Enrolment("en-1", "p", date(2024, 11, 6), ENDED))
        added = _counters(store)
        repo.end_enrolment(store, ENDED)
        ended = _counters(store)
        repo.forget_everything(store, vacuum=False)
        forgotten = _counters(store)

    assert added == {**counters_before, "enrolments": added["enrolments"]}
    assert 0 < added["enrolments"] < ended["enrolments"] < forgotten["enrolments"]


def test_0005_applies_the_completeness_rule_to_stored_sessions(
    db_url: str, backend: Backend
) -> None:
    """Earlier versions called a session skipped to the end "completed": the rule decides now
    (complete with at least 80 % of the planned work done, each step up to its plan)."""
    sessions = {  # id: (status before, [(planned, done) per step])
        "skipped-through": ("completed", [(30.0, 0.0), (30.0, 0.4)]),
        "one-step-twice": ("completed", [(30.0, 90.0), (30.0, 0.0)]),  # 50 %: no make-up
        "nearly-all": ("quit_early", [(30.0, 30.0), (30.0, 18.0)]),  # exactly 80 %
        "stopped-early": ("quit_early", [(30.0, 30.0), (30.0, 17.9)]),
        "no-steps": ("completed", []),
        "played": ("completed", [(30.0, 30.0), (30.0, 30.0)]),
        "open": ("in_progress", [(30.0, 0.0)]),
        "killed": ("interrupted", [(30.0, 3.0)]),
    }
    with open_store(db_url, revision="0004") as old, old.engine.begin() as connection:
        for session_id, (status, steps) in sessions.items():
            connection.execute(
                sa.text(
                    "INSERT INTO sessions (id, routine_id, routine_name, status, started_at,"
                    " updated_at, ended_at) VALUES (:id, 'r', 'R', :status, :at, :at, :at)"
                ),
                {"id": session_id, "status": status, "at": stamp(backend, STARTED)},
            )
            for index, (planned, done) in enumerate(steps):
                connection.execute(
                    sa.text(
                        "INSERT INTO session_steps (session_id, step_index, exercise_id,"
                        " muscle_group, planned_seconds, done_seconds, seconds_left,"
                        " seconds_right, seconds_both, completed, skipped) VALUES (:id, :index,"
                        " 'e', 'hamstrings', :planned, :done, 0, 0, :done, :no, :no)"
                    ),
                    {
                        "id": session_id,
                        "index": index,
                        "planned": planned,
                        "done": done,
                        "no": False,
                    },
                )
        before = connection.execute(
            sa.text("SELECT version FROM change_counters WHERE name = 'sessions'")
        ).scalar_one()

    with open_store(db_url) as store:
        assert {s.id: s.status.value for s in repo.list_sessions(store)} == {
            "skipped-through": "partial",
            "one-step-twice": "partial",
            "nearly-all": "completed",
            "stopped-early": "partial",
            "no-steps": "partial",
            "played": "completed",
            "open": "in_progress",
            "killed": "interrupted",
        }
        with store.snapshot() as rows:
            after = rows("SELECT version FROM change_counters WHERE name = 'sessions'", {})
        assert after[0][0] > before  # readers that kept the old sessions read them again


def test_known_revisions_match_the_alembic_history() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    history = [script.revision for script in scripts.walk_revisions()]
    assert tuple(reversed(history)) == KNOWN_REVISIONS
    assert scripts.get_current_head() == HEAD


def test_migrated_schema_matches_the_table_classes(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_newer_sqlite_database_is_refused_and_left_byte_for_byte(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        path = Path(store.where)
        repo.add_checkin(store, EXPECTED_CHECKIN)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0042'")
    raw.close()
    before = _sha256(path)
    files_before = sorted(p.name for p in path.parent.iterdir())

    with pytest.raises(StoreTooNewError, match=r"newer version of deskstretch \(schema 0042\)"):
        open_store(sqlite_url)

    assert _sha256(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == files_before


def test_newer_postgresql_database_is_refused_and_left_untouched(postgres_url: str) -> None:
    with open_store(postgres_url) as store:
        repo.add_checkin(store, EXPECTED_CHECKIN)
        with store.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0042'")
            connection.exec_driver_sql("ALTER TABLE checkins ADD COLUMN mood TEXT")

    with pytest.raises(StoreTooNewError, match=r"\(schema 0042\)"):
        open_store(postgres_url)

    engine = sa.create_engine(postgres_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            "0042"
        )
        columns = {c["name"] for c in sa.inspect(connection).get_columns("checkins")}
        assert "mood" in columns
        assert connection.exec_driver_sql("SELECT count(*) FROM checkins").scalar() == 1
    engine.dispose()


def test_a_database_of_another_program_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    path = Path(sa.make_url(sqlite_url).database or "")
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    raw.close()
    before = _sha256(path)

    with pytest.raises(StoreError, match="not deskstretch's \\(invoices\\)"):
        open_store(sqlite_url)
    assert _sha256(path) == before


def test_0008_revises_sessions_written_after_the_upgrade(db_url: str, backend: Backend) -> None:
    """Sessions stored at 0007 read as before (revision 0); a write after the upgrade revises
    only its session, so the next history read takes the others from the last one."""
    with open_store(db_url, revision="0007") as old, old.engine.begin() as connection:
        fill_0001(connection, backend)
    with open_store(db_url) as store:
        first = repo.read_history(store)
        assert first[1].sessions == [EXPECTED_SESSION]
        later = SessionRecord("new", "r", "R", ENDED, SessionStatus.IN_PROGRESS)
        repo.start_session(store, later)
        second = repo.read_history(store, first)
        assert second[1].sessions[0] is first[1].sessions[0]
        assert second[1].sessions == [EXPECTED_SESSION, later]
        repo.mark_too_much(store, "old-1")
        third = repo.read_history(store, second)
        assert third[1].sessions == repo.list_sessions(store)
        assert third[1].sessions[0].too_much
        assert third[1].sessions[1] is second[1].sessions[1]


def test_0009_keeps_enrolments_and_starts_them_at_level_1(db_url: str, backend: Backend) -> None:
    with open_store(db_url, revision="0008") as old, old.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO enrolments (id, programme_id, started_on, at, ended_at) VALUES"
                " ('en-1', 'desk-back-6-weeks', :day, :at, NULL)"
            ),
            {"day": date(2024, 11, 6), "at": stamp(backend, ENDED)},
        )
    with open_store(db_url) as store:
        assert repo.list_enrolments(store) == [
            Enrolment("en-1", "desk-back-6-weeks", date(2024, 11, 6), ENDED, start_level=1)
        ]
        repo.add_enrolment(store, Enrolment("en-2", "p", date(2024, 11, 7), ENDED, start_level=3))
        assert repo.current_enrolment(store) == Enrolment(
            "en-2", "p", date(2024, 11, 7), ENDED, start_level=3
        )


def test_0010_adds_an_empty_assessments_table_and_counts_its_writes(
    db_url: str, backend: Backend
) -> None:
    from helpers.store_factories import make_assessment

    with open_store(db_url, revision="0009") as old:
        with old.engine.begin() as connection:
            fill_0001(connection, backend)
            fill_0002(connection, backend)
            fill_0006(connection, backend)
        before = _history_before_0007(old)
        counters_before = _counters(old)

    with open_store(db_url) as store:
        assert _history_before_0007(store) == before
        assert repo.list_assessments(store) == []
        assert _counters(store) == counters_before
        repo.add_assessment(store, make_assessment())
        added = _counters(store)
        repo.clear_photo_files(store)
        cleared = _counters(store)
        assert repo.list_assessments(store) == [make_assessment(photo_file=None)]

    assert added == {**counters_before, "assessments": added["assessments"]}
    assert 0 < added["assessments"] < cleared["assessments"]
