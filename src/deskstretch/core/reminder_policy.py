"""Validate the parsed ``reminders.toml`` into a Policy, with one precise message per mistake.

Pure: standard library only, no I/O; the caller parses the TOML and adds line numbers. The format is
documented in docs/reminders.md; ``EXAMPLE`` below is the full example shown there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import time
from itertools import pairwise
from typing import Any

from deskstretch.core.errors import FileFormatError
from deskstretch.core.schedule import END_OF_DAY, Policy, TimeRange

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Applied in this order, then single days: the more specific line wins.
_GROUPS = {"every_day": DAYS, "weekdays": DAYS[:5], "weekend": DAYS[5:]}
_TOP_KEYS = (
    "start_in",
    "daily_cap",
    "natural_break_minutes",
    "retry_minutes",
    "snooze_minutes",
    "default_snooze_minutes",
    "working_hours",
    "micro",
    "stretch",
    "enabled",
)
_MICRO_KEYS = ("enabled", "every_minutes", "seconds")
_STRETCH_KEYS = ("enabled", "every_minutes", "minutes")
_START_ACTIONS = ("browser", "terminal")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_PERIOD = re.compile(r"^\s*(\S+?)\s*[-\u2013]\s*(\S+)\s*$")  # "-" or an en dash
_OFF = ("", "off", "none")
# fail(field, expected) builds the error to raise.
_Fail = Callable[[str, str], FileFormatError]

EXAMPLE = """\
# deskstretch reminders: when to remind you to move.
start_in = "browser"          # "Start" opens the routine in the browser, or "terminal"
daily_cap = 16                # at most this many reminders a day
natural_break_minutes = 5     # away from the keyboard this long counts as a break
snooze_minutes = [5, 10, 15]  # the snooze choices
default_snooze_minutes = 10
retry_minutes = 10            # after "not done" or no answer, ask again this much later

[working_hours]               # reminders only come in these periods (local time)
weekdays = "09:00-17:30"      # Monday to Friday...
monday = ["09:00-12:30", "13:30-17:30"]   # ...but a day written out wins
saturday = "off"              # days not written are days off

[micro]                       # a short posture change: stand up, move, sit back down
enabled = true
every_minutes = 30
seconds = 40

[stretch]                     # a 2-5 minute routine
enabled = true
every_minutes = 60
minutes = 3
"""


def parse_policy(data: Mapping[str, Any], where: str) -> Policy:
    """``data`` from tomllib -> Policy; the first mistake raises FileFormatError (no line)."""

    def fail(field: str, expected: str) -> FileFormatError:
        return FileFormatError(where, None, field, expected)

    _check_keys(data, "", _TOP_KEYS, fail)
    defaults = Policy()
    micro = _table(data, "micro", fail)
    stretch = _table(data, "stretch", fail)
    _check_keys(micro, "micro.", _MICRO_KEYS, fail)
    _check_keys(stretch, "stretch.", _STRETCH_KEYS, fail)

    working_hours = (
        _working_hours(data["working_hours"], fail)
        if "working_hours" in data
        else defaults.working_hours
    )
    micro_enabled = _bool(micro, "enabled", "micro.enabled", defaults.micro_enabled, fail)
    micro_every = _int(
        micro, "every_minutes", "micro.", defaults.micro_interval_minutes, 5, 480, fail
    )
    micro_seconds = _int(micro, "seconds", "micro.", defaults.micro_seconds, 20, 60, fail)
    stretch_enabled = _bool(stretch, "enabled", "stretch.enabled", defaults.stretch_enabled, fail)
    stretch_every = _int(
        stretch, "every_minutes", "stretch.", defaults.stretch_interval_minutes, 5, 480, fail
    )
    stretch_minutes = _int(stretch, "minutes", "stretch.", defaults.stretch_minutes, 1, 15, fail)
    if micro_enabled and stretch_enabled and stretch_every <= micro_every:
        if "every_minutes" in stretch or "every_minutes" not in micro:
            raise fail(
                "stretch.every_minutes",
                f"expected more than micro.every_minutes ({micro_every}), got {stretch_every} "
                "(or switch the micro break off: [micro] enabled = false)",
            )
        raise fail(
            "micro.every_minutes",
            f"expected less than stretch.every_minutes ({stretch_every}), got {micro_every}",
        )
    longest = _longest_period_minutes(working_hours)
    for enabled, every, name, table in (
        (micro_enabled, micro_every, "micro", micro),
        (stretch_enabled, stretch_every, "stretch", stretch),
    ):
        if enabled and every >= longest:
            if "every_minutes" in table:
                raise fail(
                    f"{name}.every_minutes",
                    f"expected less than your longest working period ({longest} minutes), "
                    f"got {every}",
                )
            raise fail(
                "working_hours",
                f"expected a working period longer than the {name} break interval "
                f"({every} minutes; [{name}] every_minutes), the longest is {longest} minutes",
            )

    snooze = _snooze_list(data, defaults.snooze_minutes, fail)
    if "default_snooze_minutes" in data:
        default_snooze = _int(data, "default_snooze_minutes", "", 10, 1, 240, fail)
        if default_snooze not in snooze:
            raise fail(
                "default_snooze_minutes",
                f"expected one of snooze_minutes {list(snooze)}, got {default_snooze}",
            )
    elif defaults.default_snooze_minutes in snooze:
        default_snooze = defaults.default_snooze_minutes
    else:
        default_snooze = snooze[len(snooze) // 2]

    switched_on = data.get("enabled")
    if switched_on is not None and not isinstance(switched_on, bool):
        raise fail("enabled", f"expected true or false, got {switched_on!r}")
    start_action = data.get("start_in", defaults.start_action)
    if start_action not in _START_ACTIONS:
        raise fail("start_in", f'expected "browser" or "terminal", got {start_action!r}')
    return Policy(
        working_hours=working_hours,
        micro_enabled=micro_enabled,
        micro_interval_minutes=micro_every,
        micro_seconds=micro_seconds,
        stretch_enabled=stretch_enabled,
        stretch_interval_minutes=stretch_every,
        stretch_minutes=stretch_minutes,
        natural_break_minutes=_int(
            data, "natural_break_minutes", "", defaults.natural_break_minutes, 1, 60, fail
        ),
        daily_cap=_int(data, "daily_cap", "", defaults.daily_cap, 1, 100, fail),
        snooze_minutes=snooze,
        default_snooze_minutes=default_snooze,
        retry_minutes=_int(data, "retry_minutes", "", defaults.retry_minutes, 1, 120, fail),
        start_action=start_action,
        enabled=switched_on,
    )


def _check_keys(data: Mapping[str, Any], prefix: str, known: tuple[str, ...], fail: _Fail) -> None:
    for key in data:
        if key not in known:
            raise fail(f"{prefix}{key}", f"unknown key (expected one of: {', '.join(known)})")


def _table(data: Mapping[str, Any], name: str, fail: _Fail) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise fail(name, f"expected a table written [{name}], got {value!r}")
    return value


def _int(
    data: Mapping[str, Any], key: str, prefix: str, default: int, low: int, high: int, fail: _Fail
) -> int:
    value = data.get(key, default)
    field = f"{prefix}{key}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(field, f"expected a whole number from {low} to {high}, got {value!r}")
    if not low <= value <= high:
        raise fail(field, f"expected a whole number from {low} to {high}, got {value}")
    return value


def _bool(data: Mapping[str, Any], key: str, field: str, default: bool, fail: _Fail) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise fail(field, f"expected true or false, got {value!r}")
    return value


def _snooze_list(data: Mapping[str, Any], default: tuple[int, ...], fail: _Fail) -> tuple[int, ...]:
    value = data.get("snooze_minutes", list(default))
    expected = "expected a list of 1 to 5 whole minutes from 1 to 240, like [5, 10, 15]"
    if not isinstance(value, list) or not 1 <= len(value) <= 5:
        raise fail("snooze_minutes", f"{expected}, got {value!r}")
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 240:
            raise fail("snooze_minutes", f"{expected}, got {item!r} in the list")
    if len(set(value)) != len(value):
        raise fail("snooze_minutes", f"expected each choice once, got {value!r}")
    return tuple(sorted(value))


def _working_hours(value: Any, fail: _Fail) -> dict[int, tuple[TimeRange, ...]]:
    if not isinstance(value, Mapping):
        raise fail("working_hours", f"expected a table written [working_hours], got {value!r}")
    _check_keys(value, "working_hours.", (*_GROUPS, *DAYS), fail)
    per_day: dict[str, tuple[TimeRange, ...]] = {}
    # Groups first, in a fixed order, so that a day written out always wins.
    for key in (*_GROUPS, *DAYS):
        if key in value:
            periods = _periods(value[key], f"working_hours.{key}", fail)
            for day in _GROUPS.get(key, (key,)):
                per_day[day] = periods
    hours = {DAYS.index(day): periods for day, periods in per_day.items() if periods}
    if not hours:
        raise fail(
            "working_hours", 'expected at least one working period, like weekdays = "09:00-17:30"'
        )
    return dict(sorted(hours.items()))


def day_periods(text: str, field: str, where: str) -> tuple[TimeRange, ...]:
    """One day's periods as a person types them (``"09:00-17:30"``, several separated by commas,
    or ``"off"``); FileFormatError (no line) names ``field`` and what was expected."""

    def fail(name: str, expected: str) -> FileFormatError:
        return FileFormatError(where, None, name, expected)

    return _periods(text, field, fail)


def _periods(value: Any, field: str, fail: _Fail) -> tuple[TimeRange, ...]:
    if isinstance(value, str):
        texts = [] if value.strip().lower() in _OFF else value.split(",")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        texts = list(value)
    else:
        raise fail(
            field,
            f'expected a period like "09:00-17:30", a list of them or "off", got {value!r}',
        )
    periods = sorted((_period(text, field, fail) for text in texts), key=lambda p: p.start)
    for first, second in pairwise(periods):
        if second.start < first.end:
            raise fail(field, f'expected periods that do not overlap, got "{first}" and "{second}"')
    return tuple(periods)


def _period(text: str, field: str, fail: _Fail) -> TimeRange:
    match = _PERIOD.match(text)
    if not match:
        raise fail(field, f'expected a period like "09:00-17:30", got "{text.strip()}"')
    start = _clock(match.group(1), field, fail, end=False)
    end = _clock(match.group(2), field, fail, end=True)
    if not start < end:
        raise fail(
            field,
            f'expected the end after the start, got "{text.strip()}" '
            '(a period cannot cross midnight: end it at "24:00" and start the next day at "00:00")',
        )
    return TimeRange(start, end)


def _clock(text: str, field: str, fail: _Fail, *, end: bool) -> time:
    match = _CLOCK.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if end and hour == 24 and minute == 0:
            return END_OF_DAY
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    latest = "24:00" if end else "23:59"
    raise fail(field, f'expected a time from 00:00 to {latest}, got "{text}"')


def _longest_period_minutes(hours: Mapping[int, tuple[TimeRange, ...]]) -> int:
    """Longest stretch of working time on one day, touching periods counted as one."""
    longest = 0
    for periods in hours.values():
        run_start: int | None = None
        run_end = -1
        for period in sorted(periods, key=lambda p: p.start):
            start = period.start.hour * 60 + period.start.minute
            end = 24 * 60 if period.end == END_OF_DAY else period.end.hour * 60 + period.end.minute
            if run_start is None or start > run_end:
                run_start = start
            run_end = end
            longest = max(longest, run_end - run_start)
    return longest


def policy_to_toml(policy: Policy) -> str:
    """The whole ``reminders.toml`` for ``policy``, commented, as the browser's Settings save it.

    ``parse_policy`` reads it back to an equal Policy. Days with the same periods are written
    once (``weekdays``, ``weekend``, ``every_day``) when that is shorter; days off are left out.
    """
    lines = ["# deskstretch reminders: when to remind you to move (saved from Settings)."]
    if policy.enabled is not None:
        lines.append(f"enabled = {_toml_bool(policy.enabled)}           # the reminders on or off")
    lines += [
        f'start_in = "{policy.start_action}"',
        f"daily_cap = {policy.daily_cap}",
        f"natural_break_minutes = {policy.natural_break_minutes}",
        f"snooze_minutes = [{', '.join(str(m) for m in policy.snooze_minutes)}]",
        f"default_snooze_minutes = {policy.default_snooze_minutes}",
        f"retry_minutes = {policy.retry_minutes}",
        "",
        "[working_hours]               # days not written are days off",
    ]
    for key, periods in _day_lines(policy.working_hours):
        lines.append(f"{key} = {_toml_periods(periods)}")
    lines += [
        "",
        "[micro]                       # a short posture change",
        f"enabled = {_toml_bool(policy.micro_enabled)}",
        f"every_minutes = {policy.micro_interval_minutes}",
        f"seconds = {policy.micro_seconds}",
        "",
        "[stretch]                     # a 2-5 minute routine",
        f"enabled = {_toml_bool(policy.stretch_enabled)}",
        f"every_minutes = {policy.stretch_interval_minutes}",
        f"minutes = {policy.stretch_minutes}",
    ]
    return "\n".join(lines) + "\n"


def _toml_bool(value: bool) -> str:
    return "true" if value else "false"


def _toml_periods(periods: tuple[TimeRange, ...]) -> str:
    texts = [f'"{period}"' for period in sorted(periods, key=lambda p: p.start)]
    return texts[0] if len(texts) == 1 else f"[{', '.join(texts)}]"


_Periods = tuple[TimeRange, ...]


def _day_lines(hours: Mapping[int, _Periods]) -> list[tuple[str, _Periods]]:
    """(key, periods) lines: a group when all its days share the periods, then the other days."""
    by_day = {DAYS[d]: tuple(sorted(ps, key=lambda p: p.start)) for d, ps in hours.items()}
    written: list[tuple[str, _Periods]] = []
    left = dict(by_day)
    for group in ("every_day", "weekdays", "weekend"):
        days = _GROUPS[group]
        first = left.get(days[0])
        if first and all(left.get(day) == first for day in days):
            written.append((group, first))
            for day in days:
                del left[day]
    written += [(day, left[day]) for day in DAYS if day in left]
    return written
