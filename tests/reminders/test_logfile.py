"""The reminder log: where it goes, its line format, rotation after enough writes, stderr when
verbose, and that it stays off logging.handlers (resident memory of the waiting service)."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.logfile import (
    BACKUP_COUNT,
    MAX_BYTES,
    RotatingLog,
    log_path,
    setup_logging,
)

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4} (?P<level>[A-Z]+) +(?P<name>[\w.]+): (?P<text>.*)$"
)


@pytest.fixture(autouse=True)
def clean_root_logger() -> Iterator[None]:
    """setup_logging configures the root logger: put it back as it was after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_setup_logging_writes_compact_local_time_lines(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "data")
    assert path == tmp_path / "data" / "logs" / "reminders.log" == log_path(tmp_path / "data")

    logging.getLogger("deskstretch.reminders.service").info("next break at %s", "10:30")
    logging.getLogger("deskstretch.reminders.service").debug("not in the file")
    logging.getLogger("desktop_notifier").warning("no bus")

    lines = path.read_text(encoding="utf-8").splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m["level"], m["name"], m["text"]) for m in parsed if m] == [
        ("INFO", "reminders.service", "next break at 10:30"),
        ("WARNING", "desktop_notifier", "no bus"),
    ]


def test_log_rotates_after_enough_writes(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    log = logging.getLogger("deskstretch.reminders.test")
    padding = "x" * 180
    total = 0
    count = 0
    # Enough for the file and every backup to fill, and then some: the oldest must be dropped.
    while total < MAX_BYTES * (BACKUP_COUNT + 2):
        log.info("line %06d %s", count, padding)
        total += 230
        count += 1

    files = [path, *(path.with_name(f"{path.name}.{i}") for i in range(1, BACKUP_COUNT + 1))]
    assert all(file.exists() for file in files)
    assert not path.with_name(f"{path.name}.{BACKUP_COUNT + 1}").exists()
    sizes = [file.stat().st_size for file in files]
    assert all(MAX_BYTES * 0.9 < size <= MAX_BYTES for size in sizes[1:]), sizes
    assert 0 < sizes[0] <= MAX_BYTES

    def numbers(file: Path) -> list[int]:
        return [int(line.split(" line ")[1][:6]) for line in file.read_text().splitlines()]

    # Newest in reminders.log, older in .1, .2, .3; no line lost between them; the first dropped.
    kept = [n for file in reversed(files) for n in numbers(file)]
    assert kept == list(range(kept[0], count))
    assert kept[0] > 0


def test_rotation_by_another_process_is_followed(tmp_path: Path) -> None:
    """The prompt child may rotate the shared file; the service then writes to the new one."""
    path = tmp_path / "reminders.log"
    service = RotatingLog(path, max_bytes=10_000, backup_count=2)
    child = RotatingLog(path, max_bytes=10_000, backup_count=2)
    for handler in (service, child):
        handler.setFormatter(logging.Formatter("%(message)s"))

    def say(handler: RotatingLog, text: str) -> None:
        handler.handle(logging.makeLogRecord({"msg": text, "levelno": logging.INFO}))

    try:
        say(service, "service before")
        say(child, "child before")
        child.rotate()
        say(service, "service after")
    finally:
        service.close()
        child.close()
    assert path.with_name("reminders.log.1").read_text().splitlines() == [
        "service before",
        "child before",
    ]
    assert path.read_text().splitlines() == ["service after"]


def test_verbose_also_writes_debug_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = setup_logging(tmp_path, verbose=True)
    logging.getLogger("deskstretch.reminders.desktop.idle").debug("idle for %d s", 12)
    logging.getLogger("deskstretch.reminders.desktop.idle").info("natural break")
    err = capsys.readouterr().err.splitlines()
    assert [(m["level"], m["text"]) for m in map(LINE.match, err) if m] == [
        ("DEBUG", "idle for 12 s"),
        ("INFO", "natural break"),
    ]
    # The file keeps INFO and up only.
    assert [line.split(": ", 1)[1] for line in path.read_text().splitlines()] == ["natural break"]


def test_quiet_writes_nothing_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(tmp_path)
    logging.getLogger("deskstretch.reminders.service").warning("hello")
    assert capsys.readouterr().err == ""


def test_setup_logging_twice_does_not_duplicate_lines(tmp_path: Path) -> None:
    setup_logging(tmp_path, verbose=True)
    path = setup_logging(tmp_path)
    logging.getLogger("deskstretch").info("once")
    assert path.read_text(encoding="utf-8").count("once") == 1
    ours = [h for h in logging.getLogger().handlers if isinstance(h, RotatingLog)]
    assert len(ours) == 1


def test_unusable_log_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(DeskstretchError) as caught:
        setup_logging(tmp_path)
    assert caught.value.message.startswith(f"Cannot create the log folder {tmp_path / 'logs'}: ")
    assert "\n" not in caught.value.message


def test_logging_setup_stays_off_logging_handlers(tmp_path: Path) -> None:
    """logging.handlers would add socket, pickle and queue to the waiting service."""
    code = (
        "import sys; from pathlib import Path\n"
        "from deskstretch.reminders.logfile import setup_logging\n"
        f"setup_logging(Path({str(tmp_path)!r}))\n"
        "print(sorted(m for m in ('logging.handlers', 'socket', 'pickle') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
