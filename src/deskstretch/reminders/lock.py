"""One reminder service per person: an exclusive lock on ``reminders.lock`` in the data folder.

Standard library only. The lock file also carries the service's pid (for "already running (pid
N)" and ``remind status``) and, in its modification time, the service's heartbeat.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from deskstretch.system.filemodes import make_private_dirs

log = logging.getLogger(__name__)


class ServiceLock:
    """One reminder service per data folder: an exclusive lock on ``reminders.lock``.

    The file holds the service's pid; its modification time is the service's heartbeat, touched
    every tick, so a new service can tell how long none was running.
    """

    FILE = "reminders.lock"

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / self.FILE
        self._handle: int | None = None

    def heartbeat(self) -> datetime | None:
        """When a service last showed a sign of life (None: never)."""
        try:
            return datetime.fromtimestamp(self.path.stat().st_mtime, UTC)
        except OSError:
            return None

    def acquire(self) -> bool:
        """Take the lock and write our pid; False when another service holds it."""
        make_private_dirs(self.path.parent)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if hasattr(os, "fchmod"):  # also when an older version left it readable by others
            os.fchmod(handle, 0o600)
        if not _try_lock(handle, exclusive=True):
            os.close(handle)
            return False
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        os.fsync(handle)
        self._handle = handle
        return True

    def touch(self) -> None:
        if self._handle is not None:
            try:
                os.utime(self.path)
            except OSError as error:
                log.debug("heartbeat not written: %s", error)

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing releases the lock; the file stays (heartbeat)
            self._handle = None

    def holder(self) -> int | None:
        """The pid of the running service, or None when none is running."""
        try:
            handle = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            if _try_lock(handle, exclusive=False):
                return None
            text = os.read(handle, 32).decode("ascii", errors="replace").strip()
            return int(text) if text.isdigit() else 0
        finally:
            os.close(handle)


def _try_lock(handle: int, *, exclusive: bool) -> bool:
    """A non-blocking lock held until ``handle`` is closed (Unix flock, Windows msvcrt)."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
