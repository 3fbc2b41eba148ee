"""Progress charts as small hand-made inline SVG: pain trend, days per week, hamstring minutes,
the forward-bend angle from photos.

Drawn from numbers and fixed words only. Colours come from CSS classes (so dark mode and the
colour-blind-safe palette live in app.css); each chart has a <title> and a <desc> in words, and
the page shows the same numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

from deskstretch.coach.progress import PainSummary, SitePain
from deskstretch.core.streaks import WeekDays, WeekMinutes
from deskstretch.core.wording import plural

WIDTH, HEIGHT = 340, 190
LEFT, RIGHT, TOP, BOTTOM = 28, 8, 30, 24
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM


def day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def _svg(key: str, title: str, desc: str, parts: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-labelledby="{key}-title {key}-desc">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _y(value: float, top: float) -> float:
    return TOP + PLOT_H - value / top * PLOT_H


def _y_axis(ticks: Sequence[float], top: float) -> list[str]:
    parts = []
    for tick in ticks:
        y = _y(tick, top)
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + PLOT_W}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 5}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    return parts


def _x_labels(days: Sequence[date], centres: Sequence[float]) -> list[str]:
    """First, middle and last labels: enough to read the dates without crowding a phone."""
    if not days:
        return []
    picks = sorted({0, len(days) // 2, len(days) - 1})
    anchors = {0: "start", len(days) - 1: "end"}
    y = HEIGHT - 8
    return [
        f'<text class="tick" x="{centres[i]:.1f}" y="{y}"'
        f' text-anchor="{anchors.get(i, "middle")}">{escape(day_label(days[i]))}</text>'
        for i in picks
    ]


def _legend(items: Sequence[tuple[str, str]]) -> list[str]:
    parts, x = [], LEFT
    for css, label in items:
        parts.append(
            f'<line class="key {css}" x1="{x}" y1="12" x2="{x + 18}" y2="12"/>'
            f'<text class="label" x="{x + 23}" y="16">{escape(label)}</text>'
        )
        x += 34 + 7 * len(label)
    return parts


def _site_words(site: SitePain) -> str:
    if not site.readings:
        return f"no {site.site} pain ratings"
    return (
        f"{site.site} pain rated on {plural(site.readings, 'day')}, latest {site.latest} out of 10"
    )


def pain_chart(pain: PainSummary) -> Markup:
    days = len(pain.days)
    step = PLOT_W / max(1, days - 1)
    xs = [LEFT + index * step for index in range(days)]
    parts = _y_axis((0, 5, 10), 10)
    for site in (pain.back, pain.leg):
        points = [
            (xs[index], _y(value, 10))
            for index, value in enumerate(site.values)
            if value is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline class="line {site.site}" points="{path}"/>')
        parts += [
            f'<circle class="dot {site.site}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>'
            for x, y in points
        ]
    parts += _x_labels(pain.days, xs)
    parts += _legend((("back", "Back"), ("leg", "Leg (dashed)")))
    desc = (
        f"Daily pain from 0 (none) to 10 over the last {days} days: "
        f"{_site_words(pain.back)}; {_site_words(pain.leg)}."
    )
    return _svg("pain", "Back and leg pain, day by day", desc, parts)


def _bars(
    starts: Sequence[date], values: Sequence[float], top: float, classes: Sequence[str]
) -> list[str]:
    slot = PLOT_W / max(1, len(values))
    width = slot * 0.62
    centres = [LEFT + slot * (index + 0.5) for index in range(len(values))]
    parts = []
    for centre, value, css in zip(centres, values, classes, strict=True):
        y = _y(value, top)
        height = TOP + PLOT_H - y
        parts.append(
            f'<rect class="bar {css}" x="{centre - width / 2:.1f}" y="{y:.1f}"'
            f' width="{width:.1f}" height="{max(height, 0.0):.1f}"/>'
        )
        if value > 0:
            text = f"{value:.1f}".removesuffix(".0")
            parts.append(
                f'<text class="value" x="{centre:.1f}" y="{y - 4:.1f}"'
                f' text-anchor="middle">{text}</text>'
            )
    return parts + _x_labels(starts, centres)


def days_chart(weeks: Sequence[WeekDays], goal: int) -> Markup:
    top = 7
    parts = _y_axis((0, goal, top), top)
    y = _y(goal, top)
    parts.append(f'<line class="goal" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + PLOT_W}" y2="{y:.1f}"/>')
    starts = [week.week_start for week in weeks]
    values = [float(week.days) for week in weeks]
    classes = ["met" if week.met else "short" for week in weeks]
    parts += _bars(starts, values, top, classes)
    parts += _legend((("goal", f"Goal: {plural(goal, 'day')}"),))
    met = sum(week.met for week in weeks)
    desc = (
        f"Days with a session in each of the last {len(weeks)} weeks, by week starting Monday."
        f" This week so far: {weeks[-1].days} of {goal}. Weeks that met the goal: {met}."
    )
    return _svg("days", "Days with a session, week by week", desc, parts)


def hamstring_chart(weeks: Sequence[WeekMinutes], target: tuple[float, float]) -> Markup:
    low, high = target
    values = [week.groups[0].per_leg_minutes or 0.0 for week in weeks]
    top = max(high * 1.2, max(values, default=0.0) * 1.15)
    ticks = (0, low, high)
    parts = [
        f'<rect class="band" x="{LEFT}" y="{_y(high, top):.1f}" width="{PLOT_W}"'
        f' height="{_y(low, top) - _y(high, top):.1f}"/>'
    ]
    parts += _y_axis(ticks, top)
    classes = ["met" if value >= low else "short" for value in values]
    parts += _bars([week.week_start for week in weeks], values, top, classes)
    parts += _legend((("band", f"Target: {low:g}–{high:g} min per leg"),))
    latest = f"{values[-1]:.1f}".removesuffix(".0") if values else "0"
    desc = (
        f"Minutes of hamstring stretching per leg in each of the last {len(weeks)} weeks;"
        f" the shaded band is the {low:g} to {high:g} minute target. This week: {latest}."
    )
    return _svg("hamstrings", "Hamstring minutes per leg, week by week", desc, parts)


def bend_chart(key: str, label: str, points: Sequence[tuple[date, int, int]]) -> Markup:
    """One photo test's forward-bend angles over time: a dot per assessment (rounded to 5°, as
    shown everywhere) with a bar of its ± uncertainty, in order (dates under the first, middle
    and last: two on one day must not hide each other)."""
    top = max(90, *(value + plus for _, value, plus in points)) if points else 90
    top = 30 * -(-top // 30)
    parts = _y_axis(tuple(range(0, top + 1, 30)), top)
    days = [day for day, _, _ in points]
    margin, count = 14, len(points)
    step = (PLOT_W - 2 * margin) / max(1, count - 1)
    xs = [LEFT + (PLOT_W / 2 if count == 1 else margin + index * step) for index in range(count)]
    if len(points) > 1:
        path = " ".join(
            f"{x:.1f},{_y(value, top):.1f}" for x, (_, value, _) in zip(xs, points, strict=True)
        )
        parts.append(f'<polyline class="line bend" points="{path}"/>')
    for x, (_, value, plus) in zip(xs, points, strict=True):
        high, low = _y(min(value + plus, top), top), _y(max(value - plus, 0), top)
        parts.append(
            f'<line class="whisker" x1="{x:.1f}" y1="{high:.1f}" x2="{x:.1f}" y2="{low:.1f}"/>'
            f'<line class="whisker" x1="{x - 4:.1f}" y1="{high:.1f}" x2="{x + 4:.1f}"'
            f' y2="{high:.1f}"/>'
            f'<line class="whisker" x1="{x - 4:.1f}" y1="{low:.1f}" x2="{x + 4:.1f}"'
            f' y2="{low:.1f}"/>'
            f'<circle class="dot bend" cx="{x:.1f}" cy="{_y(value, top):.1f}" r="4"/>'
        )
    parts += _x_labels(days, xs)
    plus = points[-1][2] if points else 6
    parts += _legend((("bend", f"Forward-bend angle, ±{plus}° bars"),))
    listed = "; ".join(f"{day_label(day)}: {value}°" for day, value, _ in points)
    desc = (
        f"{label}: forward-bend angle from photos, in degrees, each ±{plus}°"
        f" ({plural(len(points), 'measurement')}). {listed}."
    )
    return _svg(key, f"{label}: forward-bend angle over time", desc, parts)
