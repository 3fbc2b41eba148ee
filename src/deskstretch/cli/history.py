"""History commands: check-in, progress (dashboard and charts), report, export, import, forget."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from deskstretch.coach import Coach
from deskstretch.config import write_atomic
from deskstretch.core import extras
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.records import CheckInContext
from deskstretch.exports.csv_files import export_csv


def run_checkin(coach: Coach, back: int | None, leg: int | None, note: str) -> None:
    console = Console(highlight=False)
    if back is None and leg is None:
        if not sys.stdin.isatty():
            raise DeskstretchError(
                "give --back and/or --leg (0-10), or run `deskstretch checkin` in a terminal"
            )
        from deskstretch.cli.prompts import ask_score

        console.print(Text("Pain check-in", style="bold cyan"))
        back = ask_score(console, "Back pain right now?")
        leg = ask_score(console, "Pain running down a leg right now?")
        if back is None and leg is None:
            console.print("Nothing recorded.")
            return
    result = coach.check_in(back, leg, CheckInContext.ANYTIME, None, note)
    parts = []
    if back is not None:
        parts.append(f"back {back}/10")
    if leg is not None:
        parts.append(f"leg {leg}/10")
    console.print(f"Recorded: {', '.join(parts)}.")
    for message in result.messages:
        console.print(Text(message, style="yellow"))
    answer_later = result.reask_cauda_equina and not sys.stdin.isatty()
    if result.reask_cauda_equina and not answer_later:
        from deskstretch.cli.prompts import recheck_cauda_equina

        recheck_cauda_equina(coach, console)
    plan = coach.pain_plan()
    for message in plan.messages:
        console.print(Text(message, style="yellow"))
    if answer_later:
        # The pain plan's message above says why; this says how.
        console.print("Answer them with `deskstretch check` in a terminal.")
    if plan.paused and plan.clinician_advice:
        from deskstretch.cli.resume import RESUME_HINT

        console.print(Text(plan.clinician_advice, style="bold yellow"))
        console.print(RESUME_HINT)


def run_progress(coach: Coach, png: Path | None, svg: Path | None) -> None:
    from deskstretch.cli.dashboard import render_dashboard

    if png is not None or svg is not None:  # say what to install before anything is shown
        extras.require(extras.CHARTS)

    # Everything imported so far lives until this one-shot command exits: move it out of the
    # cyclic collector's way, which would otherwise scan it again each time reading the history
    # triggers a full collection (and once more at exit), about 40 ms in all on a slow machine.
    gc.freeze()
    summary = coach.progress_summary()
    console = Console(highlight=False)
    console.print(render_dashboard(summary))
    from deskstretch.cli.assess import print_photo_progress

    print_photo_progress(coach, console)
    _milestones_and_recap(coach, console)
    for path, fmt in ((png, "png"), (svg, "svg")):
        if path is None:
            continue
        from deskstretch.cli.charts import write_charts

        _check_writable(path)
        written = write_charts(summary, path, fmt)  # type: ignore[arg-type]
        console.print(f"Chart saved to {written}")


def _milestones_and_recap(coach: Coach, console: Console) -> None:
    """This week's recap and the milestones reached (shown here rather than under `programme
    status` because they are for everyone, with a programme or without)."""
    followed = None
    if coach.enrolment() is not None:  # the programme files load only for those who follow one
        try:
            followed = coach.programme_today()
        except DeskstretchError:  # its file has gone: `programme status` says so
            followed = None
    reached, recap = coach.milestones_and_recap(followed)
    if not reached:
        return
    console.print(Text("\nThis week so far", style="bold"))
    lines = [recap.sessions_text]
    if recap.minutes_text:
        lines.append(f"Minutes: {', '.join(recap.minutes_text)}.")
    if recap.pain:
        lines.append(recap.pain)
    lines.append(recap.next_week)
    for line in lines:
        console.print(Text(f"- {line}"))
    console.print(Text("\nMilestones", style="bold"))
    for milestone in reached:
        console.print(Text(f"- {milestone.title} ({milestone.reached_on:%d %b %Y})"))


def run_report(coach: Coach, out: Path | None) -> None:
    from deskstretch.exports.report import render_report

    html = render_report(coach.progress_summary(), datetime.now(UTC))
    if out is None:
        sys.stdout.write(html)
        return
    _check_writable(out)
    write_atomic(out, html)
    Console(highlight=False).print(
        f"Report saved to {out}. Open it in a browser and print it, or send it to your "
        "physiotherapist."
    )


def _check_writable(path: Path) -> None:
    if path.is_dir():
        raise DeskstretchError(f"{path}: is a folder; give a file name")
    if not path.parent.exists():
        raise DeskstretchError(f"{path.parent}: no such folder")


def run_export(coach: Coach, fmt: str, out: Path | None) -> None:
    data = coach.export_all()
    console = Console(highlight=False, stderr=True)
    if fmt == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if out is None:
            sys.stdout.write(text)
            return
        _check_writable(out)
        write_atomic(out, text)
        console.print(f"Exported {_count_text(data)} to {out}.")
        return
    if out is None:
        raise DeskstretchError("--format csv needs --out FOLDER (one CSV file per kind of record)")
    if out.exists() and not out.is_dir():
        raise DeskstretchError(f"{out}: exists and is not a folder")
    files = export_csv(data, out)
    console.print(f"Exported {_count_text(data)} to {len(files)} CSV files in {out}.")


def _count_text(data: dict[str, Any]) -> str:
    return describe_counts({kind: len(data.get(kind, [])) for kind in _KIND_WORDS})


# Each kind of record (the export file's keys) in words: one, and more than one.
_KIND_WORDS = {
    "sessions": ("session", "sessions"),
    "checkins": ("check-in", "check-ins"),
    "measurements": ("measurement", "measurements"),
    "psfs_activities": ("PSFS activity", "PSFS activities"),
    "questionnaire_results": ("questionnaire result", "questionnaire results"),
    "programme_events": ("programme event", "programme events"),
    "enrolments": ("enrolment", "enrolments"),
    "assessments": ("photo assessment", "photo assessments"),
}


def describe_counts(counts: Mapping[str, int]) -> str:
    """Counts of records in words, leaving out kinds with none: "1 session, 3 check-ins and
    2 measurements"; "no records" when there are none at all."""
    parts = []
    for kind, n in counts.items():
        if n:
            one, many = _KIND_WORDS.get(kind, (kind.replace("_", " "),) * 2)
            parts.append(f"{n} {one if n == 1 else many}")
    if not parts:
        return "no records"
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _records(n: int) -> str:
    return f"{n} record" if n == 1 else f"{n} records"


def run_import(coach: Coach, path: Path, replace: bool) -> None:
    from deskstretch.catalogue.toml_lines import MAX_NESTING, nesting_depth, read_text_file

    text = read_text_file(path, "JSON export")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DeskstretchError(
            f"{path}:{error.lineno}: not valid JSON ({error.msg}); expected a file made by "
            "`deskstretch export`"
        ) from None
    except RecursionError:
        data = None
    if data is None or nesting_depth(data) > MAX_NESTING:
        raise DeskstretchError(
            f"{path}: expected a file made by `deskstretch export` (lists and objects nested at"
            f" most {MAX_NESTING} deep)"
        )
    summary = coach.import_records(data, replace=replace)
    console = Console(highlight=False)
    console.print(f"Imported {describe_counts(summary.imported)} from {path}.")
    kept = sum(summary.kept_newer.values())
    if kept:
        records = "record" if kept == 1 else "records"
        copy = "an older copy" if kept == 1 else "older copies"
        console.print(
            f"Kept {kept} newer {records} already here ({describe_counts(summary.kept_newer)}):"
            f" the file has {copy}."
        )


def run_forget(coach: Coach, yes: bool) -> None:
    console = Console(highlight=False)
    counts = coach.record_counts()
    total = sum(counts.values())
    if not yes:
        if not sys.stdin.isatty():
            raise DeskstretchError("forget needs confirmation: run it in a terminal, or add --yes")
        console.print(
            Text(
                f"This deletes the {_records(total)} deskstretch keeps about you "
                f"({describe_counts(counts)}) from this computer. It cannot be undone. Your "
                "settings and safety answers are kept.\n"
                "Tip: `deskstretch export --out backup.json` first keeps a copy.",
                style="yellow",
            )
        )
        console.print('Type "forget" to confirm: ', end="")
        try:
            answer = input().strip().lower()
        except EOFError:
            answer = ""
        if answer != "forget":
            console.print("Nothing was deleted.")
            return
    coach.forget_everything()
    console.print(f"Deleted {_records(total)}. deskstretch starts afresh.")
