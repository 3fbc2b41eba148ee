"""Figures people can follow (issue 11 item 6): the exercise page leads with a large figure that
animates, and a small held-pose figure sits beside each exercise in the Library, in today's
session and in the programme's routines. One macro draws them; they are decorative (the name
beside them is read instead), carry no ids, and no inline style."""

from __future__ import annotations

import re
from pathlib import Path

from deskstretch.catalogue.loader import load_catalogue
from deskstretch.coach import Coach
from deskstretch.config import Settings
from helpers.web_client import PageScan, WebClient

THUMB = re.compile(r'<span class="thumb">(<svg[^>]*class="ds-thumb"[^>]*>.*?</svg>)</span>', re.S)
PROGRAMME = "desk-back-6-weeks"


def _thumbs(html: str) -> list[str]:
    return THUMB.findall(html)


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def _assert_decorative(svg: str) -> None:
    assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg
    assert "role=" not in svg and "<title" not in svg
    assert " id=" not in svg and " style=" not in svg


def test_library_shows_each_exercise_with_its_held_pose(web: WebClient) -> None:
    html = web.get("/library").text
    catalogue = load_catalogue()
    thumbs = _thumbs(html)
    assert len(thumbs) == len(catalogue.exercises)
    for svg in thumbs:
        _assert_decorative(svg)
        assert 'width="64"' in svg
    # A filter shows fewer cards, each still with its figure.
    seated = web.get("/library?position=seated").text
    assert 0 < len(_thumbs(seated)) < len(thumbs)


def test_exercise_page_leads_with_a_large_figure_that_animates(web: WebClient) -> None:
    exercise = load_catalogue().find("S02")
    html = web.get(f"/library/{exercise.id}").text
    scan = PageScan.of(html)
    stage = re.search(
        r'<figure class="ex-stage" id="exercise-figure"([^>]*)>(.*?)</figure>', html, re.S
    )
    assert stage is not None
    attrs, inner = stage.groups()
    assert f'data-exercise-id="{exercise.id}"' in attrs
    assert f'data-keyframes="{len(exercise.keyframes)}"' in attrs
    assert f'data-hold-on="{exercise.hold_on % len(exercise.keyframes)}"' in attrs
    label = re.search(r'<div class="ex-stage-figure" role="img" aria-label="([^"]+)">', inner)
    assert label is not None
    assert exercise.name in label.group(1)
    assert all(phase in label.group(1) for phase in exercise.keyframe_labels)
    assert 'width="480"' in inner and 'aria-hidden="true"' in inner
    assert 'id="exercise-figure-toggle" hidden' in inner  # shown once the script animates
    assert any(src.startswith("/static/js/exercise.js") for src in scan.scripts())
    # Every phase beneath it, named; the heel-on-chair desk is masked behind the body, with ids
    # unique on the page (one mask per picture).
    for index, phase in enumerate(exercise.keyframe_labels):
        assert f"{index + 1}. {phase[:1].upper()}{phase[1:]}" in scan.text
    ids = _ids(html)
    assert len(ids) == len(set(ids))
    assert html.count("<mask ") == 1 + len(exercise.keyframes)
    assert "style=" not in html


def test_exercise_script_is_served(web: WebClient) -> None:
    response = web.get("/static/js/exercise.js")
    assert response.status_code == 200
    assert "export function cyclePose" in response.text


def test_todays_session_shows_a_figure_beside_each_step(web: WebClient, screened: Path) -> None:
    started = web.post_form(f"/programmes/{PROGRAMME}/start", {})
    assert started.status_code == 303
    html = web.get("/").text
    coach = Coach(Settings.from_env())
    today = coach.programme_today()
    assert today is not None
    session = coach.routine_set.find(today.standing.routine_id)
    steps = re.search(r'<ol class="steps with-thumbs">(.*?)</ol>', html, re.S)
    assert steps is not None
    thumbs = _thumbs(steps.group(1))
    assert len(thumbs) == len(session.steps) > 0
    for svg in thumbs:
        _assert_decorative(svg)
    ids = _ids(html)
    assert len(ids) == len(set(ids))


def test_programme_page_shows_a_figure_beside_each_routine_step(web: WebClient) -> None:
    coach = Coach(Settings.from_env())
    programme = coach.find_programme(PROGRAMME)
    steps = sum(
        len(coach.routine_set.find(routine_id).steps)
        for level in programme.levels
        for routine_id in level.routines
    )
    html = web.get(f"/programmes/{PROGRAMME}").text
    thumbs = _thumbs(html)
    assert len(thumbs) == steps > 0
    assert all('width="48"' in svg for svg in thumbs)


def test_an_unknown_exercise_id_draws_no_figure(app: object) -> None:
    from fastapi import FastAPI
    from starlette.requests import Request

    assert isinstance(app, FastAPI)
    template = app.state.templates.env.from_string(
        '{% import "macros.html" as ui with context %}{{ ui.thumb("no-such-move") }}|'
        '{{ ui.thumb("seated-pelvic-tilts") }}'
    )
    request = Request({"type": "http", "app": app, "headers": [], "method": "GET", "path": "/"})
    missing, known = template.render(request=request).split("|")
    assert missing == '<span class="thumb"></span>'
    assert 'class="ds-thumb"' in known
