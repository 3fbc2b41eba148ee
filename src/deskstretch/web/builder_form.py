"""The routine builder's form: what the person typed, kept as text between submits, and checked
through the same schema and loader as a routine file.

A draft becomes the file format's own data (``{"name": ..., "steps": [{"exercise": ...}]}``),
so a form and a file are checked by one piece of code and its problems name the same fields.
The ids a new routine or a copy gets (``slug``, ``copy_id``) are chosen here too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import annotated_types
from pydantic import BaseModel

from deskstretch.catalogue.loader import (
    MAX_ROUTINE_SECONDS,
    SHORT_ROUTINE_SECONDS,
    Catalogue,
    RoutineCheck,
    RoutineProblem,
    check_routine_data,
)
from deskstretch.catalogue.schema import RoutineFile, StepFile
from deskstretch.core.errors import NotFoundError
from deskstretch.core.models import Exercise, Routine, Step
from deskstretch.web.rendering import duration

if TYPE_CHECKING:
    from deskstretch.coach import Coach

MAX_STEPS = 20
MAX_ID_CHARS = 60
UNTITLED = "Untitled routine"
# What docs/routine-format.md suggests; the loader's limits (warn, refuse) are its own constants.
RECOMMENDED_SECONDS = (120, 300)
Kind = Literal["hold", "reps"]
# The dose fields each kind of step shows; the others keep the exercise's default.
KIND_FIELDS: Mapping[Kind, tuple[str, ...]] = {
    "hold": ("reps", "hold_seconds", "rest_seconds", "contract_seconds"),
    "reps": ("reps", "rep_seconds"),
}
ROUTINE_NUMBERS = ("get_ready_seconds", "switch_seconds", "transition_seconds")


def bounds(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The (low, high) limits the schema puts on a number field, for the form's min and max."""
    low, high = float("-inf"), float("inf")
    for rule in model.model_fields[name].metadata:
        if isinstance(rule, annotated_types.Ge):
            low = float(rule.ge)  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Le):
            high = float(rule.le)  # type: ignore[arg-type]
    return low, high


STEP_BOUNDS = {name: bounds(StepFile, name) for name in KIND_FIELDS["hold"] + ("rep_seconds",)}
ROUTINE_BOUNDS = {name: bounds(RoutineFile, name) for name in ROUTINE_NUMBERS}


def slug(text: str) -> str:
    """An id from a name: 'My morning reset!' -> 'my-morning-reset' (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)[:MAX_ID_CHARS].strip("-")


def is_unused_id(coach: Coach, routine_id: str) -> bool:
    """No routine has this id and no file in the routines folder has its name."""
    folder = coach.settings.routines_dir
    return (
        routine_id not in coach.routine_set.routines
        and not (folder / f"{routine_id}.toml").exists()
    )


def copy_id(coach: Coach, routine_id: str) -> str:
    """``<id>-copy``, or ``<id>-copy-2`` and so on: the first id not in use."""
    candidates = (f"{routine_id}-copy" + (f"-{n}" if n > 1 else "") for n in range(1, 1000))
    return next((c for c in candidates if is_unused_id(coach, c)), "")


def field_name(loc: tuple[str | int, ...]) -> str:
    """Where a problem goes in the form: ("steps", 1, "reps") -> "steps-1-reps"."""
    return "-".join(str(part) for part in loc) or "routine"


def _number(value: float) -> str:
    return f"{value:g}"


_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
_DECIMAL = re.compile(r"[+-]?[0-9]{0,9}[.,][0-9]{1,9}")


def typed(value: str) -> str | int | float:
    """A number field's text as the number a TOML file would hold ('2,5' too), or the text
    itself, which the schema then names as not a number."""
    if _INTEGER.fullmatch(value):
        return int(value)
    if _DECIMAL.fullmatch(value):
        return float(value.replace(",", "."))
    return value


@dataclass(frozen=True)
class StepDraft:
    exercise: str
    kind: Kind
    reps: str = ""
    hold_seconds: str = ""
    rep_seconds: str = ""
    rest_seconds: str = ""
    contract_seconds: str = ""
    side_order: str = ""
    note: str = ""

    @classmethod
    def of(cls, step: Step) -> StepDraft:
        dose = step.dose
        common = {"exercise": step.exercise.id, "reps": str(dose.reps), "note": step.note}
        if dose.is_timed_hold:
            return cls(
                kind="hold",
                hold_seconds=str(dose.hold_seconds),
                rest_seconds=str(dose.rest_seconds),
                contract_seconds=str(dose.contract_seconds),
                side_order=step.side_order.value,
                **common,
            )
        return cls(kind="reps", rep_seconds=_number(dose.rep_seconds), **common)

    @classmethod
    def default_for(cls, exercise: Exercise) -> StepDraft:
        return cls.of(Step(exercise, exercise.dose, exercise.side_order))

    @property
    def fields(self) -> tuple[str, ...]:
        return KIND_FIELDS[self.kind]

    def data(self, catalogue: Catalogue) -> dict[str, str | int | float]:
        """The step as a routine file would give it: the kind's fields that are filled in."""
        found: dict[str, str | int | float] = {"exercise": self.exercise}
        for name in self.fields:
            value = getattr(self, name).strip()
            if value:
                found[name] = typed(value)
        if self.kind == "hold" and self.side_order and _is_unilateral(catalogue, self.exercise):
            found["side_order"] = self.side_order
        if self.note.strip():
            found["note"] = self.note.strip()
        return found


def _is_unilateral(catalogue: Catalogue, exercise_id: str) -> bool:
    try:
        return catalogue.find(exercise_id).is_unilateral
    except NotFoundError:
        return False


@dataclass(frozen=True)
class SourceDraft:
    title: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class RoutineDraft:
    name: str = ""
    id: str = ""
    position: str = "mixed"
    summary: str = ""
    get_ready_seconds: str = "10"
    switch_seconds: str = "5"
    transition_seconds: str = "10"
    steps: tuple[StepDraft, ...] = ()
    sources: tuple[SourceDraft, ...] = field(default=())

    @classmethod
    def of(cls, routine: Routine) -> RoutineDraft:
        return cls(
            name=routine.name,
            id=routine.id,
            position=routine.position.value if routine.position else "mixed",
            summary=routine.summary,
            get_ready_seconds=str(routine.get_ready_seconds),
            switch_seconds=str(routine.switch_seconds),
            transition_seconds=str(routine.transition_seconds),
            steps=tuple(StepDraft.of(step) for step in routine.steps),
            sources=tuple(SourceDraft(s.title, s.url, s.note) for s in routine.sources),
        )

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> RoutineDraft:
        """The draft the form holds; steps are read in order, up to the first gap."""

        def text(name: str, default: str = "") -> str:
            return form.get(name, default).strip()

        steps = []
        for index in range(MAX_STEPS):
            prefix = f"steps-{index}-"
            exercise = text(prefix + "exercise")
            if not exercise:
                break
            kind: Kind = "reps" if text(prefix + "kind") == "reps" else "hold"
            values = {name: text(prefix + name) for name in (*KIND_FIELDS[kind], "side_order")}
            steps.append(StepDraft(exercise, kind, note=text(prefix + "note"), **values))
        sources = []
        for index in range(MAX_STEPS):
            title = text(f"sources-{index}-title")
            if not title:
                break
            sources.append(
                SourceDraft(title, text(f"sources-{index}-url"), text(f"sources-{index}-note"))
            )
        return cls(
            name=text("name"),
            id=text("id"),
            position=text("position", "mixed"),
            summary=text("summary"),
            get_ready_seconds=text("get_ready_seconds"),
            switch_seconds=text("switch_seconds"),
            transition_seconds=text("transition_seconds"),
            steps=tuple(steps),
            sources=tuple(sources),
        )

    @property
    def chosen_id(self) -> str:
        """The id to save under: the one typed, else one made from the name."""
        return self.id or slug(self.name)

    def data(self, catalogue: Catalogue, *, final: bool) -> dict[str, Any]:
        """The routine file's data. Not ``final`` (still composing): a missing name or id gets a
        stand-in, so the rest can be checked and timed."""
        name = self.name or ("" if final else UNTITLED)
        data: dict[str, Any] = {"name": name, "position": self.position}
        chosen_id = self.chosen_id or ("" if final else slug(UNTITLED))
        if chosen_id:
            data["id"] = chosen_id
        if self.summary:
            data["summary"] = self.summary
        for number in ROUTINE_NUMBERS:
            if getattr(self, number):
                data[number] = typed(getattr(self, number))
        data["steps"] = [step.data(catalogue) for step in self.steps]
        if self.sources:
            data["sources"] = [
                {k: v for k, v in vars(source).items() if v} for source in self.sources
            ]
        return data

    def check(self, catalogue: Catalogue, *, final: bool) -> RoutineCheck:
        """Every problem, by the routine file's rules. Not ``final``: no steps yet is fine."""
        check = check_routine_data(self.data(catalogue, final=final), catalogue, "", "builder")
        if not final:
            problems = tuple(p for p in check.problems if p.loc != ("steps",) or self.steps)
            check = RoutineCheck(check.loaded, problems, check.total_seconds)
        if final and not self.chosen_id:
            missing = RoutineProblem(("id",), "type an id, or a name to make one from")
            check = RoutineCheck(None, (*check.problems, missing), check.total_seconds)
        return check

    # -- the buttons ------------------------------------------------------------------------------

    def with_step(self, exercise: Exercise) -> RoutineDraft:
        return replace(self, steps=(*self.steps, StepDraft.default_for(exercise)))

    def without_step(self, index: int) -> RoutineDraft:
        return replace(self, steps=self.steps[:index] + self.steps[index + 1 :])

    def moved(self, index: int, by: int) -> RoutineDraft:
        target = index + by
        if not (0 <= index < len(self.steps) and 0 <= target < len(self.steps)):
            return self
        steps = list(self.steps)
        steps[index], steps[target] = steps[target], steps[index]
        return replace(self, steps=tuple(steps))


def describe_length(total: float | None, has_steps: bool) -> tuple[str, str, bool]:
    """The length as text, a sentence about it by the format's rules, and whether it is within
    the suggested 2 to 5 minutes."""
    if total is None:
        if has_steps:
            return "–", "Fix the fields marked below to see the length.", True
        return "–", "Add an exercise to see how long the routine takes.", True
    low, high = RECOMMENDED_SECONDS
    if total < SHORT_ROUTINE_SECONDS:
        note = (
            "Under a minute. You can save it, but deskstretch will point out that 2 to 5"
            " minutes is typical."
        )
    elif total < low:
        note = "A little under the 2 to 5 minutes we suggest. That is fine to save."
    elif total <= high:
        return duration(total), "Within the 2 to 5 minutes we suggest.", True
    elif total <= MAX_ROUTINE_SECONDS:
        note = (
            "Longer than the 2 to 5 minutes we suggest; a routine may last up to 15 minutes, so"
            " you can still save it."
        )
    else:
        note = "Longer than 15 minutes, the most a routine may last: remove a step or shorten one."
    return duration(total), note, False


Action = Literal["update", "save", "add", "remove", "up", "down"]
ACTIONS: tuple[Action, ...] = ("update", "save", "add", "remove", "up", "down")
_STEP_ACTIONS = ("remove", "up", "down")


def parse_action(raw: str, step_count: int) -> tuple[Action, int] | None:
    """'up:3' -> ("up", 3); 'save' -> ("save", -1); None for anything else."""
    name, _, number = raw.strip().partition(":")
    action = next((a for a in ACTIONS if a == name), None)
    if action is None:
        return None
    if action not in _STEP_ACTIONS:
        return (action, -1) if not number else None
    if not number.isascii() or not number.isdigit() or int(number) >= step_count:
        return None
    return action, int(number)
