"""``deskstretch start``: play a guided routine; ``register(app)`` adds it to the app.

The terminal player (``cli.play``) is imported when the command runs, so ``--help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


def register(app: typer.Typer) -> None:
    """Add the ``start`` command to ``app``."""

    @app.command()
    def start(
        routine: Annotated[
            str | None,
            typer.Argument(help="Routine id or name (see `deskstretch routine list`)."),
        ] = None,
        file: Annotated[
            Path | None,
            typer.Option("--file", "-f", help="Play a routine from a TOML file."),
        ] = None,
        voice: Annotated[
            bool | None,
            typer.Option("--voice/--no-voice", help="Speak the cues (needs espeak-ng)."),
        ] = None,
        bell: Annotated[
            bool | None,
            typer.Option("--bell/--no-bell", help="Ring the terminal bell at each change."),
        ] = None,
        plain: Annotated[
            bool, typer.Option("--plain", help="Print timestamped lines instead of a full screen.")
        ] = False,
        checkin: Annotated[
            bool,
            typer.Option(
                "--checkin/--no-checkin", help="Ask about pain before and after (one key each)."
            ),
        ] = True,
    ) -> None:
        """Play a guided routine (default: your chosen one; at first, a quick hamstring stretch)."""
        from deskstretch.cli.play import run_start

        if routine and file:
            raise typer.BadParameter("give a routine name or --file, not both")
        run_start(open_coach(), routine, file, voice, bell, plain, checkin)
