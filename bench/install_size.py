"""Install size and time: the base install of this tree against the previous release's, and this
tree with every extra.

Builds each wheel (`uv build`; the previous release from its commit with `git archive`), installs
it into a new virtual environment and reports the environment's size on disk (site-packages and
all, the interpreter itself is a link) and the install time, twice: with uv from its cache (what
`make` does; the cache is warmed by a first, unmeasured install) and with pip from the package
index (no pip cache), which is what a new user waits for. Prints figures; never fails because
something was big or slow.

    .venv/bin/python bench/install_size.py [--previous COMMIT] [--no-pip]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from helpers.packaging import PREVIOUS_RELEASE, build, find_uv, source_at  # noqa: E402


def uv() -> str:
    found = find_uv()
    if found is None:
        sys.exit("uv not found: run `make setup` first")
    return found


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run(command, check=True, capture_output=True, env=env)


def size_mb(folder: Path) -> float:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total / 1e6


def install_with_uv(target: str, root: Path) -> tuple[float, float]:
    venv = root / "venv"
    run([uv(), "venv", "--quiet", "--python", sys.executable, str(venv)])
    started = time.perf_counter()
    run([uv(), "pip", "install", "--quiet", "--python", str(venv / "bin/python"), target])
    return time.perf_counter() - started, size_mb(venv)


def install_with_pip(target: str, root: Path) -> tuple[float, float]:
    venv = root / "venv-pip"
    run([sys.executable, "-m", "venv", str(venv)])
    started = time.perf_counter()
    run(
        [str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "--no-cache-dir", target],
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_FIND_LINKS": ""},
    )
    elapsed = time.perf_counter() - started
    run([str(venv / "bin/python"), "-m", "pip", "uninstall", "--quiet", "-y", "pip"])
    return elapsed, size_mb(venv)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--previous", default=PREVIOUS_RELEASE, help="the earlier commit")
    parser.add_argument("--no-pip", action="store_true", help="skip the pip (network) installs")
    options = parser.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        current, _ = build(uv(), REPO, work / "dist-current")
        previous, _ = build(
            uv(), source_at(options.previous, work / "src-previous"), work / "dist-previous"
        )
        rows = [
            (f"previous release ({options.previous[:7]}), base", str(previous)),
            ("this tree, base", str(current)),
            ("this tree, [all]", f"{current}[all]"),
        ]
        print(f"\n{'install':<40} {'uv (cached) s':>13} {'MB':>6} {'pip (index) s':>14} {'MB':>6}")
        for index, (label, target) in enumerate(rows):
            install_with_uv(target, work / f"warm-{index}")  # fills uv's cache, unmeasured
            uv_time, uv_size = install_with_uv(target, work / f"uv-{index}")
            line = f"{label:<40} {uv_time:13.1f} {uv_size:6.0f}"
            if not options.no_pip:
                pip_time, pip_size = install_with_pip(target, work / f"pip-{index}")
                line += f" {pip_time:14.1f} {pip_size:6.0f}"
            print(line, flush=True)
    print(
        "\nMB: every file of the virtual environment (pip itself left out), counted at full size"
        " whether uv hard-linked it from its cache or not."
    )


if __name__ == "__main__":
    main()
