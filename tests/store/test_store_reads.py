"""The read path: plain SQL over snapshot rows must give exactly what the ORM rows give.

Lists are read without the ORM (and, on a SQLite file, without SQLAlchemy) for speed; these
tests compare them with the ORM rows of tables.py on both backends, and check the fast path.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from deskstretch.core.records import CheckInContext, Instrument, SessionStatus
from deskstretch.store import Store, StoreError, open_store
from deskstretch.store import repository as repo
from deskstretch.store.lite import sqlite_database
from deskstretch.store.tables import (
    CheckInRow,
    MeasurementRow,
    PsfsActivityRow,
    QuestionnaireResultRow,
    SessionRow,
)
from helpers.store_factories import (
    BERLIN_WINTER,
    T0,
    Backend,
    at,
    make_activity,
    make_checkin,
    make_measurement,
    make_result,
    make_session,
    make_step,
)


def _fill(store: Store) -> None:
    same = (
        make_step(0),
        make_step(1, 60.0, seconds_left=0.0, seconds_right=0.0, seconds_both=60.0),
    )
    for number in range(6):
        record = make_session(f"s{number}", at(number * 10), steps=same, front_end="web")
        repo.start_session(store, record)
        if number % 3 == 0:
            repo.finish_session(store, record.id, SessionStatus.COMPLETED, at(number * 10 + 3))
    partial = (make_step(0, 12.5, skipped=True, completed=False), make_step(1, 0.0))
    repo.start_session(store, make_session("partial", at(100), steps=partial))
    repo.finish_session(store, "partial", SessionStatus.QUIT_EARLY, at(101))
    repo.mark_too_much(store, "partial")
    repo.start_session(store, make_session("no-steps", at(200).astimezone(BERLIN_WINTER)))
    for number in range(5):
        repo.add_checkin(
            store,
            make_checkin(
                f"c{number}",
                at(number * 7).astimezone(BERLIN_WINTER),
                back_pain=None if number == 2 else number,
                leg_pain=number % 2 or None,
                context=list(CheckInContext)[number % 3],
                session_id=None if number == 4 else f"s{number}",
                note="" if number % 2 else f"note {number}",
            ),
        )
    repo.add_measurement(store, make_measurement())
    repo.add_measurement(store, make_measurement("m2", at(5), leg=None, value_cm=4.0))
    repo.add_psfs_activity(store, make_activity())
    repo.add_psfs_activity(store, make_activity("activity-2", at(1)))
    repo.retire_psfs_activity(store, "activity-2", at(2))
    repo.add_questionnaire_result(store, make_result())
    repo.add_questionnaire_result(
        store,
        make_result("r2", at(3), instrument=Instrument.RMDQ, answers={"q1": 1}, extra={}),
    )


def test_every_list_matches_the_orm_rows(store: Store) -> None:
    _fill(store)
    with store.reading() as db:
        sessions = [
            row.to_record()
            for row in db.scalars(
                sa.select(SessionRow).order_by(SessionRow.started_at, SessionRow.id)
            )
        ]
        checkins = [
            row.to_record()
            for row in db.scalars(sa.select(CheckInRow).order_by(CheckInRow.at, CheckInRow.id))
        ]
        measurements = [
            row.to_record()
            for row in db.scalars(
                sa.select(MeasurementRow).order_by(MeasurementRow.at, MeasurementRow.id)
            )
        ]
        activities = [
            row.to_record()
            for row in db.scalars(
                sa.select(PsfsActivityRow).order_by(PsfsActivityRow.created_at, PsfsActivityRow.id)
            )
        ]
        results = [
            row.to_record()
            for row in db.scalars(
                sa.select(QuestionnaireResultRow).order_by(
                    QuestionnaireResultRow.at, QuestionnaireResultRow.id
                )
            )
        ]

    read = repo.list_sessions(store)
    assert read == sessions and len(read) == 8
    assert [s.steps for s in read] == [s.steps for s in sessions]  # tuples of equal steps
    assert all(type(step.completed) is bool for s in read for step in s.steps)
    assert all(s.started_at.tzinfo is UTC for s in read)
    assert repo.list_checkins(store) == checkins and len(checkins) == 5
    assert repo.list_measurements(store) == measurements
    assert repo.list_psfs_activities(store, include_retired=True) == activities
    assert repo.list_psfs_activities(store) == [a for a in activities if a.retired_at is None]
    assert repo.list_questionnaire_results(store) == results
    assert repo.list_questionnaire_results(store, instrument=Instrument.RMDQ) == [results[1]]
    assert repo.get_session(store, "partial") == next(s for s in sessions if s.id == "partial")


def test_since_and_limit_keep_each_sessions_own_steps(store: Store) -> None:
    _fill(store)
    everything = {s.id: s for s in repo.list_sessions(store)}

    newest = repo.list_sessions(store, limit=3)
    recent = repo.list_sessions(store, since=at(40))
    both = repo.list_sessions(store, since=at(10), limit=2)

    assert [s.id for s in newest] == ["s5", "partial", "no-steps"]
    assert [s.id for s in recent] == ["s4", "s5", "partial", "no-steps"]
    assert [s.id for s in both] == ["partial", "no-steps"]
    for session in [*newest, *recent, *both]:
        assert session == everything[session.id]
    assert everything["no-steps"].steps == ()
    assert repo.list_sessions(store, limit=0) == []


def test_a_stored_timestamp_with_an_offset_is_read_as_utc(store: Store, backend: Backend) -> None:
    # deskstretch writes UTC, but a row written by hand (or another tool) may carry an offset.
    with store.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO checkins (id, at, back_pain, leg_pain, context, session_id, note)"
                " VALUES ('hand', :at, 3, NULL, 'anytime', NULL, '')"
            ),
            {"at": "2025-03-04 09:00:00.000001+01:00" if backend == "sqlite" else T0},
        )
    [checkin] = repo.list_checkins(store)
    expected = datetime(2025, 3, 4, 8, 0, 0, 1, tzinfo=UTC) if backend == "sqlite" else T0
    assert checkin.at == expected and checkin.at.utcoffset() == timedelta(0)
    with store.reading() as db:
        assert db.scalars(sa.select(CheckInRow)).one().to_record() == checkin


def test_naive_since_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="timezone-aware"):
        repo.list_checkins(store, since=datetime(2025, 1, 1, 12, 0))
    with pytest.raises(StoreError, match="timezone-aware"):
        repo.list_sessions(store, since=datetime(2025, 1, 1, 12, 0))


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////tmp/x/deskstretch.sqlite3",
        "sqlite:///relative/deskstretch.sqlite3",
        "sqlite+pysqlite:////tmp/with space/ünï.db",
        "sqlite:///~/deskstretch.sqlite3",
        "sqlite:////tmp/at@sign:colon/x.db",
    ],
)
def test_plain_sqlite_urls_are_read_as_sqlalchemy_reads_them(url: str) -> None:
    assert sqlite_database(url) == sa.make_url(url).database


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:////tmp/x.db?timeout=3",
        "sqlite:////tmp/percent%20escaped.db",
        "postgresql://me@host/db",
        " sqlite:////tmp/x.db",
    ],
)
def test_other_urls_go_through_sqlalchemy(url: str) -> None:
    assert sqlite_database(url) is None


def test_sqlite_url_options_still_work(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deskstretch.sqlite3'}?timeout=3"
    with open_store(url) as store:
        repo.add_checkin(store, make_checkin())
        assert repo.list_checkins(store) == [make_checkin()]
        assert repo.counts(store)["checkins"] == 1


def test_reading_an_up_to_date_sqlite_file_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    """What keeps `deskstretch progress` fast: no SQLAlchemy (about 150 ms to import) to read."""
    url = f"sqlite:///{tmp_path / 'deskstretch.sqlite3'}"
    with open_store(url) as store:
        _fill(store)
    code = (
        "import sys\n"
        "from deskstretch.store import open_store, repository as repo\n"
        f"store = open_store({url!r})\n"
        "assert len(repo.list_sessions(store)) == 8 and len(repo.list_checkins(store)) == 5\n"
        "repo.list_measurements(store); repo.list_questionnaire_results(store)\n"
        "repo.list_psfs_activities(store, include_retired=True); repo.counts(store)\n"
        "store.close()\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'pydantic') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_reads_leave_the_garbage_collector_as_they_found_it(store: Store) -> None:
    _fill(store)
    assert gc.isenabled()
    repo.list_sessions(store)
    assert gc.isenabled()
    with pytest.raises(StoreError), store.snapshot() as rows:
        rows("SELECT * FROM no_such_table", {})
    assert gc.isenabled()
    gc.disable()
    try:
        repo.list_checkins(store)
        assert not gc.isenabled()
    finally:
        gc.enable()
