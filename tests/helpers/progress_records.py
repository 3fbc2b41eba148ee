"""Hand-built core records for the progress tests, with the worked numbers in test_summary.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from deskstretch.coach.progress import ProgressInput
from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    Instrument,
    Measurement,
    MeasurementKind,
    PsfsActivity,
    QuestionnaireResult,
    SessionRecord,
    SessionStatus,
    StepRecord,
)

TODAY = date(2026, 3, 11)  # a Wednesday; its ISO week starts Monday 9 March


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def days_ago(count: int) -> date:
    return TODAY - timedelta(days=count)


def step(
    group: str, done: float, *, left: float = 0, right: float = 0, both: float = 0
) -> StepRecord:
    return StepRecord(0, f"{group}-move", group, done, done, left, right, both, True)


def session(
    day: date,
    *steps: StepRecord,
    status: SessionStatus = SessionStatus.COMPLETED,
    name: str = "Seated, five minutes",
    hour: int = 9,
    too_much: bool = False,
) -> SessionRecord:
    return SessionRecord(
        f"s-{day.isoformat()}-{hour}",
        "seated-5min",
        name,
        at(day, hour),
        status,
        steps,
        too_much=too_much,
    )


def checkin(
    day: date, back: int | None, leg: int | None = None, *, hour: int = 8, note: str = ""
) -> CheckIn:
    return CheckIn(
        f"c-{day.isoformat()}-{hour}", at(day, hour), back, leg, CheckInContext.ANYTIME, note=note
    )


def measurement(
    day: date, kind: MeasurementKind, value_cm: float, protocol: str, leg: str | None = None
) -> Measurement:
    return Measurement(f"m-{day}-{kind}-{protocol}-{leg}", at(day), kind, value_cm, protocol, leg)


def result(
    day: date,
    instrument: Instrument,
    score: float,
    answers: dict[str, int | None] | None = None,
    label: str = "",
) -> QuestionnaireResult:
    return QuestionnaireResult(
        f"q-{day}-{instrument}", at(day), instrument, "1", answers or {}, score, label
    )


ACTIVITIES = [
    PsfsActivity("a", "Sitting through a meeting", at(days_ago(60))),
    PsfsActivity("b", "Putting on socks", at(days_ago(60))),
    PsfsActivity("c", "Lifting a shopping bag", at(days_ago(60)), retired_at=at(days_ago(2))),
]


def worked_input(tz: tzinfo = UTC) -> ProgressInput:
    """The history the worked numbers in test_summary.py are computed from."""
    sessions = [
        session(days_ago(41)),
        session(days_ago(40)),
        session(days_ago(3), step("low-back", 90)),  # Sunday 8 March
        # Monday 9 March: 2 min of hamstrings (1 min each leg) and 1 min of low back.
        session(days_ago(2), step("hamstrings", 120, left=60, right=60), step("low-back", 60)),
        # Tuesday 10 March: 1 min of a move working both legs at once.
        session(days_ago(1), step("hamstrings", 60, both=60), too_much=True),
        # Today: stopped after 30 s, so it does not count as a real session.
        session(TODAY, step("low-back", 30), status=SessionStatus.QUIT_EARLY),
    ]
    checkins = [
        checkin(days_ago(60), 8, 1),  # outside the 30-day window
        checkin(days_ago(9), 6, 2),
        checkin(days_ago(8), 7, None),
        checkin(days_ago(7), 5, 3),
        checkin(days_ago(6), 4, None, note="Long drive"),
        checkin(days_ago(5), 3, None),
        checkin(days_ago(1), 2, 2),
        checkin(days_ago(1), 9, 9, hour=18),  # later that day: the first rating counts
    ]
    chair, floor = MeasurementKind.CHAIR_SIT_AND_REACH, MeasurementKind.FINGERTIP_TO_FLOOR
    measurements = [
        measurement(days_ago(3), chair, 5.0, "csr-44cm", "left"),
        measurement(days_ago(10), chair, -3.0, "csr-44cm", "left"),
        measurement(days_ago(10), chair, 1.0, "csr-44cm", "right"),
        measurement(days_ago(4), chair, 2.0, "csr-17in", "left"),
        measurement(days_ago(10), floor, 20.0, "ftf"),
        measurement(days_ago(3), floor, 17.0, "ftf"),
    ]
    every_agree: dict[str, int | None] = {f"sbst{n}": 1 for n in range(1, 9)}
    every_agree["sbst9"] = 4
    results = [
        result(days_ago(2), Instrument.ODI, 26),
        result(days_ago(30), Instrument.ODI, 40),
        result(days_ago(30), Instrument.RMDQ, 10),
        result(days_ago(2), Instrument.RMDQ, 8),
        result(days_ago(30), Instrument.PSFS, 4.0, {"a": 3, "b": 4, "c": 5}),
        result(days_ago(2), Instrument.PSFS, 16 / 3, {"a": 6, "b": 5, "c": 5}),
        result(days_ago(2), Instrument.STARTBACK, 9, every_agree, "high"),
    ]
    return ProgressInput(sessions, checkins, measurements, results, ACTIVITIES, TODAY, tz)


def empty_input() -> ProgressInput:
    return ProgressInput([], [], [], [], [], TODAY, UTC)
