"""What deskstretch remembers: sessions, check-ins, measurements, questionnaire results,
programme events, programme enrolments and photo assessments.

Plain frozen values passed between ``store`` (which persists them) and the rest of the program.
Timestamps are timezone-aware UTC datetimes; the person's local date is derived at the edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from deskstretch.core.body_angles import ANGLE_UNCERTAINTY_DEG, PhotoTest, Side

# A session is complete when at least this share of its planned work (the seconds of its hold,
# press and repetition segments; not get-ready, rests or side switches) was actually done. Ours:
# "most of the planned work", with room for one short step cut early or a side cut a little short
# (a five-minute routine has 4-6 steps, so one skipped step is 15-25 % of its work).
COMPLETE_SHARE = 0.8
# A session with no sign of life for this long was left open (process killed, tab closed, power
# lost): it counts as interrupted, with the work recorded so far. The players write at every
# segment boundary, and no segment lasts longer than about two minutes.
STALE_AFTER = timedelta(minutes=15)


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    """Ended with at least COMPLETE_SHARE of the planned work done."""
    PARTIAL = "partial"
    """Ended (played or skipped to the end, or stopped) with less of the work done."""
    QUIT_EARLY = "quit_early"
    """Stopped early, as earlier versions wrote it. Migration 0005 and imports turn it into
    PARTIAL or COMPLETED by the rule above; kept so older export files still read."""
    INTERRUPTED = "interrupted"
    """Found unfinished later (the process was killed or the machine lost power)."""


@dataclass(frozen=True)
class StepRecord:
    """One step of a session as done. Seconds are of work (holds, reps), not rests."""

    step_index: int
    exercise_id: str
    muscle_group: str
    planned_seconds: float
    done_seconds: float
    seconds_left: float = 0.0
    seconds_right: float = 0.0
    seconds_both: float = 0.0
    completed: bool = False
    skipped: bool = False


@dataclass(frozen=True)
class SessionRecord:
    id: str
    routine_id: str
    routine_name: str
    started_at: datetime
    status: SessionStatus
    steps: tuple[StepRecord, ...] = ()
    ended_at: datetime | None = None
    too_much: bool = False
    """Set by the pain rules when the check-in after the session shows it was too much."""
    front_end: str = "terminal"
    updated_at: datetime | None = field(default=None, compare=False)
    """The last sign of life (a progress write) of a session in progress; None when not known
    (the store leaves it out for ended sessions). Bookkeeping: equality ignores it."""

    def local_day(self, tz: tzinfo) -> date:
        """The local day the session started on in ``tz`` (see ``local_day``)."""
        return local_day(self, self.started_at, tz)

    @cached_property
    def work_seconds(self) -> float:
        """Seconds actually held and moved (a step played twice counts twice). Worked out once
        per record: the summary, the recap and the weekly minutes read it for a year of them."""
        return sum(step.done_seconds for step in self.steps)

    @property
    def planned_seconds(self) -> float:
        return sum(step.planned_seconds for step in self.steps)

    @property
    def done_share(self) -> float:
        """The share of the planned work done, 0-1 (see ``done_share``)."""
        return done_share(self.steps)


def local_day(record: object, moment: datetime, tz: tzinfo) -> date:
    """``moment``'s local day in ``tz``, kept on the (frozen) ``record`` for the next ask in the
    same zone: the summary, the pain rules and the programme group a year of records by day
    every time one of them changes."""
    kept: tuple[tzinfo, date] | None = record.__dict__.get("_local_day")
    if kept is not None and kept[0] is tz:
        return kept[1]
    day = moment.astimezone(tz).date()
    object.__setattr__(record, "_local_day", (tz, day))
    return day


class StepWork(Protocol):
    """What the completeness rule reads of a step: a StepRecord, or the player's StepOutcome."""

    @property
    def planned_seconds(self) -> float: ...

    @property
    def done_seconds(self) -> float: ...


def credited_work(steps: Iterable[StepWork]) -> tuple[float, float]:
    """(seconds done, seconds planned), each step counted up to its plan: repeating one step
    does not make up for skipping another."""
    planned = done = 0.0
    for step in steps:
        planned += step.planned_seconds
        done += min(step.done_seconds, step.planned_seconds)
    return done, planned


def done_share(steps: Iterable[StepWork]) -> float:
    """Work done over work planned, 0-1 (``credited_work``); 0 when nothing was planned."""
    done, planned = credited_work(steps)
    return done / planned if planned > 0 else 0.0


def ended_status(steps: Iterable[StepWork]) -> SessionStatus:
    """How a session that the person ended is recorded: complete, or partial."""
    done, planned = credited_work(steps)
    # Compared as migration 0005 compares in SQL, so both agree to the last bit.
    complete = planned > 0 and done >= COMPLETE_SHARE * planned
    return SessionStatus.COMPLETED if complete else SessionStatus.PARTIAL


def honest_status(session: SessionRecord) -> SessionStatus:
    """The status the rule gives a stored or imported record: an ended session is complete
    only with COMPLETE_SHARE of its work done (older records and files may say otherwise)."""
    if session.status in (SessionStatus.COMPLETED, SessionStatus.QUIT_EARLY):
        return ended_status(session.steps)
    return session.status


def settled(session: SessionRecord, now: datetime) -> SessionRecord:
    """``session`` as it stands at ``now``: one still in progress with no sign of life for
    STALE_AFTER is interrupted, ended at its last sign of life, with its work so far."""
    if session.status is not SessionStatus.IN_PROGRESS:
        return session
    last = session.updated_at or session.started_at
    if now - last < STALE_AFTER:
        return session
    return replace(session, status=SessionStatus.INTERRUPTED, ended_at=last)


class CheckInContext(StrEnum):
    BEFORE_SESSION = "before_session"
    AFTER_SESSION = "after_session"
    ANYTIME = "anytime"


@dataclass(frozen=True)
class CheckIn:
    """Back and leg pain "now" on a 0-10 scale (None = not answered)."""

    id: str
    at: datetime
    back_pain: int | None
    leg_pain: int | None
    context: CheckInContext = CheckInContext.ANYTIME
    session_id: str | None = None
    note: str = ""

    def local_day(self, tz: tzinfo) -> date:
        """The local day of ``at`` in ``tz`` (see ``local_day``)."""
        return local_day(self, self.at, tz)


class MeasurementKind(StrEnum):
    CHAIR_SIT_AND_REACH = "chair_sit_and_reach"
    FINGERTIP_TO_FLOOR = "fingertip_to_floor"


# Limits of what a person can enter, shared by live input and imports (Recommendation (ours)):
# plausible ranges far wider than the norms in domain §5.1, so that they only catch slips such
# as inches, millimetres or a missing minus sign.
MEASUREMENT_RANGES_CM: dict[MeasurementKind, tuple[float, float]] = {
    MeasurementKind.CHAIR_SIT_AND_REACH: (-40.0, 40.0),
    MeasurementKind.FINGERTIP_TO_FLOOR: (0.0, 80.0),
}
NOTE_MAX_CHARS = 500
ACTIVITY_NAME_MAX_CHARS = 80


@dataclass(frozen=True)
class Measurement:
    """A flexibility test result. ``protocol`` records how it was measured (zero points differ)."""

    id: str
    at: datetime
    kind: MeasurementKind
    value_cm: float
    protocol: str
    leg: str | None = None
    """"left" or "right" for one-leg tests such as the chair sit-and-reach."""
    note: str = ""


class Instrument(StrEnum):
    PSFS = "psfs"
    ODI = "odi"
    RMDQ = "rmdq"
    STARTBACK = "startback"


@dataclass(frozen=True)
class PsfsActivity:
    """An activity the person chose to re-rate over time (Patient-Specific Functional Scale)."""

    id: str
    name: str
    created_at: datetime
    retired_at: datetime | None = None


@dataclass(frozen=True)
class QuestionnaireResult:
    """A scored questionnaire. ``answers`` maps item ids to the chosen option (None = skipped)."""

    id: str
    at: datetime
    instrument: Instrument
    version: str
    answers: dict[str, int | None]
    score: float
    label: str = ""
    extra: dict[str, float] = field(default_factory=dict)


class ProgrammeEventKind(StrEnum):
    """What the person said or was asked about the programme (domain.md §3.1 and §3.3 rule 4)."""

    RESUMED_SEEN_CLINICIAN = "resumed_seen_clinician"
    """The pause after two worse days lifted: the person has seen a clinician."""
    RESUMED_BACK_TO_USUAL = "resumed_back_to_usual"
    """The pause after two worse days lifted: the person feels back to their usual."""
    QUESTIONS_DUE = "questions_due"
    """A check-in called for the cauda equina questions again; routines wait for the answers."""
    QUESTIONS_ANSWERED = "questions_answered"
    """The cauda equina questions were answered again (a yes locks routines by itself)."""
    SAFETY_LOCKED = "safety_locked"
    """New safety answers lock the routines (a red flag, or a condition that needs clearance):
    the programme is paused from here, and no move up counts the days it lasts."""
    SAFETY_CLEARED = "safety_cleared"
    """New safety answers let the routines play again after a lock."""

    @property
    def is_resume(self) -> bool:
        return self in (
            ProgrammeEventKind.RESUMED_SEEN_CLINICIAN,
            ProgrammeEventKind.RESUMED_BACK_TO_USUAL,
        )


@dataclass(frozen=True)
class ProgrammeEvent:
    """One programme event, kept so that a pause or a pending question outlives a restart."""

    id: str
    at: datetime
    kind: ProgrammeEventKind


@dataclass(frozen=True)
class Enrolment:
    """The person following a programme over weeks: which one, and from which local day.

    At most one enrolment is active (``ended_at`` None) at a time: choosing another programme
    ends the active one first. Levels are not stored; they are replayed from the history.
    """

    id: str
    programme_id: str
    started_on: date
    """The person's local day on which the programme's week 1 begins."""
    at: datetime
    """When they chose it (aware UTC)."""
    ended_at: datetime | None = None
    """When they stopped it or switched to another programme; None while it is active."""
    start_level: int = 1
    """The level (its number, from 1) the person chose to start at; the replay begins there."""

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


ASSESSMENT_SOURCES = ("photo", "camera")
ASSESSMENT_MAX_PHOTOS = 3
"""A photo assessment is the median of one to three photos (domain.md §5.2)."""
PHOTO_MAX_BYTES = 20_000_000
"""The largest photo file measured; larger files are refused before they are read (the terminal
and the vision extra; the browser's upload limit is lower)."""


@dataclass(frozen=True)
class Assessment:
    """A flexibility assessment from side-view photos or the camera (domain.md §5.2-5.3).

    The angles are the median over ``photos`` photos (or camera frames) that passed the quality
    gates, on the camera-facing ``side``; each is uncertain by about ``uncertainty_deg``.
    ``photo_file`` names the kept annotated photo in ``<data_dir>/photos/`` (kept only when the
    person asked), None otherwise.
    """

    id: str
    at: datetime
    test: PhotoTest
    source: str
    """"photo" or "camera"."""
    side: Side
    forward_bend_deg: float
    knee_deficit_deg: float
    trunk_inclination_deg: float
    photos: int
    uncertainty_deg: float = ANGLE_UNCERTAINTY_DEG
    photo_file: str | None = None
    note: str = ""


# Every kind of record a person's history holds, by its table and export key, in export order.
RECORD_KINDS = (
    "sessions",
    "checkins",
    "measurements",
    "psfs_activities",
    "questionnaire_results",
    "programme_events",
    "enrolments",
    "assessments",
)
