"""``assess``: the guided photo self-test, measuring side-view photos, and deleting kept photos.

Called by the Typer command in ``commands.measure_commands``; the measuring, storing and
comparing is ``coach.assessments``' (the vision extra is reached only through it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from deskstretch.catalogue.guides import PHOTO_GUIDE, PHOTO_POSITION_BY_TEST
from deskstretch.coach import Coach
from deskstretch.coach.assessments import TEST_NAMES, PhotoResult
from deskstretch.core.body_angles import BodyAngles, PhotoTest, rounded_angle
from deskstretch.core.errors import DeskstretchError, SafetyStop
from deskstretch.core.records import ASSESSMENT_MAX_PHOTOS, PHOTO_MAX_BYTES, Assessment

TESTS_BY_OPTION = {position.option: position.test for position in PHOTO_GUIDE.positions}


def make_console() -> Console:
    return Console(highlight=False)


def _angle(value: float, uncertainty: float = 6.0) -> str:
    return f"{rounded_angle(value)}° ±{uncertainty:g}°".replace("-", "−")


def angles_text(angles: BodyAngles | Assessment, uncertainty: float = 6.0) -> str:
    """The three angles, each to the nearest 5° with its uncertainty, and the side measured."""
    return (
        f"forward-bend angle {_angle(angles.forward_bend_deg, uncertainty)}, knee bend"
        f" {_angle(angles.knee_deficit_deg, uncertainty)}, trunk lean"
        f" {_angle(angles.trunk_inclination_deg, uncertainty)} ({angles.side.value} side)"
    )


def _bullets(lines: tuple[str, ...]) -> Table:
    table = Table.grid(padding=(0, 1))
    for line in lines:
        table.add_row(" •", line)
    return table


# -- The guide ------------------------------------------------------------------------------------


def show_guide(coach: Coach) -> None:
    """The photo self-test step by step, the two positions, what is measured and the rule."""
    console = make_console()
    guide = PHOTO_GUIDE
    if "osteoporosis" in coach.active_tags():
        console.print(
            Text(
                "You told us about osteoporosis or fragile bones: this test bends fully forward"
                " and is not advised for you. `deskstretch psfs` tracks what you can do instead.",
                style="bold yellow",
            )
        )
    console.print(Text(guide.title, style="bold"))
    console.print(guide.intro)
    steps = Table.grid(padding=(0, 1))
    for number, step in enumerate(guide.steps, start=1):
        steps.add_row(f"{number}.", Text(step.title, style="bold").append(f"\n{step.text}", ""))
    console.print(Panel(steps, title="Taking the photos", title_align="left", border_style="cyan"))
    for position in guide.positions:
        lines = Table.grid(padding=(0, 1))
        for number, text in enumerate(position.steps, start=1):
            lines.add_row(f"{number}.", text)
        title = f"{position.title} (--test {position.option})"
        console.print(Panel(lines, title=title, title_align="left", border_style="cyan"))
    console.print(Text("What is measured", style="bold"))
    console.print(_bullets(guide.measures))
    console.print(Text(guide.rule, style="dim"))
    console.print(Text("Cautions", style="bold"))
    console.print(_bullets(guide.cautions))
    console.print(guide.privacy)
    console.print(
        "Measure them: deskstretch assess PHOTO [PHOTO [PHOTO]] --test sit-and-reach|forward-bend"
        " [--keep-photo] [--annotated FILE] [--note TEXT]"
    )
    reason = coach.assessments.unavailable_reason()
    if reason:
        console.print(Text(reason, style="yellow"))
    kept = coach.assessments.kept_photo_count()
    if kept:
        photos = "photo is" if kept == 1 else "photos are"
        console.print(
            f"{kept} kept {photos} stored; `deskstretch assess --delete-photos` deletes them."
        )


# -- Measuring ------------------------------------------------------------------------------------


def read_photo(path: Path) -> tuple[str, bytes]:
    """The file's name as given and its bytes; a DeskstretchError naming it when it cannot be a
    photo before it is even read (missing, a folder, unreadable, too large)."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DeskstretchError(
            f"{name}: no such file; expected a photo (JPEG, PNG, WebP or BMP)."
        ) from None
    except OSError as error:
        raise DeskstretchError(f"{name}: cannot be read ({error.strerror or error}).") from None
    if path.is_dir():
        raise DeskstretchError(
            f"{name} is a folder; expected a photo file (JPEG, PNG, WebP or BMP)."
        )
    if info.st_size > PHOTO_MAX_BYTES:
        raise DeskstretchError(
            f"{name} is {info.st_size / 1_000_000:.1f} MB; photos up to"
            f" {PHOTO_MAX_BYTES / 1_000_000:.1f} MB are accepted. Use a smaller copy."
        )
    try:
        with path.open("rb") as file:
            return name, file.read(PHOTO_MAX_BYTES + 1)
    except OSError as error:
        raise DeskstretchError(f"{name}: cannot be read ({error.strerror or error}).") from None


def _check_safety(coach: Coach, test: PhotoTest) -> None:
    if coach.needs_screening():
        raise SafetyStop(
            "Please answer the safety questions first: run `deskstretch check` (or"
            " `deskstretch check --from FILE`)."
        )
    if not coach.verdict().routines_allowed:
        raise SafetyStop(
            "Photo tests are paused, like routines, until `deskstretch check` is answered again"
            " once this has been looked at."
        )
    coach.assessments.check_allowed(test)


def _photo_lines(console: Console, result: PhotoResult) -> None:
    check = result.check
    if check.counts and check.angles is not None:
        console.print(
            Text(f"{result.name}: counts. ", style="bold").append(
                angles_text(check.angles).capitalize() + ".", style=""
            )
        )
        return
    console.print(Text(f"{result.name}: does not count.", style="bold yellow"))
    if check.angles is not None:
        console.print(f"  Measured (not counted): {angles_text(check.angles)}.")
    console.print(_bullets(tuple(problem.advice for problem in check.problems)))


def run_assess(
    coach: Coach,
    photos: list[Path],
    test_option: str | None,
    keep_photo: bool,
    annotated: Path | None,
    note: str,
) -> None:
    """Measure 1-3 photos, save the median of those that count, and say how it compares."""
    if len(photos) > ASSESSMENT_MAX_PHOTOS:
        raise DeskstretchError(
            f"expected 1 to {ASSESSMENT_MAX_PHOTOS} photos of one test, got {len(photos)}"
            f" ({', '.join(str(p) for p in photos)}); three taken together give the steadiest"
            " result."
        )
    if test_option is None:
        raise DeskstretchError(
            "say which test the photos show: --test sit-and-reach or --test forward-bend"
            " (`deskstretch assess` with no photo explains both)."
        )
    test = TESTS_BY_OPTION[test_option]
    _check_safety(coach, test)
    reason = coach.assessments.unavailable_reason()
    if reason:
        raise DeskstretchError(reason)
    files = [read_photo(path) for path in photos]
    if annotated is not None and annotated.is_dir():
        raise DeskstretchError(f"{annotated} is a folder; expected a file name for --annotated.")
    console = make_console()
    outcome = coach.assessments.assess(files, test, keep_photo=keep_photo, note=note)
    for result in outcome.photos:
        _photo_lines(console, result)
    saved = outcome.assessment
    if saved is not None:
        over = "1 photo" if saved.photos == 1 else f"the median of {saved.photos} photos"
        console.print(
            Text(f"Saved: {TEST_NAMES[test]}, {over}: ", style="bold").append(
                angles_text(saved, saved.uncertainty_deg) + ".", style=""
            )
        )
    for sentence in outcome.sentences:
        console.print(sentence)
    if annotated is not None:
        _write_annotated(console, outcome.photos, annotated)
    if saved is not None and saved.photo_file:
        console.print(
            "The annotated photo is kept on this computer; `deskstretch assess --delete-photos`"
            " deletes kept photos."
        )
    if saved is None:
        raise typer.Exit(1)
    if saved.photos < 3:
        console.print(
            Text(
                "Tip: three photos taken together give a steadier median (changes of 6° show"
                " instead of 10°).",
                style="dim",
            )
        )


def _write_annotated(console: Console, results: tuple[PhotoResult, ...], target: Path) -> None:
    from deskstretch.config import write_atomic

    chosen = next((r for r in results if r.check.counts and r.annotated_jpeg), None)
    if chosen is None:
        chosen = next((r for r in results if r.annotated_jpeg), None)
    if chosen is None:
        console.print(f"No annotated image written to {target}: no person was found in any photo.")
        return
    write_atomic(target, chosen.annotated_jpeg)
    console.print(f"Annotated image of {chosen.name} written to {target}.")


# -- Kept photos ----------------------------------------------------------------------------------


def run_delete_photos(coach: Coach, yes: bool) -> None:
    """Delete every kept photo (after a confirmation unless ``yes``); the angles stay."""
    console = make_console()
    count = coach.assessments.kept_photo_count()
    if count == 0:
        # Nothing on disk, but a name may linger (a file deleted by hand): forget those too.
        coach.assessments.delete_photos()
        console.print("No kept photos to delete.")
        return
    photos = "1 kept photo" if count == 1 else f"{count} kept photos"
    if not yes:
        if not sys.stdin.isatty():
            raise DeskstretchError(
                "--delete-photos needs confirmation: run it in a terminal, or add --yes"
            )
        console.print(f"Delete {photos}? Your measured angles stay. [y/N] ", end="")
        try:
            answer = input().strip().lower()
        except EOFError:
            answer = ""
        if answer not in ("y", "yes"):
            console.print("Nothing was deleted.")
            return
    deleted = coach.assessments.delete_photos()
    done = "1 kept photo" if deleted == 1 else f"{deleted} kept photos"
    console.print(f"Deleted {done}. Your measured angles stay.")


# -- On the progress page -------------------------------------------------------------------------


def print_photo_progress(coach: Coach, console: Console) -> None:
    """The latest forward-bend angle of each photo test and how it compares (nothing when the
    person has measured none)."""
    for test in PhotoTest:
        latest = coach.assessments.latest(test)
        if latest is None:
            continue
        newest, sentences = latest
        day = newest.at.astimezone(coach.local_tz())
        how = "photos" if newest.source == "photo" else "the camera"
        title = PHOTO_POSITION_BY_TEST[test].title
        console.print(Text(f"\n{title}, from {how}", style="bold"))
        console.print(
            f"- Latest ({day.day} {day:%b %Y}): forward-bend angle"
            f" {_angle(newest.forward_bend_deg, newest.uncertainty_deg)}."
        )
        for sentence in sentences:
            console.print(Text(f"- {sentence}"))
