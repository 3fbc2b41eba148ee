"""The guided player in the browser: its page, the plan as JSON, figures and session recording.

Routes parse, call the Coach and answer. The playing happens in ``static/js/player/`` (entry
``page.js``), whose ``core.js`` mirrors ``core/player.py`` over the timeline serialised here from
``core.timeline`` (so the browser plays exactly what the terminal plays). Sessions are written
with the Coach's recorder and step records, as the terminal writes them.

Past 400 lines: the plan serialisation and the session routes are one feature that changes
together. The JSON shapes live in ``web/api_schemas.py``.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, NoReturn

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from deskstretch.coach import Coach, Plan, StoreError
from deskstretch.coach.sessions import SessionRecorder, step_records
from deskstretch.core.errors import NotFoundError, ProgrammePaused, QuestionsDue, SafetyStop
from deskstretch.core.models import Exercise, Side
from deskstretch.core.player import BACK_RESTART_SECONDS, PlayerSummary, Status, StepOutcome
from deskstretch.core.records import (
    COMPLETE_SHARE,
    CheckInContext,
    SessionStatus,
)
from deskstretch.core.safety import CAUDA_EQUINA_IDS, RED_FLAGS_BY_ID
from deskstretch.core.timeline import Segment, Timeline
from deskstretch.system.espeak import find_speaker
from deskstretch.web.api_schemas import (
    CaudaEquinaAnswers,
    PlanNotePublic,
    PlanPublic,
    PlanStepPublic,
    ProgressUpdate,
    QuestionPublic,
    SavedPublic,
    SegmentPublic,
    SessionCheckInCreate,
    SessionCheckInPublic,
    SessionCreate,
    SessionFinish,
    SessionPublic,
    StepProgress,
    VerdictPublic,
)
from deskstretch.web.deps import CoachDep, SessionId
from deskstretch.web.error_pages import ErrorPage, Link
from deskstretch.web.rendering import render

router = APIRouter()

FRONT_END = "browser"
MAX_OPEN_SESSIONS = 32
# A step may run long (pauses do not count, but back restarts a segment): up to three times its
# planned work plus a minute is accepted; more is a broken or forged client.
SECONDS_FACTOR = 3.0
SECONDS_SLACK = 60.0
CAMERA_PERMISSIONS = "camera=(self), microphone=(), geolocation=()"


# ----- serialising a plan ----------------------------------------------------------------------


def side_label(segment: Segment, timeline: Timeline) -> str:
    """'left leg', 'right side' ... ('' when both sides work at once), as the terminal says it."""
    if segment.side is Side.BOTH:
        return ""
    return f"{segment.side.value} {timeline.steps[segment.step_index].exercise.side_noun}"


def keyframes_of(exercise: Exercise) -> tuple[int, int]:
    """(number of keyframes, index of the pose held) of the exercise's figure."""
    from deskstretch.catalogue import illustrations as figures

    count = figures.keyframe_count(exercise)
    hold_on = exercise.hold_on if exercise.hold_on >= 0 else count + exercise.hold_on
    return count, min(max(hold_on, 0), max(count - 1, 0))


def plan_public(plan: Plan) -> PlanPublic:
    timeline = plan.timeline
    steps = []
    for index, step in enumerate(timeline.steps):
        count, hold_on = keyframes_of(step.exercise)
        steps.append(
            PlanStepPublic(
                index=index,
                exercise_id=step.exercise.id,
                name=step.exercise.name,
                code=step.exercise.code,
                keyframes=count,
                hold_on=hold_on,
                note=step.note,
                planned_seconds=timeline.work_seconds(index),
            )
        )
    notes = [
        PlanNotePublic(
            text=change.reason,
            kind="safety",
            exercise_id=change.exercise.id,
            replacement_id=change.replacement.id if change.replacement else None,
        )
        for change in plan.changes
    ] + [PlanNotePublic(text=text, kind="pain") for text in plan.pain_notes]
    return PlanPublic(
        routine_id=timeline.routine_id,
        routine_name=timeline.routine_name,
        summary=plan.routine.summary,
        total_seconds=timeline.total_seconds,
        work_seconds=timeline.work_seconds(),
        complete_share=COMPLETE_SHARE,
        back_restart_seconds=BACK_RESTART_SECONDS,
        segments=[
            SegmentPublic(
                index=s.index,
                kind=s.kind.value,
                title=s.title,
                step_index=s.step_index,
                exercise_id=s.exercise_id,
                exercise_name=s.exercise_name,
                side=s.side.value,
                side_label=side_label(s, timeline),
                set_number=s.set_number,
                sets_total=s.sets_total,
                start_seconds=s.start_seconds,
                duration_seconds=s.duration_seconds,
                cue=s.cue,
                reps=s.reps,
                rep_seconds=s.rep_seconds,
            )
            for s in timeline.segments
        ],
        steps=steps,
        notes=notes,
        warnings=list(plan.warnings),
    )


def make_plan(coach: Coach, routine_id: str) -> Plan:
    """The routine adapted to today's safety answers and pain (SafetyStop when locked)."""
    return coach.plan(coach.resolve_routine(routine_id, None))


# ----- sessions this server has opened ---------------------------------------------------------


@dataclass
class LiveSession:
    """A browser session: its plan and recorder. The record is written when playing begins (as
    in the terminal, after the check-in before), so a session stopped by a safety answer first
    leaves nothing behind."""

    plan: Plan
    recorder: SessionRecorder
    started: bool = False
    finished: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def id(self) -> str:
        return self.recorder.session_id


_REGISTRY_LOCK = threading.Lock()
_OPEN = (SessionStatus.IN_PROGRESS, SessionStatus.INTERRUPTED)


def _registry(request: Request) -> OrderedDict[str, LiveSession]:
    with _REGISTRY_LOCK:
        sessions: OrderedDict[str, LiveSession] | None = getattr(
            request.app.state, "player_sessions", None
        )
        if sessions is None:
            sessions = OrderedDict()
            request.app.state.player_sessions = sessions
        return sessions


def _remember(request: Request, live: LiveSession) -> None:
    sessions = _registry(request)
    with _REGISTRY_LOCK:
        sessions[live.id] = live
        while len(sessions) > MAX_OPEN_SESSIONS:
            sessions.popitem(last=False)


def _live(request: Request, coach: Coach, session_id: str) -> LiveSession:
    live = _registry(request).get(session_id)
    if live is not None:
        return live
    # Opened before this server restarted: carry on from the stored record.
    record = coach.session(session_id)
    plan = make_plan(coach, record.routine_id)
    recorder = coach.recorder(plan, FRONT_END)
    recorder.session_id = record.id
    live = LiveSession(plan, recorder, started=True, finished=record.status not in _OPEN)
    _remember(request, live)
    return live


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def _invalid(location: tuple[str | int, ...], message: str, value: object) -> NoReturn:
    """Fail like a pydantic error (422 naming the field), for checks that need the plan."""
    raise RequestValidationError(
        [{"type": "value_error", "loc": ("body", *location), "msg": message, "input": value}]
    )


def _summary(timeline: Timeline, steps: list[StepProgress], status: Status) -> PlayerSummary:
    """The browser's per-step figures as a PlayerSummary, checked against the plan."""
    seen: set[int] = set()
    outcomes = []
    for position, item in enumerate(steps):
        where: tuple[str | int, ...] = ("steps", position)
        if item.step_index >= len(timeline.steps):
            _invalid(
                (*where, "step_index"),
                f"must be below {len(timeline.steps)} (the routine has that many steps)",
                item.step_index,
            )
        if item.step_index in seen:
            _invalid((*where, "step_index"), "appears twice", item.step_index)
        seen.add(item.step_index)
        planned = timeline.work_seconds(item.step_index)
        limit = SECONDS_FACTOR * planned + SECONDS_SLACK
        sides = {
            "seconds_left": item.seconds_left,
            "seconds_right": item.seconds_right,
            "seconds_both": item.seconds_both,
            "done_seconds": item.done_seconds,
        }
        for name, value in sides.items():
            if value > limit:
                _invalid((*where, name), f"must be at most {limit:g} for this step", value)
        by_sides = item.seconds_left + item.seconds_right + item.seconds_both
        if not math.isclose(by_sides, item.done_seconds, abs_tol=0.01):
            _invalid(
                (*where, "done_seconds"),
                "must equal the seconds on the left, on the right and on both sides added up",
                item.done_seconds,
            )
        step = timeline.steps[item.step_index]
        outcomes.append(
            StepOutcome(
                step_index=item.step_index,
                exercise_id=step.exercise.id,
                exercise_name=step.exercise.name,
                planned_seconds=planned,
                done_seconds=item.done_seconds,
                seconds_by_side={
                    Side.LEFT: item.seconds_left,
                    Side.RIGHT: item.seconds_right,
                    Side.BOTH: item.seconds_both,
                },
                completed=item.completed,
                skipped=item.skipped,
            )
        )
    return PlayerSummary(status, tuple(outcomes), 0.0, timeline.total_seconds)


def _ensure_started(live: LiveSession) -> str | None:
    """Write the session record if it is not yet written; a problem message, or None."""
    if live.started:
        return None
    live.recorder.problem = None
    if live.recorder.start() is None:
        return live.recorder.problem or "the session could not be saved"
    live.started = True
    return None


# ----- routes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlayerPage:
    """What player.html shows: the plan (or why it cannot be played) and the page's settings."""

    routine_id: str
    routine_name: str
    summary: str = ""
    plan: PlanPublic | None = None
    locked_advice: str = ""
    needs_screening: bool = False
    voice: bool = False
    bell: bool = True
    speech_available: bool = False
    autostart: bool = False
    """Opened as /play/<id>?start=1 (a reminder's Start): the page starts playing at once."""
    cauda_equina: tuple[QuestionPublic, ...] = ()
    questions_due: bool = False
    """Re-asked cauda equina questions wait for answers: the page links to them."""
    paused: bool = False
    """Two worse days paused routines: the page offers the person's way to lift it."""
    camera_unavailable: str = ""
    """Why camera coaching cannot be offered (the vision extra is missing: what to install)."""


def _cauda_equina_questions() -> tuple[QuestionPublic, ...]:
    return tuple(QuestionPublic(id=i, text=RED_FLAGS_BY_ID[i].text) for i in CAUDA_EQUINA_IDS)


@router.get("/play/{routine_id}", response_class=HTMLResponse)
def play_page(request: Request, coach: CoachDep, routine_id: str) -> Response:
    """The player page; a locked safety screen shows its advice instead of the player."""
    try:
        loaded = coach.resolve_routine(routine_id, None)
    except NotFoundError as error:
        links = tuple(Link(f"/play/{name}", name) for name in error.suggestions)
        missing = ErrorPage(404, error.message, links=(*links, Link("/routines", "All routines")))
        return render(
            request, "error.html", title="Routine not found", page=missing, status_code=404
        )
    routine = loaded.routine
    prefs = coach.preferences
    common: dict[str, Any] = {
        "routine_id": routine.id,
        "routine_name": routine.name,
        "summary": routine.summary,
        "voice": prefs.voice,
        "bell": prefs.bell,
        "speech_available": find_speaker() is not None,
        "cauda_equina": _cauda_equina_questions(),
        "camera_unavailable": coach.camera.unavailable_reason() or "",
    }
    try:
        plan = coach.plan(loaded)
    except SafetyStop as stop:
        page = PlayerPage(
            **common,
            locked_advice=stop.message,
            needs_screening=coach.needs_screening(),
            questions_due=isinstance(stop, QuestionsDue),
            paused=isinstance(stop, ProgrammePaused),
        )
        return render(
            request, "player.html", title="Paused for your safety", page=page, status_code=403
        )
    autostart = request.query_params.get("start") == "1"
    page = PlayerPage(**common, plan=plan_public(plan), autostart=autostart)
    response = render(request, "player.html", title=routine.name, page=page)
    # Camera coaching (opt-in, player/camera.js) may ask for this app's own camera; no other.
    response.headers["permissions-policy"] = CAMERA_PERMISSIONS
    return response


@router.get("/api/play/{routine_id}")
def play_plan(coach: CoachDep, routine_id: str) -> PlanPublic:
    """The adapted plan: every segment of the timeline, the steps and what was changed and why."""
    return plan_public(make_plan(coach, routine_id))


@router.get("/figures/{exercise_id}/{keyframe}.svg", response_class=Response)
def figure(coach: CoachDep, exercise_id: str, keyframe: str) -> Response:
    """One keyframe of an exercise's figure (all keyframes share their SVG structure)."""
    from deskstretch.catalogue import illustrations as figures

    exercise = coach.catalogue.exercises.get(exercise_id)
    if exercise is None:
        raise NotFoundError("exercise", exercise_id, coach.catalogue.suggest(exercise_id))
    count = figures.keyframe_count(exercise)
    if not keyframe.isascii() or not keyframe.isdigit() or int(keyframe) >= count:
        return _error(404, f"{exercise.name} has keyframes 0 to {count - 1}, not '{keyframe}'")
    svg = figures.render_svg(exercise, int(keyframe))
    return Response(svg, media_type="image/svg+xml")


@router.post("/api/sessions", status_code=201)
def open_session(request: Request, coach: CoachDep, body: SessionCreate) -> SessionPublic:
    """Open a session for a routine: its id and the plan the browser plays (and we record)."""
    plan = make_plan(coach, body.routine_id)
    live = LiveSession(plan, coach.recorder(plan, FRONT_END))
    _remember(request, live)
    return SessionPublic(session_id=live.id, plan=plan_public(plan))


@router.post("/api/sessions/{session_id}/progress", responses={409: {}, 503: {}})
def session_progress(
    request: Request, coach: CoachDep, session_id: SessionId, body: ProgressUpdate
) -> Response:
    """Save the steps so far (the player sends them at every segment start)."""
    live = _live(request, coach, session_id)
    summary = _summary(live.plan.timeline, body.steps, Status.PLAYING)
    with live.lock:
        if live.finished:
            return _error(409, "This session has already finished; progress was not saved.")
        problem = _ensure_started(live)
        if problem:
            return _error(503, problem)
        try:
            coach.update_session_progress(live.id, step_records(live.plan.timeline, summary))
        except StoreError as error:
            return _error(503, error.message)
    return JSONResponse(
        SavedPublic(
            session_id=live.id, status="in_progress", work_seconds=summary.work_seconds_done
        ).model_dump()
    )


@router.post("/api/sessions/{session_id}/finish", responses={409: {}, 503: {}})
def session_finish(
    request: Request, coach: CoachDep, session_id: SessionId, body: SessionFinish
) -> Response:
    """Record how the session ended, with the final per-step figures. Whether it counts as
    completed or partial is the rule's (core.records.ended_status) over the work done, whatever
    ``status`` the page sent."""
    live = _live(request, coach, session_id)
    status = Status.FINISHED if body.status == "completed" else Status.QUIT
    summary = _summary(live.plan.timeline, body.steps, status)
    steps = step_records(live.plan.timeline, summary)
    with live.lock:
        if live.finished:
            return _error(409, "This session has already finished.")
        problem = _ensure_started(live)
        if problem:
            return _error(503, problem)
        try:
            # What SessionRecorder.finish does, without needing the recorder that started it
            # (after a server restart the session is carried on from its stored record).
            record = coach.finish_session(live.id, steps)
        except StoreError as error:
            return _error(503, error.message)
        live.finished = True
    return JSONResponse(
        SavedPublic(
            session_id=record.id,
            status=record.status.value,
            work_seconds=record.work_seconds,
            done_share=record.done_share,
        ).model_dump()
    )


@router.post("/api/sessions/{session_id}/checkin")
def session_checkin(
    request: Request, coach: CoachDep, session_id: SessionId, body: SessionCheckInCreate
) -> SessionCheckInPublic:
    """A pain check-in before or after the session, with what the pain rules say about it."""
    _live(request, coach, session_id)
    if body.back_pain is None and body.leg_pain is None:
        _invalid(
            ("back_pain",),
            "choose a number from 0 to 10 for your back, your leg or both (or skip the check-in)",
            None,
        )
    context = (
        CheckInContext.BEFORE_SESSION if body.context == "before" else CheckInContext.AFTER_SESSION
    )
    result = coach.check_in(body.back_pain, body.leg_pain, context, session_id)
    return SessionCheckInPublic(
        messages=list(result.messages),
        too_much=result.too_much,
        reask_cauda_equina=result.reask_cauda_equina,
        questions=list(_cauda_equina_questions()) if result.reask_cauda_equina else [],
    )


@router.post("/api/safety/cauda-equina")
def cauda_equina(coach: CoachDep, body: CaudaEquinaAnswers) -> VerdictPublic:
    """Fresh answers to the cauda equina questions; a yes locks routines, with the advice."""
    for question_id in body.answers:
        if question_id not in CAUDA_EQUINA_IDS:
            _invalid(
                ("answers", question_id),
                "not a cauda equina question (expected one of " + ", ".join(CAUDA_EQUINA_IDS) + ")",
                question_id,
            )
    verdict = coach.recheck_cauda_equina(dict(body.answers))
    return VerdictPublic(
        routines_allowed=verdict.routines_allowed,
        status=verdict.status.value,
        advice=verdict.advice,
    )
