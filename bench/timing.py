"""Timing accuracy of the terminal player, in real time.

Writes a user routine of about two minutes (holds of 5 to 20 s on one-sided and two-sided moves, a
rep-based step, get-ready, switch-side, rest and transition pauses; 20 segments), answers the
safety questions with ``deskstretch check --from FILE`` (every answer "no"), then plays it twice
with ``deskstretch start --file ROUTINE`` and DESKSTRETCH_TIMING_LOG set:

- ``tty``: in a real pseudo-terminal (stdin and stdout a tty, so the full-screen Rich player),
  with the screen output read and thrown away as it comes so the player never blocks;
- ``piped``: stdout a pipe (the plain-lines player).

For both it prints, from the player's own log: the number of segments, how late each segment
started (actual - scheduled: median, p95, max) and drift (least-squares slope of lateness against
scheduled time, and mean lateness in the first vs the last third of the routine), plus the CPU
time the player used. For ``piped`` it also timestamps every stdout line as it arrives here and
compares the gaps between consecutive segment lines with the scheduled segment durations, an
outside view that does not trust the program's own log.

Prints figures only; it never fails because something was late. A full run takes about 4.5
minutes; ``--quick`` plays a 20-second routine instead, to try it out.

    .venv/bin/python bench/timing.py [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import itertools
import json
import os
import pty
import re
import resource
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deskstretch.coach import Coach
from deskstretch.config import Settings
from deskstretch.core.safety import CONDITION_QUESTIONS, RED_FLAG_QUESTIONS

TARGET_LATE_MS = 20.0
# Timeline: 5 get ready | 12 tilts | 4 | 20 fold | 4 | 4 x 5 s hinge holds L/R with 3 s switches
# (29) | 4 | 7 + rest 3 + 7 brace | 4 | 10 knee-to-chest L, 3, 10 R  = 122 s, 20 segments.
FULL_ROUTINE = """\
name = "Benchmark: two minutes, mixed"
summary = "bench/timing.py: holds of 5 to 20 s, one-sided and two-sided, reps, every pause kind."
position = "seated"
get_ready_seconds = 5
switch_seconds = 3
transition_seconds = 4

[[steps]]
exercise = "S10"   # seated pelvic tilts: rep-based, both sides
reps = 4
rep_seconds = 3

[[steps]]
exercise = "S06"   # seated forward fold: a two-sided hold
hold_seconds = 20
reps = 1

[[steps]]
exercise = "S01"   # seated hamstring hinge: one-sided, alternating, switch pauses
hold_seconds = 5
reps = 2
side_order = "alternate"

[[steps]]
exercise = "S11"   # seated brace and march: two-sided holds with a rest between
hold_seconds = 7
reps = 2
rest_seconds = 3

[[steps]]
exercise = "S07"   # seated knee-to-chest: one-sided hold, once per leg
hold_seconds = 10
reps = 1
"""
# 2 get ready | 2 x 2 s tilts | 2 | 5 hinge L, 2, 5 R = 20 s, 6 segments.
QUICK_ROUTINE = """\
name = "Benchmark: twenty seconds"
get_ready_seconds = 2
switch_seconds = 2
transition_seconds = 2

[[steps]]
exercise = "S10"
reps = 2
rep_seconds = 2

[[steps]]
exercise = "S01"
hold_seconds = 5
reps = 1
"""
TERMINAL_ROWS, TERMINAL_COLUMNS = 30, 100
QUIET_OPTIONS = ("--no-voice", "--no-bell", "--no-checkin")
SPARE_SECONDS = 60.0  # a run still going this long after its routine should have ended is stuck
ALTERNATE_SCREEN = b"\x1b[?1049h"  # what Rich's full-screen Live writes first
_ESCAPE = re.compile(rb"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][A-Za-z0-9]|[=>78])")
_PLAIN_LINE = re.compile(r"^\[\d+:\d+\.\d+\] (?:(finished)|(.+?) - )")


@dataclass(frozen=True)
class Scheduled:
    """A segment as the timeline schedules it (seconds from the start of the routine)."""

    index: int
    title: str
    start_seconds: float
    duration_seconds: float


@dataclass
class Run:
    """What one ``deskstretch start`` run left behind."""

    name: str
    log: list[tuple[int, float, float]]
    wall_seconds: float
    cpu_seconds: float
    exit_status: int
    output_bytes: int = 0
    full_screen: bool = False
    timed_out: bool = False
    last_output: str = ""
    line_arrivals: list[tuple[float, str]] = field(default_factory=list)
    spawn_to_first_line: float | None = None


class Watchdog:
    """Stops a child that outlives its routine (stuck at a prompt, say): SIGTERM, then SIGKILL."""

    def __init__(self, pid: int, deadline: float) -> None:
        self.pid = pid
        self.due = [(deadline, signal.SIGTERM), (deadline + 5.0, signal.SIGKILL)]
        self.fired = False

    def check(self) -> None:
        while self.due and time.monotonic() >= self.due[0][0]:
            _, signal_number = self.due.pop(0)
            self.fired = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal_number)


def readable_tail(data: bytes, characters: int = 240) -> str:
    """The end of some terminal output with escape sequences and runs of blanks removed."""
    text = _ESCAPE.sub(b"", data).decode(errors="replace")
    return " ".join(text.split())[-characters:]


def deskstretch_command() -> list[str]:
    script = Path(sys.executable).parent / "deskstretch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "deskstretch"]


def quiet_start_options(command: list[str], env: dict[str, str]) -> list[str]:
    """No voice, no bell and no pain check-in prompts, for the options this version has.

    The check-in is asked before the clock starts, so leaving it out changes no timing; it only
    keeps the run unattended.
    """
    shown = subprocess.run(
        [*command, "start", "--help"], env=env, capture_output=True, text=True, check=False
    )
    return [option for option in QUIET_OPTIONS if option in shown.stdout]


def screening_toml() -> str:
    """Answers to every red-flag and condition question, all "no"."""
    lines = ["clearance_confirmed = false", "red_flags_cleared = []", "", "[red_flags]"]
    lines += [f"{json.dumps(q.id)} = false" for q in RED_FLAG_QUESTIONS]
    lines += ["", "[conditions]"]
    lines += [f"{json.dumps(q.id)} = false" for q in CONDITION_QUESTIONS]
    return "\n".join(lines) + "\n"


def scheduled_segments(routine: Path, env: dict[str, str]) -> list[Scheduled]:
    """The timeline exactly as ``start`` will play it (same config folder, same safety answers)."""
    coach = Coach(Settings.from_env(env))
    plan = coach.plan(coach.load_routine_file(routine))
    if plan.changes:
        print(f"note: the safety screen changed the routine: {plan.changes}")
    return [
        Scheduled(s.index, s.title, s.start_seconds, s.duration_seconds)
        for s in plan.timeline.segments
    ]


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read_log(path: Path) -> list[tuple[int, float, float]]:
    rows: list[tuple[int, float, float]] = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        index, due, actual = line.split("\t")
        rows.append((int(index), float(due), float(actual)))
    return rows


def run_in_pty(argv: list[str], env: dict[str, str], log: Path, time_limit: float) -> Run:
    """Play in a pseudo-terminal, draining (and counting) the screen output as it comes."""
    cpu_before = children_cpu_seconds()
    started = time.monotonic()
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, stdin, stdout and stderr
        try:
            size = struct.pack("HHHH", TERMINAL_ROWS, TERMINAL_COLUMNS, 0, 0)
            fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, size)
            child_env = {**env, "TERM": "xterm-256color", "DESKSTRETCH_TIMING_LOG": str(log)}
            os.execvpe(argv[0], argv, child_env)
        finally:
            os._exit(127)
    watchdog = Watchdog(pid, started + time_limit)
    received = 0
    tail = b""
    answered = False
    full_screen = False
    while True:
        watchdog.check()
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError as error:  # EIO: the child has closed the terminal
            if error.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        received += len(chunk)
        tail = (tail + chunk)[-4000:]
        full_screen = full_screen or ALTERNATE_SCREEN in tail
        if not answered and b"Press Enter to begin" in tail:
            os.write(master, b"\r")  # only shown when the safety screen changed the routine
            answered = True
    _, status = os.waitpid(pid, 0)
    os.close(master)
    wall = time.monotonic() - started
    return Run(
        name="tty",
        log=read_log(log),
        wall_seconds=wall,
        cpu_seconds=children_cpu_seconds() - cpu_before,
        exit_status=os.waitstatus_to_exitcode(status),
        output_bytes=received,
        full_screen=full_screen,
        timed_out=watchdog.fired,
        last_output=readable_tail(tail),
    )


def run_piped(argv: list[str], env: dict[str, str], log: Path, time_limit: float) -> Run:
    """Play with stdout a pipe; timestamp each line the moment it arrives here."""
    cpu_before = children_cpu_seconds()
    started = time.monotonic()
    child = subprocess.Popen(
        argv,
        env={**env, "DESKSTRETCH_TIMING_LOG": str(log)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    fd = child.stdout.fileno()
    watchdog = Watchdog(child.pid, started + time_limit)
    arrivals: list[tuple[float, str]] = []
    pending = b""
    received = 0
    while True:
        watchdog.check()
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        now = time.monotonic()
        if not chunk:
            break
        received += len(chunk)
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            arrivals.append((now, line.decode(errors="replace")))
    status = child.wait()
    wall = time.monotonic() - started
    first = next((at for at, text in arrivals if _PLAIN_LINE.match(text)), None)
    return Run(
        name="piped",
        log=read_log(log),
        wall_seconds=wall,
        cpu_seconds=children_cpu_seconds() - cpu_before,
        exit_status=status,
        output_bytes=received,
        line_arrivals=arrivals,
        spawn_to_first_line=None if first is None else first - started,
        timed_out=watchdog.fired,
        last_output=readable_tail(pending or (arrivals[-1][1].encode() if arrivals else b"")),
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def slope_per_minute(seconds: Sequence[float], values_ms: Sequence[float]) -> float:
    """Least-squares slope of ``values_ms`` against ``seconds``, in ms per minute."""
    mean_x = statistics.fmean(seconds)
    mean_y = statistics.fmean(values_ms)
    spread = sum((x - mean_x) ** 2 for x in seconds)
    if spread == 0:
        return 0.0
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(seconds, values_ms, strict=True))
    return covariance / spread * 60.0


def thirds(values: Sequence[float]) -> tuple[float, float]:
    """Mean of the first third and of the last third of ``values`` (in order)."""
    third = max(1, len(values) // 3)
    return statistics.fmean(values[:third]), statistics.fmean(values[-third:])


@dataclass(frozen=True)
class Figures:
    """Lateness figures of a run, in milliseconds; None where a run gave nothing to measure."""

    segments: int
    schedule_error_ms: float
    late_median: float
    late_p95: float
    late_max: float
    late_min: float
    slope_ms_per_min: float
    first_third: float
    last_third: float
    first_segment: float
    max_after_first: float
    slope_after_first: float


def figures_from_log(run: Run, schedule: list[Scheduled]) -> Figures | None:
    if not run.log:
        return None
    starts = {s.index: s.start_seconds for s in schedule}
    due = [row[1] for row in run.log]
    late = [(actual - scheduled) * 1000.0 for _, scheduled, actual in run.log]
    schedule_error = max(abs(row[1] - starts.get(row[0], float("nan"))) for row in run.log)
    first, last = thirds(late)
    return Figures(
        segments=len(run.log),
        schedule_error_ms=schedule_error * 1000.0,
        late_median=statistics.median(late),
        late_p95=percentile(late, 0.95),
        late_max=max(late),
        late_min=min(late),
        slope_ms_per_min=slope_per_minute(due, late),
        first_third=first,
        last_third=last,
        first_segment=late[0],
        max_after_first=max(late[1:], default=late[0]),
        slope_after_first=slope_per_minute(due[1:], late[1:]) if len(late) > 2 else 0.0,
    )


@dataclass(frozen=True)
class OutsideView:
    """The piped run as seen from here: when each segment line and the final line arrived."""

    lines: int
    gap_error_max_ms: float
    gap_error_median_ms: float
    offset_error_max_ms: float
    offset_slope_ms_per_min: float
    finished_seen: bool


def outside_view(run: Run, schedule: list[Scheduled]) -> OutsideView | None:
    segment_times: list[float] = []
    finished_at: float | None = None
    for at, text in run.line_arrivals:
        match = _PLAIN_LINE.match(text)
        if not match:
            continue
        if match.group(1):
            finished_at = at
        else:
            segment_times.append(at)
    if len(segment_times) < 2:
        return None
    boundaries = segment_times + ([finished_at] if finished_at is not None else [])
    gaps = [b - a for a, b in itertools.pairwise(boundaries)]
    gap_errors = [
        abs(gap - s.duration_seconds) * 1000.0 for gap, s in zip(gaps, schedule, strict=False)
    ]
    origin = segment_times[0]
    offsets = [
        ((at - origin) - s.start_seconds) * 1000.0
        for at, s in zip(segment_times, schedule, strict=False)
    ]
    return OutsideView(
        lines=len(segment_times),
        gap_error_max_ms=max(gap_errors),
        gap_error_median_ms=statistics.median(gap_errors),
        offset_error_max_ms=max(abs(o) for o in offsets),
        offset_slope_ms_per_min=slope_per_minute(
            [s.start_seconds for s in schedule[: len(offsets)]], offsets
        ),
        finished_seen=finished_at is not None,
    )


def print_report(runs: list[Run], schedule: list[Scheduled]) -> None:
    total = schedule[-1].start_seconds + schedule[-1].duration_seconds if schedule else 0.0
    figures = {run.name: figures_from_log(run, schedule) for run in runs}
    width = 12

    def row(label: str, values: list[str]) -> None:
        print(f"{label:<52}" + "".join(f"{value:>{width}}" for value in values))

    def number(value: float | None, digits: int = 1) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    print()
    row("", [run.name for run in runs])
    row("exit status", ["timed out" if run.timed_out else str(run.exit_status) for run in runs])
    row("wall time, s (routine " + f"{total:.0f} s)", [number(run.wall_seconds) for run in runs])
    row("player CPU time, s", [number(run.cpu_seconds, 2) for run in runs])
    row("player CPU, % of wall", [number(100 * run.cpu_seconds / run.wall_seconds) for run in runs])
    row("output, KiB", [number(run.output_bytes / 1024) for run in runs])
    row("full screen (alternate screen seen)", ["yes" if run.full_screen else "no" for run in runs])
    row(
        f"segments logged (scheduled: {len(schedule)})",
        [str(f.segments) if f else "0" for f in figures.values()],
    )
    row(
        "log schedule vs timeline, max |diff| ms",
        [number(f.schedule_error_ms, 3) if f else "-" for f in figures.values()],
    )
    print("lateness = actual - scheduled segment start, ms (player's log)")
    for label, attribute in (
        ("  median", "late_median"),
        ("  p95", "late_p95"),
        (f"  max (target <= {TARGET_LATE_MS:.0f})", "late_max"),
        ("  min (negative = early)", "late_min"),
        ("  first segment (includes drawing the first frame)", "first_segment"),
        ("  max of the segments after the first", "max_after_first"),
        ("drift: slope of lateness, ms per minute", "slope_ms_per_min"),
        ("drift: slope without the first segment", "slope_after_first"),
        ("drift: mean lateness, first third", "first_third"),
        ("drift: mean lateness, last third", "last_third"),
    ):
        row(label, [number(getattr(f, attribute), 2) if f else "-" for f in figures.values()])
    row(
        "every segment within target",
        [
            ("yes" if f.late_min >= 0 and f.late_max <= TARGET_LATE_MS else "NO") if f else "-"
            for f in figures.values()
        ],
    )

    for run in runs:
        if run.timed_out or run.exit_status != 0:
            print(f"{run.name}: stopped or failed; its last output: {run.last_output!r}")

    piped = next((run for run in runs if run.name == "piped"), None)
    view = outside_view(piped, schedule) if piped else None
    print("\noutside view (piped): stdout lines timestamped on arrival in the benchmark")
    if view is None:
        print("  fewer than two segment lines arrived")
        return
    print(
        f"  segment lines: {view.lines} (scheduled {len(schedule)}),"
        f" 'finished' line seen: {'yes' if view.finished_seen else 'no'}"
    )
    if piped and piped.spawn_to_first_line is not None:
        print(f"  spawn to first segment line: {piped.spawn_to_first_line * 1000:.0f} ms")
    print(
        f"  gap between lines vs scheduled duration: max |error| {view.gap_error_max_ms:.2f} ms,"
        f" median {view.gap_error_median_ms:.2f} ms"
    )
    print(
        f"  arrival vs schedule (from first line): max |error| {view.offset_error_max_ms:.2f} ms,"
        f" slope {view.offset_slope_ms_per_min:.3f} ms per minute"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 20-second routine, to try it out")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and logs")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="deskstretch-timing-"))
    env = dict(os.environ)
    env.update(
        DESKSTRETCH_CONFIG_DIR=str(folder / "config"),
        DESKSTRETCH_DATA_DIR=str(folder / "data"),
        COLUMNS=str(TERMINAL_COLUMNS),
        LINES=str(TERMINAL_ROWS),
    )
    routine = folder / "routine.toml"
    routine.write_text(QUICK_ROUTINE if args.quick else FULL_ROUTINE, encoding="utf-8")
    answers = folder / "answers.toml"
    answers.write_text(screening_toml(), encoding="utf-8")
    command = deskstretch_command()
    check = subprocess.run(
        [*command, "check", "--from", str(answers)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        print(f"`deskstretch check --from` failed ({check.returncode}): {check.stderr.strip()}")
        return
    schedule = scheduled_segments(routine, env)
    total = schedule[-1].start_seconds + schedule[-1].duration_seconds
    kinds = sorted({s.title for s in schedule})
    print(f"deskstretch player timing: {' '.join(command)}")
    print(
        f"routine: {len(schedule)} segments, {total:.0f} s ({', '.join(kinds)});"
        f" played twice in real time, about {2 * total / 60:.1f} minutes"
    )
    start = [*command, "start", "--file", str(routine), *quiet_start_options(command, env)]
    time_limit = total + SPARE_SECONDS
    print(
        f"  tty: full-screen player in a {TERMINAL_COLUMNS}x{TERMINAL_ROWS} pseudo-terminal ...",
        flush=True,
    )
    tty_run = run_in_pty(start, env, folder / "tty.log", time_limit)
    print("  piped: plain-lines player, stdout a pipe ...", flush=True)
    piped_run = run_piped(start, env, folder / "piped.log", time_limit)
    print_report([tty_run, piped_run], schedule)
    if args.keep:
        print(f"\nlogs and routine kept in {folder}")
    else:
        for path in sorted(folder.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
