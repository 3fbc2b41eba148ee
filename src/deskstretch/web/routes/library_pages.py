"""Library (filters and exercise detail), Routines (play or download the TOML) and Learn pages.

While routines are locked (web/play_lock.py), the lists show the lock instead of Play links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from deskstretch.catalogue.learn import LearnContent, load_learn
from deskstretch.catalogue.loader import package_folder
from deskstretch.core.errors import NotFoundError
from deskstretch.core.models import Exercise, Position, Routine
from deskstretch.core.wording import GROUP_LABELS, group_label
from deskstretch.web.deps import EQUIPMENT, CoachDep
from deskstretch.web.forms import FormReader
from deskstretch.web.phrasing import (
    Figure,
    dose_text,
    exercise_seconds,
    figure_hero,
    figures_for,
    left_out_reason,
    routine_seconds,
    step_text,
)
from deskstretch.web.play_lock import PlayLock, play_lock
from deskstretch.web.rendering import render

router = APIRouter()
MAX_MINUTES = (1, 2, 3, 5)


# -- Library ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseCard:
    exercise: Exercise
    seconds: float
    dose: str
    left_out: str


@dataclass(frozen=True)
class LibraryFilters:
    """The chosen filter values, as the form shows them ('' = any)."""

    position: str
    target: str
    equipment: str
    max_minutes: str

    @property
    def active(self) -> bool:
        return any((self.position, self.target, self.equipment, self.max_minutes))


@dataclass(frozen=True)
class LibraryPage:
    cards: tuple[ExerciseCard, ...]
    filters: LibraryFilters
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    max_minutes: tuple[int, ...]
    total: int


def _targets(exercises: list[Exercise]) -> tuple[str, ...]:
    words = {group_label(e.muscle_group) for e in exercises} | {
        t for e in exercises for t in e.targets
    }
    return tuple(sorted(words))


@router.get("/library", response_class=HTMLResponse)
def library(request: Request, coach: CoachDep) -> HTMLResponse:
    everything = coach.exercises()
    targets = _targets(everything)
    reader = FormReader(request.query_params, "/library", "Those filters do not work")
    position = reader.optional_choice("position", "Position", {p.value: p for p in Position})
    # A stored id such as "low-back" (an older link) still finds its group, under its label.
    named = {t: t for t in targets} | {g: group_label(g) for g in GROUP_LABELS}
    target = reader.optional_choice("target", "Target", named)
    equipment = reader.optional_choice("equipment", "Equipment", {e: e for e in EQUIPMENT})
    limit = reader.optional_choice("max_minutes", "Time", {str(m): m for m in MAX_MINUTES})
    reader.check()
    tags = coach.active_tags()
    cards = tuple(
        ExerciseCard(e, exercise_seconds(e), dose_text(e.dose, e), left_out_reason(e, tags))
        for e in coach.exercises(position, target, equipment)
        if limit is None or exercise_seconds(e) <= limit * 60
    )
    filters = LibraryFilters(
        position.value if position else "",
        target or "",
        equipment or "",
        str(limit) if limit else "",
    )
    page = LibraryPage(cards, filters, targets, EQUIPMENT, MAX_MINUTES, len(everything))
    return render(request, "library.html", title="Library", page=page)


@dataclass(frozen=True)
class ExercisePage:
    exercise: Exercise
    seconds: float
    dose: str
    left_out: str
    figures: tuple[Figure, ...]
    hero: Markup
    easier: tuple[Exercise, ...]
    harder: tuple[Exercise, ...]
    routines: tuple[Routine, ...]
    lock: PlayLock | None = None


@router.get("/library/{exercise_id}", response_class=HTMLResponse)
def exercise_detail(request: Request, coach: CoachDep, exercise_id: str) -> Response:
    exercise = coach.find_exercise(exercise_id)
    if exercise.id != exercise_id:  # a code, a name or a retired id: show the one true address
        return RedirectResponse(f"/library/{quote(exercise.id)}", status_code=308)
    page = ExercisePage(
        exercise,
        exercise_seconds(exercise),
        dose_text(exercise.dose, exercise),
        left_out_reason(exercise, coach.active_tags()),
        figures_for(exercise, size=200),
        figure_hero(exercise),
        tuple(coach.find_exercise(e) for e in exercise.easier),
        tuple(coach.find_exercise(e) for e in exercise.harder),
        tuple(r for r in coach.routines() if exercise.id in r.exercise_ids),
        play_lock(coach),
    )
    return render(request, "exercise.html", title=exercise.name, page=page)


# -- Routines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoutineCard:
    routine: Routine
    seconds: float
    steps: tuple[str, ...]
    own: bool


@dataclass(frozen=True)
class RoutinesPage:
    cards: tuple[RoutineCard, ...]
    routines_dir: str
    problems: tuple[str, ...]
    lock: PlayLock | None = None


@router.get("/routines", response_class=HTMLResponse)
def routines(request: Request, coach: CoachDep) -> HTMLResponse:
    cards = tuple(
        RoutineCard(
            r,
            routine_seconds(r),
            tuple(step_text(s) for s in r.steps),
            r.origin != "built-in",
        )
        for r in coach.routines()
    )
    page = RoutinesPage(
        cards, str(coach.settings.routines_dir), coach.routine_set.problems, play_lock(coach)
    )
    return render(request, "routines.html", title="Routines", page=page)


def _routine_file(routine: Routine) -> Path | None:
    if routine.origin != "built-in":
        return Path(routine.origin)
    path = package_folder("routines") / f"{routine.id}.toml"
    return path if path.is_file() else None


@router.get("/routines/{routine_id}.toml")
def routine_toml(coach: CoachDep, routine_id: str) -> FileResponse:
    """The routine's own TOML file (comments and all), to copy and change."""
    routine = coach.routine_set.routines.get(routine_id)
    path = _routine_file(routine) if routine is not None else None
    if path is None or not path.is_file():
        raise NotFoundError("routine file", routine_id, ())
    return FileResponse(
        path,
        media_type="application/toml; charset=utf-8",
        filename=f"{routine_id}.toml",
    )


# -- Learn -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnPage:
    content: LearnContent

    def paragraphs(self, body: str) -> list[str]:
        return [part.strip() for part in body.split("\n\n") if part.strip()]


@router.get("/learn", response_class=HTMLResponse)
def learn(request: Request) -> HTMLResponse:
    page = LearnPage(load_learn())
    return render(request, "learn.html", title="Learn", page=page)
