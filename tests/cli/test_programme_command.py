"""`deskstretch programme list|show|validate` through the real command line (a child process),
as a physiotherapist handing over a file, or the person receiving it, would run them."""

from __future__ import annotations

import re
from pathlib import Path

from helpers.support import CliRunner, Dirs, flat, write_file

PLAN = """\
id = "handed-over"
name = "Handed-over plan"
weeks = 3

[[levels]]
number = 1
name = "Only level"
aim = "Short sessions with my own routine."
routines = ["my-routine", "hamstring-2min"]
sessions_per_week = 3
micro_breaks_per_day = 4

[[sources]]
title = "My physiotherapist"
"""

MY_ROUTINE = """\
id = "my-routine"
name = "My routine"

[[steps]]
exercise = "S11"
reps = 5
hold_seconds = 10

[[steps]]
exercise = "S01"
reps = 3
hold_seconds = 20
"""


def test_programme_list_shows_built_in_and_yours_and_says_what_was_skipped(
    run_subprocess: CliRunner, dirs: Dirs
) -> None:
    write_file(dirs.routines / "mine.toml", MY_ROUTINE)
    folder = dirs.config / "programmes"
    write_file(folder / "plan.toml", PLAN)
    write_file(folder / "broken.toml", PLAN.replace("weeks = 3", "weeks = 0"))
    result = run_subprocess("programme", "list")
    assert result.exit_code == 0, result
    rows = {
        cells[0]: cells
        for line in result.stdout.splitlines()
        if len(cells := [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]) == 5
    }
    assert rows["desk-back-6-weeks"][2:] == ["6", "3", "built-in"]
    assert rows["handed-over"][1:] == ["Handed-over plan", "3", "1", "yours"]
    assert str(folder) in flat(result.stdout)
    assert result.stderr_lines == [
        f"skipped: {folder / 'broken.toml'}:3: weeks: expected at least 1, got 0"
    ]


def test_programme_show_gives_levels_weeks_routines_doses_and_rules(
    run_subprocess: CliRunner,
) -> None:
    result = run_subprocess("programme", "show", "desk-back-6-weeks")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "6 weeks, 3 levels. Re-measure at the start of weeks 1, 3 and 6." in text
    levels = re.findall(r"Level (\d): ([A-Za-z ]+?) \((weeks \d-\d) if you move up", text)
    assert levels == [
        ("1", "Gentle start", "weeks 1-2"),
        ("2", "Building", "weeks 3-4"),
        ("3", "Strength and control", "weeks 5-6"),
    ]
    assert "3 sessions a week, 6 micro-breaks a day" in text
    assert "5 sessions a week, 10 micro-breaks a day" in text
    assert re.search(r"core-and-hamstrings Core and hamstrings 4:38 .*core 48 s", text), text
    assert "hamstrings 60 s per leg" in text
    assert (
        "You move up a level at the end of a programme week when the last 7 days had at least 3"
        " completed sessions, none of them too much, and your average back pain was no higher"
        " than when the level began."
    ) in text
    assert "two such days in a row pause the programme" in text
    assert "Owen et al. 2020" in text


def test_programme_show_of_a_handed_over_plan_counts_its_own_routines_doses(
    run_subprocess: CliRunner, dirs: Dirs
) -> None:
    write_file(dirs.routines / "mine.toml", MY_ROUTINE)
    write_file(dirs.config / "programmes" / "plan.toml", PLAN)
    result = run_subprocess("programme", "show", "handed-over")
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "Level 1: Only level (weeks 1-3 if you move up as planned; at least 1 week)" in text
    assert re.search(r"my-routine My routine \d:\d\d core 50 s, hamstrings 60 s per leg", text)
    assert "Re-measure at the start of weeks 1 and 3." in text


def test_programme_show_of_an_unknown_id_suggests_one(run_subprocess: CliRunner) -> None:
    result = run_subprocess("programme", "show", "desk-back")
    assert result.exit_code == 1, result
    assert result.stderr_lines == [
        "deskstretch: No programme called 'desk-back'. Did you mean 'desk-back-6-weeks'?"
    ]


def test_programme_validate_says_ok_with_any_warning(
    run_subprocess: CliRunner, dirs: Dirs, tmp_path: Path
) -> None:
    write_file(dirs.routines / "mine.toml", MY_ROUTINE)
    path = write_file(
        tmp_path / "plan.toml", PLAN.replace("sessions_per_week = 3", "sessions_per_week = 1")
    )
    result = run_subprocess("programme", "validate", path)
    assert result.exit_code == 0, result
    assert result.stdout.splitlines() == [
        "warning: plan.toml: level 1 plans 1 session a week; flexibility guidance suggests at"
        " least 2 to 3.",
        f"{path}: OK - 'Handed-over plan', 3 weeks, 1 level",
    ]


def test_programme_validate_names_the_line_and_field_and_fails(
    run_subprocess: CliRunner, dirs: Dirs, tmp_path: Path
) -> None:
    # Without the person's routine file, `my-routine` does not exist.
    path = write_file(tmp_path / "plan.toml", PLAN)
    result = run_subprocess("programme", "validate", path)
    assert result.exit_code == 1, result
    assert result.stdout == ""
    assert result.stderr_lines == [
        f"deskstretch: error: {path}:9: levels[0].routines[0]: No routine called 'my-routine'."
    ]


def test_programme_validate_warns_when_the_id_is_taken(
    run_subprocess: CliRunner, tmp_path: Path
) -> None:
    text = PLAN.replace('id = "handed-over"', 'id = "desk-back-6-weeks"').replace(
        '"my-routine", ', ""
    )
    path = write_file(tmp_path / "plan.toml", text)
    result = run_subprocess("programme", "validate", path)
    assert result.exit_code == 0, result
    assert "note: the id 'desk-back-6-weeks' is already used by a built-in programme" in flat(
        result.stdout
    )


def test_help_lists_the_programme_group(run_subprocess: CliRunner) -> None:
    result = run_subprocess("programme", "--help")
    assert result.exit_code == 0, result
    for command in ("list", "show", "validate"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), result
