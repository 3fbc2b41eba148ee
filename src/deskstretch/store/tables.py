"""The database tables as typed SQLAlchemy 2 rows; only store/ sees them (others get core records).

The schema itself is created and changed by the Alembic revisions in ``migrations/versions``;
these classes must describe the head revision (a test compares them with the migrated schema).
Past 400 lines because it holds one short row class per kind of record, with its conversions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from deskstretch.core.body_angles import PhotoTest, Side
from deskstretch.core.records import (
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

# Constraint names follow this pattern on every backend, so later migrations can name what they
# alter or drop. The revisions spell the same names out literally.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 64


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC in, timezone-aware UTC out, on every backend.

    PostgreSQL keeps ``timestamp with time zone``. SQLite has no such type: SQLAlchemy stores
    fixed-width ISO text, so we store the UTC wall time, which also sorts and compares correctly.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"timestamps must be timezone-aware (got naive {value.isoformat()})")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a timestamp from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    routine_id: Mapped[str] = mapped_column(sa.String(128))
    routine_name: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(32))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    too_much: Mapped[bool] = mapped_column(sa.Boolean, server_default=sa.false())
    front_end: Mapped[str] = mapped_column(sa.String(32), server_default="terminal")
    revision: Mapped[int] = mapped_column(sa.BigInteger, server_default=sa.text("0"), index=True)
    """Set by triggers on every write to the session or its steps (migration 0008); never
    written by the program."""

    steps: Mapped[list[StepRow]] = relationship(
        order_by="StepRow.step_index", cascade="all, delete-orphan", passive_deletes=True
    )

    @classmethod
    def from_record(cls, record: SessionRecord, updated_at: datetime) -> SessionRow:
        return cls(
            id=record.id,
            routine_id=record.routine_id,
            routine_name=record.routine_name,
            status=record.status.value,
            started_at=record.started_at,
            updated_at=updated_at,
            ended_at=record.ended_at,
            too_much=record.too_much,
            front_end=record.front_end,
            steps=[StepRow(session_id=record.id, **step_values(s)) for s in record.steps],
        )

    def to_record(self) -> SessionRecord:
        return SessionRecord(
            id=self.id,
            routine_id=self.routine_id,
            routine_name=self.routine_name,
            started_at=self.started_at,
            status=SessionStatus(self.status),
            steps=tuple(step.to_record() for step in self.steps),
            ended_at=self.ended_at,
            too_much=self.too_much,
            front_end=self.front_end,
            updated_at=self.updated_at if self.status == SessionStatus.IN_PROGRESS else None,
        )


class StepRow(Base):
    __tablename__ = "session_steps"

    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    step_index: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    exercise_id: Mapped[str] = mapped_column(sa.String(128))
    muscle_group: Mapped[str] = mapped_column(sa.String(64))
    planned_seconds: Mapped[float] = mapped_column(sa.Float)
    done_seconds: Mapped[float] = mapped_column(sa.Float)
    seconds_left: Mapped[float] = mapped_column(sa.Float)
    seconds_right: Mapped[float] = mapped_column(sa.Float)
    seconds_both: Mapped[float] = mapped_column(sa.Float)
    completed: Mapped[bool] = mapped_column(sa.Boolean)
    skipped: Mapped[bool] = mapped_column(sa.Boolean)

    def to_record(self) -> StepRecord:
        return StepRecord(
            step_index=self.step_index,
            exercise_id=self.exercise_id,
            muscle_group=self.muscle_group,
            planned_seconds=self.planned_seconds,
            done_seconds=self.done_seconds,
            seconds_left=self.seconds_left,
            seconds_right=self.seconds_right,
            seconds_both=self.seconds_both,
            completed=self.completed,
            skipped=self.skipped,
        )


def step_values(step: StepRecord) -> dict[str, Any]:
    """The session_steps columns of one step, except session_id."""
    return {
        "step_index": step.step_index,
        "exercise_id": step.exercise_id,
        "muscle_group": step.muscle_group,
        "planned_seconds": step.planned_seconds,
        "done_seconds": step.done_seconds,
        "seconds_left": step.seconds_left,
        "seconds_right": step.seconds_right,
        "seconds_both": step.seconds_both,
        "completed": step.completed,
        "skipped": step.skipped,
    }


class CheckInRow(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        sa.CheckConstraint("back_pain BETWEEN 0 AND 10", name="back_pain_range"),
        sa.CheckConstraint("leg_pain BETWEEN 0 AND 10", name="leg_pain_range"),
    )

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    back_pain: Mapped[int | None]
    leg_pain: Mapped[int | None]
    context: Mapped[str] = mapped_column(sa.String(32))
    # Not a foreign key: a "before session" check-in may be saved before its session starts.
    session_id: Mapped[str | None] = mapped_column(sa.String(ID_LENGTH), index=True)
    note: Mapped[str] = mapped_column(sa.Text)
    revision: Mapped[int] = mapped_column(sa.BigInteger, server_default=sa.text("0"), index=True)
    """Set by triggers on every write (migration 0008); never written by the program."""

    @classmethod
    def from_record(cls, record: CheckIn) -> CheckInRow:
        return cls(
            id=record.id,
            at=record.at,
            back_pain=record.back_pain,
            leg_pain=record.leg_pain,
            context=record.context.value,
            session_id=record.session_id,
            note=record.note,
        )

    def to_record(self) -> CheckIn:
        return CheckIn(
            id=self.id,
            at=self.at,
            back_pain=self.back_pain,
            leg_pain=self.leg_pain,
            context=CheckInContext(self.context),
            session_id=self.session_id,
            note=self.note,
        )


class MeasurementRow(Base):
    __tablename__ = "measurements"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    value_cm: Mapped[float] = mapped_column(sa.Float)
    protocol: Mapped[str] = mapped_column(sa.String(128))
    leg: Mapped[str | None] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.Text)

    @classmethod
    def from_record(cls, record: Measurement) -> MeasurementRow:
        return cls(
            id=record.id,
            at=record.at,
            kind=record.kind.value,
            value_cm=record.value_cm,
            protocol=record.protocol,
            leg=record.leg,
            note=record.note,
        )

    def to_record(self) -> Measurement:
        return Measurement(
            id=self.id,
            at=self.at,
            kind=MeasurementKind(self.kind),
            value_cm=self.value_cm,
            protocol=self.protocol,
            leg=self.leg,
            note=self.note,
        )


class PsfsActivityRow(Base):
    __tablename__ = "psfs_activities"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @classmethod
    def from_record(cls, record: PsfsActivity) -> PsfsActivityRow:
        return cls(
            id=record.id,
            name=record.name,
            created_at=record.created_at,
            retired_at=record.retired_at,
        )

    def to_record(self) -> PsfsActivity:
        return PsfsActivity(
            id=self.id, name=self.name, created_at=self.created_at, retired_at=self.retired_at
        )


class QuestionnaireResultRow(Base):
    __tablename__ = "questionnaire_results"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    instrument: Mapped[str] = mapped_column(sa.String(32))
    version: Mapped[str] = mapped_column(sa.String(32))
    answers: Mapped[dict[str, int | None]] = mapped_column(sa.JSON)
    score: Mapped[float] = mapped_column(sa.Float)
    label: Mapped[str] = mapped_column(sa.Text)
    extra: Mapped[dict[str, float]] = mapped_column(sa.JSON)

    @classmethod
    def from_record(cls, record: QuestionnaireResult) -> QuestionnaireResultRow:
        return cls(
            id=record.id,
            at=record.at,
            instrument=record.instrument.value,
            version=record.version,
            answers=dict(record.answers),
            score=record.score,
            label=record.label,
            extra=dict(record.extra),
        )

    def to_record(self) -> QuestionnaireResult:
        return QuestionnaireResult(
            id=self.id,
            at=self.at,
            instrument=Instrument(self.instrument),
            version=self.version,
            answers=dict(self.answers),
            score=self.score,
            label=self.label,
            extra=dict(self.extra),
        )


class ProgrammeEventRow(Base):
    """A pain pause lifted by the person, or cauda equina questions due or answered (0006)."""

    __tablename__ = "programme_events"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))

    @classmethod
    def from_record(cls, record: ProgrammeEvent) -> ProgrammeEventRow:
        return cls(id=record.id, at=record.at, kind=record.kind.value)

    def to_record(self) -> ProgrammeEvent:
        return ProgrammeEvent(id=self.id, at=self.at, kind=ProgrammeEventKind(self.kind))


class EnrolmentRow(Base):
    """The programme the person follows, from which local day, until stopped (0007)."""

    __tablename__ = "enrolments"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    programme_id: Mapped[str] = mapped_column(sa.String(128))
    started_on: Mapped[date] = mapped_column(sa.Date)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    start_level: Mapped[int] = mapped_column(sa.Integer, server_default=sa.text("1"))
    """The level the person chose to start at (0009)."""

    @classmethod
    def from_record(cls, record: Enrolment) -> EnrolmentRow:
        return cls(
            id=record.id,
            programme_id=record.programme_id,
            started_on=record.started_on,
            at=record.at,
            ended_at=record.ended_at,
            start_level=record.start_level,
        )

    def to_record(self) -> Enrolment:
        return Enrolment(
            id=self.id,
            programme_id=self.programme_id,
            started_on=self.started_on,
            at=self.at,
            ended_at=self.ended_at,
            start_level=self.start_level,
        )


class AssessmentRow(Base):
    """A photo or camera assessment: the median angles, and the kept photo's file name (0010)."""

    __tablename__ = "assessments"

    id: Mapped[str] = mapped_column(sa.String(ID_LENGTH), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    test: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(16))
    side: Mapped[str] = mapped_column(sa.String(16))
    forward_bend_deg: Mapped[float] = mapped_column(sa.Float)
    knee_deficit_deg: Mapped[float] = mapped_column(sa.Float)
    trunk_inclination_deg: Mapped[float] = mapped_column(sa.Float)
    photos: Mapped[int] = mapped_column(sa.Integer)
    uncertainty_deg: Mapped[float] = mapped_column(sa.Float)
    photo_file: Mapped[str | None] = mapped_column(sa.String(128))
    note: Mapped[str] = mapped_column(sa.Text)

    @classmethod
    def from_record(cls, record: Assessment) -> AssessmentRow:
        return cls(
            id=record.id,
            at=record.at,
            test=record.test.value,
            source=record.source,
            side=record.side.value,
            forward_bend_deg=record.forward_bend_deg,
            knee_deficit_deg=record.knee_deficit_deg,
            trunk_inclination_deg=record.trunk_inclination_deg,
            photos=record.photos,
            uncertainty_deg=record.uncertainty_deg,
            photo_file=record.photo_file,
            note=record.note,
        )

    def to_record(self) -> Assessment:
        return Assessment(
            id=self.id,
            at=self.at,
            test=PhotoTest(self.test),
            source=self.source,
            side=Side(self.side),
            forward_bend_deg=self.forward_bend_deg,
            knee_deficit_deg=self.knee_deficit_deg,
            trunk_inclination_deg=self.trunk_inclination_deg,
            photos=self.photos,
            uncertainty_deg=self.uncertainty_deg,
            photo_file=self.photo_file,
            note=self.note,
        )


metadata = Base.metadata


class ChangeCounterRow(Base):
    """How often each kind of record was written (raised by triggers; see migration 0004)."""

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger)
