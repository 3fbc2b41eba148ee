"""Lighthouse scores of the web app: Today, the player, the library and progress (one year of data),
each with Lighthouse's desktop preset and its default (mobile: a phone screen, simulated slow 4G
and a 4x slower CPU).

Uses the same server and seeded data as bench/web.py (`deskstretch app` in a child process, fresh
folders). Lighthouse 12 comes from node_modules (`make node-deps`), drives Debian's Chromium
(CHROME_PATH=/usr/bin/chromium, headless) and needs no network. Reports (JSON and HTML) are kept
in bench/results/lighthouse/ (not committed).

Prints each run's performance, accessibility, best-practices and SEO scores against the targets
(accessibility 100, best practices ≥ 95, performance ≥ 95), then every audit that scored below 1,
so a missed target says why. Never fails because a score was low.
Run: .venv/bin/python bench/lighthouse.py [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from web import ROOT, free_port, seed, start_server

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
RESULTS = ROOT / "bench" / "results" / "lighthouse"
PAGES = (
    ("today", "/"),
    ("player", "/play/hamstring-2min"),
    ("library", "/library"),
    ("progress", "/progress"),
)
PRESETS = ("desktop", "mobile")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}
ATTEMPTS = 3
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


def lighthouse(url: str, preset: str, out: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        f"--only-categories={','.join(CATEGORIES)}",
        "--no-enable-error-reporting",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for attempt in range(1, ATTEMPTS + 1):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            break
        # Now and then (about one run in 30 here, more under load) Lighthouse 12 misses the
        # navigation in Chromium's trace: "Runtime error ... (NO_NAVSTART)". Run it again.
        said = (done.stdout + done.stderr).strip()[-300:]
        print(f"  {url} ({preset}) attempt {attempt} failed, exit {done.returncode}: {said}")
    else:
        sys.exit(f"lighthouse failed on {url} ({preset}):\n{done.stdout}\n{done.stderr}")
    report: dict[str, Any] = json.loads(out.with_suffix(".report.json").read_text("utf-8"))
    return report


def scores(report: dict[str, Any]) -> dict[str, int]:
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


Shortfall = tuple[str, str, str, float]  # category, audit id, title, weight in the category


def shortfalls(report: dict[str, Any]) -> list[tuple[Shortfall, str]]:
    """Audits of the categories that scored below 1, each with its score and display value."""
    audits = report["audits"]
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = audits[ref["id"]]
            score = audit.get("score")
            if score is None or score >= 1 or audit.get("scoreDisplayMode") == "informative":
                continue
            shown = f"{score:.2f}" + (
                f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            )
            found.append(((name, ref["id"], audit["title"], ref.get("weight", 0)), shown))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1, help="runs per page and preset")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make node-deps`")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: run `make system-deps`")
    version = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"lighthouse {version}, {CHROMIUM}, load {os.getloadavg()[0]:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)

    rows = []
    with tempfile.TemporaryDirectory(prefix="deskstretch-bench-lighthouse-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DESKSTRETCH_")}
        env["DESKSTRETCH_CONFIG_DIR"] = str(work / "config")
        env["DESKSTRETCH_DATA_DIR"] = str(work / "data")
        seed(env, work)
        port = free_port()
        child = start_server(env, port, work / "server.log")
        try:
            for page, path in PAGES:
                for preset in PRESETS:
                    runs = []
                    for run in range(args.runs):
                        out = RESULTS / f"{page}-{preset}-{run}"
                        started = time.perf_counter()
                        report = lighthouse(f"http://127.0.0.1:{port}{path}", preset, out)
                        seconds = time.perf_counter() - started
                        runs.append((report, seconds))
                    rows.append((page, preset, runs))
        finally:
            child.terminate()
            child.wait(timeout=10)

    print(
        f"\n{'page':<9} {'preset':<8} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}"
        f"  {'FCP':>7} {'LCP':>7} {'TBT':>6} {'CLS':>6}  {'s/run':>5}  targets"
    )
    missed_audits: dict[Shortfall, list[str]] = {}
    for page, preset, runs in rows:
        per_run = [scores(report) for report, _ in runs]
        median = {name: statistics.median(s[name] for s in per_run) for name in CATEGORIES}
        report = runs[0][0]
        fcp, lcp, tbt, cls, _ = (report["audits"][m].get("numericValue", 0.0) for m in METRICS)
        missed = [name for name, target in TARGETS.items() if median[name] < target]
        print(
            f"{page:<9} {preset:<8} {median['performance']:>5.0f} {median['accessibility']:>5.0f}"
            f" {median['best-practices']:>5.0f} {median['seo']:>5.0f}"
            f"  {fcp:>5.0f}ms {lcp:>5.0f}ms {tbt:>4.0f}ms {cls:>6.3f}"
            f"  {statistics.median(s for _, s in runs):>5.1f}"
            f"  {'all met' if not missed else 'MISSED: ' + ', '.join(missed)}"
        )
        for report, _ in runs:
            for key, shown in shortfalls(report):
                missed_audits.setdefault(key, []).append(f"{page}/{preset} {shown}")
    print("\nAudits that scored below 1 (weight = its weight in the category's score):")
    if not missed_audits:
        print("    none")
    for (category, audit_id, title, weight), where in missed_audits.items():
        print(f"  {category}: {audit_id} (weight {weight}) - {title}")
        print(f"      {'; '.join(where)}")
    print(f"\nreports: {RESULTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
