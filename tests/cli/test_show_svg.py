"""`deskstretch show EXERCISE --svg FILE`: saves every phase of the figure as one SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from helpers.support import CliRunner

SVG = "{http://www.w3.org/2000/svg}"


def test_show_svg_writes_all_phases(run_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.svg"
    result = run_cli("show", "S01", "--svg", out)
    assert result.exit_code == 0, result
    assert "Seated hamstring hinge" in result.stdout  # the usual details still print
    assert f"Figures saved to {out}" in result.stdout
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert root.get("role") == "img"
    assert len(root.findall(f"{SVG}svg")) == 2  # sit tall, hinge forward
    assert not list(tmp_path.glob(".out.svg.*"))  # no temporary file left behind


def test_show_svg_into_a_missing_folder_is_one_line(run_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "out.svg"
    result = run_cli("show", "S01", "--svg", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"deskstretch: error: {out.parent}: no such folder"
    assert result.stdout == ""  # fails before printing the details
    assert not out.parent.exists()


def test_show_svg_onto_a_folder_is_refused(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli("show", "S12", "--svg", tmp_path)
    assert result.exit_code == 1
    assert "is a folder; give a file name" in result.stderr


def test_show_svg_unknown_exercise_suggests(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli("show", "seated-hamstring-hing", "--svg", tmp_path / "x.svg")
    assert result.exit_code == 1
    assert "seated-hamstring-hinge" in result.stderr
    assert not (tmp_path / "x.svg").exists()
