"""Bad input of every kind gets a 4xx that says what was wrong, and changes nothing; never a 500.

The client raises on any server error (raise_server_exceptions), so a crash fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from deskstretch.coach import Coach
from deskstretch.config import Settings, load_preferences
from deskstretch.core.safety import CONDITION_QUESTIONS, RED_FLAG_QUESTIONS
from helpers.web_client import BASE, PageScan, WebClient, error_fields, jargon_in

BAD_SCORES = ["11", "-1", "abc", "3.5", "1e1", "٣", " 4 5", "0x3", "9" * 40, "10; drop table"]


def all_no() -> dict[str, str]:
    form = {f"rf-{q.id}": "no" for q in RED_FLAG_QUESTIONS}
    form |= {f"cond-{q.id}": "no" for q in CONDITION_QUESTIONS}
    return form


@pytest.mark.parametrize("value", BAD_SCORES)
@pytest.mark.parametrize("field", ["back_pain", "leg_pain"])
def test_checkin_rejects_bad_scores(web: WebClient, history: Coach, field: str, value: str) -> None:
    response = web.post_form("/checkin", {field: value})
    assert response.status_code == 422  # Today again, not an error page
    scan = PageScan.of(response.text)
    label = "Back pain" if field == "back_pain" else "Leg pain"
    assert f"{label}: enter a whole number from 0 to 10" in scan.text  # the summary
    assert "Enter a whole number from 0 to 10" in problem_beside(scan, field)
    assert history.progress_summary().pain.back.latest == 3  # nothing new was stored


def problem_beside(scan: PageScan, field: str) -> str:
    """The problem the page says beside ``field`` (its inputs point at it), or ''."""
    described = {
        a.get("aria-describedby", "")
        for tag, a in scan.tags
        if tag == "input" and a.get("name") == field and a.get("aria-invalid") == "true"
    }
    assert len(described) <= 1, described
    target = next(iter(described), "").split(" ")[0]
    return scan.text_of(target) if target else ""


def test_checkin_needs_at_least_one_score(web: WebClient) -> None:
    response = web.post_form("/checkin", {})
    assert response.status_code == 422
    scan = PageScan.of(response.text)
    assert scan.h1_text[0].startswith("Today")
    assert problem_beside(scan, "back_pain") == (
        "Choose a number from 0 to 10 for your back, your leg or both."
    )
    assert "#q-back_pain" in scan.links()  # the summary links to the scale


def test_checkin_keeps_the_other_choice_and_lists_every_problem(web: WebClient) -> None:
    response = web.post_form("/checkin", {"back_pain": "12", "leg_pain": "x"})
    text = PageScan.of(response.text).text
    assert "Back pain: enter a whole number from 0 to 10 (you typed '12')" in text
    assert "Leg pain: enter a whole number from 0 to 10 (you typed 'x')" in text
    kept = web.post_form("/checkin", {"back_pain": "12", "leg_pain": "4"})
    scan = PageScan.of(kept.text)
    assert kept.status_code == 422
    assert checked(scan) == {("leg_pain", "4")}
    assert problem_beside(scan, "leg_pain") == ""
    assert "you typed '12'" in problem_beside(scan, "back_pain")


def checked(scan: PageScan) -> set[tuple[str, str]]:
    return {(a["name"], a["value"]) for tag, a in scan.tags if tag == "input" and "checked" in a}


def test_checkin_with_a_problem_is_not_stored(web: WebClient, history: Coach) -> None:
    web.post_form("/checkin", {"back_pain": "11", "leg_pain": "2"})
    assert history.progress_summary().pain.leg.latest == 1  # the seeded one, not 2


def test_long_bad_value_is_shortened_in_the_message(web: WebClient) -> None:
    response = web.post_form("/checkin", {"back_pain": "7" * 500})
    assert response.status_code == 422
    assert "7" * 200 not in response.text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("position=lying", "Position"),
        ("equipment=ball", "Equipment"),
        ("target=eyebrows", "Target"),
        ("max_minutes=4", "Time"),
        ("max_minutes=-1", "Time"),
        ("max_minutes=abc", "Time"),
        ("position=%00", "Position"),
    ],
)
def test_library_rejects_bad_filters(web: WebClient, query: str, field: str) -> None:
    response = web.get(f"/library?{query}")
    assert response.status_code == 400
    assert f"{field}:" in PageScan.of(response.text).text


def test_library_ignores_empty_filters_and_unknown_parameters(web: WebClient) -> None:
    response = web.get("/library?position=&target=&equipment=&max_minutes=&page=2")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/library/%00", "/library/" + "x" * 300, "/library/S99", "/library/%E2%80%AE"]
)
def test_unknown_exercise_is_a_404_page(web: WebClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 404
    assert PageScan.of(response.text).h1_text == ["Exercise not found"]


def test_path_outside_the_library_is_a_plain_404(web: WebClient) -> None:
    response = web.get("/library/..%2F..%2Fetc%2Fpasswd")
    assert response.status_code == 404
    assert "root:" not in response.text


def test_unknown_exercise_suggests_close_names(web: WebClient) -> None:
    response = web.get("/library/seated-hamstring-hing")
    assert response.status_code == 404
    scan = PageScan.of(response.text)
    assert "/library/seated-hamstring-hinge" in scan.links()
    assert scan.links().count("/library/seated-hamstring-hinge") == 1


def test_exercise_by_code_or_name_redirects_to_its_address(web: WebClient) -> None:
    for ref in ("S01", "s01", "Seated%20hamstring%20hinge"):
        response = web.get(f"/library/{ref}", follow_redirects=False)
        assert response.status_code == 308
        assert response.headers["location"] == "/library/seated-hamstring-hinge"


@pytest.mark.parametrize("path", ["/routines/nope.toml", "/routines/..%2Fconfig.toml"])
def test_unknown_routine_file_is_a_404(web: WebClient, path: str) -> None:
    assert web.get(path).status_code == 404


def test_unknown_page_and_wrong_method(web: WebClient) -> None:
    assert web.get("/nope").status_code == 404
    response = web.post_form("/help", {})
    assert response.status_code == 405
    assert "not allowed" in response.text


@pytest.mark.parametrize(
    "form",
    [
        {"default_routine": "nope", "voice": "on", "bell": "on"},
        {"default_routine": "hamstring-2min", "voice": "maybe", "bell": "on"},
        {"default_routine": "hamstring-2min", "voice": "on"},
        {},
    ],
)
def test_settings_reject_bad_values(web: WebClient, form: dict[str, str]) -> None:
    response = web.post_form("/settings", form)
    assert response.status_code == 400
    assert "Settings not saved" in response.text
    assert not Settings.from_env().config_file.exists()


def test_safety_form_with_a_missing_answer_keeps_the_others(web: WebClient) -> None:
    form = all_no()
    del form["rf-ces-saddle"]
    form["cond-balance"] = "yes"
    response = web.post_form("/safety", form)
    assert response.status_code == 400
    scan = PageScan.of(response.text)
    assert "#q-rf-ces-saddle" in scan.links()  # the error summary links to the question
    checked = {(a["name"], a["value"]) for tag, a in scan.tags if tag == "input" and "checked" in a}
    assert ("cond-balance", "yes") in checked
    assert ("rf-ces-bladder", "no") in checked
    assert not Settings.from_env().screening_file.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("rf-ces-bladder", "cleared"), ("rf-cancer-history", "perhaps"), ("cond-glaucoma", "1")],
)
def test_safety_form_rejects_answers_that_are_not_offered(
    web: WebClient, field: str, value: str
) -> None:
    """'Cleared by a doctor' does not exist for the cauda equina questions."""
    response = web.post_form("/safety", {**all_no(), field: value})
    assert response.status_code == 400
    assert not Settings.from_env().screening_file.exists()


def test_safety_form_needs_the_clearance_answer_only_when_it_applies(web: WebClient) -> None:
    response = web.post_form("/safety", {**all_no(), "cond-pregnancy": "yes"})
    assert response.status_code == 400
    assert "#q-clearance" in PageScan.of(response.text).links()
    assert web.post_form("/safety", all_no()).status_code == 303


def test_recheck_needs_every_answer(web: WebClient) -> None:
    response = web.post_form("/safety/recheck", {"rf-ces-bladder": "no"})
    assert response.status_code == 400
    assert "Answers not saved" in response.text


@pytest.mark.parametrize(
    "form",
    [
        {"test": "sit-and-reach", "cm": "abc", "leg": "left", "bending_hurts": "no"},
        {"test": "sit-and-reach", "cm": "3", "bending_hurts": "no"},
        {"test": "sit-and-reach", "cm": "3", "leg": "middle", "bending_hurts": "no"},
        {"test": "sit-and-reach", "cm": "99", "leg": "left", "bending_hurts": "no"},
        {"test": "sit-and-reach", "cm": "nan", "leg": "left", "bending_hurts": "no"},
        {"test": "sit-and-reach", "cm": "inf", "leg": "left", "bending_hurts": "no"},
        {"test": "toe-touch", "cm": "-3", "bending_hurts": "no"},
        {"test": "toe-touch", "cm": "3"},
        {"test": "handstand", "cm": "3", "bending_hurts": "no"},
        {"test": "toe-touch", "cm": "3", "bending_hurts": "no", "note": "n" * 501},
        {},
    ],
)
def test_measurement_rejects_bad_values(
    web: WebClient, history: Coach, form: dict[str, str]
) -> None:
    response = web.post_form("/progress/measurements", form)
    assert response.status_code == 422
    scan = PageScan.of(response.text)
    assert scan.h1_text == ["Progress"]
    summary = scan.text_of("problems")
    assert summary.startswith("Your test result was not saved")
    assert "expected" not in summary and ", got" not in summary and jargon_in(summary) == []
    assert len(history.progress_summary().flexibility) == 1  # only the seeded test
    points = next(f.points for f in history.progress_summary().flexibility)
    assert [value for _day, value in points] == [-4.0]


def test_measurement_refused_when_bending_hurts(web: WebClient, history: Coach) -> None:
    form = {"test": "toe-touch", "cm": "5", "bending_hurts": "yes", "note": "after a walk"}
    response = web.post_form("/progress/measurements", form)
    assert response.status_code == 422
    scan = PageScan.of(response.text)
    assert "bending forward hurts" in scan.text_of("bending_hurts-toe-touch-problem")
    assert values_of(scan, "toe-touch") == {"cm": "5", "note": "after a walk"}
    assert len(history.progress_summary().flexibility) == 1


def values_of(scan: PageScan, slug: str) -> dict[str, str]:
    """The typed values in the text fields of test ``slug``'s form."""
    return {
        a["name"]: a.get("value", "")
        for tag, a in scan.tags
        if tag == "input" and a.get("id", "").endswith(f"-{slug}") and a.get("type") == "text"
    }


@pytest.mark.parametrize(
    ("test", "cm", "message"),
    [
        ("sit-and-reach", "99", "Enter a number between −40 and 40 cm (you typed '99')."),
        ("sit-and-reach", "abc", "Enter a number between −40 and 40 cm (you typed 'abc')."),
        ("sit-and-reach", "", "Enter a number between −40 and 40 cm."),
        ("toe-touch", "-3", "Enter a number between 0 and 80 cm (you typed '-3')."),
        ("toe-touch", "nan", "Enter a number between 0 and 80 cm (you typed 'nan')."),
    ],
)
def test_measurement_says_the_range_beside_the_field_and_keeps_the_rest(
    web: WebClient, history: Coach, test: str, cm: str, message: str
) -> None:
    form = {"test": test, "cm": cm, "leg": "right", "bending_hurts": "no", "note": "morning"}
    response = web.post_form("/progress/measurements", form)
    assert response.status_code == 422
    scan = PageScan.of(response.text)
    assert scan.text_of(f"cm-{test}-problem") == message
    assert problem_beside(scan, "cm") == message
    assert values_of(scan, test) == {"cm": cm, "note": "morning"}
    kept = checked(scan)
    assert ("bending_hurts", "no") in kept
    assert (("leg", "right") in kept) is (test == "sit-and-reach")
    other = "toe-touch" if test == "sit-and-reach" else "sit-and-reach"
    assert values_of(scan, other) == {"cm": "", "note": ""}  # the other test's form is untouched
    assert f"#q-cm-{test}" in scan.links()  # the summary links to the field
    assert len(history.progress_summary().flexibility) == 1


def test_measurement_asks_for_the_leg_and_the_bending_answer_in_words(
    web: WebClient, history: Coach
) -> None:
    response = web.post_form("/progress/measurements", {"test": "sit-and-reach", "cm": "3"})
    scan = PageScan.of(response.text)
    assert scan.text_of("leg-sit-and-reach-problem") == "Choose the left or the right leg."
    assert scan.text_of("bending_hurts-sit-and-reach-problem") == "Choose yes or no."
    assert values_of(scan, "sit-and-reach")["cm"] == "3"


def test_measurement_refused_while_routines_are_locked(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer(yes=("cancer-history",))
    form = {"test": "toe-touch", "cm": "5", "bending_hurts": "no"}
    response = web.post_form("/progress/measurements", form)
    assert response.status_code == 403
    assert "paused" in response.text


# -- the JSON API ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"back_pain": 11}, "back_pain"),
        ({"back_pain": -1}, "back_pain"),
        ({"back_pain": "3"}, "back_pain"),
        ({"back_pain": 3.5}, "back_pain"),
        ({"back_pain": True}, "back_pain"),
        ({"leg_pain": [1]}, "leg_pain"),
        ({"back_pain": 3, "note": "n" * 501}, "note"),
        ({"back_pain": 3, "mood": "fine"}, "mood"),
        ({}, "body"),
        ({"back_pain": None, "leg_pain": None}, "body"),
    ],
)
def test_api_checkin_names_the_bad_field(
    web: WebClient, history: Coach, body: dict[str, object], field: str
) -> None:
    response = web.post_json("/api/checkins", body)
    assert response.status_code == 422
    assert field in error_fields(response)
    assert jargon_in(response.json()["detail"]) == [], response.text
    assert history.progress_summary().pain.back.latest == 3


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"back_pain": 11}, "Back pain: a whole number from 0 to 10 (you sent 11)."),
        ({"leg_pain": "7"}, "Leg pain: a whole number from 0 to 10 (you sent '7')."),
        ({}, "Choose a number from 0 to 10 for your back, your leg or both."),
        ({"back_pain": 3, "note": "n" * 501}, "Note: at most 500 characters (you sent 'nnnn"),
        ({"back_pain": 3, "mood": "fine"}, "Mood: not expected here; leave it out."),
    ],
)
def test_api_checkin_says_what_is_wrong_in_plain_words(
    web: WebClient, body: dict[str, object], detail: str
) -> None:
    response = web.post_json("/api/checkins", body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)


def test_the_checkin_address_leads_to_today(web: WebClient) -> None:
    """Today sent back with a problem is at /checkin: reloading it (a GET) goes to Today."""
    response = web.get("/checkin", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    sent_back = PageScan.of(web.post_form("/checkin", {}).text)
    current = [a["href"] for tag, a in sent_back.tags if tag == "a" and "aria-current" in a]
    assert current == ["/"]  # still Today in the navigation


@pytest.mark.parametrize("content", ["{", "not json", "[1, 2]", '"text"', "null", ""])
def test_api_checkin_rejects_a_body_that_is_not_an_object(web: WebClient, content: str) -> None:
    response = web.post_json("/api/checkins", content=content)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ["position=lying", "equipment=ball", "target=" + "x" * 41])
def test_api_exercises_rejects_bad_filters(web: WebClient, query: str) -> None:
    response = web.get(f"/api/exercises?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in query


def test_api_unknown_path_is_json(web: WebClient) -> None:
    response = web.get("/api/nothing")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_broken_config_file_does_not_break_the_pages(web: WebClient) -> None:
    settings = Settings.from_env()
    settings.config_file.parent.mkdir(parents=True, exist_ok=True)
    settings.config_file.write_text("default_routine = [\n", encoding="utf-8")
    assert web.get("/").status_code == 200
    response = web.get("/settings")
    assert response.status_code == 200
    assert "could not be read" in response.text
    saved = web.post_form(
        "/settings", {"default_routine": "seated-5min", "voice": "off", "bell": "on"}
    )
    assert saved.status_code == 303
    assert load_preferences(settings).default_routine == "seated-5min"


def test_an_unexpected_error_is_a_friendly_500_page(app: FastAPI) -> None:
    """The last resort exists and keeps the headers (no input in these tests reaches it)."""

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "a bug" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
