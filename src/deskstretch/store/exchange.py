"""The export file: its JSON shape (pydantic models), validation with JSON paths, and conversion.

The format has its own ``schema_version``, independent of the database schema revision.
Past 400 lines because it holds one short model per kind of record, each with the limits of live
input, and the conversion of all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from deskstretch.core.body_angles import PhotoTest, Side
from deskstretch.core.records import (
    ACTIVITY_NAME_MAX_CHARS,
    MEASUREMENT_RANGES_CM,
    NOTE_MAX_CHARS,
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
    honest_status,
)
from deskstretch.store.db_errors import StoreError
from deskstretch.store.migrate import HEAD

FORMAT = "deskstretch-export"
SCHEMA_VERSION = 1
MAX_LEVELS = 52
"""A programme lasts at most 52 weeks, and each of its levels a week or more."""

Id = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=128)]
LessonId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
# The same limits as live input: a day of seconds, notes as long as the forms take, and so on.
Seconds = Annotated[float, Field(ge=0, le=24 * 3600, allow_inf_nan=False)]
Pain = Annotated[int, Field(ge=0, le=10)]
Number = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]
Note = Annotated[str, Field(max_length=NOTE_MAX_CHARS)]
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _sane_date(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.astimezone(UTC).year <= LAST_YEAR:
        raise ValueError(f"expected a date from {FIRST_YEAR} to {LAST_YEAR}, got {value:%Y-%m-%d}")
    return value


When = Annotated[AwareDatetime, AfterValidator(_sane_date)]


def _day_text(value: Any) -> Any:
    # Only the ISO text the export writes: pydantic would also read a number as a Unix time.
    if not isinstance(value, str | date):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


def _sane_day(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"expected a date from {FIRST_YEAR} to {LAST_YEAR}, got {value:%Y-%m-%d}")
    return value


Day = Annotated[date, BeforeValidator(_day_text), AfterValidator(_sane_day)]


class ExchangeError(StoreError):
    """An import file that is not a valid deskstretch export; nothing was imported."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExportedStep(_Model):
    step_index: int = Field(ge=0)
    exercise_id: Name
    muscle_group: Annotated[str, Field(max_length=64)]
    planned_seconds: Seconds
    done_seconds: Seconds
    seconds_left: Seconds = 0.0
    seconds_right: Seconds = 0.0
    seconds_both: Seconds = 0.0
    completed: bool = False
    skipped: bool = False


class ExportedSession(_Model):
    id: Id
    routine_id: Name
    routine_name: str
    started_at: When
    status: SessionStatus
    steps: list[ExportedStep] = []
    ended_at: When | None = None
    too_much: bool = False
    front_end: Annotated[str, Field(min_length=1, max_length=32)] = "terminal"
    updated_at: When | None = None

    @field_validator("ended_at")
    @classmethod
    def _ends_after_start(cls, ended: datetime | None, info: ValidationInfo) -> datetime | None:
        started = info.data.get("started_at")
        if ended is not None and started is not None and ended < started:
            raise ValueError("expected a time after started_at")
        return ended


class ExportedCheckIn(_Model):
    id: Id
    at: When
    back_pain: Pain | None
    leg_pain: Pain | None
    context: CheckInContext = CheckInContext.ANYTIME
    session_id: Id | None = None
    note: Note = ""


class ExportedMeasurement(_Model):
    id: Id
    at: When
    kind: MeasurementKind
    value_cm: Annotated[float, Field(allow_inf_nan=False)]  # its range: below, by kind
    protocol: Name
    leg: Annotated[str, Field(max_length=16)] | None = Field(default=None, validate_default=True)
    note: Note = ""

    @field_validator("value_cm")
    @classmethod
    def _in_range(cls, value: float, info: ValidationInfo) -> float:
        kind = info.data.get("kind")
        if kind is not None:
            low, high = MEASUREMENT_RANGES_CM[kind]
            if not low <= value <= high:
                raise ValueError(f"expected {low:g} to {high:g} cm, got {value:g}")
        return value

    @field_validator("leg")
    @classmethod
    def _leg_for_kind(cls, leg: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("kind")
        if kind is MeasurementKind.CHAIR_SIT_AND_REACH and leg not in ("left", "right"):
            raise ValueError(f'expected "left" or "right" (a one-leg test), got {leg!r}')
        if kind is MeasurementKind.FINGERTIP_TO_FLOOR and leg is not None:
            raise ValueError(f"expected null (a test with both legs), got {leg!r}")
        return leg


class ExportedPsfsActivity(_Model):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=ACTIVITY_NAME_MAX_CHARS)]
    created_at: When
    retired_at: When | None = None


class ExportedQuestionnaireResult(_Model):
    id: Id
    at: When
    instrument: Instrument
    version: Annotated[str, Field(max_length=32)]
    answers: Annotated[dict[Id, int | None], Field(max_length=60)]
    score: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    label: Annotated[str, Field(max_length=128)] = ""
    extra: Annotated[dict[Id, Number], Field(max_length=20)] = {}

    @field_validator("answers")
    @classmethod
    def _answers_in_range(cls, answers: dict[str, int | None]) -> dict[str, int | None]:
        # Every instrument's answers lie in 0-10 (ODI 0-5, RMDQ and STarT Back 0-1, PSFS 0-10).
        for item, value in answers.items():
            if value is not None and not 0 <= value <= 10:
                raise ValueError(
                    f"expected answers from 0 to 10 (or null), got {value} for {item!r}"
                )
        return answers


class ExportedProgrammeEvent(_Model):
    id: Id
    at: When
    kind: ProgrammeEventKind


class ExportedEnrolment(_Model):
    id: Id
    programme_id: Name
    started_on: Day
    at: When
    ended_at: When | None = None
    start_level: int = Field(1, ge=1, le=MAX_LEVELS)  # absent from files before revision 0009

    @field_validator("ended_at")
    @classmethod
    def _ends_after_choice(cls, ended: datetime | None, info: ValidationInfo) -> datetime | None:
        chosen = info.data.get("at")
        if ended is not None and chosen is not None and ended < chosen:
            raise ValueError("expected a time after at")
        return ended


Angle = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
PHOTO_FILE_PATTERN = r"^[A-Za-z0-9_-]{1,64}\.jpg$"
"""A kept photo's name: a bare file name in the photos folder, never a path."""


class ExportedAssessment(_Model):
    id: Id
    at: When
    test: PhotoTest
    source: Literal["photo", "camera"]  # core.records.ASSESSMENT_SOURCES
    side: Side
    forward_bend_deg: Angle
    knee_deficit_deg: Angle
    trunk_inclination_deg: Angle
    photos: int = Field(ge=1, le=100_000)  # photos (1-3) or camera frames
    uncertainty_deg: float = Field(6.0, ge=0, le=90, allow_inf_nan=False)
    photo_file: Annotated[str, Field(pattern=PHOTO_FILE_PATTERN)] | None = None
    note: Note = ""


class ExportFile(_Model):
    format: Literal["deskstretch-export"]
    schema_version: Literal[1]
    database_revision: str | None = None
    sessions: list[ExportedSession] = []
    checkins: list[ExportedCheckIn] = []
    measurements: list[ExportedMeasurement] = []
    psfs_activities: list[ExportedPsfsActivity] = []
    questionnaire_results: list[ExportedQuestionnaireResult] = []
    programme_events: list[ExportedProgrammeEvent] = []  # absent from older files
    enrolments: list[ExportedEnrolment] = []  # absent from files before schema revision 0007
    assessments: list[ExportedAssessment] = []  # absent from files before schema revision 0010
    # Not a record of the store (the Coach keeps them in state.toml), checked here with the rest.
    lessons_read: list[LessonId] = Field([], max_length=1000)  # absent from older files


@dataclass(frozen=True)
class Bundle:
    """Everything in one export, as core records."""

    sessions: list[SessionRecord] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    psfs_activities: list[PsfsActivity] = field(default_factory=list)
    questionnaire_results: list[QuestionnaireResult] = field(default_factory=list)
    programme_events: list[ProgrammeEvent] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many records of each kind (keys as RECORD_KINDS: the fields, in their order)."""
        return {kind: len(getattr(self, kind)) for kind in RECORD_KINDS}


def dump(bundle: Bundle) -> dict[str, Any]:
    """The bundle as plain JSON-ready data (timestamps as ISO 8601 UTC strings).

    Built directly from the records, without validation: exporting must never fail.
    """
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "database_revision": HEAD,
        **{kind: [_jsonable(record) for record in getattr(bundle, kind)] for kind in RECORD_KINDS},
    }


def parse(data: Mapping[str, Any]) -> Bundle:
    """Validate an export; ExchangeError names the first bad JSON path (e.g. sessions[2].id)."""
    if not isinstance(data, Mapping):
        raise ExchangeError("import file: expected a JSON object at the top level")
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ExchangeError(
            f"import file: schema_version {version} was written by a newer deskstretch "
            f"(this one reads {SCHEMA_VERSION}); please upgrade deskstretch"
        )
    try:
        document = ExportFile.model_validate(dict(data))
    except ValidationError as error:
        raise ExchangeError(_describe(error)) from None
    _check_unique_ids(document)
    return Bundle(
        sessions=[_session(s) for s in document.sessions],
        checkins=[
            CheckIn(**{**c.model_dump(), "at": c.at.astimezone(UTC)}) for c in document.checkins
        ],
        measurements=[
            Measurement(**{**m.model_dump(), "at": m.at.astimezone(UTC)})
            for m in document.measurements
        ],
        psfs_activities=[
            PsfsActivity(
                id=p.id,
                name=p.name,
                created_at=p.created_at.astimezone(UTC),
                retired_at=p.retired_at.astimezone(UTC) if p.retired_at else None,
            )
            for p in document.psfs_activities
        ],
        questionnaire_results=[
            QuestionnaireResult(**{**q.model_dump(), "at": q.at.astimezone(UTC)})
            for q in document.questionnaire_results
        ],
        programme_events=[
            ProgrammeEvent(id=e.id, at=e.at.astimezone(UTC), kind=e.kind)
            for e in document.programme_events
        ],
        enrolments=[
            Enrolment(
                id=e.id,
                programme_id=e.programme_id,
                started_on=e.started_on,
                at=e.at.astimezone(UTC),
                ended_at=e.ended_at.astimezone(UTC) if e.ended_at else None,
                start_level=e.start_level,
            )
            for e in document.enrolments
        ],
        assessments=[
            Assessment(**{**a.model_dump(), "at": a.at.astimezone(UTC)})
            for a in document.assessments
        ],
    )


def _session(exported: ExportedSession) -> SessionRecord:
    record = SessionRecord(
        id=exported.id,
        routine_id=exported.routine_id,
        routine_name=exported.routine_name,
        started_at=exported.started_at.astimezone(UTC),
        status=exported.status,
        steps=tuple(StepRecord(**step.model_dump()) for step in exported.steps),
        ended_at=exported.ended_at.astimezone(UTC) if exported.ended_at else None,
        too_much=exported.too_much,
        front_end=exported.front_end,
        updated_at=exported.updated_at.astimezone(UTC) if exported.updated_at else None,
    )
    # Files from earlier versions may call a skipped-through session complete: the rule decides.
    return replace(record, status=honest_status(record))


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _describe(error: ValidationError) -> str:
    problems = error.errors()
    first = problems[0]
    path = _json_path(first["loc"])
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"import file: {path or 'top level'}: {message}{more}"


def _json_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _check_unique_ids(document: ExportFile) -> None:
    kinds: dict[str, list[Any]] = {kind: getattr(document, kind) for kind in RECORD_KINDS}
    for kind, items in kinds.items():
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in seen:
                raise ExchangeError(
                    f"import file: {kind}[{index}].id: '{item.id}' is also used by "
                    f"{kind}[{seen[item.id]}]"
                )
            seen[item.id] = index
    for index, session in enumerate(document.sessions):
        steps_seen: set[int] = set()
        for step_number, step in enumerate(session.steps):
            if step.step_index in steps_seen:
                raise ExchangeError(
                    f"import file: sessions[{index}].steps[{step_number}].step_index: "
                    f"{step.step_index} appears twice in this session"
                )
            steps_seen.add(step.step_index)
