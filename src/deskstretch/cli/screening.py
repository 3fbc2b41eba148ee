"""``deskstretch check``: ask the red-flag and condition questions (or read them from a file)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from deskstretch.cli import render
from deskstretch.coach import Coach
from deskstretch.core.errors import (
    AnswersNotSaved,
    DeskstretchError,
    FileFormatError,
    SafetyStop,
)
from deskstretch.core.safety import (
    CONDITION_QUESTIONS,
    CONDITIONS_BY_ID,
    RED_FLAG_QUESTIONS,
    RED_FLAGS_BY_ID,
    SCREENING_VERSION,
    SafetyStatus,
    SafetyVerdict,
    Screening,
)

INTRO = (
    "A few yes-or-no questions before you start (about two minutes). They do not diagnose "
    "anything: they check whether stretching on your own is a sensible idea for you right now, "
    "and which moves to leave out. Your answers stay on this computer."
)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _ask(console: Console, question: str) -> bool:
    """A y/n question that insists on an answer; Ctrl-D or Ctrl-C stops without saving."""
    while True:
        console.print(Text(question, style="bold"), end=" ")
        console.print(Text("[y/n]", style="dim"), end=" ")
        try:
            reply = input().strip().lower()
        except EOFError:
            raise SafetyStop(
                "Stopped before the questions were finished; nothing was saved."
            ) from None
        if reply in ("y", "yes"):
            return True
        if reply in ("n", "no"):
            return False
        console.print("Please type y for yes or n for no.", style="yellow")


def ask(console: Console) -> Screening:
    console.print(Panel(INTRO, title="Safety first", title_align="left", border_style="cyan"))
    red_flags: dict[str, bool] = {}
    cleared: set[str] = set()
    group = None
    console.print(Text("\nIn the last few weeks, have you had any of these?", style="bold"))
    for question in RED_FLAG_QUESTIONS:
        if question.group != group:
            group = question.group
            console.print()
        red_flags[question.id] = _ask(console, question.text)
        if red_flags[question.id] and not question.clearable:
            # An emergency-level answer stops the questions at once: the advice matters more.
            break
        if (
            red_flags[question.id]
            and question.clearable
            and _ask(
                console,
                "  Has a doctor already checked this and told you gentle exercise is fine?",
            )
        ):
            cleared.add(question.id)
    conditions: dict[str, bool] = {}
    if any(red_flags[q] and not RED_FLAGS_BY_ID[q].clearable for q in red_flags):
        return Screening(
            red_flags, frozenset(cleared), conditions, False, _now_iso(), SCREENING_VERSION
        )
    console.print(Text("\nA few questions about your health, to pick safe moves:", style="bold"))
    for condition in CONDITION_QUESTIONS:
        conditions[condition.id] = _ask(console, condition.text)
    clearance = False
    if any(conditions[c.id] for c in CONDITION_QUESTIONS if c.needs_clearance):
        clearance = _ask(
            console,
            "\nHas your doctor, physiotherapist or midwife said gentle stretching is fine for you?",
        )
    return Screening(
        red_flags=red_flags,
        red_flags_cleared=frozenset(cleared),
        conditions=conditions,
        clearance_confirmed=clearance,
        completed_at=_now_iso(),
        version=SCREENING_VERSION,
    )


def show_verdict(console: Console, coach: Coach, verdict: SafetyVerdict) -> None:
    if verdict.status is SafetyStatus.RED_FLAG or not verdict.routines_allowed:
        render.safety_verdict(console, verdict)
        return
    lines = [Text(verdict.advice)]
    tags = coach.active_tags()
    hidden = [e for e in coach.exercises() if tags & set(e.contraindications)]
    if hidden:
        lines.append(Text("\nLeft out of your routines (or swapped for a safer move):"))
        lines += [Text(f"- {e.name} ({e.code})") for e in hidden]
    console.print(
        Panel(Group(*lines), title="You are all set", border_style="green", title_align="left")
    )


def show_not_saved(console: Console, not_saved: AnswersNotSaved) -> None:
    """Answers that could not be saved still get their advice in full (the caller then reports
    the error): a red flag is never hidden behind a disk problem."""
    if not_saved.verdict.flagged:
        render.safety_verdict(console, not_saved.verdict)


def save_and_show(coach: Coach, console: Console, screening: Screening) -> SafetyVerdict:
    try:
        verdict = coach.save_screening(screening)
    except AnswersNotSaved as not_saved:
        show_not_saved(console, not_saved)
        raise
    show_verdict(console, coach, verdict)
    return verdict


def ask_and_save(coach: Coach, console: Console) -> SafetyVerdict:
    return save_and_show(coach, console, ask(console))


def screening_from_file(path: Path) -> Screening:
    """Read answers from TOML: [red_flags] and [conditions] tables of id = true/false."""
    from deskstretch.catalogue.toml_errors import locate, read_toml
    from deskstretch.config import screening_from_mapping

    data, text = read_toml(path)
    for table, known in (("red_flags", RED_FLAGS_BY_ID), ("conditions", CONDITIONS_BY_ID)):
        answers = data.get(table, {})
        if not isinstance(answers, dict):
            raise FileFormatError(
                str(path), locate(text, (table,)), table, "expected a table of id = true/false"
            )
        for key in answers:
            if key not in known:
                raise FileFormatError(
                    str(path),
                    locate(text, (table, key)),
                    f"{table}.{key}",
                    f"unknown question id; expected one of {', '.join(known)}",
                )
    extra = set(data) - {
        "red_flags",
        "conditions",
        "red_flags_cleared",
        "clearance_confirmed",
        "version",
        "completed_at",
    }
    if extra:
        key = sorted(extra)[0]
        raise FileFormatError(str(path), locate(text, (key,)), key, "unknown field")
    screening = screening_from_mapping({**data, "version": SCREENING_VERSION}, str(path))
    missing = screening.unanswered_ids
    if missing:
        raise FileFormatError(
            str(path), None, "", "every question needs an answer; missing: " + ", ".join(missing)
        )
    for flag in screening.red_flags_cleared:
        question = RED_FLAGS_BY_ID.get(flag)
        if question is None or not question.clearable:
            raise FileFormatError(
                str(path),
                locate(text, ("red_flags_cleared",)),
                "red_flags_cleared",
                f"'{flag}' cannot be cleared here (it always needs a doctor)",
            )
    return Screening(
        red_flags=screening.red_flags,
        red_flags_cleared=screening.red_flags_cleared,
        conditions=screening.conditions,
        clearance_confirmed=screening.clearance_confirmed,
        completed_at=_now_iso(),
        version=SCREENING_VERSION,
    )


def run_check(coach: Coach, from_file: Path | None) -> None:
    console = Console(highlight=False)
    if from_file is not None:
        verdict = save_and_show(coach, console, screening_from_file(from_file))
    else:
        if not sys.stdin.isatty():
            raise DeskstretchError(
                "the questions need a terminal to answer in; or give the answers in a file "
                "with `deskstretch check --from FILE` (see docs/safety.md)"
            )
        verdict = ask_and_save(coach, console)
    if not verdict.routines_allowed:
        raise SafetyStop("Routines stay paused for now (see the advice above).")
