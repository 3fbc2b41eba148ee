"""A TestClient that behaves like a person's browser on the deskstretch pages, and an HTML reader.

``WebClient`` keeps the CSRF cookie, reads the token from the page's <meta>, and sends forms
with this app's Origin (what a browser does); tests can leave either out to see the refusal.
``PageScan`` parses a page once for what the security and accessibility tests look at.
``safety_form`` is the safety page's form with every answer "no" unless given.
"""

from __future__ import annotations

import re
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


JARGON = re.compile(
    r"Input should|Field required|item\(s\)|Value error|[a-z]_[a-z]|[A-Za-z_]\.\d|\[\d+\]"
    r"|expected at least"
)
"""A validator's words or a field's path: what a person must never read in an error."""


def jargon_in(text: str) -> list[str]:
    """The validator words and field paths in ``text`` (none, when it is plain language); a
    value in quotes ('quit_early') is what was sent or may be sent, not jargon."""
    return JARGON.findall(re.sub(r"'[^']*'", "''", text))


def error_fields(response: httpx2.Response) -> list[str]:
    """The fields a JSON 4xx names in its ``errors`` (paths such as ``steps.0.done_seconds``)."""
    return [str(error["field"]) for error in response.json().get("errors", [])]


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


_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)


@dataclass
class PageScan(HTMLParser):
    """Tags, attributes and text of one page, collected in one pass."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    inline_scripts: int = 0
    style_elements: int = 0
    text_parts: list[str] = field(default_factory=list)
    h1_text: list[str] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)
    _open_ids: list[str] = field(default_factory=list)
    _id_text: dict[str, list[str]] = field(default_factory=dict)

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
        if tag in _VOID:
            return  # never closed: nothing inside it
        self._open.append(tag)
        self._open_ids.append(values.get("id", ""))
        if values.get("id"):
            self._id_text.setdefault(values["id"], [])

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open:
                self._open_ids.pop()
                if self._open.pop() == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        for element_id in filter(None, self._open_ids):
            self._id_text[element_id].append(data)
        if "h1" in self._open:
            self.h1_text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def text_of(self, element_id: str) -> str:
        """The text inside the element with ``element_id`` ('' when there is none)."""
        return " ".join(" ".join(self._id_text.get(element_id, ())).split())

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
