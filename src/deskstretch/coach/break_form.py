"""The Settings form's reminder fields: read as typed, checked field by field in plain words,
then by the same rules as ``reminders.toml`` (core/reminder_policy.py), into a Policy.

Nothing here writes; ``coach/breaks.py`` saves what this accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from deskstretch.core.errors import DeskstretchError, FileFormatError
from deskstretch.core.reminder_policy import DAYS, day_periods, parse_policy
from deskstretch.core.schedule import Policy

FORM_WHERE = "reminder settings"
# Form field -> (low, high) for the whole numbers, with the words a person reads.
NUMBER_FIELDS: Mapping[str, tuple[int, int, str]] = {
    "micro_every": (5, 480, "minutes"),
    "stretch_every": (5, 480, "minutes"),
    "daily_cap": (1, 100, "reminders"),
}


@dataclass(frozen=True)
class ReminderFields:
    """The Settings form's reminder fields as typed (text), so a mistake keeps every value."""

    enabled: bool
    hours: Mapping[str, str]
    """``monday`` ... ``sunday`` -> ``"09:00-17:30"``, ``"09:00-12:30, 13:30-17:30"``, ``"off"``."""
    micro_enabled: bool
    micro_every: str
    stretch_enabled: bool
    stretch_every: str
    daily_cap: str
    start_in: str

    @classmethod
    def from_policy(cls, policy: Policy, enabled: bool) -> ReminderFields:
        return cls(
            enabled=enabled,
            hours={
                day: ", ".join(str(p) for p in policy.working_hours.get(index, ())) or "off"
                for index, day in enumerate(DAYS)
            },
            micro_enabled=policy.micro_enabled,
            micro_every=str(policy.micro_interval_minutes),
            stretch_enabled=policy.stretch_enabled,
            stretch_every=str(policy.stretch_interval_minutes),
            daily_cap=str(policy.daily_cap),
            start_in=policy.start_action,
        )


class ReminderFormError(DeskstretchError):
    """Mistakes in the form: ``errors`` maps each field to a plain sentence."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("The reminder settings were not saved: " + " ".join(errors.values()))
        self.errors = dict(errors)


def policy_from_fields(fields: ReminderFields, base: Policy) -> Policy:
    """The policy the form describes (the settings it does not show are kept from ``base``);
    ReminderFormError with a plain sentence per field when something is wrong."""
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for name, (low, high, unit) in NUMBER_FIELDS.items():
        text = str(getattr(fields, name)).strip()
        # isascii: "²" and other digits int() refuses are mistakes, not a crash.
        value = int(text) if text.isascii() and text.lstrip("-").isdigit() else None
        if value is None or not low <= value <= high:
            errors[name] = f"Enter a whole number of {unit} from {low} to {high}."
        else:
            numbers[name] = value
    hours: dict[str, str] = {}
    for day in DAYS:
        text = fields.hours.get(day, "").strip()
        try:
            day_periods(text, f"working_hours.{day}", FORM_WHERE)
        except FileFormatError as error:
            errors[f"hours_{day}"] = _plain_hours(error.expected)
        hours[day] = text
    if fields.start_in not in ("browser", "terminal"):
        errors["start_in"] = "Choose the browser or a terminal."
    if errors:
        # The intervals against each other too, so that every mistake is named at once.
        micro, stretch = numbers.get("micro_every"), numbers.get("stretch_every")
        both = fields.micro_enabled and fields.stretch_enabled
        if both and micro is not None and stretch is not None and stretch <= micro:
            errors["stretch_every"] = _plain_rule_longer(micro)
        raise ReminderFormError(errors)
    data = {
        "enabled": fields.enabled,
        "start_in": fields.start_in,
        "daily_cap": numbers["daily_cap"],
        "natural_break_minutes": base.natural_break_minutes,
        "snooze_minutes": list(base.snooze_minutes),
        "default_snooze_minutes": base.default_snooze_minutes,
        "retry_minutes": base.retry_minutes,
        "working_hours": hours,
        "micro": {
            "enabled": fields.micro_enabled,
            "every_minutes": numbers["micro_every"],
            "seconds": base.micro_seconds,
        },
        "stretch": {
            "enabled": fields.stretch_enabled,
            "every_minutes": numbers["stretch_every"],
            "minutes": base.stretch_minutes,
        },
    }
    try:
        return parse_policy(data, FORM_WHERE)
    except FileFormatError as error:
        raise ReminderFormError(_plain_rule(error, numbers)) from None


def _plain_hours(expected: str) -> str:
    """``expected a period like "09:00-17:30", got "9-5"`` -> ``Write a period like ...``."""
    text = expected.removeprefix("expected ")
    if text.startswith("the end after the start, got "):
        wrote = text.removeprefix("the end after the start, got ").split(" (")[0]
        return (
            f"End each period after its start (you wrote {wrote}). A period cannot cross"
            " midnight: end it at 24:00 and start the next day at 00:00."
        )
    if text.startswith("a time from 00:00 to "):
        wrote = text.partition(", got ")[2]
        return (
            "Write each time as hours and minutes from 00:00 to 23:59 (24:00 may end a period),"
            f" like 09:00-17:30 (you wrote {wrote})."
        )
    text = text.replace(", got ", " (you wrote ", 1) + ")" if ", got " in text else text
    return f"Write {text}, or “off”."


def _plain_rule_longer(micro: int) -> str:
    return f"Make it longer than the micro-break interval ({micro} minutes)."


def _plain_rule(error: FileFormatError, numbers: Mapping[str, int]) -> dict[str, str]:
    """A rule across fields (intervals against each other and the working day), in words."""
    micro, stretch = numbers["micro_every"], numbers["stretch_every"]
    if error.field == "stretch.every_minutes" and "micro" in error.expected:
        return {"stretch_every": _plain_rule_longer(micro)}
    if error.field == "micro.every_minutes" and "stretch" in error.expected:
        return {
            "micro_every": f"Make it shorter than the stretch-break interval ({stretch} minutes)."
        }
    if error.field in ("micro.every_minutes", "stretch.every_minutes"):
        name = "micro_every" if error.field.startswith("micro") else "stretch_every"
        longest = "".join(c for c in error.expected.split("(")[1].split(")")[0] if c.isdigit())
        return {
            name: f"Make it shorter than your longest working period ({longest} minutes),"
            " or the break could never come."
        }
    if error.field == "working_hours":
        # Checked whether the reminders are on or off: the file always needs a working period.
        return {"hours_monday": "Give at least one day working hours (all seven are “off”)."}
    return {"enabled": f"{error.field}: {error.expected}"}
