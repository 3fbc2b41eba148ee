"""The prompt process: what a reminder says (safety, pain rules, routine), and what Start does."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.errors import DeskstretchError
from deskstretch.core.records import CheckIn
from deskstretch.core.safety import SCREENING_VERSION
from deskstretch.core.schedule import Policy
from deskstretch.reminders import prompt
from deskstretch.reminders.desktop.notify import MemoryNotifier
from deskstretch.reminders.prompt import Starter, plan_prompt, run_prompt, show_problem
from helpers.support import Dirs, answers_toml

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
PLAYER = "http://127.0.0.1:8767/play/hamstring-2min?start=1"


@dataclass
class FakeDesktop:
    """Records what Start spawned and opened; the web app comes up after ``up_after`` looks."""

    up_after: int = 0
    browser: bool = True
    opens: bool = True
    spawned: list[list[str]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    looks: int = 0

    def starter(self, **options: object) -> Starter:
        return Starter(
            spawn=lambda argv: self.spawned.append(list(argv)),
            open_url=self.open_url,
            is_up=self.is_up,
            has_browser=lambda: self.browser,
            sleep=lambda seconds: None,
            python="/usr/bin/python3",
            **options,  # type: ignore[arg-type]
        )

    def is_up(self, base: str) -> bool:
        assert base == "http://127.0.0.1:8767"
        self.looks += 1
        return self.looks > self.up_after

    def open_url(self, url: str) -> bool:
        self.opened.append(url)
        return self.opens


def screen(dirs: Dirs, yes: tuple[str, ...] = (), clearance: bool = False) -> None:
    dirs.config.mkdir(parents=True, exist_ok=True)
    header = f'version = {SCREENING_VERSION}\ncompleted_at = "2026-03-01T09:00:00+00:00"\n'
    dirs.screening.write_text(header + answers_toml(yes, (), clearance), encoding="utf-8")


@pytest.fixture
def coach(dirs: Dirs) -> Coach:
    screen(dirs)
    return Coach(Settings.from_env())


def ask(
    coach: Coach,
    kind: str,
    answer: str,
    desktop: FakeDesktop | None = None,
    policy: Policy | None = None,
) -> tuple[dict[str, object], MemoryNotifier]:
    notifier = MemoryNotifier([answer])
    result = run_prompt(
        kind,
        coach=coach,
        policy=policy or Policy(),
        notifier=notifier,
        starter=(desktop or FakeDesktop()).starter(),
        now=NOW,
    )
    json.dumps(result)  # it must be printable as the one JSON line
    return result, notifier


def test_stretch_reminder_names_the_routine_and_offers_start_snooze_skip(coach: Coach) -> None:
    result, notifier = ask(coach, "stretch", "skip")

    assert result == {"outcome": "skip"}
    [reminder] = notifier.shown
    assert reminder.title == "Time for a stretch break"
    assert reminder.message.startswith("Quick hamstring stretch")
    assert "minutes" in reminder.message
    assert [(a.id, a.label) for a in reminder.actions] == [
        ("start", "Start"),
        ("snooze", "Snooze 10 min"),
        ("skip", "Skip"),
    ]
    assert reminder.click_action == "start"


def test_snooze_answer_carries_the_policy_minutes(coach: Coach) -> None:
    result, notifier = ask(coach, "stretch", "snooze", policy=Policy(default_snooze_minutes=15))

    assert result == {"outcome": "snooze", "minutes": 15}
    assert notifier.shown[0].actions[1].label == "Snooze 15 min"


def test_start_starts_the_web_app_and_opens_the_player(coach: Coach) -> None:
    desktop = FakeDesktop(up_after=3)

    result, _ = ask(coach, "stretch", "start", desktop)

    assert desktop.spawned == [["/usr/bin/python3", "-m", "deskstretch", "app", "--no-browser"]]
    assert desktop.opened == [PLAYER]
    assert result["outcome"] == "start"
    assert result["routine"] == "hamstring-2min"
    assert result["detail"] == PLAYER
    assert isinstance(result["minutes"], float)
    assert 1 < result["minutes"] < 6


def test_start_uses_a_running_web_app(coach: Coach) -> None:
    desktop = FakeDesktop(up_after=0)

    ask(coach, "stretch", "start", desktop)

    assert desktop.spawned == []
    assert desktop.opened == [PLAYER]


def test_start_plays_the_routine_from_the_settings(coach: Coach, dirs: Dirs) -> None:
    (dirs.config / "config.toml").write_text('default_routine = "seated-5min"\n', "utf-8")
    desktop = FakeDesktop()

    result, _ = ask(Coach(Settings.from_env()), "stretch", "start", desktop)

    assert desktop.opened == ["http://127.0.0.1:8767/play/seated-5min?start=1"]
    assert result["routine"] == "seated-5min"


def test_start_in_a_terminal_runs_deskstretch_start(coach: Coach) -> None:
    desktop = FakeDesktop()
    starter = desktop.starter(environ={"TERMINAL": "xterm"}, platform="linux")

    opened = starter.start("hamstring-2min", "terminal")

    assert desktop.spawned == [
        ["xterm", "-e", "/usr/bin/python3", "-m", "deskstretch", "start", "hamstring-2min"]
    ]
    assert opened.startswith("xterm -e")


def test_start_in_a_terminal_on_macos_uses_terminal_app() -> None:
    desktop = FakeDesktop()

    desktop.starter(platform="darwin").start("hamstring-2min", "terminal")

    [argv] = desktop.spawned
    assert argv[0] == "osascript"
    assert 'tell application "Terminal" to do script' in argv[2]
    assert "deskstretch start hamstring-2min" in argv[2]


def test_start_without_a_terminal_program_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    starter = FakeDesktop().starter(environ={}, platform="linux")

    with pytest.raises(DeskstretchError, match="TERMINAL"):
        starter.start("hamstring-2min", "terminal")


@pytest.mark.parametrize(
    ("desktop", "expected"),
    [
        (FakeDesktop(browser=False), "no graphical browser"),
        (FakeDesktop(opens=False), "no browser could be opened"),
        (FakeDesktop(up_after=1_000_000), "did not start"),
    ],
    ids=["no-display", "browser-fails", "app-never-up"],
)
def test_start_that_fails_reports_failed(coach: Coach, desktop: FakeDesktop, expected: str) -> None:
    result, _ = ask(coach, "stretch", "start", desktop)

    assert result["outcome"] == "failed"
    assert expected in str(result["detail"])


@pytest.mark.parametrize("kind", ["micro", "stretch"])
def test_red_flag_blocks_the_reminder(dirs: Dirs, kind: str) -> None:
    screen(dirs, ("ces-bladder",))

    result, notifier = ask(Coach(Settings.from_env()), kind, "start")

    assert result["outcome"] == "blocked"
    assert "emergency" in str(result["detail"])
    assert notifier.shown == []


def test_unscreened_blocks_the_reminder(dirs: Dirs) -> None:
    result, notifier = ask(Coach(Settings.from_env()), "stretch", "start")

    assert result["outcome"] == "blocked"
    assert notifier.shown == []


def worsening_days(coach: Coach) -> None:
    """Back pain higher on each of the last three days: the pain rules pause the routines."""
    from deskstretch.store import repository as repo

    now = datetime.now(UTC)
    for days_ago, pain in ((2, 2), (1, 4), (0, 6)):
        repo.add_checkin(
            coach.store, CheckIn(f"c{days_ago}", now - timedelta(days=days_ago), pain, None)
        )


def test_pain_pause_turns_a_stretch_break_into_a_gentle_note(coach: Coach) -> None:
    worsening_days(coach)
    desktop = FakeDesktop()

    result, notifier = ask(coach, "stretch", "rest", desktop)

    [reminder] = notifier.shown
    assert [a.id for a in reminder.actions] == ["rest"]  # no Start
    assert "routines are paused" in reminder.message
    assert "doctor or physiotherapist" in reminder.message
    assert "deskstretch resume-programme" in reminder.message  # how to lift it
    assert result["outcome"] == "rest"
    assert desktop.opened == []
    assert desktop.spawned == []


def test_pain_pause_stays_a_gentle_note_after_days_without_check_ins(coach: Coach) -> None:
    from deskstretch.store import repository as repo

    now = datetime.now(UTC)
    for days_ago, pain in ((6, 2), (5, 4), (4, 6)):
        repo.add_checkin(
            coach.store, CheckIn(f"c{days_ago}", now - timedelta(days=days_ago), pain, None)
        )

    result, notifier = ask(coach, "stretch", "rest")

    assert [a.id for a in notifier.shown[0].actions] == ["rest"]
    assert result["outcome"] == "rest"


def test_questions_due_turn_a_stretch_break_into_a_note_to_answer_them(coach: Coach) -> None:
    coach.check_in(1, None)
    assert coach.check_in(5, None).reask_cauda_equina

    result, notifier = ask(coach, "stretch", "rest")

    [reminder] = notifier.shown
    assert reminder.title == "A few safety questions first"
    assert [a.id for a in reminder.actions] == ["rest"]
    assert result["outcome"] == "rest"


def test_pain_pause_keeps_micro_breaks_but_without_exercises(coach: Coach) -> None:
    worsening_days(coach)

    _result, notifier = ask(coach, "micro", "done")

    assert notifier.shown[0].message.startswith(prompt.GENERIC_MICRO_CUE)


def test_micro_reminder_is_a_one_line_posture_cue_with_done_buttons(coach: Coach) -> None:
    result, notifier = ask(coach, "micro", "not_done")

    assert result == {"outcome": "not_done"}
    [reminder] = notifier.shown
    assert reminder.title == "Time to change position"
    summaries = {coach.find_exercise(code).summary for code in ("S10", "S12")}
    assert any(reminder.message.startswith(summary) for summary in summaries)
    assert "40 seconds" in reminder.message
    assert "\n" not in reminder.message
    assert [(a.id, a.label) for a in reminder.actions] == [
        ("done", "Done"),
        ("not_done", "Not now"),
    ]


def test_micro_cues_alternate_between_moves(coach: Coach) -> None:
    policy = Policy()
    first = plan_prompt(coach, "micro", policy, NOW).reminder
    later = plan_prompt(coach, "micro", policy, NOW + timedelta(minutes=30)).reminder

    assert first is not None and later is not None
    assert first.message != later.message


def test_micro_cue_leaves_out_a_move_the_answers_rule_out(dirs: Dirs) -> None:
    screen(dirs, ("extension-sensitive",))
    coach = Coach(Settings.from_env())
    s10 = coach.find_exercise("S10").summary

    for minutes in (0, 30, 60):
        plan = plan_prompt(coach, "micro", Policy(), NOW + timedelta(minutes=minutes))
        assert plan.reminder is not None
        assert plan.reminder.message.startswith(s10)


def test_problem_note_has_no_buttons() -> None:
    notifier = MemoryNotifier(["dismissed"])

    result = show_problem("Your reminder settings have a problem", notifier)

    assert result == {"outcome": "dismissed"}
    assert notifier.shown[0].actions == ()
    assert notifier.shown[0].message == "Your reminder settings have a problem"


def test_prompt_main_prints_one_json_line_even_when_it_fails(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskstretch.reminders.desktop import notify

    def broken() -> object:
        raise RuntimeError("no desktop at all")

    monkeypatch.setattr(notify, "default_notifier", broken)
    screen(dirs)

    assert prompt.main("stretch") == 0

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {
        "outcome": "failed",
        "detail": "RuntimeError: no desktop at all",
    }
    assert Path(dirs.data, "logs", "reminders.log").exists()
