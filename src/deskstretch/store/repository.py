"""Reading and writing what deskstretch remembers; every function returns core records, never rows.

Each call is one short transaction. Lists come back oldest first (``limit`` keeps the newest).

Reads are plain SQL over ``Store.snapshot`` rows, built straight into core records: no ORM, and on
a SQLite file no SQLAlchemy at all, so ``deskstretch progress`` over years of history stays fast.
The SQL is the same on both backends; the helpers below turn each backend's values into what the
ORM rows in ``tables.py`` would give (UtcDateTime, Boolean and JSON columns). Writes use those ORM
rows; SQLAlchemy is imported when the first write happens.
Past 400 lines because it is the one home of SQL for every record kind (sessions, check-ins,
measurements, questionnaires, programme events, enrolments, assessments, export, import); each
kind is one short section.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from deskstretch.core.body_angles import PhotoTest, Side
from deskstretch.core.errors import NotFoundError
from deskstretch.core.records import (
    RECORD_KINDS,
    Assessment,
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
    StepRecord,
)
from deskstretch.store.db import Rows, Store
from deskstretch.store.db_errors import StoreError

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import InstrumentedAttribute, Session

    from deskstretch.store.exchange import Bundle
    from deskstretch.store.tables import SessionRow

_OPEN = (SessionStatus.IN_PROGRESS.value, SessionStatus.INTERRUPTED.value)
_IN_PROGRESS = SessionStatus.IN_PROGRESS.value
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
"""Table names, which are also the keys of the export file."""


# Sessions ----------------------------------------------------------------------------------------


def start_session(store: Store, record: SessionRecord) -> SessionRecord:
    """Save a new session as in progress; committed before this returns."""
    from deskstretch.store.tables import SessionRow

    stored = replace(
        record, status=SessionStatus.IN_PROGRESS, ended_at=None, updated_at=record.started_at
    )
    with store.writing() as db:
        db.add(SessionRow.from_record(stored, updated_at=record.started_at))
    return stored


def update_session_progress(
    store: Store, session_id: str, steps: Sequence[StepRecord], *, at: datetime
) -> None:
    """Upsert ``steps`` (by step_index) and note ``at`` as the session's last sign of life.

    A session that was marked interrupted while still running comes back to in progress.
    """
    import sqlalchemy as sa

    from deskstretch.store.tables import SessionRow

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
    import sqlalchemy as sa

    from deskstretch.store.tables import SessionRow

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
    import sqlalchemy as sa

    from deskstretch.store.tables import SessionRow

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
    from deskstretch.store.tables import SessionRow

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
    with store.snapshot() as rows:
        found = _read_sessions(rows, store, session_id=session_id)
    if not found:
        raise NotFoundError("session", session_id)
    return found[0]


def list_sessions(
    store: Store, *, since: datetime | None = None, limit: int | None = None
) -> list[SessionRecord]:
    """Sessions started at or after ``since``; with ``limit``, the newest that many."""
    with store.snapshot() as rows:
        return _read_sessions(rows, store, since=since, limit=limit)


# Check-ins, measurements, questionnaires --------------------------------------------------------


def add_checkin(store: Store, checkin: CheckIn, events: Sequence[ProgrammeEvent] = ()) -> None:
    """Save a check-in, and in the same transaction any programme events it gave rise to (so a
    check-in that calls for the cauda equina questions is never saved without that call)."""
    from deskstretch.store.tables import CheckInRow, ProgrammeEventRow

    with store.writing() as db:
        db.add(CheckInRow.from_record(checkin))
        db.add_all([ProgrammeEventRow.from_record(event) for event in events])


def list_checkins(store: Store, *, since: datetime | None = None) -> list[CheckIn]:
    where, params = "", {}
    if since is not None:
        where, params = " WHERE at >= :since", {"since": _timestamp_param(store, since)}
    with store.snapshot() as rows:
        return _read_checkins(rows, where + " ORDER BY at, id", params)


def add_measurement(store: Store, measurement: Measurement) -> None:
    from deskstretch.store.tables import MeasurementRow

    with store.writing() as db:
        db.add(MeasurementRow.from_record(measurement))


def list_measurements(store: Store, *, kind: MeasurementKind | None = None) -> list[Measurement]:
    where, params = "", {}
    if kind is not None:
        where, params = " WHERE kind = :kind", {"kind": kind.value}
    with store.snapshot() as rows:
        return _read_measurements(rows, where + " ORDER BY at, id", params)


def add_psfs_activity(store: Store, activity: PsfsActivity) -> None:
    from deskstretch.store.tables import PsfsActivityRow

    with store.writing() as db:
        db.add(PsfsActivityRow.from_record(activity))


def retire_psfs_activity(store: Store, activity_id: str, at: datetime) -> PsfsActivity:
    """Stop asking about an activity; its past ratings stay. Retiring twice keeps the first date."""
    from deskstretch.store.tables import PsfsActivityRow

    with store.writing() as db:
        row = db.get(PsfsActivityRow, activity_id)
        if row is None:
            raise NotFoundError("PSFS activity", activity_id)
        if row.retired_at is None:
            row.retired_at = at
        return row.to_record()


def list_psfs_activities(store: Store, *, include_retired: bool = False) -> list[PsfsActivity]:
    where = "" if include_retired else " WHERE retired_at IS NULL"
    with store.snapshot() as rows:
        return _read_psfs_activities(rows, where + " ORDER BY created_at, id", {})


def add_questionnaire_result(store: Store, result: QuestionnaireResult) -> None:
    from deskstretch.store.tables import QuestionnaireResultRow

    with store.writing() as db:
        db.add(QuestionnaireResultRow.from_record(result))


def list_questionnaire_results(
    store: Store, *, instrument: Instrument | None = None
) -> list[QuestionnaireResult]:
    where, params = "", {}
    if instrument is not None:
        where, params = " WHERE instrument = :instrument", {"instrument": instrument.value}
    with store.snapshot() as rows:
        return _read_questionnaire_results(rows, where + " ORDER BY at, id", params)


# Programme events (a pain pause lifted, cauda equina questions due or answered) ----------------


def add_programme_event(store: Store, event: ProgrammeEvent) -> None:
    from deskstretch.store.tables import ProgrammeEventRow

    with store.writing() as db:
        db.add(ProgrammeEventRow.from_record(event))


def list_programme_events(store: Store) -> list[ProgrammeEvent]:
    """Every programme event, oldest first (a few a month at most: it is read whole)."""
    with store.snapshot() as rows:
        return _read_programme_events(rows)


def _read_programme_events(rows: Rows) -> list[ProgrammeEvent]:
    return [
        ProgrammeEvent(row_id, _utc(at), ProgrammeEventKind(kind))
        for row_id, at, kind in rows(
            "SELECT id, at, kind FROM programme_events ORDER BY at, id", {}
        )
    ]


# Enrolments (the programme over weeks the person follows) ---------------------------------------


def add_enrolment(store: Store, enrolment: Enrolment) -> list[Enrolment]:
    """Save an enrolment. An active one first ends every enrolment active before it, at its
    ``at`` and in the same transaction, so at most one is ever active (and a crash never leaves
    the person with none or two). Returns the enrolments it ended."""
    from deskstretch.store.tables import EnrolmentRow

    with store.writing() as db:
        ended = [] if enrolment.ended_at is not None else _end_active(db, store, enrolment.at)
        db.add(EnrolmentRow.from_record(enrolment))
    return ended


def end_enrolment(store: Store, at: datetime) -> Enrolment | None:
    """End the active enrolment at ``at`` (never before it began); the one ended, or None when
    none was active."""
    with store.writing() as db:
        ended = _end_active(db, store, at)
    return ended[-1] if ended else None


def current_enrolment(store: Store) -> Enrolment | None:
    """The active enrolment (the newest, should an import have brought two), or None."""
    with store.snapshot() as rows:
        found = _read_enrolments(
            rows, " WHERE ended_at IS NULL ORDER BY at DESC, id DESC LIMIT 1", {}
        )
    return found[0] if found else None


def list_enrolments(store: Store) -> list[Enrolment]:
    """Every enrolment, ended ones included, oldest first (a handful a year: read whole)."""
    with store.snapshot() as rows:
        return _read_enrolments(rows, " ORDER BY at, id", {})


def _end_active(db: Session, store: Store, at: datetime) -> list[Enrolment]:
    """End every active enrolment at ``at`` (or at its own start, if that is later)."""
    import sqlalchemy as sa

    from deskstretch.store.tables import EnrolmentRow

    _timestamp_param(store, at)  # a naive time is refused before anything changes
    # Plain statements, not ORM rows: a row loaded here would clash with a new one of the same
    # id in add_enrolment, which must fail as "already stored" like any other record.
    connection = db.connection()
    active = connection.execute(
        sa.select(
            EnrolmentRow.id,
            EnrolmentRow.programme_id,
            EnrolmentRow.started_on,
            EnrolmentRow.at,
            EnrolmentRow.start_level,
        )
        .where(EnrolmentRow.ended_at.is_(None))
        .order_by(EnrolmentRow.at, EnrolmentRow.id)
    ).all()
    ended = [Enrolment(*row[:4], ended_at=max(row[3], at), start_level=row[4]) for row in active]
    for enrolment in ended:
        connection.execute(
            sa.update(EnrolmentRow)
            .where(EnrolmentRow.id == enrolment.id)
            .values(ended_at=enrolment.ended_at)
        )
    return ended


def _one_active_enrolment(db: Session, store: Store) -> None:
    """After an import: only the newest active enrolment stays active; the others end when it
    began, as if the person had switched to it here."""
    import sqlalchemy as sa

    from deskstretch.store.tables import EnrolmentRow

    db.flush()
    active = db.scalars(
        sa.select(EnrolmentRow)
        .where(EnrolmentRow.ended_at.is_(None))
        .order_by(EnrolmentRow.at.desc(), EnrolmentRow.id.desc())
    ).all()
    for row in active[1:]:
        row.ended_at = max(row.at, active[0].at)


def _read_enrolments(rows: Rows, rest: str, params: Mapping[str, Any]) -> list[Enrolment]:
    sql = f"SELECT id, programme_id, started_on, at, ended_at, start_level FROM enrolments{rest}"
    return [
        Enrolment(
            row_id, programme_id, _date(started_on), _utc(at), _utc_or_none(ended_at), int(level)
        )
        for row_id, programme_id, started_on, at, ended_at, level in rows(sql, params)
    ]


# Assessments (angles from side-view photos or the camera) --------------------------------------


def add_assessment(store: Store, assessment: Assessment) -> None:
    from deskstretch.store.tables import AssessmentRow

    with store.writing() as db:
        db.add(AssessmentRow.from_record(assessment))


def list_assessments(store: Store, *, test: PhotoTest | None = None) -> list[Assessment]:
    """Assessments oldest first; with ``test``, only those of that test."""
    where, params = "", {}
    if test is not None:
        where, params = " WHERE test = :test", {"test": test.value}
    with store.snapshot() as rows:
        return _read_assessments(rows, where + " ORDER BY at, id", params)


def get_assessment(store: Store, assessment_id: str) -> Assessment:
    with store.snapshot() as rows:
        found = _read_assessments(rows, " WHERE id = :id", {"id": assessment_id})
    if not found:
        raise NotFoundError("assessment", assessment_id)
    return found[0]


def clear_photo_files(store: Store) -> list[str]:
    """Forget every kept photo's file name (the caller deletes the files); the names cleared."""
    import sqlalchemy as sa

    from deskstretch.store.tables import AssessmentRow

    with store.writing() as db:
        connection = db.connection()
        names = [
            str(name)
            for (name,) in connection.execute(
                sa.select(AssessmentRow.photo_file).where(AssessmentRow.photo_file.is_not(None))
            )
        ]
        if names:
            connection.execute(
                sa.update(AssessmentRow)
                .where(AssessmentRow.photo_file.is_not(None))
                .values(photo_file=None)
            )
    return names


_ASSESSMENT_COLUMNS = (
    "id, at, test, source, side, forward_bend_deg, knee_deficit_deg, trunk_inclination_deg,"
    " photos, uncertainty_deg, photo_file, note"
)


def _read_assessments(rows: Rows, rest: str, params: Mapping[str, Any]) -> list[Assessment]:
    sql = f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments{rest}"
    return [
        Assessment(
            row_id,
            _utc(at),
            PhotoTest(test),
            source,
            Side(side),
            float(bend),
            float(knee),
            float(trunk),
            int(photos),
            float(uncertainty),
            photo_file,
            note,
        )
        for (
            row_id,
            at,
            test,
            source,
            side,
            bend,
            knee,
            trunk,
            photos,
            uncertainty,
            photo_file,
            note,
        ) in rows(sql, params)
    ]


# Everything at once -------------------------------------------------------------------------------


class History(NamedTuple):
    """Every record the progress summary reads, from one consistent snapshot."""

    sessions: list[SessionRecord]
    checkins: list[CheckIn]
    measurements: list[Measurement]
    results: list[QuestionnaireResult]
    psfs_activities: list[PsfsActivity]
    programme_events: list[ProgrammeEvent]
    enrolments: list[Enrolment]
    """Every enrolment, oldest first; ``active_enrolment`` picks the one followed now."""
    assessments: list[Assessment]
    """Every photo or camera assessment, oldest first."""


def active_enrolment(enrolments: Sequence[Enrolment]) -> Enrolment | None:
    """The one ``current_enrolment`` reads: the newest active (should an import bring two)."""
    active = [e for e in enrolments if e.ended_at is None]
    return max(active, key=lambda e: (e.at, e.id), default=None)


Versions = dict[str, int]
"""The change counters (migration 0004): kind of record -> how often it was written."""


def read_history(
    store: Store, previous: tuple[Versions, History] | None = None
) -> tuple[Versions, History]:
    """All sessions, check-ins, measurements, results, PSFS activities (retired included),
    programme events, enrolments and assessments, with the change counters they were read at.

    One read transaction: the lists agree with each other, and a SQLite file is opened once.
    ``previous`` is an earlier answer: a kind of record whose counter has not moved since is
    taken from it instead of being read again.
    """
    readers: dict[str, Callable[[Rows], list[Any]]] = {
        # History field -> how to read it; each field is named after its change counter,
        # except results (counter "questionnaire_results").
        "sessions": lambda rows: _read_sessions(rows, store),
        "checkins": lambda rows: _read_checkins(rows, " ORDER BY at, id", {}),
        "measurements": lambda rows: _read_measurements(rows, " ORDER BY at, id", {}),
        "results": lambda rows: _read_questionnaire_results(rows, " ORDER BY at, id", {}),
        "psfs_activities": lambda rows: _read_psfs_activities(rows, " ORDER BY created_at, id", {}),
        "programme_events": _read_programme_events,
        "enrolments": lambda rows: _read_enrolments(rows, " ORDER BY at, id", {}),
        "assessments": lambda rows: _read_assessments(rows, " ORDER BY at, id", {}),
    }
    with store.snapshot() as rows:
        versions = {str(name): int(version) for name, version in rows(_COUNTERS_SQL, {})}
        lists = {}
        for field, read in readers.items():
            counter = "questionnaire_results" if field == "results" else field
            if previous is not None and previous[0].get(counter, 0) == versions.get(counter, 0):
                lists[field] = getattr(previous[1], field)
                if field in READ_UP_TO:
                    versions[READ_UP_TO[field]] = previous[0].get(READ_UP_TO[field], -1)
            elif field in READ_UP_TO:
                lists[field], versions[READ_UP_TO[field]] = _read_revised(
                    rows, store, field, previous, versions
                )
            else:
                lists[field] = read(rows)
        return versions, History(**lists)


_COUNTERS_SQL = "SELECT name, version FROM change_counters"
READ_UP_TO = {
    "sessions": "sessions read up to revision",
    "checkins": "checkins read up to revision",
}
"""Not counters: the highest row revision (migration 0008) each such list was read at."""


def _read_revised(
    rows: Rows,
    store: Store,
    field: str,
    previous: tuple[Versions, History] | None,
    versions: Versions,
) -> tuple[list[Any], int]:
    """The sessions or check-ins (``field``), and the revision they are read up to: after a
    write, only the rows revised since ``previous`` was read, merged into its list; all of them
    the first time and after any was deleted (a delete leaves no revision behind)."""
    newest = int(rows(f"SELECT coalesce(max(revision), 0) FROM {field}", {})[0][0])
    seen = -1 if previous is None else previous[0].get(READ_UP_TO[field], -1)
    deleted = f"{field}_deleted"
    if seen < 0 or previous is None or previous[0].get(deleted, 0) != versions.get(deleted, 0):
        revised_after = None
    else:
        revised_after = seen
    if field == "sessions":
        found: list[Any] = _read_sessions(rows, store, revised_after=revised_after)
    else:
        where = "" if revised_after is None else " WHERE revision > :revised_after"
        params = {"revised_after": revised_after}
        found = _read_checkins(rows, where + " ORDER BY at, id", params)
    if previous is None or revised_after is None:
        return found, newest
    ids = {record.id for record in found}
    merged = [record for record in getattr(previous[1], field) if record.id not in ids]
    # In the order a whole read gives: sessions by start, check-ins by time (then id). Both
    # lists are in that order already: only a revised record older than the last needs a sort.
    key: Callable[[Any], tuple[datetime, str]] = (
        (lambda r: (r.started_at, r.id)) if field == "sessions" else (lambda r: (r.at, r.id))
    )
    needs_sort = bool(merged and found and key(found[0]) < key(merged[-1]))
    merged += found
    if needs_sort:
        merged.sort(key=key)
    return merged, newest


def counts(store: Store) -> dict[str, int]:
    """How many records of each kind are stored (keys as in the export file)."""
    with store.snapshot() as rows:
        return {
            table: int(rows(f"SELECT count(*) FROM {table}", {})[0][0] or 0)
            for table in RECORD_KINDS
        }


def export_all(store: Store) -> dict[str, Any]:
    """Everything stored, as plain JSON-ready data (see store/exchange.py for the shape)."""
    from deskstretch.store import exchange

    with store.snapshot() as rows:  # one snapshot, so the export is consistent
        bundle = exchange.Bundle(
            sessions=_read_sessions(rows, store),
            checkins=_read_checkins(rows, "", {}),
            measurements=_read_measurements(rows, "", {}),
            psfs_activities=_read_psfs_activities(rows, "", {}),
            questionnaire_results=_read_questionnaire_results(rows, "", {}),
            programme_events=_read_programme_events(rows),
            enrolments=_read_enrolments(rows, "", {}),
            assessments=_read_assessments(rows, "", {}),
        )
    return exchange.dump(bundle)


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote, and what it left alone because the stored copy is newer."""

    imported: dict[str, int]
    kept_newer: dict[str, int]
    """Only kinds with at least one record kept."""


def import_all(store: Store, data: Mapping[str, Any], *, replace: bool = False) -> dict[str, int]:
    """``import_records``, returning how many records of each kind were written."""
    return import_records(store, data, replace=replace).imported


def import_records(
    store: Store, data: Mapping[str, Any], *, replace: bool = False
) -> ImportSummary:
    """Import an export: all of it or nothing. Records keep their ids, so importing the same
    file twice changes nothing. When a record with an imported id is already stored, the newer
    of the two wins: a session by its last change (one that has ended is newer than any copy
    still in progress), a PSFS activity once retired stays retired, a programme event never
    changes once written, so a stored one is kept; an enrolment once ended stays ended; the
    others never change once written either, so the import's copy is taken. An older export can
    never undo later work. Afterwards at most one enrolment is active: the newest (the others
    end when it began).

    ``replace=True`` first forgets everything stored. Bad data raises ExchangeError naming the
    JSON path; the database is untouched.
    """
    from deskstretch.store import exchange
    from deskstretch.store.tables import (
        AssessmentRow,
        CheckInRow,
        EnrolmentRow,
        MeasurementRow,
        ProgrammeEventRow,
        PsfsActivityRow,
        QuestionnaireResultRow,
        SessionRow,
        StepRow,
    )

    bundle = exchange.parse(data)
    kept: dict[str, int] = {}
    if not replace:
        bundle, kept = _without_older(store, bundle)
    with store.writing() as db:
        connection = db.connection()
        events = bundle.programme_events
        if replace:
            # A question still due stays stored; the file's copy of that event is the same one.
            still_due = _delete_everything(connection)
            events = [e for e in events if e.id != still_due]
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
            _delete_ids(connection, EnrolmentRow.id, [e.id for e in bundle.enrolments])
            _delete_ids(connection, AssessmentRow.id, [a.id for a in bundle.assessments])
        db.add_all(
            [
                SessionRow.from_record(s, updated_at=s.updated_at or s.ended_at or s.started_at)
                for s in bundle.sessions
            ]
            + [CheckInRow.from_record(c) for c in bundle.checkins]
            + [MeasurementRow.from_record(m) for m in bundle.measurements]
            + [PsfsActivityRow.from_record(p) for p in bundle.psfs_activities]
            + [QuestionnaireResultRow.from_record(q) for q in bundle.questionnaire_results]
            + [ProgrammeEventRow.from_record(e) for e in events]
            + [EnrolmentRow.from_record(e) for e in bundle.enrolments]
            + [AssessmentRow.from_record(a) for a in bundle.assessments]
        )
        _one_active_enrolment(db, store)
    return ImportSummary(bundle.counts(), kept)


def _without_older(store: Store, bundle: Bundle) -> tuple[Bundle, dict[str, int]]:
    """The bundle less the records whose stored copy is newer, and how many of each kind."""
    from deskstretch.store.exchange import Bundle

    stored_sessions = {s.id: s for s in list_sessions(store)}
    sessions = [
        s
        for s in bundle.sessions
        if s.id not in stored_sessions or not _is_older(s, stored_sessions[s.id])
    ]
    retired = {p.id for p in list_psfs_activities(store, include_retired=True) if p.retired_at}
    activities = [
        p for p in bundle.psfs_activities if p.retired_at is not None or p.id not in retired
    ]
    # Programme events never change once written: one already stored is simply not written again
    # (and, being the same event, is not counted as a newer record kept).
    stored_events = {e.id for e in list_programme_events(store)}
    events = [e for e in bundle.programme_events if e.id not in stored_events]
    # An enrolment once ended (stopped, or switched from) stays ended.
    ended = {e.id for e in list_enrolments(store) if e.ended_at is not None}
    enrolments = [e for e in bundle.enrolments if e.ended_at is not None or e.id not in ended]
    # An assessment's angles never change; only its kept photo can go. A photo deleted here
    # stays deleted: the file's copy never brings its name back.
    cleared = {a.id for a in list_assessments(store) if a.photo_file is None}
    assessments = [
        replace(a, photo_file=None) if a.id in cleared else a for a in bundle.assessments
    ]
    kept = {
        kind: len(before) - len(after)
        for kind, before, after in (
            ("sessions", bundle.sessions, sessions),
            ("psfs_activities", bundle.psfs_activities, activities),
            ("enrolments", bundle.enrolments, enrolments),
        )
        if len(after) < len(before)
    }
    newest = Bundle(
        sessions,
        bundle.checkins,
        bundle.measurements,
        activities,
        bundle.questionnaire_results,
        events,
        enrolments,
        assessments,
    )
    return newest, kept


def _is_older(imported: SessionRecord, stored: SessionRecord) -> bool:
    """True when the stored session is newer than the imported copy (the import must not win)."""
    if imported.status is SessionStatus.IN_PROGRESS and stored.status is not imported.status:
        return True  # a session that has ended never goes back to "in progress"
    if stored.status is SessionStatus.IN_PROGRESS and imported.status is not stored.status:
        return False

    def last_change(session: SessionRecord) -> datetime:
        return session.updated_at or session.ended_at or session.started_at

    return last_change(imported) < last_change(stored)


def forget_everything(store: Store, *, vacuum: bool = True) -> None:
    """Delete every record in one transaction; on SQLite, ``vacuum`` also wipes the free space."""
    with store.writing() as db:
        _delete_everything(db.connection())
    if vacuum:
        store.vacuum()


# Reading rows into records ------------------------------------------------------------------------
# Each reader takes the SQL after "FROM <table>" (filter and order; "" for the stored order) and
# its parameters. Values come back as the driver gives them: SQLite has timestamps as ISO text and
# booleans as 0/1, PostgreSQL has timestamptz and booleans; JSON is text on SQLite only.

_SESSION_COLUMNS = (
    "id, routine_id, routine_name, started_at, status, ended_at, too_much, front_end, updated_at"
)
_STEP_COLUMNS = (
    "session_id, step_index, exercise_id, muscle_group, planned_seconds, done_seconds,"
    " seconds_left, seconds_right, seconds_both, completed, skipped"
)
# SQLAlchemy's SQLite DATETIME storage format, which tables.UtcDateTime writes (as UTC).
_SQLITE_TIMESTAMP = (
    "{0.year:04d}-{0.month:02d}-{0.day:02d} {0.hour:02d}:{0.minute:02d}:{0.second:02d}"
    ".{0.microsecond:06d}"
)
_fromisoformat = datetime.fromisoformat
_STATUSES = {status.value: status for status in SessionStatus}
_CONTEXTS = {context.value: context for context in CheckInContext}


def _timestamp_param(store: Store, value: datetime) -> Any:
    """A timestamp to compare with a stored one, as tables.UtcDateTime would bind it."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise StoreError(
            f"cannot store this: timestamps must be timezone-aware (got naive {value.isoformat()})"
        )
    value = value.astimezone(UTC)
    return _SQLITE_TIMESTAMP.format(value) if store.backend == "sqlite" else value


def _utc(value: Any) -> datetime:
    """A stored timestamp as an aware UTC datetime (what tables.UtcDateTime reads)."""
    if isinstance(value, str):
        # SQLite: SQLAlchemy stores naive UTC text and parses it with fromisoformat. Parsing it
        # with a "+00:00" suffix gives the same instant, already aware, several times faster
        # than replace(tzinfo=UTC); text that carries its own offset fails here and is converted.
        try:
            return _fromisoformat(value + "+00:00")
        except ValueError:
            value = _fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"expected a timestamp from the database, got {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utc_or_none(value: Any) -> datetime | None:
    return None if value is None else _utc(value)


def _date(value: Any) -> date:
    """A stored date: ISO text on SQLite (as SQLAlchemy's Date writes it), a date on PostgreSQL."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"expected a date from the database, got {value!r}")
    return value


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _status(value: str) -> SessionStatus:
    return _STATUSES.get(value) or SessionStatus(value)


def _context(value: str) -> CheckInContext:
    return _CONTEXTS.get(value) or CheckInContext(value)


def _read_sessions(
    rows: Rows,
    store: Store,
    *,
    since: datetime | None = None,
    limit: int | None = None,
    session_id: str | None = None,
    revised_after: int | None = None,
) -> list[SessionRecord]:
    """Sessions newest first in SQL (so LIMIT keeps the newest), handed back oldest first.

    Steps come in one more query over the same sessions, grouped by session in Python.
    """
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if revised_after is not None:
        conditions.append("revision > :revised_after")
        params["revised_after"] = revised_after
    if since is not None:
        conditions.append("started_at >= :since")
        params["since"] = _timestamp_param(store, since)
    if session_id is not None:
        conditions.append("id = :session_id")
        params["session_id"] = session_id
    chosen = "FROM sessions"
    if conditions:
        chosen += " WHERE " + " AND ".join(conditions)
    chosen += " ORDER BY started_at DESC, id DESC"
    if limit is not None:
        chosen += " LIMIT :limit"
        params["limit"] = limit
    session_rows = rows(f"SELECT {_SESSION_COLUMNS} {chosen}", params)
    if not session_rows:
        return []
    step_sql = f"SELECT {_STEP_COLUMNS} FROM session_steps"
    if conditions or limit is not None:
        step_sql += f" WHERE session_id IN (SELECT id {chosen})"
    steps: dict[str, list[StepRecord]] = {}
    # Steps are immutable values and people repeat the same routines, so most step rows repeat
    # exactly (same exercise, plan and time done); equal rows share one StepRecord.
    known: dict[tuple[Any, ...], StepRecord] = {}
    for row in rows(step_sql + " ORDER BY session_id, step_index", params):
        values = tuple(row[1:])
        step = known.get(values)
        if step is None:
            index, exercise, group_name, planned, done, left, right, both, completed, skipped = (
                values
            )
            completed, skipped = bool(completed), bool(skipped)
            step = StepRecord(
                index, exercise, group_name, planned, done, left, right, both, completed, skipped
            )
            known[values] = step
        group = steps.get(row[0])
        if group is None:
            steps[row[0]] = [step]
        else:
            group.append(step)
    no_steps: list[StepRecord] = []
    return [
        SessionRecord(
            row_id,
            routine_id,
            routine_name,
            _utc(started_at),
            _status(status),
            tuple(steps.get(row_id, no_steps)),
            None if ended_at is None else _utc(ended_at),
            bool(too_much),
            front_end,
            # Only an open session needs its last sign of life (records.settled); not parsing
            # the rest keeps reading years of sessions as fast as before.
            _utc(updated_at) if status == _IN_PROGRESS else None,
        )
        for (
            row_id,
            routine_id,
            routine_name,
            started_at,
            status,
            ended_at,
            too_much,
            front_end,
            updated_at,
        ) in reversed(session_rows)
    ]


def _read_checkins(rows: Rows, rest: str, params: Mapping[str, Any]) -> list[CheckIn]:
    sql = f"SELECT id, at, back_pain, leg_pain, context, session_id, note FROM checkins{rest}"
    return [
        CheckIn(row_id, _utc(at), back_pain, leg_pain, _context(context), session_id, note)
        for row_id, at, back_pain, leg_pain, context, session_id, note in rows(sql, params)
    ]


def _read_measurements(rows: Rows, rest: str, params: Mapping[str, Any]) -> list[Measurement]:
    sql = f"SELECT id, at, kind, value_cm, protocol, leg, note FROM measurements{rest}"
    return [
        Measurement(row_id, _utc(at), MeasurementKind(kind), value_cm, protocol, leg, note)
        for row_id, at, kind, value_cm, protocol, leg, note in rows(sql, params)
    ]


def _read_psfs_activities(rows: Rows, rest: str, params: Mapping[str, Any]) -> list[PsfsActivity]:
    sql = f"SELECT id, name, created_at, retired_at FROM psfs_activities{rest}"
    return [
        PsfsActivity(row_id, name, _utc(created_at), _utc_or_none(retired_at))
        for row_id, name, created_at, retired_at in rows(sql, params)
    ]


def _read_questionnaire_results(
    rows: Rows, rest: str, params: Mapping[str, Any]
) -> list[QuestionnaireResult]:
    sql = (
        "SELECT id, at, instrument, version, answers, score, label, extra"
        f" FROM questionnaire_results{rest}"
    )
    return [
        QuestionnaireResult(
            row_id,
            _utc(at),
            Instrument(instrument),
            version,
            dict(_json(answers)),
            score,
            label,
            dict(_json(extra)),
        )
        for row_id, at, instrument, version, answers, score, label, extra in rows(sql, params)
    ]


# Writing helpers (ORM) ----------------------------------------------------------------------------


def _sessions_query() -> sa.Select[SessionRow]:
    import sqlalchemy as sa
    from sqlalchemy.orm import selectinload

    from deskstretch.store.tables import SessionRow

    return sa.select(SessionRow).options(selectinload(SessionRow.steps))


def _get_session(db: Session, session_id: str) -> SessionRecord:
    from deskstretch.store.tables import SessionRow

    row = db.scalars(_sessions_query().where(SessionRow.id == session_id)).one_or_none()
    if row is None:
        raise NotFoundError("session", session_id)
    return row.to_record()


def _raise_not_open(db: Session, session_id: str) -> None:
    import sqlalchemy as sa

    from deskstretch.store.tables import SessionRow

    status = db.scalar(sa.select(SessionRow.status).where(SessionRow.id == session_id))
    if status is None:
        raise NotFoundError("session", session_id)
    raise StoreError(f"session {session_id} is already finished ({status}); not updated")


def _upsert_steps(
    connection: Connection, store: Store, session_id: str, steps: Sequence[StepRecord]
) -> None:
    if not steps:
        return
    from deskstretch.store.tables import StepRow, step_values

    key = [StepRow.session_id, StepRow.step_index]
    statement: sa.Insert
    if store.backend == "sqlite":
        from sqlalchemy.dialects import sqlite

        sqlite_insert = sqlite.insert(StepRow)
        statement = sqlite_insert.on_conflict_do_update(
            index_elements=key,
            set_={name: sqlite_insert.excluded[name] for name in _STEP_VALUE_COLUMNS},
        )
    else:
        from sqlalchemy.dialects import postgresql

        postgresql_insert = postgresql.insert(StepRow)
        statement = postgresql_insert.on_conflict_do_update(
            index_elements=key,
            set_={name: postgresql_insert.excluded[name] for name in _STEP_VALUE_COLUMNS},
        )
    connection.execute(statement, [{"session_id": session_id, **step_values(s)} for s in steps])


def _delete_ids(
    connection: Connection, column: InstrumentedAttribute[str], ids: Sequence[str]
) -> None:
    import sqlalchemy as sa

    for start in range(0, len(ids), 500):  # stay far below every backend's parameter limit
        connection.execute(sa.delete(column.class_).where(column.in_(ids[start : start + 500])))


def _delete_everything(connection: Connection) -> str | None:
    """Delete every record but one: cauda equina questions still waiting for answers stay due.
    Forgetting the history (or importing over it) must never be a way round a safety question.
    Returns the id of the programme event kept, if any."""
    import sqlalchemy as sa

    from deskstretch.core.painrules import are_questions_due
    from deskstretch.store.tables import ProgrammeEventRow, metadata

    events = [
        ProgrammeEvent(row.id, _utc(row.at), ProgrammeEventKind(row.kind))
        for row in connection.execute(
            sa.select(ProgrammeEventRow.id, ProgrammeEventRow.at, ProgrammeEventRow.kind)
        )
    ]
    due = [e for e in events if e.kind is ProgrammeEventKind.QUESTIONS_DUE]
    pending = max(due, key=lambda e: e.at) if due and are_questions_due(events) else None
    for table in reversed(metadata.sorted_tables):
        # The change counters must only ever go up (readers compare them with what they saw).
        if table.name != "change_counters":
            connection.execute(table.delete())
    if pending is not None:
        connection.execute(
            sa.insert(ProgrammeEventRow).values(
                id=pending.id, at=pending.at, kind=pending.kind.value
            )
        )
        return pending.id
    return None
