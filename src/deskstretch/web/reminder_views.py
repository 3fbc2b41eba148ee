"""The break reminders in the browser: the Settings form (values as typed, problems beside their
fields), Today's Breaks card, and the offer to turn reminders on (Today and Your plan).

Built from the Coach's ``reminders`` (coach/breaks.py); the routes that save and act on them live
in routes/settings_pages.py and routes/reminder_pages.py.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Literal

from deskstretch.coach import Coach
from deskstretch.coach.break_form import ReminderFields, ReminderFormError, policy_from_fields
from deskstretch.coach.breaks import BreakOutlook, ReminderState, offer_sentence
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.reminder_policy import DAYS
from deskstretch.core.schedule import Policy
from deskstretch.web.forms import Filled, Problem
from deskstretch.web.rendering import Flash

DAY_LABELS: tuple[tuple[str, str], ...] = tuple((f"hours_{day}", day.capitalize()) for day in DAYS)
LABELS: Mapping[str, str] = MappingProxyType(
    {
        "enabled": "Break reminders",
        **dict(DAY_LABELS),
        "micro_every": "Micro-break every",
        "stretch_every": "Stretch break every",
        "daily_cap": "Reminders a day, at most",
        "start_in": "Start opens the routine in",
    }
)
ON_OFF = ("on", "off")
AUTOSTART_MAX_AGE_SECONDS = 30.0
"""Settings asks whether "start with my computer" is set up at most this often (it runs systemctl);
saving the form asks afresh."""

# -- the Settings form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderForm:
    """The Reminders section of Settings: the form (as saved or as typed) and what surrounds it."""

    form: Filled
    state: ReminderState
    problem: str
    """The settings file's mistake (``file:line: ...``): the reminders use the defaults."""
    path: str
    autostart_installed: bool
    autostart_detail: str

    @property
    def days(self) -> tuple[tuple[str, str], ...]:
        return DAY_LABELS


def form_values(fields: ReminderFields, autostart: bool) -> dict[str, str]:
    """The form's fields as the browser sends them (a checkbox: "on", or left out)."""
    values = {
        "enabled": "on" if fields.enabled else "off",
        "micro_every": fields.micro_every,
        "stretch_every": fields.stretch_every,
        "daily_cap": fields.daily_cap,
        "start_in": fields.start_in,
    }
    values |= {f"hours_{day}": fields.hours.get(day, "") for day in DAYS}
    checked = {"micro_enabled": fields.micro_enabled, "stretch_enabled": fields.stretch_enabled}
    checked["autostart"] = autostart
    values |= {name: "on" for name, on in checked.items() if on}
    return values


def fields_from_form(form: Mapping[str, str]) -> ReminderFields:
    """The submitted form as ReminderFields (every value kept as typed; checked in the Coach)."""
    return ReminderFields(
        enabled=form.get("enabled") == "on",
        hours={day: form.get(f"hours_{day}", "") for day in DAYS},
        micro_enabled=form.get("micro_enabled") == "on",
        micro_every=form.get("micro_every", ""),
        stretch_enabled=form.get("stretch_enabled") == "on",
        stretch_every=form.get("stretch_every", ""),
        daily_cap=form.get("daily_cap", ""),
        start_in=form.get("start_in", ""),
    )


def reminder_form(
    coach: Coach,
    typed: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> ReminderForm:
    """The section as saved, or (``typed`` and ``errors``) as sent back with its mistakes."""
    reminders = coach.reminders
    setup = reminders.setup()
    installed, detail = autostart_status(coach)
    if typed is None:
        values: Mapping[str, str] = form_values(reminders.fields(), installed)
    else:
        values = {name: value for name, value in typed.items() if name != "csrf_token"}
    problems = tuple(
        Problem(name, LABELS.get(name, name), message)
        for name, message in sorted((errors or {}).items(), key=lambda item: _order(item[0]))
    )
    return ReminderForm(
        Filled(MappingProxyType(dict(values)), problems),
        setup.state,
        setup.problem or "",
        str(setup.path),
        installed,
        detail,
    )


def save_reminder_form(coach: Coach, form: Mapping[str, str]) -> ReminderForm | tuple[Flash, ...]:
    """Save the form and start or stop the service to match: what to flash. With any mistake,
    nothing is written and the section comes back with each one beside its field."""
    fields = fields_from_form(form)
    errors: dict[str, str] = {}
    if form.get("enabled") not in ON_OFF:
        errors["enabled"] = "Choose on or off."
    try:
        if errors:
            policy_from_fields(fields, Policy())  # only to name the other mistakes too
        else:
            coach.reminders.save(fields)
    except ReminderFormError as error:
        errors = {**error.errors, **errors}
    if errors:
        return reminder_form(coach, form, errors)
    if not fields.enabled:
        return switched_off(coach)
    return switched_on(coach, autostart=form.get("autostart") == "on")


def switched_on(coach: Coach, *, autostart: bool | None = None) -> tuple[Flash, ...]:
    """After the reminders were turned on: "start with my computer" as asked (``None``: leave it
    as it is), the service started when none runs, and the next break said."""
    reminders = coach.reminders
    flashes: list[Flash] = []
    installed, _detail = autostart_status(coach, max_age_seconds=0)
    started_by_autostart = False
    if autostart is not None and autostart != installed:
        try:
            flashes.append(Flash(reminders.set_autostart(autostart)))
            started_by_autostart = autostart  # installing starts the service too
            if not autostart:
                _wait_for_stop(coach)  # removing it stopped the autostarted service
        except (DeskstretchError, OSError) as error:
            flashes.append(Flash(_problem_text("Start with my computer", error), "warning"))
    if not started_by_autostart and reminders.service_pid() is None:
        try:
            reminders.start_service()
        except OSError as error:
            flashes.append(Flash(_problem_text("The reminder service", error), "warning"))
    outlook = reminders.outlook(datetime.now(UTC), coach.local_tz())
    said = f"Reminders on: {next_break_sentence(outlook)}."
    if outlook.safety_blocked:
        return (Flash(said, "warning", "/safety", "Go to the safety questions"), *flashes)
    return (Flash(said), *flashes)


def switched_off(coach: Coach) -> tuple[Flash, ...]:
    """After the reminders were turned off: the service stopped, and autostart removed."""
    reminders = coach.reminders
    flashes = [Flash("Reminders off.")]
    reminders.stop_service()
    installed, _detail = autostart_status(coach, max_age_seconds=0)
    if installed:
        try:
            flashes.append(Flash(reminders.set_autostart(False)))
        except (DeskstretchError, OSError) as error:
            flashes.append(Flash(_problem_text("Start with my computer", error), "warning"))
    return tuple(flashes)


def _wait_for_stop(coach: Coach, seconds: float = 3.0) -> None:
    """Until the stopping service has let go of its lock (it stops within a second or two)."""
    deadline = time.monotonic() + seconds
    while coach.reminders.service_pid() is not None and time.monotonic() < deadline:
        time.sleep(0.05)


def _problem_text(what: str, error: Exception) -> str:
    reason = error.message if isinstance(error, DeskstretchError) else str(error)
    return f"{what}: {reason}"


def autostart_status(
    coach: Coach, max_age_seconds: float = AUTOSTART_MAX_AGE_SECONDS
) -> tuple[bool, str]:
    """(installed, a sentence), never an error page: a machine that cannot tell says so."""
    try:
        status = coach.reminders.autostart(max_age_seconds=max_age_seconds)
    except (DeskstretchError, OSError) as error:
        return False, f"Cannot tell whether reminders start with your computer: {error}"
    return status.installed, status.detail


def _order(name: str) -> int:
    """Problems in the order of the fields on the page."""
    names = list(LABELS)
    return names.index(name) if name in names else len(names)


# -- Today's Breaks card and the offer -------------------------------------------------------------


@dataclass(frozen=True)
class BreaksCard:
    """What Today (and Your plan) say about the break reminders."""

    kind: Literal["offer", "off", "on", "problem"]
    offer: str
    """What the reminders would do, in a sentence (for the offer)."""
    outlook: BreakOutlook | None = None
    problem: str = ""
    """The settings file's mistake (``file:line: ...``), when it has one."""


def breaks_card(coach: Coach, now: datetime | None = None) -> BreaksCard:
    """The card for the person's reminders now; the service's files are read only when they are
    on (the offer and the quiet "off" line need the settings file alone)."""
    reminders = coach.reminders
    setup = reminders.setup()
    offer = offer_sentence(setup.policy)
    if setup.problem is not None:
        return BreaksCard("problem", offer, problem=setup.problem)
    if setup.state == "unset":
        return BreaksCard("offer", offer)
    if setup.state == "off":
        return BreaksCard("off", offer)
    outlook = reminders.outlook(now or datetime.now(UTC), coach.local_tz())
    return BreaksCard("on", offer, outlook)


def next_break_sentence(outlook: BreakOutlook) -> str:
    """ "the next break is a stretch break in 23 minutes" for a flash, or the headline and why."""
    headline = outlook.headline
    if headline.startswith(("Stretch break ", "Micro-break ")):
        return f"the next break is a {headline[:1].lower()}{headline[1:]}"
    return f"{headline[:1].lower()}{headline[1:]}" + (f". {outlook.why}" if outlook.why else "")
