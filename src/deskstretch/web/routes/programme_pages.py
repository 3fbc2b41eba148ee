"""Programmes over weeks: the list, one programme as a printable page (levels, routines and doses,
the rules in words, re-measure weeks, lessons, sources), its TOML file, and starting or stopping
the one the person follows.

The words come from ``coach.plans``, as in ``deskstretch programme show``, so both front ends
say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from deskstretch.catalogue.loader import package_folder
from deskstretch.coach import Coach
from deskstretch.coach.plans import (
    PAIN_RULES,
    level_dose_text,
    level_span_text,
    planned_weeks,
    programme_outline,
    progression_text,
    week_list,
    week_text,
    weeks_text,
    work_text,
)
from deskstretch.core.errors import DeskstretchError, NotFoundError
from deskstretch.core.programme import Level, Programme
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form, FormReader
from deskstretch.web.phrasing import ReviewView, dose_text, review_view, routine_seconds
from deskstretch.web.rendering import Flash, redirect, render

router = APIRouter()


@dataclass(frozen=True)
class Following:
    """The programme the person follows now, and where they are in it."""

    programme_id: str
    name: str
    where: str
    """ "week 2 of 6" or "finished (6 weeks)"; '' when the programme file has gone."""
    is_finished: bool
    review: ReviewView | None = None
    """From the programme's last week on: the first week against the last, and the next step."""


def _following(coach: Coach) -> Following | None:
    enrolment = coach.enrolment()
    if enrolment is None:
        return None
    try:
        today = coach.programme_today()
    except DeskstretchError:  # its file was removed or broken: say so, and still allow a stop
        return Following(enrolment.programme_id, enrolment.programme_id, "", False)
    if today is None:
        return None
    standing = today.standing
    review = None
    if standing.week >= standing.weeks:
        review = review_view(coach.programme_review(), finished=standing.is_finished)
    return Following(
        enrolment.programme_id,
        today.programme.name,
        week_text(standing),
        standing.is_finished,
        review,
    )


# -- the list --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeCard:
    programme: Programme
    outline: str
    own: bool
    is_followed: bool


@dataclass(frozen=True)
class ProgrammesPage:
    cards: tuple[ProgrammeCard, ...]
    following: Following | None
    programmes_dir: str
    problems: tuple[str, ...]


@router.get("/programmes", response_class=HTMLResponse)
def programmes(request: Request, coach: CoachDep) -> HTMLResponse:
    found = coach.programme_set
    following = _following(coach)
    followed = following.programme_id if following else ""
    cards = tuple(
        ProgrammeCard(p, programme_outline(p), not found.is_built_in(p.id), p.id == followed)
        for p in coach.programmes()
    )
    page = ProgrammesPage(cards, following, str(coach.settings.programmes_dir), found.problems)
    return render(request, "programmes.html", title="Programmes", page=page)


# -- one programme, printable ----------------------------------------------------------------------


@dataclass(frozen=True)
class StepLine:
    exercise_id: str
    name: str
    dose: str


@dataclass(frozen=True)
class RoutineEntry:
    id: str
    name: str
    """'' when the routine's file has gone since the programme was loaded."""
    seconds: float
    work: str
    """Work per muscle group in one playing ("hamstrings 60 s per leg")."""
    steps: tuple[StepLine, ...]


@dataclass(frozen=True)
class LevelEntry:
    level: Level
    when: str
    dose: str
    routines: tuple[RoutineEntry, ...]


@dataclass(frozen=True)
class LessonLine:
    week: int
    id: str
    title: str
    """'' for a lesson id the lessons do not know."""
    minutes: int
    is_read: bool


@dataclass(frozen=True)
class ProgrammePage:
    programme: Programme
    outline: str
    weeks: str
    remeasure: str
    origin: str
    levels: tuple[LevelEntry, ...]
    progression: str
    pain_rules: str
    lessons: tuple[LessonLine, ...]
    following: Following | None
    has_file: bool

    @property
    def is_followed(self) -> bool:
        return self.following is not None and self.following.programme_id == self.programme.id


def _routine_entry(coach: Coach, routine_id: str) -> RoutineEntry:
    routine = coach.routine_set.routines.get(routine_id)
    if routine is None:
        return RoutineEntry(routine_id, "", 0.0, "", ())
    steps = tuple(
        StepLine(step.exercise.id, step.exercise.name, dose_text(step.dose, step.exercise))
        for step in routine.steps
    )
    return RoutineEntry(
        routine.id, routine.name, routine_seconds(routine), work_text(routine), steps
    )


def _lesson_lines(coach: Coach, programme: Programme) -> tuple[LessonLine, ...]:
    by_id = {lesson.id: lesson for lesson in coach.lessons()}
    read = set(coach.lessons_read())
    lines = []
    for week, lesson_id in sorted(programme.lessons, key=lambda pair: pair[0]):
        lesson = by_id.get(lesson_id)
        title, minutes = (lesson.title, lesson.minutes) if lesson else ("", 0)
        lines.append(LessonLine(week, lesson_id, title, minutes, lesson_id in read))
    return tuple(lines)


def _programme_file(coach: Coach, programme_id: str) -> Path | None:
    origin = coach.programme_set.origins.get(programme_id)
    if origin is None:
        return None
    path = (
        package_folder("programmes") / f"{programme_id}.toml"
        if coach.programme_set.is_built_in(programme_id)
        else Path(origin)
    )
    return path if path.is_file() else None


@router.get("/programmes/{programme_id}.toml")
def programme_toml(coach: CoachDep, programme_id: str) -> FileResponse:
    """The programme's own TOML file, to hand over, copy or change (docs/programme-format.md)."""
    path = _programme_file(coach, programme_id)
    if path is None:
        raise NotFoundError("programme file", programme_id, ())
    return FileResponse(
        path, media_type="application/toml; charset=utf-8", filename=f"{programme_id}.toml"
    )


@router.get("/programmes/{programme_id}", response_class=HTMLResponse)
def programme_detail(request: Request, coach: CoachDep, programme_id: str) -> Response:
    programme = coach.find_programme(programme_id)
    if programme.id != programme_id:  # another spelling: show the one true address
        return RedirectResponse(f"/programmes/{quote(programme.id)}", status_code=308)
    found = coach.programme_set
    levels = tuple(
        LevelEntry(
            level,
            level_span_text(level, span),
            level_dose_text(level),
            tuple(_routine_entry(coach, routine_id) for routine_id in level.routines),
        )
        for level, span in zip(programme.levels, planned_weeks(programme), strict=True)
    )
    page = ProgrammePage(
        programme=programme,
        outline=programme_outline(programme),
        weeks=weeks_text(programme.weeks),
        remeasure=week_list(programme.remeasure_weeks),
        origin="built-in" if found.is_built_in(programme.id) else found.origins[programme.id],
        levels=levels,
        progression=progression_text(programme.progression),
        pain_rules=PAIN_RULES,
        lessons=_lesson_lines(coach, programme),
        following=_following(coach),
        has_file=_programme_file(coach, programme.id) is not None,
    )
    return render(request, "programme.html", title=programme.name, page=page)


# -- following one ---------------------------------------------------------------------------------


@router.post("/programmes/{programme_id}/start")
def start_programme(
    request: Request, coach: CoachDep, programme_id: str, form: Form
) -> RedirectResponse:
    """Follow ``programme_id`` from today, at the ``level`` chosen (1 when not given). Starting
    the one already followed again (week 1 once more) needs ``again=yes``, so a form sent twice
    never throws away the weeks done."""
    programme = coach.find_programme(programme_id)
    reader = FormReader(form, f"/programmes/{programme.id}", "Programme not started")
    level = reader.whole_number("level", "Start at level", 1, len(programme.levels))
    reader.check()
    following = _following(coach)
    again = form.get("again") == "yes"
    if following is not None and following.programme_id == programme.id and not again:
        where = f": {following.where}" if following.where else ""
        return redirect(request, "/", Flash(f"You are already following {programme.name}{where}."))
    enrolment = coach.start_programme(programme.id, level=level or 1)
    flashes = []
    if following is not None and following.programme_id != programme.id:
        flashes.append(Flash(f"Stopped {following.name}."))
    started = enrolment.started_on
    flashes.append(
        Flash(f"You are following {programme.name}, from {started:%A} {started.day} {started:%B}.")
    )
    return redirect(request, "/", *flashes)


@router.post("/programme/stop")
def stop_programme(request: Request, coach: CoachDep) -> RedirectResponse:
    """Stop following the programme; sessions and check-ins stay."""
    ended = coach.stop_programme()
    if ended is None:
        return redirect(request, "/programmes", Flash("You are not following a programme."))
    stopped = coach.programme_set.programmes.get(ended.programme_id)
    name = stopped.name if stopped is not None else ended.programme_id
    return redirect(
        request,
        "/programmes",
        Flash(f"Stopped {name}. Your sessions and check-ins stay in your history."),
    )
