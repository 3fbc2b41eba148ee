"""The terminal progress dashboard: one Rich renderable built from a ProgressSummary.

Fits 60 columns and wider; user text (routine and activity names) goes in as Text, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from deskstretch.coach.progress import (
    COMPLETE_RULE,
    NPRS_RULE,
    PAIN_DAYS,
    ProgressSummary,
    SitePain,
)
from deskstretch.coach.scores import FlexibilitySeries
from deskstretch.core.wording import clock_minutes, group_label, minutes_text, plural

BLOCKS = "▁▂▃▄▅▆▇█"
NO_READING = "·"
SESSION_MARK = "●"
FLEX_SPARK_POINTS = 24
NO_SESSIONS = "No sessions yet — try `deskstretch start`."
FOOTER = (
    "Self-reported data. A change shown here is information to discuss with your clinician,"
    " not a diagnosis."
)


def sparkline(values: Sequence[float | None], low: float, high: float) -> str:
    """One block per value on a fixed ``low``-``high`` scale; ``·`` where there is no value."""
    span = high - low
    marks: list[str] = []
    for value in values:
        if value is None:
            marks.append(NO_READING)
        elif span <= 0:
            marks.append(BLOCKS[len(BLOCKS) // 2 - 1])
        else:
            share = (min(max(value, low), high) - low) / span
            marks.append(BLOCKS[round(share * (len(BLOCKS) - 1))])
    return "".join(marks)


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _number(value: float) -> str:
    return f"{value:.1f}".replace("-", "−")


def _section(title: str) -> Rule:
    return Rule(Text(title, style="bold"), align="left", style="dim")


def _indented(*lines: Text | str, left: int = 2) -> Padding:
    body = Text("\n").join(line if isinstance(line, Text) else Text(line) for line in lines)
    return Padding(body, (0, 0, 0, left))


def _header(summary: ProgressSummary) -> RenderableType:
    title = Text("Your progress", style="bold")
    title.append(f" — {summary.today:%A} {summary.today.day} {summary.today:%B %Y}", style="")
    week = summary.this_week
    if summary.streak:
        streak = f"Streak: {plural(summary.streak, 'day')} in a row"
    else:
        streak = "Streak: no session today or yesterday"
    goal = f"This week: {week.days} of {week.goal} days" + (" — goal met" if week.met else "")
    return Group(title, Text(f"{streak} · {goal}"))


def _pain_site(site: SitePain) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=4, no_wrap=True)
    grid.add_column()
    label = site.site.capitalize()
    if not site.readings:
        grid.add_row(label, Text(f"No {site.site} pain ratings in the last {PAIN_DAYS} days."))
        return grid
    body = Text(sparkline(site.values, 0, 10))
    body.append(f"  latest {site.latest}/10", style="bold")
    if site.change is None:
        body.append(f"\nOnly one day rated; a change {site.basis}.")
    else:
        body.append("\n" + site.change.sentence)
        body.append(f"\nRule: {site.change.threshold}; {site.basis}.", style="dim")
    grid.add_row(label, body)
    return grid


def _pain(summary: ProgressSummary) -> list[RenderableType]:
    pain = summary.pain
    intro = Text(
        f"One mark per day, 0 (no pain) to 10 (worst); {NO_READING} = no rating.", style="dim"
    )
    parts: list[RenderableType] = [_section(f"Pain, last {PAIN_DAYS} days"), intro]
    parts += [_pain_site(pain.back), _pain_site(pain.leg)]
    parts.append(Text(f"A real change means {NPRS_RULE} (Farrar 2001; Ostelo 2008).", style="dim"))
    return parts


def _flex_series(series: FlexibilitySeries) -> Padding:
    values = [value for _, value in series.points]
    title = Text(series.label, style="bold")
    title.append(f" · protocol {series.protocol} · {len(values)} tests", style="")
    if series.change is None:
        day, value = series.points[0]
        note = f"One test so far ({_number(value)} cm on {_day(day)}); repeat it to see a change."
        return _indented(title, note, left=1)
    shown = values[-FLEX_SPARK_POINTS:]
    spark = Text(sparkline(shown, min(shown), max(shown)))
    spark.append(
        f"  last {len(shown)}: {_number(min(shown))} to {_number(max(shown))} cm", style="dim"
    )
    rule = Text(f"Rule: {series.rule}.", style="dim")
    return _indented(title, spark, series.change.sentence, rule, left=1)


def _flexibility(summary: ProgressSummary) -> list[RenderableType]:
    if not summary.flexibility:
        return []
    parts: list[RenderableType] = [_section("Flexibility, first test vs latest")]
    parts += [_flex_series(series) for series in summary.flexibility]
    return parts


def _calendar(summary: ProgressSummary) -> list[RenderableType]:
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False)
    table.add_column("Week of", no_wrap=True)
    for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        table.add_column(name, justify="center", no_wrap=True)
    table.add_column("Days", justify="right", no_wrap=True)
    weeks = {week.week_start: week for week in summary.weeks}
    for row in summary.calendar:
        marks = [
            " " if cell.day > summary.today else SESSION_MARK if cell.session_count else NO_READING
            for cell in row
        ]
        week = weeks.get(row[0].day)
        days = f"{week.days}/{week.goal}" + (" ✓" if week.met else "  ") if week else ""
        table.add_row(_day(row[0].day), *marks, days)
    legend = Text(
        f"{SESSION_MARK} session day; {NO_READING} none;"
        f" ✓ goal of {plural(summary.goal_days, 'day')} met",
        style="dim",
    )
    return [_section(f"Last {len(summary.calendar)} weeks"), table, legend]


def _minutes(summary: ProgressSummary) -> list[RenderableType]:
    weeks = summary.recent_minutes
    low, high = summary.hamstring_target
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False)
    table.add_column("Group")
    for index, week in enumerate(weeks):
        last = index == len(weeks) - 1
        table.add_column("This wk" if last else _day(week.week_start), justify="right")
    table.add_column("Target", justify="right")
    cells = []
    for week in weeks:
        hamstrings = week.groups[0]
        tick = " ✓" if hamstrings.met else "  "
        cells.append(f"{hamstrings.per_leg_minutes or 0:.1f}{tick}")
    table.add_row("hamstrings, per leg", *cells, f"{low:g}–{high:g}")
    others = sorted({g.group for week in weeks for g in week.groups[1:]})
    for name in others:
        found = [week.group(name) for week in weeks]
        table.add_row(
            Text(group_label(name)),
            *(f"{g.minutes:.1f}  " if g else "—  " for g in found),
            Text("—"),
        )
    note = Text(
        f"Minutes of stretching. Hamstrings: each leg's time, aiming for {low:g}–{high:g} min a"
        " week per leg (✓ reached the lower end).",
        style="dim",
    )
    return [_section("Minutes per muscle group"), table, note]


def _sessions(summary: ProgressSummary) -> list[RenderableType]:
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False)
    table.add_column("When", no_wrap=True)
    table.add_column("Routine", overflow="fold")
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("Result")
    for row in summary.last_sessions:
        result = Text(row.result)
        if row.too_much:
            result.append(" · too much", style="bold")
        when = f"{row.started:%a} {_day(row.started.date())} {row.started:%H:%M}"
        table.add_row(when, Text(row.routine_name), clock_minutes(row.minutes), result)
    totals = summary.totals
    line = Text(
        f"{totals.recorded} recorded: "
        + ", ".join(f"{t.sessions} {t.result}" for t in totals.by_status if t.sessions)
        + f" ({minutes_text(totals.work_minutes)} of work); {totals.real} counted towards the "
        f"streak; {totals.too_much} marked too much. A session is {COMPLETE_RULE}.",
        style="dim",
    )
    return [_section("Last sessions"), table, line]


def _plan(summary: ProgressSummary) -> list[RenderableType]:
    plan = summary.plan
    lines = [*plan.messages, *([plan.clinician_advice] if plan.clinician_advice else [])]
    if not lines:
        lines = ["Nothing to change: your next routine keeps its usual dose."]
    return [_section("Pain rules"), *(Text(line) for line in lines)]


def render_dashboard(summary: ProgressSummary) -> RenderableType:
    """The whole dashboard; sections without data are left out, with a plain note instead."""
    parts: list[RenderableType] = [_header(summary)]
    if not summary.has_sessions:
        parts.append(Text(NO_SESSIONS, style="bold"))
    if summary.has_data:
        # Pain-rule changes (a lighter routine, a pause) matter most, so they come first.
        urgent = bool(summary.plan.messages)
        if urgent:
            parts += _plan(summary)
        if summary.pain.back.readings or summary.pain.leg.readings or summary.has_sessions:
            parts += _pain(summary)
        parts += _flexibility(summary)
        if summary.has_sessions:
            parts += _calendar(summary) + _minutes(summary) + _sessions(summary)
        if not urgent:
            parts += _plan(summary)
    parts.append(Text(FOOTER, style="dim"))
    return Group(*parts)
