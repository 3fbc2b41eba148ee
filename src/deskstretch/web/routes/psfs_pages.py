"""Your everyday activities in the browser (the Patient-Specific Functional Scale): the list, add
one, stop rating one, rate each 0-10 with the last rating beside it, and what changed since the
first rating by the PSFS rule (core/outcomes.py).

Thin over the Coach. A form with a problem comes back on the same page, the problem beside its
field and every typed value kept (status 422); a saved form redirects with what was saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from deskstretch.coach import Coach
from deskstretch.coach.measurements import (
    MAX_ACTIVE_ACTIVITIES,
    MIN_RATED_ACTIVITIES,
    MeasurementError,
)
from deskstretch.coach.scores import InstrumentSummary
from deskstretch.core.outcomes import (
    PSFS_ACTIVITY_POINTS,
    PSFS_MEAN_MIN_ACTIVITIES,
    PSFS_MEAN_POINTS,
)
from deskstretch.core.records import ACTIVITY_NAME_MAX_CHARS, Instrument, QuestionnaireResult
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form, Problem, shown
from deskstretch.web.rendering import Flash, number, redirect, render

router = APIRouter()

PSFS_URL = "/measure/psfs"
RATING_HINT = "0 = unable to do it, 10 = able to do it as well as before your back problem"
PSFS_RULE = (
    f"A real change: your average moves by {PSFS_MEAN_POINTS:g} points or more"
    f" ({PSFS_ACTIVITY_POINTS:g} when fewer than {PSFS_MEAN_MIN_ACTIVITIES} activities are"
    f" compared), or one activity by {PSFS_ACTIVITY_POINTS:g} points or more (Stratford et al."
    " 1995)."
)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _local_day(result: QuestionnaireResult, tz: tzinfo) -> date:
    return result.at.astimezone(tz).date()


@dataclass(frozen=True)
class ActivityRow:
    id: str
    name: str
    field: str
    """The rating field's name (and id): ``rating-<activity id>``."""
    value: str
    """What the person typed, kept when the form comes back with a problem."""
    previous: int | None
    """The activity's rating last time, if it was rated."""
    problem: str = ""


@dataclass(frozen=True)
class PsfsPage:
    activities: tuple[ActivityRow, ...]
    can_add: bool
    new_name: str
    name_problem: str
    list_problem: str
    """A problem with the list itself (an activity no longer on it)."""
    problems: tuple[Problem, ...]
    last_rated: str
    """The day of the last rating, in words ('' before any)."""
    first_rated: str
    change: tuple[str, ...]
    """The latest rating against the first, by the PSFS rule (sentences)."""
    change_note: str
    max_activities: int = MAX_ACTIVE_ACTIVITIES
    min_rated: int = MIN_RATED_ACTIVITIES
    name_max_chars: int = ACTIVITY_NAME_MAX_CHARS
    rating_hint: str = RATING_HINT
    rule: str = PSFS_RULE

    @property
    def can_rate(self) -> bool:
        return len(self.activities) >= self.min_rated


def _summary_of(coach: Coach, instrument: Instrument) -> InstrumentSummary | None:
    found = [q for q in coach.progress_summary().questionnaires if q.instrument is instrument]
    return found[0] if found else None


def _psfs_page(
    coach: Coach,
    typed: Mapping[str, str] | None = None,
    problems: tuple[Problem, ...] = (),
    new_name: str = "",
) -> PsfsPage:
    activities = coach.psfs_activities()
    ratings = coach.psfs_ratings()
    tz = coach.local_tz()
    wrong = {problem.field: problem.message for problem in problems}
    latest = ratings[-1] if ratings else None

    def previous(activity_id: str) -> int | None:
        for rating in reversed(ratings):
            value = rating.answers.get(activity_id)
            if value is not None:
                return value
        return None

    rows = tuple(
        ActivityRow(
            a.id,
            a.name,
            f"rating-{a.id}",
            (typed or {}).get(f"rating-{a.id}", "").strip(),
            previous(a.id),
            wrong.get(f"rating-{a.id}", ""),
        )
        for a in activities
    )
    # The first rating against the latest, as Progress and the report judge it (PSFS rule).
    summary = _summary_of(coach, Instrument.PSFS)
    change: tuple[str, ...] = ()
    note = ""
    if summary is not None and summary.psfs is not None:
        change = (summary.psfs.mean.sentence, *(a.sentence for a in summary.psfs.activities))
    elif summary is not None:
        note = summary.note or "One rating so far: your next one is compared with it."
    return PsfsPage(
        activities=rows,
        can_add=len(activities) < MAX_ACTIVE_ACTIVITIES,
        new_name=new_name,
        name_problem=wrong.get("activity_name", ""),
        list_problem=wrong.get("activities", ""),
        problems=problems,
        last_rated=_day(_local_day(latest, tz)) if latest else "",
        first_rated=_day(_local_day(ratings[0], tz)) if ratings else "",
        change=change,
        change_note=note,
    )


def _psfs_problem(
    request: Request,
    coach: Coach,
    problems: tuple[Problem, ...],
    typed: Mapping[str, str] | None = None,
    new_name: str = "",
) -> HTMLResponse:
    page = _psfs_page(coach, typed, problems, new_name)
    return render(
        request, "psfs.html", title="Not saved: your activities", page=page, status_code=422
    )


@router.get(PSFS_URL, response_class=HTMLResponse)
def psfs(request: Request, coach: CoachDep) -> HTMLResponse:
    return render(request, "psfs.html", title="Your everyday activities", page=_psfs_page(coach))


@router.post(f"{PSFS_URL}/activities", response_model=None)
def add_activity(request: Request, coach: CoachDep, form: Form) -> Response:
    name = form.get("activity_name", "")
    label = "New activity"
    if not name.strip():
        problem = Problem("activity_name", label, "Type the activity, like 'Putting on socks'.")
        return _psfs_problem(request, coach, (problem,), new_name=name)
    length = len(" ".join(name.split()))
    if length > ACTIVITY_NAME_MAX_CHARS:
        message = f"Keep it to {ACTIVITY_NAME_MAX_CHARS} characters (this has {length})."
        problem = Problem("activity_name", label, message)
        return _psfs_problem(request, coach, (problem,), new_name=name)
    try:
        added = coach.add_psfs_activity(name)
    except MeasurementError as error:
        # The Coach's words name the terminal command; here it is the button beside each one.
        message = error.message.replace(
            "retire one first (`deskstretch psfs retire ID`)", "stop rating one first"
        )
        return _psfs_problem(
            request, coach, (Problem("activity_name", label, message),), None, name
        )
    return redirect(request, PSFS_URL, Flash(f"Added '{added.name}'. Rate it with the others."))


@router.post(f"{PSFS_URL}/retire", response_model=None)
def retire_activity(request: Request, coach: CoachDep, form: Form) -> Response:
    chosen = form.get("activity", "").strip()
    if chosen not in {a.id for a in coach.psfs_activities()}:
        problem = Problem("activities", "Activity", "That activity is not on your list any more.")
        return _psfs_problem(request, coach, (problem,))
    retired = coach.retire_psfs_activity(chosen)
    return redirect(
        request,
        PSFS_URL,
        Flash(f"You no longer rate '{retired.name}'. Its past ratings are kept."),
    )


def _rating(raw: str) -> int | str:
    """A 0-10 rating as typed, or the problem with it in plain words."""
    value = raw.strip()
    if not value:
        return "Enter a whole number from 0 to 10."
    if value.isascii() and value.isdigit() and int(value) <= 10:
        return int(value)
    return f"Enter a whole number from 0 to 10 (you typed {shown(value)})."


@router.post(f"{PSFS_URL}/ratings", response_model=None)
def rate(request: Request, coach: CoachDep, form: Form) -> Response:
    activities = coach.psfs_activities()
    ratings: dict[str, int] = {}
    problems: list[Problem] = []
    for activity in activities:
        field = f"rating-{activity.id}"
        checked = _rating(form.get(field, ""))
        if isinstance(checked, str):
            problems.append(Problem(field, activity.name, checked))
        else:
            ratings[activity.id] = checked
    if not problems and len(activities) < MIN_RATED_ACTIVITIES:
        more = MIN_RATED_ACTIVITIES - len(activities)
        message = (
            "Add an activity first, then rate it."
            if not activities
            else f"Add {more} more {'activity' if more == 1 else 'activities'} first."
        )
        problems.append(Problem("activity_name", "New activity", message))
    if problems:
        return _psfs_problem(request, coach, tuple(problems), form)
    try:
        rated = coach.rate_psfs(ratings)
    except MeasurementError as error:  # an activity retired in another window meanwhile
        return _psfs_problem(
            request, coach, (Problem("activities", "Activity", error.message),), form
        )
    flashes = [Flash(f"Saved: your average is {number(rated.result.score)} out of 10.")]
    if rated.change is not None:
        flashes.append(Flash(f"Since your first rating: {rated.change.sentence}"))
    elif rated.note:
        flashes.append(Flash(rated.note))
    return redirect(request, PSFS_URL, *flashes)
