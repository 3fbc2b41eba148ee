"""The prompt child as the service sees it: its one JSON line, or why there was none."""

from __future__ import annotations

import subprocess
import sys

import pytest

from deskstretch.reminders.launcher import ChildPrompt, PromptOutcome


def child(code: str) -> ChildPrompt:
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )
    return ChildPrompt(process)


def test_a_failure_the_child_reports_keeps_its_own_reason() -> None:
    """Start failing (no browser, say) must reach the log in its own words, not as "ended with
    status 0", or nobody can tell what to fix."""
    prompt = child(
        'import json; print(json.dumps({"outcome": "failed", "detail": "Start did not work: x"}))'
    )
    assert prompt.wait(30) == PromptOutcome("failed", detail="Start did not work: x")


@pytest.mark.parametrize(
    ("code", "status"), [("print('garbage')", 0), ("import sys; sys.exit(3)", 3)]
)
def test_no_answer_says_how_the_child_ended(code: str, status: int) -> None:
    outcome = child(code).wait(30)
    assert outcome == PromptOutcome(
        "failed", detail=f"the reminder process ended with status {status}"
    )


def test_an_answer_is_read() -> None:
    prompt = child('print("noise"); print(\'{"outcome": "snooze", "minutes": 10}\')')
    assert prompt.wait(30) == PromptOutcome("snooze", minutes=10.0)
