"""Typer wiring for ``measure``, ``psfs``, ``score`` and ``assess``; ``register(app)`` adds them.

Thin on purpose: each command parses its options and lazily imports ``cli.measure``,
``cli.score`` or ``cli.assess``, so ``deskstretch --help`` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from deskstretch.cli.commands import open_coach


class Leg(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class PhotoTestOption(StrEnum):
    SIT_AND_REACH = "sit-and-reach"
    FORWARD_BEND = "forward-bend"


class Questionnaire(StrEnum):
    ODI = "odi"
    RMDQ = "rmdq"
    STARTBACK = "startback"


Cm = Annotated[
    float | None,
    typer.Option("--cm", help="Your result in cm (leave out in a terminal to be guided)."),
]
Note = Annotated[str, typer.Option("--note", help="A short note kept with the result.")]


def register(app: typer.Typer) -> None:
    """Add the ``measure`` and ``psfs`` command groups and the ``score`` command to ``app``."""
    measure_app = typer.Typer(rich_markup_mode=None)
    psfs_app = typer.Typer(
        help="Your own activities, rated 0-10 over time (Patient-Specific Functional Scale).",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(measure_app, name="measure")
    app.add_typer(psfs_app, name="psfs")

    @measure_app.callback(invoke_without_command=True)
    def measure(ctx: typer.Context) -> None:
        """Flexibility tests: with no test named, how to do each one safely."""
        if ctx.invoked_subcommand is None:
            from deskstretch.cli.measure import show_tests

            show_tests(open_coach())

    @measure_app.command("sit-and-reach")
    def sit_and_reach(
        cm: Cm = None,
        leg: Annotated[
            Leg | None,
            typer.Option("--leg", help="The leg that was straight: left or right."),
        ] = None,
        note: Note = "",
    ) -> None:
        """Record a chair sit-and-reach (plus past the toes, minus short of them)."""
        from deskstretch.cli.measure import run_measure
        from deskstretch.core.records import MeasurementKind

        kind = MeasurementKind.CHAIR_SIT_AND_REACH
        run_measure(open_coach(), kind, cm, leg.value if leg else None, note)

    @measure_app.command("toe-touch")
    def toe_touch(cm: Cm = None, note: Note = "") -> None:
        """Record a standing fingertip-to-floor distance (0 = you touch the floor)."""
        from deskstretch.cli.measure import run_measure
        from deskstretch.core.records import MeasurementKind

        run_measure(open_coach(), MeasurementKind.FINGERTIP_TO_FLOOR, cm, None, note)

    @psfs_app.command("add")
    def psfs_add(
        activity: Annotated[str, typer.Argument(help='An everyday activity, e.g. "Gardening".')],
    ) -> None:
        """Add an activity your back makes hard (up to 5 in all; 3 is usual)."""
        from deskstretch.cli.measure import psfs_add

        psfs_add(open_coach(), activity)

    @psfs_app.command("list")
    def psfs_list() -> None:
        """List your current activities and their last rating."""
        from deskstretch.cli.measure import psfs_list

        psfs_list(open_coach())

    @psfs_app.command("retire")
    def psfs_retire(
        activity: Annotated[str, typer.Argument(help="The activity's id (or its start) or name.")],
    ) -> None:
        """Stop rating an activity; its past ratings are kept."""
        from deskstretch.cli.measure import psfs_retire

        psfs_retire(open_coach(), activity)

    @psfs_app.command("rate")
    def psfs_rate(
        rating: Annotated[
            list[str] | None,
            typer.Option("--rating", help="ID=SCORE (0-10); repeat for each activity."),
        ] = None,
    ) -> None:
        """Rate each activity 0-10 (asked one by one in a terminal)."""
        from deskstretch.cli.measure import psfs_rate

        psfs_rate(open_coach(), rating or [])

    @app.command()
    def score(
        instrument: Annotated[Questionnaire, typer.Argument(help="odi, rmdq or startback.")],
        answers: Annotated[
            Path | None,
            typer.Option("--answers", help="A TOML file of answers by item id."),
        ] = None,
        pack: Annotated[
            Path | None,
            typer.Option("--pack", help="Your instrument pack: the licensed wording to ask."),
        ] = None,
    ) -> None:
        """Score a back questionnaire and compare it with your first result."""
        from deskstretch.cli.score import run_score
        from deskstretch.core.records import Instrument

        run_score(open_coach(), Instrument(instrument.value), answers, pack)

    @app.command()
    def assess(
        photos: Annotated[
            list[Path] | None,
            typer.Argument(
                metavar="PHOTO",
                help="1 to 3 side-view photos of one test (leave out for the guide).",
            ),
        ] = None,
        test: Annotated[
            PhotoTestOption | None,
            typer.Option(
                "--test", help="The position in the photos: sit-and-reach or forward-bend."
            ),
        ] = None,
        keep_photo: Annotated[
            bool,
            typer.Option("--keep-photo", help="Keep the annotated photo on this computer."),
        ] = False,
        annotated: Annotated[
            Path | None,
            typer.Option("--annotated", help="Write the annotated image to FILE (not kept)."),
        ] = None,
        note: Note = "",
        delete_photos: Annotated[
            bool,
            typer.Option("--delete-photos", help="Delete every kept photo (the angles stay)."),
        ] = False,
        yes: Annotated[
            bool, typer.Option("--yes", help="Delete kept photos without asking.")
        ] = False,
    ) -> None:
        """Measure your forward bend from side-view photos (with no photo: how to take them)."""
        from deskstretch.core.errors import DeskstretchError

        if delete_photos:
            if photos:
                raise DeskstretchError("--delete-photos takes no photos: give it on its own.")
            from deskstretch.cli.assess import run_delete_photos

            run_delete_photos(open_coach(), yes)
            return
        if not photos:
            from deskstretch.cli.assess import show_guide

            show_guide(open_coach())
            return
        from deskstretch.cli.assess import run_assess

        chosen = test.value if test is not None else None
        run_assess(open_coach(), photos, chosen, keep_photo, annotated, note)
