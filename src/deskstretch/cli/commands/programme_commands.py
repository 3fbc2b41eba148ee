"""``deskstretch programme list|show|validate``: programmes over weeks, built-in and your own.

``register(app)`` adds the group; ``cli.programme_view`` is imported when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


def register(app: typer.Typer) -> None:
    """Add the ``programme`` command group to ``app``."""
    programme_app = typer.Typer(
        help="List, inspect and check programmes: levels of routines over weeks.",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(programme_app, name="programme")

    @programme_app.command("list")
    def programme_list() -> None:
        """List built-in programmes and yours."""
        from deskstretch.cli import programme_view

        programme_view.programme_list(open_coach())

    @programme_app.command("show")
    def programme_show(
        programme: Annotated[str, typer.Argument(help="Programme id.")],
    ) -> None:
        """Show a programme: levels, weeks, routines, doses and the rules that move you on."""
        from deskstretch.cli import programme_view

        programme_view.programme_detail(open_coach(), programme)

    @programme_app.command("validate")
    def programme_validate(
        file: Annotated[Path, typer.Argument(help="A programme TOML file.")],
    ) -> None:
        """Check a programme file; errors name the line and field."""
        from deskstretch.cli import programme_view

        programme_view.programme_validate(open_coach(), file)
