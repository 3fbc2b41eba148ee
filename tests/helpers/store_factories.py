"""Builders of core records for the store tests, with every field set away from its default."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from deskstretch.core.body_angles import PhotoTest, Side
from deskstretch.core.records import (
    Assessment,
    CheckIn,
    CheckInContext,
    Enrolment,
    Instrument,
    Measurement,
    MeasurementKind,
    PsfsActivity,
    QuestionnaireResult,
    SessionRecord,
    SessionStatus,
    StepRecord,
)

Backend = Literal["sqlite", "postgresql"]

T0 = datetime(2025, 3, 4, 8, 30, 15, 123456, tzinfo=UTC)
# Same instants written with a non-UTC offset: the store must hand back the equal UTC time.
BERLIN_WINTER = timezone(timedelta(hours=1))


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make_step(index: int, done_seconds: float = 30.0, **changes: object) -> StepRecord:
    values: dict[str, object] = {
        "step_index": index,
        "exercise_id": f"exercise-{index}",
        "muscle_group": "hamstrings",
        "planned_seconds": 30.0,
        "done_seconds": done_seconds,
        "seconds_left": done_seconds / 2,
        "seconds_right": done_seconds / 2,
        "seconds_both": 0.0,
        "completed": done_seconds >= 30.0,
        "skipped": False,
    }
    values.update(changes)
    return StepRecord(**values)  # type: ignore[arg-type]


def make_session(
    session_id: str = "session-1",
    started_at: datetime = T0,
    status: SessionStatus = SessionStatus.IN_PROGRESS,
    steps: tuple[StepRecord, ...] = (),
    **changes: object,
) -> SessionRecord:
    values: dict[str, object] = {
        "id": session_id,
        "routine_id": "hamstring-2min",
        "routine_name": "Hamstrings in 2 minutes — seated",
        "started_at": started_at,
        "status": status,
        "steps": steps,
    }
    values.update(changes)
    return SessionRecord(**values)  # type: ignore[arg-type]


def make_checkin(checkin_id: str = "checkin-1", when: datetime = T0, **changes: object) -> CheckIn:
    values: dict[str, object] = {
        "id": checkin_id,
        "at": when,
        "back_pain": 4,
        "leg_pain": None,
        "context": CheckInContext.BEFORE_SESSION,
        "session_id": "session-1",
        "note": "stiff after the train, ünïcödé ok",
    }
    values.update(changes)
    return CheckIn(**values)  # type: ignore[arg-type]


def make_measurement(
    measurement_id: str = "measurement-1", when: datetime = T0, **changes: object
) -> Measurement:
    values: dict[str, object] = {
        "id": measurement_id,
        "at": when,
        "kind": MeasurementKind.CHAIR_SIT_AND_REACH,
        "value_cm": -3.5,
        "protocol": "acsm-chair-2021",
        "leg": "left",
        "note": "warm",
    }
    values.update(changes)
    return Measurement(**values)  # type: ignore[arg-type]


def make_activity(activity_id: str = "activity-1", when: datetime = T0) -> PsfsActivity:
    return PsfsActivity(id=activity_id, name="Put on socks standing", created_at=when)


def make_result(
    result_id: str = "result-1", when: datetime = T0, **changes: object
) -> QuestionnaireResult:
    values: dict[str, object] = {
        "id": result_id,
        "at": when,
        "instrument": Instrument.ODI,
        "version": "2.1a",
        "answers": {"pain_intensity": 2, "personal_care": 0, "lifting": None, "walking": 5},
        "score": 37.78,
        "label": "moderate disability",
        "extra": {"answered": 9.0, "max_score": 45.0},
    }
    values.update(changes)
    return QuestionnaireResult(**values)  # type: ignore[arg-type]


def make_enrolment(
    enrolment_id: str = "enrolment-1", when: datetime = T0, **changes: object
) -> Enrolment:
    values: dict[str, object] = {
        "id": enrolment_id,
        "programme_id": "desk-back-6-weeks",
        # The local day after the UTC day of T0: a local date is its own value, not a timestamp.
        "started_on": date(2025, 3, 5),
        "at": when,
        "ended_at": None,
    }
    values.update(changes)
    return Enrolment(**values)  # type: ignore[arg-type]


def make_assessment(
    assessment_id: str = "assessment-1", when: datetime = T0, **changes: object
) -> Assessment:
    values: dict[str, object] = {
        "id": assessment_id,
        "at": when,
        "test": PhotoTest.STANDING_FORWARD_BEND,
        "source": "camera",
        "side": Side.LEFT,
        "forward_bend_deg": 97.25,
        "knee_deficit_deg": 4.5,
        "trunk_inclination_deg": 71.125,
        "photos": 2,
        "uncertainty_deg": 6.5,
        "photo_file": f"{assessment_id}.jpg",
        "note": "after a walk, ünïcödé ok",
    }
    values.update(changes)
    return Assessment(**values)  # type: ignore[arg-type]
