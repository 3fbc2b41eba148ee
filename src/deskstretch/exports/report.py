"""A one-page printable HTML progress summary a person can hand to a physiotherapist.

Jinja2 with autoescaping; inline CSS and an inline SVG pain chart drawn here: no scripts, no links.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime

import jinja2
from markupsafe import Markup

from deskstretch.coach.progress import (
    COMPLETE_RULE,
    NPRS_RULE,
    PAIN_DAYS,
    PainSummary,
    ProgressSummary,
)
from deskstretch.core.wording import clock_minutes, noun, plural, whole_minutes

FOOTER = "Self-reported data recorded with deskstretch; not a diagnosis."
CHART_WIDTH, CHART_HEIGHT = 640, 120
_LEFT, _RIGHT, _TOP, _BOTTOM = 30, 70, 8, 22
# Okabe & Ito colour-blind-safe colours; the leg line is also dashed.
_SITES = (("back", "#0072B2", ""), ("leg", "#E69F00", ' stroke-dasharray="5 3"'))


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("deskstretch.exports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(day=_day, plural=plural, noun=noun, whole_minutes=whole_minutes)
    environment.filters.update(clock_minutes=clock_minutes)
    environment.globals.update(day=_day, number=_number)
    return environment


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _number(value: float) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace("-", "−")


def _points(
    values: Sequence[int | None], x_step: float, y_scale: float
) -> list[tuple[float, float]]:
    """Where each day's rating goes on the chart; days without a rating are skipped."""
    return [
        (_LEFT + index * x_step, _TOP + (10 - value) * y_scale)
        for index, value in enumerate(values)
        if value is not None
    ]


def pain_svg(pain: PainSummary) -> Markup:
    """A small inline SVG of daily back and leg pain on a fixed 0-10 scale.

    Built from numbers and fixed words only, so it is safe to mark as HTML.
    """
    plot_width = CHART_WIDTH - _LEFT - _RIGHT
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    x_step = plot_width / max(1, len(pain.days) - 1)
    y_scale = plot_height / 10
    parts = [
        f'<svg width="{CHART_WIDTH}" height="{CHART_HEIGHT}"'
        f' viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img"'
        ' aria-label="Daily back and leg pain, 0 to 10" font-size="10" font-family="sans-serif">'
    ]
    for level in (0, 5, 10):
        y = _TOP + (10 - level) * y_scale
        parts.append(
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + plot_width}" y2="{y:.1f}"'
            ' stroke="#ccc" stroke-width="0.5"/>'
            f'<text x="{_LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{level}</text>'
        )
    if pain.days:
        bottom = CHART_HEIGHT - 6
        parts.append(f'<text x="{_LEFT}" y="{bottom}">{_day(pain.days[0])}</text>')
        parts.append(
            f'<text x="{_LEFT + plot_width}" y="{bottom}" text-anchor="end">'
            f"{_day(pain.days[-1])}</text>"
        )
    for row, (site_name, colour, dash) in enumerate(_SITES):
        site = pain.back if site_name == "back" else pain.leg
        points = _points(site.values, x_step, y_scale)
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}"'
                f' stroke-width="1.8"{dash}/>'
            )
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{colour}"/>' for x, y in points
            ]
        y = _TOP + 12 + row * 14
        x = _LEFT + plot_width + 8
        parts.append(
            f'<line x1="{x}" y1="{y - 3}" x2="{x + 14}" y2="{y - 3}" stroke="{colour}"'
            f' stroke-width="2"{dash}/><text x="{x + 18}" y="{y}">{site_name.capitalize()}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def render_report(
    summary: ProgressSummary, generated_at: datetime, *, nav_links: bool = False
) -> str:
    """The report as one self-contained HTML page (A4 print styles, no external requests).

    ``nav_links`` adds a screen-only bar linking back to the browser app (hidden in print).
    """
    template = _environment().get_template("report.html.j2")
    return template.render(
        s=summary,
        generated_at=generated_at,
        pain_chart=pain_svg(summary.pain) if summary.pain.days else Markup(""),
        nprs_rule=NPRS_RULE,
        complete_rule=COMPLETE_RULE,
        pain_days=PAIN_DAYS,
        footer=FOOTER,
        nav_links=nav_links,
    )
