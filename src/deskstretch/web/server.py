"""``deskstretch app``: serve the browser app with uvicorn and open it where a browser can show it.

The listening socket is bound here, before uvicorn starts, so a port in use is one clear error
(and no race between checking the port and using it). An address other computers can reach is
refused unless the person passes --allow-remote; then every request needs a secret token.
"""

from __future__ import annotations

import errno
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from typing import TYPE_CHECKING

from deskstretch.config import Settings
from deskstretch.core.errors import DeskstretchError
from deskstretch.system.browser import (
    can_open_browser,
    forget_app_address,
    remember_app_address,
)

if TYPE_CHECKING:
    from deskstretch.coach import Coach

WILDCARD_HOSTS = ("0.0.0.0", "::")
REMOTE_WARNING = (
    "Warning: deskstretch is open to other computers on your network. Anyone who has this address"
    " with its token can see and change your health records (pain, answers, sessions), and the"
    " connection is not encrypted: use it only on a network you trust, and press Ctrl+C when"
    " done."
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this computer (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address


def check_remote(host: str, allow_remote: bool) -> None:
    """Refuse an address other computers can reach, unless the person asked for it."""
    if not allow_remote and not is_loopback(host):
        raise DeskstretchError(
            f"--host {host} would let other computers on the network reach your health records."
            " To do that on purpose, add --allow-remote: deskstretch then prints a secret access"
            " token that every browser must use."
        )


def _own_addresses() -> tuple[str, ...]:
    """This computer's name and main address: what another device types to reach a wildcard
    bind (the Host check answers to them as well as to the loopback names)."""
    names = [socket.gethostname()]
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            names.append(probe.getsockname()[0])
    except OSError:
        pass
    return tuple(name for name in names if name)


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


def serve(
    settings: Settings, host: str, port: int, open_browser: bool, allow_remote: bool = False
) -> None:
    """Run the app until Ctrl+C. With ``allow_remote``, every request needs a secret token,
    printed here once in the address (as Jupyter does)."""
    import secrets

    import uvicorn

    from deskstretch.web.app import create_app

    check_remote(host, allow_remote)
    sock = bind(host, port)
    url = address_url(host, port)
    token = secrets.token_urlsafe(32) if allow_remote else None
    extra_hosts = _own_addresses() if allow_remote and host in WILDCARD_HOSTS else ()
    app = create_app(settings, host=host, port=port, access_token=token, extra_hosts=extra_hosts)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    )
    if token is not None:
        url = f"{url}/?token={token}"
    print(f"deskstretch is running at {url} — press Ctrl+C to stop", flush=True)
    if token is not None:
        print(REMOTE_WARNING, flush=True)
        if extra_hosts:
            names = ", ".join(address_url(name, port) for name in extra_hosts)
            print(f"From another device, use {names} with ?token=... as above.", flush=True)
    coach = app.state.coach
    if token is None:
        remember_app_address(settings.data_dir, url)
    print(_reminders_at_start(coach), flush=True)
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
        forget_app_address(settings.data_dir, url)
        if _stop_reminders(coach):
            print(
                "Break reminders stopped with the app (to keep them running, choose"
                ' "Start with my computer" in Settings).',
                flush=True,
            )
    print("deskstretch stopped.", flush=True)


def _stop_reminders(coach: Coach) -> bool:
    try:
        return bool(coach.reminders.stop_started())
    except (DeskstretchError, OSError):
        return False


def _reminders_at_start(coach: Coach) -> str:
    """Start the reminder service when the person turned reminders on and none runs; one line
    for the terminal saying how the reminders stand."""
    reminders = coach.reminders
    try:
        state = reminders.setup().state
        if state == "unset":
            return "Break reminders are not set up yet: the app's Today page offers them."
        if state == "off":
            return "Break reminders are off (turn them on in Settings)."
        if reminders.start_service() is not None:
            return "Break reminders: started with the app."
        return "Break reminders: already running."
    except (DeskstretchError, OSError) as error:
        return f"Break reminders could not be started: {error}"
