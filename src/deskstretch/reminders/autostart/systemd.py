"""Linux with a systemd user manager: a user unit bound to the graphical session.

linux.py decides between this and an XDG autostart entry (xdg.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.autostart.files import remove_file, render_unit, write_file
from deskstretch.reminders.autostart.host import (
    KIND_SYSTEMD,
    AutostartStatus,
    Host,
    carried_environment,
    user_config_dir,
)
from deskstretch.reminders.autostart.runner import CommandResult

UNIT_NAME = "deskstretch-reminders.service"


@dataclass(frozen=True)
class SystemdManager:
    environment: Mapping[str, str]
    has_graphical_session: bool


def find_manager(host: Host) -> SystemdManager | None:
    """The running systemd user manager, or None when there is none to talk to."""
    answer = host.commands.run(["systemctl", "--user", "show-environment"])
    if not answer.ok:
        return None
    environment: dict[str, str] = {}
    for line in answer.stdout.splitlines():
        name, sep, value = line.partition("=")
        if sep:
            environment[name] = value
    target = host.commands.run(["systemctl", "--user", "is-active", "graphical-session.target"])
    return SystemdManager(environment, target.stdout.strip() == "active")


def unit_dir(host: Host, manager: SystemdManager | None = None) -> Path:
    # The manager searches *its own* XDG_CONFIG_HOME, which may differ from the installing shell's.
    environ = manager.environment if manager is not None else host.environ
    return user_config_dir(host.home, environ) / "systemd" / "user"


def _systemctl(host: Host, *args: str) -> CommandResult:
    return host.commands.run(["systemctl", "--user", *args])


def write_unit(host: Host, path: Path, python: str) -> bool:
    """Write (or rewrite) the unit; True when its content changed."""
    return write_file(path, render_unit(python, carried_environment(host, KIND_SYSTEMD)))


def install_unit(host: Host, manager: SystemdManager, python: str) -> AutostartStatus:
    path = unit_dir(host, manager) / UNIT_NAME
    existed = path.exists()
    changed = write_unit(host, path, python)
    steps: list[tuple[str, ...]] = [("daemon-reload",), ("enable", UNIT_NAME)]
    # A changed unit (new Python, new folders) must replace the process running the old one;
    # otherwise `start` leaves a running service alone.
    steps.append(("restart", UNIT_NAME) if existed and changed else ("start", UNIT_NAME))
    for step in steps:
        answer = _systemctl(host, *step)
        if not answer.ok:
            raise DeskstretchError(
                f"systemctl --user {' '.join(step)} failed: {answer.first_error_line()}"
            )
    return unit_status(host, manager, path)


def remove_unit(host: Host, manager: SystemdManager | None) -> None:
    path = unit_dir(host, manager) / UNIT_NAME
    if not (path.exists() or path.is_symlink()):
        return
    if manager is not None:
        answer = _systemctl(host, "disable", "--now", UNIT_NAME)
        if not answer.ok:
            raise DeskstretchError(
                f"systemctl --user disable --now {UNIT_NAME} failed: {answer.first_error_line()}"
            )
    remove_file(path)
    # `disable` removes this link; without a reachable manager, remove it by hand.
    for target in ("graphical-session.target", "default.target"):
        remove_file(path.parent / f"{target}.wants" / UNIT_NAME)
    if manager is not None:
        _systemctl(host, "daemon-reload")
        _systemctl(host, "reset-failed", UNIT_NAME)


def unit_status(host: Host, manager: SystemdManager | None, path: Path) -> AutostartStatus:
    if manager is None:
        return AutostartStatus(
            True,
            KIND_SYSTEMD,
            path,
            None,
            "A systemd user unit is installed, but the systemd"
            " user manager cannot be reached from here, so whether it runs is unknown.",
        )
    enabled = _systemctl(host, "is-enabled", UNIT_NAME).stdout.strip()
    active = _systemctl(host, "is-active", UNIT_NAME).stdout.strip()
    running = active in ("active", "reloading", "activating")
    start = "starts with each desktop session" if enabled == "enabled" else f"is {enabled}"
    state = "running now" if running else f"not running now ({active or 'unknown'})"
    return AutostartStatus(
        True, KIND_SYSTEMD, path, running, f"A systemd user unit {start}; the service is {state}."
    )
