"""Answers that cannot be saved in a fully read-only config folder (issue #9 item 8).

The older answers cannot be deleted there either, so a note in the data folder ("answers not
saved") must keep routines and reminders locked in every later process until a save works.

The tests run as root, which ignores permission bits. A read-only bind mount in a private mount
namespace (``unshare``) stops root too: writes and deletes there fail with "Read-only file system",
exactly as on a read-only disk. Where namespaces are not allowed, those tests fail and say why;
the reading side is tested without them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from deskstretch.config import Settings, mark_screening_not_saved
from deskstretch.core.safety import CAUDA_EQUINA_IDS
from deskstretch.reminders.inputs import SafetyReader
from helpers.support import AnswersWriter, CliRunner, Dirs, FakeClock, Result, flat

EMERGENCY = CAUDA_EQUINA_IDS[0]
# sh -c SCRIPT sh FOLDER... -- COMMAND...: mount each FOLDER read-only, then run COMMAND.
_MOUNT_READ_ONLY = (
    'while [ "$1" != -- ]; do mount --bind -o ro "$1" "$1" || exit 97; shift; done; shift;'
    ' exec "$@"'
)


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            [
                "unshare",
                "-rm",
                "sh",
                "-c",
                'mount --bind -o ro "$0" "$0" && ! touch "$0/x"',
                folder,
            ],
            capture_output=True,
            timeout=30,
            check=False,
        )
    return probe.returncode == 0


@pytest.fixture
def namespaces() -> None:
    """Fails (never skips) where the test cannot make a folder read-only for root."""
    if not _namespaces_work():
        pytest.fail(
            "these tests need unshare and bind mounts (util-linux, a private mount namespace)"
        )


needs_namespaces = pytest.mark.usefixtures("namespaces")


def _env(dirs: Dirs) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    return env


def run_child(dirs: Dirs, *argv: str | Path, read_only: tuple[Path, ...] = ()) -> Result:
    """``python -m deskstretch ARGS`` in a new process; ``read_only`` folders mounted read-only."""
    command = [sys.executable, "-m", "deskstretch", *map(str, argv)]
    if read_only:
        folders = [str(folder) for folder in read_only]
        command = ["unshare", "-rm", "sh", "-c", _MOUNT_READ_ONLY, "sh", *folders, "--", *command]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=_env(dirs), check=False
    )
    assert done.returncode != 97, done.stderr  # the mount itself failed: not what we test
    return Result(done.returncode, done.stdout, done.stderr)


def _settings(dirs: Dirs) -> Settings:
    return Settings(config_dir=dirs.config, data_dir=dirs.data)


@needs_namespaces
def test_stale_answers_in_a_read_only_config_folder_stay_locked_in_later_processes(
    dirs: Dirs, run_cli: CliRunner, write_answers: AnswersWriter, fake_clock: FakeClock
) -> None:
    assert run_cli("check", "--from", write_answers()).exit_code == 0  # all clear, stored
    stale = dirs.screening.read_bytes()
    dirs.data.mkdir(parents=True, exist_ok=True)

    failed = run_child(
        dirs, "check", "--from", write_answers(yes=[EMERGENCY]), read_only=(dirs.config,)
    )

    assert failed.exit_code != 0, failed
    assert "Traceback" not in failed.output, failed
    assert "emergency department" in flat(failed.stdout), failed
    assert len(failed.stderr_lines) == 1, failed
    assert f"Could not save your answers to {dirs.screening}" in failed.stderr_lines[0]
    assert "Read-only file system" in failed.stderr_lines[0]
    assert dirs.screening.read_bytes() == stale  # could not be deleted: still "all clear"
    marker = _settings(dirs).screening_not_saved_file
    assert marker.is_file()

    # A new process must not trust the stale "all clear" answers.
    locked = run_child(dirs, "start", "--plain")
    assert locked.exit_code == 3, locked
    assert "Traceback" not in locked.output, locked
    assert "Your last safety answers could not be saved" in flat(locked.output), locked
    assert not SafetyReader.for_settings(_settings(dirs)).read().allowed  # no reminders either
    assert run_cli("start", "--plain").exit_code == 3

    # Once a save works again, the note goes and routines unlock.
    assert run_cli("check", "--from", write_answers()).exit_code == 0
    assert not marker.exists()
    assert SafetyReader.for_settings(_settings(dirs)).read().allowed
    assert run_cli("start", "--plain").exit_code == 0


@needs_namespaces
def test_both_folders_read_only_says_the_older_answers_may_still_count(
    dirs: Dirs, run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    assert run_cli("check", "--from", write_answers()).exit_code == 0
    dirs.data.mkdir(parents=True, exist_ok=True)

    failed = run_child(
        dirs,
        "check",
        "--from",
        write_answers(yes=[EMERGENCY]),
        read_only=(dirs.config, dirs.data),
    )

    assert failed.exit_code != 0, failed
    assert "Traceback" not in failed.output, failed
    assert "emergency department" in flat(failed.stdout), failed
    assert len(failed.stderr_lines) == 1, failed
    line = failed.stderr_lines[0]
    assert f"Could not save your answers to {dirs.screening}" in line
    assert f"The older answers in {dirs.screening} could not be removed" in line
    assert f"nor could {_settings(dirs).screening_not_saved_file} be written" in line
    assert f"make {dirs.config} writable and answer again" in line


def test_a_not_saved_note_locks_routines_and_reminders_until_a_good_save(
    dirs: Dirs, run_cli: CliRunner, write_answers: AnswersWriter, fake_clock: FakeClock
) -> None:
    assert run_cli("check", "--from", write_answers()).exit_code == 0
    settings = _settings(dirs)
    reader = SafetyReader.for_settings(settings)
    assert reader.read().allowed

    mark_screening_not_saved(settings)  # as left by a save that failed in another process

    assert not reader.read().allowed
    assert "could not be saved" in reader.read().reason
    locked = run_cli("start", "--plain")
    assert locked.exit_code == 3, locked
    assert "Your last safety answers could not be saved" in flat(locked.output)

    assert run_cli("check", "--from", write_answers()).exit_code == 0
    assert not settings.screening_not_saved_file.exists()
    assert reader.read().allowed
    assert run_cli("start", "--plain").exit_code == 0


def test_a_note_about_older_answers_does_not_lock_answers_saved_since(
    dirs: Dirs, run_cli: CliRunner, write_answers: AnswersWriter
) -> None:
    # The note names the answers it is about: answers saved later (by a process that could
    # not remove the note) count again, and a damaged note keeps everything locked.
    assert run_cli("check", "--from", write_answers()).exit_code == 0
    settings = _settings(dirs)
    mark_screening_not_saved(settings)
    assert not SafetyReader.for_settings(settings).read().allowed
    dirs.screening.write_text(
        dirs.screening.read_text(encoding="utf-8") + "# saved again\n", encoding="utf-8"
    )
    assert SafetyReader.for_settings(settings).read().allowed
    settings.screening_not_saved_file.write_text("not a note\n", encoding="utf-8")
    assert not SafetyReader.for_settings(settings).read().allowed
