"""Rich rendering for the browse commands, routines, safety verdicts and session summaries."""

from __future__ import annotations

import math
from pathlib import Path

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from deskstretch.cli.terminal.screen import format_duration
from deskstretch.coach import Coach, Plan
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.models import Exercise, Position, Routine, Source
from deskstretch.core.player import PlayerSummary, Status
from deskstretch.core.records import COMPLETE_SHARE, SessionStatus, done_share, ended_status
from deskstretch.core.safety import SafetyVerdict, Urgency
from deskstretch.core.timeline import build_timeline
from deskstretch.core.wording import plural

_POSITIONS = {p.value: p for p in Position}
_EQUIPMENT = ("chair", "desk", "step", "none")


def _console() -> Console:
    return Console(highlight=False)


def _dose_text(exercise: Exercise, short: bool = False) -> str:
    dose = exercise.dose
    if short:
        per = f"/{exercise.side_noun}" if exercise.is_unilateral else ""
        if dose.is_timed_hold:
            return f"{dose.reps}×{dose.hold_seconds} s{per}"
        return f"{plural(dose.reps, 'rep')}{per}"
    per = f" per {exercise.side_noun}" if exercise.is_unilateral else ""
    if dose.is_timed_hold:
        contract = f" after a {dose.contract_seconds} s press" if dose.contract_seconds else ""
        return f"{dose.reps} x {dose.hold_seconds} s hold{contract}{per}"
    return f"{plural(dose.reps, 'rep')} x {dose.rep_seconds:g} s{per}"


def exercise_list(
    coach: Coach, position: str | None, target: str | None, equipment: str | None
) -> None:
    if position is not None and position.lower() not in _POSITIONS:
        raise DeskstretchError(f"--position: expected seated or standing, got '{position}'")
    if equipment is not None and equipment.lower() not in _EQUIPMENT:
        raise DeskstretchError(
            f"--equipment: expected one of {', '.join(_EQUIPMENT)}, got '{equipment}'"
        )
    chosen = coach.exercises(
        _POSITIONS[position.lower()] if position else None,
        target,
        equipment.lower() if equipment else None,
    )
    console = _console()
    if not chosen:
        console.print("No exercises match those filters. Try `deskstretch list` without filters.")
        return
    tags = coach.active_tags()
    table = Table(
        title="deskstretch exercises", title_justify="left", box=box.SIMPLE_HEAD, expand=True
    )
    table.add_column("Code", no_wrap=True)
    table.add_column("Exercise", min_width=31)
    table.add_column("Where", no_wrap=True)
    table.add_column("Targets", ratio=1, min_width=12, overflow="fold")
    table.add_column("Dose", no_wrap=True)
    for exercise in chosen:
        hidden = bool(tags & set(exercise.contraindications))
        name = Text(exercise.name, style="dim strike" if hidden else "bold")
        name.append(f"\n{exercise.id}", style="dim")
        table.add_row(
            exercise.code,
            name,
            exercise.position.value,
            ", ".join(exercise.targets),
            _dose_text(exercise, short=True),
        )
    console.print(table)
    console.print(
        "Details: deskstretch show S01 (or the id). Struck-through moves are left out "
        "of your routines because of the health conditions you told us about."
    )


def _sources(sources: tuple[Source, ...]) -> Table:
    entries = []
    for source in sources:
        text = source.title
        if source.note:
            text += f" ({source.note})"
        if source.url:
            text += f"\n{source.url}"
        entries.append(text)
    return _numbered(tuple(entries))


def _hanging(markers: list[str], lines: tuple[str, ...]) -> Table:
    """A list whose wrapped lines stay indented under their text, not under the marker."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for marker, line in zip(markers, lines, strict=True):
        grid.add_row(marker, Text(line))
    return grid


def _numbered(lines: tuple[str, ...]) -> Table:
    return _hanging([f"{n}." for n in range(1, len(lines) + 1)], lines)


def _bullets(lines: tuple[str, ...]) -> Table:
    return _hanging(["-"] * len(lines), lines)


def exercise_detail(coach: Coach, name: str) -> None:
    exercise = coach.find_exercise(name)
    console = _console()
    facts = Table.grid(padding=(0, 2))
    facts.add_row("Targets", ", ".join(exercise.targets))
    facts.add_row("Position", exercise.position.value)
    facts.add_row("Sides", "one side at a time" if exercise.is_unilateral else "both at once")
    facts.add_row("Equipment", ", ".join(exercise.equipment))
    facts.add_row("Type", exercise.type.value)
    facts.add_row("Default dose", _dose_text(exercise))
    facts.add_row("Id", f"{exercise.id} ({exercise.code})")
    parts: list[RenderableType] = [Text(exercise.summary + "\n"), facts]
    parts += [Text("\nSet up", style="bold"), Text(exercise.setup)]
    parts += [Text("\nHow to do it", style="bold"), _numbered(exercise.cues)]
    parts += [Text("\nCommon mistakes", style="bold"), _bullets(exercise.mistakes)]
    parts += [Text("\nTake care", style="bold yellow"), _bullets(exercise.cautions)]
    variants = []
    for label, ids in (("Easier", exercise.easier), ("Harder", exercise.harder)):
        for variant_id in ids:
            variant = coach.catalogue.exercises[variant_id]
            variants.append(f"{label}: {variant.name} ({variant.code}, {variant.id})")
    variants += list(exercise.variant_notes)
    if variants:
        parts += [Text("\nVariations", style="bold"), _bullets(tuple(variants))]
    tags = coach.active_tags() & set(exercise.contraindications)
    if tags:
        parts.append(
            Text(
                "\nThis move is left out of your routines because of what you told us ("
                + ", ".join(sorted(tags))
                + ").",
                style="bold red",
            )
        )
    parts += [Text("\nSources", style="bold"), _sources(exercise.sources)]
    console.print(
        Panel(Group(*parts), title=f"{exercise.code}  {exercise.name}", title_align="left")
    )


def learn() -> None:
    from rich.markdown import Markdown  # ~25 ms of imports; only `learn` needs it

    from deskstretch.catalogue.learn import load_learn

    content = load_learn()
    console = _console()
    console.print(Text(content.title, style="bold underline"))
    for section in content.sections:
        console.print()
        console.print(Text(section.heading, style="bold"))
        console.print(Markdown(section.body))
    table = Table(title="What the research says", title_justify="left", show_lines=True)
    table.add_column("Claim", ratio=3)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("In short", ratio=5)
    styles = {
        "strong": "green",
        "moderate": "cyan",
        "mixed": "yellow",
        "weak": "yellow",
        "not supported": "red",
    }
    for row in content.evidence:
        table.add_row(
            row.claim,
            Text(row.verdict, style=styles.get(row.verdict, "")),
            row.summary + "\n" + "; ".join(row.sources),
        )
    console.print()
    console.print(table)
    console.print(Text("\nHow the grades work", style="bold"))
    console.print(Text(content.grading_rule))
    console.print(_bullets(tuple(grade.meaning for grade in content.grades)))
    console.print(Text("\nSources", style="bold"))
    console.print(_sources(tuple(Source(s.title, s.url, s.note) for s in content.sources)))


def _routine_row(routine: Routine) -> tuple[Text, ...]:
    total = build_timeline(routine).total_seconds
    position = routine.position.value if routine.position else "mixed"
    origin = "built-in" if routine.origin == "built-in" else "yours"
    cells = (routine.id, routine.name, format_duration(total), position, origin)
    return tuple(Text(cell) for cell in cells)


def routine_list(coach: Coach) -> None:
    console = _console()
    table = Table(title="Routines", title_justify="left")
    for column in ("Id", "Name", "Length", "Position", "From"):
        table.add_column(column)
    for routine in coach.routines():
        table.add_row(*_routine_row(routine))
    console.print(table)
    console.print(
        f"Play one: deskstretch start ID. Add your own TOML files to "
        f"{coach.settings.routines_dir} (format: docs/routine-format.md)."
    )
    err = Console(stderr=True, highlight=False)
    for problem in coach.routine_set.problems:
        err.print(f"skipped: {problem}", markup=False, soft_wrap=True)


def routine_detail(coach: Coach, name: str) -> None:
    path = Path(name)
    if name.endswith(".toml") or path.is_file():
        loaded = coach.load_routine_file(path)
    else:
        loaded = coach.resolve_routine(name, None)
    # The same plan `start` and the browser player play: adapted to the safety answers and pain.
    preview = coach.preview(loaded)
    routine = preview.plan.routine
    timeline = preview.plan.timeline
    console = _console()
    length = format_duration(timeline.total_seconds)
    adjusted = " (changed to suit you: see below)" if preview.plan.changes else ""
    table = Table(
        title=Text(f"{routine.name}  ({length}), as it would play for you{adjusted}"),
        title_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column("Exercise")
    table.add_column("Dose")
    table.add_column("Time", justify="right")
    for index, step in enumerate(routine.steps):
        dose = step.dose
        per = f" per {step.exercise.side_noun}" if step.exercise.is_unilateral else ""
        if dose.is_timed_hold:
            text = f"{dose.reps} x {dose.hold_seconds} s{per}"
        else:
            text = f"{plural(dose.reps, 'rep')} x {dose.rep_seconds:g} s{per}"
        seconds = sum(s.duration_seconds for s in timeline.segments if s.step_index == index)
        name_text = Text(f"{step.exercise.name} ({step.exercise.code})")
        if step.note:
            name_text.append(f"\n{step.note}", style="dim")
        table.add_row(str(index + 1), name_text, text, format_duration(seconds))
    if preview.locked:  # first: a red flag's advice matters more than the steps
        console.print(Text(f"Not playable right now: {preview.locked}\n", style="bold red"))
    if routine.summary:
        console.print(Text(routine.summary))
    if routine.steps:
        console.print(table)
        console.print(
            "Times include getting ready, side switches, rests and moving between exercises.",
            style="dim",
        )
    else:
        console.print(f"No step of '{routine.name}' suits what you told us, so it would not play.")
    plan_changes(console, preview.plan)


def routine_validate(coach: Coach, file: Path) -> None:
    loaded = coach.load_routine_file(file)
    timeline = build_timeline(loaded.routine)
    console = _console()
    for warning in loaded.warnings:
        console.print(f"warning: {warning}", markup=False)
    console.print(
        f"{file}: OK - '{loaded.routine.name}', {plural(len(loaded.routine.steps), 'step')}, "
        f"{format_duration(timeline.total_seconds)}",
        markup=False,
    )
    for change in coach.adapt(loaded.routine).changes:
        console.print(f"note for you: {change.reason}", markup=False)


_URGENCY_TITLES = {
    Urgency.EMERGENCY: "Get help now",
    Urgency.SAME_DAY: "See a doctor today",
    Urgency.URGENT: "See a doctor within 24 hours",
    Urgency.PROMPT: "See your doctor soon",
    Urgency.ROUTINE: "Mention this to your doctor",
}


def safety_verdict(console: Console, verdict: SafetyVerdict) -> None:
    title = _URGENCY_TITLES[verdict.urgency] if verdict.urgency else "Please check first"
    lines: list[RenderableType] = [Text(verdict.advice + "\n", style="bold")]
    if verdict.flagged:
        lines.append(Text("You told us:"))
        lines.append(_bullets(tuple(q.text for q in verdict.flagged)))
    lines.append(
        Text(
            "\nRoutines stay paused until you answer the questions again with `deskstretch check`."
            " There is no option that skips this.",
            style="dim",
        )
    )
    console.print(Panel(Group(*lines), title=title, border_style="red", title_align="left"))


def plan_changes(console: Console, plan: Plan) -> None:
    if not plan.notes:
        return
    lines = [Text(note) for note in plan.notes]
    console.print(
        Panel(Group(*lines), title="Adjusted for you", border_style="yellow", title_align="left")
    )


def session_summary(console: Console, plan: Plan, summary: PlayerSummary) -> None:
    done = [s for s in summary.steps if not s.skipped]
    share = done_share(summary.steps)
    complete = ended_status(summary.steps) is SessionStatus.COMPLETED
    if complete:
        headline = "Routine complete. Well done."
    elif summary.status is Status.FINISHED:
        headline = "Routine finished, partly done."
    else:
        headline = "Stopped early. That still counts."
    table = Table(title=headline, title_justify="left", show_header=True)
    table.add_column("Exercise")
    table.add_column("Done", justify="right")
    table.add_column("Sides")
    for step in summary.steps:
        sides = ", ".join(
            f"{side.value} {format_duration(seconds)}"
            for side, seconds in step.seconds_by_side.items()
            if side.value != "both" and seconds >= 1
        )
        state = "skipped" if step.skipped else ("" if step.completed else " (part)")
        done_text = state if step.skipped else f"{format_duration(step.done_seconds)}{state}"
        table.add_row(step.exercise_name, done_text, sides)
    console.print(table)
    console.print(
        f"{len(done)} of {len(summary.steps)} exercises, "
        f"{format_duration(summary.work_seconds_done)} of movement "
        f"(planned {format_duration(plan.timeline.work_seconds())}). "
        f"Saved as {'complete' if complete else 'partial'}: {math.floor(share * 100)}% of the "
        f"planned holds and moves done; complete needs {COMPLETE_SHARE:.0%}."
    )
    console.print(
        "If anything hurt sharply or pain spread down a leg, rest and take it easier "
        "next time; if it persists, check with a clinician.",
        style="dim",
    )
