"""``deskstretch score``: ODI, RMDQ or STarT Back from an answers file or an instrument pack.

The wording is asked only from a pack the person supplied, after its notice (domain.md §4.3).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from deskstretch.cli import measure
from deskstretch.cli.measure import ask_line, make_console
from deskstretch.coach import Coach
from deskstretch.coach.measurements import (
    InstrumentPack,
    MeasurementError,
    QuestionnaireOutcome,
    load_answers,
    load_instrument_pack,
)
from deskstretch.coach.sessions import utc_now
from deskstretch.core.errors import FileFormatError
from deskstretch.core.outcomes import ODI_POINTS, ODI_SHARE, RMDQ_POINTS, RMDQ_SHARE
from deskstretch.core.records import Instrument

RULES = {
    Instrument.ODI: f"≥ {ODI_POINTS} points or {ODI_SHARE:.0%} of your first score",
    Instrument.RMDQ: f"≥ {RMDQ_POINTS} points or {RMDQ_SHARE:.0%} of your first score",
}
NO_WORDING = (
    "deskstretch does not include the questions of the ODI, RMDQ or STarT Back: their wording"
    " belongs to its copyright holders, and some uses need their permission. It includes only the"
    " scoring. If you have the questionnaire (for example from your clinician), write your answers"
    " by item id in a file and run `deskstretch score {name} --answers FILE`; or, if you may use"
    " the wording, make an instrument pack (see docs/measurements.md) and save it as {kept} to be"
    " asked here and in the browser (or add `--pack FILE`)."
)


def _ask_pack(console: Console, pack: InstrumentPack) -> dict[str, int | None]:
    if pack.instructions:
        console.print(pack.instructions)
    answers: dict[str, int | None] = {}
    skippable = pack.instrument is Instrument.ODI
    for number, question in enumerate(pack.questions, start=1):
        console.print(Text(f"\n{number}. {question.text}", style="bold"))
        if not question.options:
            reply = ask_line(console, "Type y if this describes you today, or press Enter:")
            answers[question.id] = int(reply.lower().startswith("y"))
            continue
        for index, (_, text) in enumerate(question.options, start=1):
            console.print(f"  {index}  {text}")
        hint = f"1-{len(question.options)}" + (", or s to skip this section" if skippable else "")
        while question.id not in answers:
            reply = ask_line(console, f"Your answer ({hint}):").lower()
            if skippable and reply == "s":
                answers[question.id] = None
            elif reply.isdigit() and 1 <= int(reply) <= len(question.options):
                answers[question.id] = question.options[int(reply) - 1][0]
            else:
                console.print(f"Please type {hint}.", style="yellow")
    return answers


def _render_outcome(console: Console, outcome: QuestionnaireOutcome) -> None:
    result = outcome.result
    instrument = result.instrument
    if instrument is Instrument.ODI:
        answered = int(result.extra.get("answered", 10))
        line = f"ODI: {result.score:g} out of 100 ({result.label}); {answered} of 10 sections"
        if outcome.missing:
            line += f" (left out: {', '.join(outcome.missing)})"
        console.print(line + ".")
    elif instrument is Instrument.RMDQ:
        console.print(f"RMDQ: {result.score:g} out of 24.")
    else:
        distress = int(result.extra.get("distress", 0))
        console.print(
            f"STarT Back: {result.score:g} out of 9 (distress {distress} of 5):"
            f" {result.label} risk group."
        )
        console.print(outcome.message)
        console.print(
            Text("It sorts answers into groups; it does not measure change.", style="dim")
        )
        return
    if outcome.message:
        console.print(outcome.message)
    if outcome.baseline is None:
        console.print("This is your first result: later ones are compared with it.")
    elif outcome.change is not None:
        console.print(f"Since your first result: {outcome.change.sentence}")
    console.print(Text(f"A real change: {RULES[instrument]} (Ostelo et al. 2008).", style="dim"))


def run_score(
    coach: Coach, instrument: Instrument, answers_file: Path | None, pack_file: Path | None
) -> None:
    """Score from an answers file, or ask with a pack's wording in a terminal."""
    console = make_console()
    if pack_file is None and answers_file is None:
        pack_file = coach.instrument_packs().get(instrument)  # the wording the person keeps
    pack = load_instrument_pack(pack_file) if pack_file else None
    if pack is not None:
        if pack.instrument is not instrument:
            expected = f"this pack is for {pack.instrument.value}, not {instrument.value}"
            raise FileFormatError(str(pack.path), None, "instrument", expected)
        title = pack.title or instrument.value.upper()
        console.print(Panel(pack.notice, title=f"{title} — notice", title_align="left"))
    if answers_file is not None:
        loaded = load_answers(answers_file, instrument)
        version = loaded.version or (pack.version if pack else None)
        outcome = coach.record_questionnaire(instrument, loaded.answers, version, utc_now())
    elif pack is not None and measure.is_terminal():
        answers = _ask_pack(console, pack)
        outcome = coach.record_questionnaire(instrument, answers, pack.version, utc_now())
    elif pack is not None:
        raise MeasurementError("Asking the questions needs a terminal; use --answers FILE instead.")
    else:
        kept = coach.settings.instruments_dir / f"{instrument.value}.toml"
        console.print(NO_WORDING.format(name=instrument.value, kept=kept))
        raise MeasurementError(
            "No answers given: use --answers FILE (or --pack FILE in a terminal)."
        )
    _render_outcome(console, outcome)
