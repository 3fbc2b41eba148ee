"""The ``schedule`` command: your planned breaks, listed or exported as an iCalendar file.

``register(app)`` adds it to the app. icalendar is imported only when a file is written, so
``deskstretch --help`` stays fast.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from deskstretch.core.errors import DeskstretchError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from deskstretch.core.schedule import Policy


def register(app: typer.Typer) -> None:
    """Add the ``schedule`` command to ``app``."""

    @app.command()
    def schedule(
        ics: Annotated[
            str | None,
            typer.Option(
                "--ics",
                metavar="FILE",
                help="Write the schedule to this iCalendar file ('-' for standard output).",
            ),
        ] = None,
        days: Annotated[
            int,
            typer.Option("--days", min=1, max=366, metavar="N", help="How many days, 1 to 366."),
        ] = 14,
        first_day: Annotated[
            str | None,
            typer.Option("--from", metavar="DATE", help="First day, YYYY-MM-DD (default: today)."),
        ] = None,
        zone: Annotated[
            str | None,
            typer.Option(
                "--tz", metavar="ZONE", help="Time zone, e.g. Europe/Berlin (default: yours)."
            ),
        ] = None,
    ) -> None:
        """Your break schedule from reminders.toml: list it, or export it for a calendar app."""
        run_schedule(ics, days, first_day, zone)


def run_schedule(ics: str | None, days: int, first_day: str | None, zone: str | None) -> None:
    tz = _zone(zone)
    start = _first_day(first_day, tz)
    policy = _policy()
    if ics is None:
        _print_slots(policy, start, days, tz)
        return
    from deskstretch.exports.ics import build_calendar, calendar_text

    calendar, slots = build_calendar(policy, start, days, tz, datetime.now(tz))
    if not slots:
        raise DeskstretchError(
            "no breaks to export: both break kinds are switched off in reminders.toml"
        )
    text = calendar_text(calendar)
    if ics == "-":
        sys.stdout.write(text)
        return
    path = Path(ics)
    _write(path, text)
    typer.echo(
        f"Saved {len(slots)} repeating breaks for {days} day{'s' if days != 1 else ''} from "
        f"{start:%a %d %b %Y} to {path}.\n"
        "Import it into a calendar of its own; importing a newer export updates the same events."
    )


def _zone(name: str | None) -> ZoneInfo:
    from deskstretch.system.timezone import local_zone, zone_named

    if name is not None:
        zone = zone_named(name)
        if zone is None:
            raise typer.BadParameter(
                f"no time zone called {name!r}; use a name like Europe/Berlin", param_hint="--tz"
            )
        return zone
    zone = local_zone()
    if zone is None:
        raise DeskstretchError(
            "cannot tell your time zone; give it with --tz, e.g. --tz Europe/Berlin"
        )
    return zone


def _first_day(text: str | None, tz: ZoneInfo) -> date:
    if text is None:
        return datetime.now(tz).date()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(
            f"expected a date like 2025-06-02, got {text!r}", param_hint="--from"
        ) from None


def _policy() -> Policy:
    from deskstretch.config import Settings
    from deskstretch.reminders.policy import load_policy

    loaded = load_policy(Settings.from_env().config_dir)
    if loaded.problem:
        sys.stderr.write(f"deskstretch: warning: {loaded.problem} (using the default schedule)\n")
    return loaded.policy


def _write(path: Path, text: str) -> None:
    from deskstretch.config import write_atomic

    if path.is_dir():
        raise DeskstretchError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise DeskstretchError(f"{path.parent}: no such folder")
    try:
        write_atomic(path, text)
    except OSError as error:
        raise DeskstretchError(f"{path}: cannot write it ({error.strerror})") from None


def _print_slots(policy: Policy, start: date, days: int, tz: ZoneInfo) -> None:
    from deskstretch.exports.ics import break_slots

    slots = break_slots(policy, start, days, tz)
    if not slots:
        typer.echo("No breaks: both break kinds are switched off in reminders.toml.")
        return
    span = "each week" if days >= 7 else f"from {start:%a %d %b} for {days} day(s)"
    typer.echo(f"Your breaks {span} ({tz.key}):")
    for slot in slots:
        length = (
            f"{round(slot.minutes * 60)} s" if slot.minutes < 1 else f"{round(slot.minutes)} min"
        )
        typer.echo(f"  {slot.clock:%H:%M}  {slot.break_kind.value:<8} {length:<7} {slot.days_text}")
    typer.echo("Export them for a calendar app with: deskstretch schedule --ics breaks.ics")
