"""Web app benchmarks: server time per page, JavaScript shipped, and the server's memory.

1. Starts `deskstretch app` (uvicorn, exactly as a person runs it) in a child process, with fresh
   temporary folders: safety answered all "no" through `deskstretch check --from FILE`, and one
   year of daily use seeded through the store's import path (bench/store.py's data: about 970
   sessions, 2,000 check-ins, weekly tests, monthly questionnaires).
   Then, per page: 20 warm-up requests and 200 timed sequential GETs with httpx over loopback
   (one keep-alive connection, like a browser tab). Times are client-side round trips, so they
   include loopback and HTTP parsing (well under a millisecond) on top of the server's work.
   Target: p95 ≤ 20 ms per page. Today, Progress and the report keep their whole-history summary
   until the database changes; the "… after a check-in / session" rows measure the other case:
   before every timed GET another connection commits a change, so each request rebuilds it.
2. The JavaScript shipped: every .js file under src/deskstretch/web/static, raw and gzip -9
   bytes. Target: ≤ 60 KB gzipped in all.
3. The server's memory (VmRSS from /proc/PID/status): after start, after all the page requests,
   and after 30 s idle.

With --reminders on|off, reminders.toml switches the break reminders on (Today's Breaks card then
reads the service's journal, the store's last two days and the safety answers for the next
break; a held-back break is in the journal) or off (one quiet line); left out, they are not set
up and Today offers them. Any reminder service the app starts is stopped at the end.

Prints figures only; never fails because something was slow.
Run: .venv/bin/python bench/web.py [--requests 200] [--idle 30] [--programme] [--reminders on]
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from deskstretch.config import Settings  # noqa: E402
from deskstretch.core.records import (  # noqa: E402
    CheckIn,
    Enrolment,
    ProgrammeEvent,
    ProgrammeEventKind,
)
from deskstretch.store import exchange, open_store  # noqa: E402
from deskstretch.store import repository as repo  # noqa: E402
from helpers.support import answers_toml  # noqa: E402
from store import build_bundle  # noqa: E402  (bench/store.py: the same seeded data)

STATIC = ROOT / "src" / "deskstretch" / "web" / "static"
PAGES = (
    ("Today", "/"),
    ("Library", "/library"),
    ("Exercise page", "/library/seated-hamstring-hinge"),
    ("Learn", "/learn"),
    ("Progress (1 year)", "/progress"),
    ("Player page", "/play/hamstring-2min"),
    ("Player plan (API)", "/api/play/hamstring-2min"),
    # Not named by a target, measured for comparison:
    ("Routines", "/routines"),
    ("Safety", "/safety"),
    ("Settings", "/settings"),
    ("Help", "/help"),
    ("Report (1 year)", "/report"),
)
TARGET_P95_MS = 20.0
TARGET_JS_GZIP = 60 * 1024
WARMUP = 20


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of ``pid`` in KiB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def seed(env: dict[str, str], work: Path, programme: bool = False) -> dict[str, int]:
    answers = work / "answers.toml"
    answers.write_text(answers_toml(), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "deskstretch", "check", "--from", str(answers)],
        env=env,
        check=True,
        capture_output=True,
    )
    # A year up to yesterday, then today's check-in at 0/0: the synthetic pain ratings go up and
    # down, and two worse days in a row pause the programme until the person lifts the pause (the
    # player page would then be the short "paused for your safety" page instead of the player).
    # This person said this morning that they feel back to their usual.
    now = datetime.now(UTC)
    settings = Settings.from_env(env)
    with open_store(settings.database_url) as store:
        year = build_bundle(years=1, today=now.date() - timedelta(days=1))
        repo.import_all(store, exchange.dump(year))
        repo.add_programme_event(
            store,
            ProgrammeEvent("bench-web-resumed", now, ProgrammeEventKind.RESUMED_BACK_TO_USUAL),
        )
        repo.add_checkin(store, CheckIn("bench-web-today", now, 0, 0))
        if programme:
            # Week 3 of the 6-week programme: Today replays the history into its programme card.
            started = now.date() - timedelta(days=16)
            repo.add_enrolment(store, Enrolment("bench-web", "desk-back-6-weeks", started, now))
        return repo.counts(store)


def set_up_reminders(settings: Settings, state: str) -> None:
    """reminders.toml with ``enabled`` (on/off), and for "on" a journal whose last micro-break
    is held back by a call, as the service would have written it."""
    from deskstretch.core.schedule import BreakEvent, BreakKind, EventKind
    from deskstretch.reminders.breaklog import BreakLog, event_to_line

    if state == "unset":
        return
    settings.config_dir.mkdir(parents=True, exist_ok=True)
    text = f"enabled = {'true' if state == 'on' else 'false'}\n"
    text += '[working_hours]\nevery_day = "00:00-24:00"\n'
    (settings.config_dir / "reminders.toml").write_text(text, encoding="utf-8")
    if state == "on":
        now = datetime.now(UTC)
        journal = BreakLog.in_folder(settings.data_dir)
        lines = []  # a full journal: 35 days (what the service keeps) of 16 answered reminders
        for days in range(35, 0, -1):
            start = now - timedelta(days=days, hours=9)
            for number in range(16):
                at = start + timedelta(minutes=30 * number)
                kind = BreakKind.STRETCH if number % 2 else BreakKind.MICRO
                lines.append(event_to_line(BreakEvent(at, EventKind.PROMPTED, kind)))
                lines.append(event_to_line(BreakEvent(at, EventKind.DONE, kind)))
        journal.path.parent.mkdir(parents=True, exist_ok=True)
        journal.path.write_text("".join(lines), encoding="utf-8")
        journal.append(BreakEvent(now - timedelta(minutes=35), EventKind.DONE, BreakKind.STRETCH))
        journal.append(
            BreakEvent(
                now - timedelta(minutes=4), EventKind.DEFERRED, BreakKind.MICRO, note="a call"
            )
        )


def stop_reminder_service(settings: Settings) -> None:
    """Never leave a reminder service behind (the app may start one when reminders are on)."""
    import signal

    from deskstretch.reminders.lock import ServiceLock

    pid = ServiceLock(settings.data_dir).holder()
    if pid:
        os.kill(pid, signal.SIGTERM)
        print(f"(stopped the reminder service the app started, pid {pid})")


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "deskstretch", "app", "--port", str(port), "--no-browser"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/routines", timeout=2).status_code == 200:
                return child
        except httpx.HTTPError:
            pass
        if child.poll() is not None:
            break
        time.sleep(0.1)
    child.kill()
    sys.exit(f"the server did not start:\n{log.read_text(encoding='utf-8')}")


# Measured with a commit from another connection before each request: the summary is rebuilt,
# reading again only the kind of record that changed (a check-in, or a session as a routine ends).
CHECKIN_WRITE = "UPDATE checkins SET note = :n WHERE id = 'bench-web-today'"
SESSION_WRITE = (
    "UPDATE sessions SET routine_name = routine_name || '' WHERE id ="
    " (SELECT id FROM sessions ORDER BY started_at DESC LIMIT 1) AND :n = :n"
)
AFTER_A_WRITE = (
    ("Today after a check-in", "/", CHECKIN_WRITE),
    ("Progress after check-in", "/progress", CHECKIN_WRITE),
    ("Today after a session", "/", SESSION_WRITE),
    ("Progress after session", "/progress", SESSION_WRITE),
)


def time_pages(base: str, requests: int, database: Path) -> list[tuple[str, str, list[float], int]]:
    import sqlite3

    results = []
    writer = sqlite3.connect(database)
    pages: list[tuple[str, str, str | None]] = [(label, path, None) for label, path in PAGES]
    pages += list(AFTER_A_WRITE)
    with httpx.Client(base_url=base, timeout=10) as client:
        for label, path, write_first in pages:
            for _ in range(WARMUP):
                client.get(path).raise_for_status()
            samples = []
            size = 0
            for number in range(requests):
                if write_first is not None:
                    with writer:
                        writer.execute(write_first, {"n": f"write {number}"})
                started = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                size = len(response.content)
            results.append((label, path, samples, size))
    writer.close()
    return results


def javascript() -> list[tuple[str, int, int]]:
    files = sorted(STATIC.rglob("*.js"))
    return [
        (str(f.relative_to(STATIC)), len(data := f.read_bytes()), len(gzip.compress(data, 9)))
        for f in files
    ]


def css() -> list[tuple[str, int, int]]:
    return [
        (str(f.relative_to(STATIC)), len(data := f.read_bytes()), len(gzip.compress(data, 9)))
        for f in sorted(STATIC.rglob("*.css"))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds idle before last RSS")
    parser.add_argument(
        "--programme",
        action="store_true",
        help="the person follows the 6-week programme (week 3): Today shows its card",
    )
    parser.add_argument(
        "--reminders",
        choices=("unset", "on", "off"),
        default="unset",
        help="the break reminders: not set up (Today offers them), on, or off",
    )
    args = parser.parse_args()

    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs,"
        f" Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="deskstretch-bench-web-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
        env["DESKSTRETCH_CONFIG_DIR"] = str(work / "config")
        env["DESKSTRETCH_DATA_DIR"] = str(work / "data")
        started = time.perf_counter()
        counts = seed(env, work, programme=args.programme)
        print(f"seeded one year in {time.perf_counter() - started:.1f} s: {counts}")
        set_up_reminders(Settings.from_env(env), args.reminders)

        port = free_port()
        child = start_server(env, port, work / "server.log")
        try:
            after_start = rss_kib(child.pid)
            database = Settings.from_env(env).database_file
            results = time_pages(f"http://127.0.0.1:{port}", args.requests, database)
            after_requests = rss_kib(child.pid)
            time.sleep(args.idle)
            after_idle = rss_kib(child.pid)
        finally:
            child.terminate()
            child.wait(timeout=10)
            stop_reminder_service(Settings.from_env(env))
        log = (work / "server.log").read_text(encoding="utf-8")

    print(
        f"\n1. Server time per page: {args.requests} sequential GETs after {WARMUP} warm-ups,"
        f" ms (target p95 ≤ {TARGET_P95_MS:.0f} ms)"
    )
    print(f"{'page':<20} {'path':<32} {'median':>7} {'p95':>7} {'max':>7} {'KB':>6}  result")
    for label, path, samples, size in results:
        p95 = percentile(samples, 0.95)
        verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
        print(
            f"{label:<20} {path:<32} {statistics.median(samples):7.2f} {p95:7.2f}"
            f" {max(samples):7.2f} {size / 1024:6.1f}  {verdict}"
        )

    print(f"\n2. JavaScript shipped (target ≤ {TARGET_JS_GZIP // 1024} KB gzip -9 in all)")
    scripts = javascript()
    for name, raw, packed in scripts:
        print(f"{name:<24} {raw:>8,} B raw {packed:>8,} B gzip")
    raw_total = sum(raw for _, raw, _ in scripts)
    gzip_total = sum(packed for _, _, packed in scripts)
    verdict = "met" if gzip_total <= TARGET_JS_GZIP else "MISSED"
    print(
        f"{'total':<24} {raw_total:>8,} B raw {gzip_total:>8,} B gzip"
        f" ({gzip_total / 1024:.1f} KB)  {verdict}"
    )
    styles = css()
    print(
        "(CSS, for comparison: "
        + ", ".join(f"{name} {raw:,} B raw / {packed:,} B gzip" for name, raw, packed in styles)
        + ")"
    )

    print("\n3. Server memory (VmRSS of the `deskstretch app` process)")
    memory = (
        ("after start (first request answered)", after_start["VmRSS"]),
        ("after the page requests", after_requests["VmRSS"]),
        (f"after {args.idle:.0f} s idle", after_idle["VmRSS"]),
        ("peak (VmHWM)", after_idle["VmHWM"]),
    )
    for label, kib in memory:
        print(f"{label + ':':<40} {mib(kib):>10}")
    if log.strip():
        print(f"\nserver log:\n{log}")


if __name__ == "__main__":
    main()
