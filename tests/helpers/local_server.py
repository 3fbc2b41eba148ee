"""Real servers on loopback ports: a free port, and ``deskstretch app`` started in a child
process, waited for and stopped with Ctrl+C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from helpers.support import Dirs


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    dirs: Dirs, *args: str, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """``deskstretch app ARGS`` with ``dirs``' folders and no display (unless ``extra_env`` gives
    one); the first line it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
    env.update(dirs.env_vars())
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.update(extra_env or {})
    process = subprocess.Popen(
        [sys.executable, "-m", "deskstretch", "app", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    return process, first


def stop(process: subprocess.Popen[str]) -> str:
    """Ctrl+C, then everything it printed after the first line."""
    process.send_signal(signal.SIGINT)
    process.wait(timeout=20)
    assert process.stdout is not None
    # read() (not communicate()) also returns what readline() already buffered.
    return process.stdout.read()


def get_when_ready(url: str) -> httpx.Response:
    """GET ``url``, retrying for up to 10 s while nothing listens there yet."""
    for _ in range(200):
        try:
            return httpx.get(url, timeout=5)
        except httpx.ConnectError:
            time.sleep(0.05)
    raise AssertionError(f"nothing answered at {url}")
