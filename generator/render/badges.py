"""Badges like shields.io's, drawn here: a fact in two halves, label and value, as inline SVG.

Nothing is fetched (a badge service would learn every reader of the site, and a build must not need the
network). Text widths are estimated from character counts, so the same fact gives the same bytes on
every machine; ``textLength`` makes the browser fit the text to that width whatever the font.
Colours are mkdocs-material's variables: the badge follows the light and dark palettes.
"""

from __future__ import annotations

import unicodedata

from markupsafe import Markup

from generator.render.charts import svg_text

HEIGHT, PAD = 20, 6


def text_width(text: str) -> int:
    """Pixels of ``text`` at 11 px, near enough: wide (East Asian) characters count twice."""
    return sum(13 if unicodedata.east_asian_width(char) in "WF" else 7 for char in text)


def badge(label: str, value: str) -> Markup:
    """One badge; ``aria-label`` and ``<title>`` say ``label: value``."""
    label_width, value_width = text_width(label) + 2 * PAD, text_width(value) + 2 * PAD
    width = label_width + value_width
    both = svg_text(f"{label}: {value}")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" '
        f'role="img" aria-label="{both}" class="almanac-badge"><title>{both}</title>'
        f'<rect width="{label_width}" height="{HEIGHT}" rx="3" fill="var(--md-default-fg-color--light, #555)"/>'
        f'<rect x="{label_width}" width="{value_width}" height="{HEIGHT}" rx="3" '
        'fill="var(--md-primary-fg-color, #4051b5)"/>'
        '<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{PAD}" y="14" textLength="{label_width - 2 * PAD}" '
        f'fill="var(--md-default-bg-color, #fff)">{svg_text(label)}</text>'
        f'<text x="{label_width + PAD}" y="14" textLength="{value_width - 2 * PAD}" '
        f'fill="var(--md-primary-bg-color, #fff)">{svg_text(value)}</text></g></svg>'
    )
