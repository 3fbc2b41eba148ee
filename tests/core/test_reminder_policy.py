"""reminders.toml as the browser's Settings write it: policy_to_toml reads back to the same Policy,
the on/off switch, and one day's periods as a person types them."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import time

import pytest

from deskstretch.core.errors import FileFormatError
from deskstretch.core.reminder_policy import EXAMPLE, day_periods, parse_policy, policy_to_toml
from deskstretch.core.schedule import END_OF_DAY, Policy, TimeRange


def read_back(policy: Policy) -> Policy:
    return parse_policy(tomllib.loads(policy_to_toml(policy)), "reminders.toml")


def hours(*days: tuple[int, str]) -> dict[int, tuple[TimeRange, ...]]:
    out: dict[int, tuple[TimeRange, ...]] = {}
    for day, text in days:
        out[day] = day_periods(text, "f", "w")
    return out


@pytest.mark.parametrize(
    "policy",
    [
        Policy(),
        Policy(enabled=True),
        Policy(enabled=False, start_action="terminal", daily_cap=7, micro_enabled=False),
        parse_policy(tomllib.loads(EXAMPLE), "example"),
        Policy(
            working_hours=hours(*((d, "22:00-24:00") for d in range(7))),
            micro_interval_minutes=45,
            stretch_interval_minutes=90,
            snooze_minutes=(3, 20),
            default_snooze_minutes=20,
            retry_minutes=2,
            natural_break_minutes=9,
            micro_seconds=25,
            stretch_minutes=5,
        ),
        Policy(working_hours=hours((5, "08:00-12:00"), (6, "08:00-12:00"), (2, "06:00-18:00"))),
    ],
    ids=["defaults", "on", "off-terminal", "example", "nights-every-day", "weekend+wednesday"],
)
def test_the_written_file_reads_back_to_the_same_settings(policy: Policy) -> None:
    assert read_back(policy) == policy


def test_the_file_writes_shared_days_once_and_leaves_days_off_out() -> None:
    text = policy_to_toml(
        Policy(working_hours=hours((5, "08:00-12:00"), (6, "08:00-12:00"), (0, "09:00-17:00")))
    )
    table = tomllib.loads(text)["working_hours"]
    assert table == {"weekend": "08:00-12:00", "monday": "09:00-17:00"}
    assert tomllib.loads(policy_to_toml(Policy()))["working_hours"] == {"weekdays": "09:00-17:30"}


def test_the_switch_is_written_only_once_chosen() -> None:
    assert "enabled" not in tomllib.loads(policy_to_toml(Policy()))
    assert tomllib.loads(policy_to_toml(Policy(enabled=False)))["enabled"] is False
    assert tomllib.loads(policy_to_toml(replace(Policy(), enabled=True)))["enabled"] is True


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False)])
def test_the_switch_is_read(text: str, expected: bool) -> None:
    assert parse_policy(tomllib.loads(f"enabled = {text}"), "f").enabled is expected
    assert parse_policy({}, "f").enabled is None


def test_a_switch_that_is_not_true_or_false_names_the_field() -> None:
    with pytest.raises(FileFormatError) as caught:
        parse_policy({"enabled": "yes"}, "reminders.toml")
    assert caught.value.field == "enabled"
    assert "true or false" in caught.value.expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-17:30", (TimeRange(time(9), time(17, 30)),)),
        (
            "13:30-17:30, 09:00-12:30",
            (TimeRange(time(9), time(12, 30)), TimeRange(time(13, 30), time(17, 30))),
        ),
        ("off", ()),
        ("", ()),
        ("22:00-24:00", (TimeRange(time(22), END_OF_DAY),)),
    ],
)
def test_one_day_as_typed(text: str, expected: tuple[TimeRange, ...]) -> None:
    assert day_periods(text, "working_hours.monday", "form") == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("nine to five", 'a period like "09:00-17:30"'),
        ("9-5", "a time from 00:00 to 23:59"),
        ("17:00-09:00", "the end after the start"),
        ("09:00-12:00, 11:00-13:00", "do not overlap"),
        ("25:00-26:00", "a time from 00:00"),
    ],
)
def test_one_day_mistakes_name_the_field(text: str, words: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        day_periods(text, "working_hours.friday", "form")
    assert caught.value.field == "working_hours.friday"
    assert words in caught.value.expected
