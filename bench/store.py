"""Store benchmarks: `deskstretch progress` on 5 years of data, and recording a session on SQLite.

Seeds a fresh SQLite database with about 5 years of daily use (≈5,000 sessions, ≈10,000
check-ins, weekly measurements, monthly questionnaires) through the real import path, then:
  1. runs `deskstretch progress` as a person would (a new process each time), median of N runs,
     and the same work in-process, split into reading the store, summarising and rendering;
  2. times the writes the player makes while a routine plays: start_session,
     update_session_progress (one per segment boundary) and finish_session.
Prints figures only; targets (issue #3): progress ≤ 300 ms, recording a session ≤ 10 ms.

Every session of the default data repeats the same four steps, as a person repeating a routine
does; ``--varied-steps`` makes every step row different (the store's worst case when reading).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deskstretch.core.records import (  # noqa: E402
    CheckIn,
    CheckInContext,
    Instrument,
    Measurement,
    MeasurementKind,
    QuestionnaireResult,
    SessionRecord,
    SessionStatus,
    StepRecord,
)
from deskstretch.store import exchange, open_store  # noqa: E402
from deskstretch.store import repository as repo  # noqa: E402

GROUPS = ("hamstrings", "low-back", "hips", "core")


def build_bundle(
    years: int = 5, today: date | None = None, varied_steps: bool = False
) -> exchange.Bundle:
    today = today or datetime.now(UTC).date()
    start = today - timedelta(days=365 * years)
    sessions, checkins, measurements, results = [], [], [], []
    day = start
    n = 0
    while day <= today:
        n += 1
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        if n % 9 != 0:  # 3 sessions on 8 days in 9 -> about 4,900 in 5 years
            for k in range(3):
                at = noon + timedelta(hours=k * 3)
                done = 60.0 - (n * 3 + k) / 1000 if varied_steps else 60.0
                steps = tuple(
                    StepRecord(
                        i, f"ex-{i}", GROUPS[i % 4], 60.0, done, done / 2, done / 2, 0.0, True
                    )
                    for i in range(4)
                )
                sessions.append(
                    SessionRecord(
                        f"s{n}-{k}",
                        "hamstring-2min",
                        "Hamstring micro-break",
                        at,
                        SessionStatus.COMPLETED,
                        steps,
                        at + timedelta(minutes=3),
                    )
                )
        for k in range(5 + n % 2):  # 5.5 a day -> about 10,000 in 5 years
            checkins.append(
                CheckIn(
                    f"c{n}-{k}",
                    noon + timedelta(hours=k),
                    (n + k) % 7,
                    (n * 3 + k) % 4,
                    CheckInContext.ANYTIME,
                )
            )
        if n % 7 == 0:
            measurements.append(
                Measurement(
                    f"m{n}",
                    noon,
                    MeasurementKind.CHAIR_SIT_AND_REACH,
                    float(n % 10 - 5),
                    "csr-senior-fitness-test",
                    "left",
                )
            )
        if n % 30 == 0:
            answers: dict[str, int | None] = {f"rmdq{i:02d}": int(i < n % 10) for i in range(1, 25)}
            results.append(
                QuestionnaireResult(
                    f"q{n}", noon, Instrument.RMDQ, "rmdq-24", answers, float(n % 10)
                )
            )
        day += timedelta(days=1)
    return exchange.Bundle(
        sessions=sessions,
        checkins=checkins,
        measurements=measurements,
        psfs_activities=[],
        questionnaire_results=results,
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def describe(label: str, samples: list[float], target: str = "") -> None:
    samples = sorted(samples)
    p90 = samples[int(0.9 * (len(samples) - 1))]
    print(
        f"{label:<44} median {ms(statistics.median(samples)):>9}  p90 {ms(p90):>9}  "
        f"min {ms(samples[0]):>9}  max {ms(samples[-1]):>9}  {target}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--varied-steps", action="store_true", help="no two stored step rows alike (worst case)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deskstretch-bench-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    env = {
        **os.environ,
        "DESKSTRETCH_CONFIG_DIR": str(work / "config"),
        "DESKSTRETCH_DATA_DIR": str(work / "data"),
    }
    url = f"sqlite:///{work / 'data' / 'deskstretch.sqlite3'}"
    bundle = build_bundle(varied_steps=args.varied_steps)
    started = time.perf_counter()
    with open_store(url) as store:
        repo.import_all(store, exchange.dump(bundle))
        counts = repo.counts(store)
    print(f"seeded in {time.perf_counter() - started:.1f} s: {counts}")

    binary = Path(sys.executable).with_name("deskstretch")
    command = [str(binary), "progress"]
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm the OS cache
    samples = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        samples.append(time.perf_counter() - t0)
    describe("deskstretch progress (new process, 80 cols)", samples, "target ≤ 300 ms")
    probe = (
        "import sys; from deskstretch.cli.main import main\n"
        "try:\n    main(['progress'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(m for m in ('sqlalchemy', 'alembic', 'pydantic') if m in sys.modules),"
        " file=sys.stderr)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stderr.split()
    print(f"  loaded by `progress`: {', '.join(loaded) or 'none'} of sqlalchemy, alembic, pydantic")

    from rich.console import Console

    from deskstretch.cli.dashboard import render_dashboard
    from deskstretch.coach import Coach
    from deskstretch.coach.progress import ProgressInput, summarise
    from deskstretch.config import Settings

    os.environ.update({k: env[k] for k in ("DESKSTRETCH_CONFIG_DIR", "DESKSTRETCH_DATA_DIR")})
    coach = Coach(Settings.from_env())
    reads, summaries, renders = [], [], []
    for _ in range(args.runs):
        # The same reads and summary as Coach.progress_summary, timed apart.
        t0 = time.perf_counter()
        store = coach.store
        data = ProgressInput(
            sessions=repo.list_sessions(store),
            checkins=repo.list_checkins(store),
            measurements=repo.list_measurements(store),
            results=repo.list_questionnaire_results(store),
            psfs_activities=repo.list_psfs_activities(store, include_retired=True),
            today=datetime.now(UTC).astimezone(coach.local_tz()).date(),
            tz=coach.local_tz(),
        )
        t1 = time.perf_counter()
        summary = summarise(data)
        t2 = time.perf_counter()
        Console(file=io.StringIO(), width=80).print(render_dashboard(summary))
        renders.append(time.perf_counter() - t2)
        summaries.append(t2 - t1)
        reads.append(t1 - t0)
    describe("  in-process: read the store", reads)
    describe("  in-process: summarise", summaries)
    describe("  in-process: render dashboard", renders)
    coach.store.close()

    starts, updates, finishes = [], [], []
    with open_store(url) as store:
        for i in range(50):
            steps = [
                StepRecord(j, f"ex-{j}", "hamstrings", 60.0, 30.0 * (j + 1), 15.0, 15.0)
                for j in range(4)
            ]
            record = SessionRecord(
                f"bench-{i}", "r", "R", datetime.now(UTC), SessionStatus.IN_PROGRESS
            )
            t0 = time.perf_counter()
            repo.start_session(store, record)
            starts.append(time.perf_counter() - t0)
            for _ in range(10):
                t0 = time.perf_counter()
                repo.update_session_progress(store, record.id, steps, at=datetime.now(UTC))
                updates.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            repo.finish_session(store, record.id, SessionStatus.COMPLETED, datetime.now(UTC), steps)
            finishes.append(time.perf_counter() - t0)
    describe("record: start_session", starts, "target ≤ 10 ms")
    describe("record: update_session_progress (4 steps)", updates, "target ≤ 10 ms")
    describe("record: finish_session", finishes, "target ≤ 10 ms")


if __name__ == "__main__":
    main()
