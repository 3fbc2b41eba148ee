"""Every page: 200, one h1, the landmarks, the skip link, a visible Get help link, nav state.

Pages are checked for a person in each state that changes what they show: not screened yet,
screened with a history, and with a red flag.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from deskstretch.coach import Coach
from helpers.web_client import PageScan, WebClient

PAGES = {
    "/": "Today",
    "/library": "Library",
    "/library/seated-hamstring-hinge": "Seated hamstring hinge",
    "/routines": "Routines",
    "/learn": "Why hamstrings",
    "/progress": "Progress",
    "/safety": "Safety questions",
    "/safety/recheck": "A few questions again",
    "/help": "Get help",
    "/settings": "Settings",
}
NAV = ("/", "/library", "/routines", "/learn", "/progress", "/safety", "/settings")


def assert_page_shape(html: str, h1: str) -> PageScan:
    scan = PageScan.of(html)
    for landmark in ("header", "nav", "main", "footer"):
        assert scan.count(landmark) >= 1, f"no <{landmark}>"
    assert scan.count("h1") == 1, "expected exactly one <h1>"
    assert h1 in " ".join(scan.h1_text), scan.h1_text
    links = scan.links()
    assert links[0] == "#main", "the skip link comes first"
    assert "/help" in links, "every page links to Get help"
    assert all(f'"{href}"' in html for href in NAV)
    assert scan.csrf_meta(), "scripts read the CSRF token from <meta name=csrf-token>"
    return scan


@pytest.mark.parametrize(("path", "h1"), PAGES.items())
def test_page_renders_with_landmarks_for_a_new_person(web: WebClient, path: str, h1: str) -> None:
    response = web.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert_page_shape(response.text, h1)


@pytest.mark.parametrize(("path", "h1"), PAGES.items())
def test_page_renders_with_history(web: WebClient, history: Coach, path: str, h1: str) -> None:
    response = web.get(path)
    assert response.status_code == 200, response.text
    assert_page_shape(response.text, h1)


@pytest.mark.parametrize(("path", "h1"), PAGES.items())
def test_page_renders_with_a_red_flag(
    web: WebClient, answer: Callable[..., None], path: str, h1: str
) -> None:
    answer(yes=("ces-bladder",))
    response = web.get(path)
    assert response.status_code == 200, response.text
    assert_page_shape(response.text, h1)


def test_safety_result_page_after_screening(web: WebClient, answer: Callable[..., None]) -> None:
    answer()
    response = web.get("/safety/result")
    assert response.status_code == 200
    assert_page_shape(response.text, "You are all set")


def test_safety_result_without_answers_goes_to_the_questions(web: WebClient) -> None:
    response = web.get("/safety/result", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/safety"


@pytest.mark.parametrize("path", ["/", "/library", "/progress", "/settings"])
def test_nav_marks_the_current_section(web: WebClient, path: str) -> None:
    scan = PageScan.of(web.get(path).text)
    current = [a.get("href") for tag, a in scan.tags if tag == "a" and a.get("aria-current")]
    assert current == [path]


def test_exercise_detail_marks_library_as_current(web: WebClient) -> None:
    scan = PageScan.of(web.get("/library/seated-forward-fold").text)
    current = [a.get("href") for tag, a in scan.tags if tag == "a" and a.get("aria-current")]
    assert "/library" in current


def test_pages_load_only_local_assets(web: WebClient) -> None:
    for path in PAGES:
        scan = PageScan.of(web.get(path).text)
        for tag, attrs in scan.tags:
            if tag not in ("script", "link", "img", "audio", "video", "source", "iframe"):
                continue
            for name in set(attrs) & {"src", "href"}:
                value = attrs[name]
                assert value.startswith("/"), f"{path}: <{tag} {name}={value!r}> is not local"
        assert all(src.startswith("/static/") for src in scan.scripts())


def test_static_assets_are_served(web: WebClient) -> None:
    assets = (("css/app.css", "text/css"), ("js/app.js", "javascript"), ("favicon.svg", "svg"))
    for name, kind in assets:
        response = web.get(f"/static/{name}")
        assert response.status_code == 200
        assert kind in response.headers["content-type"]
    assert web.get("/favicon.ico", follow_redirects=True).status_code == 200


def test_learn_page_tells_the_story_with_figures_and_sources(web: WebClient) -> None:
    from deskstretch.catalogue.learn import load_learn

    content = load_learn()
    response = web.get("/learn")
    scan = PageScan.of(response.text)
    assert scan.count("svg") >= 2
    assert "Sitting tall" in response.text
    assert "Slumped" in response.text
    for row in content.evidence:
        assert row.claim in scan.text
    assert content.sources[-1].title in scan.text
