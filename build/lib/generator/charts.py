"""Charts as inline SVG: readable without JavaScript, searchable as text, identical bytes every build.

Only numbers and labels Almanac computed go into the drawing, and each is XML-escaped anyway. Colours
come from mkdocs-material's CSS variables, so charts follow the light and dark palettes.
"""

from __future__ import annotations

from collections.abc import Sequence
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
