"""The first run's last two parts in the browser: your goal, and "Your plan" with one button
to start the first session. The welcome and the safety steps are in first_run_pages.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from deskstretch.coach import Coach
from deskstretch.coach.first_run import (
    DEFAULT_PROGRAMME,
    MAX_GOAL_ACTIVITIES,
    Goal,
    GoalError,
    first_plan,
    remeasure_sentence,
    save_goal,
)
from deskstretch.coach.plans import level_text, programme_outline, week_text
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.models import Exercise
from deskstretch.core.records import (
    ACTIVITY_NAME_MAX_CHARS,
    MEASUREMENT_RANGES_CM,
    MeasurementKind,
)
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Filled, Form, FormReader, Problem
from deskstretch.web.play_lock import PlayLock, play_lock
from deskstretch.web.reminder_views import BreaksCard, breaks_card
from deskstretch.web.rendering import redirect, render

router = APIRouter()
REACH_RANGE_CM = MEASUREMENT_RANGES_CM[MeasurementKind.CHAIR_SIT_AND_REACH]


# -- the goal ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalPage:
    values: Mapping[str, str]
    problems: tuple[Problem, ...]
    rows: int
    name_chars: int
    programmes: tuple[tuple[str, str], ...]
    """(id, name) of the programmes to choose from, when there is more than one."""
    reach_allowed: bool

    def problem(self, name: str) -> str:
        return next((p.message for p in self.problems if p.field == name), "")

    @property
    def form(self) -> Filled:
        """The form as typed, for the shared field macros."""
        return Filled(self.values, self.problems)


def _goal_page(
    coach: Coach, values: Mapping[str, str], problems: tuple[Problem, ...] = ()
) -> GoalPage:
    programmes = tuple((p.id, p.name) for p in coach.programmes())
    return GoalPage(
        values,
        problems,
        MAX_GOAL_ACTIVITIES,
        ACTIVITY_NAME_MAX_CHARS,
        programmes if len(programmes) > 1 else (),
        "osteoporosis" not in coach.active_tags(),
    )


def _not_ready(coach: Coach) -> Response | None:
    """Where to go instead of the goal: the safety steps first, or the verdict when locked."""
    if coach.needs_screening():
        return RedirectResponse("/start/safety", status_code=303)
    if not coach.verdict().routines_allowed:
        return RedirectResponse("/safety/result", status_code=303)
    return None


@router.get("/start/goal", response_model=None)
def goal(request: Request, coach: CoachDep) -> Response:
    elsewhere = _not_ready(coach)
    if elsewhere is not None:
        return elsewhere
    return render(request, "start_goal.html", title="Your goal", page=_goal_page(coach, {}))


def _read_goal(form: Mapping[str, str], coach: Coach) -> Goal | tuple[Problem, ...]:
    reader = FormReader(form, "/start/goal", "Your goal was not saved")
    activities: list[tuple[str, int]] = []
    for number in range(1, MAX_GOAL_ACTIVITIES + 1):
        name = reader.text(f"activity-{number}", f"Activity {number}", ACTIVITY_NAME_MAX_CHARS)
        rating = reader.whole_number(f"rating-{number}", f"Rating of activity {number}", 0, 10)
        if name and rating is None and not form.get(f"rating-{number}", "").strip():
            reader.problem(f"rating-{number}", f"Rating of activity {number}", "choose 0 to 10")
        elif rating is not None and not name:
            reader.problem(
                f"activity-{number}", f"Activity {number}", "name the activity you rated"
            )
        elif name and rating is not None:
            activities.append((name, rating))
    if not activities and not any(
        p.field.startswith(("activity", "rating")) for p in reader.problems
    ):
        reader.problem("activity-1", "Activity 1", "name at least one activity and rate it")
    back = reader.whole_number("back-pain", "Back pain now", 0, 10, required=True)
    leg = reader.whole_number("leg-pain", "Leg pain now", 0, 10, required=True)
    reach = reader.decimal(
        "reach-cm", "Chair sit-and-reach", required=False, within=REACH_RANGE_CM, unit="cm"
    )
    leg_used = None
    if reach is not None:
        leg_used = reader.choice(
            "reach-leg",
            "Which leg was straight",
            {"left": "left", "right": "right"},
            expected="choose the left or the right leg",
        )
    programme_id = form.get("programme", "").strip() or DEFAULT_PROGRAMME
    if reader.problems:
        return tuple(reader.problems)
    assert back is not None and leg is not None  # required: a problem otherwise
    return Goal(tuple(activities), back, leg, reach, leg_used, programme_id)


@router.post("/start/goal", response_model=None)
def save_goal_page(request: Request, coach: CoachDep, form: Form) -> Response:
    elsewhere = _not_ready(coach)
    if elsewhere is not None:
        return elsewhere
    read = _read_goal(form, coach)
    if isinstance(read, tuple):
        page = _goal_page(coach, form, read)
        return render(
            request, "start_goal.html", title="Your goal was not saved", page=page, status_code=422
        )
    try:
        save_goal(coach, read)
    except GoalError as error:
        problem = Problem(error.field, "This answer", error.message)
        page = _goal_page(coach, form, (problem,))
        return render(
            request, "start_goal.html", title="Your goal was not saved", page=page, status_code=422
        )
    except DeskstretchError as error:
        problem = Problem("programme", "Programme", error.message)
        page = _goal_page(coach, form, (problem,))
        return render(
            request, "start_goal.html", title="Your goal was not saved", page=page, status_code=422
        )
    return redirect(request, "/start/plan")


# -- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDay:
    label: str
    session: str
    is_today: bool


@dataclass(frozen=True)
class PlanPage:
    programme_id: str
    name: str
    outline: str
    where: str
    level: str
    aim: str
    routine_id: str
    routine_name: str
    exercises: tuple[Exercise, ...]
    """Today's session's exercises, for their small figures."""
    days: tuple[PlanDay, ...]
    remeasure: str
    lesson: tuple[str, str] | None
    breaks: tuple[str, ...]
    breaks_problem: str
    paused: str
    reminders: BreaksCard | None = None
    """The reminders: the offer to turn them on, or whether they are on."""
    lock: PlayLock | None = None
    """Routines locked (a red flag, a pause): the lock in place of the Start button."""


@router.get("/start/plan", response_model=None)
def plan(request: Request, coach: CoachDep) -> Response:
    try:
        found = first_plan(coach)
    except DeskstretchError:
        found = None  # the programme's file has gone: Today says so and offers a stop
    if found is None:
        return RedirectResponse("/start/goal", status_code=303)
    now, standing = found.today, found.today.standing
    names = coach.routine_set.routines

    def name(routine_id: str) -> str:
        return names[routine_id].name if routine_id in names else routine_id

    days = tuple(
        PlanDay(
            f"{d.day:%A} {d.day.day} {d.day:%B}",
            name(d.routine_id) if d.routine_id else "",
            d.day == standing.today,
        )
        for d in now.plan.days
        if d.day >= standing.today
    )
    lesson = now.unread[0] if now.unread else None
    where = week_text(standing)
    page = PlanPage(
        now.programme.id,
        now.programme.name,
        programme_outline(now.programme),
        where[:1].upper() + where[1:],
        level_text(standing),
        standing.level.aim,
        standing.routine_id,
        name(standing.routine_id),
        tuple(step.exercise for step in names[standing.routine_id].steps)
        if standing.routine_id in names
        else (),
        days,
        remeasure_sentence(now.programme.remeasure_weeks, standing.week),
        (lesson.id, lesson.title) if lesson is not None else None,
        found.breaks,
        found.breaks_problem,
        standing.paused or "",
        reminders=breaks_card(coach),
        lock=play_lock(coach),
    )
    return render(request, "start_plan.html", title="Your plan", page=page)
