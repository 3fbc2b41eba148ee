"""The Rich dashboard: fits 80 and 60 columns, shows the key figures and rules, handles no data."""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from deskstretch.cli.dashboard import NO_SESSIONS, render_dashboard, sparkline
from deskstretch.coach.progress import ProgressSummary, summarise
from helpers.progress_records import TODAY, empty_input, session, step, worked_input


def render(summary: ProgressSummary, width: int) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(render_dashboard(summary))
    return console.export_text()


def flat(text: str) -> str:
    """Text with wrapping undone: runs of whitespace become one space."""
    return " ".join(text.split())


def test_sparkline_uses_a_fixed_scale_and_marks_missing_days() -> None:
    assert sparkline([0, 5, 10, None, 3], 0, 10) == "▁▅█·▃"
    assert sparkline([12, -1], 0, 10) == "█▁"  # clamped to the scale
    assert sparkline([4, 4], 4, 4) == "▄▄"  # a flat series sits in the middle


@pytest.mark.parametrize("width", [80, 60])
def test_dashboard_fits_the_width_without_cutting_text(width: int) -> None:
    text = render(summarise(worked_input()), width)
    lines = text.splitlines()
    assert len(lines) > 30
    assert max(len(line) for line in lines) <= width
    assert "…" not in text


@pytest.mark.parametrize("width", [80, 60])
def test_dashboard_shows_the_key_figures_and_interpretations(width: int) -> None:
    text = flat(render(summarise(worked_input()), width))
    for expected in (
        "Streak: 3 days in a row",
        "This week: 2 of 5 days",
        "Back pain went from 6 to 3 (−3 points, 50%): a real change for the better.",
        "Leg pain stayed at 2 (no change): within normal variation.",
        "Rule: ≥ 2 points",
        "Chair sit-and-reach went from −3 cm to 5 cm (+8 cm): a real change for the better.",
        "Rule: ≥ 7 cm",
        "Mon Tue Wed Thu Fri Sat Sun",
        "Last sessions",
        "too much",
        "not a diagnosis",
    ):
        assert expected in text, expected
    assert "cured" not in text.lower()


def test_dashboard_pain_sparkline_shows_each_day_on_the_0_to_10_scale() -> None:
    text = render(summarise(worked_input()), 80)
    back = next(line for line in text.splitlines() if line.startswith("Back "))
    # 30 days, oldest first: 20 without a rating, then 6 7 5 4 3, 3 without, 2, and today none.
    assert back.split()[1] == "·" * 20 + "▅▆▅▄▃" + "···" + "▂·"


def test_dashboard_lists_hamstrings_first_with_the_per_leg_target() -> None:
    lines = render(summarise(worked_input()), 80).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Minutes per muscle group"))
    rows = [line for line in lines[start:] if line.startswith(("hamstrings", "lower back"))]
    assert not [line for line in lines[start:] if line.startswith("low-back")]  # the label shows
    assert rows[0].split()[:2] == ["hamstrings,", "per"]
    assert rows[0].split()[-2:] == ["2.0", "5–10"]  # this week, per leg; target per leg
    assert rows[1].split()[-2:] == ["1.5", "—"]


def test_dashboard_calendar_marks_session_days_and_leaves_the_future_blank() -> None:
    lines = render(summarise(worked_input()), 80).splitlines()
    this_week = next(line for line in lines if line.startswith("9 Mar"))
    assert this_week.split() == ["9", "Mar", "●", "●", "·", "2/5"]


def test_dashboard_with_no_data_says_how_to_start() -> None:
    for width in (80, 60):
        text = render(summarise(empty_input()), width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert NO_SESSIONS in flat(text)
        assert "Pain, last" not in text
        assert "Streak: no session today or yesterday" in text


def test_dashboard_prints_routine_names_literally_not_as_markup() -> None:
    odd = session(TODAY, step("low-back", 90), name="[bold red]Mine[/] <script>")
    data = dataclasses.replace(worked_input(), sessions=[odd])
    text = render(summarise(data), 80)
    assert "[bold red]Mine[/] <script>" in text


def test_dashboard_puts_pain_rule_changes_first() -> None:
    summary = summarise(worked_input())
    plan = dataclasses.replace(summary.plan, messages=("Your pain went up: lighter routine.",))
    text = render(dataclasses.replace(summary, plan=plan), 80)
    assert text.index("Pain rules") < text.index("Pain, last 30 days")
    assert "Your pain went up: lighter routine." in text
