"""Cold-start benchmark of the ``deskstretch`` command line.

Measures the wall time of a fresh ``deskstretch`` process (spawn to exit, stdout to /dev/null) for
``--help``, ``list``, ``show S01`` and ``routine list``, N times each after warm-ups, next to a bare
``python -c pass``. Runs are interleaved so that a change in machine load hits every command alike.
Two bytecode conditions are measured side by side:

- ``cached``: a private, warmed bytecode cache (PYTHONPYCACHEPREFIX in a temporary folder), which
  is what someone who installed with pip, or who has run the command once, starts with;
- ``as-is``: this environment exactly as it is; with PYTHONDONTWRITEBYTECODE=1 and a venv made by
  ``uv sync`` (which does not compile bytecode) every run compiles every module from source.

Then ``python -X importtime`` shows the ten slowest imports (by cumulative time) of ``--help`` and
``list``. Prints figures only; it never fails because something was slow.

    .venv/bin/python bench/startup.py [--runs 20] [--warmups 2] [--module]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Targets from the issue, in milliseconds (cold start, bytecode cached).
TARGETS_MS: dict[str, float] = {"--help": 150.0, "list": 250.0}

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("list",),
    ("show", "S01"),
    ("routine", "list"),
)
BASELINE = "python -c pass"
IMPORTTIME_COMMANDS: tuple[tuple[str, ...], ...] = (("--help",), ("list",))
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S.*)$")


@dataclass
class Series:
    """Wall times of one command in one bytecode condition, in milliseconds."""

    label: str
    mode: str
    times_ms: list[float] = field(default_factory=list)
    failures: int = 0
    last_error: str = ""


def entry_point(use_module: bool) -> list[str]:
    """The installed console script, or ``python -m deskstretch`` when asked (or when missing)."""
    script = Path(sys.executable).parent / "deskstretch"
    if use_module or not script.exists():
        return [sys.executable, "-m", "deskstretch"]
    return [str(script)]


def make_envs(tmp: Path) -> dict[str, dict[str, str]]:
    """One environment per bytecode condition, both with their own empty config and data folders."""
    base = dict(os.environ)
    base["DESKSTRETCH_CONFIG_DIR"] = str(tmp / "config")
    base["DESKSTRETCH_DATA_DIR"] = str(tmp / "data")
    base.pop("PYTHONPYCACHEPREFIX", None)
    cached = dict(base)
    cached.pop("PYTHONDONTWRITEBYTECODE", None)
    cached["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return {"cached": cached, "as-is": base}


def time_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run ``argv`` once; return wall milliseconds, exit status and the end of stderr."""
    started = time.perf_counter()
    done = subprocess.run(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    return elapsed_ms, done.returncode, done.stderr.decode(errors="replace")[-300:]


def percentile(values: list[float], fraction: float) -> float:
    """Linear-interpolated percentile (``fraction`` from 0 to 1) of a non-empty list."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(
    entry: list[str], envs: dict[str, dict[str, str]], runs: int, warmups: int
) -> list[Series]:
    jobs: list[tuple[Series, list[str], dict[str, str]]] = []
    for mode, env in envs.items():
        baseline = [sys.executable, "-c", "pass"]
        jobs.append((Series(BASELINE, mode), baseline, env))
        for command in COMMANDS:
            jobs.append((Series(" ".join(command), mode), [*entry, *command], env))
    for round_number in range(warmups + runs):
        for series, argv, env in jobs:
            elapsed_ms, status, error = time_once(argv, env)
            if round_number < warmups:
                continue
            if status != 0:
                series.failures += 1
                series.last_error = error
                continue
            series.times_ms.append(elapsed_ms)
    return [series for series, _, _ in jobs]


def verdict(series: Series) -> str:
    target = TARGETS_MS.get(series.label)
    if target is None or not series.times_ms:
        return ""
    median = statistics.median(series.times_ms)
    return "within target" if median <= target else "OVER target"


def print_table(results: list[Series]) -> None:
    header = (
        f"{'command':<16} {'bytecode':<8} {'median':>8} {'p90':>8} {'min':>8} {'max':>8}"
        f"  {'target':>8}  verdict (median)"
    )
    print(header)
    print("-" * len(header))
    for series in results:
        target = TARGETS_MS.get(series.label)
        target_text = f"<= {target:.0f}" if target else "-"
        if not series.times_ms:
            print(f"{series.label:<16} {series.mode:<8} failed every run: {series.last_error!r}")
            continue
        times = series.times_ms
        print(
            f"{series.label:<16} {series.mode:<8} {statistics.median(times):8.1f}"
            f" {percentile(times, 0.9):8.1f} {min(times):8.1f} {max(times):8.1f}"
            f"  {target_text:>8}  {verdict(series)}"
        )
        if series.failures:
            print(f"    {series.failures} run(s) failed; last stderr: {series.last_error!r}")


def import_times(argv: list[str], env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Module -> (indent depth, cumulative microseconds) from one ``-X importtime`` run."""
    done = subprocess.run(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    found: dict[str, tuple[int, int]] = {}
    for line in done.stderr.decode(errors="replace").splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            depth = (len(match.group(3)) - 1) // 2
            found[match.group(4)] = (depth, int(match.group(2)))
    return found


def print_import_profile(entry: list[str], env: dict[str, str], repeats: int) -> None:
    python = [sys.executable, "-X", "importtime"]
    base = python + (entry[1:] if entry[0] == sys.executable else entry)
    for command in IMPORTTIME_COMMANDS:
        samples = [import_times([*base, *command], env) for _ in range(repeats)]
        names = set().union(*samples)
        medians = {
            name: statistics.median(s[name][1] for s in samples if name in s) for name in names
        }
        depth = {name: next(s[name][0] for s in samples if name in s) for name in names}
        top_level = sum(medians[name] for name in names if depth[name] == 0)
        label = " ".join(command)
        print(
            f"\n`deskstretch {label}`: top 10 imports by cumulative time"
            f" (median of {repeats} runs, bytecode cached); all top-level imports:"
            f" {top_level / 1000:.1f} ms"
        )
        ranked = sorted(names, key=lambda name: medians[name], reverse=True)[:10]
        for name in ranked:
            indent = "  " * depth[name]
            print(f"  {medians[name] / 1000:7.1f} ms  {indent}{name}")


def describe_bytecode_state() -> str:
    """Whether the installed dependencies carry compiled bytecode next to their sources."""
    import rich  # any third-party dependency will do

    cache = Path(rich.__file__).parent / "__pycache__"
    compiled = cache.is_dir() and any(cache.glob("*.pyc"))
    writes = "off" if sys.flags.dont_write_bytecode else "on"
    return (
        f"as-is here: dependency bytecode {'present' if compiled else 'absent'},"
        f" writing bytecode {writes} (PYTHONDONTWRITEBYTECODE)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="measured runs per command")
    parser.add_argument("--warmups", type=int, default=2, help="unmeasured runs first")
    parser.add_argument(
        "--module", action="store_true", help="run `python -m deskstretch` instead of the script"
    )
    parser.add_argument("--importtime-runs", type=int, default=5)
    args = parser.parse_args()

    entry = entry_point(args.module)
    print(f"deskstretch cold start: {' '.join(entry)}")
    print(f"python {sys.version.split()[0]}, {args.runs} runs after {args.warmups} warm-ups")
    print(describe_bytecode_state())
    print("times are wall milliseconds from spawn to exit, stdout to /dev/null\n")
    with tempfile.TemporaryDirectory(prefix="deskstretch-startup-") as folder:
        envs = make_envs(Path(folder))
        results = measure(entry, envs, args.runs, args.warmups)
        print_table(results)
        print_import_profile(entry, envs["cached"], args.importtime_runs)


if __name__ == "__main__":
    main()
