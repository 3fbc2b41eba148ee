"""The full-screen player in a real terminal: deskstretch runs inside tmux and is driven by keys.

Every test polls the pane with a deadline (``Tmux.wait_for``); nothing sleeps for a fixed long
time. Routines use 2-second pauses and 5-second holds (the shortest the format allows), so the
whole file plays in about half a minute.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers.support import Dirs, write_file

pytestmark = pytest.mark.e2e

POLL_SECONDS = 0.05
KEYS_HELP = "space pause/resume · → or n skip · ← or p back · q quit"

# Segments: get ready 2 s, hold left 5, switch 2, hold right 5, next exercise 2, move 3 x 1 s.
TWO_STEP_ROUTINE = """\
name = "Terminal test routine"
get_ready_seconds = 2
switch_seconds = 2
transition_seconds = 2

[[steps]]
exercise = "seated-hamstring-hinge"
reps = 1
hold_seconds = 5

[[steps]]
exercise = "seated-pelvic-tilts"
reps = 3
rep_seconds = 1
"""

# Get ready 2 s, then 2 reps of 1 s: 4 s in all.
TINY_ROUTINE = """\
name = "Tiny terminal routine"
get_ready_seconds = 2

[[steps]]
exercise = "seated-pelvic-tilts"
reps = 2
rep_seconds = 1
"""

# Get ready 2 s, then one 5-second hold: 7 s in all.
ONE_HOLD_ROUTINE = """\
name = "One hold routine"
get_ready_seconds = 2

[[steps]]
exercise = "seated-forward-fold"
reps = 1
hold_seconds = 5
"""


class Tmux:
    """One tmux server on its own socket, running one command in a detached session."""

    def __init__(self, binary: str, width: int, height: int) -> None:
        self.binary = binary
        self.socket = f"deskstretch-test-{uuid.uuid4().hex[:12]}"
        self.width = width
        self.height = height
        self.screens_seen = 0

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [self.binary, "-u", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        assert done.returncode == 0, f"tmux {' '.join(args)} failed: {done.stderr}"
        return done.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        """Run ``argv`` with exactly these extra variables; then print its exit status and wait."""
        settings = " ".join(shlex.quote(f"{name}={value}") for name, value in env.items())
        # The test process sets COLUMNS for in-process Rich output; a real terminal has none.
        command = (
            f"env -u COLUMNS -u LINES -u NO_COLOR {settings} {shlex.join(argv)}; "
            "echo EXIT=$?; sleep 600"
        )
        self.tmux(
            "new-session", "-d", "-s", "main", "-x", str(self.width), "-y", str(self.height),
            command,
        )  # fmt: skip

    def capture(self, history: bool = False) -> str:
        extra = ["-S", "-200"] if history else []
        screen = self.tmux("capture-pane", "-p", "-t", "main", *extra)
        self.screens_seen += 1
        assert "Traceback" not in screen, screen
        return screen

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "main", *keys)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def wait_until(
        self, predicate: Callable[[str], bool], timeout: float, what: str, history: bool = False
    ) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture(history)
            if predicate(screen):
                return screen
            time.sleep(POLL_SECONDS)
        raise AssertionError(f"waited {timeout} s for {what}; the pane shows:\n{screen}")

    def wait_for(self, pattern: str, timeout: float = 5.0, history: bool = False) -> str:
        """Poll the pane until the regex ``pattern`` appears; return that screen."""
        regex = re.compile(pattern)
        return self.wait_until(
            lambda s: bool(regex.search(s)), timeout, repr(pattern), history=history
        )

    def settled(self, timeout: float = 3.0) -> str:
        """A screen that two captures in a row agree on (not one caught mid-redraw)."""
        deadline = time.monotonic() + timeout
        previous = self.capture()
        while time.monotonic() < deadline:
            time.sleep(0.15)
            screen = self.capture()
            if screen == previous:
                return screen
            previous = screen
        raise AssertionError(f"the pane kept changing for {timeout} s:\n{previous}")

    def kill(self) -> None:
        subprocess.run(
            [self.binary, "-L", self.socket, "kill-server"],
            capture_output=True,
            timeout=10,
            check=False,
        )


@pytest.fixture
def terminal() -> Iterator[Callable[[int, int], Tmux]]:
    binary = shutil.which("tmux")
    if binary is None:
        pytest.fail(
            "tmux is not installed, and the real-terminal tests need it: run `make test` "
            "(installs it) or `sudo apt install tmux` / `brew install tmux`."
        )
    servers: list[Tmux] = []

    def make(width: int = 80, height: int = 30) -> Tmux:
        server = Tmux(binary, width, height)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.kill()


def start_routine(
    tmux: Tmux, dirs: Dirs, routine: Path, *options: str, checkin: bool = False, **env: str
) -> None:
    extra = [] if checkin else ["--no-checkin"]
    tmux.start(
        [sys.executable, "-m", "deskstretch", "start", "--file", str(routine), *options, *extra],
        {**dirs.env_vars(), **env},
    )


def headline(screen: str) -> str:
    """The segment headline line of the panel (GET READY, HOLD · LEFT LEG, ...)."""
    for line in screen.splitlines():
        text = line.strip(" │")
        if re.fullmatch(
            r"(GET READY|PRESS GENTLY|HOLD|MOVE|RELAX|SWITCH SIDES|NEXT EXERCISE)( · [A-Z0-9 ]+)*",
            text,
        ):
            return text
    return ""


def progress(screen: str) -> str:
    """The "0:03 / 0:19" position shown next to the progress bar."""
    found = re.search(r"\d+:\d\d / \d+:\d\d", screen)
    assert found, screen
    return found.group(0)


def row(screen: str, name: str) -> str:
    lines = [line for line in screen.splitlines() if name in line]
    assert len(lines) == 1, screen
    return lines[0]


def test_full_screen_pause_skip_back_and_quit(
    terminal: Callable[[int, int], Tmux], dirs: Dirs, screened: Path, tmp_path: Path
) -> None:
    routine = write_file(tmp_path / "two-steps.toml", TWO_STEP_ROUTINE)
    tmux = terminal(80, 30)
    start_routine(tmux, dirs, routine, "--no-voice", "--no-bell")

    wanted = ("Terminal test routine", "Seated hamstring hinge", "step 1 of 2", KEYS_HELP)
    screen = tmux.wait_until(
        lambda s: headline(s) == "GET READY" and all(text in s for text in wanted),
        10,
        f"GET READY with {wanted}",
    )
    assert "PAUSED" not in screen

    screen = tmux.wait_for(r"HOLD · LEFT LEG", timeout=5)
    tmux.send("Space")
    tmux.wait_for(r"PAUSED: press space to carry on", timeout=3)
    paused = tmux.settled()
    assert headline(paused) == "HOLD · LEFT LEG"
    time.sleep(1.5)  # long enough for a running countdown to show another second
    assert tmux.capture() == paused, "the screen changed while paused"

    tmux.send("Space")
    tmux.wait_until(lambda s: "PAUSED" not in s, 3, "the pause to end")
    tmux.wait_until(
        lambda s: progress(s) != progress(paused), 2.5, "the clock to move again after resuming"
    )

    # Skip and back while paused, so a segment ending on its own cannot be mistaken for a skip.
    tmux.send("Space")
    paused = tmux.wait_for(r"PAUSED", timeout=3)
    assert headline(paused) == "HOLD · LEFT LEG"
    tmux.send("Right")
    tmux.wait_until(lambda s: headline(s) == "SWITCH SIDES", 3, "Right to skip ahead")
    tmux.send("Left")
    tmux.wait_until(lambda s: headline(s) == "HOLD · LEFT LEG", 3, "Left to go back")
    tmux.send("n")
    screen = tmux.wait_until(lambda s: headline(s) == "SWITCH SIDES", 3, "n to skip ahead")
    assert "PAUSED" in screen
    tmux.send("p")
    screen = tmux.wait_until(lambda s: headline(s) == "HOLD · LEFT LEG", 3, "p to go back")
    assert "PAUSED" in screen

    tmux.send("Space")  # play on: left hold, switch, then the right hold by itself
    tmux.wait_until(lambda s: headline(s) == "SWITCH SIDES", 9, "the left hold to end")
    screen = tmux.wait_until(lambda s: headline(s) == "HOLD · RIGHT LEG", 5, "the right hold")
    assert "step 1 of 2" in screen

    tmux.send("Space", "n")
    screen = tmux.wait_until(lambda s: headline(s) == "NEXT EXERCISE", 3, "the next exercise")
    assert "step 2 of 2" in screen
    assert "Seated pelvic tilts" in screen

    tmux.send("q")
    summary = tmux.wait_for(r"EXIT=\d+", timeout=5)
    assert "EXIT=0" in summary
    assert "Stopped early" in summary
    assert re.search(r"\(part\)", row(summary, "Seated hamstring hinge"))
    # The left hold was played in full after going back; the right one only for a moment.
    assert re.search(r"left 0:0[5-9]", row(summary, "Seated hamstring hinge"))
    assert "skipped" in row(summary, "Seated pelvic tilts")
    assert "1 of 2 exercises" in summary
    assert "GET READY" not in summary  # the full screen was cleared away


def test_plays_a_tiny_routine_to_the_end(
    terminal: Callable[[int, int], Tmux], dirs: Dirs, screened: Path, tmp_path: Path
) -> None:
    routine = write_file(tmp_path / "tiny.toml", TINY_ROUTINE)
    tmux = terminal(80, 30)
    start_routine(tmux, dirs, routine, "--no-voice", "--no-bell")

    tmux.wait_for(r"GET READY", timeout=10)
    screen = tmux.wait_for(r"rep \d of 2", timeout=5)
    assert headline(screen) == "MOVE"
    summary = tmux.wait_for(r"EXIT=\d+", timeout=8)
    assert "EXIT=0" in summary
    assert "Routine complete. Well done." in summary
    assert "1 of 1 exercises, 0:02 of movement (planned 0:02)" in summary
    assert "Stopped early" not in summary


def test_checkins_before_and_after_are_one_keypress_and_recorded(
    terminal: Callable[[int, int], Tmux], dirs: Dirs, screened: Path, tmp_path: Path
) -> None:
    routine = write_file(tmp_path / "tiny.toml", TINY_ROUTINE)
    tmux = terminal(80, 30)
    start_routine(tmux, dirs, routine, "--no-voice", "--no-bell", checkin=True)

    tmux.wait_for(r"Back pain right now\?", timeout=10)
    tmux.send("3")
    tmux.wait_for(r"Pain running down a leg right now\?", timeout=3)
    tmux.send("Enter")  # skipped
    tmux.wait_for(r"GET READY", timeout=5)
    tmux.wait_for(r"How do you feel now\?", timeout=10)
    tmux.send("6")
    tmux.wait_for(r"Pain running down a leg right now\?", timeout=3)
    tmux.send("0")
    # 3 -> 6 is a rise of 3 points: the pain rules call the session "too much", and a jump of
    # 3 or more re-asks the cauda equina questions (domain.md §3.1).
    tmux.wait_for(r"a few quick safety questions again", timeout=5)
    for _ in range(6):
        tmux.wait_until(lambda s: s.rstrip().endswith("[y/n]"), 3, "a y/n question")
        tmux.send("n", "Enter")
    summary = tmux.wait_for(r"EXIT=\d+", timeout=5)
    assert "EXIT=0" in summary
    assert "a bit much" in summary
    assert "Nothing there needs urgent attention" in summary

    from deskstretch.core.records import CheckInContext, SessionStatus
    from deskstretch.store import open_store
    from deskstretch.store import repository as repo

    with open_store(f"sqlite:///{dirs.data / 'deskstretch.sqlite3'}") as store:
        sessions = repo.list_sessions(store)
        checkins = repo.list_checkins(store)
    assert [s.status for s in sessions] == [SessionStatus.COMPLETED]
    assert sessions[0].too_much is True
    assert sessions[0].steps and sessions[0].steps[0].completed
    assert [(c.context, c.back_pain, c.leg_pain) for c in checkins] == [
        (CheckInContext.BEFORE_SESSION, 3, None),
        (CheckInContext.AFTER_SESSION, 6, 0),
    ]
    assert {c.session_id for c in checkins} == {sessions[0].id}


@pytest.mark.parametrize(
    ("width", "height", "countdown"),
    [
        pytest.param(40, 10, r"\b\d s\b", id="compact-40x10"),
        pytest.param(28, 6, r"GET READY \ds Seated", id="one-line-28x6"),
    ],
)
def test_small_terminal_still_shows_headline_and_countdown(
    terminal: Callable[[int, int], Tmux],
    dirs: Dirs,
    screened: Path,
    tmp_path: Path,
    width: int,
    height: int,
    countdown: str,
) -> None:
    routine = write_file(tmp_path / "two-steps.toml", TWO_STEP_ROUTINE)
    tmux = terminal(width, height)
    start_routine(tmux, dirs, routine, "--no-voice", "--no-bell")

    screen = tmux.wait_until(
        lambda s: "GET READY" in s and re.search(countdown, s) is not None,
        10,
        f"GET READY and a countdown like {countdown!r}",
    )
    assert "███" not in screen  # no room for the big digits
    assert all(len(line) <= width for line in screen.splitlines())
    tmux.send("Space")
    paused = tmux.wait_for(r"PAUSED", timeout=3)
    assert "GET READY" in paused or "HOLD" in paused
    tmux.send("q")
    tmux.wait_for(r"EXIT=0", timeout=5)
    assert "Stopped early" in tmux.capture(history=True)


def test_ssh_like_terminal_with_resize_never_shows_a_traceback(
    terminal: Callable[[int, int], Tmux], dirs: Dirs, screened: Path, tmp_path: Path
) -> None:
    routine = write_file(tmp_path / "one-hold.toml", ONE_HOLD_ROUTINE)
    tmux = terminal(80, 30)
    start_routine(tmux, dirs, routine, "--no-voice", TERM="xterm-256color", LANG="C.UTF-8")

    # Roomy layout first: the countdown in big digits.
    tmux.wait_until(lambda s: "GET READY" in s and "███" in s, 10, "GET READY in big digits")
    tmux.resize(60, 16)  # a window made smaller mid-routine, as over SSH
    screen = tmux.wait_until(
        lambda s: "HOLD" in s and "███" not in s and re.search(r"\b\d s\b", s) is not None,
        8,
        "the hold in the compact layout after the resize",
    )
    assert all(len(line) <= 60 for line in screen.splitlines())
    # Every capture in wait_for also checks that no traceback is on screen.
    summary = tmux.wait_for(r"EXIT=\d+", timeout=10)
    assert "EXIT=0" in summary
    assert "Routine complete" in summary
    assert tmux.screens_seen > 10


def test_first_start_is_the_first_run_in_a_real_terminal(
    terminal: Callable[[int, int], Tmux], dirs: Dirs
) -> None:
    """A newcomer's `deskstretch start`: welcome, seven checklists, a goal, the plan, and the
    session it offers, typed key by key in a real terminal."""
    tmux = terminal(100, 40)
    tmux.start([sys.executable, "-m", "deskstretch", "start", "--no-checkin"], dirs.env_vars())
    tmux.wait_for("Welcome to deskstretch", timeout=15)
    tmux.wait_for(r"Step 1 of 7: Bladder")
    tmux.send("Enter")
    tmux.wait_for(r"Step 2 of 7: Legs and nerves")
    tmux.send("7", "Enter")  # out of range: asked again
    tmux.wait_for("Please type numbers from 1 to 6")
    tmux.send("Enter")
    for number, title in ((3, "Injury and bones"), (4, "Infection"), (5, "Cancer")):
        tmux.wait_for(rf"Step {number} of 7: {title}")
        tmux.send("Enter")
    tmux.wait_for(r"Step 6 of 7: The pattern")
    tmux.send("3", "Enter")  # a month or more without getting better: asked in full
    tmux.wait_for(r"\[y/c/n\]")
    tmux.send("n", "Enter")  # ticked by mistake
    tmux.wait_for(r"Step 7 of 7: Your health")
    tmux.send("6", "Enter")  # balance
    tmux.wait_for(r"Do you have problems with your balance")
    tmux.send("y", "Enter")
    tmux.wait_for("You are all set")
    tmux.wait_for("Activity 1:")
    tmux.send("Putting on socks", "Enter")
    tmux.wait_for("0 to 10")
    tmux.send("4", "Enter")
    tmux.wait_for("Activity 2")
    tmux.send("Enter")
    tmux.wait_for("Back pain right now")
    tmux.send("3", "Enter")
    tmux.wait_for("Leg pain right now")
    tmux.send("0", "Enter")
    tmux.wait_for(r"Distance in cm")
    tmux.send("Enter")  # skipped
    screen = tmux.wait_for(r"Turn on break reminders\? \[y/n\]", timeout=10, history=True)
    assert "Your plan" in screen and "Week 1 of 6" in screen
    tmux.send("y", "Enter")
    tmux.wait_for("Break reminders are on", timeout=10, history=True)
    tmux.wait_for("Start your first session now", timeout=10, history=True)
    tmux.send("y", "Enter")
    # The player takes the whole screen with today's programme session.
    playing = tmux.wait_until(lambda s: headline(s) != "", 15, "the player's first segment")
    assert "Quick hamstring stretch" in playing
    tmux.send("q")
    tmux.wait_for("EXIT=", timeout=15, history=True)
    from deskstretch.coach import Coach
    from deskstretch.config import Settings

    coach = Coach(Settings.from_env())
    assert coach.verdict().routines_allowed
    assert "balance" in coach.active_tags()
    assert [a.name for a in coach.psfs_activities()] == ["Putting on socks"]
    enrolment = coach.enrolment()
    assert enrolment is not None and enrolment.programme_id == "desk-back-6-weeks"
    assert coach.reminders.setup().state == "on"  # the y to "Turn on break reminders?"
