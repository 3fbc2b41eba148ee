"""What the keyboard-only browser tests share: the axe-core run (WCAG 2 A and AA rules), the CSP
watcher, and Tab-until-focused, so that every page is reached as a keyboard user reaches it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

AXE_RUN = """
() => axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
  resultTypes: ["violations"],
}).then((results) => results.violations.map((v) => v.id + ": " + v.help + " "
  + v.nodes.map((n) => n.target.join(" ")).join(", ")))
"""
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def violations(page: Page, axe_js: str) -> list[str]:
    """axe's WCAG 2 A/AA violations on the page as it is now, and any CSP violation so far."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_js)
    found: list[str] = page.evaluate(AXE_RUN)
    found += [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    return found


def tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only, as a person)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def no_horizontal_scroll(page: Page) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )
