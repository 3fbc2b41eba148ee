"""Measure your forward bend from photos: the guided self-test with its figures, the upload (1 to
3 side-view photos, analysed on this computer and never sent anywhere), the result, a kept
annotated photo, and deleting every kept photo from Settings.

Limits: each photo up to ``PHOTO_MAX_BYTES`` (15 MB), checked here; the whole upload up to
``security.UPLOAD_BODY_BYTES["/assess"]`` (48 MB), checked by the security middleware, which
hands an upload over it to this route without its body: both come back as the form (413) with
the problem beside the file field. A bad file (not a photo, a video, corrupt) or photos that
cannot be measured (no person, several people) send the form back (422) with the message.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from deskstretch.coach import Coach
from deskstretch.core.body_angles import PhotoTest
from deskstretch.core.errors import DeskstretchError, SafetyStop
from deskstretch.web.assess_views import (
    MAX_PHOTOS,
    PHOTO_MAX_BYTES,
    AssessForm,
    RecentResults,
    photo_view,
    result_page,
)
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import FormReader, Problem
from deskstretch.web.rendering import Flash, redirect, render

if TYPE_CHECKING:
    from deskstretch.catalogue.guides import PhotoGuide, PhotoPosition, PhotoStep

router = APIRouter()
TESTS = {test.value: test for test in PhotoTest}
BENDING = "Does bending forward hurt today?"
PHOTOS = "Photos"
NOTE_MAX_CHARS = AssessForm.note_max_chars
_FILE_PARTS = 12  # more file parts than this is not a person's upload: refused unread
_ONE_AT_A_TIME = threading.Lock()  # the Coach's one pose model is not shared between threads
AssessmentId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
ResultToken = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


def recent_results(request: Request) -> RecentResults:
    """The app's results in memory (made on first use)."""
    state = request.app.state
    if not hasattr(state, "assess_results"):
        state.assess_results = RecentResults()
    results: RecentResults = state.assess_results
    return results


def _blocked(coach: Coach, test: PhotoTest = PhotoTest.CHAIR_SIT_AND_REACH) -> str:
    """Why the test is not offered (the routines' safety lock, osteoporosis), or ''."""
    from deskstretch.coach.measurements import MeasurementNotAdvised

    try:
        coach.assessments.check_allowed(test)
    except (SafetyStop, MeasurementNotAdvised) as refused:
        return refused.message
    return ""


@dataclass(frozen=True)
class GuideStep:
    """A step of the self-test, with the figures that show it (captions said in words)."""

    step: PhotoStep
    figures: tuple[tuple[Markup, str], ...] = ()


@dataclass(frozen=True)
class AssessPage:
    """The guide with its figures, and the upload form."""

    form: AssessForm
    guide: PhotoGuide
    steps: tuple[GuideStep, ...]
    positions: tuple[tuple[PhotoPosition, Markup], ...]


_STEP_FIGURES = (
    (
        "hip height",
        "setup_figure",
        "Seen from in front of you: the phone on a stand or a shelf 2 to 3 m to your side,"
        " upright, its lens level with your hip.",
    ),
    (
        "side-on",
        "side_view_figure",
        "Seen from above: the phone looks straight across at your hip, at a right angle to your"
        " straight leg. A phone ahead of you or behind you makes the angles come out wrong.",
    ),
    (
        "three photos",
        "median_figure",
        "Three photos of the same reach: the middle value (the median) is saved, so one odd photo"
        " cannot pull the result off.",
    ),
)
"""Which step each figure belongs to (a word of its title); one whose step is gone goes last."""


def _guide_steps(guide: PhotoGuide) -> tuple[GuideStep, ...]:
    from deskstretch.web import assess_figures

    figures: dict[int, list[tuple[Markup, str]]] = {}
    for words, name, caption in _STEP_FIGURES:
        at = next(
            (i for i, step in enumerate(guide.steps) if words in step.title.lower()),
            len(guide.steps) - 1,
        )
        drawing: Markup = getattr(assess_figures, name)()
        figures.setdefault(at, []).append((drawing, caption))
    return tuple(GuideStep(step, tuple(figures.get(i, ()))) for i, step in enumerate(guide.steps))


def _form_page(
    request: Request, coach: Coach, form: AssessForm, status_code: int = 200
) -> HTMLResponse:
    from deskstretch.catalogue.guides import PHOTO_GUIDE
    from deskstretch.web.assess_figures import photo_figure

    form = replace(
        form, unavailable=coach.assessments.unavailable_reason() or "", blocked=_blocked(coach)
    )
    page = AssessPage(
        form,
        PHOTO_GUIDE,
        _guide_steps(PHOTO_GUIDE),
        tuple((position, photo_figure(position.test)) for position in PHOTO_GUIDE.positions),
    )
    title = "Measure your forward bend" if status_code == 200 else "Photos not measured"
    return render(request, "assess.html", title=title, page=page, status_code=status_code)


@router.get("/assess", response_class=HTMLResponse)
def assess_form(request: Request, coach: CoachDep) -> HTMLResponse:
    return _form_page(request, coach, AssessForm())


def _sent_back(
    request: Request,
    coach: Coach,
    fields: dict[str, str],
    problems: list[Problem],
    status_code: int = 422,
    shown: AssessForm | None = None,
) -> HTMLResponse:
    from deskstretch.web.forms import Filled

    filled = Filled(MappingProxyType(fields), tuple(problems))
    photos = shown.photos if shown is not None else ()
    return _form_page(request, coach, AssessForm(filled, photos), status_code)


def _too_large(limit: int) -> str:
    return (
        f"the photos together are larger than {limit // 1_000_000} MB, so none was read: choose"
        f" up to {MAX_PHOTOS} photos of up to {PHOTO_MAX_BYTES // 1_000_000} MB each (a phone"
        " photo is usually 2 to 8 MB)"
    )


async def _read_upload(
    request: Request,
) -> tuple[dict[str, str], list[tuple[str, bytes]], str, int]:
    """The form's text fields, the photos as (name, bytes), and a problem with the photos ('' when
    none) and its status."""
    try:
        form = await request.form(max_files=_FILE_PARTS, max_fields=20, max_part_size=64_000)
    except HTTPException:
        problem = f"choose 1 to {MAX_PHOTOS} photos; the form as sent could not be read"
        return {}, [], problem, 422
    try:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        uploads = [
            item
            for item in form.getlist("photos")
            if isinstance(item, UploadFile) and (item.filename or item.size)
        ]
        if len(uploads) > MAX_PHOTOS:
            problem = f"choose at most {MAX_PHOTOS} photos (you chose {len(uploads)})"
            return fields, [], problem, 422
        photos: list[tuple[str, bytes]] = []
        for upload in uploads:
            name = PurePath((upload.filename or "photo").replace("\\", "/")).name or "photo"
            data = await upload.read(PHOTO_MAX_BYTES + 1)
            if len(data) > PHOTO_MAX_BYTES:
                limit = PHOTO_MAX_BYTES // 1_000_000
                problem = (
                    f"{name}: the photo is larger than {limit} MB; choose a smaller copy (a"
                    " phone photo is usually 2 to 8 MB)"
                )
                return fields, [], problem, 413
            photos.append((name, data))
    finally:
        await form.close()
    if not photos:
        return fields, [], f"choose 1 to {MAX_PHOTOS} side-view photos of your test", 422
    return fields, photos, "", 200


@router.post("/assess", response_model=None)
async def assess_photos(request: Request, coach: CoachDep) -> Response:
    """Measure the photos; the result is shown on its own page (a reload stores nothing twice)."""
    from deskstretch.coach.measurements import MeasurementNotAdvised

    too_large = getattr(request.state, "body_too_large", None)
    if too_large is not None:  # the middleware kept the body out: nothing may change here
        return _sent_back(
            request, coach, {}, [Problem("photos", PHOTOS, _too_large(too_large))], 413
        )
    if coach.assessments.unavailable_reason():
        return _form_page(request, coach, AssessForm(), 503)
    fields, photos, photo_problem, status = await _read_upload(request)
    reader = FormReader(fields, "/assess", "Photos not measured")
    test = reader.choice("test", "Which test", TESTS, expected="choose one of the two tests")
    hurts = reader.choice(
        "bending_hurts", BENDING, {"yes": True, "no": False}, expected="choose yes or no"
    )
    if test is not None:
        try:  # locked routines: no form to send back, the 403 page says why
            coach.assessments.check_allowed(test, bending_hurts=bool(hurts))
        except MeasurementNotAdvised as refused:
            field, label = ("bending_hurts", BENDING) if hurts else ("test", "Which test")
            reader.problem(field, label, refused.message)
    note = reader.text("note", "Note", NOTE_MAX_CHARS)
    keep = fields.get("keep") == "yes"
    if photo_problem:
        reader.problems.insert(0, Problem("photos", PHOTOS, photo_problem))
    if reader.problems or test is None:
        return _sent_back(request, coach, fields, reader.problems, status if photo_problem else 422)

    def measure() -> object:
        with _ONE_AT_A_TIME:
            return coach.assessments.assess(photos, test, keep_photo=keep, note=note)

    try:
        outcome = await run_in_threadpool(measure)
    except SafetyStop:
        raise
    except DeskstretchError as error:  # a bad file: the message names it and what was expected
        return _sent_back(request, coach, fields, [Problem("photos", PHOTOS, error.message)])
    from deskstretch.coach.assessments import AssessmentOutcome

    assert isinstance(outcome, AssessmentOutcome)
    if outcome.assessment is None:
        shown = AssessForm(photos=tuple(photo_view(i, r) for i, r in enumerate(outcome.photos, 1)))
        which = "the photo" if len(outcome.photos) == 1 else "none of the photos"
        message = (
            f"{which} could {'not ' if len(outcome.photos) == 1 else ''}be measured, so nothing"
            " was saved: see what each showed below, fix that and try again"
        )
        return _sent_back(request, coach, fields, [Problem("photos", PHOTOS, message)], 422, shown)
    token = recent_results(request).put(outcome)
    return RedirectResponse(f"/assess/result/{token}", status_code=303)


@router.get("/assess/result/{token}", response_class=HTMLResponse)
def assess_result(request: Request, token: ResultToken) -> HTMLResponse:
    """A result just measured (kept in memory for 15 minutes; the measurement itself is saved)."""
    outcome = recent_results(request).get(token)
    page = result_page(token, outcome) if outcome is not None else None
    if page is None:
        return render(request, "assess_gone.html", title="Result no longer shown", status_code=404)
    return render(request, "assess_result.html", title="Your forward bend", page=page)


@router.get("/assess/photo/{assessment_id}")
def kept_photo(coach: CoachDep, assessment_id: AssessmentId) -> Response:
    """A kept annotated photo (only ever this computer's own), never cached."""
    data = coach.assessments.kept_photo(assessment_id)
    if data is None:
        from deskstretch.core.errors import NotFoundError

        raise NotFoundError("kept photo", assessment_id)
    return Response(data, media_type="image/jpeg", headers={"cache-control": "no-store"})


# -- Settings: delete every kept photo --------------------------------------------------------


@router.get("/settings/photos/delete", response_class=HTMLResponse)
def delete_photos_page(request: Request, coach: CoachDep) -> HTMLResponse:
    count = coach.assessments.kept_photo_count()
    return render(request, "photos_delete.html", title="Delete kept photos", page=count)


@router.post("/settings/photos/delete")
def delete_photos(request: Request, coach: CoachDep) -> RedirectResponse:
    deleted = coach.assessments.delete_photos()
    recent_results(request).clear()  # the results in memory hold photos too
    words = "1 kept photo" if deleted == 1 else f"{deleted} kept photos"
    said = f"Deleted {words}. Your measurements stay in Progress."
    return redirect(
        request, "/settings#photos", Flash(said if deleted else "There were no kept photos.")
    )
