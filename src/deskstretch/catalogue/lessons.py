"""Load ``lessons.toml``: the short lessons (a 1-2 minute read each, with sources) as frozen
``Lesson`` values, in reading order. Every problem names the file, the line and the field."""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deskstretch.catalogue.loader import package_folder
from deskstretch.catalogue.schema import MAX_ID_CHARS, SLUG, SourceFile
from deskstretch.catalogue.toml_errors import field_path, locate, problems_of, read_toml
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.models import Source

WORDS_PER_MINUTE = 200
"""A common estimate of adult silent reading speed: ``minutes`` is the body's words at this rate,
rounded up, so a lesson never takes longer than it says."""
MAX_MINUTES = 2


@dataclass(frozen=True)
class Lesson:
    """One short lesson. ``id`` is a slug, stable forever: programme files and the record of
    lessons read refer to it."""

    id: str
    title: str
    minutes: int
    paragraphs: tuple[str, ...]
    key_points: tuple[str, ...]
    sources: tuple[Source, ...]

    @property
    def words(self) -> int:
        """Words in the body (the key points repeat it, so they are not counted)."""
        return sum(len(paragraph.split()) for paragraph in self.paragraphs)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LessonFile(_Strict):
    id: str = Field(pattern=SLUG, max_length=MAX_ID_CHARS)
    title: str = Field(min_length=1, max_length=120)
    minutes: int = Field(ge=1, le=MAX_MINUTES)
    body: str = Field(min_length=1, max_length=4000)
    key_points: list[str] = Field(min_length=2, max_length=3)
    sources: list[SourceFile] = Field(min_length=1)


class LessonsFile(_Strict):
    lessons: list[LessonFile] = Field(min_length=1)


def reading_minutes(words: int) -> int:
    """Minutes to read ``words`` at WORDS_PER_MINUTE, rounded up (at least 1)."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def paragraphs_of(body: str) -> tuple[str, ...]:
    """The body's paragraphs (split at blank lines), each on one line."""
    return tuple(" ".join(part.split()) for part in re.split(r"\n\s*\n", body) if part.strip())


def load_lessons(path: Path | None = None) -> tuple[Lesson, ...]:
    """The lessons in ``path`` (the built-in ``lessons.toml`` by default), in file order."""
    if path is None:
        return _builtin_lessons()
    return _load(path)


@functools.cache
def _builtin_lessons() -> tuple[Lesson, ...]:
    # Package data does not change while the program runs: read and check it once.
    return _load(package_folder("lessons.toml"))


def _load(path: Path) -> tuple[Lesson, ...]:
    data, text = read_toml(path)
    try:
        model = LessonsFile.model_validate(data)
    except ValidationError as exc:
        loc, message = problems_of(exc)[0]
        raise FileFormatError(str(path), _line_of(text, loc), field_path(loc), message) from None
    seen: set[str] = set()
    lessons = []
    for index, entry in enumerate(model.lessons):
        if entry.id in seen:
            raise _problem(path, text, ("lessons", index, "id"), f"'{entry.id}' is used twice")
        seen.add(entry.id)
        lesson = _lesson(entry)
        expected = reading_minutes(lesson.words)
        if expected > MAX_MINUTES:
            raise _problem(
                path,
                text,
                ("lessons", index, "body"),
                f"{lesson.words} words is about {expected} minutes to read: a lesson is a"
                f" 1-{MAX_MINUTES} minute read, at most {MAX_MINUTES * WORDS_PER_MINUTE} words",
            )
        if entry.minutes != expected:
            raise _problem(
                path,
                text,
                ("lessons", index, "minutes"),
                f"expected {expected} for {lesson.words} words (about {WORDS_PER_MINUTE} words"
                f" a minute, rounded up), got {entry.minutes}",
            )
        lessons.append(lesson)
    return tuple(lessons)


def _lesson(entry: LessonFile) -> Lesson:
    return Lesson(
        id=entry.id,
        title=entry.title,
        minutes=entry.minutes,
        paragraphs=paragraphs_of(entry.body),
        key_points=tuple(" ".join(point.split()) for point in entry.key_points),
        sources=tuple(Source(s.title, s.url, s.note) for s in entry.sources),
    )


def _problem(path: Path, text: str, loc: tuple[str | int, ...], message: str) -> FileFormatError:
    return FileFormatError(str(path), _line_of(text, loc), field_path(loc), message)


_LESSON_HEADER = re.compile(r"^\s*\[\[\s*lessons\s*\]\]")
_SOURCE_HEADER = re.compile(r"^\s*\[\[\s*lessons\s*\.\s*sources\s*\]\]")
_ANY_HEADER = re.compile(r"^\s*\[")


def _line_of(text: str, loc: Sequence[str | int]) -> int | None:
    """The line of a field. ``[[lessons.sources]]`` tables are counted within their lesson here:
    the shared ``locate`` numbers nested tables across the whole file."""
    if len(loc) < 4 or loc[0] != "lessons" or loc[2] != "sources":
        return locate(text, loc)
    lesson, source = loc[1], loc[3]
    key = loc[4] if len(loc) > 4 and isinstance(loc[4], str) else None
    lesson_seen = source_seen = -1
    header: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if _LESSON_HEADER.match(line):
            lesson_seen, source_seen = lesson_seen + 1, -1
        elif _SOURCE_HEADER.match(line):
            source_seen += 1
            if (lesson_seen, source_seen) == (lesson, source):
                header = number
                if key is None:
                    return header
                continue
        elif header is not None and not _ANY_HEADER.match(line):
            if re.match(rf"^\s*{re.escape(key or '')}\s*=", line):
                return number
            continue
        if header is not None:
            return header  # the next table started: the key is not written in this one
    return header if header is not None else locate(text, loc[:2])


def find_lesson(lessons: Sequence[Lesson], lesson_id: str) -> Lesson:
    """The lesson with id ``lesson_id`` (case and spaces ignored), or NotFoundError with the
    nearest ids."""
    key = lesson_id.strip().lower()
    for lesson in lessons:
        if lesson.id == key:
            return lesson
    ids = [lesson.id for lesson in lessons]
    raise NotFoundError("lesson", lesson_id, tuple(difflib.get_close_matches(key, ids, n=2)))
