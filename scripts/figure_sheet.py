"""Draw every exercise's figure, keyframe by keyframe, on one sheet to review them at a glance.

    .venv/bin/python scripts/figure_sheet.py [OUT.svg] [--png OUT.png]

Writes the SVG (default: figure-sheet.svg); with --png, also a picture of it taken by Chromium
(/usr/bin/chromium through Playwright, as the browser tests do). The geometric checks
(tests/catalogue/test_scene.py) catch a body through the furniture or a rounded hinge; this
sheet is for the eye: does each picture show what its cues say?
"""

from __future__ import annotations

import argparse
from pathlib import Path

from deskstretch.catalogue.illustrations import render_contact_sheet_svg
from deskstretch.catalogue.loader import load_catalogue

CHROMIUM = "/usr/bin/chromium"


def write_png(svg: str, path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.set_content(f"<!doctype html><body style='margin:0'>{svg}</body>")
        page.locator("svg").first.screenshot(path=str(path))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("svg", nargs="?", type=Path, default=Path("figure-sheet.svg"))
    parser.add_argument("--png", type=Path, help="also save a picture of the sheet here")
    args = parser.parse_args()
    exercises = sorted(load_catalogue().exercises.values(), key=lambda e: e.code)
    svg = render_contact_sheet_svg(exercises)
    args.svg.write_text(svg, encoding="utf-8")
    print(f"{args.svg}: {len(exercises)} exercises")
    if args.png:
        write_png(svg, args.png)
        print(f"{args.png}: the same, as a picture")


if __name__ == "__main__":
    main()
