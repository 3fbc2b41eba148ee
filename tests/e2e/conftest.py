"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, and the real app served
by uvicorn in a child process on a free loopback port.

Playwright's own browser is never downloaded: Chromium is /usr/bin/chromium (`make test` installs
it with the system's package manager). Missing tools fail the tests with what to run; they never
skip them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from helpers.fake_notification_server import (
    DBusSession,
    FakeNotificationServer,
    MissingTool,
    start_fake_server,
    start_session_bus,
)
from helpers.local_server import free_port
from helpers.support import Dirs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed when running as root (containers, CI)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

SERVE = """
import sys
import uvicorn
from deskstretch.config import Settings
from deskstretch.web.app import create_app

port = int(sys.argv[1])
uvicorn.run(create_app(Settings.from_env(), port=port), host="127.0.0.1", port=port,
            log_level="warning")
"""

# start_server(env, log_path) -> a context manager yielding the base URL, "http://127.0.0.1:PORT".
ServerStarter = Callable[[Mapping[str, str], Path], AbstractContextManager[str]]


def clean_env(dirs: Dirs) -> dict[str, str]:
    """This process's environment with no DESKSTRETCH_* but ``dirs``' config and data folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    return env


@contextmanager
def _running_server(env: Mapping[str, str], log_path: Path) -> Iterator[str]:
    """uvicorn serving create_app(Settings.from_env()) with ``env``; stopped on exit, and its log
    must hold no traceback."""
    port = free_port()
    with log_path.open("w", encoding="utf-8") as log:
        child = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(port)], env=dict(env), stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/routines", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"the server did not start:\n{log_path.read_text(encoding='utf-8')}")
        time.sleep(0.1)
    try:
        yield url
    finally:
        child.terminate()
        child.wait(timeout=10)
    log_text = log_path.read_text(encoding="utf-8")
    assert "Traceback" not in log_text, log_text


@pytest.fixture(scope="session")
def start_server() -> ServerStarter:
    """For fixtures that need a server of their own (another scope, other folders)."""
    return _running_server


@pytest.fixture
def routine_files() -> dict[str, str]:
    """User routines ({id: TOML}) the ``server`` fixture puts in place; override to add some."""
    return {}


@pytest.fixture
def server(
    screened: Path, dirs: Dirs, tmp_path: Path, routine_files: dict[str, str]
) -> Iterator[str]:
    """uvicorn with this test's folders (safety answered all "no", ``routine_files`` in place)."""
    dirs.routines.mkdir(parents=True, exist_ok=True)
    for routine_id, text in routine_files.items():
        (dirs.routines / f"{routine_id}.toml").write_text(text, encoding="utf-8")
    with _running_server(clean_env(dirs), tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def newcomer_server(dirs: Dirs, tmp_path: Path) -> Iterator[str]:
    """uvicorn with this test's folders and nothing in them: a person's very first visit."""
    with _running_server(clean_env(dirs), tmp_path / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright (one browser for the session; tests make contexts)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium package;"
            " Playwright's own browser download is never used)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_js() -> str:
    """The source of axe-core (node_modules, installed by `make node-deps` from package-lock)."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS.relative_to(ROOT)} is missing: run `make test` (or `make node-deps`, which"
            " runs `npm ci` in the repository root)"
        )
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder for screenshots a person looks at: shots/ in pytest's temporary folder, which
    keeps the last three runs (/tmp/pytest-of-USER/pytest-N/shots). To keep them somewhere of
    your own: ``pytest --basetemp=DIR tests/e2e/...`` (DIR is emptied first) -> DIR/shots."""
    return tmp_path_factory.mktemp("shots", numbered=False)


# D-Bus: a private session bus per test and the fake notification server on it
# (fake_notification_server.py). Usage:
#     server = notification_server(respond=["invoke:snooze"])   # then run children with
#     env=dbus_session.env(...); server.notifications() is what they sent.


@pytest.fixture
def dbus_session(tmp_path: Path) -> Iterator[DBusSession]:
    """A private session bus (dbus-daemon) for this test; ``dbus_session.env(base)`` points a
    child process at it."""
    try:
        session = start_session_bus(tmp_path)
    except MissingTool as error:
        pytest.fail(str(error))
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture
def notification_server(
    dbus_session: DBusSession, tmp_path: Path
) -> Iterator[Callable[..., FakeNotificationServer]]:
    """notification_server(respond=(...), respond_delay_seconds=0.2, idle_ms=None,
    screensaver_idle=None, inhibited=False, notifications=True) starts the fake server on
    ``dbus_session`` (see start_fake_server); stopped after the test, and it must not have
    crashed."""
    started: list[FakeNotificationServer] = []

    def start(**options: Any) -> FakeNotificationServer:
        workdir = tmp_path / f"fake-desktop-{len(started)}"
        workdir.mkdir()
        server = start_fake_server(dbus_session, workdir, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        assert "Traceback" not in server.errors(), server.errors()
