"""The first run in the browser: welcome and the safety questions in short grouped steps (the
goal and "Your plan" follow in plan_pages.py).

The steps keep no state on the server: each page carries the answers so far as hidden fields
(``rf-<id>``, ``cond-<id>``: the names of the item-by-item form), and nothing is stored until the
last step, or until an answer that stops the questions at once (its advice comes first). The
answers become a Screening through ``core.safety.steps``, judged like every other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from deskstretch.coach.first_run import (
    dismiss_first_run,
    first_run_done,
)
from deskstretch.core.errors import AnswersNotSaved
from deskstretch.core.safety import CONDITION_QUESTIONS, RED_FLAG_QUESTIONS, SafetyStatus
from deskstretch.core.safety.steps import (
    CLEARANCE_QUESTION,
    STEPS,
    STEPS_BY_ID,
    Answer,
    ItemKind,
    Step,
    StepError,
    StepItem,
    needs_clearance,
    screening_from_answers,
    step_answers,
    stopping_answer,
    time_estimate,
)
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form
from deskstretch.web.rendering import redirect, render
from deskstretch.web.safety_views import not_saved_page

router = APIRouter()

ANSWER_LABELS: Mapping[Answer, str] = {
    Answer.YES: "Yes",
    Answer.CLEARED: "Yes, and a doctor has checked it and said gentle exercise is fine",
    Answer.NO: "No, I ticked this by mistake",
}
NONE, TICKED = "none", "ticked"
LIST, DETAIL = "list", "detail"


def _field(item: StepItem) -> str:
    return f"rf-{item.id}" if item.kind is ItemKind.RED_FLAG else f"cond-{item.id}"


_ALL_FIELDS: Mapping[str, str] = {
    **{f"rf-{q.id}": q.id for q in RED_FLAG_QUESTIONS},
    **{f"cond-{q.id}": q.id for q in CONDITION_QUESTIONS},
}


@dataclass(frozen=True)
class StepPage:
    step: Step
    number: int
    count: int
    stage: str
    carried: tuple[tuple[str, str], ...]
    """Hidden fields: the answers of the steps before this one."""
    ticked: frozenset[str] = frozenset()
    details: Mapping[str, str] = field(default_factory=dict)
    clearance: str = ""
    ask_clearance: bool = False
    problem: str = ""
    problems: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[Answer, str] = field(default_factory=lambda: ANSWER_LABELS)
    clearance_question: str = CLEARANCE_QUESTION


@dataclass(frozen=True)
class WelcomePage:
    estimate: str
    done_before: bool
    step_titles: tuple[str, ...]


@router.get("/start", response_class=HTMLResponse)
def welcome(request: Request, coach: CoachDep) -> HTMLResponse:
    page = WelcomePage(time_estimate(), first_run_done(coach), tuple(s.title for s in STEPS))
    return render(request, "start_welcome.html", title="Welcome", page=page)


@router.post("/start/dismiss")
def dismiss(request: Request, coach: CoachDep) -> RedirectResponse:
    dismiss_first_run(coach)
    return redirect(request, "/")


def _carried(form: Mapping[str, str]) -> dict[str, Answer]:
    """The answers carried from earlier steps (only well-formed ones: a tampered value is
    dropped, so that question is asked again rather than taken as "no")."""
    answers: dict[str, Answer] = {}
    for name, question_id in _ALL_FIELDS.items():
        raw = form.get(name, "")
        if raw in (Answer.NO, Answer.YES) or (raw == Answer.CLEARED and name.startswith("rf-")):
            answers[question_id] = Answer(raw)
    return answers


def _hidden(answers: Mapping[str, Answer]) -> tuple[tuple[str, str], ...]:
    items = {item.id: item for step in STEPS for item in step.items}
    return tuple((_field(items[key]), value.value) for key, value in answers.items())


def _step_page(
    step: Step, answers: Mapping[str, Answer], stage: str = LIST, **extra: object
) -> StepPage:
    carried = {key: value for key, value in answers.items() if key not in _ids(step)}
    return StepPage(
        step,
        STEPS.index(step) + 1,
        len(STEPS),
        stage,
        _hidden(carried),
        **extra,  # type: ignore[arg-type]
    )


def _ids(step: Step) -> frozenset[str]:
    return frozenset(item.id for item in step.items)


def _render_step(request: Request, page: StepPage, status_code: int = 200) -> HTMLResponse:
    title = f"Safety check, step {page.number} of {page.count}: {page.step.title}"
    return render(request, "start_safety.html", title=title, page=page, status_code=status_code)


@router.get("/start/safety", response_class=HTMLResponse)
def first_step(request: Request) -> HTMLResponse:
    return _render_step(request, _step_page(STEPS[0], {}))


def _first_unanswered(answers: Mapping[str, Answer]) -> Step:
    """The first step with an unanswered item (a step is all or nothing), else the last."""
    return next((s for s in STEPS if not _ids(s) <= answers.keys()), STEPS[-1])


@router.post("/start/safety", response_model=None)
def next_step(request: Request, coach: CoachDep, form: Form) -> Response:
    answers = _carried(form)
    step = STEPS_BY_ID.get(form.get("step", ""))
    if step is None or STEPS.index(step) > STEPS.index(_first_unanswered(answers)):
        # An unknown step, or one whose earlier steps are not all answered: start where the
        # answers stop, never skip a question.
        return _render_step(request, _step_page(_first_unanswered(answers), answers))
    ticked = frozenset(item.id for item in step.items if form.get(f"tick-{item.id}"))
    if form.get("stage") != DETAIL:
        if form.get("action") == NONE and ticked:
            them = "it" if len(ticked) == 1 else "them"
            problem = (
                f"You ticked {len(ticked)} of these: press Continue to answer {them},"
                f" or untick {them} first."
            )
            return _render_step(
                request, _step_page(step, answers, ticked=ticked, problem=problem), 400
            )
        if form.get("action") != NONE and not ticked:
            problem = "Tick what applies to you, or press None of these."
            return _render_step(request, _step_page(step, answers, problem=problem), 400)
        if ticked:
            return _render_step(
                request,
                _step_page(
                    step,
                    answers,
                    DETAIL,
                    ticked=ticked,
                    ask_clearance=_may_need_clearance(step, ticked),
                ),
            )
    details = {item.id: form.get(f"d-{item.id}", "") for item in step.items if item.id in ticked}

    def refused(problems: Mapping[str, str]) -> HTMLResponse:
        """The same answers asked again, each problem beside its question, every answer kept."""
        page = _step_page(
            step,
            answers,
            DETAIL,
            ticked=ticked,
            details=details,
            clearance=form.get("clearance", ""),
            ask_clearance=_may_need_clearance(step, ticked),
            problems=problems,
        )
        return _render_step(request, page, 400)

    try:
        answers |= step_answers(step, ticked, details)
    except StepError as error:
        return refused(
            {
                key: "Choose one of the answers."
                for key in ticked
                if details.get(key, "") not in {a.value for a in _item(step, key).answers}
            }
            or {error.field: error.message}
        )
    clearance = False
    if step is STEPS[-1] and needs_clearance(answers):
        raw = form.get("clearance", "")
        if raw not in ("yes", "no"):
            return refused({"clearance": "Choose yes or no."})
        clearance = raw == "yes"
    stop = stopping_answer(answers)
    if stop is None and step is not STEPS[-1]:
        return _render_step(request, _step_page(STEPS[STEPS.index(step) + 1], answers))
    now = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        verdict = coach.save_screening(screening_from_answers(answers, clearance, now))
    except AnswersNotSaved as not_saved:
        return not_saved_page(request, not_saved)
    if verdict.status is not SafetyStatus.OK or not verdict.routines_allowed:
        return redirect(request, "/safety/result")
    return redirect(request, "/start/goal")


def _item(step: Step, key: str) -> StepItem:
    return next(item for item in step.items if item.id == key)


def _may_need_clearance(step: Step, ticked: frozenset[str]) -> bool:
    """Whether the detail page asks for the clinician's okay: a ticked item that needs it."""
    return step is STEPS[-1] and needs_clearance(dict.fromkeys(ticked, Answer.YES))
