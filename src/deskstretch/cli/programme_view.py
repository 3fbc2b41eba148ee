"""``deskstretch programme list|show|validate`` drawn with Rich: levels, doses and the rules.

The rule texts (``progression_text``, ``PAIN_RULES``) say in plain words what
docs/programme-format.md says, so the terminal and the docs agree.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from deskstretch.cli.terminal.screen import format_duration
from deskstretch.coach import Coach
from deskstretch.core.models import Routine
from deskstretch.core.programme import Level, Programme, ProgressionRule
from deskstretch.core.timeline import build_timeline

PAIN_RULES = (
    "The pain rules apply at every level: after a session that was too much, the next one is"
    " easier; a day with more pain than the day before makes the doses lighter; two such days in"
    " a row pause the programme until you have seen a clinician or your back feels as usual."
)


def _console() -> Console:
    return Console(highlight=False)


def _weeks(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def _week_list(numbers: tuple[int, ...]) -> str:
    """ "week 1" or "weeks 1, 3 and 6"."""
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return f"week {words[0]}"
    return "weeks " + ", ".join(words[:-1]) + " and " + words[-1]


def progression_text(rule: ProgressionRule) -> str:
    """The progression rule in plain words."""
    too_much = "none of them" if rule.max_too_much == 0 else f"at most {rule.max_too_much} of them"
    margin = (
        "no higher than"
        if rule.pain_margin == 0
        else f"at most {rule.pain_margin:g} points higher than"
    )
    sessions = "session" if rule.min_sessions == 1 else "sessions"
    return (
        f"You move up a level at the end of a programme week when the last {rule.window_days}"
        f" days had at least {rule.min_sessions} completed {sessions}, {too_much} too much,"
        f" and your average back pain was {margin} when the level began."
    )


def planned_weeks(programme: Programme) -> list[tuple[int, int]]:
    """(first, last) week of each level if every move up comes as early as it can."""
    spans = []
    start = 1
    for index, level in enumerate(programme.levels):
        last = (
            programme.weeks if index == len(programme.levels) - 1 else start + level.min_weeks - 1
        )
        spans.append((start, last))
        start += level.min_weeks
    return spans


def dose_text(routine: Routine) -> str:
    """Seconds of work per muscle group in one playing ("hamstrings 60 s per leg")."""
    seconds: dict[str, float] = defaultdict(float)
    nouns: dict[str, set[str]] = defaultdict(set)
    for step in routine.steps:
        group = step.exercise.muscle_group
        seconds[group] += step.dose.work_seconds_per_side()
        nouns[group].add(step.exercise.side_noun if step.exercise.is_unilateral else "")
    parts = []
    for group, total in seconds.items():
        per = nouns[group]
        suffix = f" per {next(iter(per))}" if len(per) == 1 and "" not in per else ""
        parts.append(f"{group.replace('-', ' ')} {total:g} s{suffix}")
    return ", ".join(parts)


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
    weeks = f"weeks {span[0]}-{span[1]}" if span[1] > span[0] else f"week {span[0]}"
    breaks = "micro-break" if level.micro_breaks_per_day == 1 else "micro-breaks"
    sessions = "session" if level.sessions_per_week == 1 else "sessions"
    heading = Text(f"Level {level.number}: {level.name}", style="bold")
    heading.append(
        f"  ({weeks} if you move up as planned; at least {_weeks(level.min_weeks)})",
        style="none",
    )
    plan = Text(
        f"{level.sessions_per_week} {sessions} a week, {level.micro_breaks_per_day} {breaks} a"
        " day. Routines, played in turn:"
    )
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
        table.add_row(*(Text(c) for c in (routine.id, routine.name, length, dose_text(routine))))
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
            f" start of {_week_list(programme.remeasure_weeks)}.\n"
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


def programme_start(coach: Coach, programme_id: str) -> None:
    programme = coach.find_programme(programme_id)
    previous = coach.enrolment()
    enrolment = coach.start_programme(programme.id)
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
    if standing.is_finished:
        heading = f"{programme.name}: finished ({_weeks(programme.weeks)})"
    else:
        heading = f"{programme.name}: week {standing.week} of {standing.weeks}"
    console.print(Text(heading, style="bold"))
    level = standing.level
    console.print(
        Text(f"Level {level.number} of {standing.level_count}: {level.name}. {level.aim}")
    )
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
    sessions = "session" if standing.sessions_planned == 1 else "sessions"
    console.print(
        Text(
            f"This week: {standing.sessions_done} of {standing.sessions_planned} {sessions} done,"
            f" and {level.micro_breaks_per_day} short breaks a working day."
        )
    )
    console.print(Text(f"Next: {standing.next_change}"))
    if standing.is_remeasure_due:
        console.print(
            Text(
                f"Week {standing.remeasure_week} check: rate your activities (deskstretch psfs"
                " rate), your pain (deskstretch checkin) and measure your reach (deskstretch"
                " measure sit-and-reach)."
            )
        )
    if today.unread:
        lesson = today.unread[0]
        console.print(
            Text(
                f"This week's read: {lesson.title} ({lesson.minutes} min) - deskstretch lesson"
                f" {lesson.id}"
            )
        )
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
