"""The autostart files: a systemd user unit, an XDG autostart entry, a launchd plist and a
Windows batch file, each with its own quoting rules, and how every backend writes and removes
them. The backends (systemd.py, xdg.py, launchd.py, windows.py) decide which one and where.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath

from deskstretch.config import write_atomic
from deskstretch.core.errors import DeskstretchError

SERVICE_MODULE = "deskstretch.reminders"
SERVICE_ARGS = ("-m", SERVICE_MODULE, "run")
AGENT_LABEL = "org.deskstretch.reminders"
RESTART_SECONDS = 10
HEADER = "Written by `deskstretch remind install`; `deskstretch remind uninstall` removes it."


def service_argv(python: str) -> list[str]:
    """The command every autostart entry runs."""
    return [python, *SERVICE_ARGS]


def render_unit(python: str, environment: Mapping[str, str]) -> str:
    """The systemd user unit.

    graphical-session.target, not default.target: the user manager reaches default.target before
    (or without) a desktop session, when DISPLAY/WAYLAND_DISPLAY are not yet in its environment,
    and a service started then never sees them. Bound to the graphical session (PartOf/After/
    WantedBy), the service starts at each login once the session has imported its environment,
    stops at logout, and comes back at the next login. Install only picks this form when that
    target is active, i.e. the desktop supports it (GNOME, KDE Plasma, sway with systemd
    integration); elsewhere it writes an XDG autostart entry instead.
    """
    lines = [
        "# " + HEADER,
        "[Unit]",
        "Description=deskstretch break reminders",
        "PartOf=graphical-session.target",
        "After=graphical-session.target",
        # Give up after 5 crashes in 10 minutes rather than restart for ever.
        "StartLimitIntervalSec=600",
        "StartLimitBurst=5",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=" + " ".join(_systemd_quote(arg) for arg in service_argv(python)),
        *(
            "Environment=" + _systemd_quote(f"{name}={value}")
            for name, value in environment.items()
        ),
        "Restart=on-failure",
        f"RestartSec={RESTART_SECONDS}",
        "",
        "[Install]",
        "WantedBy=graphical-session.target",
        "",
    ]
    return "\n".join(lines)


def _systemd_quote(word: str) -> str:
    """One word for ExecStart=/Environment=: % specifiers doubled, $ doubled (no variable
    expansion), and double quotes with C-style escapes around anything with space or quotes."""
    text = word.replace("%", "%%").replace("$", "$$")
    if text and not re.search(r"[\s\"'\\;]", text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render_desktop(python: str, environment: Mapping[str, str]) -> str:
    """An XDG autostart entry (Desktop Entry Specification 1.5)."""
    words = ["env", *(f"{name}={value}" for name, value in environment.items())]
    words += service_argv(python)
    lines = [
        "# " + HEADER,
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=deskstretch reminders",
        "Comment=Reminds you to take short movement and stretch breaks",
        "Exec=" + _desktop_string(" ".join(_desktop_quote(word) for word in words)),
        "Terminal=false",
        "NoDisplay=true",
        "X-GNOME-Autostart-enabled=true",
        "",
    ]
    return "\n".join(lines)


_DESKTOP_RESERVED = re.compile(r"[\s\"'\\><~|&;$*?#()`]")


def _desktop_quote(word: str) -> str:
    """Quote one Exec argument: reserved characters need double quotes, and inside them
    `"`, backquote, `$` and backslash need a backslash; `%` is doubled (field codes)."""
    text = word.replace("%", "%%")
    if text and not _DESKTOP_RESERVED.search(text):
        return text
    return '"' + re.sub(r'(["`$\\])', r"\\\1", text) + '"'


def _desktop_string(value: str) -> str:
    """The string-value escape layer of .desktop files, applied over the Exec quoting."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def render_plist(python: str, environment: Mapping[str, str], log_path: Path) -> str:
    """A LaunchAgent: started at login (RunAtLoad), restarted only after a crash (KeepAlive
    SuccessfulExit=false), at most every 10 s. Crash output goes to log_path."""
    import plistlib

    agent = {
        "Label": AGENT_LABEL,
        "ProgramArguments": service_argv(python),
        "EnvironmentVariables": dict(environment),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "ThrottleInterval": RESTART_SECONDS,
        "StandardOutPath": str(log_path),
        "StandardErrorPath": str(log_path),
    }
    return plistlib.dumps(agent, sort_keys=False).decode("utf-8")


def windowless_python(python: str) -> str:
    """pythonw.exe beside python.exe: the same interpreter without a console window."""
    path = PureWindowsPath(python)
    if path.name.lower() == "python.exe":
        return str(path.with_name("pythonw.exe"))
    return python


def render_cmd(python: str, environment: Mapping[str, str]) -> str:
    """A batch file for the Startup folder. `start ""` launches pythonw and lets the (briefly
    visible) console close at once. `%` is doubled because batch files expand it even in quotes."""
    lines = [
        "@echo off",
        "rem " + HEADER,
        "setlocal",
        *(f'set "{name}={_batch_escape(value)}"' for name, value in environment.items()),
        'start "" '
        + " ".join(_batch_quote(word) for word in service_argv(windowless_python(python))),
        "",
    ]
    return "\n".join(lines)


def _batch_escape(text: str) -> str:
    return text.replace("%", "%%")


def _batch_quote(word: str) -> str:
    text = _batch_escape(word)
    return f'"{text}"' if re.search(r"[\s&|<>^(),;=]", text) else text


def write_file(path: Path, text: str, *, newline: str = "\n") -> bool:
    """Write atomically (temp file + rename); True when the content changed."""
    data = text.replace("\n", newline).encode("utf-8")
    try:
        if path.is_file() and path.read_bytes() == data:
            return False
        write_atomic(path, data)
    except OSError as error:
        raise DeskstretchError(f"Cannot write {path}: {error.strerror or error}.") from error
    return True


def remove_file(path: Path) -> bool:
    try:
        if path.is_symlink() or path.exists():
            path.unlink()
            return True
    except OSError as error:
        raise DeskstretchError(f"Cannot remove {path}: {error.strerror or error}.") from error
    return False
