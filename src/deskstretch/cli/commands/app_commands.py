"""``app`` and ``where``: start the browser app, and show where deskstretch keeps its files.

``register(app)`` adds them. The web stack (FastAPI, uvicorn) is imported only when ``app`` runs.
"""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``app`` and ``where`` commands to ``app``."""

    @app.command("app")
    def web_app(
        host: Annotated[
            str,
            typer.Option("--host", help="Address to listen on (this computer only by default)."),
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8767,
        no_browser: Annotated[
            bool, typer.Option("--no-browser", help="Do not open a browser; print the address.")
        ] = False,
        allow_remote: Annotated[
            bool,
            typer.Option(
                "--allow-remote",
                help=(
                    "Let other computers reach it (a --host that is not this computer only):"
                    " exposes your health records to the network; every request then needs the"
                    " secret token printed at start."
                ),
            ),
        ] = False,
    ) -> None:
        """Start the browser app (routines, library, progress) and open it in your browser."""
        from deskstretch.config import Settings
        from deskstretch.web.server import serve

        serve(Settings.from_env(), host, port, not no_browser, allow_remote)

    @app.command()
    def where() -> None:
        """Show where deskstretch keeps your settings, answers, routines, programmes and files."""
        from deskstretch.config import Settings

        settings = Settings.from_env()
        typer.echo(f"config folder:   {settings.config_dir}")
        typer.echo(f"settings file:   {settings.config_file}")
        typer.echo(f"safety answers:  {settings.screening_file}")
        typer.echo(f"your routines:   {settings.routines_dir}")
        typer.echo(f"your programmes: {settings.programmes_dir}")
        typer.echo(f"questionnaires:  {settings.instruments_dir}")
        typer.echo(f"data folder:     {settings.data_dir}")
        if settings.screening_not_saved_file.exists():
            typer.echo(
                f"answers not saved: {settings.screening_not_saved_file} (the older answers do"
                " not count; answer again with `deskstretch check`)"
            )
