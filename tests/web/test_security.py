"""Secure by default on localhost: Host allow-list, Origin and CSRF on every change, strict CSP
with no inline script or style anywhere, and the other headers on every kind of response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.web.app import create_app
from deskstretch.web.security import Origins, content_security_policy, style_hash
from helpers.support import Dirs
from helpers.web_client import BASE, PageScan, WebClient

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
HTML_PAGES = (
    "/",
    "/library",
    "/library?position=seated&equipment=chair",
    "/library/seated-hamstring-hinge",
    "/library/standing-hip-flexor-stretch",
    "/routines",
    "/learn",
    "/progress",
    "/safety",
    "/safety/result",
    "/safety/recheck",
    "/help",
    "/settings",
    "/no-such-page",
    "/library/no-such-exercise",
    "/library?position=lying",
)
FORM = {"back_pain": "3"}


def test_content_security_policy_is_exactly_the_strict_one() -> None:
    assert content_security_policy() == STRICT_CSP


@pytest.mark.parametrize(
    "path",
    [
        *HTML_PAGES,
        "/static/css/app.css",
        "/static/js/app.js",
        "/static/js/lib/http.js",
        "/api/routines",
        "/api/nope",
        "/export.json",
    ],
)
def test_every_response_carries_the_security_headers(web: WebClient, path: str) -> None:
    response = web.get(path)
    headers = response.headers
    assert headers["content-security-policy"] == STRICT_CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["permissions-policy"] == "camera=(), microphone=(), geolocation=()"
    assert headers["x-frame-options"] == "DENY"
    assert "cache-control" in headers


def test_static_files_are_cached_by_content_hash(web: WebClient) -> None:
    scan = PageScan.of(web.get("/").text)
    css = next(a["href"] for tag, a in scan.tags if tag == "link" and a.get("rel") == "stylesheet")
    assert "?v=" in css
    assert "immutable" in web.get(css).headers["cache-control"]
    plain = web.get("/static/css/app.css")
    assert plain.status_code == 200 and plain.headers["cache-control"] == "no-cache"
    assert web.get("/progress").headers["cache-control"] == "no-store"


@pytest.mark.parametrize("state", ["new", "history", "red flag", "needs clearance"])
def test_no_inline_script_or_style_in_any_page(
    web: WebClient, history_or_state: Callable[[str], None], state: str
) -> None:
    history_or_state(state)
    for path in HTML_PAGES:
        response = web.get(path)
        assert response.headers["content-type"].startswith("text/html"), path
        scan = PageScan.of(response.text)
        assert scan.inline_scripts == 0, f"{path}: a <script> without src"
        assert scan.style_elements == 0, f"{path}: a <style> element"
        assert scan.attribute_problems() == [], path


@pytest.fixture
def history_or_state(request: pytest.FixtureRequest) -> Callable[[str], None]:
    def enter(state: str) -> None:
        if state == "history":
            request.getfixturevalue("history")
        elif state == "red flag":
            request.getfixturevalue("answer")(yes=("ces-bladder", "cancer-history"))
        elif state == "needs clearance":
            request.getfixturevalue("answer")(yes=("pregnancy",))

    return enter


def test_report_allows_exactly_its_own_inline_style(web: WebClient, history: Coach) -> None:
    response = web.get("/report")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    css = response.text.split("<style>")[1].split("</style>")[0]
    assert f"style-src 'self' '{style_hash(css)}'" in policy
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert PageScan.of(response.text).inline_scripts == 0


# -- Host header (DNS rebinding) ------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8767", "127.0.0.1:9999", ""])
def test_foreign_host_header_is_refused(web: WebClient, host: str) -> None:
    response = web.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "DNS rebinding" in response.text
    assert response.headers["content-security-policy"] == STRICT_CSP


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8767", "localhost:8767", "[::1]:8767", "LOCALHOST:8767"]
)
def test_own_host_names_are_accepted(web: WebClient, host: str) -> None:
    assert web.get("/help", headers={"Host": host}).status_code == 200


def test_foreign_host_is_refused_for_the_api_as_json(web: WebClient) -> None:
    response = web.get("/api/routines", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "DNS rebinding" in response.json()["detail"]


def test_configured_host_is_added_to_the_loopback_names() -> None:
    hosts = Origins.for_address("192.168.1.20", 9000).hosts
    assert hosts == {"127.0.0.1:9000", "localhost:9000", "[::1]:9000", "192.168.1.20:9000"}
    assert "0.0.0.0:9000" not in Origins.for_address("0.0.0.0", 9000).hosts
    assert "[fe80::1]:9000" in Origins.for_address("fe80::1", 9000).hosts


def test_app_answers_on_its_own_port_only(dirs: Dirs) -> None:
    app = create_app(Settings.from_env(), port=9123)
    with TestClient(app, base_url="http://127.0.0.1:9123") as client:
        assert client.get("/help").status_code == 200
        assert client.get("/help", headers={"Host": "127.0.0.1:8767"}).status_code == 400


# -- Origin and CSRF on state-changing requests ------------------------------------------------


def test_valid_form_post_works(web: WebClient, history: Coach) -> None:
    response = web.post_form("/checkin", FORM)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_post_without_origin_or_referer_is_refused(web: WebClient) -> None:
    response = web.post_form("/checkin", FORM, origin=None)
    assert response.status_code == 403
    assert "Origin or Referer" in response.text


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://127.0.0.1:9999", "null", "http://localhost.evil"]
)
def test_post_from_another_origin_is_refused(web: WebClient, origin: str) -> None:
    response = web.post_form("/checkin", FORM, origin=origin)
    assert response.status_code == 403
    assert "not from a deskstretch page" in response.text


def test_referer_of_our_own_page_stands_in_for_origin(web: WebClient) -> None:
    token = web.token()
    response = web.client.post(
        "/checkin",
        data={**FORM, "csrf_token": token},
        headers={"Referer": f"{BASE}/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    evil = web.client.post(
        "/checkin",
        data={**FORM, "csrf_token": token},
        headers={"Referer": "http://127.0.0.1:8767.evil.example/"},
    )
    assert evil.status_code == 403


def test_post_without_csrf_token_is_refused(web: WebClient) -> None:
    response = web.post_form("/checkin", FORM, token=False)
    assert response.status_code == 403
    assert "security token" in response.text


@pytest.mark.parametrize("token", ["", "x", "not.valid", "é.è"])
def test_post_with_a_wrong_csrf_token_is_refused(web: WebClient, token: str) -> None:
    web.token()
    response = web.client.post(
        "/checkin", data={**FORM, "csrf_token": token}, headers={"Origin": BASE}
    )
    assert response.status_code == 403


def test_post_without_the_cookie_is_refused_even_with_a_token(web: WebClient) -> None:
    token = web.token()
    web.client.cookies.clear()
    response = web.client.post(
        "/checkin", data={**FORM, "csrf_token": token}, headers={"Origin": BASE}
    )
    assert response.status_code == 403


def test_token_of_another_app_instance_is_refused(app: FastAPI) -> None:
    """A cookie planted by another program on localhost (or from before a restart)."""
    other = create_app(Settings.from_env())
    with TestClient(other, base_url=BASE) as client:
        client.get("/help")
        planted = client.cookies.get("deskstretch_csrf") or ""
    assert planted
    with TestClient(app, base_url=BASE) as client:
        headers = {"Origin": BASE, "Cookie": f"deskstretch_csrf={planted}"}
        response = client.post("/checkin", data={**FORM, "csrf_token": planted}, headers=headers)
        assert response.status_code == 403
        # ... and the next page load replaces it with a fresh token of this app.
        renewed = client.get("/help", headers={"Cookie": f"deskstretch_csrf={planted}"})
        assert "deskstretch_csrf=" in renewed.headers["set-cookie"]
        assert planted not in renewed.headers["set-cookie"]


def test_csrf_cookie_is_strict_and_http_only(app: FastAPI) -> None:
    with TestClient(app, base_url=BASE) as client:
        cookie = client.get("/").headers["set-cookie"]
    assert "deskstretch_csrf=" in cookie
    assert "SameSite=Strict" in cookie
    assert "HttpOnly" in cookie


def test_meta_token_matches_the_cookie(web: WebClient) -> None:
    scan = PageScan.of(web.get("/").text)
    assert scan.csrf_meta() == web.client.cookies.get("deskstretch_csrf")


def test_json_post_needs_the_header_token(web: WebClient, history: Coach) -> None:
    body = {"back_pain": 2}
    without = web.client.post("/api/checkins", json=body, headers={"Origin": BASE})
    assert without.status_code == 403
    assert "security token" in without.json()["detail"]
    assert web.post_json("/api/checkins", body).status_code == 201


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_state_changing_methods_are_checked_too(web: WebClient, method: str) -> None:
    assert web.client.request(method, "/checkin", headers={"Origin": BASE}).status_code == 403


def test_oversized_body_is_refused(web: WebClient) -> None:
    big = "x" * 1_100_000
    response = web.post_form("/checkin", {"back_pain": "3", "note": big})
    assert response.status_code == 413


def test_refusal_changes_nothing(web: WebClient, history: Coach) -> None:
    before = len(history.progress_summary().pain.back.values)
    web.post_form("/checkin", {"back_pain": "9"}, origin="https://evil.example")
    web.post_form("/checkin", {"back_pain": "9"}, token=False)
    assert history.progress_summary().pain.back.latest == 3
    assert len(history.progress_summary().pain.back.values) == before


# ----- which routes may be GET (issue #9 item 12) -------------------------------------------------

# Every GET route, reviewed: each only reads (pages, plans, figures, exports) and does no costly
# work such as running espeak-ng. A new GET route must be added here after the same review;
# anything that changes state or costs real work is a POST (and so needs the CSRF token).
READ_ONLY_GET_ROUTES = frozenset(
    {
        "/",
        "/api/exercises",
        "/api/play/{routine_id}",
        "/api/progress",
        "/api/routines",
        "/assess",
        "/assess/photo/{assessment_id}",  # a kept photo, read from disk; never cached
        "/assess/result/{token}",  # a result held in memory after its POST; measures nothing
        "/checkin",  # a redirect to Today: reloading Today sent back with a problem
        "/export.csv",
        "/export.json",
        "/favicon.ico",
        "/figures/{exercise_id}/{keyframe}.svg",
        "/help",
        "/learn",
        "/lessons",
        "/lessons/{lesson_id}",  # opening a lesson marks nothing: its button (a POST) does
        "/library",
        "/library/{exercise_id}",
        "/measure/psfs",
        "/measure/questionnaires",
        "/measure/questionnaires/{slug}",  # reads the person's pack file; writes nothing
        "/play/{routine_id}",
        "/programmes",
        "/programmes/{programme_id}",
        "/programmes/{programme_id}.toml",
        "/progress",
        "/progress/measurements",  # a redirect to Progress, as /checkin is to Today
        "/report",
        "/routines",
        "/routines/import",
        "/routines/new",
        "/routines/{routine_id}.toml",
        "/routines/{routine_id}/delete",
        "/routines/{routine_id}/edit",
        "/safety",
        "/safety/recheck",
        "/safety/result",
        "/settings",
        "/settings/photos/delete",  # the confirmation page; deleting is its form's POST
        "/settings/reminders",  # only a redirect to /settings (a 422 page's address)
        "/start",
        "/start/goal",
        "/start/plan",
        "/start/safety",  # the first checklist; answers only move on by POST
    }
)
_DOCS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _routes(app: FastAPI) -> list[tuple[str, frozenset[str]]]:
    """(path, methods) of every route, walking included routers (FastAPI keeps them nested)."""
    found = []

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                context = getattr(route, "include_context", None)
                walk(included.routes, prefix + (getattr(context, "prefix", "") or ""))
                continue
            methods = getattr(route, "methods", None)
            path = prefix + getattr(route, "path", "")
            if methods and path not in _DOCS:
                found.append((path, frozenset(methods) - {"HEAD"}))

    walk(list(app.routes), "")
    return found


def _concrete(path: str) -> str:
    return (
        path.replace("{routine_id}", "hamstring-2min")
        .replace("{session_id}", "0" * 32)
        .replace("{exercise_id}", "seated-hamstring-hinge")
        .replace("{keyframe}", "0")
    )


def test_every_get_route_is_a_reviewed_read(app: FastAPI) -> None:
    gets = {path for path, methods in _routes(app) if "GET" in methods}
    assert gets - READ_ONLY_GET_ROUTES == set(), "review these GET routes: read-only, not costly?"
    assert "/api/speech" not in gets


def test_speech_is_post_only(web: WebClient) -> None:
    """Speaking runs espeak-ng: costly, so never on a GET a foreign page could trigger."""
    response = web.get("/api/speech", params={"text": "Hold"})
    assert response.status_code == 405


def test_every_state_changing_route_needs_the_csrf_token(app: FastAPI, web: WebClient) -> None:
    changing = [(path, methods) for path, methods in _routes(app) if methods - {"GET"}]
    assert "/api/speech" in {path for path, _ in changing}
    web.token()  # the cookie is there: only the token is left out
    for path, methods in changing:
        for method in sorted(methods - {"GET"}):
            response = web.client.request(
                method, _concrete(path), json={"text": "Hold"}, headers={"Origin": BASE}
            )
            assert response.status_code == 403, f"{method} {path}: {response.status_code}"
