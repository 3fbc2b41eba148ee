"""``lesson``: the short lessons listed with what has been read, and one lesson in a Rich panel
(marked read unless the person only wants to look)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from deskstretch.catalogue.lessons import Lesson
from deskstretch.cli.render import _bullets, _sources  # the cli's shared list layouts
from deskstretch.coach import Coach


def _console() -> Console:
    return Console(highlight=False)


def _read_time(lesson: Lesson) -> str:
    return f"{lesson.minutes} min"


def _next_unread(lessons: tuple[Lesson, ...], read: tuple[str, ...]) -> Lesson | None:
    return next((lesson for lesson in lessons if lesson.id not in read), None)


def lesson_list(coach: Coach) -> None:
    """Every lesson with its read time and whether it has been read, then what to read next."""
    lessons = coach.lessons()
    read = coach.lessons_read()
    table = Table(title="Short lessons", title_justify="left")
    table.add_column("Read", no_wrap=True)
    table.add_column("Id", no_wrap=True)
    table.add_column("Lesson")
    table.add_column("Time", no_wrap=True, justify="right")
    for lesson in lessons:
        done = lesson.id in read
        table.add_row(
            Text("✓ read" if done else "· not yet", style="green" if done else "bold"),
            lesson.id,
            Text(lesson.title, style="dim" if done else ""),
            _read_time(lesson),
        )
    console = _console()
    console.print(table)
    count = sum(lesson.id in read for lesson in lessons)
    console.print(f"{count} of {len(lessons)} read.", end=" ")
    upcoming = _next_unread(lessons, read)
    if upcoming is None:
        console.print("Read any again: deskstretch lesson ID.")
    else:
        console.print(f"Next: deskstretch lesson {upcoming.id}")


def lesson_detail(coach: Coach, lesson_id: str, mark: bool) -> None:
    """One lesson in a panel with its key points and sources; marks it read when ``mark``."""
    lesson = coach.find_lesson(lesson_id)
    parts: list[RenderableType] = [Text(f"About {lesson.minutes} min to read", style="dim")]
    for paragraph in lesson.paragraphs:
        parts += [Text(""), Text(paragraph)]
    parts += [Text("\nKey points", style="bold"), _bullets(lesson.key_points)]
    parts += [Text("\nSources", style="bold"), _sources(lesson.sources)]
    console = _console()
    console.print(Panel(Group(*parts), title=lesson.title, title_align="left"))
    if not mark:
        console.print("Not marked as read (--no-mark).")
        return
    newly = coach.mark_lesson_read(lesson.id)
    console.print("Marked as read." if newly else "Already read.", end=" ")
    upcoming = _next_unread(coach.lessons(), coach.lessons_read())
    if upcoming is None:
        console.print("You have read every lesson.")
    else:
        console.print(f"Next: deskstretch lesson {upcoming.id}")
