"""The safety questions as a form, the verdict page, and the bladder, bowel and leg re-check.

Every question is a yes/no radio group (a fieldset with the question as its legend). A clearable
red flag has a third answer, "yes, and a doctor has checked it", as `deskstretch check` asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from deskstretch.coach import Coach
from deskstretch.core.errors import AnswersNotSaved, DeskstretchError
from deskstretch.core.safety import (
    CAUDA_EQUINA_IDS,
    CONDITION_QUESTIONS,
    RED_FLAG_QUESTIONS,
    RED_FLAGS_BY_ID,
    SCREENING_VERSION,
    SafetyStatus,
    SafetyVerdict,
    Screening,
)
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form, FormInvalid, FormReader, Problem
from deskstretch.web.phrasing import is_urgent, left_out_reason, verdict_heading
from deskstretch.web.rendering import redirect, render
from deskstretch.web.safety_views import ResultPage, not_saved_page

router = APIRouter()
NO, YES, CLEARED = "no", "yes", "cleared"
CLEARED_LABEL = "Yes, and a doctor has checked it and said gentle exercise is fine"


@dataclass(frozen=True)
class Question:
    field: str
    text: str
    answers: tuple[tuple[str, str], ...]
    """(value, label) pairs for the radio buttons."""
    chosen: str
    problem: str = ""


@dataclass(frozen=True)
class SafetyPage:
    verdict: SafetyVerdict
    heading: str
    urgent: bool
    red_flags: tuple[Question, ...]
    conditions: tuple[Question, ...]
    clearance: Question
    problems: tuple[Problem, ...] = ()


def _current_answers(coach: Coach) -> dict[str, str]:
    """The stored answers as form values, so the form opens as the person left it."""
    try:
        screening = coach.screening()
    except DeskstretchError:
        return {}  # damaged answers count as "not answered"
    if screening is None:
        return {}
    answers = {
        f"rf-{key}": (CLEARED if key in screening.red_flags_cleared else YES) if value else NO
        for key, value in screening.red_flags.items()
    }
    answers |= {f"cond-{key}": YES if value else NO for key, value in screening.conditions.items()}
    if any(screening.conditions.values()):
        answers["clearance"] = YES if screening.clearance_confirmed else NO
    return answers


def _questions(
    answers: Mapping[str, str], problems: tuple[Problem, ...]
) -> tuple[tuple[Question, ...], tuple[Question, ...], Question]:
    wrong = {problem.field: problem.message for problem in problems}
    yes_no = ((NO, "No"), (YES, "Yes"))

    def question(field: str, text: str, options: tuple[tuple[str, str], ...]) -> Question:
        return Question(field, text, options, answers.get(field, ""), wrong.get(field, ""))

    red_flags = tuple(
        question(
            f"rf-{q.id}", q.text, (*yes_no, (CLEARED, CLEARED_LABEL)) if q.clearable else yes_no
        )
        for q in RED_FLAG_QUESTIONS
    )
    conditions = tuple(question(f"cond-{q.id}", q.text, yes_no) for q in CONDITION_QUESTIONS)
    clearance = question(
        "clearance",
        "Has your doctor, physiotherapist or midwife said gentle stretching is fine for you?",
        yes_no,
    )
    return red_flags, conditions, clearance


def _page(
    coach: Coach, answers: Mapping[str, str], problems: tuple[Problem, ...] = ()
) -> SafetyPage:
    verdict = coach.verdict()
    red_flags, conditions, clearance = _questions(answers, problems)
    return SafetyPage(
        verdict,
        verdict_heading(verdict),
        is_urgent(verdict),
        red_flags,
        conditions,
        clearance,
        problems,
    )


@router.get("/safety", response_class=HTMLResponse)
def safety(request: Request, coach: CoachDep) -> HTMLResponse:
    page = _page(coach, _current_answers(coach))
    return render(request, "safety.html", title="Safety questions", page=page)


def _screening(form: Mapping[str, str]) -> Screening:
    reader = FormReader(form, "/safety", "Safety answers not saved")
    red_flags: dict[str, bool] = {}
    cleared: set[str] = set()
    for q in RED_FLAG_QUESTIONS:
        options = {NO: NO, YES: YES, **({CLEARED: CLEARED} if q.clearable else {})}
        answer = reader.choice(f"rf-{q.id}", q.text, options)
        red_flags[q.id] = answer in (YES, CLEARED)
        if answer == CLEARED:
            cleared.add(q.id)
    conditions = {q.id: bool(reader.yes_no(f"cond-{q.id}", q.text)) for q in CONDITION_QUESTIONS}
    clearance = False
    if any(conditions[q.id] for q in CONDITION_QUESTIONS if q.needs_clearance):
        clearance = bool(reader.yes_no("clearance", "Your clinician's okay"))
    reader.check()
    return Screening(
        red_flags=red_flags,
        red_flags_cleared=frozenset(cleared),
        conditions=conditions,
        clearance_confirmed=clearance,
        completed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        version=SCREENING_VERSION,
    )


@router.post("/safety", response_model=None)
def save_safety(request: Request, coach: CoachDep, form: Form) -> Response:
    try:
        screening = _screening(form)
    except FormInvalid as invalid:
        # Keep what was answered: a long form must not be lost to one missed question.
        page = _page(coach, form, invalid.problems)
        return render(
            request, "safety.html", title="Safety answers not saved", page=page, status_code=400
        )
    try:
        coach.save_screening(screening)
    except AnswersNotSaved as not_saved:
        return not_saved_page(request, not_saved)
    return redirect(request, "/safety/result")


@router.get("/safety/result", response_model=None)
def safety_result(request: Request, coach: CoachDep) -> Response:
    verdict = coach.verdict()
    if verdict.status is SafetyStatus.NOT_SCREENED:
        return RedirectResponse("/safety", status_code=303)
    tags = coach.active_tags()
    left_out = tuple(
        (exercise, reason)
        for exercise in coach.exercises()
        if (reason := left_out_reason(exercise, tags))
    )
    page = ResultPage(verdict, verdict_heading(verdict), is_urgent(verdict), left_out)
    return render(request, "safety_result.html", title=page.heading, page=page)


@dataclass(frozen=True)
class RecheckPage:
    questions: tuple[Question, ...]


@router.get("/safety/recheck", response_class=HTMLResponse)
def recheck(request: Request) -> HTMLResponse:
    yes_no = ((NO, "No"), (YES, "Yes"))
    questions = tuple(
        Question(f"rf-{key}", RED_FLAGS_BY_ID[key].text, yes_no, "") for key in CAUDA_EQUINA_IDS
    )
    return render(
        request, "recheck.html", title="A few questions again", page=RecheckPage(questions)
    )


@router.post("/safety/recheck", response_model=None)
def save_recheck(request: Request, coach: CoachDep, form: Form) -> Response:
    reader = FormReader(form, "/safety/recheck", "Answers not saved")
    answers = {
        key: bool(reader.yes_no(f"rf-{key}", RED_FLAGS_BY_ID[key].text)) for key in CAUDA_EQUINA_IDS
    }
    reader.check()
    try:
        coach.recheck_cauda_equina(answers)
    except AnswersNotSaved as not_saved:
        return not_saved_page(request, not_saved)
    return redirect(request, "/safety/result")
