"""The Coach's break reminders (coach/breaks.py): the Settings form checked field by field into
reminders.toml, the person's switch, the next break in words, pause, and starting the service."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest

from deskstretch.coach import Coach
from deskstretch.coach.break_form import ReminderFields, ReminderFormError, policy_from_fields
from deskstretch.coach.breaks import BreakReminders, offer_sentence
from deskstretch.config import Settings
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind, Policy, TimeRange
from deskstretch.reminders.breaklog import BreakLog
from helpers.support import Dirs

# A Tuesday, in UTC: working hours are the defaults (Monday to Friday 09:00-17:30).
TUESDAY_0907 = datetime(2025, 3, 4, 9, 7, tzinfo=UTC)
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def fields(**changes: Any) -> ReminderFields:
    """The form as the defaults fill it, with ``changes`` (``hours`` merged day by day)."""
    hours = {day: "09:00-17:30" for day in WEEK[:5]} | {"saturday": "off", "sunday": "off"}
    hours |= changes.pop("hours", {})
    base = ReminderFields(
        enabled=True,
        hours=hours,
        micro_enabled=True,
        micro_every="30",
        stretch_enabled=True,
        stretch_every="60",
        daily_cap="16",
        start_in="browser",
    )
    return replace(base, **changes)


def reminders() -> BreakReminders:
    return Coach(Settings.from_env()).reminders


def write_settings(dirs: Dirs, text: str) -> Path:
    dirs.config.mkdir(parents=True, exist_ok=True)
    path = dirs.config / "reminders.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the form -------------------------------------------------------------------------------------


def test_policy_from_fields_reads_every_field() -> None:
    form = fields(
        hours={"monday": " 08:00-12:00, 13:00-16:30 ", "friday": "off", "sunday": "10:00-14:00"},
        micro_enabled=False,
        micro_every="25",
        stretch_every="90",
        daily_cap="8",
        start_in="terminal",
        enabled=False,
    )
    base = replace(Policy(), natural_break_minutes=7, retry_minutes=20)
    policy = policy_from_fields(form, base)
    assert policy.working_hours[0] == (
        TimeRange(time(8), time(12)),
        TimeRange(time(13), time(16, 30)),
    )
    assert 4 not in policy.working_hours  # Friday off
    assert policy.working_hours[6] == (TimeRange(time(10), time(14)),)
    assert (policy.micro_enabled, policy.micro_interval_minutes) == (False, 25)
    assert (policy.stretch_enabled, policy.stretch_interval_minutes) == (True, 90)
    assert (policy.daily_cap, policy.start_action, policy.enabled) == (8, "terminal", False)
    # What the form does not show is kept from the file.
    assert (policy.natural_break_minutes, policy.retry_minutes) == (7, 20)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"micro_every": "abc"}, "micro_every", "Enter a whole number of minutes from 5 to 480."),
        ({"micro_every": "4"}, "micro_every", "from 5 to 480"),
        ({"micro_every": "3²"}, "micro_every", "from 5 to 480"),
        ({"stretch_every": "481"}, "stretch_every", "from 5 to 480"),
        ({"daily_cap": "0"}, "daily_cap", "Enter a whole number of reminders from 1 to 100."),
        ({"daily_cap": ""}, "daily_cap", "from 1 to 100"),
        (
            {"hours": {"monday": "nine to five"}},
            "hours_monday",
            'Write a period like "09:00-17:30" (you wrote "nine to five"), or “off”.',
        ),
        ({"hours": {"monday": "9-5"}}, "hours_monday", 'like 09:00-17:30 (you wrote "9")'),
        ({"hours": {"tuesday": "25:00-26:00"}}, "hours_tuesday", "from 00:00 to 23:59 (24:00 may"),
        (
            {"hours": {"wednesday": "17:00-09:00"}},
            "hours_wednesday",
            'End each period after its start (you wrote "17:00-09:00"). A period cannot cross'
            " midnight",
        ),
        (
            {"hours": {"thursday": "09:00-12:00, 11:00-13:00"}},
            "hours_thursday",
            "periods that do not overlap",
        ),
        ({"start_in": "phone"}, "start_in", "Choose the browser or a terminal."),
        (
            {"micro_every": "60", "stretch_every": "45"},
            "stretch_every",
            "Make it longer than the micro-break interval (60 minutes).",
        ),
        (
            {"stretch_every": "300", "hours": {d: "09:00-12:00" for d in WEEK[:5]}},
            "stretch_every",
            "shorter than your longest working period (180 minutes)",
        ),
        (
            {"hours": {day: "off" for day in WEEK}},
            "hours_monday",
            "Give at least one day working hours",
        ),
    ],
)
def test_each_mistake_is_named_beside_its_field(
    changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ReminderFormError) as raised:
        policy_from_fields(fields(**changes), Policy())
    assert list(raised.value.errors) == [field]
    assert words in raised.value.errors[field]
    assert "expected" not in raised.value.errors[field]  # plain words, not the parser's


def test_every_field_mistake_is_named_at_once() -> None:
    form = fields(micro_every="x", daily_cap="500", hours={"friday": "noon"}, start_in="")
    with pytest.raises(ReminderFormError) as raised:
        policy_from_fields(form, Policy())
    assert set(raised.value.errors) == {"micro_every", "daily_cap", "hours_friday", "start_in"}
    # The intervals against each other are named beside another field's mistake too.
    with pytest.raises(ReminderFormError) as raised:
        policy_from_fields(fields(daily_cap="0", stretch_every="20"), Policy())
    assert set(raised.value.errors) == {"daily_cap", "stretch_every"}


def test_switching_one_kind_off_lifts_the_comparison_between_intervals() -> None:
    policy = policy_from_fields(
        fields(micro_enabled=False, micro_every="90", stretch_every="60"), Policy()
    )
    assert (policy.micro_enabled, policy.micro_interval_minutes) == (False, 90)


# -- the file -------------------------------------------------------------------------------------


def test_save_writes_reminders_toml_and_reads_back(dirs: Dirs) -> None:
    breaks = reminders()
    assert breaks.setup().state == "unset"
    breaks.save(fields(micro_every="20", hours={"saturday": "10:00-12:00"}, enabled=True))
    text = (dirs.config / "reminders.toml").read_text(encoding="utf-8")
    assert "enabled = true" in text
    again = reminders()
    assert again.setup().state == "on"
    read = again.fields()
    assert read.micro_every == "20"
    assert read.hours["saturday"] == "10:00-12:00"
    assert read.hours["sunday"] == "off"
    assert read.hours["monday"] == "09:00-17:30"


def test_a_mistake_writes_nothing(dirs: Dirs) -> None:
    path = write_settings(dirs, "# mine\nenabled = false\n")
    with pytest.raises(ReminderFormError):
        reminders().save(fields(daily_cap="many"))
    assert path.read_text(encoding="utf-8") == "# mine\nenabled = false\n"


def test_saving_replaces_a_broken_file(dirs: Dirs) -> None:
    path = write_settings(dirs, "daily_cap = 'lots'\n")
    broken = reminders().setup()
    assert broken.problem is not None and "reminders.toml:1" in broken.problem
    reminders().save(fields(enabled=False))
    assert reminders().setup().problem is None
    assert reminders().setup().state == "off"
    assert "daily_cap = 16" in path.read_text(encoding="utf-8")


def test_switch_keeps_every_other_setting(dirs: Dirs) -> None:
    write_settings(dirs, "daily_cap = 9\n[micro]\nevery_minutes = 20\n")
    breaks = reminders()
    assert breaks.setup().state == "unset"
    breaks.switch(True)
    on = reminders().setup()
    assert (on.state, on.policy.daily_cap, on.policy.micro_interval_minutes) == ("on", 9, 20)
    reminders().switch(False)
    assert reminders().setup().state == "off"


def test_switch_refuses_a_broken_file_and_points_to_settings(dirs: Dirs) -> None:
    path = write_settings(dirs, "enabled = 'yes'\n")
    with pytest.raises(DeskstretchError, match="fix it in Settings"):
        reminders().switch(True)
    assert path.read_text(encoding="utf-8") == "enabled = 'yes'\n"


# -- the next break -------------------------------------------------------------------------------


def test_outlook_says_nothing_until_the_person_chooses(screened: Path) -> None:
    outlook = reminders().outlook(TUESDAY_0907, UTC)
    assert (outlook.state, outlook.headline, outlook.why) == ("unset", "", "")


def test_outlook_names_the_next_break_and_why(screened: Path, dirs: Dirs) -> None:
    write_settings(dirs, "enabled = true\n")
    outlook = reminders().outlook(TUESDAY_0907, UTC)
    assert outlook.state == "on"
    assert outlook.headline == "Micro-break in 23 minutes"
    assert outlook.why == "30 minutes since work started at 09:00."
    assert not outlook.running and not outlook.paused and outlook.held_back == ""
    later = reminders().outlook(TUESDAY_0907 - timedelta(hours=10), UTC)  # 23:07 on Monday
    assert later.headline == "Micro-break on Tuesday at 09:30"
    assert later.why.startswith("Outside working hours; next working period starts Tue 09:00")


def test_outlook_says_why_a_due_break_is_held_back(screened: Path, dirs: Dirs) -> None:
    write_settings(dirs, "enabled = true\n")
    now = TUESDAY_0907 + timedelta(minutes=30)  # 09:37: the 09:30 micro-break is due
    journal = BreakLog.in_folder(dirs.data)
    journal.append(
        BreakEvent(
            now - timedelta(minutes=5),
            EventKind.DEFERRED,
            BreakKind.MICRO,
            note="the microphone is in use (a call?)",
        )
    )
    outlook = reminders().outlook(now, UTC)
    assert outlook.headline == "Micro-break due now"
    assert outlook.held_back == "the microphone is in use (a call?)"
    # Taken at 09:40; at 10:15 the stretch break (due 10:00) waits, and the old note is not its.
    journal.append(BreakEvent(now + timedelta(minutes=3), EventKind.DONE, BreakKind.MICRO))
    later = reminders().outlook(now + timedelta(minutes=38), UTC)
    assert (later.headline, later.held_back) == ("Stretch break due now", "")


def test_pause_and_resume(screened: Path, dirs: Dirs) -> None:
    write_settings(dirs, "enabled = true\n")
    breaks = reminders()
    until = breaks.pause("1h", TUESDAY_0907, UTC)
    assert until == TUESDAY_0907 + timedelta(hours=1)
    paused = breaks.outlook(TUESDAY_0907, UTC)
    assert (paused.paused, paused.headline) == (True, "Paused until 10:07")
    assert breaks.pause("tomorrow", TUESDAY_0907, UTC) == datetime(2025, 3, 5, 9, tzinfo=UTC)
    assert breaks.resume(TUESDAY_0907 + timedelta(minutes=1))
    assert not breaks.outlook(TUESDAY_0907 + timedelta(minutes=1), UTC).paused
    assert not breaks.resume(TUESDAY_0907 + timedelta(minutes=2))  # nothing left to resume


def test_outlook_without_safety_answers_holds_reminders_back(dirs: Dirs) -> None:
    write_settings(dirs, "enabled = true\n")
    outlook = reminders().outlook(TUESDAY_0907, UTC)
    assert outlook.safety_blocked
    assert outlook.headline == "No reminders for now"
    assert outlook.why == "No reminders until you answer the safety questions."
    assert "`" not in outlook.why  # no terminal command: each front end says where to go


def test_outlook_with_both_kinds_off(screened: Path, dirs: Dirs) -> None:
    write_settings(dirs, "enabled = true\n[micro]\nenabled = false\n[stretch]\nenabled = false\n")
    outlook = reminders().outlook(TUESDAY_0907, UTC)
    assert outlook.headline == "No breaks to remind"


def test_offer_sentence_follows_the_settings() -> None:
    assert offer_sentence(Policy()) == (
        "A short stand-up every 30 minutes and a 3-minute stretch every hour, only in your"
        " working hours (Monday to Friday, 09:00 to 17:30)."
    )
    mine = policy_from_fields(
        fields(micro_enabled=False, stretch_every="120", hours={"monday": "08:00-18:00"}),
        Policy(),
    )
    assert offer_sentence(mine) == "A 3-minute stretch every 2 hours, only in your working hours."


# -- the service ----------------------------------------------------------------------------------


class FakePopen:
    started: ClassVar[list[tuple[list[str], dict[str, str]]]] = []

    def __init__(self, argv: list[str], **options: Any) -> None:
        FakePopen.started.append((argv, options["env"]))
        self.pid = 4321

    def poll(self) -> int | None:
        return None


def test_start_service_only_when_on_and_with_this_coachs_folders(
    dirs: Dirs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    FakePopen.started = []
    settings = Settings(tmp_path / "other-config", tmp_path / "other-data")
    breaks = BreakReminders(settings)
    assert breaks.start_service() is None  # unset: nothing starts
    breaks.switch(True)
    assert breaks.start_service() == 4321
    [(argv, env)] = FakePopen.started
    assert argv[1:] == ["-m", "deskstretch.reminders", "run"]
    # Not the folders the environment names (this test's dirs), but the Coach's own.
    assert env["DESKSTRETCH_CONFIG_DIR"] == str(tmp_path / "other-config")
    assert env["DESKSTRETCH_DATA_DIR"] == str(tmp_path / "other-data")
    assert env["DESKSTRETCH_DATABASE_URL"] == settings.database_url


def test_autostart_status_is_asked_again_only_when_old_or_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from deskstretch.reminders import autostart
    from deskstretch.reminders.autostart.host import AutostartStatus

    asked: list[str] = []
    answer = AutostartStatus(False, "none", None, False, "Not set up.")

    def answering(what: str) -> Callable[[], AutostartStatus]:
        def ask() -> AutostartStatus:
            asked.append(what)
            return answer

        return ask

    monkeypatch.setattr(autostart, "status", answering("status"))
    monkeypatch.setattr(autostart, "uninstall", answering("uninstall"))
    breaks = reminders()
    assert breaks.autostart(max_age_seconds=60) is answer
    assert breaks.autostart(max_age_seconds=60) is answer
    assert asked == ["status"]  # the second answer was recent enough
    breaks.autostart()  # no age given: always asked
    breaks.set_autostart(False)
    breaks.autostart(max_age_seconds=60)  # asked again after a change
    assert asked == ["status", "status", "uninstall", "status"]


def test_one_object_keeps_its_outlook_only_while_nothing_it_reads_changed(
    screened: Path, dirs: Dirs
) -> None:
    """Today asks on every visit; what it keeps must follow the journal, the settings file and
    the minute within the same object (the app keeps one for its life)."""
    write_settings(dirs, 'enabled = true\n[working_hours]\nevery_day = "00:00-24:00"\n')
    breaks = reminders()
    first = breaks.outlook(TUESDAY_0907, UTC)
    assert breaks.outlook(TUESDAY_0907 + timedelta(seconds=20), UTC) is first
    breaks.pause("1h", TUESDAY_0907, UTC)  # the journal changed
    assert breaks.outlook(TUESDAY_0907, UTC).paused
    assert breaks.resume(TUESDAY_0907)
    later = breaks.outlook(TUESDAY_0907 + timedelta(minutes=5), UTC)  # another minute
    assert not later.paused and later.headline != first.headline
    write_settings(dirs, "enabled = false\n")  # the settings file changed
    assert breaks.setup().state == "off"
