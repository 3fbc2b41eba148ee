"""The JSON the browser and the small API exchange: pydantic request and response models.

``XCreate`` is a request body, ``XPublic`` a response. The routes under ``web/routes/`` parse
into these and build them from the Coach's records; the models hold no behaviour beyond checking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# ----- the API: /api/routines, /api/exercises, /api/checkins, /api/progress ---------------------


class RoutineStepPublic(BaseModel):
    exercise_id: str
    exercise_name: str
    dose: str


class RoutinePublic(BaseModel):
    id: str
    name: str
    summary: str
    position: str
    built_in: bool
    seconds: float
    steps: list[RoutineStepPublic]
    play_url: str
    toml_url: str


class ExercisePublic(BaseModel):
    id: str
    code: str
    name: str
    summary: str
    position: str
    targets: list[str]
    muscle_group: str
    equipment: list[str]
    dose: str
    seconds: float
    url: str


class CheckInCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    back_pain: int | None = Field(default=None, ge=0, le=10, strict=True)
    leg_pain: int | None = Field(default=None, ge=0, le=10, strict=True)
    note: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _something_rated(self) -> CheckInCreate:
        if self.back_pain is None and self.leg_pain is None:
            raise ValueError("choose a number from 0 to 10 for your back, your leg or both")
        return self


class CheckInPublic(BaseModel):
    id: str
    at: datetime
    back_pain: int | None
    leg_pain: int | None
    messages: list[str]
    reask_safety_questions: bool


class WeekPublic(BaseModel):
    week_start: str
    days: int
    hamstring_minutes_per_leg: float


class ProgressPublic(BaseModel):
    streak: int
    goal_days: int
    days_this_week: int
    sessions: int
    work_minutes: float
    latest_back_pain: int | None
    latest_leg_pain: int | None
    weeks: list[WeekPublic]


# ----- the player: /api/play, /api/sessions, /api/safety/cauda-equina ---------------------------


class SegmentPublic(BaseModel):
    index: int
    kind: str
    title: str
    step_index: int
    exercise_id: str
    exercise_name: str
    side: str
    side_label: str
    set_number: int
    sets_total: int
    start_seconds: float
    duration_seconds: float
    cue: str
    reps: int
    rep_seconds: float


class PlanStepPublic(BaseModel):
    index: int
    exercise_id: str
    name: str
    code: str
    keyframes: int
    hold_on: int
    note: str
    planned_seconds: float


class PlanNotePublic(BaseModel):
    text: str
    kind: Literal["safety", "pain"]
    exercise_id: str | None = None
    replacement_id: str | None = None


class PlanPublic(BaseModel):
    routine_id: str
    routine_name: str
    summary: str
    total_seconds: float
    work_seconds: float
    complete_share: float
    """A session counts as complete with this share of ``work_seconds`` done."""
    back_restart_seconds: float
    segments: list[SegmentPublic]
    steps: list[PlanStepPublic]
    notes: list[PlanNotePublic]
    warnings: list[str]


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    routine_id: str = Field(min_length=1, max_length=200)


class SessionPublic(BaseModel):
    session_id: str
    plan: PlanPublic


Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class StepProgress(BaseModel):
    """One step as the browser's player summarised it (work seconds, by side)."""

    model_config = ConfigDict(extra="forbid")
    step_index: Annotated[int, Field(strict=True, ge=0)]
    done_seconds: Seconds
    seconds_left: Seconds = 0.0
    seconds_right: Seconds = 0.0
    seconds_both: Seconds = 0.0
    completed: Annotated[bool, Field(strict=True)]
    skipped: Annotated[bool, Field(strict=True)]


class ProgressUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    steps: list[StepProgress] = Field(max_length=200)


class SessionFinish(ProgressUpdate):
    status: Literal["completed", "quit_early"]


class SavedPublic(BaseModel):
    session_id: str
    status: str
    work_seconds: float
    done_share: float | None = None
    """On finish: the share of the planned work done (complete from COMPLETE_SHARE)."""


PainScore = Annotated[int, Field(strict=True, ge=0, le=10)]


class SessionCheckInCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    context: Literal["before", "after"]
    back_pain: PainScore | None = None
    leg_pain: PainScore | None = None


class QuestionPublic(BaseModel):
    id: str
    text: str


class SessionCheckInPublic(BaseModel):
    messages: list[str]
    too_much: bool
    reask_cauda_equina: bool
    questions: list[QuestionPublic]


class CaudaEquinaAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: dict[str, Annotated[bool, Field(strict=True)]] = Field(min_length=1)


class VerdictPublic(BaseModel):
    routines_allowed: bool
    status: str
    advice: str


# ----- spoken cues: /api/speech ------------------------------------------------------------------

MAX_SPEECH_CHARS = 400


class SpeechRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, Field(min_length=1, max_length=MAX_SPEECH_CHARS)]


# ----- live camera coaching: /ws/camera -----------------------------------------------------------


class CameraAim(BaseModel):
    """Control message: the segment playing now (the frames that follow are checked against it)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["aim"]
    exercise_id: str = Field(min_length=1, max_length=200)
    side: Literal["left", "right", "both"] = "both"
    kind: str = Field(default="hold", max_length=40)


class CameraSave(BaseModel):
    """Control message: save the held position as a measurement (only on the person's request)."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["save"]
    note: str = Field(default="", max_length=500)


class CameraAngles(BaseModel):
    side: str
    forward_bend_deg: float
    knee_deficit_deg: float
    trunk_inclination_deg: float
    visibility: float


class CameraFrame(BaseModel):
    """The answer to every frame (exactly one each, so the page keeps one frame in flight)."""

    type: Literal["frame"] = "frame"
    found: bool = False
    angles: CameraAngles | None = None
    in_position: bool = False
    gated: bool = False
    cue: str | None = None
    error: str | None = None


class CameraAimed(BaseModel):
    type: Literal["aim"] = "aim"
    exercise_id: str
    gated: bool
    note: str
    savable: bool


class CameraSaved(BaseModel):
    type: Literal["saved"] = "saved"
    sentences: list[str]
    forward_bend_deg: float | None
    knee_deficit_deg: float | None
    uncertainty_deg: float | None
