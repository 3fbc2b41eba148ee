"""Short lessons: the list with what has been read, one lesson (key points and sources), and
marking it read.

A lesson is marked read by its "Mark as read" button (a POST), not by opening it: a GET changes
nothing (a link preview, a prefetch or a crawler opening every page would otherwise mark them all
read), and pressing the button at the end of the text is a truer "I have read this" than a glance.
The terminal's ``deskstretch lesson ID`` marks it when shown, as a command is a deliberate act.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from deskstretch.catalogue.lessons import Lesson
from deskstretch.coach import Coach
from deskstretch.web.deps import CoachDep
from deskstretch.web.rendering import Flash, redirect, render

router = APIRouter()


def _next_unread(lessons: tuple[Lesson, ...], read: tuple[str, ...]) -> Lesson | None:
    """The first lesson not read yet, in reading order (the terminal suggests the same)."""
    return next((lesson for lesson in lessons if lesson.id not in read), None)


def _programme_weeks(coach: Coach) -> dict[str, int]:
    """Lesson id -> the week of the followed programme that offers it (none when not following)."""
    enrolment = coach.enrolment()
    programme = coach.programme_set.programmes.get(enrolment.programme_id) if enrolment else None
    if programme is None:
        return {}
    weeks: dict[str, int] = {}
    for week, lesson_id in sorted(programme.lessons, key=lambda pair: pair[0]):
        weeks.setdefault(lesson_id, week)
    return weeks


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    is_read: bool
    week: int | None
    """The week of the person's programme that offers it, if it does."""


@dataclass(frozen=True)
class LessonsPage:
    rows: tuple[LessonRow, ...]
    next_unread: Lesson | None

    @property
    def read_count(self) -> int:
        return sum(row.is_read for row in self.rows)


@router.get("/lessons", response_class=HTMLResponse)
def lessons(request: Request, coach: CoachDep) -> HTMLResponse:
    every = coach.lessons()
    read = coach.lessons_read()
    weeks = _programme_weeks(coach)
    rows = tuple(LessonRow(lesson, lesson.id in read, weeks.get(lesson.id)) for lesson in every)
    page = LessonsPage(rows, _next_unread(every, read))
    return render(request, "lessons.html", title="Short lessons", page=page)


@dataclass(frozen=True)
class LessonPage:
    lesson: Lesson
    is_read: bool
    week: int | None
    next_unread: Lesson | None
    """The next lesson to read after this one (never this one)."""


@router.get("/lessons/{lesson_id}", response_class=HTMLResponse)
def lesson_detail(request: Request, coach: CoachDep, lesson_id: str) -> Response:
    lesson = coach.find_lesson(lesson_id)
    if lesson.id != lesson_id:  # another spelling: show the one true address
        return RedirectResponse(f"/lessons/{quote(lesson.id)}", status_code=308)
    read = coach.lessons_read()
    others = tuple(other for other in coach.lessons() if other.id != lesson.id)
    page = LessonPage(
        lesson,
        lesson.id in read,
        _programme_weeks(coach).get(lesson.id),
        _next_unread(others, read),
    )
    return render(request, "lesson.html", title=lesson.title, page=page)


@router.post("/lessons/{lesson_id}/read")
def mark_read(request: Request, coach: CoachDep, lesson_id: str) -> RedirectResponse:
    lesson = coach.find_lesson(lesson_id)
    newly = coach.mark_lesson_read(lesson.id)
    done = "Marked as read." if newly else "Already read."
    if _next_unread(coach.lessons(), coach.lessons_read()) is None:
        done += " You have read every lesson."
    # Back to the lesson: it now says so, and links the next one to read.
    return redirect(request, f"/lessons/{quote(lesson.id)}", Flash(done))
