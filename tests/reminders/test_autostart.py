"""Autostart: the files written for every platform (parsed back), the commands run, and the
install -> status -> uninstall cycle, with a recording fake for systemctl/launchctl/PowerShell
and a fake /proc."""

from __future__ import annotations

import configparser
import os
import plistlib
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders import autostart
from deskstretch.reminders.autostart import AutostartStatus, CommandResult, SystemCommands
from deskstretch.reminders.autostart.files import (
    render_cmd,
    render_desktop,
    render_plist,
    render_unit,
    windowless_python,
)
from deskstretch.reminders.autostart.xdg import service_pids

SERVICE_TAIL = ["-m", "deskstretch.reminders", "run"]
AWKWARD_PYTHONS = [
    "/usr/bin/python3",
    "/home/Jo Doe/my venv/bin/python",
    "/opt/50% off %h/$HOME/bin/python",
    '/tmp/it\'s "quoted"/python',
    "/tmp/back\\slash;semi/python",
]


class FakeSystem:
    """Answers systemctl, launchctl and PowerShell like a small state machine, records every
    call, and keeps a fake /proc that spawn and terminate edit."""

    def __init__(self, proc_root: Path, *, systemd: bool = True, graphical: bool = True) -> None:
        self.proc_root = proc_root
        proc_root.mkdir(parents=True, exist_ok=True)
        self.systemd = systemd
        self.graphical = graphical
        self.manager_environment: dict[str, str] = {"HOME": "/home/jo"}
        self.calls: list[list[str]] = []
        self.spawned: list[tuple[list[str], dict[str, str]]] = []
        self.terminated: list[int] = []
        self.failing: set[str] = set()
        self.unit_enabled = False
        self.unit_active = False
        self.agent_loaded = False
        self.windows_pids: list[int] = []
        self.next_pid = 4000
        self.blank_command_lines = False
        """Spawned processes show an empty command line, as on some VMs just after exec."""

    def run(self, argv: Sequence[str]) -> CommandResult:
        argv = list(argv)
        self.calls.append(argv)
        words = " ".join(argv)
        for failing in self.failing:
            if words.startswith(failing):
                return CommandResult(1, "", f"Failed: {failing} is broken today\nsecond line")
        if argv[:2] == ["systemctl", "--user"]:
            return self._systemctl(argv[2:])
        if argv[0] == "launchctl":
            return self._launchctl(argv[1:])
        if argv[0] == "powershell":
            if "Stop-Process" in argv[-1]:
                self.windows_pids = []
                return CommandResult(0, "", "")
            return CommandResult(0, "".join(f"{pid}\r\n" for pid in self.windows_pids), "")
        raise AssertionError(f"unexpected command {argv}")

    def _systemctl(self, args: list[str]) -> CommandResult:
        if not self.systemd:
            return CommandResult(1, "", "Failed to connect to bus: No medium found")
        verb = args[0]
        if verb == "show-environment":
            text = "".join(f"{k}={v}\n" for k, v in self.manager_environment.items())
            return CommandResult(0, text, "")
        if args == ["is-active", "graphical-session.target"]:
            return (
                CommandResult(0, "active\n", "")
                if self.graphical
                else CommandResult(3, "inactive\n", "")
            )
        if verb == "is-active":
            return (
                CommandResult(0, "active\n", "")
                if self.unit_active
                else CommandResult(3, "inactive\n", "")
            )
        if verb == "is-enabled":
            return CommandResult(
                0 if self.unit_enabled else 1,
                "enabled\n" if self.unit_enabled else "disabled\n",
                "",
            )
        if verb == "enable":
            self.unit_enabled = True
        elif verb in ("start", "restart"):
            self.unit_active = True
        elif verb == "disable":
            self.unit_enabled = False
            self.unit_active = self.unit_active and "--now" not in args
        return CommandResult(0, "", "")

    def _launchctl(self, args: list[str]) -> CommandResult:
        verb = args[0]
        if verb == "bootstrap":
            self.agent_loaded = True
        elif verb in ("bootout", "unload"):
            was_loaded, self.agent_loaded = self.agent_loaded, False
            return CommandResult(
                0 if was_loaded else 3,
                "",
                "" if was_loaded else "Boot-out failed: 3: No such process",
            )
        elif verb == "load":
            self.agent_loaded = True
        elif verb == "print":
            if not self.agent_loaded:
                return CommandResult(113, "", "Could not find service")
            return CommandResult(
                0, "gui/501/org.deskstretch.reminders = {\n\tstate = running\n\tpid = 4321\n}\n", ""
            )
        return CommandResult(0, "", "")

    def spawn(self, argv: Sequence[str], environ: Mapping[str, str]) -> int:
        self.next_pid += 1
        self.spawned.append((list(argv), dict(environ)))
        self.add_process(self.next_pid, [] if self.blank_command_lines else argv, environ)
        self.windows_pids.append(self.next_pid)
        return self.next_pid

    def add_process(self, pid: int, argv: Sequence[str], environ: Mapping[str, str]) -> None:
        folder = self.proc_root / str(pid)
        folder.mkdir()
        (folder / "cmdline").write_bytes(b"".join(a.encode() + b"\0" for a in argv))
        (folder / "environ").write_bytes(
            b"".join(f"{k}={v}".encode() + b"\0" for k, v in environ.items())
        )

    def terminate(self, pid: int) -> None:
        self.terminated.append(pid)
        shutil.rmtree(self.proc_root / str(pid))

    def verbs(self, program: str) -> list[str]:
        skip = 2 if program == "systemctl" else 1
        return [" ".join(call[skip:]) for call in self.calls if call[0] == program]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home of Jo"
    folder.mkdir()
    return folder


@pytest.fixture
def fake(tmp_path: Path) -> FakeSystem:
    return FakeSystem(tmp_path / "proc")


def env_for(home: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(home), "PATH": "/usr/bin", **extra}


@dataclass(frozen=True)
class On:
    """One platform's install/uninstall/status, wired to the fake."""

    fake: FakeSystem
    system: str
    environ: Mapping[str, str]
    home: Path | None = None

    def options(self) -> dict[str, Any]:
        return {
            "home": self.home,
            "system": self.system,
            "commands": self.fake,
            "uid": 501,
            "proc_root": self.fake.proc_root,
        }

    def install(self, python: str) -> AutostartStatus:
        return autostart.install(python, self.environ, **self.options())

    def uninstall(self) -> AutostartStatus:
        return autostart.uninstall(self.environ, **self.options())

    def status(self) -> AutostartStatus:
        return autostart.status(self.environ, **self.options())


def linux(fake: FakeSystem, home: Path, environ: Mapping[str, str] | None = None) -> On:
    return On(fake, "linux", environ if environ is not None else env_for(home), home)


def read_ini(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def ini_values(text: str, key: str) -> list[str]:
    """Every value of a repeated key (configparser keeps only the last)."""
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(key + "=")]


def systemd_words(value: str) -> list[str]:
    """Unquote ExecStart=/Environment= words: shell-like double quotes, then $$ and %%. A lone
    % or $ would be a specifier or a variable to systemd, so it fails the test."""
    assert "%" not in value.replace("%%", ""), f"lone % in {value!r}"
    assert "$" not in value.replace("$$", ""), f"lone $ in {value!r}"
    return [word.replace("$$", "$").replace("%%", "%") for word in shlex.split(value)]


def desktop_exec_words(value: str) -> list[str]:
    """Unquote a .desktop Exec value as the Desktop Entry spec says: first the string escapes
    (\\\\ -> \\, \\s -> space), then words split on blanks, where double quotes group and,
    inside them, a backslash escapes one of " ` $ \\; last, %% -> %."""
    text = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t"}.get(m[1], m[1]), value)
    words: list[str] = []
    current: list[str] | None = None
    quoted = False
    chars = iter(text)
    for char in chars:
        if quoted:
            if char == "\\":
                escaped = next(chars)
                assert escaped in '"`$\\', f"bad escape {escaped!r} in {value!r}"
                current.append(escaped)  # type: ignore[union-attr]
            elif char == '"':
                quoted = False
            else:
                assert char not in "`$", f"unescaped {char!r} inside quotes in {value!r}"
                current.append(char)  # type: ignore[union-attr]
        elif char == " ":
            if current is not None:
                words.append("".join(current))
            current = None
        else:
            current = current if current is not None else []
            if char == '"':
                quoted = True
            else:
                assert char not in "\\\"'$`><~|&;*?#()", f"unquoted {char!r} in {value!r}"
                current.append(char)
    assert not quoted, f"unterminated quote in {value!r}"
    if current is not None:
        words.append("".join(current))
    return [word.replace("%%", "%") for word in words]


# ----- pure file contents -------------------------------------------------------------------------


@pytest.mark.parametrize("python", AWKWARD_PYTHONS)
def test_render_unit_round_trips_exec_and_environment(python: str) -> None:
    environment = {
        "DESKSTRETCH_CONFIG_DIR": "/home/Jo Doe/50% cfg",
        "DESKSTRETCH_AUTOSTART": "systemd",
    }
    text = render_unit(python, environment)
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.read_string(text)
    service = parser["Service"]
    assert systemd_words(service["ExecStart"]) == [python, *SERVICE_TAIL]
    assert service["Type"] == "simple"
    assert service["Restart"] == "on-failure"
    assert int(service["RestartSec"]) > 0
    assert parser["Install"]["WantedBy"] == "graphical-session.target"
    assert parser["Unit"]["PartOf"] == "graphical-session.target"
    assert parser["Unit"]["After"] == "graphical-session.target"
    pairs = [systemd_words(value) for value in ini_values(text, "Environment")]
    assert pairs == [
        ["DESKSTRETCH_CONFIG_DIR=/home/Jo Doe/50% cfg"],
        ["DESKSTRETCH_AUTOSTART=systemd"],
    ]


@pytest.mark.parametrize("python", AWKWARD_PYTHONS)
def test_render_desktop_round_trips_exec(python: str) -> None:
    environment = {
        "DESKSTRETCH_DATA_DIR": "/home/Jo Doe/$data",
        "DESKSTRETCH_AUTOSTART": "xdg-autostart",
    }
    text = render_desktop(python, environment)
    parser = configparser.RawConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"
    assert desktop_exec_words(entry["Exec"]) == [
        "env",
        "DESKSTRETCH_DATA_DIR=/home/Jo Doe/$data",
        "DESKSTRETCH_AUTOSTART=xdg-autostart",
        python,
        *SERVICE_TAIL,
    ]


GI_PYTHON = "/usr/bin/python3"
GLIB_EXEC = """
import sys
import time
from gi.repository import Gio, GLib
info = Gio.DesktopAppInfo.new_from_filename(sys.argv[1])
ok, argv = GLib.shell_parse_argv(info.get_commandline())
print("\\0".join(word.replace("%%", "%") for word in argv), end="")
"""


def has_glib() -> bool:
    if not Path(GI_PYTHON).exists():
        return False
    probe = [GI_PYTHON, "-c", "from gi.repository import Gio"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize("python", AWKWARD_PYTHONS)
def test_render_desktop_parses_with_glib(python: str, tmp_path: Path) -> None:
    """GLib (GNOME, and most autostart runners) reads our Exec line back to the same words."""
    if not has_glib():
        pytest.fail("needs GLib's desktop-file parser: `make test` installs it (apt: python3-gi)")
    environment = {
        "DESKSTRETCH_DATA_DIR": "/home/Jo Doe/$data 100%",
        "DESKSTRETCH_AUTOSTART": "xdg",
    }
    path = tmp_path / "deskstretch-reminders.desktop"
    path.write_text(render_desktop(python, environment), encoding="utf-8")
    done = subprocess.run(
        [GI_PYTHON, "-c", GLIB_EXEC, str(path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\0") == [
        "env",
        "DESKSTRETCH_DATA_DIR=/home/Jo Doe/$data 100%",
        "DESKSTRETCH_AUTOSTART=xdg",
        python,
        *SERVICE_TAIL,
    ]


def test_render_desktop_quotes_only_what_needs_it() -> None:
    text = render_desktop("/usr/bin/python3", {"DESKSTRETCH_AUTOSTART": "xdg-autostart"})
    assert (
        "Exec=env DESKSTRETCH_AUTOSTART=xdg-autostart /usr/bin/python3 -m deskstretch.reminders run"
        in text
    )


@pytest.mark.parametrize("python", AWKWARD_PYTHONS)
def test_render_plist_round_trips(python: str, tmp_path: Path) -> None:
    log = tmp_path / "Library Logs" / "reminders.log"
    data = plistlib.loads(render_plist(python, {"DESKSTRETCH_AUTOSTART": "launchd"}, log).encode())
    assert data["Label"] == "org.deskstretch.reminders"
    assert data["ProgramArguments"] == [python, *SERVICE_TAIL]
    assert data["RunAtLoad"] is True
    assert data["KeepAlive"] == {"SuccessfulExit": False}
    assert data["EnvironmentVariables"] == {"DESKSTRETCH_AUTOSTART": "launchd"}
    assert data["StandardErrorPath"] == str(log)


def test_render_cmd_quotes_spaces_and_percent() -> None:
    text = render_cmd(
        r"C:\Program Files\Python 3.11\python.exe",
        {
            "DESKSTRETCH_CONFIG_DIR": r"C:\Users\Jo Doe\100% cfg",
            "DESKSTRETCH_AUTOSTART": "startup-folder",
        },
    )
    lines = text.splitlines()
    assert lines[0] == "@echo off"
    assert r'set "DESKSTRETCH_CONFIG_DIR=C:\Users\Jo Doe\100%% cfg"' in lines
    assert 'set "DESKSTRETCH_AUTOSTART=startup-folder"' in lines
    assert (
        lines[-1]
        == r'start "" "C:\Program Files\Python 3.11\pythonw.exe" -m deskstretch.reminders run'
    )


@pytest.mark.parametrize(
    ("python", "expected"),
    [
        (r"C:\Python311\python.exe", r"C:\Python311\pythonw.exe"),
        (r"C:\venv\Scripts\PYTHON.EXE", r"C:\venv\Scripts\pythonw.exe"),
        (r"C:\odd\py.exe", r"C:\odd\py.exe"),
    ],
)
def test_windowless_python_prefers_pythonw(python: str, expected: str) -> None:
    assert windowless_python(python) == expected


# ----- Linux: systemd -----------------------------------------------------------------------------


def test_install_systemd_writes_unit_and_enables_it(fake: FakeSystem, home: Path) -> None:
    python = "/home/Jo Doe/venv/bin/python"
    environ = env_for(
        home, DESKSTRETCH_CONFIG_DIR="/home/Jo Doe/cfg", XDG_CONFIG_HOME=str(home / "xdg cfg")
    )
    fake.manager_environment["XDG_CONFIG_HOME"] = str(home / "xdg cfg")

    result = linux(fake, home, environ).install(python)

    path = home / "xdg cfg" / "systemd" / "user" / "deskstretch-reminders.service"
    assert result == AutostartStatus(True, "systemd", path, True, result.detail)
    assert "starts with each desktop session" in result.detail
    text = path.read_text(encoding="utf-8")
    assert systemd_words(read_ini(path)["Service"]["ExecStart"]) == [python, *SERVICE_TAIL]
    assert [systemd_words(v)[0] for v in ini_values(text, "Environment")] == [
        "DESKSTRETCH_CONFIG_DIR=/home/Jo Doe/cfg",
        "DESKSTRETCH_AUTOSTART=systemd",
    ]
    assert fake.verbs("systemctl")[2:5] == [
        "daemon-reload",
        "enable deskstretch-reminders.service",
        "start deskstretch-reminders.service",
    ]
    assert fake.spawned == []


def test_install_systemd_uses_the_managers_config_folder(fake: FakeSystem, home: Path) -> None:
    fake.manager_environment["XDG_CONFIG_HOME"] = str(home / "manager cfg")
    environ = env_for(home, XDG_CONFIG_HOME=str(home / "shell cfg"))
    result = linux(fake, home, environ).install("/usr/bin/python3")
    assert (
        result.path == home / "manager cfg" / "systemd" / "user" / "deskstretch-reminders.service"
    )


def test_install_systemd_is_idempotent_and_restarts_only_on_change(
    fake: FakeSystem, home: Path
) -> None:
    first = linux(fake, home).install("/usr/bin/python3")
    content = first.path.read_bytes() if first.path else b""
    fake.calls.clear()
    again = linux(fake, home).install("/usr/bin/python3")
    assert again == first
    assert again.path is not None and again.path.read_bytes() == content
    assert "start deskstretch-reminders.service" in fake.verbs("systemctl")
    assert "restart deskstretch-reminders.service" not in fake.verbs("systemctl")

    fake.calls.clear()
    moved = linux(fake, home).install("/opt/new venv/bin/python")
    assert moved.path is not None and moved.path == first.path
    assert "restart deskstretch-reminders.service" in fake.verbs("systemctl")
    assert "/opt/new venv/bin/python" in systemd_words(read_ini(moved.path)["Service"]["ExecStart"])
    assert len(list(moved.path.parent.iterdir())) == 1  # no stray temp file


def test_systemd_cycle_install_status_uninstall(fake: FakeSystem, home: Path) -> None:
    assert linux(fake, home).status().installed is False
    installed = linux(fake, home).install("/usr/bin/python3")
    assert linux(fake, home).status() == installed
    assert installed.path is not None
    wants = installed.path.parent / "graphical-session.target.wants"
    wants.mkdir()
    (wants / "deskstretch-reminders.service").symlink_to(installed.path)

    fake.calls.clear()
    gone = linux(fake, home).uninstall()

    assert gone.installed is False and gone.kind == "none" and gone.path is None
    assert gone.running is False
    assert "disable --now deskstretch-reminders.service" in fake.verbs("systemctl")
    assert "daemon-reload" in fake.verbs("systemctl")
    assert not installed.path.exists()
    assert not (wants / "deskstretch-reminders.service").is_symlink()
    assert fake.unit_active is False and fake.unit_enabled is False


def test_install_systemd_failure_is_one_line(fake: FakeSystem, home: Path) -> None:
    fake.failing.add("systemctl --user enable")
    with pytest.raises(DeskstretchError) as caught:
        linux(fake, home).install("/usr/bin/python3")
    assert caught.value.message == (
        "systemctl --user enable deskstretch-reminders.service failed:"
        " Failed: systemctl --user enable is broken today"
    )


def test_reinstall_keeps_systemd_when_no_graphical_session(fake: FakeSystem, home: Path) -> None:
    """Re-running install from an ssh shell updates the unit instead of switching kinds."""
    linux(fake, home).install("/usr/bin/python3")
    fake.graphical = False
    again = linux(fake, home).install("/usr/bin/python3.11")
    assert again.kind == "systemd"
    assert not (home / ".config" / "autostart").exists()


def test_status_with_unit_but_no_manager_says_unknown(fake: FakeSystem, home: Path) -> None:
    linux(fake, home).install("/usr/bin/python3")
    fake.systemd = False
    result = linux(fake, home).status()
    assert (result.installed, result.kind, result.running) == (True, "systemd", None)
    assert "cannot be reached" in result.detail


def test_generated_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.fail("needs systemd-analyze: `make test` installs it (apt: systemd)")
    # A python path with spaces and a %h that only stays itself if the quoting is right (else
    # systemd puts the home folder there): verify checks that ExecStart's first word is an
    # executable file.
    odd = tmp_path / "my 100%h venv" / "bin"
    odd.mkdir(parents=True)
    (odd / "python").symlink_to(sys.executable)
    unit = tmp_path / "deskstretch-reminders.service"
    unit.write_text(
        render_unit(str(odd / "python"), {"DESKSTRETCH_CONFIG_DIR": "/a b/50%"}), encoding="utf-8"
    )
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0"},
    )
    assert done.returncode == 0, done.stderr
    assert "deskstretch-reminders" not in done.stderr, done.stderr


# ----- Linux: XDG autostart -----------------------------------------------------------------------


def test_install_xdg_without_systemd_writes_entry_and_starts_now(
    fake: FakeSystem, home: Path
) -> None:
    fake.systemd = False
    python = "/home/Jo Doe/venv/bin/python"
    environ = env_for(home, DESKSTRETCH_DATA_DIR="/home/Jo Doe/data")

    result = linux(fake, home, environ).install(python)

    path = home / ".config" / "autostart" / "deskstretch-reminders.desktop"
    assert (result.installed, result.kind, result.path, result.running) == (
        True,
        "xdg-autostart",
        path,
        True,
    )
    exec_words = desktop_exec_words(read_ini(path)["Desktop Entry"]["Exec"])
    assert exec_words == [
        "env",
        "DESKSTRETCH_DATA_DIR=/home/Jo Doe/data",
        "DESKSTRETCH_AUTOSTART=xdg-autostart",
        python,
        *SERVICE_TAIL,
    ]
    [(argv, spawn_env)] = fake.spawned
    assert argv == [python, *SERVICE_TAIL]
    assert spawn_env["DESKSTRETCH_AUTOSTART"] == "xdg-autostart"
    assert spawn_env["DESKSTRETCH_DATA_DIR"] == "/home/Jo Doe/data"
    assert f"process {fake.next_pid}" in result.detail


def test_install_xdg_when_systemd_has_no_graphical_session(fake: FakeSystem, home: Path) -> None:
    fake.graphical = False
    result = linux(fake, home).install("/usr/bin/python3")
    assert result.kind == "xdg-autostart"
    assert not any(call[2:3] == ["enable"] for call in fake.calls)


@pytest.mark.parametrize(
    ("xdg_config_home", "folder"),
    [("{home}/elsewhere", "elsewhere"), ("relative/ignored", ".config"), ("", ".config")],
)
def test_install_xdg_respects_absolute_xdg_config_home(
    fake: FakeSystem, home: Path, xdg_config_home: str, folder: str
) -> None:
    fake.systemd = False
    environ = env_for(home, XDG_CONFIG_HOME=xdg_config_home.format(home=home))
    result = linux(fake, home, environ).install("/usr/bin/python3")
    assert result.path == home / folder / "autostart" / "deskstretch-reminders.desktop"


def test_install_xdg_is_idempotent_and_restarts_on_change(fake: FakeSystem, home: Path) -> None:
    fake.systemd = False
    first = linux(fake, home).install("/usr/bin/python3")
    again = linux(fake, home).install("/usr/bin/python3")
    assert again == first
    assert len(fake.spawned) == 1 and fake.terminated == []

    changed = linux(fake, home).install("/usr/bin/python3.11")
    assert changed.running is True
    assert fake.terminated == [4001]
    assert fake.spawned[-1][0][0] == "/usr/bin/python3.11"


def test_install_xdg_counts_the_service_it_just_started(fake: FakeSystem, home: Path) -> None:
    fake.systemd = False
    fake.blank_command_lines = True
    result = linux(fake, home).install("/usr/bin/python3")
    assert result.running is True and "process 4001" in result.detail
    assert linux(fake, home).status().running is False  # later, only /proc's word counts


def test_install_xdg_leaves_a_foreground_service_alone(fake: FakeSystem, home: Path) -> None:
    fake.systemd = False
    fake.add_process(77, ["/usr/bin/python3", *SERVICE_TAIL], {"HOME": str(home)})
    result = linux(fake, home).install("/usr/bin/python3")
    assert result.running is True and "process 77" in result.detail
    assert fake.spawned == []  # no second service


def test_xdg_cycle_uninstall_stops_only_what_autostart_started(
    fake: FakeSystem, home: Path
) -> None:
    fake.systemd = False
    installed = linux(fake, home).install("/usr/bin/python3")
    assert linux(fake, home).status() == installed
    fake.add_process(
        99, ["/usr/bin/python3", *SERVICE_TAIL], {"HOME": str(home)}
    )  # `deskstretch remind`
    fake.add_process(
        98,
        ["/usr/bin/python3", "-m", "deskstretch.reminders", "prompt"],
        {"DESKSTRETCH_AUTOSTART": "x"},
    )

    gone = linux(fake, home).uninstall()

    assert fake.terminated == [4001]
    assert gone.installed is False
    assert gone.running is True  # the foreground one still runs, and status says so
    assert "started by hand" in gone.detail
    assert installed.path is not None and not installed.path.exists()


def test_uninstall_when_nothing_installed_is_quiet(fake: FakeSystem, home: Path) -> None:
    result = linux(fake, home).uninstall()
    assert (result.installed, result.kind, result.path, result.running) == (
        False,
        "none",
        None,
        False,
    )
    assert "deskstretch remind install" in result.detail
    assert fake.terminated == []
    assert not any("disable" in call for call in fake.calls)


def test_switching_to_systemd_removes_the_xdg_entry(fake: FakeSystem, home: Path) -> None:
    fake.graphical = False
    xdg = linux(fake, home).install("/usr/bin/python3")
    fake.graphical = True
    unit = linux(fake, home).install("/usr/bin/python3")
    assert unit.kind == "systemd"
    assert xdg.path is not None and not xdg.path.exists()
    assert fake.terminated == [4001]


# ----- macOS --------------------------------------------------------------------------------------


def macos(fake: FakeSystem, home: Path) -> On:
    return On(fake, "darwin", env_for(home), home)


def test_install_launchd_writes_plist_and_bootstraps(fake: FakeSystem, home: Path) -> None:
    python = "/Users/Jo Doe/venv/bin/python"
    result = macos(fake, home).install(python)

    path = home / "Library" / "LaunchAgents" / "org.deskstretch.reminders.plist"
    assert (result.installed, result.kind, result.path, result.running) == (
        True,
        "launchd",
        path,
        True,
    )
    assert "process 4321" in result.detail
    data = plistlib.loads(path.read_bytes())
    assert data["ProgramArguments"] == [python, *SERVICE_TAIL]
    assert data["RunAtLoad"] is True
    assert Path(data["StandardErrorPath"]).parent.is_dir()
    assert fake.verbs("launchctl")[:2] == [
        "bootout gui/501/org.deskstretch.reminders",
        f"bootstrap gui/501 {path}",
    ]


def test_install_launchd_falls_back_to_load_then_fails_in_one_line(
    fake: FakeSystem, home: Path
) -> None:
    fake.failing.add("launchctl bootstrap")
    result = macos(fake, home).install("/usr/bin/python3")
    assert result.running is True
    assert any(call[:3] == ["launchctl", "load", "-w"] for call in fake.calls)

    fake.failing.add("launchctl load")
    with pytest.raises(
        DeskstretchError, match=r"^launchctl bootstrap gui/501 failed: Failed: .*today$"
    ):
        macos(fake, home).install("/usr/bin/python3")


def test_launchd_cycle(fake: FakeSystem, home: Path) -> None:
    installed = macos(fake, home).install("/usr/bin/python3")
    again = macos(fake, home).install("/usr/bin/python3")
    assert again == installed == macos(fake, home).status()
    gone = macos(fake, home).uninstall()
    assert (gone.installed, gone.kind, gone.path) == (False, "none", None)
    assert installed.path is not None and not installed.path.exists()
    assert fake.agent_loaded is False


# ----- Windows ------------------------------------------------------------------------------------


def windows(fake: FakeSystem, home: Path, **extra: str) -> On:
    """No home given: it must come from USERPROFILE."""
    return On(fake, "windows", {"USERPROFILE": str(home), **extra})


def test_install_windows_writes_startup_cmd_with_crlf(
    fake: FakeSystem, home: Path, tmp_path: Path
) -> None:
    appdata = tmp_path / "App Data" / "Roaming"
    python = r"C:\Users\Jo Doe\venv\Scripts\python.exe"
    result = windows(fake, home, APPDATA=str(appdata)).install(python)

    path = (
        appdata
        / "Microsoft"
        / "Windows"
        / "Start Menu"
        / "Programs"
        / "Startup"
        / "deskstretch-reminders.cmd"
    )
    assert (result.installed, result.kind, result.path, result.running) == (
        True,
        "startup-folder",
        path,
        True,
    )
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") > 3
    assert raw.decode().splitlines()[-1] == (
        r'start "" "C:\Users\Jo Doe\venv\Scripts\pythonw.exe" -m deskstretch.reminders run'
    )
    [(argv, spawn_env)] = fake.spawned
    assert argv == [r"C:\Users\Jo Doe\venv\Scripts\pythonw.exe", *SERVICE_TAIL]
    assert spawn_env["DESKSTRETCH_AUTOSTART"] == "startup-folder"


def test_windows_cycle_without_appdata(fake: FakeSystem, home: Path) -> None:
    installed = windows(fake, home).install(r"C:\Python311\python.exe")
    assert installed.path is not None
    assert installed.path.is_relative_to(home / "AppData" / "Roaming")
    assert windows(fake, home).status() == installed
    gone = windows(fake, home).uninstall()
    assert (gone.installed, gone.running) == (False, False)
    assert any("Stop-Process" in call[-1] for call in fake.calls)
    assert not installed.path.exists()


# ----- errors -------------------------------------------------------------------------------------


def test_install_without_home_is_a_clear_error(fake: FakeSystem) -> None:
    with pytest.raises(DeskstretchError, match="Cannot find your home folder"):
        autostart.install("/usr/bin/python3", {"PATH": "/usr/bin"}, system="linux", commands=fake)


def test_install_into_an_unwritable_place_is_a_clear_error(fake: FakeSystem, home: Path) -> None:
    fake.systemd = False
    (home / ".config").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(DeskstretchError) as caught:
        linux(fake, home).install("/usr/bin/python3")
    message = caught.value.message
    assert message.startswith(
        f"Cannot write {home}/.config/autostart/deskstretch-reminders.desktop: "
    )
    assert "\n" not in message
    assert fake.spawned == []


def test_install_needs_a_python(fake: FakeSystem, home: Path) -> None:
    with pytest.raises(DeskstretchError, match="path of the Python"):
        linux(fake, home).install("  ")


# ----- the real commands --------------------------------------------------------------------------


def test_system_commands_run_reports_missing_programs() -> None:
    result = SystemCommands().run(["deskstretch-no-such-program-h4"])
    assert result.returncode == 127
    assert result.first_error_line() == "deskstretch-no-such-program-h4: command not found"


def test_system_commands_spawn_detaches_and_terminate_stops(tmp_path: Path) -> None:
    commands = SystemCommands()
    pid = commands.spawn([sys.executable, "-c", "import time; time.sleep(60)"], dict(os.environ))
    try:
        assert os.getsid(pid) == pid  # its own session, so closing the terminal leaves it running
    finally:
        commands.terminate(pid)  # returns once the child is a zombie (it is ours to reap)
        _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM
    commands.terminate(pid)  # already gone: no error


def test_system_commands_terminate_kills_what_ignores_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    code = (
        "import pathlib, signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "pathlib.Path(sys.argv[1]).touch()\n"
        "time.sleep(60)\n"
    )
    commands = SystemCommands()
    commands.stop_wait_seconds = 0.3
    pid = commands.spawn([sys.executable, "-c", code, str(ready)], dict(os.environ))
    try:
        deadline = time.monotonic() + 10
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.02)  # a real child process: wait until it ignores SIGTERM
        assert ready.exists()
        commands.terminate(pid)
    finally:
        _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_real_proc_scan_finds_a_marked_service(tmp_path: Path, home: Path) -> None:
    """The fake-/proc tests above rely on the real /proc layout; check it against a real child."""
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; time.sleep(60)", *SERVICE_TAIL],
        env={**os.environ, "DESKSTRETCH_AUTOSTART": "xdg-autostart"},
    )
    try:
        same_person = {k: v for k, v in os.environ.items() if k == "DESKSTRETCH_DATA_DIR"}
        host = autostart.Host("linux", home, same_person, SystemCommands())
        deadline = time.monotonic() + 10
        # On some VMs the command line reads empty for a moment after exec: poll a little.
        while child.pid not in set(service_pids(host, marked_only=True)):
            assert time.monotonic() < deadline, "the child never showed up in /proc"
            time.sleep(0.02)
    finally:
        child.kill()
        child.wait()


def test_status_ignores_a_service_for_another_data_folder(fake: FakeSystem, home: Path) -> None:
    fake.add_process(77, ["/usr/bin/python3", *SERVICE_TAIL], {"DESKSTRETCH_DATA_DIR": "/other"})
    assert linux(fake, home).status().running is False
    fake.add_process(78, ["/usr/bin/python3", *SERVICE_TAIL], {"HOME": str(home)})
    assert linux(fake, home).status().running is True


def test_uninstall_says_which_file_it_removed(fake: FakeSystem, home: Path) -> None:
    installed = linux(fake, home).install("/usr/bin/python3")
    gone = linux(fake, home).uninstall()
    assert installed.path is not None
    assert gone.detail.startswith(f"Removed {installed.path}: reminders no longer start")
    assert "`deskstretch remind install` sets that up" not in gone.detail
    assert gone.detail == gone.detail.strip()
