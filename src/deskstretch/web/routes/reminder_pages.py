"""The buttons of Today's Breaks card and of the offer (Today and Your plan): turn the break
reminders on or not now, pause, resume, and start the service. Each answers with a redirect back
(``next``, a path on this site) and a flash saying what happened.

The Settings form that sets the reminders up is saved by routes/settings_pages.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse

from deskstretch.coach.breaks import PAUSES
from deskstretch.core.errors import DeskstretchError
from deskstretch.web.deps import CoachDep
from deskstretch.web.forms import Form, FormReader, local_path
from deskstretch.web.reminder_views import next_break_sentence, switched_on
from deskstretch.web.rendering import Flash, redirect

router = APIRouter()
SETTINGS = "/settings#reminders"


@router.post("/reminders/switch")
def switch_reminders(request: Request, coach: CoachDep, form: Form) -> RedirectResponse:
    """The offer's "Turn on" (the service starts too) and "Not now" (the question is not asked
    again; Settings turns them on later)."""
    back = local_path(form.get("next", "/"))
    reader = FormReader(form, back, "Reminders not changed")
    on = reader.choice("choice", "Break reminders", {"on": True, "off": False})
    reader.check()
    assert on is not None
    try:
        coach.reminders.switch(on)
    except DeskstretchError as error:
        return redirect(
            request, back, Flash(error.message, "warning", SETTINGS, "Open the reminder settings")
        )
    if on:
        return redirect(request, back, *switched_on(coach))
    done = Flash(
        "No break reminders for now. You can turn them on in Settings whenever you like.",
        href=SETTINGS,
        link="Reminder settings",
    )
    return redirect(request, back, done)


@router.post("/reminders/pause")
def pause_reminders(request: Request, coach: CoachDep, form: Form) -> RedirectResponse:
    """Pause for an hour or until the next working day (the same as `deskstretch remind pause`)."""
    back = local_path(form.get("next", "/"))
    reader = FormReader(form, back, "Reminders not paused")
    length = reader.choice("length", "Pause", {key: key for key in PAUSES})
    reader.check()
    assert length is not None
    tz = coach.local_tz()
    now = datetime.now(UTC)
    until = coach.reminders.pause(length, now, tz).astimezone(tz)
    when = f"{until:%H:%M}" if until.date() == now.astimezone(tz).date() else f"{until:%A %H:%M}"
    return redirect(request, back, Flash(f"Reminders paused until {when}."))


@router.post("/reminders/resume")
def resume_reminders(request: Request, coach: CoachDep, form: Form) -> RedirectResponse:
    back = local_path(form.get("next", "/"))
    now = datetime.now(UTC)
    if not coach.reminders.resume(now):
        return redirect(request, back, Flash("Reminders were not paused: nothing to resume."))
    outlook = coach.reminders.outlook(now, coach.local_tz())
    return redirect(request, back, Flash(f"Reminders resumed: {next_break_sentence(outlook)}."))


@router.post("/reminders/start")
def start_reminders(request: Request, coach: CoachDep, form: Form) -> RedirectResponse:
    """Start the reminder service now (when the reminders are on and none runs)."""
    back = local_path(form.get("next", "/"))
    reminders = coach.reminders
    if reminders.setup().state != "on":
        turn_on = Flash("Reminders are not on.", "warning", SETTINGS, "Turn them on in Settings")
        return redirect(request, back, turn_on)
    if reminders.service_pid() is not None:
        return redirect(request, back, Flash("The reminder service is already running."))
    try:
        reminders.start_service()
    except OSError as error:
        problem = Flash(f"The reminder service did not start: {error}", "warning")
        return redirect(request, back, problem)
    return redirect(request, back, Flash("Reminder service started."))
