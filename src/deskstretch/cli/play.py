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
from deskstretch.cli.prompts import pain_checkin, recheck_cauda_equina
from deskstretch.cli.resume import RESUME_HINT
from deskstretch.cli.terminal.loop import play
from deskstretch.cli.terminal.screen import (
    Feedback,
    PlainFrontend,
    ScreenFrontend,
    stdin_is_terminal,
)
from deskstretch.cli.terminal.voice import INSTALL_HINT, Voice, find_speaker
from deskstretch.coach import Coach, Plan
from deskstretch.coach.sessions import SessionRecorder
from deskstretch.core.errors import ProgrammePaused, QuestionsDue, SafetyStop
from deskstretch.core.player import PlayerSummary, Status
from deskstretch.core.records import CheckInContext


def run_start(
    coach: Coach,
    routine_name: str | None,
    file: Path | None,
    voice: bool | None,
    bell: bool | None,
    plain: bool,
    checkin: bool = True,
) -> None:
    console = Console(highlight=False)
    err = Console(stderr=True, highlight=False)
    interactive = stdin_is_terminal() and sys.stdout.isatty()
    if routine_name is None and file is None and _newcomer(coach):
        from deskstretch.cli.welcome import run_welcome

        # A first `deskstretch start` is the first run: it ends in a plan and today's session.
        run_welcome(coach, lambda: run_start(coach, None, None, voice, bell, plain, checkin))
        return
    loaded = coach.resolve_routine(routine_name, file)
    if coach.needs_screening():
        if not stdin_is_terminal():
            first = (
                "Your last safety answers could not be saved, so the older ones no longer count."
                " Please answer them again"
                if coach.answers_not_saved()
                else "Please answer the safety questions first"
            )
            raise SafetyStop(
                f"{first}: run `deskstretch check` in a terminal "
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
    _answer_questions_due(coach, console)
    try:
        plan = coach.plan(loaded)
    except ProgrammePaused as paused:
        raise ProgrammePaused(f"{paused.message} {RESUME_HINT}") from None
    if routine_name is None and file is None and coach.programme_routine_id() == plan.routine.id:
        console.print(f"Today's session in your programme: {plan.routine.name}.", markup=False)
    speaker = _speaker(coach, voice, err)
    for warning in plan.warnings:
        err.print(f"note: {warning}", markup=False, soft_wrap=True)
    recorder = coach.recorder(plan, "terminal" if interactive and not plain else "plain")
    ask_pain = interactive and checkin
    if interactive and not plain:
        if not _confirm_changes(console, plan):
            return
        if ask_pain:
            pain_checkin(coach, console, CheckInContext.BEFORE_SESSION, recorder.session_id)
        recorder.start()
        ring = coach.preferences.bell if bell is None else bell
        summary = _play_on_screen(console, plan, ring, speaker, recorder)
    else:
        render.plan_changes(console, plan)
        if ask_pain:
            pain_checkin(coach, console, CheckInContext.BEFORE_SESSION, recorder.session_id)
        recorder.start()
        feedback = Feedback(sys.stdout, bool(bell), speaker)
        with _timing_log() as timing_out:
            summary = play(
                plan.timeline,
                PlainFrontend(sys.stdout, plan.timeline, feedback),
                timing_out=timing_out,
                on_progress=recorder.progress,
            )
    recorder.finish(summary)
    if speaker:
        # A finished routine ends on "Routine complete": let it be heard. Quitting stops at once.
        if summary.status is Status.FINISHED:
            speaker.finish()
        else:
            speaker.stop()
    render.session_summary(console, plan, summary)
    if recorder.problem:
        err.print(
            f"note: this session could not be saved: {recorder.problem}",
            markup=False,
            soft_wrap=True,
        )
    if ask_pain and summary.work_seconds_done > 0:
        pain_checkin(coach, console, CheckInContext.AFTER_SESSION, recorder.session_id)


def _newcomer(coach: Coach) -> bool:
    """Nothing answered, nothing done, in a terminal: the first run, not a bare questionnaire."""
    from deskstretch.coach.first_run import offer_first_run

    return (
        stdin_is_terminal()
        and coach.screening() is None
        and offer_first_run(coach)
        and coach.record_counts().get("sessions", 0) == 0
    )


def _answer_questions_due(coach: Coach, console: Console) -> None:
    """Re-asked cauda equina questions come before any routine: asked here in a terminal (a yes
    locks routines with the emergency advice), otherwise a refusal that says where to answer."""
    if not coach.questions_due():
        return
    if not stdin_is_terminal():
        raise QuestionsDue(
            "A change in your pain means a few safety questions need answering again before the"
            " next routine: run `deskstretch start` in a terminal to answer them, or `deskstretch"
            " check`."
        )
    recheck_cauda_equina(coach, console)


def _speaker(coach: Coach, voice: bool | None, err: Console) -> Voice | None:
    prefs = coach.preferences
    if not (prefs.voice if voice is None else voice):
        return None
    program = find_speaker()
    if program is None:
        err.print(INSTALL_HINT)
        return None
    return Voice(program, prefs.voice_name, prefs.voice_words_per_minute)


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
    if not plan.notes:
        return True
    render.plan_changes(console, plan)
    console.print("Press Enter to begin, or type q and Enter to stop here.")
    try:
        return not input().strip().lower().startswith("q")
    except EOFError:
        return False


def _play_on_screen(
    console: Console,
    plan: Plan,
    bell: bool,
    speaker: Voice | None,
    recorder: SessionRecorder,
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
            return play(
                plan.timeline, frontend, timing_out=timing_out, on_progress=recorder.progress
            )
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
