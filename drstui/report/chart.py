"""Replication lag over time as one inline SVG: no script, no external font or stylesheet.

One line per job (a step line: a lag holds until the next reading), time on the x axis over
the report's window, lag on the y axis from 0 to the largest reading. Coordinates are rounded
so the same data always gives the same bytes (golden tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from drstui.report.model import JobReport
from drstui.report.text import h

WIDTH, PLOT_HEIGHT = 720, 176
LEFT, RIGHT, TOP = 64, 16, 16
LEGEND_PER_ROW, LEGEND_ROW = 4, 16
# Colour-blind-safe (Okabe-Ito), then repeated.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")


def lag_label(ms: float) -> str:
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    return f"{ms / 60_000:.1f} min"


def lag_chart(jobs: Sequence[JobReport], since: datetime, until: datetime) -> str | None:
    """The SVG, or None when no job has a lag reading."""
    series = [job for job in jobs if job.lag]
    if not series:
        return None
    span = max((until - since).total_seconds(), 1.0)
    peak = max(point.lag_ms for job in series for point in job.lag) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, PLOT_HEIGHT
    axis_y = TOP + plot_h
    legend_rows = (len(series) + LEGEND_PER_ROW - 1) // LEGEND_PER_ROW
    height = axis_y + 24 + legend_rows * LEGEND_ROW

    def x(at: datetime) -> float:
        return round(LEFT + plot_w * min(max((at - since).total_seconds() / span, 0.0), 1.0), 1)

    def y(ms: float) -> float:
        return round(TOP + plot_h * (1 - ms / peak), 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">',
        "<title>Replication lag over time</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#999"/>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        level = peak * fraction
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(level)}" y2="{y(level)}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y(level) + 4}" text-anchor="end">{h(lag_label(level))}</text>')
    parts.append(f'<text x="{LEFT}" y="{axis_y + 14}">{h(_clock(since))}</text>')
    parts.append(f'<text x="{LEFT + plot_w}" y="{axis_y + 14}" text-anchor="end">'
                 f'{h(_clock(until))}</text>')
    for index, job in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = sorted(job.lag, key=lambda p: p.at)
        coords: list[str] = []
        for number, point in enumerate(points):
            if number:
                coords.append(f"{x(point.at)},{y(points[number - 1].lag_ms)}")  # hold, then step
            coords.append(f"{x(point.at)},{y(point.lag_ms)}")
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(coords)}">'
                     f"<title>{h(job.name)}</title></polyline>")
        for point in points:
            parts.append(f'<circle cx="{x(point.at)}" cy="{y(point.lag_ms)}" r="2.5" fill="{colour}">'
                         f"<title>{h(job.name)} {h(_clock(point.at))}: {h(lag_label(point.lag_ms))}</title></circle>")
        legend_x = LEFT + (index % LEGEND_PER_ROW) * 160
        legend_y = axis_y + 34 + (index // LEGEND_PER_ROW) * LEGEND_ROW
        parts.append(f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{legend_y}">{h(job.name, 24)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _clock(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%SZ")
