"""``deskstretch resume-programme``: lift the pause after two worse days, on the person's word."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from deskstretch.coach import Coach
from deskstretch.core.records import ProgrammeEventKind

RESUME_HINT = (
    "When you have seen a doctor or physiotherapist, or your back feels as it usually does, run"
    " `deskstretch resume-programme --seen-clinician` or `deskstretch resume-programme"
    " --back-to-usual` (or use the buttons on the Today page of `deskstretch app`)."
)

_RESUMED = {
    ProgrammeEventKind.RESUMED_SEEN_CLINICIAN: (
        "Noted: you have seen a clinician. Routines are back; follow any advice they gave you,"
        " and start gently."
    ),
    ProgrammeEventKind.RESUMED_BACK_TO_USUAL: (
        "Noted: your back feels as it usually does. Routines are back; start gently."
    ),
}


def run_resume_programme(coach: Coach, kind: ProgrammeEventKind) -> None:
    console = Console(highlight=False)
    if not coach.resume_programme(kind):
        console.print("The programme is not paused: nothing to lift.")
        return
    console.print(Text(_RESUMED[kind], style="green"))
    console.print(
        "If your pain gets worse two days in a row again, routines pause again. If you notice"
        " new numbness, weakness, or changes in your bladder or bowels, get help straight away."
    )
