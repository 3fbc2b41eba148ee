"""`make test` survives a busy package manager: scripts/apt-install.sh waits, saying what for, while
another process holds apt's real lock (/var/lib/dpkg/lock-frontend), and gives up clearly after
APT_LOCK_WAIT seconds. Needs apt-get and root (or sudo without a password), as `make test` does
to install what the tests drive, and fails (never skips) without them. It installs tmux, which
`make test` has already installed, so apt only takes the lock and finds nothing to do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "apt-install.sh"
LOCK = "/var/lib/dpkg/lock-frontend"

HOLD_LOCK = """
import fcntl, sys, time
with open(sys.argv[1], "w") as lock:
    fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # apt's own kind of lock (fcntl)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _can_use_apt() -> str | None:
    if shutil.which("apt-get") is None:
        return "apt-get is not on this system: `make test` needs Debian or Ubuntu (see README)"
    if os.geteuid() != 0:
        sudo = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)
        if sudo.returncode != 0:
            return (
                "this test takes apt's real lock: run `make test` as root, or with sudo that"
                " needs no password (as CI does)"
            )
    return None


@pytest.fixture
def apt_lock_holder() -> Iterator[Callable[[float], subprocess.Popen[str]]]:
    reason = _can_use_apt()
    if reason is not None:
        pytest.fail(reason)

    def hold(seconds: float) -> subprocess.Popen[str]:
        command = [sys.executable, "-c", HOLD_LOCK, LOCK, str(seconds)]
        if os.geteuid() != 0:
            command = ["sudo", "-n", *command]
        holder = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        holders.append(holder)
        return holder

    holders: list[subprocess.Popen[str]] = []
    yield hold
    for holder in holders:
        holder.kill()
        holder.wait(timeout=10)


def run_script(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "tmux"],
        capture_output=True,
        text=True,
        env={**os.environ, "APT_SKIP_UPDATE": "1", **env},
        check=False,
        timeout=300,
    )


def test_the_install_waits_for_the_lock_and_says_what_for(
    apt_lock_holder: Callable[[float], subprocess.Popen[str]],
) -> None:
    holder = apt_lock_holder(6)
    started = time.monotonic()
    result = run_script()
    waited = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "waiting for process" in result.stderr
    assert "(python" in result.stderr  # names the program holding the lock
    assert LOCK in result.stderr
    assert "the package manager is free again" in result.stderr
    assert waited >= 4  # it really waited for the holder, rather than failing at once
    assert holder.wait(timeout=10) == 0


def test_it_gives_up_clearly_when_the_lock_stays_held(
    apt_lock_holder: Callable[[float], subprocess.Popen[str]],
) -> None:
    apt_lock_holder(60)
    result = run_script(APT_LOCK_WAIT="4")
    assert result.returncode != 0
    assert "gave up after" in result.stderr
    assert "still holds the package manager's lock" in result.stderr
    assert "APT_LOCK_WAIT" in result.stderr


def test_a_free_package_manager_installs_without_a_word() -> None:
    reason = _can_use_apt()
    if reason is not None:
        pytest.fail(reason)
    result = run_script()
    assert result.returncode == 0, result.stderr
    assert "waiting" not in result.stderr
