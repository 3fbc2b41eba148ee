"""``progress``, ``report``, ``export``, ``import`` and ``forget``: what deskstretch has recorded
about you, to see, share, take away or delete. ``register(app)`` adds them.

``cli.history`` (Rich, charts, the store via the Coach) is imported when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


def register(app: typer.Typer) -> None:
    """Add the ``progress``, ``report``, ``export``, ``import`` and ``forget`` commands."""

    @app.command()
    def progress(
        png: Annotated[
            Path | None,
            typer.Option("--png", help="Also save charts as a PNG image."),
        ] = None,
        svg: Annotated[
            Path | None,
            typer.Option("--svg", help="Also save charts as an SVG image."),
        ] = None,
    ) -> None:
        """Your progress: pain, flexibility, streak and weekly minutes, honestly interpreted."""
        from deskstretch.cli.history import run_progress

        run_progress(open_coach(), png, svg)

    @app.command()
    def report(
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Write the HTML report to this file."),
        ] = None,
    ) -> None:
        """A one-page printable summary (HTML) to share with a physiotherapist."""
        from deskstretch.cli.history import run_report

        run_report(open_coach(), out)

    @app.command()
    def export(
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="json (one file) or csv (a folder).")
        ] = "json",
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="File (json) or folder (csv); json default: stdout."),
        ] = None,
    ) -> None:
        """Export everything deskstretch has recorded about you."""
        from deskstretch.cli.history import run_export

        if fmt not in ("json", "csv"):
            raise typer.BadParameter(f"expected json or csv, got {fmt!r}", param_hint="--format")
        run_export(open_coach(), fmt, out)

    @app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(help="A JSON file made by `deskstretch export`.")],
        replace: Annotated[
            bool, typer.Option("--replace", help="Forget everything stored first.")
        ] = False,
    ) -> None:
        """Import a JSON export (records keep their ids, so importing twice adds nothing)."""
        from deskstretch.cli.history import run_import

        run_import(open_coach(), file, replace)

    @app.command()
    def forget(
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    ) -> None:
        """Delete every record deskstretch keeps about you (asks first)."""
        from deskstretch.cli.history import run_forget

        run_forget(open_coach(), yes)
