"""``list``, ``show`` and ``learn``: the exercises and why they help; ``register(app)`` adds them.

Rendering (``cli.render``, Rich) is imported when a command runs, so ``--help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


def register(app: typer.Typer) -> None:
    """Add the ``list``, ``show`` and ``learn`` commands to ``app``."""

    @app.command("list")
    def list_exercises(
        position: Annotated[
            str | None,
            typer.Option("--position", "-p", help="seated or standing."),
        ] = None,
        target: Annotated[
            str | None,
            typer.Option("--target", "-t", help="A muscle or area, e.g. hamstrings, hips."),
        ] = None,
        equipment: Annotated[
            str | None,
            typer.Option("--equipment", "-e", help="chair, desk, step or none."),
        ] = None,
    ) -> None:
        """List the exercises, optionally filtered."""
        from deskstretch.cli import render

        render.exercise_list(open_coach(), position, target, equipment)

    @app.command()
    def show(
        exercise: Annotated[str, typer.Argument(help="Exercise id, code (S01) or name.")],
        svg: Annotated[
            Path | None,
            typer.Option("--svg", help="Also save the exercise's figures (every phase) as SVG."),
        ] = None,
    ) -> None:
        """Everything about one exercise: setup, cues, mistakes, cautions, variants, sources."""
        from deskstretch.cli import render

        coach = open_coach()
        if svg is not None:  # first, so that a bad path fails before the long printout
            from deskstretch.catalogue.illustrations import write_sheet_svg

            write_sheet_svg(coach.find_exercise(exercise), svg)
        render.exercise_detail(coach, exercise)
        if svg is not None:
            typer.echo(f"Figures saved to {svg}")

    @app.command()
    def learn() -> None:
        """Why hamstrings and the lower back, told plainly, with what the research does and
        does not show."""
        from deskstretch.cli import render

        render.learn()
