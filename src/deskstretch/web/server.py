"""``deskstretch app``: serve the browser app with uvicorn and open it where a browser can show it.

The listening socket is bound here, before uvicorn starts, so a port in use is one clear error
(and no race between checking the port and using it).
"""

from __future__ import annotations

import errno
import socket
import threading
import time
import webbrowser
from collections.abc import Callable

from deskstretch.browser import can_open_browser
from deskstretch.config import Settings
from deskstretch.core.errors import DeskstretchError

WILDCARD_HOSTS = ("0.0.0.0", "::")


def address_url(host: str, port: int) -> str:
    """The address to browse to: a wildcard bind is reached through the loopback name."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port``, or a DeskstretchError saying what to do."""
    if not 1 <= port <= 65535:
        raise DeskstretchError(f"--port: expected 1 to 65535, got {port}")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise DeskstretchError(f"--host: cannot use '{host}' ({error.strerror})") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise DeskstretchError(
                f"port {port} is already in use on {host} (is deskstretch already running? Then"
                f" open {address_url(host, port)}). Pick another with --port, e.g. --port"
                f" {port + 1}."
            ) from None
        if error.errno == errno.EACCES:
            raise DeskstretchError(
                f"not allowed to use port {port}; pick one above 1024 with --port"
            ) from None
        raise DeskstretchError(f"cannot listen on {host}:{port} ({error.strerror})") from None
    sock.setblocking(False)
    return sock


def _open_when_ready(is_started: Callable[[], bool], url: str) -> None:
    def wait_then_open() -> None:
        deadline = time.monotonic() + 15
        while not is_started() and time.monotonic() < deadline:
            time.sleep(0.05)
        if is_started():
            webbrowser.open(url)

    threading.Thread(target=wait_then_open, name="open-browser", daemon=True).start()


def serve(settings: Settings, host: str, port: int, open_browser: bool) -> None:
    """Run the app until Ctrl+C."""
    import uvicorn

    from deskstretch.web.app import create_app

    sock = bind(host, port)
    url = address_url(host, port)
    app = create_app(settings, host=host, port=port)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    )
    print(f"deskstretch is running at {url} — press Ctrl+C to stop", flush=True)
    if host in WILDCARD_HOSTS:
        print(
            "Listening on every network interface, but only requests addressed to this computer's"
            " loopback names are answered. To use deskstretch from another device, give this"
            " computer's address with --host. There is no login: anyone who can reach it can see"
            " your records.",
            flush=True,
        )
    if open_browser and can_open_browser():
        _open_when_ready(lambda: server.started, url)
    elif open_browser:
        print("No browser to open here: open the address above in your browser.", flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl+C it handled: stopping is the normal way out here
    finally:
        sock.close()
    print("deskstretch stopped.", flush=True)
