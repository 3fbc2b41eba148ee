"""Settings → Break reminders: the form written to reminders.toml and read back, each mistake
beside its field with every value kept and nothing written, and the service started or stopped
to match (a fake service: see helpers/fake_reminder_service.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings, load_preferences
from helpers.fake_reminder_service import FakeService
from helpers.support import Dirs
from helpers.web_client import PageScan, WebClient

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.fixture
def service(dirs: Dirs, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    fake = FakeService(dirs.data).install(monkeypatch)
    yield fake
    fake.halt()


def form(**changes: str) -> dict[str, str]:
    """The reminder form as a person sends it (defaults filled in), with ``changes``; a change
    to "" leaves a checkbox out."""
    sent = {f"hours_{day}": "09:00-17:30" for day in DAYS[:5]}
    sent |= {"hours_saturday": "off", "hours_sunday": "off"}
    sent |= {
        "enabled": "on",
        "micro_enabled": "on",
        "micro_every": "30",
        "stretch_enabled": "on",
        "stretch_every": "60",
        "daily_cap": "16",
        "start_in": "browser",
    }
    sent |= changes
    return {name: value for name, value in sent.items() if value != "" or "every" in name}


def inputs(html: str) -> dict[str, dict[str, str]]:
    """The reminder form's fields by name: text inputs, and the checked radios and boxes."""
    found: dict[str, dict[str, str]] = {}
    in_form = False
    for tag, attrs in PageScan.of(html).tags:
        if tag == "form":
            in_form = attrs.get("action") == "/settings/reminders"
        if in_form and tag == "input" and attrs.get("name") != "csrf_token":
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                continue
            found[attrs["name"]] = attrs
    return found


def values(html: str) -> dict[str, str]:
    return {name: attrs.get("value", "") for name, attrs in inputs(html).items()}


def reminders_file(dirs: Dirs) -> Path:
    return dirs.config / "reminders.toml"


def test_settings_shows_the_reminders_as_they_are(web: WebClient, dirs: Dirs) -> None:
    page = web.get("/settings")
    assert page.status_code == 200
    scan = PageScan.of(page.text)
    text = scan.text
    assert "Break reminders" in text
    assert "You have not chosen yet whether you want break reminders" in text
    assert f"Saving rewrites {reminders_file(dirs)}" in text
    assert "comments in that file are not kept" in text
    assert values(page.text) == form()  # the defaults, autostart not set up
    # The routine, voice and bell form is still its own form.
    actions = [a.get("action") for t, a in scan.tags if t == "form"]
    assert "/settings" in actions and "/settings/reminders" in actions


def test_saving_writes_reminders_toml_and_reads_back(
    web: WebClient, dirs: Dirs, service: FakeService, screened: Path
) -> None:
    sent = form(
        hours_monday="08:00-12:30, 13:30-17:00",
        hours_saturday="10:00-12:00",
        micro_every="25",
        stretch_every="50",
        daily_cap="10",
        start_in="terminal",
    )
    done = web.post_form("/settings/reminders", sent)
    assert (done.status_code, done.headers["location"]) == (303, "/settings")
    text = reminders_file(dirs).read_text(encoding="utf-8")
    assert "enabled = true" in text and 'monday = ["08:00-12:30", "13:30-17:00"]' in text
    assert 'start_in = "terminal"' in text and "daily_cap = 10" in text
    assert service.calls == ["start"] and service.running
    page = web.get("/settings")
    assert "Reminders on: the next break is a " in page.text  # the flash
    assert values(page.text) == sent
    assert Coach(Settings.from_env()).reminders.setup().state == "on"


def test_saving_on_before_the_safety_questions_says_where_to_go(
    web: WebClient, service: FakeService
) -> None:
    web.post_form("/settings/reminders", form())
    scan = PageScan.of(web.get("/settings").text)
    assert "Reminders on: no reminders for now. No reminders until you answer" in scan.text
    assert "Go to the safety questions" in scan.text  # the flash's link to /safety


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("micro_every", "half an hour", "Enter a whole number of minutes from 5 to 480."),
        ("stretch_every", "4", "Enter a whole number of minutes from 5 to 480."),
        ("daily_cap", "500", "Enter a whole number of reminders from 1 to 100."),
        ("hours_monday", "nine to five", 'Write a period like "09:00-17:30"'),
        ("hours_tuesday", "9-5", "Write each time as hours and minutes"),
        ("hours_wednesday", "17:00-09:00", "A period cannot cross midnight"),
        ("hours_friday", "09:00-12:00, 11:00-14:00", "periods that do not overlap"),
        ("stretch_every", "20", "Make it longer than the micro-break interval (30 minutes)."),
        ("start_in", "phone", "Choose the browser or a terminal."),
        ("enabled", "maybe", "Choose on or off."),
    ],
)
def test_each_mistake_is_said_beside_its_field_and_nothing_is_written(
    web: WebClient, dirs: Dirs, service: FakeService, field: str, typed: str, message: str
) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    reminders_file(dirs).write_text("# mine\nenabled = false\n", encoding="utf-8")
    sent = form(hours_thursday="07:00-15:00", **{field: typed})
    answer = web.post_form("/settings/reminders", sent)
    assert answer.status_code == 422
    scan = PageScan.of(answer.text)
    assert message in scan.text_of(f"{field}-problem")
    assert f"#{field}" in scan.links()  # the summary at the top links to the field
    assert scan.text_of("problems").startswith("Your reminder settings were not saved")
    fields = inputs(answer.text)
    if field in fields and field not in ("enabled", "start_in"):
        assert fields[field]["aria-invalid"] == "true"
        assert f"{field}-problem" in fields[field]["aria-describedby"].split()
    kept = values(answer.text)
    for name, value in sent.items():
        if name not in ("enabled", "start_in") or value in ("on", "off", "browser", "terminal"):
            assert kept[name] == value, name
    assert reminders_file(dirs).read_text(encoding="utf-8") == "# mine\nenabled = false\n"
    assert service.calls == []


def test_every_mistake_at_once(web: WebClient, dirs: Dirs, service: FakeService) -> None:
    sent = form(micro_every="x", daily_cap="", hours_sunday="noon", start_in="")
    answer = web.post_form("/settings/reminders", sent)
    assert answer.status_code == 422
    scan = PageScan.of(answer.text)
    problems = [h for h in scan.links() if h.startswith("#")]
    # In the order of the fields on the page.
    assert problems[-4:] == ["#hours_sunday", "#micro_every", "#daily_cap", "#start_in"]
    assert not reminders_file(dirs).exists()


def test_a_broken_file_is_shown_and_saving_replaces_it(
    web: WebClient, dirs: Dirs, service: FakeService
) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    reminders_file(dirs).write_text("daily_cap = 16\n[micro]\nevery_minutes = 2\n", "utf-8")
    text = PageScan.of(web.get("/settings").text).text
    assert "Your reminder settings file has a mistake" in text
    assert "Saving this form replaces the file." in text
    assert "reminders.toml:3: micro.every_minutes" in text
    web.post_form("/settings/reminders", form(enabled="off"))
    text = PageScan.of(web.get("/settings").text).text
    assert "has a mistake" not in text
    assert "every_minutes = 30" in reminders_file(dirs).read_text(encoding="utf-8")


def test_switching_off_stops_the_service_and_removes_autostart(
    web: WebClient, dirs: Dirs, service: FakeService
) -> None:
    service.installed = True
    service.run()
    done = web.post_form("/settings/reminders", form(enabled="off", autostart="on"))
    assert done.status_code == 303
    assert service.calls == ["stop", "autostart off"]
    assert not service.running and not service.installed
    text = PageScan.of(web.get("/settings").text).text
    assert "Reminders off." in text
    assert "no longer start with your session" in text
    assert "enabled = false" in reminders_file(dirs).read_text(encoding="utf-8")


def test_start_with_my_computer_installs_the_entry(
    web: WebClient, dirs: Dirs, service: FakeService
) -> None:
    web.post_form("/settings/reminders", form(autostart="on"))
    # Installing starts the service: no second one is started beside it.
    assert service.calls == ["autostart on"]
    page = web.get("/settings")
    assert "Installed: reminders start when you log in." in page.text
    assert values(page.text)["autostart"] == "on"
    assert "An autostart entry starts the service when you log in." in page.text
    web.post_form("/settings/reminders", form())  # unticked, reminders still on
    assert service.calls[1:] == ["autostart off", "start"]
    assert not service.installed and service.running


def test_saving_when_on_and_running_starts_nothing_more(
    web: WebClient, service: FakeService
) -> None:
    web.post_form("/settings/reminders", form())
    web.post_form("/settings/reminders", form(daily_cap="12"))
    assert service.calls == ["start"]


def test_the_routine_voice_and_bell_form_still_saves(web: WebClient, dirs: Dirs) -> None:
    done = web.post_form(
        "/settings", {"default_routine": "hamstring-2min", "voice": "off", "bell": "on"}
    )
    assert done.status_code == 303
    assert load_preferences(Settings.from_env()).voice is False
    assert not reminders_file(dirs).exists()


def test_the_address_of_a_page_sent_back_leads_to_settings(web: WebClient) -> None:
    again = web.get("/settings/reminders", follow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (303, "/settings#reminders")
