"""Reading and writing what deskstretch remembers; every function returns core records, never rows.

Each call is one short transaction. Lists come back oldest first (``limit`` keeps the newest).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from deskstretch.core.errors import NotFoundError
from deskstretch.core.records import (
    CheckIn,
    Instrument,
    Measurement,
    MeasurementKind,
    PsfsActivity,
    QuestionnaireResult,
    SessionRecord,
    SessionStatus,
    StepRecord,
)
from deskstretch.store.db import Store
from deskstretch.store.errors import StoreError
from deskstretch.store.tables import (
    CheckInRow,
    MeasurementRow,
    PsfsActivityRow,
    QuestionnaireResultRow,
    SessionRow,
    StepRow,
    metadata,
    step_values,
)

_OPEN = (SessionStatus.IN_PROGRESS.value, SessionStatus.INTERRUPTED.value)
# What an upsert of an existing step overwrites (everything but the key).
_STEP_VALUE_COLUMNS = (
    "exercise_id",
    "muscle_group",
    "planned_seconds",
    "done_seconds",
    "seconds_left",
    "seconds_right",
    "seconds_both",
    "completed",
    "skipped",
)
_COUNTED = {
    "sessions": SessionRow,
    "checkins": CheckInRow,
    "measurements": MeasurementRow,
    "psfs_activities": PsfsActivityRow,
    "questionnaire_results": QuestionnaireResultRow,
}


# Sessions ----------------------------------------------------------------------------------------


def start_session(store: Store, record: SessionRecord) -> SessionRecord:
    """Save a new session as in progress; committed before this returns."""
    stored = replace(record, status=SessionStatus.IN_PROGRESS, ended_at=None)
    with store.writing() as db:
        db.add(SessionRow.from_record(stored, updated_at=record.started_at))
    return stored


def update_session_progress(
    store: Store, session_id: str, steps: Sequence[StepRecord], *, at: datetime
) -> None:
    """Upsert ``steps`` (by step_index) and note ``at`` as the session's last sign of life.

    A session that was marked interrupted while still running comes back to in progress.
    """
    with store.writing() as db:
        connection = db.connection()
        changed = connection.execute(
            sa.update(SessionRow)
            .where(SessionRow.id == session_id, SessionRow.status.in_(_OPEN))
            .values(updated_at=at, status=SessionStatus.IN_PROGRESS.value, ended_at=None)
        )
        if changed.rowcount == 0:
            _raise_not_open(db, session_id)
        _upsert_steps(connection, store, session_id, steps)


def finish_session(
    store: Store,
    session_id: str,
    status: SessionStatus,
    ended_at: datetime,
    steps: Sequence[StepRecord] = (),
) -> SessionRecord:
    """Record how a session ended (completed or quit early), with its last step updates."""
    if status is SessionStatus.IN_PROGRESS:
        raise ValueError("finish_session needs a final status, not in_progress")
    with store.writing() as db:
        connection = db.connection()
        changed = connection.execute(
            sa.update(SessionRow)
            .where(SessionRow.id == session_id)
            .values(status=status.value, ended_at=ended_at, updated_at=ended_at)
        )
        if changed.rowcount == 0:
            raise NotFoundError("session", session_id)
        _upsert_steps(connection, store, session_id, steps)
        return _get_session(db, session_id)


def mark_too_much(store: Store, session_id: str) -> None:
    """Note that the check-in after this session showed it was too much."""
    with store.writing() as db:
        changed = db.connection().execute(
            sa.update(SessionRow).where(SessionRow.id == session_id).values(too_much=True)
        )
        if changed.rowcount == 0:
            raise NotFoundError("session", session_id)


def recover_interrupted(
    store: Store, now: datetime, *, stale_after: timedelta = timedelta(0)
) -> list[SessionRecord]:
    """Mark sessions left in progress (last update at or before ``now - stale_after``) interrupted.

    Their ``ended_at`` becomes their last recorded update. Returns the sessions changed.
    """
    with store.writing() as db:
        rows = db.scalars(
            _sessions_query()
            .where(
                SessionRow.status == SessionStatus.IN_PROGRESS.value,
                SessionRow.updated_at <= now - stale_after,
            )
            .order_by(SessionRow.started_at, SessionRow.id)
        ).all()
        for row in rows:
            row.status = SessionStatus.INTERRUPTED.value
            row.ended_at = row.updated_at
        return [row.to_record() for row in rows]


def get_session(store: Store, session_id: str) -> SessionRecord:
    with store.reading() as db:
        return _get_session(db, session_id)


def list_sessions(
    store: Store, *, since: datetime | None = None, limit: int | None = None
) -> list[SessionRecord]:
    """Sessions started at or after ``since``; with ``limit``, the newest that many."""
    with store.reading() as db:
        return _list_sessions(db, since, limit)


# Check-ins, measurements, questionnaires --------------------------------------------------------


def add_checkin(store: Store, checkin: CheckIn) -> None:
    with store.writing() as db:
        db.add(CheckInRow.from_record(checkin))


def list_checkins(store: Store, *, since: datetime | None = None) -> list[CheckIn]:
    query = sa.select(CheckInRow).order_by(CheckInRow.at, CheckInRow.id)
    if since is not None:
        query = query.where(CheckInRow.at >= since)
    with store.reading() as db:
        return [row.to_record() for row in db.scalars(query)]


def add_measurement(store: Store, measurement: Measurement) -> None:
    with store.writing() as db:
        db.add(MeasurementRow.from_record(measurement))


def list_measurements(store: Store, *, kind: MeasurementKind | None = None) -> list[Measurement]:
    query = sa.select(MeasurementRow).order_by(MeasurementRow.at, MeasurementRow.id)
    if kind is not None:
        query = query.where(MeasurementRow.kind == kind.value)
    with store.reading() as db:
        return [row.to_record() for row in db.scalars(query)]


def add_psfs_activity(store: Store, activity: PsfsActivity) -> None:
    with store.writing() as db:
        db.add(PsfsActivityRow.from_record(activity))


def retire_psfs_activity(store: Store, activity_id: str, at: datetime) -> PsfsActivity:
    """Stop asking about an activity; its past ratings stay. Retiring twice keeps the first date."""
    with store.writing() as db:
        row = db.get(PsfsActivityRow, activity_id)
        if row is None:
            raise NotFoundError("PSFS activity", activity_id)
        if row.retired_at is None:
            row.retired_at = at
        return row.to_record()


def list_psfs_activities(store: Store, *, include_retired: bool = False) -> list[PsfsActivity]:
    query = sa.select(PsfsActivityRow).order_by(PsfsActivityRow.created_at, PsfsActivityRow.id)
    if not include_retired:
        query = query.where(PsfsActivityRow.retired_at.is_(None))
    with store.reading() as db:
        return [row.to_record() for row in db.scalars(query)]


def add_questionnaire_result(store: Store, result: QuestionnaireResult) -> None:
    with store.writing() as db:
        db.add(QuestionnaireResultRow.from_record(result))


def list_questionnaire_results(
    store: Store, *, instrument: Instrument | None = None
) -> list[QuestionnaireResult]:
    query = sa.select(QuestionnaireResultRow).order_by(
        QuestionnaireResultRow.at, QuestionnaireResultRow.id
    )
    if instrument is not None:
        query = query.where(QuestionnaireResultRow.instrument == instrument.value)
    with store.reading() as db:
        return [row.to_record() for row in db.scalars(query)]


# Everything at once -------------------------------------------------------------------------------


def counts(store: Store) -> dict[str, int]:
    """How many records of each kind are stored (keys as in the export file)."""
    with store.reading() as db:
        return {
            name: int(db.scalar(sa.select(sa.func.count()).select_from(row)) or 0)
            for name, row in _COUNTED.items()
        }


def export_all(store: Store) -> dict[str, Any]:
    """Everything stored, as plain JSON-ready data (see store/exchange.py for the shape)."""
    from deskstretch.store import exchange

    with store.reading() as db:  # one snapshot, so the export is consistent
        bundle = exchange.Bundle(
            sessions=_list_sessions(db, None, None),
            checkins=[r.to_record() for r in db.scalars(sa.select(CheckInRow))],
            measurements=[r.to_record() for r in db.scalars(sa.select(MeasurementRow))],
            psfs_activities=[r.to_record() for r in db.scalars(sa.select(PsfsActivityRow))],
            questionnaire_results=[
                r.to_record() for r in db.scalars(sa.select(QuestionnaireResultRow))
            ],
        )
    return exchange.dump(bundle)


def import_all(store: Store, data: Mapping[str, Any], *, replace: bool = False) -> dict[str, int]:
    """Import an export: all of it or nothing. Records keep their ids, so importing the same
    file twice changes nothing; a stored record with an imported id is replaced by the import.

    ``replace=True`` first forgets everything stored. Returns how many records of each kind
    were imported. Bad data raises ExchangeError naming the JSON path; the database is untouched.
    """
    from deskstretch.store import exchange

    bundle = exchange.parse(data)
    with store.writing() as db:
        connection = db.connection()
        if replace:
            _delete_everything(connection)
        else:
            session_ids = [s.id for s in bundle.sessions]
            _delete_ids(connection, StepRow.session_id, session_ids)
            _delete_ids(connection, SessionRow.id, session_ids)
            _delete_ids(connection, CheckInRow.id, [c.id for c in bundle.checkins])
            _delete_ids(connection, MeasurementRow.id, [m.id for m in bundle.measurements])
            _delete_ids(connection, PsfsActivityRow.id, [p.id for p in bundle.psfs_activities])
            _delete_ids(
                connection, QuestionnaireResultRow.id, [q.id for q in bundle.questionnaire_results]
            )
        db.add_all(
            [
                SessionRow.from_record(s, updated_at=s.ended_at or s.started_at)
                for s in bundle.sessions
            ]
            + [CheckInRow.from_record(c) for c in bundle.checkins]
            + [MeasurementRow.from_record(m) for m in bundle.measurements]
            + [PsfsActivityRow.from_record(p) for p in bundle.psfs_activities]
            + [QuestionnaireResultRow.from_record(q) for q in bundle.questionnaire_results]
        )
    return bundle.counts()


def forget_everything(store: Store, *, vacuum: bool = True) -> None:
    """Delete every record in one transaction; on SQLite, ``vacuum`` also wipes the free space."""
    with store.writing() as db:
        _delete_everything(db.connection())
    if vacuum:
        store.vacuum()


# Helpers ------------------------------------------------------------------------------------------


def _sessions_query() -> sa.Select[SessionRow]:
    return sa.select(SessionRow).options(selectinload(SessionRow.steps))


def _get_session(db: Session, session_id: str) -> SessionRecord:
    row = db.scalars(_sessions_query().where(SessionRow.id == session_id)).one_or_none()
    if row is None:
        raise NotFoundError("session", session_id)
    return row.to_record()


def _list_sessions(db: Session, since: datetime | None, limit: int | None) -> list[SessionRecord]:
    query = _sessions_query().order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
    if since is not None:
        query = query.where(SessionRow.started_at >= since)
    if limit is not None:
        query = query.limit(limit)
    return [row.to_record() for row in reversed(db.scalars(query).all())]


def _raise_not_open(db: Session, session_id: str) -> None:
    status = db.scalar(sa.select(SessionRow.status).where(SessionRow.id == session_id))
    if status is None:
        raise NotFoundError("session", session_id)
    raise StoreError(f"session {session_id} is already finished ({status}); not updated")


def _upsert_steps(
    connection: Connection, store: Store, session_id: str, steps: Sequence[StepRecord]
) -> None:
    if not steps:
        return
    key = [StepRow.session_id, StepRow.step_index]
    statement: sa.Insert
    if store.backend == "sqlite":
        sqlite_insert = sqlite.insert(StepRow)
        statement = sqlite_insert.on_conflict_do_update(
            index_elements=key,
            set_={name: sqlite_insert.excluded[name] for name in _STEP_VALUE_COLUMNS},
        )
    else:
        postgresql_insert = postgresql.insert(StepRow)
        statement = postgresql_insert.on_conflict_do_update(
            index_elements=key,
            set_={name: postgresql_insert.excluded[name] for name in _STEP_VALUE_COLUMNS},
        )
    connection.execute(statement, [{"session_id": session_id, **step_values(s)} for s in steps])


def _delete_ids(
    connection: Connection, column: InstrumentedAttribute[str], ids: Sequence[str]
) -> None:
    for start in range(0, len(ids), 500):  # stay far below every backend's parameter limit
        connection.execute(sa.delete(column.class_).where(column.in_(ids[start : start + 500])))


def _delete_everything(connection: Connection) -> None:
    for table in reversed(metadata.sorted_tables):
        connection.execute(table.delete())
