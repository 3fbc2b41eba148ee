"""Pydantic models of a programme TOML file (levels of routines over weeks), as strict as the
routine format: unknown keys are refused, ids are slugs, numbers stay within their limits.

The checks that need more than one field (levels numbered in order, weeks that fit the
programme) are ``cross_field_problems``; whether each routine exists is checked by
``catalogue.programmes``, which knows the routine set.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from deskstretch.catalogue.schema import MAX_ID_CHARS, SLUG, SourceFile

MAX_WEEKS = 52
MAX_SESSIONS_PER_WEEK = 7
MAX_MICRO_BREAKS_PER_DAY = 16
"""domain.md §6: about one posture break per half hour of a working day, and no more."""
MAX_WINDOW_DAYS = 28

Slug = Annotated[str, Field(max_length=MAX_ID_CHARS, pattern=SLUG)]
Week = Annotated[int, Field(ge=1, le=MAX_WEEKS)]

Problem = tuple[tuple[str | int, ...], str]
"""Where (("levels", 1, "number"); () for the whole file) and what was expected."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelFile(_Strict):
    number: int = Field(ge=1, le=MAX_WEEKS)
    name: str = Field(min_length=1, max_length=80)
    aim: str = Field(min_length=1, max_length=300)
    routines: list[Slug] = Field(min_length=1)
    sessions_per_week: int = Field(ge=1, le=MAX_SESSIONS_PER_WEEK)
    micro_breaks_per_day: int = Field(ge=0, le=MAX_MICRO_BREAKS_PER_DAY)
    min_weeks: int = Field(default=1, ge=1, le=MAX_WEEKS)


class ProgressionFile(_Strict):
    window_days: int = Field(default=7, ge=1, le=MAX_WINDOW_DAYS)
    min_sessions: int = Field(default=3, ge=0, le=MAX_WINDOW_DAYS)
    max_too_much: int = Field(default=0, ge=0, le=MAX_WINDOW_DAYS)
    pain_margin: float = Field(default=0.0, ge=0, le=10, allow_inf_nan=False)


class LessonFile(_Strict):
    week: Week
    lesson: Slug


class ProgrammeFile(_Strict):
    id: Slug | None = None
    name: str = Field(min_length=1, max_length=80)
    summary: str = Field(default="", max_length=500)
    weeks: int = Field(ge=1, le=MAX_WEEKS)
    remeasure_weeks: list[Week] | None = None
    """None: the first and the last week."""
    levels: list[LevelFile] = Field(min_length=1)
    progression: ProgressionFile = ProgressionFile()
    lessons: list[LessonFile] = []
    sources: list[SourceFile] = Field(min_length=1)


def cross_field_problems(model: ProgrammeFile) -> list[Problem]:
    """Every problem that needs two fields to see, in the order the file is usually written."""
    problems: list[Problem] = []
    weeks = model.weeks

    def outside(week: int) -> str:
        return f"expected a week from 1 to {weeks} (the programme lasts {weeks} weeks), got {week}"

    seen: set[int] = set()
    for index, week in enumerate(model.remeasure_weeks or ()):
        if week > weeks:
            problems.append((("remeasure_weeks", index), outside(week)))
        elif week in seen:
            problems.append((("remeasure_weeks", index), f"week {week} is listed twice"))
        seen.add(week)
    for index, level in enumerate(model.levels):
        if level.number != index + 1:
            problems.append(
                (
                    ("levels", index, "number"),
                    f"expected {index + 1}, got {level.number} (levels are numbered from 1 in the"
                    " order they are written)",
                )
            )
    total = sum(level.min_weeks for level in model.levels)
    if total > weeks:
        problems.append(
            (
                ("weeks",),
                f"expected at least {total}, got {weeks} (the levels' min_weeks add up to {total})",
            )
        )
    problems += [
        (("lessons", index, "week"), outside(lesson.week))
        for index, lesson in enumerate(model.lessons)
        if lesson.week > weeks
    ]
    return problems


def remeasure_weeks(model: ProgrammeFile) -> tuple[int, ...]:
    """The re-measure weeks in order; by default the first and the last week."""
    if model.remeasure_weeks is None:
        return tuple(sorted({1, model.weeks}))
    return tuple(sorted(model.remeasure_weeks))
