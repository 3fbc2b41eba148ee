"""Issue 12 item 5 in the terminal: "1 step", "1 rep", and "lower back" (never "low back")."""

from __future__ import annotations

import re
from pathlib import Path

from helpers.support import CliRunner, flat, write_file

ONE_OF_EACH = """\
id = "one-of-each"
name = "One of each"

[[steps]]
exercise = "seated-pelvic-tilts"
reps = 1
rep_seconds = 4
"""
LOW_BACK = re.compile(r"\blow[ -]back\b(?! pain)", re.IGNORECASE)


def test_validate_says_one_step(run_cli: CliRunner, tmp_path: Path) -> None:
    path = write_file(tmp_path / "one.toml", ONE_OF_EACH)
    result = run_cli("routine", "validate", path)
    assert result.exit_code == 0, result
    assert f"{path}: OK - 'One of each', 1 step, " in result.stdout
    assert "1 steps" not in result.stdout


def test_show_says_one_rep(run_cli: CliRunner, tmp_path: Path) -> None:
    path = write_file(tmp_path / "one.toml", ONE_OF_EACH)
    result = run_cli("routine", "show", path)
    assert result.exit_code == 0, result
    text = flat(result.stdout)
    assert "1 rep x 4 s" in text
    assert "1 reps" not in text


def test_list_says_lower_back_and_its_filter_finds_the_group(run_cli: CliRunner) -> None:
    listed = run_cli("list")
    assert listed.exit_code == 0, listed
    assert "lower back" in flat(listed.stdout)
    assert not LOW_BACK.search(listed.stdout)
    chosen = run_cli("list", "--target", "lower back")
    assert chosen.exit_code == 0, chosen
    assert "Seated pelvic tilts" in flat(chosen.stdout)  # stored as muscle_group "low-back"
