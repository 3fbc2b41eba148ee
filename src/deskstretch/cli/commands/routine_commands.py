"""``deskstretch routine list|show|validate``: built-in routines and the person's own TOML files.

``register(app)`` adds the group; ``cli.render`` is imported when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


def register(app: typer.Typer) -> None:
    """Add the ``routine`` command group to ``app``."""
    routine_app = typer.Typer(
        help="List, inspect and check routines (built-in and your own TOML files).",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(routine_app, name="routine")

    @routine_app.command("list")
    def routine_list() -> None:
        """List built-in routines and yours, with their length."""
        from deskstretch.cli import render

        render.routine_list(open_coach())

    @routine_app.command("show")
    def routine_show(
        routine: Annotated[str, typer.Argument(help="Routine id, name, or a TOML file path.")],
    ) -> None:
        """Show a routine step by step, as it would play for you."""
        from deskstretch.cli import render

        render.routine_detail(open_coach(), routine)

    @routine_app.command("validate")
    def routine_validate(
        file: Annotated[Path, typer.Argument(help="A routine TOML file.")],
    ) -> None:
        """Check a routine file; errors name the line and field."""
        from deskstretch.cli import render

        render.routine_validate(open_coach(), file)
