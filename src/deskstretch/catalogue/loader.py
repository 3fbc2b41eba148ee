"""Load the exercise catalogue and routines (built-in and the user's own) into ``core`` models.

Every problem becomes one FileFormatError naming the file, the line and the field.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from deskstretch.catalogue.schema import DoseFile, ExerciseFile, RoutineFile, StepFile
from deskstretch.catalogue.toml_errors import (
    close_ids,
    field_path,
    load_file,
    load_text,
    locate,
    problems_of,
    read_toml,
    validate,
)
from deskstretch.core.errors import FileFormatError, NotFoundError
from deskstretch.core.models import Dose, Exercise, Position, Routine, Source, Step
from deskstretch.core.pose import pose_from_angles
from deskstretch.core.timeline import build_timeline
from deskstretch.core.wording import group_label

T = TypeVar("T")
MAX_ROUTINE_SECONDS = 15 * 60
SHORT_ROUTINE_SECONDS = 60


def package_folder(name: str) -> Path:
    return Path(str(resources.files("deskstretch.catalogue").joinpath(name)))


def _source(model: object) -> Source:
    return Source(
        title=getattr(model, "title", ""),
        url=getattr(model, "url", ""),
        note=getattr(model, "note", ""),
    )


def _dose(model: DoseFile) -> Dose:
    return Dose(
        reps=model.reps,
        hold_seconds=model.hold_seconds,
        rep_seconds=model.rep_seconds,
        rest_seconds=model.rest_seconds,
        contract_seconds=model.contract_seconds,
    )


def _exercise(model: ExerciseFile) -> Exercise:
    return Exercise(
        id=model.id,
        code=model.code,
        name=model.name,
        summary=model.summary,
        targets=tuple(model.targets),
        muscle_group=model.muscle_group,
        position=model.position,
        laterality=model.laterality,
        equipment=tuple(model.equipment),
        type=model.type,
        dose=_dose(model.dose),
        setup=model.setup,
        cues=tuple(model.cues),
        mistakes=tuple(model.mistakes),
        cautions=tuple(model.cautions),
        contraindications=tuple(model.contraindications),
        easier=tuple(model.easier),
        harder=tuple(model.harder),
        sources=tuple(_source(s) for s in model.sources),
        side_order=model.side_order,
        side_noun=model.side_noun,
        variant_notes=tuple(model.variant_notes),
        replaced_by=model.replaced_by,
        keyframes=tuple(pose_from_angles(model.position, k.angles()) for k in model.keyframes),
        keyframe_labels=tuple(k.label for k in model.keyframes),
        hold_on=len(model.keyframes) - 1 if model.hold_on is None else model.hold_on,
    )


def load_exercise_file(path: Path) -> tuple[Exercise, str]:
    data, text = read_toml(path)
    model = validate(ExerciseFile, data, path, text)
    if model.id != path.stem:
        raise FileFormatError(
            str(path), locate(text, ("id",)), "id", f"expected '{path.stem}' (the file name)"
        )
    return _exercise(model), text


@dataclass
class Catalogue:
    """All exercises by id, with lookup by id, code or name."""

    exercises: dict[str, Exercise]
    by_code: dict[str, Exercise] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {e.code.lower(): e for e in self.exercises.values()}

    def find(self, name: str) -> Exercise:
        key = name.strip().lower()
        exercise = self.exercises.get(key) or self.by_code.get(key)
        if exercise is None:
            by_name = {e.name.lower(): e for e in self.exercises.values()}
            exercise = by_name.get(key)
        if exercise is None:
            raise NotFoundError("exercise", name, self.suggest(name))
        if exercise.replaced_by and exercise.replaced_by in self.exercises:
            return self.exercises[exercise.replaced_by]
        return exercise

    def suggest(self, name: str) -> tuple[str, ...]:
        names = [*self.exercises, *(e.code for e in self.exercises.values())]
        names += [e.name for e in self.exercises.values()]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        if not close:
            close = difflib.get_close_matches(name.lower(), [n.lower() for n in names], 3, 0.5)
        return tuple(dict.fromkeys(close))

    def filter(
        self,
        position: Position | None = None,
        target: str | None = None,
        equipment: str | None = None,
    ) -> list[Exercise]:
        chosen = []
        for exercise in sorted(self.exercises.values(), key=lambda e: e.code):
            if position and exercise.position is not position:
                continue
            if target and not _matches_target(exercise, target):
                continue
            if equipment and equipment not in exercise.equipment:
                continue
            chosen.append(exercise)
        return chosen


def _matches_target(exercise: Exercise, target: str) -> bool:
    word = target.strip().lower()
    haystack = [exercise.muscle_group, group_label(exercise.muscle_group), *exercise.targets]
    return any(word in item.lower() for item in haystack)


def load_catalogue(folder: Path | None = None) -> Catalogue:
    folder = folder or package_folder("exercises")
    exercises: dict[str, Exercise] = {}
    texts: dict[str, tuple[Path, str]] = {}
    codes: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        exercise, text = load_exercise_file(path)
        if exercise.code in codes:
            raise FileFormatError(
                str(path),
                locate(text, ("code",)),
                "code",
                f"code {exercise.code} is already used by {codes[exercise.code].name}",
            )
        codes[exercise.code] = path
        exercises[exercise.id] = exercise
        texts[exercise.id] = (path, text)
    for exercise in exercises.values():
        path, text = texts[exercise.id]
        for field_name in ("easier", "harder"):
            for index, variant in enumerate(getattr(exercise, field_name)):
                if variant not in exercises:
                    raise FileFormatError(
                        str(path),
                        locate(text, (field_name,)),
                        f"{field_name}[{index}]",
                        f"no exercise with id '{variant}'",
                    )
        if exercise.replaced_by and exercise.replaced_by not in exercises:
            raise FileFormatError(
                str(path),
                locate(text, ("replaced_by",)),
                "replaced_by",
                f"no exercise with id '{exercise.replaced_by}'",
            )
    return Catalogue(exercises)


def _step(model: StepFile, exercise: Exercise) -> Step:
    base = exercise.dose
    hold = base.hold_seconds
    rep_seconds = base.rep_seconds
    if model.hold_seconds is not None:
        hold, rep_seconds = model.hold_seconds, 0.0
    elif model.rep_seconds is not None:
        hold, rep_seconds = 0, model.rep_seconds
    dose = Dose(
        reps=model.reps if model.reps is not None else base.reps,
        hold_seconds=hold,
        rep_seconds=rep_seconds,
        rest_seconds=model.rest_seconds if model.rest_seconds is not None else base.rest_seconds,
        contract_seconds=(
            model.contract_seconds
            if model.contract_seconds is not None
            else base.contract_seconds
            if hold
            else 0
        ),
    )
    return Step(
        exercise=exercise,
        dose=dose,
        side_order=model.side_order or exercise.side_order,
        note=model.note,
    )


@dataclass(frozen=True)
class LoadedRoutine:
    routine: Routine
    warnings: tuple[str, ...]


def load_routine_file(path: Path, catalogue: Catalogue, origin: str = "file") -> LoadedRoutine:
    return load_file(path, partial(load_routine_data, catalogue=catalogue, origin=origin))


def load_routine_text(
    text: str, path: Path, catalogue: Catalogue, origin: str = "file"
) -> LoadedRoutine:
    """A routine from TOML text that came from ``path`` (an upload's file name, say)."""
    return load_text(text, path, partial(load_routine_data, catalogue=catalogue, origin=origin))


def load_routine_data(
    data: dict[str, Any], text: str, path: Path, catalogue: Catalogue, origin: str = "file"
) -> LoadedRoutine:
    """The routine in ``data`` (parsed from ``text``); its first problem raises FileFormatError."""
    check = check_routine_data(data, catalogue, path.stem.lower(), origin)
    if check.loaded is None:
        first = check.problems[0]
        line = locate(text, first.loc) if first.loc else None
        raise FileFormatError(str(path), line, first.field, first.message)
    warnings = tuple(f"{path.name}: {warning}" for warning in check.loaded.warnings)
    return LoadedRoutine(check.loaded.routine, warnings)


@dataclass(frozen=True)
class RoutineProblem:
    """One problem with a routine: where (("steps", 1, "reps"); () for the whole) and why."""

    loc: tuple[str | int, ...]
    message: str

    @property
    def field(self) -> str:
        return field_path(self.loc)


@dataclass(frozen=True)
class RoutineCheck:
    """A routine and its warnings, or every problem found (files show the first, forms all)."""

    loaded: LoadedRoutine | None
    problems: tuple[RoutineProblem, ...]
    total_seconds: float | None = None
    """The length by the shared timeline, when the steps could be built (even if too long)."""


def check_routine_data(
    data: dict[str, Any], catalogue: Catalogue, default_id: str, origin: str = "file"
) -> RoutineCheck:
    """Check routine ``data`` in the file format's shape (from a file, or a form laid out the
    same way) against the schema, the catalogue and the length limit."""
    try:
        model = RoutineFile.model_validate(data)
    except ValidationError as exc:
        return RoutineCheck(None, tuple(RoutineProblem(*found) for found in problems_of(exc)))
    steps = []
    problems = []
    for index, step_model in enumerate(model.steps):
        try:
            steps.append(_step(step_model, catalogue.find(step_model.exercise)))
        except NotFoundError as error:
            problems.append(RoutineProblem(("steps", index, "exercise"), error.message))
    if problems:
        return RoutineCheck(None, tuple(problems))
    routine = Routine(
        id=model.id or default_id,
        name=model.name,
        summary=model.summary,
        steps=tuple(steps),
        position=None if model.position == "mixed" else Position(model.position),
        get_ready_seconds=model.get_ready_seconds,
        switch_seconds=model.switch_seconds,
        transition_seconds=model.transition_seconds,
        sources=tuple(_source(s) for s in model.sources),
        origin=origin,
    )
    total = build_timeline(routine).total_seconds
    if total > MAX_ROUTINE_SECONDS:
        too_long = (
            f"routine lasts {_mmss(total)}; expected at most {_mmss(MAX_ROUTINE_SECONDS)} "
            "(short, regular breaks work better than long ones)"
        )
        return RoutineCheck(None, (RoutineProblem(("steps",), too_long),), total)
    warnings = []
    if total < SHORT_ROUTINE_SECONDS:
        warnings.append(f"routine lasts only {_mmss(total)}; 2-5 minutes is typical.")
    return RoutineCheck(LoadedRoutine(routine, tuple(warnings)), (), total)


def _mmss(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class RoutineSet:
    routines: dict[str, Routine]
    problems: tuple[str, ...]

    def find(self, name: str) -> Routine:
        key = name.strip().lower()
        if key in self.routines:
            return self.routines[key]
        by_name = {r.name.lower(): r for r in self.routines.values()}
        if key in by_name:
            return by_name[key]
        raise NotFoundError("routine", name, close_ids(key, self.routines))


def load_routines(catalogue: Catalogue, user_folders: Iterable[Path] = ()) -> RoutineSet:
    """Built-in routines (errors are bugs and raise) plus the user's (errors are collected)."""
    routines: dict[str, Routine] = {}
    for path in sorted(package_folder("routines").glob("*.toml")):
        loaded = load_routine_file(path, catalogue, origin="built-in")
        routines[loaded.routine.id] = loaded.routine
    problems: list[str] = []
    own = user_files(user_folders, lambda p: load_routine_file(p, catalogue, str(p)), problems)
    for path, loaded in own:
        if loaded.routine.id in routines:
            problems.append(
                f"{path}: id '{loaded.routine.id}' is already used by another routine; "
                "this file was skipped (give it another id)"
            )
            continue
        routines[loaded.routine.id] = loaded.routine
    return RoutineSet(routines, tuple(problems))


def user_files(
    folders: Iterable[Path], load: Callable[[Path], T], problems: list[str]
) -> Iterator[tuple[Path, T]]:
    """The person's TOML files in ``folders`` (by name) that ``load`` accepts, each with what it
    made; a file it refuses adds its error to ``problems`` and is skipped."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                loaded = load(path)
            except FileFormatError as error:
                problems.append(error.message)
                continue
            yield path, loaded
