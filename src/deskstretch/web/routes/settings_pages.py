"""Settings: the default routine, spoken cues and the bell (config.toml), and the break reminders
(reminders.toml), each its own form, shown and saved.

Thin over the Coach: the form is read field by field, saved atomically, and the Coach forgets the
preferences it kept so every front end reads the new file. The reminder form comes back (422) with
each mistake beside its field and every value kept; saved, it starts or stops the service.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from deskstretch.coach import Coach
from deskstretch.config import Preferences, load_preferences, save_preferences
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.models import Routine
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form, FormReader
from deskstretch.web.reminder_views import ReminderForm, reminder_form, save_reminder_form
from deskstretch.web.rendering import Flash, redirect, render

router = APIRouter()


@dataclass(frozen=True)
class SettingsPage:
    preferences: Preferences
    routines: tuple[Routine, ...]
    config_file: str
    problem: str
    reminders: ReminderForm
    kept_photos: int = 0
    """Annotated photos kept on request (photo assessments), deleted from Settings."""


def _settings_page(coach: Coach, reminders: ReminderForm | None = None) -> SettingsPage:
    problem = ""
    try:
        preferences = load_preferences(coach.settings)
    except DeskstretchError as error:
        preferences, problem = Preferences(), error.message
    return SettingsPage(
        preferences,
        tuple(coach.routines()),
        str(coach.settings.config_file),
        problem,
        reminders or reminder_form(coach),
        coach.assessments.kept_photo_count(),
    )


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, coach: CoachDep) -> HTMLResponse:
    return render(request, "settings.html", title="Settings", page=_settings_page(coach))


@router.post("/settings")
def save_settings(request: Request, coach: CoachDep, form: Form) -> RedirectResponse:
    reader = FormReader(form, "/settings", "Settings not saved")
    routine = reader.choice(
        "default_routine", "Default routine", {r.id: r.id for r in coach.routines()}
    )
    voice = reader.choice("voice", "Spoken cues", {"on": True, "off": False})
    bell = reader.choice("bell", "Bell", {"on": True, "off": False})
    reader.check()
    assert routine is not None and voice is not None and bell is not None
    try:
        current = load_preferences(coach.settings)
    except DeskstretchError:
        current = Preferences()  # the form replaces a broken file with good values
    save_preferences(
        coach.settings, replace(current, default_routine=routine, voice=voice, bell=bell)
    )
    # The Coach caches preferences; forget them so every front end reads the new file.
    with contextlib.suppress(AttributeError):
        del coach.preferences
    return redirect(request, "/settings", Flash("Settings saved."))


@router.get("/settings/reminders")
def reminders_page() -> RedirectResponse:
    """Settings sent back with a mistake has this address: opening it again goes to Settings."""
    return RedirectResponse("/settings#reminders", status_code=303)


@router.post("/settings/reminders", response_model=None)
def save_reminders(request: Request, coach: CoachDep, form: Form) -> Response:
    """Save the reminder form; mistakes send Settings back (422) with the values as typed."""
    saved = save_reminder_form(coach, form)
    if isinstance(saved, ReminderForm):
        page = _settings_page(coach, saved)
        title = "Reminder settings not saved"
        return render(request, "settings.html", title=title, page=page, status_code=422)
    return redirect(request, "/settings", *saved)
