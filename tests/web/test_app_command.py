"""`deskstretch app`: a real uvicorn server on a free loopback port, the printed address, the
browser decision, and a clear error for a port in use."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from deskstretch.reminders.lock import ServiceLock
from deskstretch.system.browser import app_address, can_open_browser
from deskstretch.web.server import address_url
from helpers.local_server import free_port, get_when_ready, start_server, stop
from helpers.support import CliRunner, Dirs


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        yield holder.getsockname()[1]


def test_app_serves_the_pages_and_prints_its_address(dirs: Dirs) -> None:
    port = free_port()
    process, first = start_server(dirs, "--no-browser", "--port", str(port))
    try:
        url = f"http://127.0.0.1:{port}"
        assert first == f"deskstretch is running at {url} — press Ctrl+C to stop"
        page = get_when_ready(url + "/")
        assert page.status_code == 200
        assert "default-src 'self'" in page.headers["content-security-policy"]
        rebinding = httpx.get(url + "/", headers={"Host": f"evil.example:{port}"}, timeout=5)
        assert rebinding.status_code == 400
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert output.endswith("deskstretch stopped.\n")
    assert "Traceback" not in output
    assert "No browser to open" not in output  # --no-browser: not even the hint


def test_app_without_a_display_prints_the_address_instead(dirs: Dirs) -> None:
    port = free_port()
    process, first = start_server(dirs, "--port", str(port))
    try:
        assert first.startswith(f"deskstretch is running at http://127.0.0.1:{port}")
        assert get_when_ready(f"http://127.0.0.1:{port}/help").status_code == 200
    finally:
        output = stop(process)
    assert "No browser to open here" in output


def test_port_in_use_is_one_clear_error(run_cli: CliRunner, busy_port: int) -> None:
    result = run_cli("app", "--no-browser", "--port", str(busy_port))
    assert result.exit_code == 1
    assert f"port {busy_port} is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--port", "70000"), "--port: expected 1 to 65535"),
        (("--host", "no such host.invalid", "--allow-remote"), "--host: cannot use"),
    ],
)
def test_bad_address_is_one_clear_error(
    run_cli: CliRunner, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("app", "--no-browser", *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_app_help_lists_its_options(run_cli: CliRunner) -> None:
    result = run_cli("app", "--help")
    assert result.exit_code == 0
    for option in ("--host", "--port", "--no-browser", "127.0.0.1", "8767"):
        assert option in result.stdout


def test_help_does_not_import_the_web_stack() -> None:
    code = (
        "import sys\n"
        "from deskstretch.cli.main import build_app\n"
        "build_app()\n"
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ""}, "linux", False),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_browser_opens_only_where_one_can_show(
    environ: dict[str, str], platform: str, expected: bool
) -> None:
    assert can_open_browser(environ, platform) is expected


def test_address_to_browse_to() -> None:
    assert address_url("127.0.0.1", 8767) == "http://127.0.0.1:8767"
    assert address_url("0.0.0.0", 8767) == "http://127.0.0.1:8767"
    assert address_url("::1", 9000) == "http://[::1]:9000"


# ----- the reminder service goes with the app (issue 12) ------------------------------------------


def _home(tmp_path: Path) -> dict[str, str]:
    """A home of its own, so "start with my computer" is read from here, not the real one."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


def _service_pid(dirs: Dirs, *, wanted: bool, seconds: float = 15) -> int | None:
    deadline = time.monotonic() + seconds
    while True:
        pid = ServiceLock(dirs.data).holder()
        # 0: the lock is taken but the service has not written its pid yet; wait for the pid.
        done = bool(pid) if wanted else pid is None
        if done or time.monotonic() > deadline:
            return pid
        time.sleep(0.1)


def _turn(dirs: Dirs, on: bool | None) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    if on is not None:
        (dirs.config / "reminders.toml").write_text(f"enabled = {str(on).lower()}\n", "utf-8")


def test_app_starts_the_reminders_when_on_and_stops_them_with_it(
    dirs: Dirs, tmp_path: Path
) -> None:
    _turn(dirs, True)
    process, _first = start_server(
        dirs, "--no-browser", "--port", str(free_port()), extra_env=_home(tmp_path)
    )
    port = int(_first.split(":")[-1].split(" ")[0])
    try:
        pid = _service_pid(dirs, wanted=True)
        assert pid, "the app did not start the reminder service"
        # Where a reminder's Start finds this app (not the default port).
        assert app_address(dirs.data) == f"http://127.0.0.1:{port}"
    finally:
        output = stop(process)
    assert app_address(dirs.data) is None
    assert "Break reminders: started with the app." in output
    assert "Break reminders stopped with the app" in output
    assert _service_pid(dirs, wanted=False) is None, "the service outlived the app"
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_app_leaves_the_reminders_running_when_they_start_with_the_computer(
    dirs: Dirs, tmp_path: Path
) -> None:
    _turn(dirs, True)
    env = _home(tmp_path)
    entry = Path(env["XDG_CONFIG_HOME"]) / "autostart" / "deskstretch-reminders.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nType=Application\nExec=true\n", "utf-8")
    process, _first = start_server(dirs, "--no-browser", "--port", str(free_port()), extra_env=env)
    pid = None
    try:
        pid = _service_pid(dirs, wanted=True)
        assert pid
        output = stop(process)
        assert "stopped with the app" not in output
        time.sleep(1)
        assert ServiceLock(dirs.data).holder() == pid, "the service stopped with the app"
    finally:
        if process.poll() is None:
            stop(process)
        if pid:
            os.kill(pid, signal.SIGTERM)
            _service_pid(dirs, wanted=False)


@pytest.mark.parametrize(
    ("on", "line"),
    [
        (None, "Break reminders are not set up yet: the app's Today page offers them."),
        (False, "Break reminders are off (turn them on in Settings)."),
    ],
)
def test_app_starts_no_reminders_unless_they_are_on(
    dirs: Dirs, tmp_path: Path, on: bool | None, line: str
) -> None:
    _turn(dirs, on)
    process, _first = start_server(
        dirs, "--no-browser", "--port", str(free_port()), extra_env=_home(tmp_path)
    )
    try:
        time.sleep(1.5)
        assert ServiceLock(dirs.data).holder() is None
    finally:
        output = stop(process)
    assert line in output
