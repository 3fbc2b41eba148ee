"""A TestClient that behaves like a person's browser on the deskstretch pages, and an HTML reader.

``WebClient`` keeps the CSRF cookie, reads the token from the page's <meta>, and sends forms
with this app's Origin (what a browser does); tests can leave either out to see the refusal.
``PageScan`` parses a page once for what the security and accessibility tests look at.
``safety_form`` is the safety page's form with every answer "no" unless given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx2
from fastapi.testclient import TestClient

from deskstretch.core.safety import CONDITION_QUESTIONS, RED_FLAG_QUESTIONS

BASE = "http://127.0.0.1:8767"
ORIGIN = BASE


def safety_form(**answers: str) -> dict[str, str]:
    """The safety page's answers: "no" to every question but those given (``rf-ID``/``cond-ID``)."""
    form = {f"rf-{q.id}": "no" for q in RED_FLAG_QUESTIONS}
    form |= {f"cond-{q.id}": "no" for q in CONDITION_QUESTIONS}
    return form | answers


def start_links(html: str) -> list[str]:
    """The page's links that start a routine (``/play/...``)."""
    return [href for href in PageScan.of(html).links() if href.startswith("/play/")]


class WebClient:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.client.get(url, **kwargs)

    def token(self) -> str:
        """The CSRF token as the pages hand it out (loads a page if none was loaded yet)."""
        if "deskstretch_csrf" not in self.client.cookies:
            self.get("/help")
        return self.client.cookies.get("deskstretch_csrf") or ""

    def post_form(
        self,
        url: str,
        data: dict[str, str],
        *,
        token: bool = True,
        origin: str | None = ORIGIN,
        follow: bool = False,
    ) -> httpx2.Response:
        body = {**data, "csrf_token": self.token()} if token else dict(data)
        headers = {"Origin": origin} if origin is not None else {}
        return self.client.post(url, data=body, headers=headers, follow_redirects=follow)

    def post_json(
        self, url: str, body: Any = None, *, content: str | None = None
    ) -> httpx2.Response:
        headers = {"Origin": ORIGIN, "X-CSRF-Token": self.token()}
        if content is not None:
            headers["Content-Type"] = "application/json"
            return self.client.post(url, content=content, headers=headers)
        return self.client.post(url, json=body, headers=headers)


@dataclass
class PageScan(HTMLParser):
    """Tags, attributes and text of one page, collected in one pass."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    inline_scripts: int = 0
    style_elements: int = 0
    text_parts: list[str] = field(default_factory=list)
    h1_text: list[str] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    @classmethod
    def of(cls, html: str) -> PageScan:
        scan = cls()
        scan.feed(html)
        scan.close()
        return scan

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        if "h1" in self._open:
            self.h1_text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)

    def links(self) -> list[str]:
        return [attrs.get("href", "") for name, attrs in self.tags if name == "a"]

    def attribute_problems(self) -> list[str]:
        """Inline styles, event handlers and javascript: URLs: what the CSP would block."""
        problems = []
        for tag, attrs in self.tags:
            for name, value in attrs.items():
                if name == "style":
                    problems.append(f"<{tag} style={value!r}>")
                elif name.startswith("on"):
                    problems.append(f"<{tag} {name}=...>")
                elif name in ("href", "src", "action") and value.strip().lower().startswith(
                    "javascript:"
                ):
                    problems.append(f"<{tag} {name}={value!r}>")
        return problems

    def scripts(self) -> list[str]:
        return [attrs.get("src", "") for tag, attrs in self.tags if tag == "script"]

    def csrf_meta(self) -> str:
        for tag, attrs in self.tags:
            if tag == "meta" and attrs.get("name") == "csrf-token":
                return attrs.get("content", "")
        return ""
