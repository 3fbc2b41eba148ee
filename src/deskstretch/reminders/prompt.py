"""One reminder, start to finish: decide what to say, show it, do "Start", print the answer.

Runs in a short-lived child of the waiting service (``python -m deskstretch.reminders prompt``),
so it may import anything: the Coach (safety verdict, pain rules, the suggested routine) and
desktop-notifier. It prints exactly one JSON line, ``{"outcome": ...}``, which the service
records in the break journal, and exits.
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
import webbrowser
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deskstretch.core.errors import (
    DeskstretchError,
    NotFoundError,
    ProgrammePaused,
    QuestionsDue,
    SafetyStop,
)
from deskstretch.core.schedule import Policy
from deskstretch.core.wording import plural
from deskstretch.reminders.desktop.notify import Action, Notifier, Reminder

if TYPE_CHECKING:
    from deskstretch.catalogue.loader import LoadedRoutine
    from deskstretch.coach import Coach, Plan

log = logging.getLogger(__name__)

WEB_ADDRESS = "http://127.0.0.1:8767"
"""Where ``deskstretch app`` listens by default (web.app.DEFAULT_HOST/DEFAULT_PORT)."""
WEB_START_SECONDS = 20.0
# Posture-change moves for micro breaks (domain.md §6: stand, S10 or S12).
MICRO_MOVES = ("S10", "S12")
GENERIC_MICRO_CUE = "Stand up, walk a few steps or simply change how you sit."
# How the person lifts the pause after two worse days, or answers re-asked questions (the
# notification cannot offer it itself: it links to the app and the command).
RESUME_HINT = (
    "When you have seen a doctor or physiotherapist, or your back feels as it usually does, say"
    " so on the Today page of the app or with `deskstretch resume-programme`."
)
QUESTIONS_HINT = "Open the app, or run `deskstretch start` in a terminal, to answer them."
FALLBACK_ROUTINE = "hamstring-2min"


@dataclass(frozen=True)
class PromptPlan:
    """What to show, or why nothing is shown (``blocked``). ``routine_id`` is what Start opens;
    a ``rest`` note has no Start: the pain rules or the safety screen suggest a pause."""

    reminder: Reminder | None
    blocked: str = ""
    routine_id: str = ""
    minutes: float = 0.0
    rest: bool = False


def plan_prompt(coach: Coach, kind: str, policy: Policy, now: datetime) -> PromptPlan:
    """The reminder for a ``micro`` or ``stretch`` break, from the person's current state."""
    verdict = coach.verdict()
    if not verdict.routines_allowed:
        return PromptPlan(None, blocked=verdict.advice)
    pain_paused = _pain_paused(coach)
    if kind == "micro":
        cue = GENERIC_MICRO_CUE if pain_paused else _micro_cue(coach, now)
        return PromptPlan(
            Reminder(
                title="Time to change position",
                message=f"{cue} About {policy.micro_seconds} seconds is enough.",
                actions=(Action("done", "Done"), Action("not_done", "Not now")),
            )
        )
    try:
        plan = coach.plan(_default_routine(coach))
    except QuestionsDue as due:  # re-asked cauda equina questions come first
        return PromptPlan(
            Reminder(
                title="A few safety questions first",
                message=f"{due.message} {QUESTIONS_HINT}",
                actions=(Action("rest", "OK"),),
                click_action="rest",
            ),
            rest=True,
        )
    except SafetyStop as stop:  # the pain rules pause the programme, or nothing suits
        message = stop.message
        if isinstance(stop, ProgrammePaused):
            message += " " + RESUME_HINT
        return PromptPlan(
            Reminder(
                title="A gentle pause from stretching",
                message=message,
                actions=(Action("rest", "OK"),),
                click_action="rest",
            ),
            rest=True,
        )
    return _stretch_plan(plan, policy)


def _stretch_plan(plan: Plan, policy: Policy) -> PromptPlan:
    minutes = plan.timeline.total_seconds / 60
    message = f"{plan.routine.name}: about {plural(max(1, round(minutes)), 'minute')}."
    if plan.pain_notes:
        message += " " + plan.pain_notes[0]
    snooze = policy.default_snooze_minutes
    return PromptPlan(
        Reminder(
            title="Time for a stretch break",
            message=message,
            actions=(
                Action("start", "Start"),
                Action("snooze", f"Snooze {snooze} min"),
                Action("skip", "Skip"),
            ),
            click_action="start",
        ),
        routine_id=plan.routine.id,
        minutes=minutes,
    )


def _pain_paused(coach: Coach) -> bool:
    try:
        return coach.pain_plan().paused
    except DeskstretchError as error:  # an unreadable store must not cost the reminder
        log.warning("pain history not read: %s", error.message)
        return False


def _default_routine(coach: Coach) -> LoadedRoutine:
    try:
        return coach.resolve_routine(None, None)
    except NotFoundError:
        log.warning(
            "the default routine in your settings does not exist; using %s", FALLBACK_ROUTINE
        )
        return coach.resolve_routine(FALLBACK_ROUTINE, None)


def _micro_cue(coach: Coach, now: datetime) -> str:
    """A one-line posture change, alternating between the moves the person's answers allow."""
    from deskstretch.core.safety import is_allowed

    tags = coach.active_tags()
    moves = []
    for code in MICRO_MOVES:
        try:
            exercise = coach.find_exercise(code)
        except NotFoundError:
            continue
        if is_allowed(exercise, tags):
            moves.append(exercise)
    if not moves:
        return GENERIC_MICRO_CUE
    half_hour = int(now.timestamp() // 1800)
    return moves[half_hour % len(moves)].summary


# ----- Start --------------------------------------------------------------------------------------


Spawn = Callable[[Sequence[str]], None]
OpenUrl = Callable[[str], bool]
Fetch = Callable[[str], bool]


def spawn_detached(argv: Sequence[str]) -> None:
    """Start a program that outlives this process (its own session, no inherited terminal)."""
    options: dict[str, Any] = {}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **options,
    )


def can_show_browser() -> bool:
    """A graphical browser is there (not a text browser in a terminal we do not have)."""
    from deskstretch.system.browser import can_open_browser

    return can_open_browser()


def _app_base(data_dir: Path) -> str:
    """Where the running app listens (it writes its address), else the default address."""
    from deskstretch.system.browser import app_address

    remembered = app_address(data_dir)
    return remembered if remembered and is_web_app_up(remembered) else WEB_ADDRESS


def is_web_app_up(base: str) -> bool:
    """Whether deskstretch's web app answers at ``base`` (its routine list, as JSON)."""
    try:
        with urllib.request.urlopen(f"{base}/api/routines", timeout=2) as response:
            data = json.loads(response.read())
    except (OSError, ValueError):
        return False
    return isinstance(data, list)


@dataclass
class Starter:
    """Performs "Start": the browser player (starting the web app if needed) or a terminal."""

    spawn: Spawn = spawn_detached
    open_url: OpenUrl = webbrowser.open
    is_up: Fetch = is_web_app_up
    has_browser: Callable[[], bool] = can_show_browser
    sleep: Callable[[float], None] = time.sleep
    environ: Mapping[str, str] | None = None
    platform: str = sys.platform
    python: str = sys.executable
    base: str = WEB_ADDRESS

    def start(self, routine_id: str, how: str) -> str:
        """Open ``routine_id``; returns what was opened. Raises DeskstretchError on failure."""
        if how == "terminal":
            return self.in_terminal(routine_id)
        return self.in_browser(routine_id)

    def in_browser(self, routine_id: str) -> str:
        if not self.has_browser():
            raise DeskstretchError(
                "no graphical browser here: run `deskstretch start` in a terminal instead"
            )
        if not self.is_up(self.base):
            self.spawn([self.python, "-m", "deskstretch", "app", "--no-browser"])
            waited = 0.0
            while not self.is_up(self.base):
                if waited >= WEB_START_SECONDS:
                    raise DeskstretchError(
                        f"the browser app did not start at {self.base} (is the port taken? try"
                        " `deskstretch app`)"
                    )
                self.sleep(0.25)
                waited += 0.25
        # ?start=1: the player begins the get-ready countdown at once (the person pressed Start).
        url = f"{self.base}/play/{routine_id}?start=1"
        if not self.open_url(url):
            raise DeskstretchError(f"no browser could be opened; go to {url}")
        return url

    def in_terminal(self, routine_id: str) -> str:
        command = [self.python, "-m", "deskstretch", "start", routine_id]
        env = os.environ if self.environ is None else self.environ
        if self.platform == "darwin":
            script = f'tell application "Terminal" to do script "{shlex.join(command)}"'
            argv = ["osascript", "-e", script, "-e", 'tell application "Terminal" to activate']
        elif self.platform.startswith("win"):
            argv = ["cmd", "/c", "start", "deskstretch", *command]
        else:
            # Debian policy: every x-terminal-emulator runs "-e command args..." as given.
            terminal = env.get("TERMINAL") or shutil.which("x-terminal-emulator")
            if not terminal:
                raise DeskstretchError(
                    'no terminal program found: set TERMINAL, or use start_in = "browser"'
                )
            argv = [terminal, "-e", *command]
        try:
            self.spawn(argv)
        except OSError as error:
            raise DeskstretchError(f"cannot start {argv[0]}: {error.strerror or error}") from None
        return shlex.join(argv)


# ----- the whole prompt ---------------------------------------------------------------------------


def run_prompt(
    kind: str,
    *,
    coach: Coach,
    policy: Policy,
    notifier: Notifier,
    starter: Starter,
    now: datetime,
) -> dict[str, Any]:
    """Show the reminder for ``kind`` and carry out the answer; returns the JSON answer."""
    plan = plan_prompt(coach, kind, policy, now)
    if plan.reminder is None:
        return {"outcome": "blocked", "detail": plan.blocked}
    answer = notifier.show(plan.reminder)
    if plan.rest:
        return {"outcome": "rest", "detail": "the pain rules suggest a pause from the routines"}
    if answer == "snooze":
        return {"outcome": "snooze", "minutes": policy.default_snooze_minutes}
    if answer == "start":
        try:
            opened = starter.start(plan.routine_id, policy.start_action)
        except DeskstretchError as error:
            return {"outcome": "failed", "detail": f"Start did not work: {error.message}"}
        return {
            "outcome": "start",
            "routine": plan.routine_id,
            "minutes": round(plan.minutes, 2),
            "detail": opened,
        }
    return {"outcome": answer}


def show_problem(message: str, notifier: Notifier) -> dict[str, Any]:
    """A note about something the person should fix (no buttons)."""
    answer = notifier.show(
        Reminder(title="deskstretch reminders", message=message, actions=(), timeout_seconds=60)
    )
    return {"outcome": answer}


def main(kind: str, message: str = "") -> int:
    """Entry point of ``python -m deskstretch.reminders prompt``: print one JSON line."""
    from deskstretch.coach import Coach
    from deskstretch.config import Settings
    from deskstretch.reminders.desktop.notify import default_notifier
    from deskstretch.reminders.logfile import setup_logging
    from deskstretch.reminders.policy import load_policy

    settings = Settings.from_env()
    _exit_with_parent()
    try:
        setup_logging(settings.data_dir)
    except DeskstretchError as error:
        sys.stderr.write(f"deskstretch: {error.message}\n")
    try:
        if kind == "problem":
            result = show_problem(message, default_notifier())
        else:
            result = run_prompt(
                kind,
                coach=Coach(settings),
                policy=load_policy(settings.config_dir).policy,
                notifier=default_notifier(),
                starter=Starter(base=_app_base(settings.data_dir)),
                now=datetime.now(UTC),
            )
    except Exception as error:  # the service must always get an answer
        log.exception("the reminder failed")
        result = {"outcome": "failed", "detail": f"{type(error).__name__}: {error}"}
    try:
        print(json.dumps(result), flush=True)
    except OSError:  # the service is gone (BrokenPipeError): nobody to tell
        log.info("the reminder service was gone before the answer (%s)", result["outcome"])
    return 0


def _exit_with_parent(poll_seconds: float = 2.0) -> None:
    """A reminder whose service was killed (not stopped: it kills its prompt then) would wait
    out its whole timeout for nobody; leave as soon as the parent is gone instead."""
    if sys.platform == "win32":
        return
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
