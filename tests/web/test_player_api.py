"""The player's HTTP side: the plan as JSON (the very timeline the terminal plays), the page,
figures, session recording with validated bodies, check-ins, the cauda equina re-check and speech.

In-process (TestClient) against ``create_app`` with this test's own config and data folders.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.safety import CAUDA_EQUINA_IDS
from deskstretch.core.timeline import build_timeline
from deskstretch.web.app import create_app
from helpers.support import AnswersWriter, CliRunner, Dirs
from helpers.web_client import error_fields, jargon_in

BASE = "http://127.0.0.1:8767"
ROUTINE = "hamstring-2min"


class Browser:
    """A TestClient that sends what the page's script sends: the CSRF header and our Origin."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        client.get("/play/" + ROUTINE)  # sets the CSRF cookie
        self.token = client.cookies.get("deskstretch_csrf") or ""
        assert self.token

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post(self, url: str, body: Any = None, *, content: str | None = None) -> Any:
        headers = {"X-CSRF-Token": self.token, "Origin": BASE}
        if content is not None:
            headers["Content-Type"] = "application/json"
            return self.client.post(url, content=content, headers=headers)
        return self.client.post(url, json=body, headers=headers)

    def open_session(self, routine: str = ROUTINE) -> tuple[str, dict[str, Any]]:
        response = self.post("/api/sessions", {"routine_id": routine})
        assert response.status_code == 201, response.text
        data = response.json()
        return data["session_id"], data["plan"]


@pytest.fixture
def browser(dirs: Dirs) -> Iterator[Browser]:
    app = create_app(Settings.from_env())
    with TestClient(app, base_url=BASE) as client:
        yield Browser(client)


@pytest.fixture
def screened_browser(screened: Path, browser: Browser) -> Browser:
    return browser


def coach_plan(routine: str = ROUTINE) -> Any:
    coach = Coach(Settings.from_env())
    return coach.plan(coach.resolve_routine(routine, None))


def all_steps(plan: dict[str, Any], done: float = 0.0) -> list[dict[str, Any]]:
    return [
        {
            "step_index": step["index"],
            "done_seconds": done,
            "seconds_left": 0.0,
            "seconds_right": 0.0,
            "seconds_both": done,
            "completed": done > 0,
            "skipped": done < 1,
        }
        for step in plan["steps"]
    ]


def stored(dirs: Dirs, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(dirs.data / "deskstretch.sqlite3") as db:
        return db.execute(sql).fetchall()


# ----- the plan --------------------------------------------------------------------------------


@pytest.mark.parametrize("routine", ["hamstring-2min", "seated-5min", "standing-5min"])
def test_play_api_serialises_the_coach_timeline_exactly(
    screened_browser: Browser, routine: str
) -> None:
    response = screened_browser.get(f"/api/play/{routine}")
    assert response.status_code == 200
    data = response.json()
    plan = coach_plan(routine)
    timeline = build_timeline(plan.routine)
    assert timeline == plan.timeline
    assert len(data["segments"]) == len(timeline.segments) > 3
    for got, segment in zip(data["segments"], timeline.segments, strict=True):
        assert got["index"] == segment.index
        assert got["kind"] == segment.kind.value
        assert got["title"] == segment.title
        assert got["step_index"] == segment.step_index
        assert got["exercise_id"] == segment.exercise_id
        assert got["side"] == segment.side.value
        assert got["start_seconds"] == segment.start_seconds
        assert got["duration_seconds"] == segment.duration_seconds
        assert got["cue"] == segment.cue
        assert got["reps"] == segment.reps
        assert got["rep_seconds"] == segment.rep_seconds
        assert got["set_number"] == segment.set_number
        assert got["sets_total"] == segment.sets_total
        side_noun = timeline.steps[segment.step_index].exercise.side_noun
        expected_label = "" if segment.side.value == "both" else f"{segment.side} {side_noun}"
        assert got["side_label"] == expected_label
    assert data["total_seconds"] == timeline.total_seconds
    assert data["work_seconds"] == timeline.work_seconds()
    assert data["back_restart_seconds"] == 3.0
    assert [s["exercise_id"] for s in data["steps"]] == list(plan.routine.exercise_ids)
    for step in data["steps"]:
        assert step["keyframes"] >= 2
        assert 0 <= step["hold_on"] < step["keyframes"]


def test_play_api_lists_safety_changes_with_reasons(
    write_answers: AnswersWriter, run_cli: CliRunner, browser: Browser
) -> None:
    # Pregnancy (with clearance) takes some exercises out or swaps them; the plan says why.
    answers = write_answers(yes=["pregnancy"], clearance_confirmed=True)
    assert run_cli("check", "--from", answers).exit_code == 0
    data = browser.get("/api/play/seated-5min").json()
    plan = coach_plan("seated-5min")
    notes = [n["text"] for n in data["notes"] if n["kind"] == "safety"]
    assert notes == [change.reason for change in plan.changes]
    assert any("brace and march is left out" in note for note in notes)
    assert "seated-brace-march" not in [s["exercise_id"] for s in data["steps"]]
    assert len(data["segments"]) == len(plan.timeline.segments)


def test_play_page_has_the_player_and_its_assets(screened_browser: Browser) -> None:
    response = screened_browser.get(f"/play/{ROUTINE}")
    assert response.status_code == 200
    html = response.text
    assert 'id="player"' in html and f'data-routine-id="{ROUTINE}"' in html
    entry = r'<script type="module" src="/static/js/player/page\.js\?v=\w+"></script>'
    assert re.search(entry, html)
    assert 'role="progressbar"' in html and 'aria-live="polite"' in html
    assert "<script>" not in html and " style=" not in html  # the CSP allows neither
    for question_id in CAUDA_EQUINA_IDS:
        assert f'data-question="{question_id}"' in html
    assert "Seated pelvic tilts" in html


# ----- locked and unknown ------------------------------------------------------------------------


def test_unscreened_page_shows_advice_and_no_player(browser: Browser) -> None:
    page = browser.get(f"/play/{ROUTINE}")
    assert page.status_code == 403
    assert "Please answer the safety questions" in page.text
    assert 'id="player"' not in page.text and "js/player/" not in page.text
    api = browser.get(f"/api/play/{ROUTINE}")
    assert api.status_code == 403
    assert "answer the safety questions" in api.json()["detail"]
    opened = browser.post("/api/sessions", {"routine_id": ROUTINE})
    assert opened.status_code == 403


def test_red_flag_page_shows_the_urgent_advice(
    write_answers: AnswersWriter, run_cli: CliRunner, browser: Browser
) -> None:
    answers = write_answers(yes=[CAUDA_EQUINA_IDS[0]])
    run_cli("check", "--from", answers)
    page = browser.get(f"/play/{ROUTINE}")
    assert page.status_code == 403
    assert "emergency department" in page.text
    assert 'role="alert"' in page.text
    assert "emergency department" in browser.get(f"/api/play/{ROUTINE}").json()["detail"]


def test_unknown_routine_is_404_with_suggestions(screened_browser: Browser) -> None:
    page = screened_browser.get("/play/hamstring-2mn")
    assert page.status_code == 404
    assert 'href="/play/hamstring-2min"' in page.text
    api = screened_browser.get("/api/play/hamstring-2mn")
    assert api.status_code == 404
    assert "hamstring-2min" in api.json()["detail"]


# ----- figures ---------------------------------------------------------------------------------


def _structure(svg: str) -> list[tuple[str, tuple[str, ...], str]]:
    """Tag, attribute names and path command letters of every element, in order."""
    shape = []
    for tag, attrs in re.findall(r"<([a-z]+)([^>]*)>", svg):
        names = tuple(re.findall(r'([\w:-]+)="', attrs))
        d = re.search(r' d="([^"]*)"', attrs)
        shape.append((tag, names, re.sub(r"[^A-Za-z]", "", d.group(1)) if d else ""))
    return shape


def test_figure_keyframes_are_svg_with_one_structure(screened_browser: Browser) -> None:
    plan = screened_browser.get("/api/play/seated-5min").json()
    for step in plan["steps"]:
        shapes = []
        for k in range(step["keyframes"]):
            response = screened_browser.get(f"/figures/{step['exercise_id']}/{k}.svg")
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("image/svg+xml")
            assert response.text.lstrip().startswith("<svg")
            assert " style=" not in response.text  # inline styles would break the page's CSP
            shapes.append(_structure(response.text))
        # static/js/player/figure.js tweens attribute by attribute: the structure must not change.
        assert all(shape == shapes[0] for shape in shapes), step["exercise_id"]


@pytest.mark.parametrize("keyframe", ["99", "-1", "x", "1.5"])
def test_figure_bad_keyframe_is_404(screened_browser: Browser, keyframe: str) -> None:
    response = screened_browser.get(f"/figures/seated-pelvic-tilts/{keyframe}.svg")
    assert response.status_code == 404


def test_figure_unknown_exercise_is_404(screened_browser: Browser) -> None:
    assert screened_browser.get("/figures/no-such-stretch/0.svg").status_code == 404


# ----- sessions --------------------------------------------------------------------------------


def test_session_progress_and_finish_are_stored(screened_browser: Browser, dirs: Dirs) -> None:
    session_id, plan = screened_browser.open_session()
    assert plan["segments"] == screened_browser.get(f"/api/play/{ROUTINE}").json()["segments"]
    # Opening writes nothing yet: the record starts with the first segment (as in the terminal).
    assert stored(dirs, "select count(*) from sessions") == [(0,)]
    steps = all_steps(plan)
    steps[0].update(done_seconds=12.5, seconds_both=12.5, skipped=False)
    response = screened_browser.post(f"/api/sessions/{session_id}/progress", {"steps": steps})
    assert response.status_code == 200, response.text
    assert stored(dirs, "select id, status, front_end from sessions") == [
        (session_id, "in_progress", "browser")
    ]
    steps[0].update(done_seconds=30.0, seconds_both=30.0, completed=True)
    steps[1].update(done_seconds=45.0, seconds_left=30.0, seconds_right=15.0, skipped=False)
    finish = screened_browser.post(
        f"/api/sessions/{session_id}/finish", {"steps": steps, "status": "quit_early"}
    )
    assert finish.status_code == 200, finish.text
    assert finish.json()["status"] == "partial"  # the rule decides, not the page
    assert stored(dirs, "select status from sessions") == [("partial",)]
    rows = stored(
        dirs,
        "select step_index, done_seconds, seconds_left, seconds_right, completed, skipped "
        "from session_steps order by step_index",
    )
    assert rows == [(0, 30.0, 0.0, 0.0, 1, 0), (1, 45.0, 30.0, 15.0, 0, 0)]
    again = screened_browser.post(
        f"/api/sessions/{session_id}/finish", {"steps": steps, "status": "completed"}
    )
    assert again.status_code == 409
    late = screened_browser.post(f"/api/sessions/{session_id}/progress", {"steps": steps})
    assert late.status_code == 409


def test_a_page_skipped_to_the_end_is_saved_as_partial(
    screened_browser: Browser, dirs: Dirs
) -> None:
    """The page says "completed" when its player reached the end, skipped or not: the server
    applies the rule (80 % of the planned work done) to the seconds actually done."""
    session_id, plan = screened_browser.open_session()
    assert plan["complete_share"] == 0.8
    steps = all_steps(plan)
    steps[0].update(done_seconds=2.0, seconds_both=2.0, skipped=False)
    finish = screened_browser.post(
        f"/api/sessions/{session_id}/finish", {"steps": steps, "status": "completed"}
    )
    assert finish.status_code == 200, finish.text
    planned = sum(step["planned_seconds"] for step in plan["steps"])
    assert finish.json()["status"] == "partial"
    assert finish.json()["done_share"] == pytest.approx(2.0 / planned)
    assert stored(dirs, "select status from sessions") == [("partial",)]
    assert stored(dirs, "select sum(done_seconds) from session_steps") == [(2.0,)]


def test_session_survives_a_server_restart(screened: Path, dirs: Dirs) -> None:
    with TestClient(create_app(Settings.from_env()), base_url=BASE) as first:
        session_id, plan = Browser(first).open_session()
        steps = all_steps(plan)
        Browser(first).post(f"/api/sessions/{session_id}/progress", {"steps": steps})
        for step, planned in zip(steps, plan["steps"], strict=True):
            done = planned["planned_seconds"]
            step.update(done_seconds=done, seconds_both=done, completed=True, skipped=False)
    with TestClient(create_app(Settings.from_env()), base_url=BASE) as second:
        done = Browser(second).post(
            f"/api/sessions/{session_id}/finish", {"steps": steps, "status": "completed"}
        )
    assert done.status_code == 200, done.text
    assert stored(dirs, "select status from sessions") == [("completed",)]


def test_unknown_session_is_404(screened_browser: Browser) -> None:
    response = screened_browser.post(f"/api/sessions/{'0' * 32}/progress", {"steps": []})
    assert response.status_code == 404


def _bad_bodies() -> list[tuple[str, Any, str]]:
    good = {
        "step_index": 0,
        "done_seconds": 5.0,
        "seconds_left": 0.0,
        "seconds_right": 0.0,
        "seconds_both": 5.0,
        "completed": False,
        "skipped": False,
    }
    return [
        ("out of range", {"steps": [{**good, "step_index": 7}]}, "steps.0.step_index"),
        ("negative", {"steps": [{**good, "step_index": -1}]}, "steps.0.step_index"),
        ("twice", {"steps": [good, good]}, "steps.1.step_index"),
        (
            "negative seconds",
            {"steps": [{**good, "seconds_both": -1.0, "done_seconds": -1.0}]},
            "steps.0.done_seconds",
        ),
        (
            "too long",
            {"steps": [{**good, "seconds_both": 9000.0, "done_seconds": 9000.0}]},
            "steps.0.seconds_both",
        ),
        ("sides disagree", {"steps": [{**good, "done_seconds": 50.0}]}, "steps.0.done_seconds"),
        ("text seconds", {"steps": [{**good, "done_seconds": "lots"}]}, "steps.0.done_seconds"),
        (
            "missing flag",
            {"steps": [{k: v for k, v in good.items() if k != "completed"}]},
            "completed",
        ),
        ("extra field", {"steps": [good], "hack": 1}, "hack"),
        ("not a list", {"steps": "all"}, "steps"),
        ("bad status", {"steps": [good], "status": "abandoned"}, "status"),
    ]


@pytest.mark.parametrize(
    ("name", "body", "field"), _bad_bodies(), ids=[b[0] for b in _bad_bodies()]
)
def test_bad_session_bodies_are_4xx_naming_the_field(
    screened_browser: Browser, name: str, body: Any, field: str
) -> None:
    session_id, _plan = screened_browser.open_session()
    endpoint = "finish" if "status" in body else "progress"
    response = screened_browser.post(f"/api/sessions/{session_id}/{endpoint}", body)
    assert response.status_code == 422, response.text
    assert any(field in named for named in error_fields(response)), response.text
    assert jargon_in(response.json()["detail"]) == [], response.text


def test_session_body_that_is_not_json_is_400(screened_browser: Browser) -> None:
    session_id, _plan = screened_browser.open_session()
    response = screened_browser.post(f"/api/sessions/{session_id}/progress", content="{steps: oops")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "routine_id"),
        ({"routine_id": ""}, "routine_id"),
        ({"routine_id": ROUTINE, "extra": True}, "extra"),
    ],
)
def test_bad_session_open_is_422(screened_browser: Browser, body: Any, field: str) -> None:
    response = screened_browser.post("/api/sessions", body)
    assert response.status_code == 422
    assert any(field in named for named in error_fields(response)), response.text
    assert jargon_in(response.json()["detail"]) == [], response.text


def test_posts_without_the_csrf_header_are_refused(screened_browser: Browser) -> None:
    response = screened_browser.client.post(
        "/api/sessions", json={"routine_id": ROUTINE}, headers={"Origin": BASE}
    )
    assert response.status_code == 403


# ----- check-ins and the cauda equina re-check ---------------------------------------------------


def test_checkins_before_and_after_apply_the_pain_rules(
    screened_browser: Browser, dirs: Dirs
) -> None:
    session_id, plan = screened_browser.open_session()
    before = screened_browser.post(
        f"/api/sessions/{session_id}/checkin",
        {"context": "before", "back_pain": 2, "leg_pain": None},
    )
    assert before.status_code == 200, before.text
    assert before.json() == {
        "messages": [],
        "too_much": False,
        "reask_cauda_equina": False,
        "questions": [],
    }
    screened_browser.post(
        f"/api/sessions/{session_id}/finish",
        {"steps": all_steps(plan, 10.0), "status": "completed"},
    )
    after = screened_browser.post(
        f"/api/sessions/{session_id}/checkin",
        {"context": "after", "back_pain": 5, "leg_pain": None},
    ).json()
    assert after["too_much"] is True
    assert "a bit much" in after["messages"][0]
    assert after["reask_cauda_equina"] is True  # a jump of 3 points asks the questions again
    assert [q["id"] for q in after["questions"]] == list(CAUDA_EQUINA_IDS)
    assert stored(dirs, "select context, back_pain, session_id from checkins order by at") == [
        ("before_session", 2, session_id),
        ("after_session", 5, session_id),
    ]
    assert stored(dirs, "select too_much from sessions") == [(1,)]


def test_cauda_equina_yes_locks_routines_with_advice(screened_browser: Browser) -> None:
    answers = dict.fromkeys(CAUDA_EQUINA_IDS, False)
    fine = screened_browser.post("/api/safety/cauda-equina", {"answers": answers})
    assert fine.status_code == 200
    assert fine.json()["routines_allowed"] is True
    answers[CAUDA_EQUINA_IDS[1]] = True
    locked = screened_browser.post("/api/safety/cauda-equina", {"answers": answers}).json()
    assert locked["routines_allowed"] is False
    assert "emergency" in locked["advice"]
    assert screened_browser.get(f"/api/play/{ROUTINE}").status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"context": "before", "back_pain": 11}, "back_pain"),
        ({"context": "before", "back_pain": -1}, "back_pain"),
        ({"context": "before", "leg_pain": "7"}, "leg_pain"),
        ({"context": "before", "back_pain": 3.5}, "back_pain"),
        ({"context": "during", "back_pain": 3}, "context"),
        ({"context": "before"}, "back_pain"),
        ({"back_pain": 3}, "context"),
    ],
)
def test_bad_checkins_are_422_naming_the_field(
    screened_browser: Browser, body: Any, field: str
) -> None:
    session_id, _plan = screened_browser.open_session()
    response = screened_browser.post(f"/api/sessions/{session_id}/checkin", body)
    assert response.status_code == 422, response.text
    assert any(field in named for named in error_fields(response)), response.text
    assert jargon_in(response.json()["detail"]) == [], response.text


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            {"context": "before", "back_pain": 11},
            "Back pain: a whole number from 0 to 10 (you sent 11).",
        ),
        (
            {"context": "after"},
            "Back pain: choose a number from 0 to 10 for your back, your leg or both",
        ),
        ({"back_pain": 3}, "When: missing; give 'before' or 'after' the session."),
    ],
)
def test_player_checkin_problems_are_said_in_plain_words(
    screened_browser: Browser, body: Any, detail: str
) -> None:
    session_id, _plan = screened_browser.open_session()
    response = screened_browser.post(f"/api/sessions/{session_id}/checkin", body)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"made_up": True}}, "answers.made_up"),
        ({"answers": {}}, "answers"),
        ({"answers": {CAUDA_EQUINA_IDS[0]: "yes"}}, "answers"),
        ({}, "answers"),
    ],
)
def test_bad_cauda_equina_answers_are_422(screened_browser: Browser, body: Any, field: str) -> None:
    response = screened_browser.post("/api/safety/cauda-equina", body)
    assert response.status_code == 422, response.text
    assert any(field in named for named in error_fields(response)), response.text
    assert jargon_in(response.json()["detail"]) == [], response.text


# ----- speech ----------------------------------------------------------------------------------


def test_speech_is_a_wav_made_by_espeak_and_cached(screened_browser: Browser, dirs: Dirs) -> None:
    from deskstretch.system.espeak import find_speaker

    if find_speaker() is None:
        pytest.fail("espeak-ng is not installed: `make test` installs it (apt install espeak-ng)")
    text = "Hold on the left leg for 30 seconds. Ease into a mild pull, never pain."
    response = screened_browser.post("/api/speech", {"text": text})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    body = response.content
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    assert len(body) > 20_000  # a few seconds of 22 kHz speech, not an empty file
    cached = list((dirs.data / "cache" / "speech").glob("*.wav"))
    assert len(cached) == 1 and cached[0].read_bytes() == body
    assert screened_browser.post("/api/speech", {"text": text}).content == body


@pytest.mark.parametrize(
    ("text", "status"),
    [("x" * 401, 422), ("", 422), ("line one\nline two", 400), ("bell\x07", 400)],
)
def test_speech_rejects_long_or_odd_text(screened_browser: Browser, text: str, status: int) -> None:
    response = screened_browser.post("/api/speech", {"text": text})
    assert response.status_code == status
    assert "text" in response.json()["detail"].lower()


def test_speech_without_espeak_is_503(
    screened_browser: Browser, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert os.environ["PATH"] == str(tmp_path)
    response = screened_browser.post("/api/speech", {"text": "Hold"})
    assert response.status_code == 503
    assert response.json()["error"] == "espeak-ng is not installed"
