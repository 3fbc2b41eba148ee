"""``deskstretch remind``: run the reminder service, see its status, pause, resume, skip, and
install it to start with the desktop session. ``register(app)`` adds the group to the app.

Bare ``deskstretch remind`` replaces this process (os.execv) with ``python -m
deskstretch.reminders run``, so the long-running service never carries Typer.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from deskstretch.reminders.autostart import AutostartStatus
    from deskstretch.reminders.control import Reminders, ReminderStatus


def _reminders() -> Reminders:
    from deskstretch.config import Settings
    from deskstretch.reminders.control import Reminders

    return Reminders(Settings.from_env())


def _now() -> tuple[datetime, tzinfo]:
    from deskstretch.system.timezone import local_tz

    return datetime.now(UTC), local_tz()


def _clock(moment: datetime, now: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def service_command(verbose: bool) -> list[str]:
    """The command line bare ``deskstretch remind`` turns into."""
    return [sys.executable, "-m", "deskstretch.reminders", "run", *(["--verbose"] * verbose)]


def register(app: typer.Typer) -> None:
    """Add the ``remind`` command group to ``app``."""
    remind_app = typer.Typer(
        help="Break reminders through the work day: run them, see what is next, pause or skip.",
        rich_markup_mode=None,
    )
    app.add_typer(remind_app, name="remind")

    @remind_app.callback(invoke_without_command=True)
    def remind(
        ctx: typer.Context,
        verbose: Annotated[
            bool, typer.Option("--verbose", help="Also log to this terminal.")
        ] = False,
    ) -> None:
        """With no command: run the reminders in this terminal until Ctrl+C."""
        if ctx.invoked_subcommand is not None:
            return
        switch_on_if_off()
        command = service_command(verbose)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)

    @remind_app.command("status")
    def status() -> None:
        """When the next reminder comes and why, and how the reminders are set up."""
        now, tz = _now()
        show_status(_reminders().status(now, tz), now, tz)

    @remind_app.command("pause")
    def pause(
        length: Annotated[
            str, typer.Argument(help="How long: 1h, 30m, 1h30m, or 'tomorrow'.")
        ] = "1h",
    ) -> None:
        """No reminders for a while (default: one hour)."""
        now, tz = _now()
        until = _reminders().pause(length, now, tz)
        typer.echo(f"Reminders paused until {_clock(until, now, tz)}.")
        typer.echo("Resume early with `deskstretch remind resume`.")

    @remind_app.command("resume")
    def resume() -> None:
        """End a pause now."""
        now, _tz = _now()
        if _reminders().resume(now):
            typer.echo("Reminders resumed.")
        else:
            typer.echo("Reminders were not paused.")

    @remind_app.command("skip")
    def skip() -> None:
        """Skip the next break: its timer starts again from now."""
        now, tz = _now()
        reminders = _reminders()
        kind = reminders.skip(now, tz)
        if kind is None:
            typer.echo("Every kind of break is switched off: nothing to skip.")
            return
        due = reminders.status(now, tz).due
        typer.echo(f"Skipped the {kind} break.")
        if due is not None:
            typer.echo(f"Next: {due.break_kind} break at {_clock(due.at, now, tz)}.")

    @remind_app.command("install")
    def install() -> None:
        """Start the reminders with your desktop session from now on (and start them now)."""
        from deskstretch.reminders import autostart

        switch_on_if_off()
        result = autostart.install(sys.executable)
        show_autostart(result)
        if result.path is not None:
            typer.echo(f"Written: {result.path}")
        typer.echo("Undo with `deskstretch remind uninstall`.")

    @remind_app.command("uninstall")
    def uninstall() -> None:
        """Stop starting the reminders with your session (and stop them now)."""
        from deskstretch.reminders import autostart

        show_autostart(autostart.uninstall())


def switch_on_if_off() -> None:
    """Asking for the reminders by command turns them on when Settings had turned them off
    (``enabled = false`` in reminders.toml would make the service stop at once)."""
    from deskstretch.config import Settings
    from deskstretch.reminders.policy import load_policy

    settings = Settings.from_env()
    if load_policy(settings.config_dir).policy.enabled is not False:
        return
    from deskstretch.coach import Coach

    Coach(settings).reminders.switch(True)
    typer.echo("Break reminders were switched off in Settings; they are on again now.")


def show_autostart(result: AutostartStatus) -> None:
    typer.echo(result.detail)


def show_status(status: ReminderStatus, now: datetime, tz: tzinfo) -> None:
    """Print the status, one fact per line, most important first."""
    from deskstretch.core.wording import plural
    from deskstretch.reminders.autostart import status as autostart_status
    from deskstretch.reminders.desktop.busy import detect_busy
    from deskstretch.reminders.desktop.idle import describe_idle_monitor, detect_idle_monitor
    from deskstretch.reminders.logfile import log_path

    switch = status.loaded.policy.enabled
    if switch is False:
        typer.echo(
            "Reminders are switched off in Settings (enabled = false in reminders.toml); the"
            " service stops when it sees that. `deskstretch remind` turns them on again."
        )
    elif switch is None:
        typer.echo(
            "Reminders are not set up in the app yet: `deskstretch app` starts them only once"
            " you turn them on there; `deskstretch remind` runs them now."
        )
    if not status.safety.allowed:
        typer.echo(f"Reminders are off: {status.safety.reason}.")
    if status.paused_until is not None:
        typer.echo(f"Paused until {_clock(status.paused_until, now, tz)}.")
    due = status.due
    if due is None:
        typer.echo("Next reminder: none (every kind of break is switched off).")
    else:
        when = "now" if due.at <= now else _clock(due.at, now, tz)
        typer.echo(f"Next reminder: {due.break_kind} break, {when}.")
        typer.echo(f"Why: {due.reason}.")
    if status.loaded.problem:
        typer.echo(f"Settings problem (the defaults are used): {status.loaded.problem}")
    today = status.today
    typer.echo(
        f"Today: {today['done']} done ({plural(today['routines'], 'routine')}),"
        f" {today['skipped']} skipped, {today['snoozed']} snoozed,"
        f" {plural(today['natural'], 'natural break')}, {plural(today['prompted'], 'reminder')}"
        " shown."
    )
    if status.service_pid is None:
        typer.echo("Service: not running (start it with `deskstretch remind`).")
    else:
        typer.echo(f"Service: running (pid {status.service_pid}).")
    typer.echo(f"Autostart: {autostart_status().detail}")
    typer.echo(f"Idle detection: {describe_idle_monitor(detect_idle_monitor())}.")
    busy = detect_busy()
    typer.echo(f"Right now: {'busy, ' + busy.reason if busy else 'a fine moment for a break'}.")
    typer.echo(f"Log: {log_path(status.journal_path.parent)}")
    typer.echo(f"Journal: {status.journal_path}")
