"""Import a routine file (checked by the loader, saved in the documented format) and delete one
of the person's own routines (after a confirmation page). Built-in routines are never replaced.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi import APIRouter
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from deskstretch.catalogue.loader import load_routine_text
from deskstretch.catalogue.schema import SLUG
from deskstretch.catalogue.user_routines import RoutineIdTaken, save_target
from deskstretch.coach import Coach
from deskstretch.config import load_preferences
from deskstretch.core.errors import DeskstretchError, FileFormatError, NotFoundError
from deskstretch.core.models import Routine
from deskstretch.web.builder_form import copy_id, is_unused_id, slug
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form
from deskstretch.web.play_lock import play_lock
from deskstretch.web.rendering import Flash, redirect, render

router = APIRouter()
MAX_UPLOAD_BYTES = 64 * 1024


# -- import ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPage:
    problem: str = ""
    clash: RoutineIdTaken | None = None
    routine: Routine | None = None
    text_b64: str = ""
    filename: str = ""
    new_id: str = ""
    new_id_problem: str = ""
    own_ids: frozenset[str] = frozenset()
    """The person's own routines (one of these may be replaced; a built-in never)."""
    max_kb: int = MAX_UPLOAD_BYTES // 1024


def _import_page(request: Request, page: ImportPage, status_code: int = 200) -> HTMLResponse:
    return render(
        request, "routine_import.html", title="Import a routine", page=page, status_code=status_code
    )


@router.get("/routines/import", response_class=HTMLResponse)
def import_form(request: Request) -> HTMLResponse:
    return _import_page(request, ImportPage())


@dataclass(frozen=True)
class Upload:
    """The import form as sent: the file's text and name, the other fields, or what is wrong."""

    text: str
    name: str
    fields: dict[str, str]
    problem: str = ""
    status: int = 400


async def _upload(request: Request) -> Upload:
    # A file part is spooled whatever its size (the security middleware caps the whole body at
    # 1 MB); the re-sent text of a clash page is a plain field, limited here.
    form = await request.form(max_files=1, max_fields=20, max_part_size=MAX_UPLOAD_BYTES * 2)
    try:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            name = Path(upload.filename.replace("\\", "/")).name or "routine.toml"
            data = await upload.read(MAX_UPLOAD_BYTES + 1)
        elif fields.get("toml_b64"):
            name = Path(fields.get("filename", "")).name or "routine.toml"
            try:
                data = base64.b64decode(fields["toml_b64"], validate=True)
            except (binascii.Error, ValueError):
                return Upload("", name, fields, "the form was damaged; choose the file again")
        else:
            return Upload("", "", fields, "choose a routine file (.toml) to import")
    finally:
        await form.close()
    if len(data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // 1024
        problem = f"{name}: the file is larger than {limit} KB; a routine file is far smaller"
        return Upload("", name, fields, problem, 413)
    try:
        return Upload(data.decode("utf-8-sig"), name, fields)
    except UnicodeDecodeError:
        return Upload("", name, fields, f"{name}: expected UTF-8 text (a .toml routine file)")


@router.post("/routines/import")
async def import_routine(request: Request, coach: CoachDep) -> Response:
    upload = await _upload(request)
    if upload.problem:
        return _import_page(request, ImportPage(upload.problem), upload.status)
    try:
        loaded = load_routine_text(upload.text, Path(upload.name), coach.catalogue, "upload")
    except FileFormatError as error:
        return _import_page(request, ImportPage(error.message), 400)
    return _import_choice(request, coach, loaded.routine, upload)


def _import_choice(request: Request, coach: Coach, routine: Routine, upload: Upload) -> Response:
    """Save the imported routine, or ask for another id (or to replace the person's own)."""
    choice = upload.fields.get("choice", "")
    new_id = upload.fields.get("new_id", "").strip()
    encoded = base64.b64encode(upload.text.encode("utf-8")).decode("ascii")
    own = frozenset(r.id for r in coach.routines() if r.origin != "built-in")
    ask = ImportPage(
        clash=_clash(coach, routine),
        routine=routine,
        text_b64=encoded,
        filename=upload.name,
        new_id=new_id or _free_id(coach, routine),
        own_ids=own,
    )
    if choice == "rename":
        if not re.match(SLUG, new_id):
            problem = (
                "Use only lowercase letters, digits and dashes, like my-routine"
                f" (you typed '{new_id[:40]}')."
            )
            return _import_page(request, replace(ask, new_id_problem=problem), 400)
        routine = replace(routine, id=new_id)
    elif ask.clash is not None and (choice != "replace" or not re.match(SLUG, routine.id)):
        return _import_page(request, ask, 409)
    replacing = routine.id if choice == "replace" else None
    try:
        path = coach.save_routine(routine, replacing)
    except RoutineIdTaken as taken:
        if choice == "rename":
            return _import_page(request, replace(ask, new_id_problem=taken.message), 409)
        return _import_page(request, replace(ask, clash=taken), 409)
    verb = "Replaced your routine with" if replacing else "Imported"
    play = (f"/play/{routine.id}", "Play it") if play_lock(coach) is None else ("", "")
    flash = Flash(f"{verb} '{routine.name}' ({path.name}).", "info", *play)
    return redirect(request, f"/routines#routine-{routine.id}", flash)


def _clash(coach: Coach, routine: Routine) -> RoutineIdTaken | None:
    """Why the routine cannot be saved under its own id, or None."""
    if not re.match(SLUG, routine.id):
        message = f"'{routine.id}' (from the file name) cannot be an id"
        return RoutineIdTaken(routine.id, message, built_in=False)
    try:
        save_target(coach.routine_set, coach.settings.routines_dir, routine.id)
    except RoutineIdTaken as taken:
        return taken
    return None


def _free_id(coach: Coach, routine: Routine) -> str:
    base = slug(routine.id) or slug(routine.name) or "my-routine"
    return base if is_unused_id(coach, base) else copy_id(coach, base)


# -- delete ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletePage:
    routine: Routine
    file_path: str
    is_default: bool


def _own(coach: Coach, routine_id: str) -> Routine:
    routine = coach.routine_set.routines.get(routine_id)
    if routine is None:
        raise NotFoundError("routine", routine_id)
    if routine.origin == "built-in":
        raise DeskstretchError(f"'{routine.name}' is a built-in routine; it cannot be deleted.")
    return routine


@router.get("/routines/{routine_id}/delete", response_class=HTMLResponse)
def confirm_delete(request: Request, coach: CoachDep, routine_id: str) -> HTMLResponse:
    routine = _own(coach, routine_id)
    try:
        is_default = load_preferences(coach.settings).default_routine == routine_id
    except DeskstretchError:
        is_default = False  # a broken settings file: the Settings page says so
    page = DeletePage(routine, routine.origin, is_default)
    return render(request, "routine_delete.html", title=f"Delete {routine.name}?", page=page)


@router.post("/routines/{routine_id}/delete")
def delete_routine(request: Request, coach: CoachDep, form: Form, routine_id: str) -> Response:
    routine = _own(coach, routine_id)
    path = coach.delete_routine(routine_id)
    flash = Flash(f"Deleted '{routine.name}' ({path.name}).")
    return redirect(request, "/routines", flash)
