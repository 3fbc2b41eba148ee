"""``check``, ``checkin`` and ``resume-programme``: the safety loop, from the red-flag questions
through pain check-ins to lifting the pause that two worse days set. ``register(app)`` adds them.

``cli.screening``, ``cli.history`` and ``cli.resume`` are imported when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


def register(app: typer.Typer) -> None:
    """Add the ``check``, ``checkin`` and ``resume-programme`` commands to ``app``."""

    @app.command()
    def check(
        from_file: Annotated[
            Path | None,
            typer.Option("--from", help="Take the answers from a TOML file instead of asking."),
        ] = None,
    ) -> None:
        """Answer the safety questions again (red flags and health conditions)."""
        from deskstretch.cli.screening import run_check

        run_check(open_coach(), from_file)

    @app.command()
    def welcome() -> None:
        """The first run: a safety check in short steps, your goal, and your plan."""
        from deskstretch.cli.play import run_start
        from deskstretch.cli.welcome import run_welcome

        coach = open_coach()
        run_welcome(coach, lambda: run_start(coach, None, None, None, None, False))

    @app.command()
    def checkin(
        back: Annotated[
            int | None,
            typer.Option("--back", min=0, max=10, help="Back pain now, 0 (none) to 10."),
        ] = None,
        leg: Annotated[
            int | None,
            typer.Option("--leg", min=0, max=10, help="Leg pain now, 0 (none) to 10."),
        ] = None,
        note: Annotated[str, typer.Option("--note", help="A short note for yourself.")] = "",
    ) -> None:
        """Record how your back and legs feel right now (asks, one key each, if no values)."""
        from deskstretch.cli.history import run_checkin

        run_checkin(open_coach(), back, leg, note)

    @app.command("resume-programme")
    def resume_programme(
        seen_clinician: Annotated[
            bool,
            typer.Option("--seen-clinician", help="You have seen a doctor or physiotherapist."),
        ] = False,
        back_to_usual: Annotated[
            bool, typer.Option("--back-to-usual", help="Your back feels as it usually does.")
        ] = False,
    ) -> None:
        """Lift the pause after two worse days: only you can (routines stay paused till then)."""
        from deskstretch.cli.resume import run_resume_programme
        from deskstretch.core.records import ProgrammeEventKind

        if seen_clinician == back_to_usual:
            raise typer.BadParameter(
                "give one of --seen-clinician or --back-to-usual", param_hint="resume-programme"
            )
        kind = (
            ProgrammeEventKind.RESUMED_SEEN_CLINICIAN
            if seen_clinician
            else ProgrammeEventKind.RESUMED_BACK_TO_USUAL
        )
        run_resume_programme(open_coach(), kind)
