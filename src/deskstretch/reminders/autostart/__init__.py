"""Start the reminder service at login: install, uninstall and report the autostart entry.

Linux: a systemd user unit when the user manager runs a graphical session, else an XDG autostart
entry; macOS: a LaunchAgent; Windows: a file in the Startup folder. Standard library only; every
platform detail (system, home, environment, commands, /proc) can be injected, so tests check the
files written for all three platforms on any machine.

The file formats themselves live in autostart_files.py. This module is still longer than most: it
holds one install/uninstall/status flow per platform, and they read best side by side.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from deskstretch.config import write_atomic
from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.autostart.files import (
    AGENT_LABEL,
    SERVICE_ARGS,
    render_cmd,
    render_desktop,
    render_plist,
    render_unit,
    service_argv,
    windowless_python,
)

UNIT_NAME = "deskstretch-reminders.service"
DESKTOP_NAME = "deskstretch-reminders.desktop"
STARTUP_NAME = "deskstretch-reminders.cmd"
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
class CommandResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def first_error_line(self) -> str:
        for text in (self.stderr, self.stdout):
            for line in text.splitlines():
                if line.strip():
                    return line.strip()
        return f"exit status {self.returncode}"


class Commands(Protocol):
    """The outside programs autostart drives; tests pass a recording fake."""

    def run(self, argv: Sequence[str]) -> CommandResult: ...

    def spawn(self, argv: Sequence[str], environ: Mapping[str, str]) -> int: ...

    def terminate(self, pid: int) -> None: ...


class SystemCommands:
    """Real commands: short subprocess runs, detached starts and SIGTERM."""

    timeout_seconds = 20.0

    def run(self, argv: Sequence[str]) -> CommandResult:
        try:
            done = subprocess.run(
                list(argv),
                capture_output=True,
                text=True,
                timeout=self.timeout_seconds,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            return CommandResult(127, "", f"{argv[0]}: command not found")
        except subprocess.TimeoutExpired:
            return CommandResult(124, "", f"{argv[0]}: no answer in {self.timeout_seconds:g} s")
        return CommandResult(done.returncode, done.stdout, done.stderr)

    def spawn(self, argv: Sequence[str], environ: Mapping[str, str]) -> int:
        if sys.platform == "win32":
            flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
            child = subprocess.Popen(
                list(argv),
                env=dict(environ),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                creationflags=flags,
            )
        else:
            # Its own session: closing the terminal that ran `install` does not hang it up.
            child = subprocess.Popen(
                list(argv),
                env=dict(environ),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        return child.pid

    stop_wait_seconds = 5.0

    def terminate(self, pid: int) -> None:
        """SIGTERM, then wait until it is gone (SIGKILL after a few seconds): a replacement
        started too early would find the old one still holding the single-instance lock."""
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + self.stop_wait_seconds
        while time.monotonic() < deadline:
            if not _is_alive(pid):
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _is_alive(pid: int) -> bool:
    """Running, i.e. neither gone nor a zombie waiting for its parent (Linux shows that)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    return stat[stat.rfind(")") + 2 :][:1] != "Z"


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


# --- public API -----------------------------------------------------------------------------


def install(
    python: str,
    environ: Mapping[str, str] | None = None,
    *,
    home: Path | None = None,
    system: str | None = None,
    commands: Commands | None = None,
    uid: int | None = None,
    proc_root: Path | None = None,
) -> AutostartStatus:
    """Write (or rewrite) the autostart entry for ``<python> -m deskstretch.reminders run`` and
    start the service now. Idempotent: running it again updates the entry in place."""
    if not python.strip():
        raise DeskstretchError("Autostart needs the path of the Python that runs deskstretch.")
    host = _host(environ, home, system, commands, uid, proc_root)
    if host.system == "darwin":
        return _install_launchd(host, python)
    if host.system == "windows":
        return _install_startup(host, python)
    manager = _systemd_manager(host)
    unit = unit_dir(host, manager) / UNIT_NAME
    # A unit installed earlier stays the choice, so re-installing from an ssh shell (no
    # graphical session there) updates it rather than switching to XDG autostart.
    if manager is not None and (manager.has_graphical_session or unit.exists()):
        _remove_xdg(host)
        return _install_systemd(host, manager, python)
    if unit.exists():
        _write_file(unit, render_unit(python, _carried_environment(host, KIND_SYSTEMD)))
        return _systemd_status(host, None, unit)
    return _install_xdg(host, python)


def uninstall(
    environ: Mapping[str, str] | None = None,
    *,
    home: Path | None = None,
    system: str | None = None,
    commands: Commands | None = None,
    uid: int | None = None,
    proc_root: Path | None = None,
) -> AutostartStatus:
    """Stop the autostarted service and remove every file install wrote; fine when none exists."""
    host = _host(environ, home, system, commands, uid, proc_root)
    before = _status(host)
    if host.system == "darwin":
        _remove_launchd(host)
    elif host.system == "windows":
        _remove_startup(host)
    else:
        _remove_systemd(host, _systemd_manager(host))
        _remove_xdg(host)
    after = _status(host)
    if not before.installed or before.path is None:
        return after
    removed = f"Removed {before.path}: reminders no longer start with your session."
    rest = after.detail.removeprefix(_NOT_INSTALLED_TEXT).strip()
    return replace(after, detail=f"{removed} {rest}" if rest else removed)


def status(
    environ: Mapping[str, str] | None = None,
    *,
    home: Path | None = None,
    system: str | None = None,
    commands: Commands | None = None,
    uid: int | None = None,
    proc_root: Path | None = None,
) -> AutostartStatus:
    """Whether an autostart entry exists, of which kind, where, and whether the service runs."""
    return _status(_host(environ, home, system, commands, uid, proc_root))


def _host(
    environ: Mapping[str, str] | None,
    home: Path | None,
    system: str | None,
    commands: Commands | None,
    uid: int | None,
    proc_root: Path | None,
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


def _carried_environment(host: Host, kind: str) -> dict[str, str]:
    """DESKSTRETCH_* settings of the installing shell go along, so the service reads the same
    config and data folders as the `deskstretch` commands; plus the origin marker."""
    carried = {
        name: value
        for name, value in sorted(host.environ.items())
        if name.startswith("DESKSTRETCH_") and name != ORIGIN_VARIABLE and value
    }
    carried[ORIGIN_VARIABLE] = kind
    return carried


# --- files ----------------------------------------------------------------------------------


def _write_file(path: Path, text: str, *, newline: str = "\n") -> bool:
    """Write atomically (temp file + rename); True when the content changed."""
    data = text.replace("\n", newline).encode("utf-8")
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        write_atomic(path, data)
    except OSError as error:
        raise DeskstretchError(f"Cannot write {path}: {error.strerror or error}.") from error
    return True


def _remove_file(path: Path) -> bool:
    try:
        if path.is_symlink() or path.exists():
            path.unlink()
            return True
    except OSError as error:
        raise DeskstretchError(f"Cannot remove {path}: {error.strerror or error}.") from error
    return False


# --- Linux: systemd user unit ---------------------------------------------------------------


@dataclass(frozen=True)
class SystemdManager:
    environment: Mapping[str, str]
    has_graphical_session: bool


def _systemd_manager(host: Host) -> SystemdManager | None:
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


def _user_config_dir(home: Path, environ: Mapping[str, str]) -> Path:
    value = environ.get("XDG_CONFIG_HOME", "")
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    return Path(value) if value and os.path.isabs(value) else home / ".config"


def unit_dir(host: Host, manager: SystemdManager | None = None) -> Path:
    # The manager searches *its own* XDG_CONFIG_HOME, which may differ from the installing shell's.
    environ = manager.environment if manager is not None else host.environ
    return _user_config_dir(host.home, environ) / "systemd" / "user"


def _systemctl(host: Host, *args: str) -> CommandResult:
    return host.commands.run(["systemctl", "--user", *args])


def _install_systemd(host: Host, manager: SystemdManager, python: str) -> AutostartStatus:
    path = unit_dir(host, manager) / UNIT_NAME
    existed = path.exists()
    changed = _write_file(path, render_unit(python, _carried_environment(host, KIND_SYSTEMD)))
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
    return _systemd_status(host, manager, path)


def _remove_systemd(host: Host, manager: SystemdManager | None) -> None:
    path = unit_dir(host, manager) / UNIT_NAME
    if not (path.exists() or path.is_symlink()):
        return
    if manager is not None:
        answer = _systemctl(host, "disable", "--now", UNIT_NAME)
        if not answer.ok:
            raise DeskstretchError(
                f"systemctl --user disable --now {UNIT_NAME} failed: {answer.first_error_line()}"
            )
    _remove_file(path)
    # `disable` removes this link; without a reachable manager, remove it by hand.
    for target in ("graphical-session.target", "default.target"):
        _remove_file(path.parent / f"{target}.wants" / UNIT_NAME)
    if manager is not None:
        _systemctl(host, "daemon-reload")
        _systemctl(host, "reset-failed", UNIT_NAME)


def _systemd_status(host: Host, manager: SystemdManager | None, path: Path) -> AutostartStatus:
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


# --- Linux: XDG autostart -------------------------------------------------------------------


def desktop_path(host: Host) -> Path:
    return _user_config_dir(host.home, host.environ) / "autostart" / DESKTOP_NAME


def _install_xdg(host: Host, python: str) -> AutostartStatus:
    path = desktop_path(host)
    environment = _carried_environment(host, KIND_XDG)
    changed = _write_file(path, render_desktop(python, environment))
    ours = list(_service_pids(host, marked_only=True))
    if changed:
        for pid in ours:
            host.commands.terminate(pid)
        ours = []
    started: int | None = None
    if not ours and not list(_service_pids(host, marked_only=False)):
        try:
            started = host.commands.spawn(service_argv(python), {**host.environ, **environment})
        except OSError as error:
            raise DeskstretchError(
                f"Wrote {path}, but could not start the service now: {error.strerror or error}."
                " It will start at your next login."
            ) from error
    return _xdg_status(host, path, started)


def _remove_xdg(host: Host) -> None:
    if _remove_file(desktop_path(host)):
        for pid in _service_pids(host, marked_only=True):
            host.commands.terminate(pid)


def _xdg_status(host: Host, path: Path, started: int | None = None) -> AutostartStatus:
    pids = list(_service_pids(host, marked_only=False))
    if started is not None and started not in pids and (host.proc_root / str(started)).exists():
        # Just started: on some VMs the command line reads empty for a moment after exec.
        pids.insert(0, started)
    running = bool(pids)
    state = f"running now (process {pids[0]})" if pids else "not running now"
    return AutostartStatus(
        True,
        KIND_XDG,
        path,
        running,
        f"An autostart entry starts the service when you log in; it is {state}.",
    )


def _service_pids(host: Host, *, marked_only: bool) -> Iterator[int]:
    """Processes running ``-m deskstretch.reminders run`` for this person's data folder (read
    from /proc); with marked_only, only those autostart started (their environment carries the
    origin marker). A service for another data folder (DESKSTRETCH_DATA_DIR) is not ours."""
    ours = host.environ.get(DATA_DIR_VARIABLE, "").encode()
    try:
        entries = list(host.proc_root.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if not _is_service_argv([part.decode("utf-8", "replace") for part in argv if part]):
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        data_dir = next(
            (
                item.partition(b"=")[2]
                for item in environ
                if item.startswith(DATA_DIR_VARIABLE.encode() + b"=")
            ),
            b"",
        )
        if data_dir != ours:
            continue
        if marked_only and not any(
            item.startswith(ORIGIN_VARIABLE.encode() + b"=") for item in environ
        ):
            continue
        yield int(entry.name)


DATA_DIR_VARIABLE = "DESKSTRETCH_DATA_DIR"


def _is_service_argv(argv: Sequence[str]) -> bool:
    tail = tuple(argv[-3:])
    return len(argv) >= 4 and tail == SERVICE_ARGS


# --- macOS: LaunchAgent ---------------------------------------------------------------------


def agent_path(home: Path) -> Path:
    return home / "Library" / "LaunchAgents" / f"{AGENT_LABEL}.plist"


def agent_log_path(home: Path) -> Path:
    return home / "Library" / "Logs" / "deskstretch" / "reminders.launchd.log"


def _install_launchd(host: Host, python: str) -> AutostartStatus:
    path = agent_path(host.home)
    log_path = agent_log_path(host.home)
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DeskstretchError(f"Cannot create {log_path.parent}: {error.strerror}.") from error
    _write_file(path, render_plist(python, _carried_environment(host, KIND_LAUNCHD), log_path))
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
    return _status(host)


def _remove_launchd(host: Host) -> None:
    path = agent_path(host.home)
    if not path.exists():
        return
    answer = host.commands.run(["launchctl", "bootout", f"gui/{host.uid}/{AGENT_LABEL}"])
    if not answer.ok:
        host.commands.run(["launchctl", "unload", "-w", str(path)])
    _remove_file(path)


def _launchd_status(host: Host, path: Path) -> AutostartStatus:
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


# --- Windows: Startup folder ----------------------------------------------------------------


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


def _install_startup(host: Host, python: str) -> AutostartStatus:
    path = startup_path(host.home, host.environ)
    environment = _carried_environment(host, KIND_STARTUP)
    changed = _write_file(path, render_cmd(python, environment), newline="\r\n")
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


def _remove_startup(host: Host) -> None:
    if _remove_file(startup_path(host.home, host.environ)):
        host.commands.run(_powershell("Stop-Process -Id $_.ProcessId"))


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


# --- status ---------------------------------------------------------------------------------


def _status(host: Host) -> AutostartStatus:
    if host.system == "darwin":
        path = agent_path(host.home)
        if path.exists():
            return _launchd_status(host, path)
        return _not_installed(None)
    if host.system == "windows":
        path = startup_path(host.home, host.environ)
        if path.exists():
            return _startup_status(host, path)
        pids = _windows_pids(host)
        return _not_installed(None if pids is None else bool(pids))
    manager = _systemd_manager(host)
    unit = unit_dir(host, manager) / UNIT_NAME
    if unit.exists():
        return _systemd_status(host, manager, unit)
    desktop = desktop_path(host)
    if desktop.exists():
        return _xdg_status(host, desktop)
    return _not_installed(bool(list(_service_pids(host, marked_only=False))))


_NOT_INSTALLED_TEXT = (
    "Reminders do not start by themselves; `deskstretch remind install` sets that up."
)


def _not_installed(running: bool | None) -> AutostartStatus:
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
        _NOT_INSTALLED_TEXT + tail,
    )
