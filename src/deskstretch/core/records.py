"""What deskstretch remembers: sessions, check-ins, measurements and questionnaire results.

Plain frozen values passed between ``store`` (which persists them) and the rest of the program.
Timestamps are timezone-aware UTC datetimes; the person's local date is derived at the edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    QUIT_EARLY = "quit_early"
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

    @property
    def work_seconds(self) -> float:
        return sum(step.done_seconds for step in self.steps)


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


class MeasurementKind(StrEnum):
    CHAIR_SIT_AND_REACH = "chair_sit_and_reach"
    FINGERTIP_TO_FLOOR = "fingertip_to_floor"


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
