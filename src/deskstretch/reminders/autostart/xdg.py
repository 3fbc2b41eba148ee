"""Linux without a graphical systemd session: an XDG autostart entry (.desktop) that the desktop
runs at login, and the reminder processes found in /proc (started by it or by hand).

linux.py decides between this and a systemd user unit (systemd.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.autostart.files import (
    SERVICE_ARGS,
    remove_file,
    render_desktop,
    service_argv,
    write_file,
)
from deskstretch.reminders.autostart.host import (
    KIND_XDG,
    ORIGIN_VARIABLE,
    AutostartStatus,
    Host,
    carried_environment,
    user_config_dir,
)

DESKTOP_NAME = "deskstretch-reminders.desktop"
DATA_DIR_VARIABLE = "DESKSTRETCH_DATA_DIR"


def desktop_path(host: Host) -> Path:
    return user_config_dir(host.home, host.environ) / "autostart" / DESKTOP_NAME


def install_entry(host: Host, python: str) -> AutostartStatus:
    path = desktop_path(host)
    environment = carried_environment(host, KIND_XDG)
    changed = write_file(path, render_desktop(python, environment))
    ours = list(service_pids(host, marked_only=True))
    if changed:
        for pid in ours:
            host.commands.terminate(pid)
        ours = []
    started: int | None = None
    if not ours and not list(service_pids(host, marked_only=False)):
        try:
            started = host.commands.spawn(service_argv(python), {**host.environ, **environment})
        except OSError as error:
            raise DeskstretchError(
                f"Wrote {path}, but could not start the service now: {error.strerror or error}."
                " It will start at your next login."
            ) from error
    return entry_status(host, path, started)


def remove_entry(host: Host) -> None:
    if remove_file(desktop_path(host)):
        for pid in service_pids(host, marked_only=True):
            host.commands.terminate(pid)


def entry_status(host: Host, path: Path, started: int | None = None) -> AutostartStatus:
    pids = list(service_pids(host, marked_only=False))
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


def service_pids(host: Host, *, marked_only: bool) -> Iterator[int]:
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


def _is_service_argv(argv: Sequence[str]) -> bool:
    tail = tuple(argv[-3:])
    return len(argv) >= 4 and tail == SERVICE_ARGS
