"""The printable HTML report: parses, makes no external requests, says what changed and escapes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from html.parser import HTMLParser

from deskstretch.coach.progress import ProgressSummary, summarise
from deskstretch.exports.report import FOOTER, pain_svg, render_report
from helpers.progress_records import (
    ACTIVITIES,
    TODAY,
    checkin,
    empty_input,
    session,
    step,
    worked_input,
)

GENERATED = datetime(2026, 3, 11, 17, 30, tzinfo=UTC)


class Page(HTMLParser):
    """Collects tags with their attributes and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())

    def names(self) -> list[str]:
        return [tag for tag, _ in self.tags]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def report(summary: ProgressSummary) -> tuple[str, Page]:
    html = render_report(summary, GENERATED)
    return html, parse(html)


def test_report_is_one_self_contained_page_without_external_requests() -> None:
    html, page = report(summarise(worked_input()))
    assert page.names()[0] == "html"
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "xmlns"):
            assert "http" not in (attrs.get(name) or ""), (tag, name)
    assert not {"script", "link", "img", "iframe", "object"} & set(page.names())
    assert "url(" not in html
    assert "@import" not in html
    assert "@page { size: A4" in html
    assert "page-break-inside: avoid" in html


def test_report_states_period_and_adherence() -> None:
    _, page = report(summarise(worked_input()))
    text = page.words
    assert "Period covered: 10 Jan 2026 – 11 Mar 2026 (61 days)." in text
    assert "Generated 11 Mar 2026 17:30." in text
    assert "5 sessions counted (6 minutes of stretching work in them)" in text  # 5.5
    assert "Current streak: 3 days" in text


def test_report_gives_changes_with_interpretation_and_rule() -> None:
    _, page = report(summarise(worked_input()))
    text = page.words
    for expected in (
        "Back pain went from 6 to 3 (−3 points, 50%): a real change for the better.",
        "Back pain went from 7 to 3 (−4 points, 57%): a real change for the better.",
        "Leg pain stayed at 2 (no change): within normal variation.",
        "a real change is ≥ 2 points or ≥ 30% of the starting rating, up or down.",
        "Chair sit-and-reach went from −3 cm to 5 cm (+8 cm): a real change for the better.",
        "Rule: ≥ 7 cm (beyond measurement error)",
        "Fingertip-to-floor distance went from 20 cm to 17 cm (−3 cm): within normal variation.",
        "csr-44cm",
        "Your ODI score went from 40 to 26 (−14 points, 35%): a real change for the better.",
        "Rule: ≥ 10 points or 30%.",
        "Your RMDQ score went from 10 to 8 (−2 points, 20%): within normal variation.",
        "Rule: ≥ 2 points on average, or ≥ 3 on one activity.",
        "information to share with your clinician",
        "Sitting through a meeting 3 6 a real change",
        "Lifting a shopping bag (no longer rated)",
        "Sessions marked too much (pain up 2+ points after the session, or above 5): 1",
        "complete 5 5.5 partial 1 0.5 interrupted 0 0 in progress 0 0 All recorded 6 6",
        "Long drive",
    ):
        assert expected in text, expected
    assert text.endswith(FOOTER)
    assert FOOTER == "Self-reported data recorded with deskstretch; not a diagnosis."
    assert "cured" not in text.lower()


def test_report_escapes_names_and_notes() -> None:
    evil = "<script>alert(1)</script>"
    data = worked_input()
    activities = [dataclasses.replace(ACTIVITIES[0], name=evil), *ACTIVITIES[1:]]
    data = dataclasses.replace(
        data,
        psfs_activities=activities,
        sessions=[
            *data.sessions,
            session(TODAY, step("low-back", 90), name='<img src="x">', hour=20),
        ],
        checkins=[*data.checkins, checkin(TODAY, 3, 1, note="<b onmouseover=x>hi</b>")],
    )
    html, page = report(summarise(data))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not {"script", "img", "b"} & set(page.names())
    assert evil in page.words
    assert '<img src="x">' in page.words
    assert "<b onmouseover=x>hi</b>" in page.words


def test_report_pain_chart_is_inline_svg_on_a_0_to_10_scale() -> None:
    summary = summarise(worked_input())
    svg = str(pain_svg(summary.pain))
    page = parse(svg)
    assert page.names().count("polyline") == 2
    lines = [attrs["points"] for tag, attrs in page.tags if tag == "polyline"]
    back = (lines[0] or "").split()
    assert len(back) == 6  # six days with a back rating
    # 6 on day 21 of 30: x = 30 + 20 * 540 / 29, y = 8 + (10 - 6) * 9
    assert back[0] == "402.4,44.0"
    _, report_page = report(summary)
    assert report_page.names().count("svg") == 1


def test_report_with_no_data_still_renders() -> None:
    html, page = report(summarise(empty_input()))
    assert "No data recorded yet." in page.words
    assert "No sessions recorded yet." in page.words
    assert "svg" not in page.names()
    assert page.words.endswith(FOOTER)
    assert "<html" in html
