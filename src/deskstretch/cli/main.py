"""The ``deskstretch`` command: thin Typer commands over the Coach; only ``main()`` exits.

Heavy modules (Rich rendering, the player, pydantic via the catalogue) are imported inside the
commands that need them so that ``deskstretch --help`` starts fast.
"""

from __future__ import annotations

import sys
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from deskstretch.core.errors import DeskstretchError, NotFoundError, SafetyStop

if TYPE_CHECKING:
    from deskstretch.coach import Coach


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    SAFETY_STOP = 3
    INTERRUPTED = 130


def _coach() -> Coach:
    from deskstretch.coach import Coach
    from deskstretch.config import Settings

    return Coach(Settings.from_env())


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="deskstretch",
        help=(
            "Short, guided stretch and movement breaks at your desk for a happier lower back.\n\n"
            "Start with `deskstretch start`. Not medical advice: if you have severe, worsening or "
            "unusual symptoms, see a doctor."
        ),
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    routine_app = typer.Typer(
        help="List, inspect and check routines (built-in and your own TOML files).",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(routine_app, name="routine")

    @app.command()
    def start(
        routine: Annotated[
            Optional[str],  # noqa: UP045 - Typer reads this annotation at run time
            typer.Argument(help="Routine id or name (see `deskstretch routine list`)."),
        ] = None,
        file: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--file", "-f", help="Play a routine from a TOML file."),
        ] = None,
        voice: Annotated[
            Optional[bool],  # noqa: UP045
            typer.Option("--voice/--no-voice", help="Speak the cues (needs espeak-ng)."),
        ] = None,
        bell: Annotated[
            Optional[bool],  # noqa: UP045
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
        run_start(_coach(), routine, file, voice, bell, plain, checkin)

    @app.command("list")
    def list_exercises(
        position: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--position", "-p", help="seated or standing."),
        ] = None,
        target: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--target", "-t", help="A muscle or area, e.g. hamstrings, hips."),
        ] = None,
        equipment: Annotated[
            Optional[str],  # noqa: UP045
            typer.Option("--equipment", "-e", help="chair, desk, step or none."),
        ] = None,
    ) -> None:
        """List the exercises, optionally filtered."""
        from deskstretch.cli import render

        render.exercise_list(_coach(), position, target, equipment)

    @app.command()
    def show(
        exercise: Annotated[str, typer.Argument(help="Exercise id, code (S01) or name.")],
        svg: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--svg", help="Also save the exercise's figures (every phase) as SVG."),
        ] = None,
    ) -> None:
        """Everything about one exercise: setup, cues, mistakes, cautions, variants, sources."""
        from deskstretch.cli import render

        coach = _coach()
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

    @app.command()
    def check(
        from_file: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--from", help="Take the answers from a TOML file instead of asking."),
        ] = None,
    ) -> None:
        """Answer the safety questions again (red flags and health conditions)."""
        from deskstretch.cli.screening import run_check

        run_check(_coach(), from_file)

    @app.command()
    def checkin(
        back: Annotated[
            Optional[int],  # noqa: UP045
            typer.Option("--back", min=0, max=10, help="Back pain now, 0 (none) to 10."),
        ] = None,
        leg: Annotated[
            Optional[int],  # noqa: UP045
            typer.Option("--leg", min=0, max=10, help="Leg pain now, 0 (none) to 10."),
        ] = None,
        note: Annotated[str, typer.Option("--note", help="A short note for yourself.")] = "",
    ) -> None:
        """Record how your back and legs feel right now (asks, one key each, if no values)."""
        from deskstretch.cli.history import run_checkin

        run_checkin(_coach(), back, leg, note)

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
        from deskstretch.cli.programme import run_resume_programme
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
        run_resume_programme(_coach(), kind)

    @app.command()
    def progress(
        png: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--png", help="Also save charts as a PNG image."),
        ] = None,
        svg: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--svg", help="Also save charts as an SVG image."),
        ] = None,
    ) -> None:
        """Your progress: pain, flexibility, streak and weekly minutes, honestly interpreted."""
        from deskstretch.cli.history import run_progress

        run_progress(_coach(), png, svg)

    @app.command()
    def report(
        out: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--out", "-o", help="Write the HTML report to this file."),
        ] = None,
    ) -> None:
        """A one-page printable summary (HTML) to share with a physiotherapist."""
        from deskstretch.cli.history import run_report

        run_report(_coach(), out)

    @app.command()
    def export(
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="json (one file) or csv (a folder).")
        ] = "json",
        out: Annotated[
            Optional[Path],  # noqa: UP045
            typer.Option("--out", "-o", help="File (json) or folder (csv); json default: stdout."),
        ] = None,
    ) -> None:
        """Export everything deskstretch has recorded about you."""
        from deskstretch.cli.history import run_export

        if fmt not in ("json", "csv"):
            raise typer.BadParameter(f"expected json or csv, got {fmt!r}", param_hint="--format")
        run_export(_coach(), fmt, out)

    @app.command("import")
    def import_(
        file: Annotated[Path, typer.Argument(help="A JSON file made by `deskstretch export`.")],
        replace: Annotated[
            bool, typer.Option("--replace", help="Forget everything stored first.")
        ] = False,
    ) -> None:
        """Import a JSON export (records keep their ids, so importing twice adds nothing)."""
        from deskstretch.cli.history import run_import

        run_import(_coach(), file, replace)

    @app.command()
    def forget(
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    ) -> None:
        """Delete every record deskstretch keeps about you (asks first)."""
        from deskstretch.cli.history import run_forget

        run_forget(_coach(), yes)

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
        """Show where deskstretch keeps your settings, answers and routines."""
        from deskstretch.config import Settings

        settings = Settings.from_env()
        typer.echo(f"config folder:   {settings.config_dir}")
        typer.echo(f"settings file:   {settings.config_file}")
        typer.echo(f"safety answers:  {settings.screening_file}")
        typer.echo(f"your routines:   {settings.routines_dir}")
        typer.echo(f"data folder:     {settings.data_dir}")
        if settings.screening_not_saved_file.exists():
            typer.echo(
                f"answers not saved: {settings.screening_not_saved_file} (the older answers do"
                " not count; answer again with `deskstretch check`)"
            )

    @routine_app.command("list")
    def routine_list() -> None:
        """List built-in routines and yours, with their length."""
        from deskstretch.cli import render

        render.routine_list(_coach())

    @routine_app.command("show")
    def routine_show(
        routine: Annotated[str, typer.Argument(help="Routine id, name, or a TOML file path.")],
    ) -> None:
        """Show a routine step by step, as it would play for you."""
        from deskstretch.cli import render

        render.routine_detail(_coach(), routine)

    @routine_app.command("validate")
    def routine_validate(
        file: Annotated[Path, typer.Argument(help="A routine TOML file.")],
    ) -> None:
        """Check a routine file; errors name the line and field."""
        from deskstretch.cli import render

        render.routine_validate(_coach(), file)

    from deskstretch.cli.commands.measure_commands import register

    register(app)
    from deskstretch.cli.commands import schedule_commands as schedule_cli

    schedule_cli.register(app)
    from deskstretch.cli.commands import remind_commands as remind_cli

    remind_cli.register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning user errors into one line and an exit status."""
    app = build_app()
    try:
        app(args=argv, prog_name="deskstretch")
    except SafetyStop as error:
        sys.stderr.write(f"deskstretch: {error.message}\n")
        sys.exit(ExitStatus.SAFETY_STOP)
    except NotFoundError as error:
        sys.stderr.write(f"deskstretch: {error.message}\n")
        sys.exit(ExitStatus.ERROR)
    except DeskstretchError as error:
        sys.stderr.write(f"deskstretch: error: {error.message}\n")
        sys.exit(ExitStatus.ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("\ndeskstretch: stopped.\n")
        sys.exit(ExitStatus.INTERRUPTED)
