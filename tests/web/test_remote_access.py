"""`deskstretch app --host` beyond this computer: refused without --allow-remote; with it, every
request needs the secret access token printed at start (issue #9 item 10).

Only loopback addresses are ever bound here. A non-loopback address is given only where the
refusal comes before any socket is made (192.0.2.1 is TEST-NET-1: never this computer's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Scope

from deskstretch.config import Settings
from deskstretch.core.errors import DeskstretchError
from deskstretch.web.app import create_app
from deskstretch.web.server import check_remote, is_loopback
from helpers.local_server import free_port, get_when_ready, start_server, stop
from helpers.support import CliRunner, Dirs

TOKEN = "a-test-access-token-0123456789"
BASE = "http://127.0.0.1:8767"


@pytest.fixture
def guarded(dirs: Dirs) -> Iterator[TestClient]:
    app = create_app(Settings.from_env(), access_token=TOKEN)
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        yield client


def test_non_loopback_host_is_refused_without_allow_remote(run_cli: CliRunner) -> None:
    # 192.0.2.1 is not this computer's: even on old code nothing could listen there.
    result = run_cli("app", "--no-browser", "--host", "192.0.2.1", "--port", str(free_port()))
    assert result.exit_code == 1, result
    assert "Traceback" not in result.output
    assert len(result.stderr_lines) == 1, result
    line = result.stderr_lines[0]
    assert "--allow-remote" in line
    assert "health records" in line


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "my-laptop.local"])
def test_every_address_others_can_reach_needs_allow_remote(host: str) -> None:
    # Checked before any socket is made; the wildcards are never bound in tests.
    with pytest.raises(DeskstretchError, match="--allow-remote"):
        check_remote(host, allow_remote=False)
    check_remote(host, allow_remote=True)
    check_remote("127.0.0.1", allow_remote=False)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("fe80::1", False),
        ("my-laptop.local", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("path", ["/", "/help", "/api/routines", "/static/css/app.css"])
def test_every_request_without_the_token_is_refused(guarded: TestClient, path: str) -> None:
    response = guarded.get(path)
    assert response.status_code == 401
    assert TOKEN not in response.text
    assert "access token" in response.text


def test_wrong_token_is_refused(guarded: TestClient) -> None:
    assert guarded.get("/help", params={"token": "nope"}).status_code == 401
    assert guarded.get("/help", headers={"Authorization": "Bearer nope"}).status_code == 401
    guarded.cookies.set("deskstretch_access", "nope")
    assert guarded.get("/help").status_code == 401


def test_token_in_the_address_sets_a_cookie_and_redirects_to_the_clean_address(
    guarded: TestClient,
) -> None:
    response = guarded.get("/library", params={"position": "seated", "token": TOKEN})
    assert response.status_code == 303
    assert response.headers["location"] == "/library?position=seated"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"deskstretch_access={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = guarded.get(response.headers["location"])
    assert page.status_code == 200
    assert guarded.get("/").status_code == 200  # the cookie is enough from now on
    # A form post needs the cookie and the CSRF token, as before.
    csrf = guarded.cookies.get("deskstretch_csrf") or ""
    checkin = guarded.post(
        "/checkin", data={"back_pain": "3", "csrf_token": csrf}, headers={"Origin": BASE}
    )
    assert checkin.status_code == 303, checkin.text
    assert "access token" not in checkin.text


def test_token_redirect_stays_on_this_app(dirs: Dirs) -> None:
    # The path as a raw ASGI request: HTTP clients would read "//evil.example" as a host name.
    app = create_app(Settings.from_env(), access_token=TOKEN)
    scope: Scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "//evil.example/x",
        "raw_path": b"//evil.example/x",
        "query_string": f"token={TOKEN}".encode("ascii"),
        "headers": [(b"host", b"127.0.0.1:8767")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8767),
        "root_path": "",
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    # In a thread of its own: an earlier test (Playwright's sync API) may leave an event loop
    # running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, app, scope, receive, send).result()
    start = sent[0]
    assert start["status"] == 303
    assert dict(start["headers"])[b"location"] == b"/evil.example/x"


def test_bearer_token_is_accepted(guarded: TestClient) -> None:
    response = guarded.get("/api/routines", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.json()


def test_host_check_still_applies_with_the_token(guarded: TestClient) -> None:
    response = guarded.get(
        "/api/routines",
        headers={"Authorization": f"Bearer {TOKEN}", "Host": "evil.example"},
    )
    assert response.status_code == 400
    assert "DNS rebinding" in response.json()["detail"]


def test_allow_remote_prints_the_token_once_and_requires_it(dirs: Dirs) -> None:
    port = free_port()
    process, first = start_server(
        dirs, "--no-browser", "--host", "127.0.0.1", "--port", str(port), "--allow-remote"
    )
    try:
        match = re.search(rf"http://127\.0\.0\.1:{port}/\?token=([A-Za-z0-9_\-]{{32,}})", first)
        assert match, first
        refused = get_when_ready(f"http://127.0.0.1:{port}/help")
        assert refused.status_code == 401
        with httpx.Client(follow_redirects=True, timeout=10) as browser:
            page = browser.get(match.group(0))
            assert page.status_code == 200
            assert str(page.url) == f"http://127.0.0.1:{port}/"
    finally:
        output = first + "\n" + stop(process)
    assert output.count(match.group(1)) == 1  # printed once
    assert "health records" in output
