"""Owner-only folders (0700) and files (0600) for everything deskstretch keeps about a person.

Standard library only (the waiting reminder service uses it). Modes are set explicitly with
chmod, never left to the umask: a permissive umask (022) must not make health records readable by
other accounts. Files are made private on creation, and whole folders are checked again at every
start, so files left by an older version (or copied in by hand) are fixed too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700 whatever the umask.

    Folders that already exist are left as they are (the person's home, or a folder they chose
    for an export); ``secure_tree`` fixes deskstretch's own folders. Raises OSError.
    """
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue  # made by another process in between: it fixes its own mode
        os.chmod(path, PRIVATE_DIR_MODE)
    if not folder.is_dir():  # a file in the way (what mkdir(exist_ok=True) reports too)
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder))


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (no umask widening). Raises
    OSError."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    try:
        if hasattr(os, "fchmod"):  # not on Windows, where modes mean little
            os.fchmod(handle, PRIVATE_FILE_MODE)
    finally:
        os.close(handle)


def make_private(path: Path) -> None:
    """Take every group and other permission off ``path`` (a file or folder, never a link):
    0644 becomes 0600, 0755 becomes 0700; the owner's own bits are kept.

    Best effort: a file that vanished or cannot be changed (a read-only folder) is left alone,
    since failing here would stop someone using the program over a mode bit.
    """
    try:
        info = path.lstat()
    except OSError:
        return
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        return  # symbolic links (never followed out of the folder), sockets, FIFOs
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(path, mode & ~0o077)


def secure_tree(folders: Iterable[Path]) -> None:
    """Make each existing folder and everything in it private (``make_private``).

    Symbolic links are not followed, so a link in the routines folder never changes a file
    outside it. Folders that do not exist are not created.
    """
    for folder in folders:
        if not folder.is_dir() or folder.is_symlink():
            continue
        make_private(folder)
        for root, dirs, files in os.walk(folder):
            base = Path(root)
            for name in (*dirs, *files):
                make_private(base / name)
