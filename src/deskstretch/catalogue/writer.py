"""A routine as the documented routine TOML (docs/routine-format.md), for the CLI and the web.

The text loads back through ``loader.load_routine_text`` into an equal routine: each step names
its exercise by id and spells out its dose, and a field is left out only where the loader's
default gives the same value.
"""

from __future__ import annotations

from deskstretch.core.models import Routine, Source, Step

HEADER = "# A deskstretch routine. The format is described in docs/routine-format.md."
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quoted, with quotes, backslashes and controls escaped."""
    parts = []
    for char in text:
        if char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            parts.append(f"\\u{ord(char):04X}")
        else:
            parts.append(char)
    return '"' + "".join(parts) + '"'


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _step_lines(step: Step) -> list[str]:
    exercise = step.exercise
    dose, default = step.dose, exercise.dose
    # The comment names the exercise for a person reading the file; the id is what counts.
    lines = [f"exercise = {toml_string(exercise.id)}  # {exercise.code} {exercise.name}"]
    if dose.hold_seconds and dose.rep_seconds:
        # Only an exercise's own default can be both; a step file can only say "same as usual".
        if dose != default:
            raise ValueError(f"{exercise.id}: a dose with both a hold and a tempo cannot be saved")
    elif dose.is_timed_hold:
        lines += [f"reps = {dose.reps}", f"hold_seconds = {dose.hold_seconds}"]
        if dose.contract_seconds != default.contract_seconds:
            lines.append(f"contract_seconds = {dose.contract_seconds}")
    else:
        lines += [f"reps = {dose.reps}", f"rep_seconds = {_number(dose.rep_seconds)}"]
        if dose.contract_seconds:
            lines.append(f"contract_seconds = {dose.contract_seconds}")
    if dose.rest_seconds != default.rest_seconds:
        lines.append(f"rest_seconds = {dose.rest_seconds}")
    if step.side_order is not exercise.side_order:
        lines.append(f"side_order = {toml_string(step.side_order.value)}")
    if step.note:
        lines.append(f"note = {toml_string(step.note)}")
    return lines


def _source_lines(source: Source) -> list[str]:
    lines = [f"title = {toml_string(source.title)}"]
    if source.url:
        lines.append(f"url = {toml_string(source.url)}")
    if source.note:
        lines.append(f"note = {toml_string(source.note)}")
    return lines


def routine_toml(routine: Routine) -> str:
    """The routine file for ``routine``: top-level fields, then one [[steps]] table per step."""
    lines = [
        HEADER,
        f"id = {toml_string(routine.id)}",
        f"name = {toml_string(routine.name)}",
    ]
    if routine.summary:
        lines.append(f"summary = {toml_string(routine.summary)}")
    position = routine.position.value if routine.position else "mixed"
    lines += [
        f"position = {toml_string(position)}",
        f"get_ready_seconds = {routine.get_ready_seconds}",
        f"switch_seconds = {routine.switch_seconds}",
        f"transition_seconds = {routine.transition_seconds}",
    ]
    for step in routine.steps:
        lines += ["", "[[steps]]", *_step_lines(step)]
    for source in routine.sources:
        lines += ["", "[[sources]]", *_source_lines(source)]
    return "\n".join(lines) + "\n"
