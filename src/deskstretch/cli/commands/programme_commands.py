"""``deskstretch programme``: follow a programme over weeks (start, status, stop), and list,
inspect and check programmes, built-in and your own.

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
        help="Follow a programme over weeks, and list, inspect and check programmes.",
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

    @programme_app.command("start")
    def programme_start(
        programme: Annotated[str, typer.Argument(help="Programme id (see `programme list`).")],
        level: Annotated[
            int,
            typer.Option("--level", help="Start at this level (1 to the programme's last).", min=1),
        ] = 1,
    ) -> None:
        """Start following a programme today (stops the one you follow, if any)."""
        from deskstretch.cli import programme_view

        programme_view.programme_start(open_coach(), programme, level)

    @programme_app.command("status")
    def programme_status() -> None:
        """Where you are: week, level, today's session, what changes next and why."""
        from deskstretch.cli import programme_view

        programme_view.programme_status(open_coach())

    @programme_app.command("stop")
    def programme_stop() -> None:
        """Stop following your programme; your history stays."""
        from deskstretch.cli import programme_view

        programme_view.programme_stop(open_coach())
