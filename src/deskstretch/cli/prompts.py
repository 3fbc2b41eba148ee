"""Pain check-ins in the terminal: one keypress per question, always skippable.

Also the short cauda equina re-check that the pain rules ask for after leg symptoms.
"""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.text import Text

from deskstretch.cli import render
from deskstretch.coach import Coach
from deskstretch.coach.checkins import CheckInResult
from deskstretch.core.errors import AnswersNotSaved, SafetyStop
from deskstretch.core.records import CheckInContext
from deskstretch.core.safety import CAUDA_EQUINA_IDS, RED_FLAGS_BY_ID

SCALE_HINT = "0 = no pain, 10 = worst imaginable · keys 0-9, t = 10, Enter = skip"
QUESTIONS = {
    "back": "Back pain right now?",
    "leg": "Pain running down a leg right now?",
}


def read_key() -> str:
    """One keypress from the terminal without waiting for Enter."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        data = os.read(fd, 8)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return data.decode("utf-8", errors="ignore")


def key_to_score(key: str) -> tuple[bool, int | None]:
    """(understood, value): digits 0-9, t/T for 10, Enter/Escape/s to skip."""
    if key[:1].isdigit():
        return True, int(key[0])
    if key[:1] in ("t", "T"):
        return True, 10
    if key[:1] in ("\r", "\n", "\x1b", "s", "S", " "):
        return True, None
    return False, None


def ask_score(console: Console, question: str) -> int | None:
    console.print(Text(question, style="bold"), Text(f"  ({SCALE_HINT})", style="dim"), end=" ")
    while True:
        key = read_key()
        if key[:1] in ("\x03", "\x04"):
            raise KeyboardInterrupt
        understood, value = key_to_score(key)
        if understood:
            console.print("skipped" if value is None else str(value))
            return value


def pain_checkin(
    coach: Coach, console: Console, context: CheckInContext, session_id: str | None
) -> CheckInResult | None:
    title = {
        CheckInContext.BEFORE_SESSION: "Quick check-in before you start",
        CheckInContext.AFTER_SESSION: "How do you feel now?",
    }.get(context, "Pain check-in")
    console.print(Text(title, style="bold cyan"))
    back = ask_score(console, QUESTIONS["back"])
    leg = ask_score(console, QUESTIONS["leg"])
    if back is None and leg is None:
        return None
    result = coach.check_in(back, leg, context, session_id)
    follow_up(coach, console, result)
    return result


def follow_up(coach: Coach, console: Console, result: CheckInResult) -> None:
    """Show what the pain rules said; re-ask the cauda equina questions when they call for it."""
    for message in result.messages:
        console.print(Text(message, style="yellow"))
    if result.reask_cauda_equina:
        recheck_cauda_equina(coach, console)


def recheck_cauda_equina(coach: Coach, console: Console) -> None:
    console.print(
        Text(
            "\nBecause of the change you reported, a few quick safety questions again:",
            style="bold",
        )
    )
    from deskstretch.cli.screening import _ask

    answers: dict[str, bool] = {}
    for question_id in CAUDA_EQUINA_IDS:
        answers[question_id] = _ask(console, RED_FLAGS_BY_ID[question_id].text)
        if answers[question_id]:
            break
    try:
        verdict = coach.recheck_cauda_equina(answers)
    except AnswersNotSaved as not_saved:
        from deskstretch.cli.screening import show_not_saved

        show_not_saved(console, not_saved)
        raise
    if not verdict.routines_allowed:
        render.safety_verdict(console, verdict)
        raise SafetyStop("Routines are locked for your safety (see the advice above).")
    console.print(Text("Thank you. Nothing there needs urgent attention.", style="green"))
