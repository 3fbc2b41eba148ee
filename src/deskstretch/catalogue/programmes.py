"""Load programmes (built-in and the person's own TOML files) into ``core.programme`` values.

Every problem becomes one FileFormatError naming the file, the line and the field, exactly like a
routine file; a level's routines must be in the routine set the programme is loaded against.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from deskstretch.catalogue.loader import RoutineSet, package_folder, user_files
from deskstretch.catalogue.programme_schema import (
    Problem,
    ProgrammeFile,
    cross_field_problems,
    remeasure_weeks,
)
from deskstretch.catalogue.toml_errors import (
    close_ids,
    field_path,
    load_file,
    locate,
    problems_of,
    read_toml,
)
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.models import Source
from deskstretch.core.programme import Level, Programme, ProgressionRule

BUILT_IN = "built-in"
FORMAT_DOC = "docs/programme-format.md"
MISSING = "required field is missing"
"""toml_errors.describe's words for a missing field."""
FEW_SESSIONS_PER_WEEK = 2
"""ACSM: flexibility work on at least 2-3 days a week (domain.md §1.1)."""


@dataclass(frozen=True)
class LoadedProgramme:
    programme: Programme
    origin: str
    """"built-in", or the path of the person's file."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgrammeSet:
    """Every programme by id, where each came from, and the files that were skipped (and why)."""

    programmes: dict[str, Programme]
    origins: dict[str, str]
    problems: tuple[str, ...]

    def find(self, programme_id: str) -> Programme:
        key = programme_id.strip().lower()
        if key in self.programmes:
            return self.programmes[key]
        raise NotFoundError("programme", programme_id, close_ids(key, self.programmes))

    def is_built_in(self, programme_id: str) -> bool:
        return self.origins.get(programme_id) == BUILT_IN


def load_programme_file(path: Path, routines: RoutineSet, origin: str = "file") -> LoadedProgramme:
    return load_file(path, partial(load_programme_data, routines=routines, origin=origin))


def load_programme_data(
    data: dict[str, Any],
    text: str,
    path: Path,
    routines: RoutineSet,
    origin: str = "file",
    routine_ids: Collection[str] | None = None,
) -> LoadedProgramme:
    """The programme in ``data`` (parsed from ``text``); its first problem raises FileFormatError.

    ``routine_ids`` narrows the routines a level may name (built-in programmes: built-in only).
    """
    try:
        model = ProgrammeFile.model_validate(data)
    except ValidationError as exc:
        problems = problems_of(exc)
    else:
        known = routines.routines.keys() if routine_ids is None else routine_ids
        problems = cross_field_problems(model) + _missing_routines(model, known)
        problems += _missing_lessons(model)
    if problems:
        loc, message = min(problems, key=lambda found: _reading_order(text, *found))
        message = message.replace("docs/routine-format.md", FORMAT_DOC)
        raise FileFormatError(str(path), _line(text, loc), field_path(loc), message)
    programme = _programme(model, path.stem.lower())
    warnings = tuple(f"{path.name}: {warning}" for warning in _warnings(programme))
    return LoadedProgramme(programme, origin, warnings)


def _missing_routines(model: ProgrammeFile, known: Collection[str]) -> list[Problem]:
    problems: list[Problem] = []
    for level_index, level in enumerate(model.levels):
        for index, routine_id in enumerate(level.routines):
            if routine_id not in known:
                error = NotFoundError("routine", routine_id, close_ids(routine_id, known))
                problems.append((("levels", level_index, "routines", index), error.message))
    return problems


def _missing_lessons(model: ProgrammeFile) -> list[Problem]:
    """Lessons the lesson catalogue (lessons.toml) does not have."""
    from deskstretch.catalogue.lessons import load_lessons

    known = [lesson.id for lesson in load_lessons()]
    return [
        (
            ("lessons", index, "lesson"),
            NotFoundError("lesson", entry.lesson, close_ids(entry.lesson, known)).message,
        )
        for index, entry in enumerate(model.lessons)
        if entry.lesson not in known
    ]


def _reading_order(text: str, loc: Sequence[str | int], message: str) -> tuple[bool, int]:
    """Sort key of a problem: the first in the file first, but a missing field last (a
    misspelt field is also a missing one, and the misspelling is what to fix)."""
    line = _line(text, loc)
    return (message == MISSING, line if line is not None else 1 << 30)


def _line(text: str, loc: Sequence[str | int]) -> int | None:
    """The line of ``loc``, or of the nearest enclosing field written in the file (a list item
    such as ``remeasure_weeks[2]`` is on the line of ``remeasure_weeks``)."""
    for end in range(len(loc), 0, -1):
        line = locate(text, loc[:end])
        if line is not None:
            return line
    return None


def _programme(model: ProgrammeFile, default_id: str) -> Programme:
    rule = model.progression
    return Programme(
        id=model.id or default_id,
        name=model.name,
        summary=model.summary,
        weeks=model.weeks,
        levels=tuple(
            Level(
                number=level.number,
                name=level.name,
                aim=level.aim,
                routines=tuple(level.routines),
                sessions_per_week=level.sessions_per_week,
                micro_breaks_per_day=level.micro_breaks_per_day,
                min_weeks=level.min_weeks,
            )
            for level in model.levels
        ),
        progression=ProgressionRule(
            window_days=rule.window_days,
            min_sessions=rule.min_sessions,
            max_too_much=rule.max_too_much,
            pain_margin=rule.pain_margin,
        ),
        remeasure_weeks=remeasure_weeks(model),
        lessons=tuple((lesson.week, lesson.lesson) for lesson in model.lessons),
        sources=tuple(Source(title=s.title, url=s.url, note=s.note) for s in model.sources),
    )


def _warnings(programme: Programme) -> list[str]:
    return [
        f"level {level.number} plans {level.sessions_per_week} session a week; flexibility"
        f" guidance suggests at least {FEW_SESSIONS_PER_WEEK} to 3."
        for level in programme.levels
        if level.sessions_per_week < FEW_SESSIONS_PER_WEEK
    ]


def load_programmes(routines: RoutineSet, user_folders: Iterable[Path] = ()) -> ProgrammeSet:
    """Built-in programmes (errors are bugs and raise) plus the person's (errors are collected,
    and a file whose id is already taken is skipped)."""
    programmes: dict[str, Programme] = {}
    origins: dict[str, str] = {}
    built_in_routines = {rid for rid, r in routines.routines.items() if r.origin == BUILT_IN}
    for path in sorted(package_folder("programmes").glob("*.toml")):
        data, text = read_toml(path)
        loaded = load_programme_data(data, text, path, routines, BUILT_IN, built_in_routines)
        programmes[loaded.programme.id] = loaded.programme
        origins[loaded.programme.id] = BUILT_IN
    problems: list[str] = []
    own = user_files(user_folders, lambda p: load_programme_file(p, routines, str(p)), problems)
    for path, loaded in own:
        programme_id = loaded.programme.id
        if programme_id in programmes:
            owner = "a built-in" if origins[programme_id] == BUILT_IN else "another"
            problems.append(
                f"{path}: id '{programme_id}' is already used by {owner} programme;"
                " this file was skipped (give it another id)"
            )
            continue
        programmes[programme_id] = loaded.programme
        origins[programme_id] = str(path)
    return ProgrammeSet(programmes, origins, tuple(problems))
