"""Back questionnaires in the browser: the ODI, RMDQ and STarT Back asked with the wording the
person keeps as instrument packs in their instruments folder (deskstretch ships none: domain.md
§4.3), each pack's notice first; where there is none, how to add it.

Thin over the Coach. Answers with a problem come back on the same page, the problem beside its
question and every answer kept (status 422); saved answers redirect with the score and the change
since the first result (the questionnaire's own rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from deskstretch.coach import Coach
from deskstretch.coach.measurements import (
    InstrumentPack,
    QuestionnaireError,
    QuestionnaireOutcome,
)
from deskstretch.coach.questionnaires import INSTRUMENT_LABELS, PACK_INSTRUMENTS, pack_path
from deskstretch.coach.scores import INSTRUMENT_RULES, InstrumentSummary
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.outcomes import ODI_MIN_ANSWERED
from deskstretch.core.records import Instrument
from deskstretch.core.wording import plural
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form, Problem
from deskstretch.web.rendering import Flash, number, redirect, render

router = APIRouter()

QUESTIONNAIRES_URL = "/measure/questionnaires"
_SLUGS = {instrument.value: instrument for instrument in PACK_INSTRUMENTS}


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _summary_of(coach: Coach, instrument: Instrument) -> InstrumentSummary | None:
    found = [q for q in coach.progress_summary().questionnaires if q.instrument is instrument]
    return found[0] if found else None


# -- Back questionnaires, with the wording the person keeps ----------------------------------------


@dataclass(frozen=True)
class QuestionnaireRow:
    instrument: Instrument
    slug: str
    name: str
    has_wording: bool
    kept_at: str
    """Where its pack is kept (or would be)."""
    latest: str
    """The latest result in words ('' before any)."""


@dataclass(frozen=True)
class QuestionnairesPage:
    rows: tuple[QuestionnaireRow, ...]
    folder: str


def _latest_text(coach: Coach, instrument: Instrument) -> str:
    summary = _summary_of(coach, instrument)
    if summary is None:
        return ""
    latest = summary.latest
    label = f" ({latest.label})" if latest.label else ""
    return f"{number(latest.score)}{label} on {_day(latest.day)}"


@router.get(QUESTIONNAIRES_URL, response_class=HTMLResponse)
def questionnaires(request: Request, coach: CoachDep) -> HTMLResponse:
    kept = coach.instrument_packs()
    folder = coach.settings.instruments_dir
    rows = tuple(
        QuestionnaireRow(
            instrument,
            instrument.value,
            INSTRUMENT_LABELS[instrument],
            instrument in kept,
            str(pack_path(folder, instrument)),
            _latest_text(coach, instrument),
        )
        for instrument in PACK_INSTRUMENTS
    )
    page = QuestionnairesPage(rows, str(folder))
    return render(request, "questionnaires.html", title="Back questionnaires", page=page)


@dataclass(frozen=True)
class PackQuestionView:
    number: int
    field: str
    text: str
    options: tuple[tuple[str, str], ...]
    """(value, text) pairs; none: a tick box ("this describes me today")."""
    chosen: str
    problem: str = ""


@dataclass(frozen=True)
class QuestionnairePage:
    instrument: Instrument
    slug: str
    name: str
    pack: InstrumentPack | None
    unusable: str
    """Why the kept pack cannot be used (its file, line and field), or ''."""
    kept_at: str
    questions: tuple[PackQuestionView, ...] = ()
    problems: tuple[Problem, ...] = ()
    can_skip: bool = False
    rule: str = ""

    @property
    def has_ticks(self) -> bool:
        """Some items are statements to tick (the RMDQ's), not questions with answers."""
        return any(not question.options for question in self.questions)


def _questionnaire_page(
    coach: Coach,
    instrument: Instrument,
    answers: Mapping[str, str] | None = None,
    problems: tuple[Problem, ...] = (),
) -> QuestionnairePage:
    name = INSTRUMENT_LABELS[instrument]
    kept_at = str(pack_path(coach.settings.instruments_dir, instrument))
    try:
        pack = coach.instrument_pack(instrument)
    except NotFoundError:
        return QuestionnairePage(instrument, instrument.value, name, None, "", kept_at)
    except FileFormatError as error:
        return QuestionnairePage(instrument, instrument.value, name, None, error.message, kept_at)
    wrong = {problem.field: problem.message for problem in problems}
    questions = tuple(
        PackQuestionView(
            number,
            f"item-{q.id}",
            q.text,
            tuple((str(value), text) for value, text in q.options),
            (answers or {}).get(f"item-{q.id}", ""),
            wrong.get(f"item-{q.id}", ""),
        )
        for number, q in enumerate(pack.questions, start=1)
    )
    return QuestionnairePage(
        instrument,
        instrument.value,
        pack.title or name,
        pack,
        "",
        kept_at,
        questions,
        problems,
        can_skip=instrument is Instrument.ODI,
        rule=INSTRUMENT_RULES[instrument] if instrument is not Instrument.STARTBACK else "",
    )


def _instrument(slug: str) -> Instrument:
    if slug not in _SLUGS:
        raise NotFoundError("questionnaire", slug, tuple(_SLUGS))
    return _SLUGS[slug]


@router.get(QUESTIONNAIRES_URL + "/{slug}", response_class=HTMLResponse)
def questionnaire(request: Request, coach: CoachDep, slug: str) -> HTMLResponse:
    page = _questionnaire_page(coach, _instrument(slug))
    status = 404 if page.pack is None and not page.unusable else 200
    return render(request, "questionnaire.html", title=page.name, page=page, status_code=status)


def _read_answers(
    page: QuestionnairePage, form: Mapping[str, str]
) -> tuple[dict[str, int | None], list[Problem]]:
    answers: dict[str, int | None] = {}
    problems: list[Problem] = []
    for question in page.questions:
        item = question.field.removeprefix("item-")
        raw = form.get(question.field, "").strip()
        if not question.options:
            answers[item] = 1 if raw == "1" else 0
            continue
        values = {value for value, _ in question.options}
        if raw in values:
            answers[item] = int(raw)
        elif not raw and page.can_skip:
            answers[item] = None  # an ODI section may be left out
        else:
            message = (
                "Choose one of the answers." if not raw else "Choose one of the answers shown."
            )
            problems.append(Problem(question.field, f"Question {question.number}", message))
    return answers, problems


def _too_few_answered(page: QuestionnairePage, answers: Mapping[str, int | None]) -> list[Problem]:
    """The ODI is scored from at least ODI_MIN_ANSWERED sections: when fewer are answered, each
    left out is marked beside its question (rather than named by its id in one sentence)."""
    asked = [q for q in page.questions if q.options]
    left_out = [q for q in asked if answers.get(q.field.removeprefix("item-")) is None]
    if len(asked) - len(left_out) >= ODI_MIN_ANSWERED:
        return []
    spare = len(asked) - ODI_MIN_ANSWERED
    message = (
        f"Answer this section too: the ODI needs at least {ODI_MIN_ANSWERED} of its"
        f" {len(asked)} sections answered ({plural(spare, 'section')} may be left out)."
    )
    return [Problem(q.field, f"Question {q.number}", message) for q in left_out]


@router.post(QUESTIONNAIRES_URL + "/{slug}", response_model=None)
def save_questionnaire(request: Request, coach: CoachDep, slug: str, form: Form) -> Response:
    instrument = _instrument(slug)
    page = _questionnaire_page(coach, instrument)
    if page.pack is None:
        return render(request, "questionnaire.html", title=page.name, page=page, status_code=400)
    answers, problems = _read_answers(page, form)
    if not problems and page.can_skip:
        problems = _too_few_answered(page, answers)
    outcome: QuestionnaireOutcome | None = None
    if not problems:
        try:
            outcome = coach.record_questionnaire(instrument, answers, page.pack.version)
        except QuestionnaireError as error:
            problems.append(Problem("questions", "Your answers", error.message))
    if outcome is None:
        again = _questionnaire_page(coach, instrument, form, tuple(problems))
        title = f"Not saved: {page.name}"
        return render(request, "questionnaire.html", title=title, page=again, status_code=422)
    return redirect(request, QUESTIONNAIRES_URL, *_outcome_flashes(outcome))


def _outcome_flashes(outcome: QuestionnaireOutcome) -> list[Flash]:
    result = outcome.result
    name = INSTRUMENT_LABELS[result.instrument]
    out_of = {Instrument.ODI: 100, Instrument.RMDQ: 24, Instrument.STARTBACK: 9}[result.instrument]
    label = (
        f" ({result.label} risk group)"
        if result.instrument is Instrument.STARTBACK
        else (f" ({result.label})" if result.label else "")
    )
    flashes = [Flash(f"Saved: {name} {number(result.score)} out of {out_of}{label}.")]
    if outcome.message:
        flashes.append(Flash(outcome.message))
    if result.instrument is Instrument.STARTBACK:
        return flashes
    if outcome.baseline is None:
        flashes.append(Flash("This is your first result: later ones are compared with it."))
    elif outcome.change is not None:
        flashes.append(Flash(f"Since your first result: {outcome.change.sentence}"))
    return flashes
