"""macOS: a LaunchAgent in ~/Library/LaunchAgents, loaded with launchctl."""

from __future__ import annotations

import re
from pathlib import Path

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.autostart.files import (
    AGENT_LABEL,
    remove_file,
    render_plist,
    write_file,
)
from deskstretch.reminders.autostart.host import (
    KIND_LAUNCHD,
    AutostartStatus,
    Host,
    carried_environment,
    not_installed,
)


def agent_path(home: Path) -> Path:
    return home / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"


def agent_log_path(home: Path) -> Path:
    return home / "Library" / "Logs" / "deskstretch" / "reminders.launchd.log"


class LaunchAgent:
    """The Backend for macOS."""

    def install(self, host: Host, python: str) -> AutostartStatus:
        path = agent_path(host.home)
        log_path = agent_log_path(host.home)
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DeskstretchError(f"Cannot create {log_path.parent}: {error.strerror}.") from error
        write_file(path, render_plist(python, carried_environment(host, KIND_LAUNCHD), log_path))
        domain = f"gui/{host.uid}"
        # bootstrap refuses a label that is already loaded: unload first, so re-install reloads.
        host.commands.run(["launchctl", "bootout", f"{domain}/{AGENT_LABEL}"])
        answer = host.commands.run(["launchctl", "bootstrap", domain, str(path)])
        if not answer.ok:
            # macOS before 10.11 has no bootstrap; `load -w` is the older spelling.
            legacy = host.commands.run(["launchctl", "load", "-w", str(path)])
            if not legacy.ok:
                raise DeskstretchError(
                    f"launchctl bootstrap {domain} failed: {answer.first_error_line()}"
                )
        return self.status(host)

    def remove(self, host: Host) -> None:
        path = agent_path(host.home)
        if not path.exists():
            return
        answer = host.commands.run(["launchctl", "bootout", f"gui/{host.uid}/{AGENT_LABEL}"])
        if not answer.ok:
            host.commands.run(["launchctl", "unload", "-w", str(path)])
        remove_file(path)

    def status(self, host: Host) -> AutostartStatus:
        path = agent_path(host.home)
        if path.exists():
            return _agent_status(host, path)
        return not_installed(None)


def _agent_status(host: Host, path: Path) -> AutostartStatus:
    answer = host.commands.run(["launchctl", "print", f"gui/{host.uid}/{AGENT_LABEL}"])
    if not answer.ok:
        return AutostartStatus(
            True,
            KIND_LAUNCHD,
            path,
            False,
            "A LaunchAgent starts the service when you log in; it is not loaded now.",
        )
    match = re.search(r"^\s*pid = (\d+)", answer.stdout, re.MULTILINE)
    running = match is not None or re.search(r"state = running", answer.stdout) is not None
    state = f"running now (process {match.group(1)})" if match else "running now"
    return AutostartStatus(
        True,
        KIND_LAUNCHD,
        path,
        running,
        "A LaunchAgent starts the service when you log in; it is "
        + (state if running else "not running now")
        + ".",
    )
