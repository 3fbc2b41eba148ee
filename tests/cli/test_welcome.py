"""``deskstretch welcome``: the first run in the terminal stores what the browser's stores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from deskstretch.coach import Coach
from deskstretch.config import Settings, load_state
from deskstretch.core.safety import SafetyStatus
from deskstretch.core.safety.steps import STEPS, Answer
from deskstretch.web.app import create_app
from helpers.support import CliRunner, Dirs, flat
from helpers.web_client import BASE, PageScan, WebClient


def typed(answers: Mapping[str, Answer], clearance: bool, goal: list[str]) -> str:
    """What a person types for ``answers`` in the terminal: the numbers, then each answer."""
    keys = {Answer.YES: "y", Answer.CLEARED: "c", Answer.NO: "n"}
    lines: list[str] = []
    for step in STEPS:
        ticked = [n for n, item in enumerate(step.items, 1) if item.id in answers]
        lines.append(" ".join(map(str, ticked)))
        lines += [keys[answers[step.items[n - 1].id]] for n in ticked]
        if any(answers.get(i.id) is Answer.YES and i.stops for i in step.items):
            return "\n".join(lines) + "\n"
    if any(answers.get(k) is Answer.YES for k in ("pregnancy", "recent-hamstring-injury")):
        lines.append("y" if clearance else "n")
    return "\n".join([*lines, *goal]) + "\n"


GOAL = [
    "Putting on socks",
    "4",
    "Sitting through a meeting",
    "6",
    "",
    "5",
    "0",
    "-3.5",
    "right",
    "n",  # break reminders: not now
    "n",  # the first session: not now
]


def comparable(export: Mapping[str, Any]) -> dict[str, Any]:
    """An export without ids and times: what was recorded, not when."""
    drop = {"id", "at", "started_at", "created_at", "added_at", "started_on", "activity_id"}

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in drop}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    records = {k: v for k, v in export.items() if isinstance(v, list)}
    psfs = [r for r in records.get("questionnaire_results", []) if r.get("instrument") == "psfs"]
    return {
        "activities": sorted(a["name"] for a in records.get("psfs_activities", [])),
        "psfs_scores": [r["score"] for r in psfs],
        "checkins": clean(records.get("checkins", [])),
        "measurements": clean(records.get("measurements", [])),
        "enrolments": [e["programme_id"] for e in records.get("enrolments", [])],
    }


def test_welcome_walks_to_a_plan_and_stores_the_goal(run_cli: CliRunner, dirs: Dirs) -> None:
    done = run_cli("welcome", stdin=typed({}, False, GOAL))
    assert done.exit_code == 0, done
    text = flat(done.stdout)
    assert "Step 1 of 7: Bladder, bowels and the saddle area" in text
    assert "Your plan" in text and "Week 1 of 6" in text
    assert "In weeks 3 and 6 we ask again" in text
    assert "Start your first session now?" in text
    assert "Your plan is saved." in text
    coach = Coach(Settings.from_env())
    assert coach.verdict().status is SafetyStatus.OK
    assert [a.name for a in coach.psfs_activities()] == [
        "Putting on socks",
        "Sitting through a meeting",
    ]
    assert load_state(coach.settings).first_run_completed_at is not None


def test_welcome_asks_once_about_break_reminders(run_cli: CliRunner, dirs: Dirs) -> None:
    """Unset: one y/n question, and the answer is the switch in reminders.toml; once chosen,
    a second first run does not ask again."""
    done = run_cli("welcome", stdin=typed({}, False, [*GOAL[:-2], "maybe", "y", "n"]))
    assert done.exit_code == 0, done
    text = flat(done.stdout)
    assert text.count("Turn on break reminders? [y/n]") == 2  # "maybe" is asked again
    assert "a 3-minute stretch every hour, only in your working hours" in text
    assert "deskstretch remind install" in text and "deskstretch app" in text
    coach = Coach(Settings.from_env())
    assert coach.reminders.setup().state == "on"
    assert "enabled = true" in (dirs.config / "reminders.toml").read_text(encoding="utf-8")
    again = run_cli("welcome", stdin=typed({}, False, [*GOAL[:-2], "n"]))
    assert again.exit_code == 0, again
    assert "Turn on break reminders?" not in flat(again.stdout)


def test_welcome_keeps_reminders_off_on_no(run_cli: CliRunner, dirs: Dirs) -> None:
    done = run_cli("welcome", stdin=typed({}, False, GOAL))
    assert done.exit_code == 0, done
    assert "No break reminders." in flat(done.stdout)
    assert Coach(Settings.from_env()).reminders.setup().state == "off"


def test_welcome_asks_again_on_a_reply_it_does_not_understand(run_cli: CliRunner) -> None:
    stdin = typed({}, False, GOAL).replace("\n", "\n9\n", 1)  # an item number out of range
    done = run_cli("welcome", stdin="abc\n" + stdin)
    assert done.exit_code == 0, done
    assert flat(done.stdout).count("Please type numbers from 1 to 4") == 1


def test_an_emergency_answer_stops_and_locks(run_cli: CliRunner, dirs: Dirs) -> None:
    done = run_cli("welcome", stdin=typed({"ces-saddle": Answer.YES}, False, GOAL))
    assert done.exit_code == 3
    assert "Your goal" not in done.stdout
    assert "emergency" in flat(done.stdout + done.stderr).lower()
    coach = Coach(Settings.from_env())
    assert coach.verdict().status is SafetyStatus.RED_FLAG
    assert coach.psfs_activities() == []


def test_stopping_midway_saves_nothing(run_cli: CliRunner, dirs: Dirs) -> None:
    done = run_cli("welcome", stdin="\n\n")
    assert done.exit_code != 0
    assert "nothing was saved" in flat(done.stdout + done.stderr)
    assert Coach(Settings.from_env()).screening() is None


@pytest.mark.parametrize(
    ("answers", "clearance"),
    [
        ({}, False),
        ({"fracture-major-injury": Answer.CLEARED, "balance": Answer.YES}, False),
        ({"pregnancy": Answer.YES, "leg-symptoms": Answer.YES}, True),
    ],
)
def test_terminal_and_browser_store_the_same(
    run_cli: CliRunner, dirs: Dirs, tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
    answers: dict[str, Answer], clearance: bool,
) -> None:  # fmt: skip
    assert run_cli("welcome", stdin=typed(answers, clearance, GOAL)).exit_code == 0
    terminal = Coach(Settings.from_env())
    # The same person in the browser, in folders of their own.
    monkeypatch.setenv("DESKSTRETCH_CONFIG_DIR", str(tmp_path / "web-config"))
    monkeypatch.setenv("DESKSTRETCH_DATA_DIR", str(tmp_path / "web-data"))
    app: FastAPI = create_app(Settings.from_env())
    with TestClient(app, base_url=BASE) as client:
        web = WebClient(client)
        page = web.get("/start/safety")
        for _ in range(20):
            fields = {
                a["name"]: a.get("value", "")
                for t, a in PageScan.of(page.text).tags
                if t == "input" and a.get("type") == "hidden" and a["name"] != "csrf_token"
            }
            step = next(s for s in STEPS if s.id == fields["step"])
            ticked = [i.id for i in step.items if i.id in answers]
            if fields.get("stage") == "detail":
                form = fields | {f"d-{k}": answers[k].value for k in ticked}
                if 'name="clearance"' in page.text:
                    form["clearance"] = "yes" if clearance else "no"
            elif ticked:
                form = fields | {f"tick-{k}": "on" for k in ticked} | {"action": "ticked"}
            else:
                form = fields | {"action": "none"}
            page = web.post_form("/start/safety", form)
            if page.status_code != 200:
                break
        assert page.headers["location"] == "/start/goal"
        goal = {
            "activity-1": GOAL[0], "rating-1": GOAL[1], "activity-2": GOAL[2], "rating-2": GOAL[3],
            "back-pain": GOAL[5], "leg-pain": GOAL[6], "reach-cm": GOAL[7], "reach-leg": GOAL[8],
        }  # fmt: skip
        assert web.post_form("/start/goal", goal).headers["location"] == "/start/plan"
    browser = Coach(Settings.from_env())
    one, other = terminal.screening(), browser.screening()
    assert one is not None and other is not None
    assert (one.red_flags, one.red_flags_cleared, one.conditions, one.clearance_confirmed) == (
        other.red_flags, other.red_flags_cleared, other.conditions, other.clearance_confirmed,
    )  # fmt: skip
    assert terminal.verdict() == browser.verdict()
    assert comparable(terminal.export_all()) == comparable(browser.export_all())
    stored = comparable(terminal.export_all())
    assert stored["enrolments"] == ["desk-back-6-weeks"]
    assert stored["psfs_scores"] == [5.0] and len(stored["checkins"]) == 1
