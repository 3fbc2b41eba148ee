"""History commands through the CLI: check-in, progress, report, export/import, forget; and the
store's bad-input paths (corrupt, newer) as a person meets them."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers.support import CliRunner, Dirs, FakeClock

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
    # the session, the check-in, and the programme event it called for (new leg pain)
    assert forget.stdout == "Deleted 3 records. deskstretch starts afresh.\n"
    empty = json.loads(run_cli("export").stdout)
    assert empty["sessions"] == [] and empty["checkins"] == []

    assert run_cli("import", first).exit_code == 0
    assert run_cli("import", first).exit_code == 0  # twice: ids kept, nothing doubled
    again = json.loads(run_cli("export").stdout)
    assert again["sessions"] == exported["sessions"]
    assert again["checkins"] == exported["checkins"]
    assert again["programme_events"] == exported["programme_events"]
    assert [e["kind"] for e in exported["programme_events"]] == ["questions_due"]


def test_export_csv_writes_one_file_per_kind(
    run_cli: CliRunner, screened: Path, fake_clock: FakeClock, tmp_path: Path
) -> None:
    _play_tiny(run_cli, tmp_path)
    run_cli("checkin", "--back", "3", "--leg", "1")  # new leg pain: the questions are due again
    folder = tmp_path / "csv"
    result = run_cli("export", "--format", "csv", "--out", folder)
    assert result.exit_code == 0, result
    names = sorted(p.name for p in folder.iterdir())
    assert "sessions.csv" in names and "session_steps.csv" in names
    events = (folder / "programme_events.csv").read_text(encoding="utf-8").splitlines()
    assert events[0] == "id,at,kind"
    assert [line.rsplit(",", 1)[1] for line in events[1:]] == ["questions_due"]
    assert "enrolments.csv" in names  # one file per kind, even a kind with no records
    assert "assessments.csv" in names
    # One file per kind of record, session_steps.csv and lessons_read.csv.
    assert result.stderr.startswith("Exported 1 session, 1 check-in and 1 programme event to 10")
    assert (folder / "lessons_read.csv").read_text(encoding="utf-8").splitlines() == ["lesson_id"]
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


# ----- import, export and forget name what they counted in plain words ---------------------------

AT = "2025-03-04T08:30:00+00:00"


def _session(session_id: str, status: str = "completed") -> dict[str, object]:
    step = {"step_index": 0, "exercise_id": "S01", "muscle_group": "hamstrings",
            "planned_seconds": 30.0, "done_seconds": 30.0, "seconds_both": 30.0}  # fmt: skip
    return {"id": session_id, "routine_id": "tiny", "routine_name": "Tiny", "started_at": AT,
            "status": status, "steps": [step] if status == "completed" else [],
            "ended_at": AT if status == "completed" else None}  # fmt: skip


def _checkin(checkin_id: str) -> dict[str, object]:
    return {"id": checkin_id, "at": AT, "back_pain": 3, "leg_pain": None}


def _export_file(path: Path, **records: list[dict[str, object]]) -> Path:
    path.write_text(
        json.dumps({"format": "deskstretch-export", "schema_version": 1, **records}),
        encoding="utf-8",
    )
    return path


def test_import_says_what_it_imported_in_plain_words(run_cli: CliRunner, tmp_path: Path) -> None:
    first = _export_file(
        tmp_path / "a.json",
        sessions=[_session("s1")],
        checkins=[_checkin("c1"), _checkin("c2"), _checkin("c3")],
        measurements=[
            {"id": f"m{n}", "at": AT, "kind": "fingertip_to_floor", "value_cm": 10.0,
             "protocol": "p", "leg": None}
            for n in (1, 2)
        ],
    )  # fmt: skip
    result = run_cli("import", first)
    assert result.exit_code == 0, result
    assert result.stdout == f"Imported 1 session, 3 check-ins and 2 measurements from {first}.\n"

    second = _export_file(
        tmp_path / "b.json",
        checkins=[_checkin("c4")],
        psfs_activities=[{"id": "a1", "name": "Sitting", "created_at": AT}],
        questionnaire_results=[
            {"id": "q1", "at": AT, "instrument": "odi", "version": "2.1a",
             "answers": {"pain_intensity": 2}, "score": 20.0},
            {"id": "q2", "at": AT, "instrument": "odi", "version": "2.1a",
             "answers": {"pain_intensity": 3}, "score": 30.0},
        ],
        programme_events=[{"id": "e1", "at": AT, "kind": "questions_answered"}],
    )  # fmt: skip
    result = run_cli("import", second)
    assert result.exit_code == 0, result
    assert result.stdout == (
        "Imported 1 check-in, 1 PSFS activity, 2 questionnaire results and 1 programme event "
        f"from {second}.\n"
    )


def test_import_says_which_newer_records_it_kept(run_cli: CliRunner, tmp_path: Path) -> None:
    assert run_cli("import", _export_file(tmp_path / "new.json", sessions=[_session("s1")]))
    older = _export_file(tmp_path / "old.json", sessions=[_session("s1", "in_progress")])

    result = run_cli("import", older)

    assert result.exit_code == 0, result
    assert result.stdout == (
        f"Imported no records from {older}.\n"
        "Kept 1 newer record already here (1 session): the file has an older copy.\n"
    )


def test_export_counts_in_plain_words(run_cli: CliRunner, tmp_path: Path) -> None:
    run_cli("import", _export_file(tmp_path / "in.json", checkins=[_checkin("c1")]))
    out = tmp_path / "out.json"

    result = run_cli("export", "--out", out)

    assert result.exit_code == 0, result
    assert result.stderr == f"Exported 1 check-in to {out}.\n"


def test_forget_confirmation_counts_in_plain_words(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskstretch.cli.history import run_forget
    from deskstretch.coach import Coach
    from deskstretch.config import Settings
    from deskstretch.store import repository as repo

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    coach = Coach(Settings.from_env())
    data = json.loads(
        json.dumps(
            {"format": "deskstretch-export", "schema_version": 1,
             "sessions": [_session("s1")], "checkins": [_checkin("c1"), _checkin("c2")]}
        )
    )  # fmt: skip
    repo.import_records(coach.store, data)
    monkeypatch.setattr(sys, "stdin", Terminal("forget\n"))

    run_forget(coach, yes=False)

    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith(
        "This deletes the 3 records deskstretch keeps about you (1 session and 2 check-ins) "
        "from this computer."
    )
    assert out.endswith("Deleted 3 records. deskstretch starts afresh.")


def test_an_imported_questions_due_event_blocks_routines(
    run_cli: CliRunner, screened: Path, tmp_path: Path
) -> None:
    from deskstretch.coach import Coach
    from deskstretch.config import Settings

    due: list[dict[str, object]] = [{"id": "e1", "at": AT, "kind": "questions_due"}]
    result = run_cli("import", _export_file(tmp_path / "due.json", programme_events=due))
    assert result.exit_code == 0, result

    assert Coach(Settings.from_env()).questions_due()
    routine = tmp_path / "tiny.toml"
    routine.write_text(TINY, encoding="utf-8")
    started = run_cli("start", "--file", routine, "--plain")
    assert started.exit_code != 0
    assert started.played == []
    assert "safety questions need answering again" in " ".join(started.stderr.split())
