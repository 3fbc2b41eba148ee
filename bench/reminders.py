"""Reminder service footprint, side by side with Safe Eyes and Workrave (Debian packages).

Each program runs at the same time, in its own X display (Xvfb) and its own D-Bus session
(dbus-run-session), with its own empty home folder; one private "system" bus stands in for the
machine's (Safe Eyes stops at start-up without one). Nobody types or moves the mouse, so every
program sees an idle person. Our service gets a reminders.toml in which no break falls due during
the run (working hours all day, micro-break every 240 min, stretch every 480 min).

After a settling time, over a window (default 10 minutes), for each program's process tree:
- memory: VmRSS (/proc/PID/status) and PSS (/proc/PID/smaps_rollup), summed over the tree,
  sampled every few seconds (median and maximum);
- CPU: utime+stime+cutime+cstime (/proc/PID/stat) at the start and end of the window;
- wake-ups: voluntary + non-voluntary context switches of every thread (/proc/PID/task/*/status),
  at the start and end of the window, per minute.
Helpers that D-Bus starts on demand (the accessibility bus, dconf) are shown apart: on a real
desktop they are shared by every GTK program. Xvfb and the buses are not counted.

Then the peak RSS (ru_maxrss from wait4) of the short-lived reminder process,
``python -m deskstretch.reminders prompt --kind stretch|micro``, on a private session bus with
the fake notification server from tests/e2e answering the reminder.

Prints figures only; never fails because something is big or slow.
Needs (Debian): xvfb, dbus, safeeyes, workrave; xprintidle comes with safeeyes (Recommends).
Run: .venv/bin/python bench/reminders.py [--minutes 10] [--settle 60] [--interval 5] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

PYTHON = str(ROOT / ".venv" / "bin" / "python")
TAG_VARIABLE = "DESKSTRETCH_BENCH_TAG"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The targets for the waiting service.
TARGET_RSS_MIB = 25.0
TARGET_WAKEUPS_PER_MINUTE = 1.0
# Must never be imported by the waiting service (the issue: no web stack or plotting library).
HEAVY_MODULES = (
    "asyncio",
    "ssl",
    "typer",
    "rich",
    "pydantic",
    "sqlalchemy",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "matplotlib",
    "numpy",
    "desktop_notifier",
    "dbus_fast",
    "icalendar",
)
POLICY_TOML = """\
# bench/reminders.py: no break falls due during the run.
[working_hours]
every_day = "00:00-24:00"
[micro]
every_minutes = 240
[stretch]
every_minutes = 480
"""
SYSTEM_BUS_CONFIG = """<!DOCTYPE busconfig
 PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
INFRASTRUCTURE = {"Xvfb", "dbus-daemon", "dbus-run-sessio"}  # comm is cut at 15 characters


# --- /proc readings -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One process at one moment (memory in KiB, CPU in clock ticks)."""

    pid: int
    comm: str
    rss_kib: int
    pss_kib: int
    cpu_ticks: int
    switches: int
    threads: int


def read_process(pid: int) -> Reading | None:
    base = Path(f"/proc/{pid}")
    try:
        stat = (base / "stat").read_text()
        status = (base / "status").read_text()
        rollup = (base / "smaps_rollup").read_text()
    except OSError:
        return None
    comm = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2 :].split()
    # Fields 14-17 of /proc/PID/stat (utime, stime, cutime, cstime); fields[0] is field 3.
    cpu = sum(int(value) for value in fields[11:15])
    rss = _status_value(status, "VmRSS")
    pss = _status_value(rollup, "Pss")
    threads = _status_value(status, "Threads")
    return Reading(pid, comm, rss, pss, cpu, _switches(base), threads)


def _status_value(text: str, name: str) -> int:
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key == name:
            return int(value.split()[0])
    return 0


def _switches(base: Path) -> int:
    """Context switches of every thread: a thread blocked in poll() or sleep() that wakes up
    and sleeps again costs one voluntary switch."""
    total = 0
    try:
        tasks = list((base / "task").iterdir())
    except OSError:
        return 0
    for task in tasks:
        try:
            text = (task / "status").read_text()
        except OSError:
            continue
        total += _status_value(text, "voluntary_ctxt_switches")
        total += _status_value(text, "nonvoluntary_ctxt_switches")
    return total


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, environment tag) for every process we can read."""
    table: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        tag = ""
        for item in environ.split(b"\0"):
            if item.startswith(TAG_VARIABLE.encode() + b"="):
                tag = item.split(b"=", 1)[1].decode()
        table[int(entry.name)] = (parent, tag)
    return table


def descendants(root: int, table: Mapping[int, tuple[int, str]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


# --- the programs ---------------------------------------------------------------------------


@dataclass
class Contender:
    name: str
    version: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""
    # Filled while running:
    tag: str = ""
    log: Path | None = None
    xvfb: subprocess.Popen[bytes] | None = None
    session: subprocess.Popen[bytes] | None = None
    app_pid: int | None = None
    problem: str = ""
    samples: list[tuple[int, int]] = field(default_factory=list)
    """(RSS KiB, PSS KiB) of the app's tree at each sample."""
    helpers: list[int] = field(default_factory=list)
    """RSS KiB of the D-Bus-activated helpers at each sample."""
    start: list[Reading] = field(default_factory=list)
    end: list[Reading] = field(default_factory=list)
    process_names: set[str] = field(default_factory=set)
    pids: list[int] = field(default_factory=list)
    """The tree as last seen (refreshed with each memory sample)."""
    last_switches: int | None = None
    awake_seconds: int = 0
    """Seconds (of the 1-second polls) in which any thread of the tree switched at all."""


def package_version(name: str) -> str | None:
    if shutil.which("dpkg-query") is None:
        return None
    done = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status} ${Version}", name],
        capture_output=True,
        text=True,
        check=False,
    )
    words = done.stdout.split()
    return words[-1] if done.returncode == 0 and "installed" in words else None


def our_service(work: Path, command: str | None) -> Contender:
    config, data = work / "ours-config", work / "ours-data"
    config.mkdir()
    data.mkdir()
    (config / "reminders.toml").write_text(POLICY_TOML, encoding="utf-8")
    env = {"DESKSTRETCH_CONFIG_DIR": str(config), "DESKSTRETCH_DATA_DIR": str(data)}
    if command:
        return Contender("deskstretch (placeholder)", "-", command.split(), env, "given command")
    probe = subprocess.run(
        [PYTHON, "-m", "deskstretch.reminders", "run", "--help"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        placeholder = [PYTHON, "-c", "import time\nwhile True: time.sleep(60)"]
        return Contender("python sleep (placeholder)", "-", placeholder, env, "service missing")
    return Contender(
        "deskstretch reminders", code_version(), [PYTHON, "-m", "deskstretch.reminders", "run"], env
    )


def code_version() -> str:
    """The commit, and whether src/ differs from it (untracked files included)."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    return commit + (" + working tree" if git("status", "--porcelain", "--", "src") else "")


def contenders(work: Path, command: str | None, only: Iterable[str]) -> list[Contender]:
    wanted = set(only)
    found = [our_service(work, command)]
    for name, package, argv in (
        ("Safe Eyes", "safeeyes", ["safeeyes"]),
        ("Workrave", "workrave", ["workrave"]),
    ):
        version = package_version(package)
        if version is None or shutil.which(argv[0]) is None:
            print(f"{name}: not installed (apt-get install -y {package}); left out")
            continue
        found.append(Contender(name, version, argv))
    if wanted:
        found = [c for c in found if c.name.split()[0].lower() in wanted]
    return found


# --- running --------------------------------------------------------------------------------


def start_system_bus(work: Path, tag: str) -> tuple[subprocess.Popen[str], str]:
    config = work / "system-bus.conf"
    config.write_text(SYSTEM_BUS_CONFIG.format(socket=work / "system_bus"), encoding="utf-8")
    bus = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, TAG_VARIABLE: tag},
    )
    assert bus.stdout is not None
    return bus, bus.stdout.readline().strip()


def start_xvfb(contender: Contender, work: Path) -> str:
    """Xvfb on the first free display (-displayfd tells which)."""
    read_end, write_end = os.pipe()
    contender.xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=(work / f"xvfb-{contender.tag}.log").open("wb"),
        env={**os.environ, TAG_VARIABLE: contender.tag},
    )
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        number = answer.readline().strip()
    if not number:
        raise RuntimeError("Xvfb did not start (is the xvfb package installed?)")
    return f":{number}"


def start(contender: Contender, work: Path, system_bus: str) -> None:
    slug = contender.name.split()[0].lower()
    contender.tag = f"{work.name}-{slug}"
    home, runtime = work / f"home-{slug}", work / f"run-{slug}"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    display = start_xvfb(contender, work)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "USER": os.environ.get("USER", "bench"),
        "XDG_RUNTIME_DIR": str(runtime),
        "DISPLAY": display,
        "DBUS_SYSTEM_BUS_ADDRESS": system_bus,
        TAG_VARIABLE: contender.tag,
        **contender.env,
    }
    contender.log = work / f"{slug}.log"
    with contender.log.open("wb") as log:
        contender.session = subprocess.Popen(
            ["dbus-run-session", "--", *contender.argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def find_app(contender: Contender, timeout_seconds: float = 20.0) -> None:
    """The program itself: the child of dbus-run-session that is not the bus."""
    assert contender.session is not None
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        for pid in descendants(contender.session.pid, process_table()):
            reading = read_process(pid)
            if pid != contender.session.pid and reading and reading.comm not in INFRASTRUCTURE:
                contender.app_pid = pid
                return
        time.sleep(0.2)
    contender.problem = "did not start"


def tree(contender: Contender, table: Mapping[int, tuple[int, str]]) -> list[Reading]:
    if contender.app_pid is None:
        return []
    readings = [read_process(pid) for pid in descendants(contender.app_pid, table)]
    return [r for r in readings if r is not None]


def helper_rss(contender: Contender, table: Mapping[int, tuple[int, str]]) -> int:
    """RSS of processes D-Bus started for this program (same tag, outside its tree)."""
    inside = set(descendants(contender.app_pid, table)) if contender.app_pid else set()
    total = 0
    for pid, (_, tag) in table.items():
        if tag != contender.tag or pid in inside:
            continue
        reading = read_process(pid)
        if reading and reading.comm not in INFRASTRUCTURE:
            total += reading.rss_kib
    return total


def sample(group: list[Contender]) -> None:
    table = process_table()
    for contender in group:
        readings = tree(contender, table)
        if not readings:
            contender.problem = contender.problem or "exited during the run"
            continue
        contender.samples.append(
            (sum(r.rss_kib for r in readings), sum(r.pss_kib for r in readings))
        )
        contender.helpers.append(helper_rss(contender, table))
        contender.process_names |= {r.comm for r in readings}
        pids = [r.pid for r in readings]
        if pids != contender.pids:
            contender.last_switches = None  # another tree: start counting afresh
        contender.pids = pids


def poll_switches(group: list[Contender]) -> None:
    """Once a second: did the tree run at all since the last poll? Reading /proc does not wake
    the process read."""
    for contender in group:
        switches = sum(_switches(Path(f"/proc/{pid}")) for pid in contender.pids)
        if contender.last_switches is not None and switches != contender.last_switches:
            contender.awake_seconds += 1
        contender.last_switches = switches


def stop_all(group: list[Contender], bus: subprocess.Popen[str] | None) -> None:
    tags = {c.tag for c in group if c.tag}
    for contender in group:
        if contender.session is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(contender.session.pid, signal.SIGTERM)
    time.sleep(1.0)
    # D-Bus-activated helpers outlive the session; they carry our tag, nothing else does.
    for pid, (_, tag) in process_table().items():
        if tag in tags and pid != os.getpid():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    for contender in group:
        for child in (contender.session, contender.xvfb):
            if child is not None:
                child.kill()
                child.wait()
    if bus is not None:
        bus.kill()
        bus.wait()


def service_report(work: Path, contender: Contender, system_bus: str) -> dict[str, object] | None:
    """`run --once` in the same kind of session: what the service imports and what it waits for."""
    if contender.argv[1:4] != ["-m", "deskstretch.reminders", "run"]:
        return None
    once = Contender("once", "-", [*contender.argv, "--once"], dict(contender.env))
    try:
        start(once, work, system_bus)
        assert once.session is not None
        once.session.wait(timeout=60)
        text = once.log.read_text(encoding="utf-8", errors="replace") if once.log else ""
    finally:
        stop_all([once], None)
    for line in reversed(text.splitlines()):
        if line.startswith("{"):
            report: dict[str, object] = json.loads(line)
            return report
    print(f"run --once printed no report:\n{text}")
    return None


# --- the prompt child -----------------------------------------------------------------------


@dataclass(frozen=True)
class PromptRun:
    kind: str
    peak_rss_kib: int
    seconds: float
    outcome: str
    new_store: bool
    """The very first reminder: the database did not exist yet, so this run created it."""


def measure_prompts(work: Path, runs: int) -> list[PromptRun]:
    try:
        from helpers.fake_notification_server import start_fake_server, start_session_bus
        from helpers.support import answers_toml
    except ImportError as error:
        print(f"prompt child: not measured ({error})")
        return []
    config, data = work / "prompt-config", work / "prompt-data"
    base = {
        **os.environ,
        "DESKSTRETCH_CONFIG_DIR": str(config),
        "DESKSTRETCH_DATA_DIR": str(data),
    }
    answers = work / "answers.toml"
    answers.write_text(answers_toml(), encoding="utf-8")
    subprocess.run(
        [PYTHON, "-m", "deskstretch", "check", "--from", str(answers)],
        env=base,
        check=True,
        capture_output=True,
    )
    results: list[PromptRun] = []
    for kind, answer in (("stretch", "invoke:skip"), ("micro", "invoke:done")):
        for index in range(runs):
            folder = work / f"prompt-{kind}-{index}"
            folder.mkdir()
            new_store = not (data / "deskstretch.sqlite3").exists()
            session = start_session_bus(folder)
            server = start_fake_server(session, folder, respond=[answer])
            try:
                began = time.monotonic()
                child = subprocess.Popen(
                    [PYTHON, "-m", "deskstretch.reminders", "prompt", "--kind", kind],
                    env=session.env(base),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
                assert child.stdout is not None
                output = child.stdout.read().decode(errors="replace")
                _, _, usage = os.wait4(child.pid, 0)
                child.returncode = 0  # reaped by wait4; keep Popen from waiting again
                seconds = time.monotonic() - began
            finally:
                server.stop()
                session.stop()
            outcome = "?"
            for line in output.splitlines():
                if line.startswith("{"):
                    outcome = str(json.loads(line).get("outcome", "?"))
            results.append(PromptRun(kind, usage.ru_maxrss, seconds, outcome, new_store))
    return results


# --- report ---------------------------------------------------------------------------------


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    os_name = "?"
    release = Path("/etc/os-release")
    if release.exists():
        for line in release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os_name}, Linux {platform.release()}, {cpu}, nproc {os.cpu_count()}, "
        f"Python {platform.python_version()}, load average {load}"
    )


def print_table(group: list[Contender], minutes: float) -> None:
    header = (
        "| Program | Version | Processes (threads) | RSS median MiB | RSS max MiB "
        "| PSS median MiB | CPU s in window | CPU % of one core | Context switches/min "
        "| Seconds awake/min | D-Bus helpers RSS MiB (not counted) |"
    )
    print(header)
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in group:
        if c.problem or not c.samples or not c.start or not c.end:
            print(f"| {c.name} | {c.version} | {c.problem or 'no samples'} (log: {c.log}) |")
            continue
        rss = [s[0] for s in c.samples]
        pss = [s[1] for s in c.samples]
        cpu_seconds = (sum(r.cpu_ticks for r in c.end) - sum(r.cpu_ticks for r in c.start)) / (
            CLOCK_TICKS
        )
        switches = sum(r.switches for r in c.end) - sum(r.switches for r in c.start)
        threads = sum(r.threads for r in c.end)
        print(
            f"| {c.name} | {c.version} | {len(c.end)} ({threads}) "
            f"| {mib(statistics.median(rss))} | {mib(max(rss))} | {mib(statistics.median(pss))} "
            f"| {cpu_seconds:.2f} | {100 * cpu_seconds / (minutes * 60):.3f} "
            f"| {switches / minutes:.1f} | {c.awake_seconds / minutes:.1f} "
            f"| {mib(statistics.median(c.helpers))} |"
        )
    print()
    for c in group:
        names = ", ".join(sorted(c.process_names)) or "-"
        print(f"- {c.name}: processes seen: {names}{'; ' + c.note if c.note else ''}")


def print_prompts(results: list[PromptRun]) -> None:
    if not results:
        return
    print("\nThe reminder process (one per reminder; exits after the answer):\n")
    print("| Command | Runs | Peak RSS median MiB | Peak RSS max MiB | Wall s median | Outcome |")
    print("|---|---:|---:|---:|---:|---|")
    for kind in ("stretch", "micro"):
        for new_store in (True, False):
            runs = [r for r in results if r.kind == kind and r.new_store == new_store]
            if not runs:
                continue
            peaks = [r.peak_rss_kib for r in runs]
            outcomes = ", ".join(sorted({r.outcome for r in runs}))
            label = f"`prompt --kind {kind}`" + (" (first ever: creates the store)" * new_store)
            print(
                f"| {label} | {len(runs)} | {mib(statistics.median(peaks))} "
                f"| {mib(max(peaks))} | {statistics.median(r.seconds for r in runs):.2f} "
                f"| {outcomes} |"
            )


def print_service_report(report: dict[str, object] | None) -> None:
    if report is None:
        return
    modules = report.get("modules")
    names = [str(m) for m in modules] if isinstance(modules, list) else []
    heavy = sorted({m.split(".")[0] for m in names} & set(HEAVY_MODULES))
    print(f"\nOur service (`run --once` in the same session): {report.get('state')}")
    print(f"- modules imported: {len(names)}; heavy ones: {', '.join(heavy) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--minutes", type=float, default=10.0, help="measured window")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds before the window")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--only", action="append", default=[], help="deskstretch|safe|workrave")
    parser.add_argument("--command", help="measure this command instead of our service")
    parser.add_argument("--prompt-runs", type=int, default=3, help="0 skips the prompt child")
    parser.add_argument("--keep", action="store_true", help="keep the logs and temporary homes")
    args = parser.parse_args()

    for tool in ("Xvfb", "dbus-run-session", "dbus-daemon"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install -y xvfb dbus")
    work = Path(tempfile.mkdtemp(prefix=f"dsb-{uuid.uuid4().hex[:6]}-", dir="/tmp"))
    print("Reminder service footprint, side by side")
    print(f"machine: {machine()}")
    print(
        f"window {args.minutes:g} min after {args.settle:g} s settling; samples every"
        f" {args.interval:g} s; all programs at once, each on its own Xvfb display and"
        " session bus\n"
    )
    group = contenders(work, args.command, args.only)
    bus: subprocess.Popen[str] | None = None
    try:
        bus, system_bus = start_system_bus(work, work.name)
        ours = group[0] if group and group[0].name.startswith("deskstretch") else None
        report = service_report(work, ours, system_bus) if ours else None
        for contender in group:
            start(contender, work, system_bus)
        for contender in group:
            find_app(contender)
        time.sleep(args.settle)
        table = process_table()
        for contender in group:
            contender.start = tree(contender, table)
        window_start = time.monotonic()
        window_end = window_start + args.minutes * 60
        next_sample = window_start
        while (now := time.monotonic()) < window_end:
            if now >= next_sample:
                sample(group)
                next_sample += args.interval
            poll_switches(group)
            time.sleep(min(1.0, max(0.0, window_end - time.monotonic())))
        table = process_table()
        for contender in group:
            contender.end = tree(contender, table)
            if not contender.end:
                contender.problem = contender.problem or "exited during the run"
    finally:
        stop_all(group, bus)
    print_table(group, args.minutes)
    print_service_report(report)
    print_prompts(measure_prompts(work, args.prompt_runs) if args.prompt_runs > 0 else [])
    print(
        f"\ntargets for our service: idle RSS <= {TARGET_RSS_MIB:g} MiB, <= "
        f"{TARGET_WAKEUPS_PER_MINUTE:g} wake-up/min, none of: {', '.join(HEAVY_MODULES)}"
    )
    if args.keep or any(c.problem for c in group):
        print(f"logs: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"(this script's own peak RSS: {mib(peak_self)} MiB, not part of any figure)")


if __name__ == "__main__":
    main()
