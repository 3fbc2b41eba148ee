"""Writes that fail (a full disk, a folder where a file should be): routines lock, the emergency
advice is shown in full, and the CLI says what could not be saved in one line (issue #9 item 8).

The tests run as root, which ignores permission bits, so the failures are made in ways that stop
root too: a file-size limit (RLIMIT_FSIZE, what a full disk looks like to a writer) in a child
process, a folder where the answers file should be, or a regular file where a folder should be.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from deskstretch.core.safety import CAUDA_EQUINA_IDS
from helpers.support import AnswersWriter, CliRunner, Dirs, FakeClock, Result, flat

EMERGENCY = CAUDA_EQUINA_IDS[0]


def run_with_file_size_limit(dirs: Dirs, *argv: str | Path, limit_bytes: int = 256) -> Result:
    """``python -m deskstretch ARGS`` in a child that cannot write past ``limit_bytes`` of any file.

    With SIGXFSZ ignored, a write past the limit fails with EFBIG ("File too large") instead of
    killing the process: the same OSError path as a full disk, and root is not exempt.
    """

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    done = subprocess.run(
        [sys.executable, "-m", "deskstretch", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        preexec_fn=limit,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def test_red_flag_that_cannot_be_saved_locks_routines_and_shows_the_advice(
    dirs: Dirs,
    run_cli: CliRunner,
    write_answers: AnswersWriter,
    fake_clock: FakeClock,
) -> None:
    assert run_cli("check", "--from", write_answers()).exit_code == 0
    assert dirs.screening.is_file()  # all clear, stored: routines would play

    result = run_with_file_size_limit(dirs, "check", "--from", write_answers(yes=[EMERGENCY]))

    assert result.exit_code != 0, result
    assert "Traceback" not in result.output, result
    assert "emergency department" in flat(result.stdout), result
    assert len(result.stderr_lines) == 1, result
    line = result.stderr_lines[0]
    assert f"Could not save your answers to {dirs.screening}" in line
    assert "File too large" in line
    assert "Routines stay locked until they can be saved" in line
    # The stale "all clear" answers must not unlock routines in the next process.
    locked = run_cli("start", "--plain")
    assert locked.exit_code == 3, locked
    assert locked.played == []


def test_answers_file_that_is_a_folder_is_one_line_error_with_the_advice(
    dirs: Dirs, run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    dirs.screening.mkdir(parents=True)
    result = run_cli("check", "--from", write_answers(yes=[EMERGENCY]))
    assert result.exit_code != 0, result
    assert "Traceback" not in result.output
    assert "emergency department" in flat(result.stdout)
    assert len(result.stderr_lines) == 1, result
    assert f"Could not save your answers to {dirs.screening}" in result.stderr_lines[0]
    assert run_cli("start", "--plain").exit_code == 3


def test_all_clear_answers_that_cannot_be_saved_do_not_unlock(
    dirs: Dirs, run_cli: CliRunner, write_answers: AnswersWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A regular file where the config folder's parent should be: no one can create the folder.
    dirs.root.joinpath("not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("DESKSTRETCH_CONFIG_DIR", str(dirs.root / "not-a-folder" / "config"))
    result = run_cli("check", "--from", write_answers())
    assert result.exit_code != 0, result
    assert "Traceback" not in result.output
    assert len(result.stderr_lines) == 1, result
    assert "Could not save your answers to" in result.stderr_lines[0]
    assert "You are all set" not in result.stdout
    assert run_cli("start", "--plain").exit_code == 3


def test_export_and_report_to_an_unwritable_place_are_one_line_errors(
    dirs: Dirs, run_cli: CliRunner, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    for argv in (
        ("export", "--out", blocker / "out.json"),
        ("report", "--out", blocker / "report.html"),
        ("export", "--format", "csv", "--out", blocker / "csv"),
    ):
        result = run_cli(*argv)
        assert result.exit_code == 1, (argv, result)
        assert "Traceback" not in result.output, (argv, result)
        assert len(result.stderr_lines) == 1, (argv, result)
        assert str(blocker) in result.stderr_lines[0], (argv, result)


def test_full_disk_during_export_is_one_line_error(
    dirs: Dirs, run_cli: CliRunner, tmp_path: Path
) -> None:
    assert run_cli("checkin", "--back", "3", "--leg", "0").exit_code == 0  # a record to export
    out = tmp_path / "export.json"
    result = run_with_file_size_limit(dirs, "export", "--out", out, limit_bytes=64)
    assert result.exit_code == 1, result
    assert "Traceback" not in result.output, result
    assert len(result.stderr_lines) == 1, result
    assert f"Could not save {out}" in result.stderr_lines[0]
    assert "File too large" in result.stderr_lines[0]
