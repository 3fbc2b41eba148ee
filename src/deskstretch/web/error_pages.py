"""Errors as pages (or JSON under /api/): what went wrong and what to do next, never a traceback.

DeskstretchError -> 400, NotFoundError -> 404, SafetyStop -> 403, a file that could not be saved
(WriteFailed) -> 503 naming it, bad form fields -> 400 naming each field, bad API input -> 422
(400 for a body that is not JSON), said in plain words ("Back pain: a whole number from 0 to 10
(you sent 11)", never a validator's "Input should be ..."); the field's path stays in ``errors``
for programs. The catch-all 500 handler logs and shows a friendly page; the tests make sure no bad
input ever reaches it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from deskstretch.core.errors import (
    AnswersNotSaved,
    DeskstretchError,
    NotFoundError,
    SafetyStop,
    WriteFailed,
)
from deskstretch.core.wording import plural
from deskstretch.web.deps import get_coach
from deskstretch.web.forms import FormInvalid, Problem
from deskstretch.web.rendering import render
from deskstretch.web.security import content_security_policy

log = logging.getLogger(__name__)

_TITLES = {
    400: "That did not work",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed here",
    413: "Too much data",
    422: "That did not work",
}


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True)
class ErrorPage:
    status: int
    message: str
    problems: tuple[Problem, ...] = ()
    links: tuple[Link, ...] = ()
    back: str = ""


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def _respond(request: Request, page: ErrorPage, title: str = "") -> Response:
    if wants_json(request):
        body: dict[str, Any] = {"detail": page.message}
        if page.problems:
            body["errors"] = [{"field": p.field, "message": p.message} for p in page.problems]
        return JSONResponse(body, status_code=page.status)
    title = title or _TITLES.get(page.status, "Something went wrong")
    return render(request, "error.html", title=title, page=page, status_code=page.status)


def _field(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location[1:]] or [str(part) for part in location]
    return ".".join(parts)


FIELD_WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "back_pain": ("Back pain", "a whole number from 0 to 10"),
        "leg_pain": ("Leg pain", "a whole number from 0 to 10"),
        "context": ("When", "'before' or 'after' the session"),
        "answers": ("Answers", "yes or no (true or false) for each question"),
        "routine_id": ("Routine", "the id of a routine"),
    }
)
"""Fields of the JSON API a person's answers reach, by name: the label and what is expected."""


def _label(location: Sequence[Any]) -> str:
    """A field's path in words: ('steps', 0, 'done_seconds') -> 'Step 1, done seconds'."""
    words: list[str] = []
    for part in location:
        if isinstance(part, int) and words:
            words[-1] = f"{words[-1].removesuffix('s')} {part + 1}"
        else:
            words.append(str(part).replace("_", " "))
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def _expected(kind: str, context: Mapping[str, Any]) -> str:
    """What a validator wanted, in words."""

    def bound(key: str) -> str:
        value = context.get(key)
        return f"{value:g}" if isinstance(value, int | float) else str(value)

    bounds = {
        "less_than_equal": f"at most {bound('le')}",
        "less_than": f"less than {bound('lt')}",
        "greater_than_equal": f"at least {bound('ge')}",
        "greater_than": f"more than {bound('gt')}",
    }
    if kind in bounds:
        return "a number " + bounds[kind]
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        unit = "character" if kind.startswith("string") else "item"
        many = context.get("min_length") if "short" in kind else context.get("max_length")
        return f"{'at least' if 'short' in kind else 'at most'} {plural(int(many or 0), unit)}"
    if kind in ("literal_error", "enum"):
        return f"one of {context.get('expected', 'the choices')}"
    simple = {
        "int": "a whole number",
        "float": "a number",
        "finite_number": "a number",
        "bool": "true or false",
        "string": "text",
        "list": "a list",
        "dict": "a JSON object",
        "model": "a JSON object",
    }
    return next((words for key, words in simple.items() if kind.startswith(key)), "")


def _plain(item: Mapping[str, Any], location: Sequence[Any]) -> tuple[str, str]:
    """One validation error in words a person can act on: (the field's label, what is wrong);
    the label is '' for a problem with the whole request."""
    kind = str(item.get("type", ""))
    name = str(location[-1]) if location else ""
    label, expected = FIELD_WORDS.get(name, (_label(location), ""))
    if kind == "value_error":  # our own words, from a validator or a route
        return label, str(item.get("msg", "")).removeprefix("Value error, ")
    if kind == "missing":
        return label, "missing" + (f"; give {expected}" if expected else "")
    if kind == "extra_forbidden":
        return label, "not expected here; leave it out"
    what = expected or _expected(kind, item.get("ctx") or {}) or "a different value"
    value = item.get("input")
    if isinstance(value, str | int | float | bool):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        what += f" (you sent {shown})"
    return label, what


def _validation_problems(error: RequestValidationError) -> tuple[Problem, ...]:
    problems = []
    for item in error.errors():
        location = tuple(item.get("loc", ()))
        where = location[1:] if location[:1] in (("body",), ("query",), ("path",)) else location
        label, what = _plain(item, where)
        problems.append(Problem(_field(location), label, what))
    return tuple(problems)


def _said(problem: Problem) -> str:
    """A problem as one sentence: 'Back pain: a whole number from 0 to 10 (you sent 11).'"""
    text = f"{problem.label}: {problem.message}" if problem.label else problem.message
    return text[:1].upper() + text[1:].rstrip(".") + "."


async def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    if any(item.get("type") == "json_invalid" for item in error.errors()):
        return _respond(
            request, ErrorPage(400, "The request body is not valid JSON; send a JSON object.")
        )
    problems = _validation_problems(error)
    message = " ".join(_said(p) for p in problems)
    status = 422 if wants_json(request) else 400
    return _respond(request, ErrorPage(status, message, problems))


async def _form_invalid(request: Request, error: Exception) -> Response:
    assert isinstance(error, FormInvalid)
    lead = "Please fix:" if request.method == "GET" else "Nothing was saved. Please fix:"
    page = ErrorPage(400, lead, error.problems, back=error.back)
    return _respond(request, page, error.title)


async def _not_found(request: Request, error: Exception) -> Response:
    assert isinstance(error, NotFoundError)
    title = f"{error.kind.capitalize()} not found"
    if error.kind != "exercise" or not error.suggestions:
        return _respond(request, ErrorPage(404, error.message), title)
    # Suggestions name an exercise by id, code or name: link each exercise once, by its name.
    coach = get_coach(request)
    found = {exercise.id: exercise for exercise in map(coach.find_exercise, error.suggestions)}
    links = tuple(Link(f"/library/{quote(e.id)}", e.name) for e in found.values())
    message = f"There is no exercise called '{error.name}'."
    return _respond(request, ErrorPage(404, message, links=links), title)


async def _safety_stop(request: Request, error: Exception) -> Response:
    assert isinstance(error, SafetyStop)
    links = (Link("/safety", "Safety questions"), Link("/help", "Get help"))
    return _respond(request, ErrorPage(403, error.message, links=links), "Paused for your safety")


async def _write_failed(request: Request, error: Exception) -> Response:
    """A file that could not be saved is the computer's problem, not the request's: 503."""
    assert isinstance(error, WriteFailed)
    if isinstance(error, AnswersNotSaved) and wants_json(request):
        verdict = error.verdict
        body = {
            "detail": error.message,
            "routines_allowed": verdict.routines_allowed,
            "status": verdict.status.value,
            "advice": verdict.advice,
        }
        return JSONResponse(body, status_code=503)
    return _respond(request, ErrorPage(503, error.message), "Not saved")


async def _deskstretch(request: Request, error: Exception) -> Response:
    assert isinstance(error, DeskstretchError)
    return _respond(request, ErrorPage(400, error.message))


async def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    messages = {
        404: f"There is no page at {request.url.path}.",
        405: f"{request.method} is not allowed on {request.url.path}.",
    }
    message = messages.get(error.status_code) or str(error.detail)
    response = _respond(request, ErrorPage(error.status_code, message))
    if error.headers:
        response.headers.update(error.headers)
    return response


async def _unexpected(request: Request, error: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    message = (
        "Something went wrong inside deskstretch; nothing you did caused it. The details are in"
        " the terminal where deskstretch runs."
    )
    try:
        response = _respond(request, ErrorPage(500, message), "Something went wrong")
    except Exception:  # the page itself may be what broke: fall back to plain text
        response = PlainTextResponse(message, status_code=500)
    # This answer is sent from outside the security middleware: give it the headers here.
    response.headers["content-security-policy"] = content_security_policy()
    response.headers["x-content-type-options"] = "nosniff"
    response.headers["cache-control"] = "no-store"
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(FormInvalid, _form_invalid)
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(SafetyStop, _safety_stop)
    app.add_exception_handler(WriteFailed, _write_failed)
    app.add_exception_handler(DeskstretchError, _deskstretch)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
