"""Charts as inline SVG: readable without JavaScript, searchable as text, identical bytes every build.

Only numbers and labels Almanac computed go into the drawing, and each is XML-escaped anyway. Colours
come from mkdocs-material's CSS variables, so charts follow the light and dark palettes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, MARGIN, LEGEND = 720, 200, 28, 18
COLOURS = ("var(--md-primary-fg-color, #4051b5)", "var(--md-accent-fg-color, #526cfe)")


def bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]) -> Markup:
    """Grouped bars, one group per label; the first and last labels are written under the axis."""
    if not labels or not series:
        return Markup("")
    peak = max((value for _, values in series for value in values), default=0) or 1
    plot_width, plot_height = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN - LEGEND
    group = plot_width / len(labels)
    bar = max(group / (len(series) + 1), 0.5)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" style="max-width:100%;height:auto">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{MARGIN}" y1="{MARGIN + plot_height}" x2="{WIDTH - MARGIN}" y2="{MARGIN + plot_height}" '
        'stroke="currentColor" stroke-opacity="0.4"/>',
        f'<text x="{MARGIN - 4}" y="{MARGIN + 4}" font-size="10" text-anchor="end" fill="currentColor">{peak}</text>',
    ]
    for index, (name, values) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        for position, value in enumerate(values):
            height = plot_height * value / peak
            x = MARGIN + position * group + bar * (index + 0.5)
            y = MARGIN + plot_height - height
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{colour}">'
                         f"<title>{escape(labels[position])}: {value} {escape(name)}</title></rect>")
        legend_x = MARGIN + index * 180
        parts.append(f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{legend_x + 14}" y="{HEIGHT - 5}" font-size="11" fill="currentColor">'
                     f"{escape(name)}</text>")
    bottom = MARGIN + plot_height + 14
    parts.append(f'<text x="{MARGIN}" y="{bottom}" font-size="10" fill="currentColor">{escape(labels[0])}</text>')
    parts.append(f'<text x="{WIDTH - MARGIN}" y="{bottom}" font-size="10" text-anchor="end" fill="currentColor">'
                 f"{escape(labels[-1])}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def svg_text(text: str) -> Markup:
    """A stranger's text for an SVG's text or attribute: every character but letters, digits and spaces as
    a numeric reference. Safe in XML, in HTML and inline in a Markdown paragraph, where Python-Markdown
    would otherwise read a name's ``_`` or ``*`` as emphasis between the drawing's tags."""
    return Markup("".join(char if char.isascii() and (char.isalnum() or char == " ") else f"&#{ord(char)};"
                          for char in " ".join(text.split())))


def _svg_open(width: float, height: float, label: str, description: str = "", extra: str = "") -> str:
    """The opening of a picture with its text alternative: ``aria-label`` for screen readers, ``<title>``
    for tooltips, ``<desc>`` for the numbers the drawing shows."""
    label_text = svg_text(label)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
            f'height="{height:g}" role="img" aria-label="{label_text}"{extra}><title>{label_text}</title>')
    return head + (f"<desc>{svg_text(description)}</desc>" if description else "")


@dataclass(frozen=True, slots=True)
class ReleasePoint:
    """One release on the cadence timeline: its size is the number of changes it brought."""

    tag: str
    timestamp: int
    date: str
    changes: int
    prerelease: bool = False


def release_cadence(points: Sequence[ReleasePoint]) -> Markup:
    """Releases on a time axis, each a stem as tall as its number of changes (pre-releases hollow): when
    the project releases, and how much each release brought. The table beside it holds the numbers."""
    if not points:
        return Markup("")
    width, height, left, right, top, bottom = 720, 150, 36, 16, 16, 22
    start, end = min(p.timestamp for p in points), max(p.timestamp for p in points)
    span = (end - start) or 1
    peak = max(p.changes for p in points) or 1
    plot_width, plot_height = width - left - right, height - top - bottom
    axis = top + plot_height
    largest = max(points, key=lambda p: (p.changes, p.timestamp))
    description = (f"{len(points)} release{'s' if len(points) != 1 else ''} from {points[0].date} to "
                   f"{points[-1].date}; the largest, {largest.tag}, brought {largest.changes} "
                   f"change{'s' if largest.changes != 1 else ''}.")
    parts = [
        _svg_open(width, height, "Release cadence: releases over time, sized by their number of changes",
                  description, ' class="almanac-chart" style="max-width:100%;height:auto"'),
        f'<line x1="{left}" y1="{axis}" x2="{width - right}" y2="{axis}" stroke="currentColor" '
        'stroke-opacity="0.4"/>',
        f'<text x="{left - 4}" y="{top + 4}" font-size="10" text-anchor="end" fill="currentColor">{peak}</text>',
        f'<text x="{left - 4}" y="{axis}" font-size="10" text-anchor="end" fill="currentColor">0</text>',
    ]
    for point in sorted(points, key=lambda p: (p.timestamp, p.tag)):
        x = left + (plot_width * (point.timestamp - start) / span if end != start else plot_width / 2)
        y = axis - plot_height * point.changes / peak
        colour = COLOURS[1] if point.prerelease else COLOURS[0]
        fill = "none" if point.prerelease else colour
        parts.append(f'<g><title>{svg_text(point.tag)}, {svg_text(point.date)}: {point.changes} '
                     f'change{"s" if point.changes != 1 else ""}</title>'
                     f'<line x1="{x:.1f}" y1="{axis}" x2="{x:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="2"/>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{colour}" stroke-width="2"/></g>')
    below = axis + 16
    parts.append(f'<text x="{left}" y="{below}" font-size="10" fill="currentColor">{svg_text(points[0].date)}</text>')
    if end != start:
        parts.append(f'<text x="{width - right}" y="{below}" font-size="10" text-anchor="end" fill="currentColor">'
                     f"{svg_text(points[-1].date)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def months_back(now: int, count: int) -> list[str]:
    """The ``count`` calendar months (UTC, ``YYYY-MM``) that end with the month of ``now``, oldest first."""
    try:
        moment = datetime.fromtimestamp(now, timezone.utc)
    except (OverflowError, OSError, ValueError):  # a clock set beyond what Python's dates hold: no months
        return []
    index = moment.year * 12 + moment.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def per_month(timestamps: Iterable[int], months: Sequence[str]) -> list[int]:
    """How many of ``timestamps`` fall in each of ``months`` (UTC); others are left out."""
    counts = dict.fromkeys(months, 0)
    first, last = _month_start(months[0]) if months else 0, _month_start(months[-1]) + 32 * 86_400 if months else 0
    for timestamp in timestamps:
        if not first <= timestamp < last:  # also keeps dates Python cannot hold (year 10000) out
            continue
        month = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m")
        if month in counts:
            counts[month] += 1
    return [counts[month] for month in months]


def _month_start(month: str) -> int:
    return int(datetime(int(month[:4]), int(month[5:]), 1, tzinfo=timezone.utc).timestamp())


def sparkline(label: str, months: Sequence[str], values: Sequence[int]) -> Markup:
    """A small bar per month, for a line of text: the shape of someone's activity at a glance."""
    if not months or not any(values):
        return Markup("")
    bar, gap, height = 6, 2, 28
    width = len(months) * (bar + gap)
    peak = max(values)
    busiest = max(range(len(values)), key=lambda i: (values[i], i))
    description = (f"{sum(values)} in the {len(months)} months {months[0]} to {months[-1]}; the most, "
                   f"{values[busiest]}, in {months[busiest]}. "
                   + ", ".join(f"{month}: {value}" for month, value in zip(months, values, strict=True) if value))
    parts = [_svg_open(width, height, label, description, ' class="almanac-sparkline"'),
             f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" stroke="currentColor" '
             'stroke-opacity="0.3"/>']
    for index, (month, value) in enumerate(zip(months, values, strict=True)):
        if value:
            tall = max(1.0, (height - 2) * value / peak)
            parts.append(f'<rect x="{index * (bar + gap)}" y="{height - 1 - tall:.1f}" width="{bar}" '
                         f'height="{tall:.1f}" fill="{COLOURS[0]}"><title>{month}: {value}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))
