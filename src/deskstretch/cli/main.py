"""The ``deskstretch`` command: thin Typer commands over the Coach; only ``main()`` exits.

Heavy modules (Rich rendering, the player, pydantic via the catalogue) are imported inside the
commands that need them so that ``deskstretch --help`` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import IntEnum

import typer

from deskstretch.cli.commands import (
    app_commands,
    browse_commands,
    history_commands,
    lesson_commands,
    measure_commands,
    play_commands,
    programme_commands,
    remind_commands,
    routine_commands,
    safety_commands,
    schedule_commands,
)
from deskstretch.core.errors import DeskstretchError, NotFoundError, SafetyStop

# Typer lists commands in the order they are registered, then the groups (routine, measure,
# psfs, remind) in the order they are added: this order is the order of `deskstretch --help`.
COMMAND_GROUPS: tuple[Callable[[typer.Typer], None], ...] = (
    play_commands.register,  # start
    browse_commands.register,  # list, show, learn
    lesson_commands.register,  # lesson
    routine_commands.register,  # routine list|show|validate
    programme_commands.register,  # programme list|show|validate
    safety_commands.register,  # check, welcome, checkin, resume-programme
    history_commands.register,  # progress, report, export, import, forget
    app_commands.register,  # app, where
    measure_commands.register,  # score; measure ..., psfs ...
    schedule_commands.register,  # schedule
    remind_commands.register,  # remind ...
)


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    SAFETY_STOP = 3
    INTERRUPTED = 130


def build_app() -> typer.Typer:
    """The ``deskstretch`` app: each command group comes from its own module under
    ``cli.commands``, registered in the order ``deskstretch --help`` lists them."""
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

    @app.callback()
    def root(
        version: bool = typer.Option(
            False,
            "--version",
            help="Print deskstretch's version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ) -> None:
        """Short, guided stretch and movement breaks at your desk."""

    for register in COMMAND_GROUPS:
        register(app)
    return app


def _print_version(value: bool) -> None:
    if value:
        from deskstretch import __version__

        typer.echo(f"deskstretch {__version__}")
        raise typer.Exit()


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
