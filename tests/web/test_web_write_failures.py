"""Writes that fail in the browser app: safety answers that cannot be saved lock routines and still
show the advice in full; every other failed save is a 503 page naming the file, never a 500
(issue #9 item 8).

The tests run as root, which ignores permission bits, so failures are made in ways that stop
root too: a file-size limit (what a full disk looks like to a writer), a folder where a file
should be, or a regular file where a folder should be.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from helpers.support import Dirs, flat
from helpers.web_client import PageScan, WebClient, safety_form, start_links


@contextmanager
def file_size_limit(limit_bytes: int) -> Iterator[None]:
    """No file in this process can grow past ``limit_bytes`` while inside (root included).

    SIGXFSZ is ignored meanwhile, so a write past the limit fails with EFBIG ("File too large"):
    the same OSError a full disk gives. Held only around one request, which writes nothing else.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_red_flag_that_cannot_be_saved_shows_the_advice_and_locks(
    web: WebClient, answer: Callable[..., None], dirs: Dirs
) -> None:
    answer()  # all clear, stored
    assert start_links(web.get("/").text) == ["/play/hamstring-2min"]

    with file_size_limit(256):
        response = web.post_form("/safety", safety_form(**{"rf-ces-control": "yes"}))

    assert response.status_code == 503
    text = flat(PageScan.of(response.text).text)
    assert "Get emergency help now" in text
    assert "emergency department" in text
    assert f"Could not save your answers to {dirs.screening}: File too large." in text
    assert "Routines stay locked until they can be saved." in text
    # Locked in this app, and in the next one too: the old "all clear" answers are gone.
    assert start_links(web.get("/").text) == []
    assert web.get("/api/play/hamstring-2min").status_code == 403
    assert not Coach(Settings.from_env()).verdict().routines_allowed


def test_all_clear_answers_that_cannot_be_saved_keep_routines_locked(
    web: WebClient, dirs: Dirs
) -> None:
    dirs.screening.mkdir(parents=True)  # a folder where the answers file should be
    response = web.post_form("/safety", safety_form())
    assert response.status_code == 503
    text = flat(PageScan.of(response.text).text)
    assert f"Could not save your answers to {dirs.screening}" in text
    assert "You are all set" not in text
    assert start_links(web.get("/").text) == []
    assert web.get("/api/play/hamstring-2min").status_code == 403


def test_answers_saved_later_unlock_again(web: WebClient, dirs: Dirs) -> None:
    dirs.screening.mkdir(parents=True)
    assert web.post_form("/safety", safety_form()).status_code == 503
    dirs.screening.rmdir()  # the person fixed the folder
    response = web.post_form("/safety", safety_form(), follow=True)
    assert "You are all set" in response.text
    assert start_links(web.get("/").text) == ["/play/hamstring-2min"]


def test_settings_that_cannot_be_saved_are_a_503_page(
    web: WebClient, answer: Callable[..., None], dirs: Dirs
) -> None:
    answer()
    form = {"default_routine": "seated-5min", "voice": "off", "bell": "off"}
    with file_size_limit(64):
        response = web.post_form("/settings", form)
    assert response.status_code == 503
    assert f"Could not save {dirs.config / 'config.toml'}: File too large." in response.text


def test_routine_that_cannot_be_saved_is_a_503_page(web: WebClient, dirs: Dirs) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    dirs.routines.write_text("", encoding="utf-8")  # a file where the routines folder should be
    routine = Path(__file__).parents[2] / "src/deskstretch/catalogue/routines/hamstring-2min.toml"
    text = routine.read_text(encoding="utf-8").replace('id = "hamstring-2min"', 'id = "my-copy"')
    response = web.client.post(
        "/routines/import",
        files={"file": ("my-copy.toml", text.encode("utf-8"), "application/toml")},
        data={"csrf_token": web.token()},
        headers={"Origin": "http://127.0.0.1:8767"},
    )
    assert response.status_code == 503, response.text
    assert str(dirs.routines / "my-copy.toml") in flat(PageScan.of(response.text).text)


def test_api_recheck_that_cannot_be_saved_is_json_503_with_the_advice(
    web: WebClient, answer: Callable[..., None]
) -> None:
    answer()
    web.token()  # load a page first: the cookie is written outside the limit
    with file_size_limit(256):
        response = web.post_json("/api/safety/cauda-equina", {"answers": {"ces-control": True}})
    assert response.status_code == 503, response.text
    body = response.json()
    assert "Could not save your answers to" in body["detail"]
    assert body["routines_allowed"] is False
    assert "emergency department" in body["advice"]
    assert web.get("/api/play/hamstring-2min").status_code == 403
