"""What a person does in the browser, end to end in-process: answer the safety questions, see
Today change, check in, record a test, change settings, download files, use the JSON API."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings, load_preferences, load_screening
from helpers.web_client import PageScan, WebClient, safety_form, start_links


def test_new_person_is_asked_the_safety_questions_first(web: WebClient) -> None:
    today = web.get("/")
    assert start_links(today.text) == []
    assert "First, a few safety questions" in today.text
    assert "/safety" in PageScan.of(today.text).links()


def test_answering_no_everywhere_opens_todays_routine(web: WebClient) -> None:
    response = web.post_form("/safety", safety_form(), follow=True)
    assert response.status_code == 200
    assert "You are all set" in response.text
    screening = load_screening(Settings.from_env())
    assert screening is not None and screening.is_complete
    assert start_links(web.get("/").text) == ["/play/hamstring-2min"]


def test_red_flag_locks_todays_start_button(web: WebClient, answer: Callable[..., None]) -> None:
    answer()
    assert start_links(web.get("/").text) == ["/play/hamstring-2min"]
    response = web.post_form("/safety", safety_form(**{"rf-ces-bladder": "yes"}), follow=True)
    assert "Get emergency help now" in response.text
    assert "Routines are paused" in response.text
    today = web.get("/")
    assert start_links(today.text) == []
    assert "Get emergency help now" in today.text
    assert "emergency department" in today.text
    assert "/help" in PageScan.of(today.text).links()


def test_clearable_red_flag_cleared_by_a_doctor_keeps_routines_open(web: WebClient) -> None:
    form = safety_form(**{"rf-cancer-history": "cleared"})
    response = web.post_form("/safety", form, follow=True)
    assert "You are all set" in response.text
    screening = load_screening(Settings.from_env())
    assert screening is not None and screening.red_flags_cleared == {"cancer-history"}
    assert start_links(web.get("/").text)


def test_conditions_adapt_the_routine_and_say_why(web: WebClient) -> None:
    form = safety_form(**{"cond-hip-replacement-posterior": "yes"})
    result = web.post_form("/safety", form, follow=True)
    assert "Seated hamstring hinge" in result.text  # listed as left out, with the reason
    today = web.get("/")
    assert "Adjusted for you" in today.text
    assert "because you told us about your hip replacement" in today.text


def test_clearance_needed_until_the_clinician_okay_is_confirmed(web: WebClient) -> None:
    web.post_form("/safety", safety_form(**{"cond-pregnancy": "yes", "clearance": "no"}))
    assert start_links(web.get("/").text) == []
    assert "Check with your clinician first" in web.get("/").text
    web.post_form("/safety", safety_form(**{"cond-pregnancy": "yes", "clearance": "yes"}))
    assert start_links(web.get("/").text)


def test_safety_form_opens_with_the_stored_answers(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer(yes=("balance",))
    scan = PageScan.of(web.get("/safety").text)
    checked = {(a["name"], a["value"]) for tag, a in scan.tags if tag == "input" and "checked" in a}
    assert ("cond-balance", "yes") in checked
    assert ("rf-ces-bladder", "no") in checked


def test_checkin_shows_up_on_progress(web: WebClient, answer: Callable[..., None]) -> None:
    answer()
    assert "No pain ratings yet" in web.get("/progress").text
    response = web.post_form(
        "/checkin", {"back_pain": "4", "leg_pain": "1", "next": "/"}, follow=True
    )
    assert response.status_code == 200
    assert "Check-in saved: back 4/10, leg 1/10" in response.text
    progress = web.get("/progress")
    assert "No pain ratings yet" not in progress.text
    scan = PageScan.of(progress.text)
    assert "back pain rated on 1 day, latest 4 out of 10" in scan.text
    assert "leg pain rated on 1 day, latest 1 out of 10" in scan.text


def test_flash_message_is_shown_once(web: WebClient, answer: Callable[..., None]) -> None:
    answer()
    web.post_form("/checkin", {"back_pain": "2"}, follow=True)
    assert "Check-in saved" not in web.get("/").text


def test_forged_flash_cookie_is_ignored(web: WebClient) -> None:
    web.client.cookies.set("deskstretch_flash", "W3sidGV4dCI6ICJoYWNrZWQifV0.deadbeef")
    assert "hacked" not in web.get("/").text


def test_checkin_redirects_only_to_local_pages(web: WebClient, answer: Callable[..., None]) -> None:
    answer()
    for target, expected in (
        ("/progress", "/progress"),
        ("https://evil.example/", "/"),
        ("//evil", "/"),
    ):
        response = web.post_form("/checkin", {"back_pain": "2", "next": target})
        assert response.headers["location"] == expected


def test_leg_pain_after_none_asks_the_bladder_questions_again(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer()
    web.post_form("/checkin", {"back_pain": "2", "leg_pain": "0"})
    response = web.post_form("/checkin", {"back_pain": "2", "leg_pain": "5"}, follow=True)
    assert "/safety/recheck" in PageScan.of(response.text).links()
    answers = {f"rf-{key}": "no" for key in ("ces-bladder", "ces-control", "ces-saddle")}
    answers |= {f"rf-{key}": "no" for key in ("ces-sexual", "ces-both-legs", "ces-weak-legs")}
    answers["rf-ces-weak-legs"] = "yes"
    result = web.post_form("/safety/recheck", answers, follow=True)
    assert "Get emergency help now" in result.text
    assert start_links(web.get("/").text) == []


def test_measurement_is_saved_and_compared(web: WebClient, history: Coach) -> None:
    form = {"test": "sit-and-reach", "cm": "−2,5", "leg": "left", "bending_hurts": "no"}
    response = web.post_form("/progress/measurements", form, follow=True)
    assert response.status_code == 200
    assert "Saved: -2.5 cm." in response.text
    assert "Since your first test" in response.text
    series = history.progress_summary().flexibility
    assert [point[1] for point in series[0].points] == [-4.0, -2.5]


def test_tests_are_not_offered_with_osteoporosis(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer(yes=("osteoporosis",))
    page = web.get("/progress").text
    assert "not advised for you" in page
    assert 'action="/progress/measurements"' not in page


def test_settings_change_todays_routine(web: WebClient, answer: Callable[..., None]) -> None:
    answer()
    # Voice off: the default is on, so only a saved change (and a fresh copy) reads False.
    form = {"default_routine": "seated-5min", "voice": "off", "bell": "off"}
    response = web.post_form("/settings", form, follow=True)
    assert "Settings saved." in response.text
    preferences = load_preferences(Settings.from_env())
    assert (preferences.default_routine, preferences.voice, preferences.bell) == (
        "seated-5min",
        False,
        False,
    )
    assert start_links(web.get("/").text) == ["/play/seated-5min"]
    coach: Coach = web.client.app.state.coach  # type: ignore[attr-defined]
    assert coach.preferences.voice is False  # the Coach forgot its cached copy


def test_library_filters(web: WebClient) -> None:
    seated = PageScan.of(web.get("/library?position=seated").text)
    standing = PageScan.of(web.get("/library?position=standing&equipment=desk").text)
    assert "/library/seated-hamstring-hinge" in seated.links()
    assert "/library/desk-leg-swings" not in seated.links()
    assert "/library/desk-leg-swings" in standing.links()
    short = PageScan.of(web.get("/library?max_minutes=1").text)
    assert "/library/seated-hamstring-hinge" not in short.links()  # 2 x 30 s per leg
    assert "No exercises match" in web.get("/library?position=standing&target=nerve").text


def test_routines_page_offers_play_and_the_toml_file(web: WebClient, screened: Path) -> None:
    links = PageScan.of(web.get("/routines").text).links()
    assert "/play/seated-5min" in links
    assert "/routines/seated-5min.toml" in links
    response = web.get("/routines/seated-5min.toml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/toml")
    assert 'filename="seated-5min.toml"' in response.headers["content-disposition"]
    assert 'id = "seated-5min"' in response.text


def test_own_routine_file_can_be_downloaded(web: WebClient) -> None:
    settings = Settings.from_env()
    settings.routines_dir.mkdir(parents=True)
    text = 'id = "mine"\nname = "Mine"\n\n[[steps]]\nexercise = "seated-pelvic-tilts"\n'
    (settings.routines_dir / "mine.toml").write_text(text, encoding="utf-8")
    web.client.app.state.coach = Coach(settings)  # type: ignore[attr-defined]
    assert "Yours" in web.get("/routines").text
    assert web.get("/routines/mine.toml").text == text


def test_exports(web: WebClient, history: Coach) -> None:
    data = web.get("/export.json")
    assert "attachment" in data.headers["content-disposition"]
    assert len(json.loads(data.text)["checkins"]) == 5
    archive = zipfile.ZipFile(io.BytesIO(web.get("/export.csv").content))
    assert "checkins.csv" in archive.namelist()
    assert archive.read("checkins.csv").decode().count("\n") == 6


def test_report_is_the_clinician_summary(web: WebClient, history: Coach) -> None:
    response = web.get("/report")
    assert "deskstretch progress summary" in response.text
    assert "<svg" in response.text


def test_api_lists_routines_and_exercises(web: WebClient) -> None:
    routines = web.get("/api/routines").json()
    assert {r["id"] for r in routines} >= {"hamstring-2min", "seated-5min"}
    first = next(r for r in routines if r["id"] == "hamstring-2min")
    assert first["play_url"] == "/play/hamstring-2min"
    assert first["steps"][0]["exercise_id"] == "seated-pelvic-tilts"
    seated = web.get("/api/exercises?position=seated&equipment=chair").json()
    assert seated and all(e["position"] == "seated" for e in seated)


def test_api_checkin_and_progress(web: WebClient, answer: Callable[..., None]) -> None:
    answer()
    created = web.post_json("/api/checkins", {"back_pain": 3, "note": "after lunch"})
    assert created.status_code == 201
    body = created.json()
    assert (body["back_pain"], body["leg_pain"]) == (3, None)
    progress = web.get("/api/progress").json()
    assert progress["latest_back_pain"] == 3
    assert progress["goal_days"] == 5
    assert len(progress["weeks"]) == 12


@pytest.mark.parametrize("score", ["0", "10"])
def test_checkin_accepts_the_ends_of_the_scale(
    web: WebClient, answer: Callable[..., None], score: str
) -> None:
    answer()
    assert web.post_form("/checkin", {"leg_pain": score}).status_code == 303


def test_report_page_has_a_main_landmark_and_links_back(web: WebClient, history: Coach) -> None:
    scan = PageScan.of(web.get("/report").text)
    assert scan.count("main") == 1
    assert scan.count("h1") == 1
    assert {"/progress", "/help"} <= set(scan.links())


def test_report_file_written_by_the_cli_has_no_app_links(history: Coach) -> None:
    from datetime import datetime

    from deskstretch.exports.report import render_report

    html = render_report(history.progress_summary(), datetime.now().astimezone())
    assert 'href="/help"' not in html
    assert "<main>" in html
