"""``measure`` and ``psfs``: guide a flexibility test or PSFS rating, save it, say what changed.

Called by the Typer commands in ``commands.measure_commands`` (``score`` lives in ``cli.score``);
the checking and storing is in ``deskstretch.coach.measurements``, reached through the Coach.
Test instructions are our own words.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from deskstretch.catalogue.guides import CAUTIONS, GUIDE_BY_KIND, GUIDES, PSFS_QUESTION, Guide
from deskstretch.coach import Coach
from deskstretch.coach.measurements import (
    MeasurementError,
    check_leg,
    check_test_allowed,
    check_value_cm,
)
from deskstretch.coach.sessions import utc_now
from deskstretch.core.errors import SafetyStop
from deskstretch.core.outcomes import (
    PSFS_ACTIVITY_POINTS,
    PSFS_MEAN_POINTS,
)
from deskstretch.core.records import MeasurementKind


def make_console() -> Console:
    return Console(highlight=False)


def is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def ask_line(console: Console, prompt: str) -> str:
    console.print(Text(prompt, style="bold"), end=" ")
    try:
        return input().strip()
    except EOFError:
        raise MeasurementError("Stopped before the end; nothing was saved.") from None


def _cm(value: float, signed: bool) -> str:
    text = f"{value:+g}" if signed and value else f"{value:g}"
    return text.replace("-", "−") + " cm"


def _guide(console: Console, guide: Guide) -> None:
    steps = Table.grid(padding=(0, 1))
    for number, step in enumerate(guide.steps, start=1):
        steps.add_row(f"{number}.", step)
    console.print(Panel(steps, title=guide.title, title_align="left", border_style="cyan"))
    console.print(f"  Record it: {guide.command}")
    console.print(f"  A real change: {guide.rule}.")


def show_tests(coach: Coach) -> None:
    """The flexibility tests with short instructions and the cautions."""
    console = make_console()
    if "osteoporosis" in coach.active_tags():
        console.print(
            Text(
                "You told us about osteoporosis or fragile bones: these tests bend the spine fully"
                " forward and are not advised for you. `deskstretch psfs` tracks what you can do"
                " instead.",
                style="bold yellow",
            )
        )
    for guide in GUIDES:
        _guide(console, guide)
    console.print(Text("Cautions", style="bold"))
    for caution in CAUTIONS:
        console.print(f"  • {caution}")


def _check_safety(coach: Coach, kind: MeasurementKind) -> None:
    if coach.needs_screening():
        raise SafetyStop(
            "Please answer the safety questions first: run `deskstretch check` (or"
            " `deskstretch check --from FILE`)."
        )
    if not coach.verdict().routines_allowed:
        raise SafetyStop(
            "Flexibility tests are paused, like routines, until `deskstretch check` is answered"
            " again once this has been looked at."
        )
    check_test_allowed(kind, coach.active_tags())


def run_measure(
    coach: Coach, kind: MeasurementKind, cm: float | None, leg: str | None, note: str
) -> None:
    """Record one result (asking for it in a terminal) and print how it compares."""
    _check_safety(coach, kind)
    console = make_console()
    needs_leg = kind is MeasurementKind.CHAIR_SIT_AND_REACH and leg is None
    if (cm is None or needs_leg) and not is_terminal():
        missing = "--cm" if cm is None else "--leg left or --leg right"
        raise MeasurementError(f"Give the result with {missing} (or run this in a terminal).")
    if cm is None:
        _guide(console, GUIDE_BY_KIND[kind])
        hurts = ask_line(console, "Does bending forward hurt today? [y/n]").lower().startswith("y")
        check_test_allowed(kind, (), bending_hurts=hurts)
    while needs_leg and leg is None:
        try:
            leg = check_leg(kind, ask_line(console, "Which leg was straight? [left/right]"))
        except MeasurementError as error:
            console.print(error.message, style="yellow")
    while cm is None:
        reply = ask_line(console, "Your best result in cm:").replace("−", "-").replace(",", ".")
        try:
            cm = check_value_cm(kind, float(reply))
        except (ValueError, MeasurementError) as error:
            console.print(getattr(error, "message", "Please type a number, like 3 or -2.5."))
    result = coach.record_measurement(kind, cm, leg, note, utc_now())
    saved = result.measurement
    side = f", {saved.leg} leg" if saved.leg else ""
    signed = kind is MeasurementKind.CHAIR_SIT_AND_REACH
    name = GUIDE_BY_KIND[kind].title.split(" (")[0]
    console.print(f"Saved: {name}{side}: {_cm(saved.value_cm, signed)}.")
    for sentence in result.sentences:
        console.print(sentence)
    console.print(Text(f"A real change: {GUIDE_BY_KIND[kind].rule}.", style="dim"))


# -- PSFS ------------------------------------------------------------------------------------------


def psfs_add(coach: Coach, name: str) -> None:
    activity = coach.add_psfs_activity(name, utc_now())
    count = len(coach.psfs_activities())
    typer.echo(
        f"Added '{activity.name}' (id {activity.id[:8]}). You have {count} of at most 5"
        " (three is usual)."
    )
    typer.echo("Rate them with `deskstretch psfs rate`.")


def psfs_list(coach: Coach) -> None:
    activities = coach.psfs_activities()
    if not activities:
        typer.echo(
            "No activities yet. Choose up to 3 everyday things your back makes hard, for example:"
            ' deskstretch psfs add "Putting on socks"'
        )
        return
    ratings = coach.psfs_ratings()
    last = ratings[-1].answers if ratings else {}
    table = Table("id", "activity", "last rating", box=None)
    for activity in activities:
        rating = last.get(activity.id)
        table.add_row(activity.id[:8], activity.name, "—" if rating is None else f"{rating}/10")
    make_console().print(table)


def psfs_retire(coach: Coach, ref: str) -> None:
    activity = coach.retire_psfs_activity(ref, utc_now())
    typer.echo(f"Retired '{activity.name}': its past ratings are kept.")


def _parse_ratings(pairs: Sequence[str]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for pair in pairs:
        ref, sep, score = pair.rpartition("=")
        if not sep or not ref.strip() or not score.strip().isdigit():
            raise typer.BadParameter(
                f"expected ID=SCORE like 3fa2c1d0=7, got {pair!r}", param_hint="--rating"
            )
        ratings[ref.strip()] = int(score)
    return ratings


def _ask_ratings(coach: Coach, console: Console) -> dict[str, int]:
    active = coach.psfs_activities()
    if len(active) < 3:
        raise MeasurementError(
            f"Add at least 3 activities first (you have {len(active)}):"
            ' deskstretch psfs add "ACTIVITY"'
        )
    console.print(Text(PSFS_QUESTION, style="dim"))
    ratings: dict[str, int] = {}
    for activity in active:
        while activity.id not in ratings:
            reply = ask_line(console, f"{activity.name} (0-10):")
            if reply.isdigit() and 0 <= int(reply) <= 10:
                ratings[activity.id] = int(reply)
            else:
                console.print("Please type a whole number from 0 to 10.", style="yellow")
    return ratings


def psfs_rate(coach: Coach, pairs: Sequence[str]) -> None:
    console = make_console()
    if pairs:
        ratings = _parse_ratings(pairs)
    elif is_terminal():
        ratings = _ask_ratings(coach, console)
    else:
        raise MeasurementError(
            "Give the ratings with --rating ID=SCORE (or run this in a terminal)."
        )
    rating = coach.rate_psfs(ratings, utc_now())
    console.print(f"Saved. Average today: {round(rating.result.score, 1):g} out of 10.")
    console.print(rating.change.sentence if rating.change else rating.note)
    console.print(
        Text(
            f"A real change: ≥ {PSFS_MEAN_POINTS:g} points on average, or ≥"
            f" {PSFS_ACTIVITY_POINTS:g} on one activity (Stratford et al. 1995).",
            style="dim",
        )
    )
