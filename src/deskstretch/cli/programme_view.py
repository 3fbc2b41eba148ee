"""``deskstretch programme list|show|validate`` drawn with Rich: levels, doses and the rules.

The sentences (the rules, the doses, where the person stands) come from ``coach.plans``, which
the browser's programme pages and Today use too, so both front ends and
docs/programme-format.md say the same thing.
"""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from deskstretch.cli.terminal.screen import format_duration
from deskstretch.coach import Coach
from deskstretch.coach.plans import (
    PAIN_RULES,
    ProgrammeToday,
    level_dose_text,
    level_span_text,
    level_text,
    planned_weeks,
    progression_text,
    this_week_text,
    week_list,
    week_text,
    work_text,
)
from deskstretch.coach.plans import weeks_text as _weeks
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.programme import Level
from deskstretch.core.remeasure import Measure
from deskstretch.core.timeline import build_timeline


def _console() -> Console:
    return Console(highlight=False)


def programme_list(coach: Coach) -> None:
    console = _console()
    found = coach.programme_set
    table = Table(title="Programmes", title_justify="left")
    for column in ("Id", "Name", "Weeks", "Levels", "From"):
        table.add_column(column)
    for programme in coach.programmes():
        origin = "built-in" if found.is_built_in(programme.id) else "yours"
        cells = (programme.id, programme.name, str(programme.weeks), str(len(programme.levels)))
        table.add_row(*(Text(cell) for cell in (*cells, origin)))
    console.print(table)
    console.print(
        f"See one: deskstretch programme show ID. Add your own TOML files to"
        f" {coach.settings.programmes_dir} (format: docs/programme-format.md).",
        markup=False,
    )
    err = Console(stderr=True, highlight=False)
    for problem in found.problems:
        err.print(f"skipped: {problem}", markup=False, soft_wrap=True)


def _level(coach: Coach, level: Level, span: tuple[int, int]) -> Group:
    heading = Text(f"Level {level.number}: {level.name}", style="bold")
    heading.append(f"  ({level_span_text(level, span)})", style="none")
    plan = Text(f"{level_dose_text(level)}. Routines, played in turn:")
    table = Table(box=box.SIMPLE, pad_edge=False)
    for column in ("Routine", "Name", "Length", "Work per session"):
        table.add_column(column)
    routines = coach.routine_set.routines
    for routine_id in level.routines:
        routine = routines.get(routine_id)
        if routine is None:  # its file was removed after the programme was loaded
            table.add_row(Text(routine_id), Text("(missing)"), Text(""), Text(""))
            continue
        length = format_duration(build_timeline(routine).total_seconds)
        table.add_row(*(Text(c) for c in (routine.id, routine.name, length, work_text(routine))))
    return Group(heading, Text(level.aim), plan, table)


def programme_detail(coach: Coach, programme_id: str) -> None:
    programme = coach.find_programme(programme_id)
    found = coach.programme_set
    console = _console()
    origin = "built-in" if found.is_built_in(programme.id) else found.origins[programme.id]
    console.print(Text(f"{programme.name}  ({programme.id}, {origin})", style="bold"))
    if programme.summary:
        console.print(Text(programme.summary))
    console.print(
        Text(
            f"\n{_weeks(programme.weeks)}, {len(programme.levels)} levels. Re-measure at the"
            f" start of {week_list(programme.remeasure_weeks)}.\n"
        )
    )
    for level, span in zip(programme.levels, planned_weeks(programme), strict=True):
        console.print(_level(coach, level, span))
    console.print(Text("Moving up", style="bold"))
    console.print(Text(progression_text(programme.progression)))
    console.print(Text("\nWhen it hurts", style="bold"))
    console.print(Text(PAIN_RULES))
    if programme.lessons:
        console.print(Text("\nLessons", style="bold"))
        for week, lesson in programme.lessons:
            console.print(Text(f"week {week}: {lesson}"))
    console.print(Text("\nSources", style="bold"))
    for number, source in enumerate(programme.sources, start=1):
        text = f"{number}. {source.title}" + (f" ({source.note})" if source.note else "")
        console.print(Text(text + (f"\n   {source.url}" if source.url else "")))
    console.print(
        Text(
            "\nRoutines adapt to your safety answers and recent pain when they play:"
            " `deskstretch routine show ID` shows how.",
            style="dim",
        )
    )


def programme_validate(coach: Coach, file: Path) -> None:
    loaded = coach.load_programme_file(file)
    programme = loaded.programme
    console = _console()
    for warning in loaded.warnings:
        console.print(f"warning: {warning}", markup=False)
    levels = "level" if len(programme.levels) == 1 else "levels"
    console.print(
        f"{file}: OK - '{programme.name}', {_weeks(programme.weeks)},"
        f" {len(programme.levels)} {levels}",
        markup=False,
    )
    if programme.id in coach.programme_set.programmes:
        taken = coach.programme_set.origins[programme.id]
        if taken == "built-in" or Path(taken).resolve() != file.resolve():
            owner = "a built-in programme" if taken == "built-in" else taken
            console.print(
                f"note: the id '{programme.id}' is already used by {owner}; give this file"
                " another id before copying it into your programmes folder.",
                markup=False,
            )


def _lesson_titles(coach: Coach) -> dict[str, str]:
    return {lesson.id: lesson.title for lesson in coach.lessons()}


def programme_start(coach: Coach, programme_id: str, level: int = 1) -> None:
    programme = coach.find_programme(programme_id)
    count = len(programme.levels)
    if not 1 <= level <= count:
        raise DeskstretchError(
            f"--level: expected a level from 1 to {count} ({programme.id} has {count}), got {level}"
        )
    previous = coach.enrolment()
    enrolment = coach.start_programme(programme.id, level=level)
    console = _console()
    if previous is not None and previous.programme_id != programme.id:
        console.print(f"Stopped '{previous.programme_id}'.", markup=False)
    console.print(
        Text(f"You are following {programme.name}, from {enrolment.started_on:%A %d %B}.")
    )
    programme_status(coach)


def programme_stop(coach: Coach) -> None:
    ended = coach.stop_programme()
    console = _console()
    if ended is None:
        console.print("You are not following a programme. `deskstretch programme list` shows them.")
        return
    console.print(
        f"Stopped '{ended.programme_id}'. Your sessions and check-ins stay in your history.",
        markup=False,
    )


def programme_status(coach: Coach) -> None:
    """Where the person stands: week N of M, level, today's session, what changes next, the
    week's plan, a re-measure or lesson when one is due."""
    today = coach.programme_today()
    console = _console()
    if today is None:
        console.print(
            "You are not following a programme yet. `deskstretch programme list` shows them;"
            " `deskstretch programme start desk-back-6-weeks` starts the 6-week one."
        )
        return
    standing, programme = today.standing, today.programme
    console.print(Text(f"{programme.name}: {week_text(standing)}", style="bold"))
    level = standing.level
    console.print(Text(f"{level_text(standing)} {level.aim}"))
    if standing.is_finished:
        console.print(Text(f"You finished at level {level.number} of {standing.level_count}."))
        _review(coach, console, finished=True)
        console.print(Text(f"Start again: deskstretch programme start {programme.id}", style="dim"))
        return
    if standing.paused:
        console.print(Text(f"Paused: {standing.paused}", style="bold"))
    else:
        routine = coach.routine_set.find(standing.routine_id)
        console.print(
            Text(
                f"Today: {routine.name} ({format_duration(build_timeline(routine).total_seconds)})"
                f" - deskstretch start"
            )
        )
    console.print(Text(this_week_text(standing)))
    console.print(Text(f"Next: {standing.next_change}"))
    if not standing.paused:  # no measuring while paused, as on Today
        _remeasure(coach, today, console)
    if today.unread:
        lesson = today.unread[0]
        console.print(
            Text(
                f"This week's read: {lesson.title} ({lesson.minutes} min) - deskstretch lesson"
                f" {lesson.id}"
            )
        )
    _review(coach, console, finished=False)
    table = Table(box=box.SIMPLE, title="This week", title_justify="left")
    for column in ("Day", "Session", "Done", "Short breaks"):
        table.add_column(column)
    names = {r.id: r.name for r in coach.routines()}
    for day in today.plan.days:
        table.add_row(
            f"{day.day:%a %d %b}",
            names.get(day.routine_id, day.routine_id) if day.routine_id else "-",
            str(day.sessions_done) if day.sessions_done else "",
            str(day.micro_breaks),
        )
    console.print(table)


REMEASURE_COMMANDS: dict[Measure, str] = {
    Measure.ACTIVITIES: "deskstretch psfs rate",
    Measure.PAIN: "deskstretch checkin",
    Measure.REACH: "deskstretch measure sit-and-reach",
    Measure.ODI: "deskstretch score odi",
    Measure.RMDQ: "deskstretch score rmdq",
    Measure.PHOTO: "deskstretch assess (how to take the photos), then deskstretch assess PHOTO...",
}


def _remeasure(coach: Coach, today: ProgrammeToday, console: Console) -> None:
    """The re-measure check while something is left to record: each measure, done or how."""
    check = coach.remeasure_check(today)
    if check is None or check.is_complete:
        return
    console.print(
        Text(f"Week {check.week} check: see how you are doing, for the review at the end.")
    )
    for item in check.items:
        how = "done" if item.done else REMEASURE_COMMANDS[item.measure]
        console.print(Text(f"- {item.label}: {how}"))


def _review(coach: Coach, console: Console, *, finished: bool) -> None:
    """The first week against the last, from the programme's last week on."""
    review = coach.programme_review()
    if review is None:
        return
    title = "Your review" if finished else "Your review so far (this is the last week)"
    console.print(Text(f"\n{title}", style="bold"))
    for sentence in (*review.sentences, *review.missing):
        console.print(Text(f"- {sentence}"))
    console.print(Text(f"Next step: {review.advice}"))
