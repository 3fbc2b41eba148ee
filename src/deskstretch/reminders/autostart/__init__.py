"""Start the reminder service at login: install, uninstall and report the autostart entry.

Linux: a systemd user unit when the user manager runs a graphical session, else an XDG autostart
entry; macOS: a LaunchAgent; Windows: a file in the Startup folder. Standard library only; every
platform detail (system, home, environment, commands, /proc) can be injected, so tests check the
files written for all three platforms on any machine.

One backend per platform behind the Backend interface (host.py): linux.py (systemd.py or
xdg.py), launchd.py and windows.py; files.py holds the file formats. This module picks one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TypedDict, Unpack

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.autostart.host import (
    NOT_INSTALLED_TEXT,
    AutostartStatus,
    Backend,
    Host,
    make_host,
)
from deskstretch.reminders.autostart.launchd import LaunchAgent
from deskstretch.reminders.autostart.linux import LinuxAutostart
from deskstretch.reminders.autostart.runner import CommandResult, Commands, SystemCommands
from deskstretch.reminders.autostart.windows import StartupFolder

__all__ = [
    "AutostartStatus",
    "Backend",
    "CommandResult",
    "Commands",
    "Host",
    "SystemCommands",
    "Where",
    "backend_for",
    "install",
    "status",
    "uninstall",
]


class Where(TypedDict, total=False):
    """Where and how to act, each read from this machine when left out: tests pass them all."""

    home: Path | None
    system: str | None
    commands: Commands | None
    uid: int | None
    proc_root: Path | None


def backend_for(host: Host) -> Backend:
    """The platform's backend: anything but macOS and Windows is treated like Linux."""
    if host.system == "darwin":
        return LaunchAgent()
    if host.system == "windows":
        return StartupFolder()
    return LinuxAutostart()


def install(
    python: str,
    environ: Mapping[str, str] | None = None,
    **where: Unpack[Where],
) -> AutostartStatus:
    """Write (or rewrite) the autostart entry for ``<python> -m deskstretch.reminders run`` and
    start the service now. Idempotent: running it again updates the entry in place."""
    if not python.strip():
        raise DeskstretchError("Autostart needs the path of the Python that runs deskstretch.")
    host = make_host(environ, **where)
    return backend_for(host).install(host, python)


def uninstall(
    environ: Mapping[str, str] | None = None,
    **where: Unpack[Where],
) -> AutostartStatus:
    """Stop the autostarted service and remove every file install wrote; fine when none exists."""
    host = make_host(environ, **where)
    backend = backend_for(host)
    before = backend.status(host)
    backend.remove(host)
    after = backend.status(host)
    if not before.installed or before.path is None:
        return after
    removed = f"Removed {before.path}: reminders no longer start with your session."
    rest = after.detail.removeprefix(NOT_INSTALLED_TEXT).strip()
    return replace(after, detail=f"{removed} {rest}" if rest else removed)


def status(
    environ: Mapping[str, str] | None = None,
    **where: Unpack[Where],
) -> AutostartStatus:
    """Whether an autostart entry exists, of which kind, where, and whether the service runs."""
    host = make_host(environ, **where)
    return backend_for(host).status(host)
