"""The routine builder's problems in plain words, each tied to the form field it is about.

The loader's messages describe a file (``steps[1].hold_seconds: expected at most 120, got 200``)
and stay as they are for files; the builder's form says instead what to type in the field, from
the field's place and what was typed there ("Hold for 5 to 120 seconds (you typed '200').").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import annotated_types
from pydantic import BaseModel

from deskstretch.catalogue.loader import MAX_ROUTINE_SECONDS, RoutineProblem
from deskstretch.catalogue.schema import RoutineFile, SourceFile, StepFile
from deskstretch.core.wording import minutes_text
from deskstretch.web.builder_form import (
    ROUTINE_BOUNDS,
    STEP_BOUNDS,
    Kind,
    RoutineDraft,
    StepDraft,
    field_name,
)
from deskstretch.web.rendering import duration

_WHOLE = re.compile(r"[+-]?[0-9]+")

# How each number field is asked for; its limits come from the schema (STEP_BOUNDS ...).
NUMBER_WORDS: Mapping[str, str] = {
    "get_ready_seconds": "Allow {low} to {high} seconds to get ready",
    "switch_seconds": "Allow {low} to {high} seconds to change sides",
    "transition_seconds": "Allow {low} to {high} seconds between exercises",
    "hold_seconds": "Hold for {low} to {high} seconds",
    "rep_seconds": "Take {low} to {high} seconds per rep",
    "rest_seconds": "Rest for {low} to {high} seconds between holds",
    "contract_seconds": "Press for {low} to {high} seconds before each hold",
}
TEXT_WORDS = {"name": "the name", "summary": "the description"}

FIELD_LABELS = {
    "name": "Name",
    "id": "Id",
    "position": "Position",
    "summary": "Description",
    "get_ready_seconds": "Get ready (seconds)",
    "switch_seconds": "Change sides (seconds)",
    "transition_seconds": "Between exercises (seconds)",
    "steps": "Steps",
    "add_exercise": "Exercises",
}
# A step's fields, named after "Step 2 (Seated hamstring hinge), " in the list of problems.
STEP_LABELS = {
    "exercise": "exercise",
    "reps": "number of reps",  # or holds: see problem_label
    "hold_seconds": "seconds per hold",
    "rep_seconds": "seconds per rep",
    "rest_seconds": "rest between holds",
    "contract_seconds": "press before each hold",
    "side_order": "order of the sides",
    "note": "note",
}


def problem_label(name: str, draft: RoutineDraft, titles: Mapping[int, str]) -> str:
    """A field as the list of problems names it: 'Name', 'Step 2 (Seated hamstring hinge),
    seconds per hold' (``titles``: each step's exercise name, by its index)."""
    source = re.fullmatch(r"sources-(\d+)-(\w+)", name)
    if source is not None:
        part = {"url": "web address"}.get(source.group(2), source.group(2))
        return f"Source {int(source.group(1)) + 1}, {part}"
    match = re.fullmatch(r"steps-(\d+)-?(\w*)", name)
    if match is None:
        return FIELD_LABELS.get(name, "Routine")
    index, part = int(match.group(1)), match.group(2)
    holds = index < len(draft.steps) and draft.steps[index].kind == "hold"
    what = STEP_LABELS.get(part, part.replace("_", " "))
    what = "number of holds" if holds and part == "reps" else what
    title = titles.get(index, "")
    return f"Step {index + 1} ({title}), {what}" if part else f"Step {index + 1} ({title})"


def form_order(name: str) -> tuple[int, int, int]:
    """Where a field is on the page, top to bottom (the list of problems follows it): the
    fields in FIELD_LABELS' order, each step's fields under "steps"."""
    fields, parts = list(FIELD_LABELS), list(STEP_LABELS)
    step = re.fullmatch(r"steps-(\d+)-(\w+)", name)
    if step is not None:
        part = step.group(2)
        return (
            fields.index("steps"),
            1 + int(step.group(1)),
            parts.index(part) if part in parts else len(parts),
        )
    return (fields.index(name) if name in fields else len(fields)), 0, 0


def max_chars(model: type[BaseModel], name: str) -> int:
    """The most characters the schema allows in a text field (0: no limit)."""
    rules = model.model_fields[name].metadata
    return next((int(r.max_length) for r in rules if isinstance(r, annotated_types.MaxLen)), 0)


def _you_typed(value: str) -> str:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return f"(you typed '{shown}')"


def _number_problem(name: str, value: str, low: float, high: float, kind: Kind | None) -> str:
    words = NUMBER_WORDS.get(name, "Do {low} to {high} " + ("holds" if kind == "hold" else "reps"))
    asked = words.format(low=f"{low:g}", high=f"{high:g}")
    if name != "rep_seconds" and not _WHOLE.fullmatch(value):
        asked += ", in whole seconds" if "seconds" in words else ", as a whole number"
    return f"{asked} {_you_typed(value)}."


def _text_problem(what: str, value: str, limit: int) -> str:
    if not value:
        return f"Type {what}."
    return f"Keep {what} to {limit} characters (this has {len(value)})."


def plain_problem(
    problem: RoutineProblem, draft: RoutineDraft, total_seconds: float | None
) -> tuple[str, str]:
    """The form field a routine problem belongs to, and what to do about it as a sentence."""
    loc = problem.loc
    if loc == ("steps",):
        if not draft.steps:
            return "add_exercise", "Add at least one exercise."
        if total_seconds is None:
            return "steps", "Check the steps marked below."
        return "steps", (
            f"The routine lasts {duration(total_seconds)}, longer than the"
            f" {minutes_text(MAX_ROUTINE_SECONDS / 60)} a routine may last: remove a step or"
            " shorten one."
        )
    name = field_name(loc)
    match loc:
        case ("steps", int(index), str(part)) if index < len(draft.steps):
            return name, _step_problem(problem, draft.steps[index], part)
        case ("sources", int(), "url"):
            return name, "Give a web address that starts with https:// or http://."
        case ("sources", int(index), "title" | "note" as part) if index < len(draft.sources):
            value = getattr(draft.sources[index], part)
            return name, _text_problem(f"the source's {part}", value, max_chars(SourceFile, part))
    if loc == ("name",) and not draft.name:
        return name, "Give the routine a name."
    if loc in (("name",), ("summary",)):
        what = str(loc[0])
        return name, _text_problem(
            TEXT_WORDS[what], getattr(draft, what), max_chars(RoutineFile, what)
        )
    if loc == ("id",):
        chosen = draft.chosen_id
        if not chosen:
            return name, "Type an id, or a name to make one from."
        if len(chosen) > max_chars(RoutineFile, "id"):
            return name, _text_problem("the id", chosen, max_chars(RoutineFile, "id"))
        return name, (
            "Use only lowercase letters, digits and dashes, like my-morning-break "
            f"{_you_typed(chosen)}."
        )
    if loc == ("position",):
        return name, "Choose seated, standing, or seated and standing."
    if len(loc) == 1 and loc[0] in ROUTINE_BOUNDS:
        number = str(loc[0])
        return name, _number_problem(number, getattr(draft, number), *ROUTINE_BOUNDS[number], None)
    return name, "This cannot be saved as it is: check it and try again."


def _step_problem(problem: RoutineProblem, step: StepDraft, part: str) -> str:
    if part in STEP_BOUNDS:
        return _number_problem(part, getattr(step, part), *STEP_BOUNDS[part], step.kind)
    if part == "exercise":
        # The catalogue's own words ("No exercise called 'x'. Did you mean ...?") are plain.
        found = problem.message if problem.message.startswith("No ") else ""
        return found or f"No exercise called '{step.exercise[:40]}': remove this step."
    if part == "side_order":
        return "Choose one of the two orders of the sides."
    if part == "note":
        return _text_problem("the note", step.note, max_chars(StepFile, "note"))
    return "This cannot be saved as it is: check it and try again."
