"""Health data is private to its owner: deskstretch's folders are 0700 and every file in them 0600,
whatever the umask, on creation and again at start for files left wider (issue #9 item 9)."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.schedule import BreakEvent, EventKind
from deskstretch.reminders.breaklog import BreakLog
from deskstretch.reminders.logfile import setup_logging
from helpers.support import AnswersWriter, CliRunner, Dirs


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """The common default umask: without explicit modes, files would be 0644 and folders 0755."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes_under(*folders: Path) -> dict[str, int]:
    """Every folder and file under ``folders`` (the folders too, not links) with its bits."""
    found: dict[str, int] = {}
    for folder in folders:
        found[str(folder)] = mode(folder)
        for root, dirs, files in os.walk(folder):
            for name in (*dirs, *files):
                if not Path(root, name).is_symlink():  # a link's own bits mean nothing
                    found[os.path.join(root, name)] = mode(Path(root, name))
    return found


def wider_than_private(found: dict[str, int]) -> dict[str, str]:
    return {path: oct(bits) for path, bits in found.items() if bits & 0o077}


def test_everything_deskstretch_writes_is_private_under_a_permissive_umask(
    permissive_umask: None,
    run_cli: CliRunner,
    write_answers: AnswersWriter,
    dirs: Dirs,
    tmp_path: Path,
) -> None:
    assert run_cli("check", "--from", write_answers()).exit_code == 0
    assert run_cli("checkin", "--back", "3", "--leg", "0").exit_code == 0
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o700)
    assert run_cli("export", "--out", exports / "all.json").exit_code == 0
    assert run_cli("export", "--format", "csv", "--out", exports / "csv").exit_code == 0
    assert run_cli("report", "--out", exports / "report.html").exit_code == 0
    # The store stays open here, so its -wal and -shm files exist while we look.
    coach = Coach(Settings.from_env())
    coach.check_in(2, 0)
    journal = BreakLog.in_folder(dirs.data)
    journal.append(BreakEvent(datetime.now(UTC), EventKind.RESUMED, note="test"))
    log_file = setup_logging(dirs.data)
    logging.getLogger("deskstretch.test").info("a line")

    found = modes_under(dirs.config, dirs.data, exports)
    names = {Path(path).name for path in found}
    assert {
        "screening.toml",
        "deskstretch.sqlite3",
        "deskstretch.sqlite3-wal",
        "deskstretch.sqlite3-shm",
        "all.json",
        "sessions.csv",
        "report.html",
        log_file.name,
        journal.path.name,
    } <= names
    assert wider_than_private(found) == {}
    assert mode(dirs.config) == mode(dirs.data) == 0o700
    coach.store.close()


def test_files_left_readable_by_others_are_fixed_at_start(
    run_cli: CliRunner, write_answers: AnswersWriter, dirs: Dirs
) -> None:
    assert run_cli("check", "--from", write_answers()).exit_code == 0
    assert run_cli("checkin", "--back", "3", "--leg", "0").exit_code == 0
    dirs.routines.mkdir()
    (dirs.routines / "mine.toml").write_text("# mine\n", encoding="utf-8")
    (dirs.data / "logs").mkdir()
    (dirs.data / "logs" / "reminders.log").write_text("old\n", encoding="utf-8")
    outside = dirs.root / "outside.txt"
    outside.write_text("not ours\n", encoding="utf-8")
    (dirs.routines / "link.toml").symlink_to(outside)
    for path in modes_under(dirs.config, dirs.data):
        os.chmod(path, 0o755 if Path(path).is_dir() else 0o644)
    os.chmod(outside, 0o644)
    assert wider_than_private(modes_under(dirs.config, dirs.data))  # the setup worked

    Coach(Settings.from_env())

    assert wider_than_private(modes_under(dirs.config, dirs.data)) == {}
    assert mode(dirs.config / "screening.toml") == 0o600
    assert mode(dirs.data / "deskstretch.sqlite3") == 0o600
    assert mode(dirs.routines) == 0o700
    assert mode(outside) == 0o644  # a link is never followed out of the folder


def test_reminder_service_start_fixes_its_folder_and_makes_private_files(
    permissive_umask: None, dirs: Dirs
) -> None:
    dirs.data.mkdir()
    os.chmod(dirs.data, 0o755)
    old_journal = BreakLog.in_folder(dirs.data)
    old_journal.append(BreakEvent(datetime.now(UTC), EventKind.RESUMED, note="before"))
    os.chmod(old_journal.path, 0o644)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    done = subprocess.run(
        [sys.executable, "-m", "deskstretch.reminders", "run", "--once"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = modes_under(dirs.data)
    assert {"reminders.log", "reminders.lock", old_journal.path.name} <= {
        Path(path).name for path in found
    }
    assert wider_than_private(found) == {}
