"""The safety verdict page's view, shared by the safety questions and the first run's steps."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from deskstretch.core.errors import AnswersNotSaved
from deskstretch.core.models import Exercise
from deskstretch.core.safety import SafetyVerdict
from deskstretch.web.phrasing import is_urgent, verdict_heading
from deskstretch.web.rendering import render


@dataclass(frozen=True)
class ResultPage:
    verdict: SafetyVerdict
    heading: str
    urgent: bool
    left_out: tuple[tuple[Exercise, str], ...]
    not_saved: str = ""
    """Why the answers could not be saved (routines stay locked), or ''."""


def not_saved_page(request: Request, not_saved: AnswersNotSaved) -> Response:
    """The answers' verdict (a red flag's advice in full) and why they were not saved: 503."""
    verdict = not_saved.verdict
    page = ResultPage(verdict, verdict_heading(verdict), is_urgent(verdict), (), not_saved.message)
    return render(request, "safety_result.html", title=page.heading, page=page, status_code=503)
