"""Jinja2 templates for every page: autoescaped, with one shared context (CSRF token, navigation,
flash messages, content-hashed static URLs), and flash messages carried over a redirect.

Other routers render with ``render(request, "name.html", page=..., title=...)`` or, plainly,
``request.app.state.templates.TemplateResponse(request, "name.html", {...})``; templates extend
``base.html`` and fill ``{% block content %}`` (and ``{% block head %}`` for extra assets).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
FLASH_COOKIE = "deskstretch_flash"
NAV: tuple[tuple[str, str], ...] = (
    ("Today", "/"),
    ("Library", "/library"),
    ("Routines", "/routines"),
    ("Learn", "/learn"),
    ("Progress", "/progress"),
    ("Safety", "/safety"),
    ("Settings", "/settings"),
)


@dataclass(frozen=True)
class Flash:
    """A one-line message shown once on the next page, with an optional link (our own URLs)."""

    text: str
    level: Literal["info", "warning"] = "info"
    href: str = ""
    link: str = ""


@functools.cache
def _file_hash(name: str) -> str:
    path = STATIC_DIR / name
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return ""


def static_url(name: str) -> str:
    """``/static/<name>?v=<content hash>``: safe to cache for a year, new on every change."""
    digest = _file_hash(name)
    return f"/static/{name}?v={digest}" if digest else f"/static/{name}"


def duration(seconds: float) -> str:
    """'45 s', '3 min', '2 min 30 s'."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def about(seconds: float) -> str:
    """A length to read at a glance: to the nearest half minute from a minute up."""
    return duration(round(seconds / 30) * 30 if seconds >= 60 else seconds)


def number(value: float) -> str:
    """One decimal at most, no trailing '.0', a true minus sign."""
    return f"{value:.1f}".removesuffix(".0").replace("-", "−")


SECTION_ALIASES: tuple[tuple[str, str], ...] = (
    ("/checkin", "/"),
    ("/programmes", "/routines"),
    ("/lessons", "/learn"),
    ("/measure", "/progress"),
    ("/assess", "/progress"),
)
"""Pages under another nav entry (a short nav fits a phone): programmes, made of routines, sit
under Routines; the short lessons under Learn; measures (activities, questionnaires, photos)
under Progress. A form sent back with a problem is shown at its own address (/checkin is Today)."""


def _section(path: str) -> str:
    """The nav entry a path belongs to ('/' only for Today itself)."""
    for prefix, href in (*SECTION_ALIASES, *((href, href) for _, href in NAV[1:])):
        if path == prefix or path.startswith(prefix + "/"):
            return href
    return "/" if path == "/" else ""


def _page_context(request: Request) -> dict[str, Any]:
    return {
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "current_section": _section(request.url.path),
        "flashes": read_flashes(request),
    }


@jinja2.pass_context
def _figure_thumb(context: jinja2.runtime.Context, exercise: object, size: int = 56) -> str:
    """``figure_thumb(exercise or exercise id)`` in a template: the small held-pose figure (see
    ``macros.html``'s ``thumb``); empty for an id the catalogue does not know."""
    from deskstretch.core.models import Exercise
    from deskstretch.web.phrasing import figure_thumbnail

    if isinstance(exercise, str):
        exercise = context["request"].app.state.coach.catalogue.exercises.get(exercise)
    return figure_thumbnail(exercise, size) if isinstance(exercise, Exercise) else ""


def build_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(static=static_url, nav=NAV, figure_thumb=_figure_thumb)
    from deskstretch.core.wording import clock_minutes, noun, plural, whole_minutes
    from deskstretch.web.phrasing import code_spans

    environment.filters.update(about=about, duration=duration, number=number, code_spans=code_spans)
    environment.filters.update(plural=plural, noun=noun, whole_minutes=whole_minutes)
    environment.filters.update(clock_minutes=clock_minutes)
    return Jinja2Templates(env=environment, context_processors=[_page_context])


def render(
    request: Request, template: str, *, title: str, page: object = None, status_code: int = 200
) -> HTMLResponse:
    """A page from ``template`` with ``page`` (a typed context) and ``title`` (for <title>)."""
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request, template, {"page": page, "title": title}, status_code=status_code
    )
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/", samesite="strict", httponly=True)
    return response


# -- flash messages: a signed, short-lived cookie ------------------------------------------------


def _signature(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode("ascii"), hashlib.sha256).hexdigest()


def redirect(request: Request, url: str, *flashes: Flash) -> RedirectResponse:
    """A 303 redirect (after a POST) that shows ``flashes`` on the page it leads to."""
    response = RedirectResponse(url, status_code=303)
    if flashes:
        data = json.dumps([asdict(flash) for flash in flashes]).encode("utf-8")
        payload = base64.urlsafe_b64encode(data).decode("ascii")
        value = f"{payload}.{_signature(request.app.state.flash_secret, payload)}"
        response.set_cookie(
            FLASH_COOKIE, value, max_age=300, path="/", samesite="strict", httponly=True
        )
    return response


def read_flashes(request: Request) -> tuple[Flash, ...]:
    """The flash messages the last redirect left, if the cookie is ours and intact."""
    payload, _, signature = request.cookies.get(FLASH_COOKIE, "").partition(".")
    secret: bytes = request.app.state.flash_secret
    if not (payload.isascii() and signature.isascii()) or not hmac.compare_digest(
        signature, _signature(secret, payload)
    ):
        return ()
    try:
        items = json.loads(base64.urlsafe_b64decode(payload))
        return tuple(Flash(**_fields(item)) for item in items)
    except (ValueError, TypeError):
        return ()


def _fields(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: str(item[key]) for key in ("text", "level", "href", "link") if key in item}
