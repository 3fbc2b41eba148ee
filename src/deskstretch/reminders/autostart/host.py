"""What every autostart backend shares: the Host it works on (platform, home, environment,
commands, /proc), the Backend interface, the status it reports, and platform detection."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.autostart.runner import Commands, SystemCommands

ORIGIN_VARIABLE = "DESKSTRETCH_AUTOSTART"
"""Set to the autostart kind in the service's environment: tells our processes from a foreground
``deskstretch remind``, so uninstall stops only what autostart started."""

KIND_SYSTEMD = "systemd"
KIND_XDG = "xdg-autostart"
KIND_LAUNCHD = "launchd"
KIND_STARTUP = "startup-folder"
KIND_NONE = "none"


@dataclass(frozen=True)
class AutostartStatus:
    installed: bool
    kind: str
    """One of "systemd", "xdg-autostart", "launchd", "startup-folder" or "none"."""
    path: Path | None
    running: bool | None
    """Whether the reminder service runs now; None when it cannot be told."""
    detail: str
    """One plain sentence for ``deskstretch remind status``."""


@dataclass(frozen=True)
class Host:
    """Everything platform-specific that install/uninstall/status read or run."""

    system: str
    """"linux", "darwin" or "windows" (anything else is treated like linux)."""
    home: Path
    environ: Mapping[str, str]
    commands: Commands
    uid: int = 0
    proc_root: Path = field(default=Path("/proc"))


class Backend(Protocol):
    """One platform's way to start the reminder service at login."""

    def install(self, host: Host, python: str) -> AutostartStatus:
        """Write (or rewrite) the entry for ``<python> -m deskstretch.reminders run``, start the
        service now, and report the result."""
        ...

    def remove(self, host: Host) -> None:
        """Stop what autostart started and remove every file install wrote; fine when none."""
        ...

    def status(self, host: Host) -> AutostartStatus:
        """Whether an entry exists, where, and whether the service runs."""
        ...


def make_host(
    environ: Mapping[str, str] | None,
    home: Path | None = None,
    system: str | None = None,
    commands: Commands | None = None,
    uid: int | None = None,
    proc_root: Path | None = None,
) -> Host:
    env = os.environ if environ is None else environ
    name = (system or _current_system()).lower()
    if home is None:
        home = _home_from(env, name, real=environ is None)
    getuid = getattr(os, "getuid", None)
    return Host(
        system=name,
        home=home,
        environ=env,
        commands=commands or SystemCommands(),
        uid=uid if uid is not None else (getuid() if getuid else 0),
        proc_root=proc_root or Path("/proc"),
    )


def _current_system() -> str:
    if sys.platform == "darwin":
        return "darwin"
    if sys.platform == "win32":
        return "windows"
    return "linux"


def _home_from(environ: Mapping[str, str], system: str, *, real: bool) -> Path:
    names = ("USERPROFILE", "HOME") if system == "windows" else ("HOME",)
    for name in names:
        value = environ.get(name, "")
        if value:
            return Path(value)
    if real:
        # Without HOME, the password database still knows (expanduser falls back to it).
        found = os.path.expanduser("~")
        if found != "~":
            return Path(found)
    raise DeskstretchError(
        "Cannot find your home folder (HOME is not set), so there is nowhere to put the autostart"
        " entry."
    )


def carried_environment(host: Host, kind: str) -> dict[str, str]:
    """DESKSTRETCH_* settings of the installing shell go along, so the service reads the same
    config and data folders as the `deskstretch` commands; plus the origin marker."""
    carried = {
        name: value
        for name, value in sorted(host.environ.items())
        if name.startswith("DESKSTRETCH_") and name != ORIGIN_VARIABLE and value
    }
    carried[ORIGIN_VARIABLE] = kind
    return carried


def user_config_dir(home: Path, environ: Mapping[str, str]) -> Path:
    value = environ.get("XDG_CONFIG_HOME", "")
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    return Path(value) if value and os.path.isabs(value) else home / ".config"


NOT_INSTALLED_TEXT = (
    "Reminders do not start by themselves; `deskstretch remind install` sets that up."
)


def not_installed(running: bool | None) -> AutostartStatus:
    tail = {
        True: " The service is running now (started by hand).",
        False: "",
        None: "",
    }[running]
    return AutostartStatus(
        False,
        KIND_NONE,
        None,
        running,
        NOT_INSTALLED_TEXT + tail,
    )
