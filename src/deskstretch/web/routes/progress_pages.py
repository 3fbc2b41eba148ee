"""Progress (charts, tables, flexibility-test entry), the clinician report and data export."""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from deskstretch.coach import Coach
from deskstretch.coach.progress import NPRS_RULE, ProgressSummary
from deskstretch.core.errors import SafetyStop
from deskstretch.core.records import MEASUREMENT_RANGES_CM, NOTE_MAX_CHARS, MeasurementKind
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import NOT_FILLED, Filled, Form, FormReader
from deskstretch.web.rendering import Flash, redirect, render
from deskstretch.web.security import content_security_policy, style_hash
from deskstretch.web.svg_charts import days_chart, hamstring_chart, pain_chart

if TYPE_CHECKING:
    from deskstretch.catalogue.guides import Guide
    from deskstretch.web.assess_views import BendSeries

router = APIRouter()
BENDING = "Does bending forward hurt today?"
LEGS = {"left": "left", "right": "right"}
YES_NO = {"yes": True, "no": False}
TESTS = {
    "sit-and-reach": MeasurementKind.CHAIR_SIT_AND_REACH,
    "toe-touch": MeasurementKind.FINGERTIP_TO_FLOOR,
}
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@dataclass(frozen=True)
class MeasurementForm:
    slug: str
    guide: Guide


@dataclass(frozen=True)
class ProgressPage:
    summary: ProgressSummary
    pain_chart: Markup
    days_chart: Markup
    hamstring_chart: Markup
    tests: tuple[MeasurementForm, ...]
    cautions: tuple[str, ...]
    tests_blocked: str
    """Why the flexibility tests are not offered, or '' when they are."""
    nprs_rule: str = NPRS_RULE
    sent: str = ""
    """The test whose form came back with a problem ('' when none did)."""
    filled: Filled = NOT_FILLED
    note_max_chars: int = NOTE_MAX_CHARS
    bend: tuple[BendSeries, ...] = ()
    """The forward-bend angle from photos, per test (web/assess_views.py)."""

    @property
    def ranges(self) -> dict[str, tuple[float, float]]:
        """Each test's plausible results in cm (low, high), as the Coach checks them."""
        return {slug: MEASUREMENT_RANGES_CM[kind] for slug, kind in TESTS.items()}

    def form_of(self, slug: str) -> Filled:
        """The form of test ``slug`` as typed, when it is the one sent back."""
        return self.filled if slug == self.sent else NOT_FILLED


def _tests_blocked(coach: Coach) -> str:
    from deskstretch.coach.measurements import MeasurementNotAdvised

    try:  # both tests bend forward, so one check answers for both
        _check_safety(coach, MeasurementKind.CHAIR_SIT_AND_REACH)
    except (SafetyStop, MeasurementNotAdvised) as error:
        return error.message
    return ""


def _check_safety(coach: Coach, kind: MeasurementKind) -> None:
    """Flexibility tests follow the routines' safety lock and the §3.4 forward-bending rule."""
    from deskstretch.coach.measurements import check_test_allowed

    if not coach.verdict().routines_allowed:
        raise SafetyStop(
            "Flexibility tests are paused, like routines, until the safety questions allow"
            " routines again."
        )
    check_test_allowed(kind, coach.active_tags())


def _progress_page(coach: Coach, sent: str = "", filled: Filled = NOT_FILLED) -> ProgressPage:
    # The test instructions live with the terminal's guided tests; one copy of that text.
    from deskstretch.catalogue.guides import CAUTIONS, GUIDE_BY_KIND
    from deskstretch.web.assess_views import bend_progress

    summary = coach.progress_summary()
    return ProgressPage(
        summary,
        pain_chart(summary.pain),
        days_chart(summary.weeks, summary.goal_days),
        hamstring_chart(summary.minutes, summary.hamstring_target),
        tuple(MeasurementForm(slug, GUIDE_BY_KIND[kind]) for slug, kind in TESTS.items()),
        CAUTIONS,
        _tests_blocked(coach),
        sent=sent,
        filled=filled,
        bend=bend_progress(coach),
    )


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, coach: CoachDep) -> HTMLResponse:
    return render(request, "progress.html", title="Progress", page=_progress_page(coach))


@router.get("/progress/measurements")
def measurements_page() -> RedirectResponse:
    """Progress sent back with a problem has this address: reloading it goes to Progress."""
    return RedirectResponse("/progress#tests", status_code=303)


@router.post("/progress/measurements", response_model=None)
def add_measurement(request: Request, coach: CoachDep, form: Form) -> Response:
    """Save a test result; a problem sends Progress back (422) with the problem beside its field
    in that test's form, and everything typed kept."""
    from deskstretch.coach.measurements import (
        MeasurementError,
        MeasurementNotAdvised,
        check_test_allowed,
    )

    reader = FormReader(form, "/progress#tests", "Result not saved")
    kind = reader.choice("test", "Test", TESTS, expected="choose one of the tests on this page")
    if kind is not None:
        _check_safety(coach, kind)  # locked: no form to send back, the 403 page says why
    within = MEASUREMENT_RANGES_CM[kind] if kind is not None else None
    cm = reader.decimal("cm", "Your best result", within=within, unit="cm")
    leg = None
    if kind is MeasurementKind.CHAIR_SIT_AND_REACH:
        leg = reader.choice(
            "leg", "Which leg was straight", LEGS, expected="choose the left or the right leg"
        )
    hurts = reader.choice("bending_hurts", BENDING, YES_NO, expected="choose yes or no")
    note = reader.text("note", "Note", NOTE_MAX_CHARS)
    if kind is not None and hurts:
        try:
            check_test_allowed(kind, (), bending_hurts=True)
        except MeasurementNotAdvised as refused:
            reader.problem("bending_hurts", BENDING, refused.message)
    result = None
    if kind is not None and cm is not None and not reader.problems:
        try:
            result = coach.record_measurement(kind, cm, leg, note)
        except MeasurementError as error:  # the Coach's own checks, should the page's miss one
            reader.problem("cm", "Your best result", error.message)
    if result is None:
        sent = next((slug for slug, test in TESTS.items() if test is kind), "")
        page = _progress_page(coach, sent, reader.filled())
        return render(
            request, "progress.html", title="Result not saved", page=page, status_code=422
        )
    flashes = [Flash(f"Saved: {result.measurement.value_cm:g} cm.")]
    flashes += [Flash(sentence) for sentence in result.sentences]
    return redirect(request, "/progress#flexibility", *flashes)


@router.get("/report", response_class=HTMLResponse)
def report(coach: CoachDep) -> HTMLResponse:
    """The printable clinician report. Its one inline <style> is allowed by hash, nothing else."""
    from deskstretch.exports.report import render_report

    html = render_report(coach.progress_summary(), datetime.now().astimezone(), nav_links=True)
    hashes = [style_hash(css) for css in _STYLE.findall(html)]
    return HTMLResponse(html, headers={"content-security-policy": content_security_policy(hashes)})


def _stamp() -> str:
    return datetime.now(UTC).astimezone().strftime("%Y-%m-%d")


@router.get("/export.json")
def export_json(coach: CoachDep) -> Response:
    text = json.dumps(coach.export_all(), indent=2, ensure_ascii=False) + "\n"
    name = f"deskstretch-export-{_stamp()}.json"
    return Response(
        text.encode("utf-8"),
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/export.csv")
def export_csv(coach: CoachDep) -> Response:
    """One CSV per kind of record (as `deskstretch export --format csv`), zipped."""
    from deskstretch.exports.csv_files import export_csv as write_csv_files

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="deskstretch-export-") as folder:
        files = write_csv_files(coach.export_all(), Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, arcname=path.name)
    name = f"deskstretch-export-{_stamp()}-csv.zip"
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
