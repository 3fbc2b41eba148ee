"""``deskstretch start``: screening gate, safety adaptation, then the player in a front end."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rich.console import Console

from deskstretch.cli import render
from deskstretch.cli.playback import play
from deskstretch.cli.screen import Feedback, PlainFrontend, ScreenFrontend, stdin_is_terminal
from deskstretch.cli.voice import INSTALL_HINT, Voice, find_speaker
from deskstretch.coach import Coach, Plan
from deskstretch.core.errors import SafetyStop
from deskstretch.core.player import PlayerSummary


def run_start(
    coach: Coach,
    routine_name: str | None,
    file: Path | None,
    voice: bool | None,
    bell: bool | None,
    plain: bool,
) -> None:
    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    interactive = stdin_is_terminal() and sys.stdout.isatty()
    loaded = coach.resolve_routine(routine_name, file)
    if coach.needs_screening():
        if not stdin_is_terminal():
            raise SafetyStop(
                "Please answer the safety questions first: run `deskstretch check` in a terminal "
                "(or `deskstretch check --from FILE`)."
            )
        from deskstretch.cli.screening import ask_and_save

        ask_and_save(coach, console)
    verdict = coach.verdict()
    if not verdict.routines_allowed:
        render.safety_verdict(err, verdict)
        raise SafetyStop(
            "Routines are locked for your safety. Run `deskstretch check` once this "
            "has been looked at."
        )
    plan = coach.plan(loaded)
    prefs = coach.preferences
    use_voice = prefs.voice if voice is None else voice
    speaker = None
    if use_voice:
        program = find_speaker()
        if program is None:
            err.print(INSTALL_HINT)
        else:
            speaker = Voice(program, prefs.voice_name, prefs.voice_words_per_minute)
    for warning in plan.warnings:
        err.print(f"note: {warning}")
    if interactive and not plain:
        ring = prefs.bell if bell is None else bell
        if not _confirm_changes(console, plan):
            return
        summary = _play_on_screen(console, plan, ring, speaker)
    else:
        render.plan_changes(console, plan)
        feedback = Feedback(sys.stdout, bool(bell), speaker)
        with _timing_log() as timing_out:
            summary = play(
                plan.timeline,
                PlainFrontend(sys.stdout, plan.timeline, feedback),
                timing_out=timing_out,
            )
    if speaker:
        speaker.stop()
    render.session_summary(console, plan, summary)


@contextlib.contextmanager
def _timing_log() -> Iterator[IO[str] | None]:
    """Open DESKSTRETCH_TIMING_LOG for bench/timing.py, if it is set."""
    path = os.environ.get("DESKSTRETCH_TIMING_LOG")
    if not path:
        yield None
        return
    with open(path, "w", encoding="utf-8") as out:
        yield out


def _confirm_changes(console: Console, plan: Plan) -> bool:
    """Show what the safety screen changed, and let the person read it before the clock starts."""
    if not plan.changes:
        return True
    render.plan_changes(console, plan)
    console.print("Press Enter to begin, or type q and Enter to stop here.")
    try:
        return not input().strip().lower().startswith("q")
    except EOFError:
        return False


def _play_on_screen(
    console: Console, plan: Plan, bell: bool, speaker: Voice | None
) -> PlayerSummary:
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        feedback = Feedback(sys.stdout, bell, speaker)
        with (
            ScreenFrontend(console, plan.timeline, feedback, fd) as frontend,
            _timing_log() as timing_out,
        ):
            return play(plan.timeline, frontend, timing_out=timing_out)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
