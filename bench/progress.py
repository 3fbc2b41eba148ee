"""Time summarise, the 80-column dashboard, the report and a PNG chart on 5 years of daily data.

Synthetic, in memory: ~5,000 sessions of 3-5 steps, ~10,000 check-ins, weekly tests, monthly
questionnaires. Prints medians of 10 runs; never asserts. Run: .venv/bin/python bench/progress.py
"""

from __future__ import annotations

import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from deskstretch.coach.progress import ProgressInput, summarise
from deskstretch.core.outcomes import score_startback
from deskstretch.core.records import (
    CheckIn,
    CheckInContext,
    Instrument,
    Measurement,
    MeasurementKind,
    PsfsActivity,
    QuestionnaireResult,
    SessionRecord,
    SessionStatus,
    StepRecord,
)

TODAY = date(2026, 3, 11)
YEARS = 5
RUNS = 10
GROUPS = ("hamstrings", "low-back", "hips", "glutes", "trunk")
TZ = ZoneInfo("Europe/London")


def _steps(rng: random.Random) -> tuple[StepRecord, ...]:
    steps = []
    for index in range(rng.randint(3, 5)):
        group = GROUPS[index % len(GROUPS)] if index else "hamstrings"
        done = float(rng.choice((30, 45, 60)))
        left = right = done / 2 if group == "hamstrings" else 0.0
        steps.append(
            StepRecord(index, f"{group}-{index}", group, done, done, left, right, 0.0, True)
        )
    return tuple(steps)


def build(seed: int = 7) -> ProgressInput:
    """Five years ending TODAY: about 2.7 sessions a day on most days, each with 2 check-ins."""
    rng = random.Random(seed)
    first = TODAY - timedelta(days=365 * YEARS)
    sessions: list[SessionRecord] = []
    checkins: list[CheckIn] = []
    measurements: list[Measurement] = []
    results: list[QuestionnaireResult] = []
    back = 6.0
    for offset in range(365 * YEARS + 1):
        day = first + timedelta(days=offset)
        back = min(10.0, max(0.0, back + rng.uniform(-0.6, 0.55)))
        if rng.random() < 0.9:
            for number in range(rng.choice((2, 3, 3, 4))):
                start = datetime(day.year, day.month, day.day, 8 + 3 * number, tzinfo=UTC)
                sid = f"s{len(sessions)}"
                status = rng.choice((SessionStatus.COMPLETED,) * 8 + (SessionStatus.QUIT_EARLY,))
                sessions.append(
                    SessionRecord(
                        sid,
                        "seated-5min",
                        "Seated, five minutes",
                        start,
                        status,
                        _steps(rng),
                        start + timedelta(minutes=6),
                        too_much=rng.random() < 0.02,
                    )
                )
                pain = round(back)
                for context, minutes, value in (
                    (CheckInContext.BEFORE_SESSION, -1, pain),
                    (CheckInContext.AFTER_SESSION, 7, max(0, pain - 1)),
                ):
                    checkins.append(
                        CheckIn(
                            f"c{len(checkins)}",
                            start + timedelta(minutes=minutes),
                            value,
                            rng.choice((0, 0, 1, 2)),
                            context,
                            sid,
                        )
                    )
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        if day.weekday() == 0:
            for leg in ("left", "right"):
                reach_cm = -5 + offset / 200 + rng.uniform(-2, 2)
                measurements.append(
                    Measurement(
                        f"m{len(measurements)}",
                        noon,
                        MeasurementKind.CHAIR_SIT_AND_REACH,
                        round(reach_cm, 1),
                        "csr-44cm",
                        leg,
                    )
                )
        if day.day == 1:
            results += _questionnaires(rng, noon, len(results), back)
    return ProgressInput(sessions, checkins, measurements, results, _ACTIVITIES, TODAY, TZ)


_ACTIVITIES = [
    PsfsActivity(name, name.replace("-", " "), datetime(2021, 1, 1, tzinfo=UTC))
    for name in ("sitting-an-hour", "tying-shoes", "lifting-a-bag")
]


def _questionnaires(
    rng: random.Random, at: datetime, count: int, back: float
) -> list[QuestionnaireResult]:
    odi = round(back * 5)
    rmdq = round(back * 1.8)
    psfs: dict[str, int | None] = {
        a.id: min(10, max(0, round(10 - back + rng.uniform(-1, 1)))) for a in _ACTIVITIES
    }
    sbst: dict[str, int | None] = {f"sbst{n}": rng.randint(0, 1) for n in range(1, 9)}
    sbst["sbst9"] = rng.randint(0, 4)
    startback = score_startback(sbst)
    return [
        QuestionnaireResult(f"q{count}", at, Instrument.ODI, "2.1a", {}, odi),
        QuestionnaireResult(f"q{count + 1}", at, Instrument.RMDQ, "24", {}, rmdq),
        QuestionnaireResult(
            f"q{count + 2}",
            at,
            Instrument.PSFS,
            "1",
            psfs,
            sum(v or 0 for v in psfs.values()) / len(psfs),
        ),
        QuestionnaireResult(
            f"q{count + 3}",
            at,
            Instrument.STARTBACK,
            "9",
            sbst,
            startback.total,
            startback.risk.value,
        ),
    ]


def _median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    from rich.console import Console

    from deskstretch.cli.charts import write_charts
    from deskstretch.cli.dashboard import render_dashboard
    from deskstretch.exports.report import render_report

    start = time.perf_counter()
    data = build()
    built_ms = (time.perf_counter() - start) * 1000
    steps = sum(len(s.steps) for s in data.sessions)
    print(
        f"data: {len(data.sessions)} sessions ({steps} steps), {len(data.checkins)} check-ins,"
        f" {len(data.measurements)} measurements, {len(data.results)} questionnaires"
        f" (built in {built_ms:.0f} ms)"
    )
    summary = summarise(data)

    def dashboard() -> None:
        console = Console(file=io.StringIO(), width=80)
        console.print(render_dashboard(summarise(data)))

    print(f"summarise:                      median {_median_ms(lambda: summarise(data)):7.1f} ms")
    print(f"summarise + dashboard (80 col): median {_median_ms(dashboard):7.1f} ms")
    generated = datetime(2026, 3, 11, 12, tzinfo=UTC)
    report_ms = _median_ms(lambda: render_report(summary, generated))
    print(f"report HTML (from summary):     median {report_ms:7.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.png"
        start = time.perf_counter()
        write_charts(summary, path, "png")
        first_ms = (time.perf_counter() - start) * 1000
        print(f"PNG chart, first call:          {first_ms:7.1f} ms  (imports matplotlib)")
        png_ms = _median_ms(lambda: write_charts(summary, path, "png"), 5)
        print(f"PNG chart, later calls:         median {png_ms:7.1f} ms (5 runs)")
        print(f"PNG size: {path.stat().st_size / 1024:.0f} KiB")
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
