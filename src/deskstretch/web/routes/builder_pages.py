"""The routine builder: a new routine, an edit of the person's own, or a copy of a built-in.

One form holds the whole routine; its buttons (``action=up:3`` ...) re-render the page with the
change, so it all works without JavaScript. Saving checks the form with the routine file's own
schema and loader, then the Coach writes the documented TOML into the routines folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from deskstretch.catalogue.schema import SLUG
from deskstretch.catalogue.user_routines import RoutineIdTaken, save_target
from deskstretch.coach import Coach
from deskstretch.core.errors import DeskstretchError, NotFoundError
from deskstretch.core.models import Exercise, Position, Routine
from deskstretch.core.wording import group_label
from deskstretch.web.builder_form import (
    MAX_STEPS,
    ROUTINE_BOUNDS,
    STEP_BOUNDS,
    RoutineDraft,
    StepDraft,
    copy_id,
    describe_length,
    parse_action,
    slug,
)
from deskstretch.web.builder_problems import FIELD_LABELS, form_order, plain_problem, problem_label
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import FormInvalid, Problem, sentence
from deskstretch.web.phrasing import dose_text, left_out_reason
from deskstretch.web.play_lock import play_lock
from deskstretch.web.rendering import Flash, redirect, render

router = APIRouter()
MAX_FORM_FIELDS = 40 + 10 * MAX_STEPS


async def _read_builder_form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    await form.close()
    return values


BuilderForm = Annotated[dict[str, str], Depends(_read_builder_form)]


# -- the builder page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepView:
    index: int
    draft: StepDraft
    exercise: Exercise | None
    usual_dose: str
    safety: str
    """Why the person's safety answers change this step when it plays, or ''."""

    @property
    def title(self) -> str:
        return self.exercise.name if self.exercise else self.draft.exercise

    @property
    def is_unilateral(self) -> bool:
        return self.exercise is not None and self.exercise.is_unilateral

    @property
    def context(self) -> str:
        """Whose field this is, for a screen reader: 'step 2, Seated hamstring hinge'."""
        return f"step {self.index + 1}, {self.title}"

    @property
    def per(self) -> str:
        return f" per {self.exercise.side_noun}" if self.exercise and self.is_unilateral else ""


@dataclass(frozen=True)
class ExerciseChoice:
    exercise: Exercise
    label: str


@dataclass(frozen=True)
class BuilderPage:
    heading: str
    action: str
    mode: Literal["new", "copy", "edit"]
    draft: RoutineDraft
    steps: tuple[StepView, ...]
    groups: tuple[tuple[str, tuple[ExerciseChoice, ...]], ...]
    problems: tuple[Problem, ...]
    total_text: str
    length_note: str
    length_ok: bool
    file_path: str = ""
    focus: str = ""
    add_exercise: str = ""
    max_steps: int = MAX_STEPS
    step_bounds: dict[str, tuple[float, float]] | None = None
    routine_bounds: dict[str, tuple[float, float]] | None = None

    def problem(self, name: str) -> str:
        return next((p.message for p in self.problems if p.field == name), "")

    @property
    def anchors(self) -> dict[str, str]:
        """Where the summary links for problems that have no field of their own: the sources
        (kept unchanged, listed below the form)."""
        return {p.field: "sources-heading" for p in self.problems if p.field.startswith("sources-")}

    @property
    def id_hint(self) -> str:
        return id_hint(self.draft)


def id_hint(draft: RoutineDraft) -> str:
    made = "" if draft.id else slug(draft.name)
    hint = "Names the file: lowercase letters, digits and dashes."
    return f"{hint} Leave it empty to use “{made}”." if made else hint


def _check(
    coach: Coach, draft: RoutineDraft, replacing: str | None, final: bool
) -> tuple[Routine | None, list[tuple[str, str]], float | None]:
    """The routine (when it is complete and valid), the problems by form field (in plain words),
    and its length."""
    check = draft.check(coach.catalogue, final=final)
    problems = [plain_problem(p, draft, check.total_seconds) for p in check.problems]
    chosen = draft.chosen_id or ""
    if chosen and not any(name == "id" for name, _ in problems) and re.match(SLUG, chosen):
        try:
            save_target(coach.routine_set, coach.settings.routines_dir, chosen, replacing)
        except RoutineIdTaken as taken:
            problems.append(("id", sentence(taken.message)))
    routine = check.loaded.routine if check.loaded and not problems else None
    return routine, problems, check.total_seconds


def _groups(coach: Coach) -> tuple[tuple[str, tuple[ExerciseChoice, ...]], ...]:
    tags = coach.active_tags()
    groups = []
    for position in Position:
        choices = []
        for exercise in coach.exercises(position):
            label = f"{exercise.code} {exercise.name} ({group_label(exercise.muscle_group)})"
            label += f": {dose_text(exercise.dose, exercise)}"
            if left_out_reason(exercise, tags):
                label += " – not suitable for you"
            choices.append(ExerciseChoice(exercise, label))
        groups.append((position.value.capitalize(), tuple(choices)))
    return tuple(groups)


def _step_views(coach: Coach, draft: RoutineDraft, routine: Routine | None) -> list[StepView]:
    tags = coach.active_tags()
    changes = {}
    if routine is not None:
        changes = {c.exercise.id: c.reason for c in coach.adapt(routine).changes}
    views = []
    for index, step in enumerate(draft.steps):
        try:
            exercise: Exercise | None = coach.find_exercise(step.exercise)
        except NotFoundError:
            exercise = None
        usual = dose_text(exercise.dose, exercise) if exercise else ""
        safety = ""
        if exercise is not None:
            safety = changes.get(exercise.id) or left_out_reason(exercise, tags)
        views.append(StepView(index, step, exercise, usual, safety))
    return views


def _builder(
    request: Request,
    coach: Coach,
    draft: RoutineDraft,
    *,
    mode: Literal["new", "copy", "edit"],
    action: str,
    heading: str,
    replacing: str | None = None,
    final: bool = False,
    extra: tuple[Problem, ...] = (),
    focus: str = "",
    add_exercise: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    routine, found, total = _check(coach, draft, replacing, final)
    views = _step_views(coach, draft, routine)
    found.sort(key=lambda problem: form_order(problem[0]))
    titles = {view.index: view.title for view in views}
    problems = extra + tuple(Problem(n, problem_label(n, draft, titles), m) for n, m in found)
    total_text, note, ok = describe_length(total, bool(draft.steps))
    file_path = ""
    if mode == "edit" and replacing is not None:
        file_path = coach.routine_set.routines[replacing].origin
    page = BuilderPage(
        heading,
        action,
        mode,
        draft,
        tuple(views),
        _groups(coach),
        problems,
        total_text,
        note,
        ok,
        file_path,
        focus,
        add_exercise,
        step_bounds=STEP_BOUNDS,
        routine_bounds=ROUTINE_BOUNDS,
    )
    return render(
        request, "routine_builder.html", title=heading, page=page, status_code=status_code
    )


@router.get("/routines/new", response_class=HTMLResponse)
def new_routine(request: Request, coach: CoachDep, exercise: str = "") -> HTMLResponse:
    draft = RoutineDraft()
    if exercise:
        draft = draft.with_step(coach.find_exercise(exercise))
    return _builder(
        request, coach, draft, mode="new", action="/routines/new", heading="New routine"
    )


@router.get("/routines/{routine_id}/edit", response_class=HTMLResponse)
def edit_routine(request: Request, coach: CoachDep, routine_id: str) -> HTMLResponse:
    routine = coach.routine_set.routines.get(routine_id)
    if routine is None:
        raise NotFoundError("routine", routine_id)
    draft = RoutineDraft.of(routine)
    if routine.origin == "built-in":
        copy = replace(draft, id=copy_id(coach, routine_id), name=f"{routine.name} (my copy)"[:80])
        heading = f"Copy of {routine.name}"
        return _builder(request, coach, copy, mode="copy", action="/routines/new", heading=heading)
    action = f"/routines/{routine_id}/edit"
    heading = f"Edit {routine.name}"
    return _builder(
        request, coach, draft, mode="edit", action=action, heading=heading, replacing=routine_id
    )


def _submit(
    request: Request, coach: Coach, form: dict[str, str], replacing: str | None
) -> Response:
    """One press of a builder button: change the draft, re-render it, or save it."""
    draft = RoutineDraft.from_form(form)
    mode: Literal["new", "edit"] = "edit" if replacing else "new"
    action_url = f"/routines/{replacing}/edit" if replacing else "/routines/new"
    parsed = parse_action(form.get("action", "update"), len(draft.steps))
    if parsed is None:
        problem = Problem("action", "Button", "that button is not one of this form's")
        raise FormInvalid((problem,), action_url, "That did not work")
    action, index = parsed
    extra: tuple[Problem, ...] = ()
    focus = ""
    add_choice = form.get("add_exercise", "").strip()
    if action == "add":
        draft, extra, focus = _add(coach, draft, add_choice)
        add_choice = add_choice if extra else ""  # added: the list starts afresh
    elif action == "remove":
        draft, focus = draft.without_step(index), "steps-heading"
    elif action in ("up", "down"):
        target = index - 1 if action == "up" else index + 1
        draft = draft.moved(index, -1 if action == "up" else 1)
        focus = f"steps-{target}-{action}"
    heading = f"Edit {coach.routine_set.routines[replacing].name}" if replacing else "New routine"
    if action == "save":
        routine, _, _ = _check(coach, draft, replacing, final=True)
        if routine is not None:
            return _save(request, coach, routine, replacing)
    failed = bool(extra) or action == "save"
    return _builder(
        request,
        coach,
        draft,
        mode=mode,
        action=action_url,
        heading=heading,
        replacing=replacing,
        final=action == "save",
        extra=extra,
        focus="problems" if failed else focus,
        add_exercise=add_choice,
        status_code=422 if failed else 200,
    )


def _add(
    coach: Coach, draft: RoutineDraft, choice: str
) -> tuple[RoutineDraft, tuple[Problem, ...], str]:
    label = FIELD_LABELS["add_exercise"]
    if len(draft.steps) >= MAX_STEPS:
        message = f"A routine made here has at most {MAX_STEPS} steps."
        return draft, (Problem("add_exercise", label, message),), ""
    if not choice:
        return draft, (Problem("add_exercise", label, "Choose an exercise first."),), ""
    try:
        exercise = coach.find_exercise(choice)
    except NotFoundError as missing:
        return draft, (Problem("add_exercise", label, missing.message),), ""
    return draft.with_step(exercise), (), f"steps-{len(draft.steps)}-title"


def _save(request: Request, coach: Coach, routine: Routine, replacing: str | None) -> Response:
    path = coach.save_routine(routine, replacing)
    play = (f"/play/{routine.id}", "Play it") if play_lock(coach) is None else ("", "")
    flash = Flash(f"Saved '{routine.name}' as {path.name}.", "info", *play)
    return redirect(request, f"/routines#routine-{routine.id}", flash)


@router.post("/routines/new")
def create_routine(request: Request, coach: CoachDep, form: BuilderForm) -> Response:
    return _submit(request, coach, form, None)


@router.post("/routines/{routine_id}/edit")
def change_routine(
    request: Request, coach: CoachDep, form: BuilderForm, routine_id: str
) -> Response:
    if routine_id not in coach.routine_set.routines:
        raise NotFoundError("routine", routine_id)
    if coach.routine_set.routines[routine_id].origin == "built-in":
        raise DeskstretchError(
            "Built-in routines cannot be changed. Use Copy and edit to make your own version."
        )
    return _submit(request, coach, form, routine_id)


@router.post("/routines/preview")
def previewdescribe_length(coach: CoachDep, form: BuilderForm) -> JSONResponse:
    """The length of the routine in the form (for the page's script: a live total)."""
    draft = RoutineDraft.from_form(form)
    check = draft.check(coach.catalogue, final=False)
    total_text, note, ok = describe_length(check.total_seconds, bool(draft.steps))
    body = {"total": total_text, "note": note, "in_range": ok, "id_hint": id_hint(draft)}
    return JSONResponse(body)
