"""Progress charts as one PNG or SVG file: pain, flexibility, days per week, hamstring minutes.

matplotlib is imported inside ``write_charts`` (Agg backend, no pyplot), so importing this is cheap.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from deskstretch.coach.progress import PAIN_DAYS, PAIN_ROLLING_DAYS, ProgressSummary
from deskstretch.core import extras

if TYPE_CHECKING:
    from matplotlib.axes import Axes

ChartFormat = Literal["png", "svg"]
FORMATS: tuple[ChartFormat, ...] = ("png", "svg")
SIZE_INCHES = (10.0, 8.0)
DPI = 100  # 10 x 8 in at 100 dpi = 1000 x 800 px
# Okabe & Ito (2008) colour-blind-safe palette; lines also differ by marker and dash.
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#999999",
)
SERIES_STYLES = ((BLUE, "o", "-"), (ORANGE, "s", "--"), (GREEN, "^", "-."), (PURPLE, "D", ":"))
NAN = float("nan")
NO_DATA = "No data yet: charts appear after your first session, check-in or test."


def _config_dir() -> Path:
    """A writable folder for matplotlib's font cache, so a read-only home does not matter."""
    import platformdirs

    user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    candidates = (
        platformdirs.user_cache_path("deskstretch") / "matplotlib",
        Path(tempfile.gettempdir()) / f"deskstretch-matplotlib-{user}",
    )
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return Path(tempfile.mkdtemp(prefix="deskstretch-matplotlib-"))


def _noons(days: Iterable[date], offset_days: int = 0) -> list[float]:
    """Midday of each day (plus ``offset_days``) as matplotlib date numbers."""
    from matplotlib.dates import date2num

    stamps = [datetime.combine(day + timedelta(days=offset_days), time(12)) for day in days]
    return [float(number) for number in date2num(stamps)]  # type: ignore[no-untyped-call]


def _floats(values: Iterable[float | None]) -> list[float]:
    return [NAN if value is None else float(value) for value in values]


def _say_no_data(axes: Axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color=GREY)
    axes.set_xticks([])
    axes.set_yticks([])


def _date_axis(axes: Axes) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    # matplotlib.dates ships without type hints.
    locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _pain(axes: Axes, summary: ProgressSummary) -> None:
    pain = summary.pain
    axes.set_title(f"Pain, last {PAIN_DAYS} days (0 = none, 10 = worst)")
    if not (pain.back.readings or pain.leg.readings):
        _say_no_data(axes, "No pain ratings yet")
        return
    days = _noons(pain.days)
    for site, colour, marker in ((pain.back, BLUE, "o"), (pain.leg, ORANGE, "s")):
        if not site.readings:
            continue
        values = _floats(site.values)
        name = site.site.capitalize()
        axes.plot(days, values, marker, color=colour, alpha=0.5, markersize=4, label=f"{name}, day")
        rolling = _floats(site.rolling)
        label = f"{name}, {PAIN_ROLLING_DAYS}-day mean"
        axes.plot(days, rolling, "-", color=colour, linewidth=2, label=label)
    axes.set_ylim(-0.3, 10.3)
    # Always show the whole window, so a few ratings do not stretch the axis over years.
    axes.set_xlim(days[0] - 0.5, days[-1] + 0.5)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel("Pain (0–10)")
    axes.legend(loc="upper left", fontsize="small", frameon=False, ncols=2)
    _date_axis(axes)


def _flexibility(axes: Axes, summary: ProgressSummary) -> None:
    axes.set_title("Flexibility tests (cm)")
    if not summary.flexibility:
        _say_no_data(axes, "No flexibility tests yet")
        return
    for index, series in enumerate(summary.flexibility):
        colour, marker, dash = SERIES_STYLES[index % len(SERIES_STYLES)]
        days = _noons(day for day, _ in series.points)
        values = [value for _, value in series.points]
        every = max(1, len(days) // 30)
        axes.plot(
            days,
            values,
            linestyle=dash,
            marker=marker,
            markevery=every,
            markersize=4,
            color=colour,
            label=f"{series.label} ({series.protocol})",
        )
    axes.set_ylabel("cm")
    axes.legend(loc="best", fontsize="small", frameon=False)
    _date_axis(axes)


def _days_per_week(axes: Axes, summary: ProgressSummary) -> None:
    axes.set_title(f"Days with a session per week (goal {summary.goal_days})")
    if not summary.has_sessions:
        _say_no_data(axes, "No sessions yet")
        return
    centres = _noons((week.week_start for week in summary.weeks), 3)
    counts = [week.days for week in summary.weeks]
    colours = [GREEN if week.met else SKY for week in summary.weeks]
    axes.bar(centres, counts, width=5.5, color=colours)
    axes.axhline(summary.goal_days, color=VERMILLION, linestyle="--", label="goal")
    axes.set_ylim(0, 7.5)
    axes.set_ylabel("days")
    axes.legend(loc="upper left", fontsize="small", frameon=False)
    _date_axis(axes)


def _hamstrings(axes: Axes, summary: ProgressSummary) -> None:
    low, high = summary.hamstring_target
    axes.set_title("Hamstring minutes per leg per week")
    if not summary.has_sessions:
        _say_no_data(axes, "No sessions yet")
        return
    centres = _noons((week.week_start for week in summary.minutes), 3)
    minutes = [week.groups[0].per_leg_minutes or 0.0 for week in summary.minutes]
    axes.axhspan(low, high, color=GREEN, alpha=0.15, label=f"target {low:g}–{high:g} min")
    axes.bar(centres, minutes, width=5.5, color=BLUE)
    axes.set_ylim(0, max(high * 1.2, max(minutes, default=0.0) * 1.1))
    axes.set_ylabel("minutes")
    axes.legend(loc="upper left", fontsize="small", frameon=False)
    _date_axis(axes)


def write_charts(summary: ProgressSummary, path: Path, fmt: ChartFormat = "png") -> Path:
    """Write a 2 x 2 chart figure (about 1000 x 800 px for PNG) to ``path``; return ``path``."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    extras.require(extras.CHARTS)  # matplotlib is the optional 'charts' part
    if not os.environ.get("MPLCONFIGDIR"):
        # Set before the first matplotlib import, which is when it picks its cache folder.
        os.environ["MPLCONFIGDIR"] = str(_config_dir())
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    # svg.fonttype "none" keeps text as text, so the SVG is searchable and readable aloud.
    with matplotlib.rc_context({"svg.fonttype": "none", "font.size": 10}):
        figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="tight")
        if summary.period is None:
            axes = figure.add_subplot()
            axes.set_axis_off()
            axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=14)
            figure.suptitle("deskstretch progress")
        else:
            first, last = summary.period
            figure.suptitle(
                f"deskstretch progress, {first.day} {first:%b %Y} – {last.day} {last:%b %Y}",
                fontsize=14,
            )
            grid = figure.subplots(2, 2)
            _pain(grid[0][0], summary)
            _flexibility(grid[0][1], summary)
            _days_per_week(grid[1][0], summary)
            _hamstrings(grid[1][1], summary)
            for axes in figure.axes:
                axes.grid(axis="y", color="#dddddd", linewidth=0.6)
                axes.set_axisbelow(True)
        metadata = {"Date": None} if fmt == "svg" else {}
        figure.savefig(path, format=fmt, dpi=DPI, metadata=metadata)
    return path
