"""History commands through the CLI: check-in, progress, report, export/import, forget; and the
store's bad-input paths (corrupt, newer) as a person meets them."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

from support import CliRunner, Dirs, FakeClock

TINY = """\
name = "Tiny"
get_ready_seconds = 1

[[steps]]
exercise = "S01"
reps = 1
hold_seconds = 5
"""


def _database(dirs: Dirs) -> Path:
    return dirs.data / "deskstretch.sqlite3"


def _play_tiny(run_cli: CliRunner, tmp_path: Path) -> None:
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY, encoding="utf-8")
    result = run_cli("start", "--file", routine, "--plain")
    assert result.exit_code == 0, result


def test_checkin_with_values_is_recorded_and_shown_in_progress(
    run_cli: CliRunner, screened: Path
) -> None:
    result = run_cli("checkin", "--back", "4", "--leg", "0", "--note", "long meeting")
    assert result.exit_code == 0, result
    assert "Recorded: back 4/10, leg 0/10." in result.stdout
    progress = run_cli("progress")
    assert progress.exit_code == 0, progress
    assert "latest 4/10" in progress.stdout
    assert "Traceback" not in progress.output


def test_checkin_out_of_range_is_a_usage_error(run_cli: CliRunner) -> None:
    result = run_cli("checkin", "--back", "11")
    assert result.exit_code == 2
    assert "--back" in result.stderr
    assert "Traceback" not in result.output


def test_checkin_without_values_and_without_terminal_explains(run_cli: CliRunner) -> None:
    result = run_cli("checkin")
    assert result.exit_code == 1
    assert result.stderr_lines == [
        "deskstretch: error: give --back and/or --leg (0-10), or run `deskstretch checkin` "
        "in a terminal"
    ]


def test_new_leg_pain_asks_for_a_safety_recheck(run_cli: CliRunner, screened: Path) -> None:
    result = run_cli("checkin", "--back", "2", "--leg", "3")
    assert result.exit_code == 0
    assert "deskstretch check" in result.stdout


def test_session_is_recorded_and_counted(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, tmp_path: Path, dirs: Dirs
) -> None:
    _play_tiny(run_cli, tmp_path)
    with sqlite3.connect(_database(dirs)) as db:
        rows = db.execute("select routine_name, status from sessions").fetchall()
    assert rows == [("Tiny", "completed")]
    progress = run_cli("progress")
    assert "Streak: 1 day in a row" in progress.stdout
    assert all(len(line) <= 200 for line in progress.stdout.splitlines())


def test_progress_charts_are_written(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, tmp_path: Path
) -> None:
    _play_tiny(run_cli, tmp_path)
    png, svg = tmp_path / "p.png", tmp_path / "p.svg"
    result = run_cli("progress", "--png", png, "--svg", svg)
    assert result.exit_code == 0, result
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:500]


def test_progress_chart_into_missing_folder_is_one_clear_line(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    result = run_cli("progress", "--png", tmp_path / "nope" / "p.png")
    assert result.exit_code == 1
    assert len(result.stderr_lines) == 1
    assert "no such folder" in result.stderr


def test_report_is_html_with_the_checkin(run_cli: CliRunner, tmp_path: Path) -> None:
    run_cli("checkin", "--back", "5")
    out = tmp_path / "report.html"
    result = run_cli("report", "--out", out)
    assert result.exit_code == 0, result
    html = out.read_text(encoding="utf-8")
    HTMLParser().feed(html)
    assert "<html" in html
    assert "not a diagnosis" in html


def test_export_forget_import_round_trip(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, tmp_path: Path
) -> None:
    _play_tiny(run_cli, tmp_path)
    run_cli("checkin", "--back", "3", "--leg", "1")
    first = tmp_path / "first.json"
    assert run_cli("export", "--out", first).exit_code == 0
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert len(exported["sessions"]) == 1
    assert len(exported["checkins"]) == 1

    forget = run_cli("forget", "--yes")
    assert forget.exit_code == 0
    assert "Deleted 2 records" in forget.stdout
    empty = json.loads(run_cli("export").stdout)
    assert empty["sessions"] == [] and empty["checkins"] == []

    assert run_cli("import", first).exit_code == 0
    assert run_cli("import", first).exit_code == 0  # twice: ids kept, nothing doubled
    again = json.loads(run_cli("export").stdout)
    assert again["sessions"] == exported["sessions"]
    assert again["checkins"] == exported["checkins"]


def test_export_csv_writes_one_file_per_kind(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, tmp_path: Path
) -> None:
    _play_tiny(run_cli, tmp_path)
    folder = tmp_path / "csv"
    result = run_cli("export", "--format", "csv", "--out", folder)
    assert result.exit_code == 0, result
    names = sorted(p.name for p in folder.iterdir())
    assert "sessions.csv" in names and "session_steps.csv" in names
    steps = (folder / "session_steps.csv").read_text(encoding="utf-8").splitlines()
    assert steps[0].startswith("session_id,step_index,exercise_id")
    assert "seated-hamstring-hinge" in steps[1]


def test_export_csv_needs_a_folder(run_cli: CliRunner) -> None:
    result = run_cli("export", "--format", "csv")
    assert result.exit_code == 1
    assert "--out FOLDER" in result.stderr


def test_import_of_bad_json_names_the_line_and_keeps_data(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    run_cli("checkin", "--back", "2")
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "deskstretch-export",\n  oops\n}', encoding="utf-8")
    result = run_cli("import", bad)
    assert result.exit_code == 1
    assert f"{bad}:3:" in result.stderr
    assert "Traceback" not in result.output
    assert len(json.loads(run_cli("export").stdout)["checkins"]) == 1


def test_import_of_a_wrong_record_names_its_path(run_cli: CliRunner, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    run_cli("checkin", "--back", "2")
    run_cli("export", "--out", first)
    data = json.loads(first.read_text(encoding="utf-8"))
    data["checkins"][0]["back_pain"] = 12
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("import", broken, "--replace")
    assert result.exit_code == 1
    assert "checkins[0].back_pain" in result.stderr
    # all or nothing: --replace did not wipe anything
    assert len(json.loads(run_cli("export").stdout)["checkins"]) == 1


def test_forget_without_confirmation_keeps_everything(run_cli: CliRunner) -> None:
    run_cli("checkin", "--back", "2")
    result = run_cli("forget")
    assert result.exit_code == 1
    assert "--yes" in result.stderr
    assert len(json.loads(run_cli("export").stdout)["checkins"]) == 1


def test_corrupt_database_is_reported_and_left_untouched(run_cli: CliRunner, dirs: Dirs) -> None:
    path = _database(dirs)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database at all" * 100)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_cli("progress")
    assert result.exit_code == 1
    assert len(result.stderr_lines) == 1
    assert "damaged" in result.stderr
    assert "Traceback" not in result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_database_from_a_newer_version_is_refused(run_cli: CliRunner, dirs: Dirs) -> None:
    run_cli("checkin", "--back", "2")
    path = _database(dirs)
    with sqlite3.connect(path) as db:
        db.execute("update alembic_version set version_num = '9999_from_the_future'")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_cli("checkin", "--back", "3")
    assert result.exit_code == 1
    assert "newer version of deskstretch" in result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
