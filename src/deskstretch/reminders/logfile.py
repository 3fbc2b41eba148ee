"""The reminder service's log: a small rotating file in data_dir/logs, plus stderr when verbose.

Standard library only, and deliberately not logging.handlers: that module pulls in socket,
pickle, queue and select, about 1.3 MB of resident memory the waiting service would carry for
nothing (measured here on Python 3.11). RotatingLog keeps RotatingFileHandler's scheme
(reminders.log, .1, .2, .3) in a few lines on top of logging.FileHandler.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from io import TextIOWrapper
from pathlib import Path

from deskstretch.core.errors import DeskstretchError
from deskstretch.system.filemodes import create_private_file, make_private, make_private_dirs

LOG_FOLDER = "logs"
LOG_FILE = "reminders.log"
MAX_BYTES = 256 * 1024
BACKUP_COUNT = 3
LINE_FORMAT = "%(asctime)s %(levelname)-5s %(name)s: %(message)s"
_OURS = "_deskstretch_reminders_log"
"""Attribute marking the handlers setup_logging added, so calling it twice does not duplicate."""


class RotatingLog(logging.FileHandler):
    """A file that moves aside (to .1, .2, ...) once a write would take it past max_bytes."""

    def __init__(self, path: Path, *, max_bytes: int, backup_count: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backup_count = backup_count

    def _open(self) -> TextIOWrapper:
        # 0600 whatever the umask (logging would make it 0644): the log tells when someone took
        # breaks and how they answered.
        path = Path(self.baseFilename)
        create_private_file(path)
        make_private(path)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._is_full(record):
                self.rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _is_full(self, record: logging.LogRecord) -> bool:
        if self.stream is not None and not self._still_named():
            # The prompt child (or a second service) rotated the file: follow the name.
            self.stream.close()
            self.stream = None
        if self.stream is None:
            self.stream = self._open()
        if self.max_bytes <= 0:
            return False
        line = self.format(record) + self.terminator
        size = os.fstat(self.stream.fileno()).st_size
        return size > 0 and size + len(line.encode("utf-8")) > self.max_bytes

    def _still_named(self) -> bool:
        """Whether our open file is still the one at baseFilename."""
        if self.stream is None:
            return False
        try:
            named = os.stat(self.baseFilename)
        except OSError:
            return False
        held = os.fstat(self.stream.fileno())
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def rotate(self) -> None:
        """reminders.log -> .1 -> .2 ... ; the oldest beyond backup_count is dropped."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        if self.backup_count > 0:
            for index in range(self.backup_count - 1, 0, -1):
                older = f"{base}.{index}"
                if os.path.exists(older):
                    os.replace(older, f"{base}.{index + 1}")
            if os.path.exists(base):
                os.replace(base, f"{base}.1")
        elif os.path.exists(base):
            os.remove(base)
        self.stream = self._open()


class LocalTimeFormatter(logging.Formatter):
    """Local wall-clock time with its UTC offset: around a DST change or a time-zone move, the
    offset is what tells two identical-looking 02:30 lines apart."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created).astimezone().strftime("%Y-%m-%d %H:%M:%S%z")

    def format(self, record: logging.LogRecord) -> str:
        # "deskstretch.reminders.service" -> "reminders.service": shorter lines, same meaning.
        if record.name.startswith("deskstretch."):
            record = logging.makeLogRecord({**record.__dict__, "name": record.name[12:]})
        return super().format(record)


def log_path(data_dir: Path, file_name: str = LOG_FILE) -> Path:
    """Where setup_logging writes (for `remind status` to show)."""
    return data_dir / LOG_FOLDER / file_name


def setup_logging(
    data_dir: Path,
    *,
    verbose: bool = False,
    file_name: str = LOG_FILE,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> Path:
    """Send INFO and above to the rotating log file (and, when verbose, DEBUG and above to
    stderr too). Replaces handlers an earlier call added; returns the log file's path."""
    path = log_path(data_dir, file_name)
    try:
        make_private_dirs(path.parent)
    except OSError as error:
        raise DeskstretchError(
            f"Cannot create the log folder {path.parent}: {error.strerror or error}."
        ) from error
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
    formatter = LocalTimeFormatter(LINE_FORMAT)
    to_file = RotatingLog(path, max_bytes=max_bytes, backup_count=backup_count)
    to_file.setLevel(logging.INFO)
    handlers: list[logging.Handler] = [to_file]
    if verbose:
        to_stderr = logging.StreamHandler(sys.stderr)
        to_stderr.setLevel(logging.DEBUG)
        handlers.append(to_stderr)
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path
