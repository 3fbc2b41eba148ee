"""``lesson``: the short lessons (a 1-2 minute read each, with sources); ``register(app)`` adds it.

The lesson view (``cli.reading``, Rich and the catalogue) is imported when the command runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


def register(app: typer.Typer) -> None:
    """Add the ``lesson`` command to ``app``."""

    @app.command()
    def lesson(
        lesson_id: Annotated[
            str | None,
            typer.Argument(metavar="ID", help="The lesson to read; leave out to list them all."),
        ] = None,
        no_mark: Annotated[
            bool,
            typer.Option("--no-mark", help="Show the lesson without marking it as read."),
        ] = False,
    ) -> None:
        """Short lessons, a minute or two each: list them with what you have read, or read one
        (it is then marked as read)."""
        from deskstretch.cli import reading

        coach = open_coach()
        if lesson_id is None:
            reading.lesson_list(coach)
        else:
            reading.lesson_detail(coach, lesson_id, mark=not no_mark)
