"""Windows: a batch file in the Startup folder; running services are found with PowerShell."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.autostart.files import (
    remove_file,
    render_cmd,
    service_argv,
    windowless_python,
    write_file,
)
from deskstretch.reminders.autostart.host import (
    KIND_STARTUP,
    AutostartStatus,
    Host,
    carried_environment,
    not_installed,
)

STARTUP_NAME = "deskstretch-reminders.cmd"


def startup_path(home: Path, environ: Mapping[str, str]) -> Path:
    appdata = environ.get("APPDATA", "")
    base = Path(appdata) if appdata else home / "AppData" / "Roaming"
    return base / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup" / STARTUP_NAME


_WINDOWS_PROCESS_QUERY = (
    "Get-CimInstance Win32_Process | Where-Object {{ $_.Name -like 'python*' -and "
    "$_.CommandLine -match 'deskstretch\\.reminders\\s+run' }} | ForEach-Object {{ {action} }}"
)


def _powershell(action: str) -> list[str]:
    return [
        "powershell",
        "-NoProfile",
        "-NonInteractive",
        "-Command",
        _WINDOWS_PROCESS_QUERY.format(action=action),
    ]


class StartupFolder:
    """The Backend for Windows."""

    def install(self, host: Host, python: str) -> AutostartStatus:
        path = startup_path(host.home, host.environ)
        environment = carried_environment(host, KIND_STARTUP)
        changed = write_file(path, render_cmd(python, environment), newline="\r\n")
        pids = _windows_pids(host)
        if changed and pids:
            host.commands.run(_powershell("Stop-Process -Id $_.ProcessId"))
            pids = []
        if not pids:
            try:
                host.commands.spawn(
                    service_argv(windowless_python(python)), {**host.environ, **environment}
                )
            except OSError as error:
                raise DeskstretchError(
                    f"Wrote {path}, but could not start the service now: {error.strerror or error}."
                    " It will start at your next login."
                ) from error
        return _startup_status(host, path)

    def remove(self, host: Host) -> None:
        if remove_file(startup_path(host.home, host.environ)):
            host.commands.run(_powershell("Stop-Process -Id $_.ProcessId"))

    def status(self, host: Host) -> AutostartStatus:
        path = startup_path(host.home, host.environ)
        if path.exists():
            return _startup_status(host, path)
        pids = _windows_pids(host)
        return not_installed(None if pids is None else bool(pids))


def _windows_pids(host: Host) -> list[int] | None:
    answer = host.commands.run(_powershell("$_.ProcessId"))
    if not answer.ok:
        return None
    return [int(word) for word in answer.stdout.split() if word.isdigit()]


def _startup_status(host: Host, path: Path) -> AutostartStatus:
    pids = _windows_pids(host)
    running = None if pids is None else bool(pids)
    state = {True: "running now", False: "not running now", None: "maybe running"}[running]
    return AutostartStatus(
        True,
        KIND_STARTUP,
        path,
        running,
        f"A Startup-folder entry starts the service when you log in; it is {state}.",
    )
