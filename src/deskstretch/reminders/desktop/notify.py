"""Show one reminder and wait for the answer: a desktop notification with buttons, a macOS dialog,
or a line on the terminal. Used only by the short-lived prompt process: desktop-notifier (and the
asyncio it needs) is imported inside DesktopNotifierBackend, never by the waiting service.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from deskstretch.core.errors import DeskstretchError
from deskstretch.reminders.desktop.probe import session_bus_address

if TYPE_CHECKING:
    from desktop_notifier import DesktopNotifier

log = logging.getLogger(__name__)

APP_NAME = "deskstretch"
DISMISSED = "dismissed"
TIMEOUT = "timeout"
# Web page icon, shipped as package data; notification servers accept an SVG file as the app icon.
APP_ICON = Path(__file__).resolve().parents[2] / "web" / "static" / "favicon.svg"
# How long the notification server may take to accept the notification before we give up on it.
SEND_TIMEOUT_SECONDS = 10.0


class NotifierUnavailable(DeskstretchError):
    """No way to show a desktop notification here (no session bus, no notification service)."""


@dataclass(frozen=True)
class Action:
    """A button on the reminder: ``id`` is what show() returns when it is pressed."""

    id: str
    label: str


@dataclass(frozen=True)
class Reminder:
    """What to show. ``click_action`` is the action a click on the notification body means
    (None: a click just closes it, reported as "dismissed")."""

    title: str
    message: str
    actions: tuple[Action, ...]
    timeout_seconds: float = 300.0
    click_action: str | None = None


class Notifier(Protocol):
    """Shows a reminder and blocks until it is answered."""

    def show(self, reminder: Reminder) -> str:
        """An action id, "dismissed" (closed without an answer) or "timeout" (no answer in time)."""
        ...


class MemoryNotifier:
    """For tests: records every reminder and answers from a script (the last answer repeats)."""

    def __init__(self, answers: Sequence[str] = (TIMEOUT,)) -> None:
        if not answers:
            raise ValueError("MemoryNotifier needs at least one answer")
        self.answers = tuple(answers)
        self.shown: list[Reminder] = []

    def show(self, reminder: Reminder) -> str:
        self.shown.append(reminder)
        return self.answers[min(len(self.shown), len(self.answers)) - 1]


class TerminalNotifier:
    """The fallback when nothing can show a notification: one line on stderr (the service log),
    answered at once with "timeout" because nobody can press a button."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def show(self, reminder: Reminder) -> str:
        stream = self.stream if self.stream is not None else sys.stderr
        stream.write(f"deskstretch: {reminder.title}: {reminder.message}\n")
        stream.flush()
        return TIMEOUT


class FallbackNotifier:
    """Tries ``primary``; when it turns out to be unavailable, shows the reminder with
    ``fallback`` instead, so a reminder is never lost to a missing notification service."""

    def __init__(self, primary: Notifier, fallback: Notifier) -> None:
        self.primary = primary
        self.fallback = fallback

    def show(self, reminder: Reminder) -> str:
        try:
            return self.primary.show(reminder)
        except NotifierUnavailable as error:
            log.warning("%s Showing the reminder another way.", error.message)
            return self.fallback.show(reminder)


class _FailureLog(logging.Handler):
    """Collects desktop-notifier's warnings: it logs failures (with a traceback) instead of
    raising them, and we turn them into one NotifierUnavailable line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        problem = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            problem = f"{problem}: {type(error).__name__}: {error}"
        self.problems.append(problem)


class DesktopNotifierBackend:
    """A desktop notification through desktop-notifier (D-Bus on Linux, the notification centre
    on Windows and on macOS app bundles), with one button per action.

    show() runs its own asyncio loop and returns the pressed button's action id, "dismissed" when
    the person closes the notification, or "timeout" when nothing happened within the reminder's
    timeout; the notification is then withdrawn so a stale one cannot be answered later.
    Raises NotifierUnavailable when the notification could not be delivered.
    """

    def __init__(
        self,
        app_name: str = APP_NAME,
        icon_path: Path | None = APP_ICON,
        bus_address: str | None = None,
    ) -> None:
        self.app_name = app_name
        self.icon_path = icon_path if icon_path is not None and icon_path.is_file() else None
        self.bus_address = bus_address

    def show(self, reminder: Reminder) -> str:
        try:
            import asyncio

            import desktop_notifier  # noqa: F401  (checked here so a missing package says so)
        except ImportError as error:
            raise NotifierUnavailable(
                f"desktop notifications need the desktop-notifier package ({error.name} is"
                " missing): reinstall deskstretch"
            ) from error
        if self.bus_address and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            # dbus-fast only reads the variable (it does not know the default socket), and
            # this process exists only to show this one reminder.
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        library_log = logging.getLogger("desktop_notifier")
        failures = _FailureLog()
        library_log.addHandler(failures)
        propagate = library_log.propagate
        library_log.propagate = False
        try:
            return asyncio.run(self._show(reminder, failures))
        finally:
            library_log.removeHandler(failures)
            library_log.propagate = propagate

    async def _show(self, reminder: Reminder, failures: _FailureLog) -> str:
        import asyncio

        from desktop_notifier import Button, DesktopNotifier, Icon, Notification

        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()
        dispatched = asyncio.Event()

        def settle(outcome: str) -> Callable[[], None]:
            def handler() -> None:
                if not answer.done():
                    answer.set_result(outcome)

            return handler

        icon = Icon(path=self.icon_path) if self.icon_path else None
        notifier = DesktopNotifier(app_name=self.app_name, app_icon=icon)
        notification = Notification(
            title=reminder.title,
            message=reminder.message,
            buttons=tuple(
                Button(title=action.label, identifier=action.id, on_pressed=settle(action.id))
                for action in reminder.actions
            ),
            on_dispatched=dispatched.set,
            on_clicked=settle(reminder.click_action or DISMISSED),
            on_dismissed=settle(DISMISSED),
            timeout=max(1, round(reminder.timeout_seconds)),
        )
        try:
            try:
                identifier = await asyncio.wait_for(
                    notifier.send_notification(notification), SEND_TIMEOUT_SECONDS
                )
            except TimeoutError:
                raise NotifierUnavailable(
                    "the notification service did not answer within"
                    f" {SEND_TIMEOUT_SECONDS:.0f} seconds"
                ) from None
            if not dispatched.is_set():
                detail = failures.problems[-1] if failures.problems else "no reason given"
                raise NotifierUnavailable(f"could not show a desktop notification ({detail})")
            try:
                return await asyncio.wait_for(answer, reminder.timeout_seconds)
            except TimeoutError:
                await _withdraw(notifier, identifier)
                return TIMEOUT
        finally:
            _disconnect(notifier)


async def _withdraw(notifier: DesktopNotifier, identifier: str) -> None:
    """Close an unanswered notification. The server may have expired it already, in which case
    desktop-notifier has forgotten its id (KeyError) or the server refuses (DBusError)."""
    try:
        await notifier.clear(identifier)
    except Exception as error:  # clean-up only: whatever failed, the reminder has timed out
        log.debug("could not withdraw the notification: %r", error)


def _disconnect(notifier: DesktopNotifier) -> None:
    """Close the D-Bus connection desktop-notifier opened (it has no public way to)."""
    bus = getattr(getattr(notifier, "_backend", None), "bus", None)
    disconnect = getattr(bus, "disconnect", None)
    if callable(disconnect):
        disconnect()


# `display dialog` accepts at most three buttons.
MAX_DIALOG_BUTTONS = 3


class MacDialogNotifier:
    """macOS outside an app bundle, where notification-centre buttons are unavailable: a dialog
    through osascript with up to three buttons that gives up after the reminder's timeout."""

    def __init__(self, run: Callable[[Sequence[str], float], str | None] | None = None) -> None:
        self.run = run if run is not None else _run_osascript

    def show(self, reminder: Reminder) -> str:
        actions = reminder.actions[:MAX_DIALOG_BUTTONS]
        if not actions:
            actions = (Action("ok", "OK"),)
        buttons = ", ".join(_applescript_text(action.label) for action in actions)
        script = (
            f"display dialog {_applescript_text(reminder.message)}"
            f" with title {_applescript_text(reminder.title)}"
            f" buttons {{{buttons}}} default button {_applescript_text(actions[0].label)}"
            f" giving up after {max(1, round(reminder.timeout_seconds))}"
        )
        output = self.run(["osascript", "-e", script], reminder.timeout_seconds + 30)
        if output is None:
            # osascript exits with an error when the dialog is cancelled or cannot be shown.
            return DISMISSED
        if "gave up:true" in output:
            return TIMEOUT
        for action in actions:
            if f"button returned:{action.label}" in output:
                return action.id
        return DISMISSED


def _applescript_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _run_osascript(argv: Sequence[str], timeout_seconds: float) -> str | None:
    try:
        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout_seconds, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class NotifierChoice:
    """What default_notifier() picked and why (for logs and `remind status`)."""

    notifier: Notifier
    detail: str
    desktop: bool = field(default=False)


def choose_notifier(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    *,
    stream: TextIO | None = None,
    is_macos_bundle: Callable[[], bool] | None = None,
) -> NotifierChoice:
    """Pick the best way to show reminders on this machine; see default_notifier()."""
    system = sys.platform if platform is None else platform
    terminal = TerminalNotifier(stream)
    if system.startswith("win"):
        return NotifierChoice(
            FallbackNotifier(DesktopNotifierBackend(), terminal),
            "Windows notifications",
            desktop=True,
        )
    if system == "darwin":
        in_bundle = (is_macos_bundle or _is_macos_bundle)()
        if in_bundle:
            return NotifierChoice(
                FallbackNotifier(DesktopNotifierBackend(), terminal),
                "macOS Notification Centre",
                desktop=True,
            )
        if shutil.which("osascript"):
            return NotifierChoice(MacDialogNotifier(), "a macOS dialog (osascript)", desktop=True)
        return NotifierChoice(terminal, "no way to show a macOS notification was found")
    address = session_bus_address(environ)
    if address is None:
        return NotifierChoice(
            terminal,
            "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no"
            " /run/user/<uid>/bus): reminders go to the log only",
        )
    return NotifierChoice(
        FallbackNotifier(DesktopNotifierBackend(bus_address=address), terminal),
        "desktop notifications over D-Bus",
        desktop=True,
    )


def default_notifier(environ: Mapping[str, str] | None = None) -> Notifier:
    """Desktop notifications where this machine can show them, else the terminal (log) fallback.

    Linux and other Unix desktops: desktop-notifier over the D-Bus session bus when one exists
    (desktop-notifier itself does not report a missing bus, so it is looked for here), falling
    back to the terminal when the notification service turns out to be missing. Windows:
    desktop-notifier. macOS: desktop-notifier inside an app bundle, else an osascript dialog.
    """
    return choose_notifier(environ).notifier


def _is_macos_bundle() -> bool:
    try:
        from desktop_notifier.backends.macos_support import is_bundle
    except ImportError:
        return False
    return bool(is_bundle())
