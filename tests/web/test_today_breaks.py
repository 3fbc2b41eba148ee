"""Today's Breaks card in each state (the offer, off, on, paused, held back, not running, held
back by the safety answers, a broken settings file), its buttons, and the same offer on Your plan.
The service is a fake (helpers/fake_reminder_service.py): no process starts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.coach.first_run import Goal, save_goal
from deskstretch.config import Settings
from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
from deskstretch.reminders.breaklog import BreakLog
from helpers.fake_reminder_service import FakeService
from helpers.support import Dirs
from helpers.web_client import PageScan, WebClient

# Working all day every day: a break is always in reach, whatever the hour the test runs at.
ALL_DAY = 'enabled = true\n[working_hours]\nevery_day = "00:00-24:00"\n'


@pytest.fixture
def service(dirs: Dirs, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    fake = FakeService(dirs.data).install(monkeypatch)
    yield fake
    fake.halt()


def settings_file(dirs: Dirs, text: str) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    (dirs.config / "reminders.toml").write_text(text, encoding="utf-8")


def card(web: WebClient, path: str = "/") -> str:
    """The Breaks card's text ('' when the page has none)."""
    html = web.get(path).text
    found = re.search(r'<section class="card breaks-card".*?</section>', html, re.S)
    return PageScan.of(found.group(0)).text if found else ""


def card_forms(web: WebClient) -> list[tuple[str, str]]:
    """(action, button value) of each button in the card."""
    html = web.get("/").text
    found = re.search(r'<section class="card breaks-card".*?</section>', html, re.S)
    assert found, "no Breaks card"
    buttons, action = [], ""
    for tag, attrs in PageScan.of(found.group(0)).tags:
        if tag == "form":
            action = attrs.get("action", "")
        if tag == "button":
            buttons.append((action, attrs.get("value", "")))
    return buttons


def state(dirs: Dirs) -> str:
    return Coach(Settings.from_env()).reminders.setup().state


def test_the_offer_says_what_reminders_do(web: WebClient, screened: Path) -> None:
    text = card(web)
    assert "Break reminders through your work day?" in text
    assert "A short stand-up every 30 minutes and a 3-minute stretch every hour" in text
    assert "only in your working hours (Monday to Friday, 09:00 to 17:30)" in text
    assert "pause them" in text
    assert "Waongenngarm" in text and "Hedge" in text  # where the rhythm comes from
    assert card_forms(web) == [("/reminders/switch", "on"), ("/reminders/switch", "off")]


def test_turn_on_switches_on_and_starts_the_service(
    web: WebClient, dirs: Dirs, screened: Path, service: FakeService
) -> None:
    done = web.post_form("/reminders/switch", {"choice": "on", "next": "/"})
    assert (done.status_code, done.headers["location"]) == (303, "/")
    assert state(dirs) == "on" and service.calls == ["start"] and service.running
    page = PageScan.of(web.get("/").text).text
    assert "Reminders on: the next break is a " in page  # the flash
    assert "Break reminders through your work day?" not in page


def test_not_now_leaves_one_quiet_line(
    web: WebClient, dirs: Dirs, screened: Path, service: FakeService
) -> None:
    web.post_form("/reminders/switch", {"choice": "off", "next": "/"})
    assert state(dirs) == "off" and service.calls == []
    scan = PageScan.of(web.get("/").text)
    assert "No break reminders for now." in scan.text  # the flash
    assert card(web) == "Breaks Break reminders are off. Turn them on in Settings"
    assert "/settings#reminders" in scan.links()


def test_on_shows_the_next_break_and_the_pause_buttons(
    web: WebClient, dirs: Dirs, screened: Path, service: FakeService
) -> None:
    settings_file(dirs, ALL_DAY)
    service.run()
    text = card(web)
    assert re.search(r"(Micro-break|Stretch break) (due now|in \d+ minutes?)", text), text
    assert "not running" not in text
    assert card_forms(web) == [("/reminders/pause", "1h"), ("/reminders/pause", "tomorrow")]


def test_a_held_back_break_says_why(
    web: WebClient, dirs: Dirs, screened: Path, service: FakeService
) -> None:
    settings_file(dirs, ALL_DAY)
    service.run()
    now = datetime.now(UTC)
    journal = BreakLog.in_folder(dirs.data)
    journal.append(BreakEvent(now - timedelta(minutes=35), EventKind.DONE, BreakKind.STRETCH))
    journal.append(
        BreakEvent(
            now - timedelta(minutes=4),
            EventKind.DEFERRED,
            BreakKind.MICRO,
            note="the microphone is in use (a call?)",
        )
    )
    text = card(web)
    assert "Micro-break due now" in text
    assert "Held back: the microphone is in use (a call?)" in text


def test_a_stopped_service_is_said_with_a_button_to_start_it(
    web: WebClient, dirs: Dirs, screened: Path, service: FakeService
) -> None:
    settings_file(dirs, ALL_DAY)
    assert "The reminder service is not running, so no reminder will come." in card(web)
    assert ("/reminders/start", "") in card_forms(web)
    done = web.post_form("/reminders/start", {"next": "/"})
    assert done.status_code == 303 and service.calls == ["start"]
    assert "Reminder service started." in PageScan.of(web.get("/").text).text
    assert "not running" not in card(web)
    web.post_form("/reminders/start", {"next": "/"})
    assert "already running" in PageScan.of(web.get("/").text).text


def test_pause_and_resume(web: WebClient, dirs: Dirs, screened: Path, service: FakeService) -> None:
    settings_file(dirs, ALL_DAY)
    service.run()
    done = web.post_form("/reminders/pause", {"length": "1h", "next": "/"})
    assert (done.status_code, done.headers["location"]) == (303, "/")
    [paused] = BreakLog.in_folder(dirs.data).read()
    assert paused.kind is EventKind.PAUSED and paused.until is not None
    assert paused.until - paused.at == timedelta(hours=1)
    until = paused.until.astimezone(Coach(Settings.from_env()).local_tz())
    page = PageScan.of(web.get("/").text).text
    assert f"Reminders paused until {until:%H:%M}." in page  # the flash
    assert f"Paused until {until:%H:%M}" in card(web)
    assert card_forms(web) == [("/reminders/resume", "")]
    web.post_form("/reminders/resume", {"next": "/"})
    assert "Reminders resumed: the next break is a " in PageScan.of(web.get("/").text).text
    assert "Paused" not in card(web)
    web.post_form("/reminders/resume", {"next": "/"})
    assert "Reminders were not paused" in PageScan.of(web.get("/").text).text


def test_pause_until_tomorrow(
    web: WebClient, dirs: Dirs, screened: Path, service: FakeService
) -> None:
    settings_file(dirs, "enabled = true\n")
    web.post_form("/reminders/pause", {"length": "tomorrow", "next": "/"})
    assert "Paused until " in card(web)
    journal = BreakLog.in_folder(dirs.data).read()
    assert [(e.kind, e.note) for e in journal] == [(EventKind.PAUSED, "tomorrow")]


@pytest.mark.parametrize("length", ["", "2h", "forever"])
def test_a_pause_length_not_offered_is_refused(
    web: WebClient, dirs: Dirs, screened: Path, length: str
) -> None:
    settings_file(dirs, "enabled = true\n")
    assert web.post_form("/reminders/pause", {"length": length}).status_code == 400
    assert BreakLog.in_folder(dirs.data).read() == []


def test_next_stays_on_this_site(web: WebClient, dirs: Dirs, screened: Path) -> None:
    settings_file(dirs, "enabled = true\n")
    done = web.post_form("/reminders/resume", {"next": "https://example.org/"})
    assert done.headers["location"] == "/"


def test_the_safety_answers_holding_reminders_back_link_to_safety(
    web: WebClient, dirs: Dirs, service: FakeService
) -> None:
    settings_file(dirs, ALL_DAY)
    service.run()
    html = web.get("/").text
    found = re.search(r'<section class="card breaks-card".*?</section>', html, re.S)
    assert found
    scan = PageScan.of(found.group(0))
    assert "No reminders for now" in scan.text
    assert "No reminders until you answer the safety questions." in scan.text
    assert "/safety" in scan.links()
    assert "deskstretch check" not in scan.text  # a link, not a terminal command
    assert "Pause" not in scan.text


def test_a_broken_settings_file_is_named_with_its_line(
    web: WebClient, dirs: Dirs, screened: Path
) -> None:
    settings_file(dirs, "enabled = true\ndaily_cap = 0\n")
    text = card(web)
    assert "reminders.toml:2: daily_cap" in text
    assert "Fix it in Settings" in text and "Turn on" not in text


def test_a_newcomer_is_offered_reminders_at_the_end_of_the_first_run(web: WebClient) -> None:
    assert card(web) == ""  # not beside the first run's one way in


def test_your_plan_offers_reminders_with_the_same_buttons(
    web: WebClient, dirs: Dirs, screened: Path, service: FakeService
) -> None:
    save_goal(Coach(Settings.from_env()), Goal((("Putting on socks", 4),), 3, 0))
    plan = web.get("/start/plan").text
    text = PageScan.of(plan).text
    assert "Break reminders through your work day?" in text
    assert 'action="/reminders/switch"' in plan and 'name="next" value="/start/plan"' in plan
    done = web.post_form("/reminders/switch", {"choice": "on", "next": "/start/plan"})
    assert done.headers["location"] == "/start/plan"
    text = PageScan.of(web.get("/start/plan").text).text
    assert "Your reminders are on." in text
    assert "Break reminders through your work day?" not in text
