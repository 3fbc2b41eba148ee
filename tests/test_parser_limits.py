"""Parsers never crash (issue #9 item 11): every hostile file is one line naming file and field.

Routine files, safety answers (`check --from`), questionnaire answers (`score --answers`),
reminders.toml and the JSON import (`deskstretch import`), on real files: named pipes, folders,
devices, huge files, byte order marks, deep nesting, long ids, 1e308 / inf / NaN and links that
are not web addresses. Re-importing an older export keeps the newer records and says so.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from deskstretch.catalogue.loader import load_catalogue, load_routine_file, load_routine_text
from deskstretch.cli.screening import screening_from_file
from deskstretch.coach.questionnaires import load_answers
from deskstretch.core.errors import DeskstretchError, FileFormatError
from deskstretch.core.records import Instrument
from deskstretch.reminders.policy import read_policy
from helpers.support import CliRunner

CATALOGUE = load_catalogue()
ROUTINE = 'name = "Mine"\n\n[[steps]]\nexercise = "S01"\n'
PARSERS: dict[str, Callable[[Path], object]] = {
    "routine": lambda path: load_routine_file(path, CATALOGUE),
    "safety answers": screening_from_file,
    "questionnaire answers": lambda path: load_answers(path, Instrument.ODI),
    "reminders": read_policy,
}


def error_of(parse: Callable[[Path], object], path: Path) -> str:
    """The one-line message ``parse(path)`` fails with; a hang or a crash fails the test."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            parse(path)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=30)  # not a timing assertion: only to fail instead of hanging forever
    assert outcome, f"reading {path} never returned (blocked on it)"
    error = outcome[0]
    assert isinstance(error, DeskstretchError), f"expected a one-line error, got {error!r}"
    assert "\n" not in error.message
    assert str(path) in error.message
    return error.message


@pytest.mark.parametrize("parser", list(PARSERS))
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path, parser: str) -> None:
    pipe = tmp_path / "answers.toml"
    os.mkfifo(pipe)
    assert "expected a TOML file, found a named pipe" in error_of(PARSERS[parser], pipe)


@pytest.mark.parametrize("parser", list(PARSERS))
def test_a_folder_or_a_device_is_refused(tmp_path: Path, parser: str) -> None:
    assert "found a folder" in error_of(PARSERS[parser], tmp_path)
    assert "found a device" in error_of(PARSERS[parser], Path("/dev/zero"))


@pytest.mark.parametrize("parser", list(PARSERS))
def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, parser: str) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_text(ROUTINE + "# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    assert "larger than 1 MB" in error_of(PARSERS[parser], huge)


@pytest.mark.parametrize("parser", list(PARSERS))
@pytest.mark.parametrize("nested", ["a = " + "[" * 3000 + "]" * 3000, "a = " + "{b=" * 3000])
def test_deep_nesting_is_a_clear_error(tmp_path: Path, parser: str, nested: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(nested + "\n", encoding="utf-8")
    message = error_of(PARSERS[parser], path)
    assert "nested" in message or "not valid TOML" in message


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("\ufeff" + ROUTINE, encoding="utf-8")
    assert load_routine_file(path, CATALOGUE).routine.name == "Mine"
    assert load_routine_text("\ufeff" + ROUTINE, path, CATALOGUE).routine.name == "Mine"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('id = "' + "a" * 65 + '"\n', ":1: id: expected at most 64 characters, got 65"),
        ("[[sources]]\ntitle = \"Link\"\nurl = \"javascript:alert(1)\"\n",
         ":7: sources[0].url: expected a web address starting https:// or http://"),
        ("[[sources]]\ntitle = \"Link\"\nurl = \"file:///etc/passwd\"\n",
         ":7: sources[0].url: expected a web address"),
        ("rep_seconds = 1e308\n", ":5: steps[0].rep_seconds: expected at most 20, got 1e+308"),
        ("rep_seconds = inf\n", ":5: steps[0].rep_seconds: expected at most 20, got inf"),
        ("reps = nan\n", ":5: steps[0].reps: expected a finite number, got nan"),
        ('note = "' + "n" * 301 + '"\n', ":5: steps[0].note: expected at most 300 characters"),
    ],
)  # fmt: skip
def test_hostile_values_name_the_file_line_and_field(
    tmp_path: Path, extra: str, expected: str
) -> None:
    path = tmp_path / "mine.toml"
    text = extra + ROUTINE if extra.startswith("id") else ROUTINE + extra
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        load_routine_file(path, CATALOGUE)
    assert caught.value.message.startswith(f"{path}{expected}"), caught.value.message


# ----- the JSON import ------------------------------------------------------------------------


def test_import_refuses_a_named_pipe_a_huge_file_and_deep_nesting(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    pipe = tmp_path / "export.json"
    os.mkfifo(pipe)
    result = run_cli("import", pipe)
    assert result.exit_code != 0 and "found a named pipe" in result.output, result
    huge = tmp_path / "huge.json"
    huge.write_text('{"notes": "' + "x" * 1_100_000 + '"}', encoding="utf-8")
    result = run_cli("import", huge)
    assert result.exit_code != 0 and "larger than 1 MB" in result.output, result
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_cli("import", deep)
    assert result.exit_code != 0 and "nested at most" in result.output, result
    assert "Traceback" not in result.output


def test_import_accepts_a_byte_order_mark(run_cli: CliRunner, tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    assert run_cli("export", "--out", exported).exit_code == 0
    exported.write_text("\ufeff" + exported.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("import", exported)
    assert result.exit_code == 0, result


def test_reimporting_an_older_export_says_what_was_kept(run_cli: CliRunner, tmp_path: Path) -> None:
    """The repro: export while a session is open, finish it, import the old file again."""
    from datetime import UTC, datetime, timedelta

    from deskstretch.config import Settings
    from deskstretch.core.records import SessionRecord, SessionStatus
    from deskstretch.store import open_store
    from deskstretch.store import repository as repo
    from deskstretch.store.exchange import FIRST_YEAR

    started = datetime(FIRST_YEAR + 25, 3, 4, 9, 0, tzinfo=UTC)
    with open_store(Settings.from_env().database_url) as store:
        repo.start_session(
            store,
            SessionRecord("s1", "hamstring-2min", "Hamstrings", started, SessionStatus.IN_PROGRESS),
        )
    older = tmp_path / "older.json"
    assert run_cli("export", "--out", older).exit_code == 0
    with open_store(Settings.from_env().database_url) as store:
        repo.finish_session(store, "s1", SessionStatus.PARTIAL, started + timedelta(minutes=2))

    result = run_cli("import", older)

    assert result.exit_code == 0, result
    assert "Kept 1 newer record already here (1 session)" in result.output
    with open_store(Settings.from_env().database_url) as store:
        assert repo.get_session(store, "s1").status is not SessionStatus.IN_PROGRESS
    assert json.loads(older.read_text(encoding="utf-8"))["sessions"][0]["status"] == "in_progress"
