"""Avatars for the contributors wall: a person's initials in a circle, or their GitHub picture.

A remote picture tells GitHub who reads the page, so it is shown only where the site allows images
from ``avatars.githubusercontent.com`` (the plugin's ``image_hosts``); everyone else, and everyone
without a known GitHub id, gets initials drawn here. The circle's colour comes from a hash of the
person's key, so it is the same on every build and machine, and differs between people.
"""

from __future__ import annotations

import hashlib
from html import escape

from markupsafe import Markup

from generator.render.charts import svg_text
from generator.text.safetext import escape_inline

AVATAR_HOST = "avatars.githubusercontent.com"
SIZE = 48


def initials(name: str) -> str:
    """Up to two letters: the first of the first and last words, or the first character of a name
    written without spaces (``李娜`` → ``李``); ``?`` when the name has no letter at all."""
    words = [word for word in name.replace("-", " ").replace("_", " ").split() if any(c.isalnum() for c in word)]
    if not words:
        return "?"
    chosen = (words[0], words[-1]) if len(words) > 1 else (words[0],)
    return "".join(next(c for c in word if c.isalnum()) for word in chosen).upper()


def hue(key: str) -> int:
    """A hue from 0 to 359, fixed for a key."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:2], "big") % 360


def initials_avatar(name: str, key: str, size: int = SIZE) -> Markup:
    """A circle with the initials; mid lightness and white letters read on light and dark pages alike."""
    half = size / 2
    label = svg_text(name)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{label}" class="almanac-avatar"><title>{label}</title>'
        f'<circle cx="{half:g}" cy="{half:g}" r="{half:g}" fill="hsl({hue(key)}, 45%, 40%)"/>'
        f'<text x="{half:g}" y="{half:g}" dy="0.35em" text-anchor="middle" font-size="{size * 0.4:g}" '
        f'font-family="sans-serif" fill="#fff">{svg_text(initials(name))}</text></svg>'
    )


def remote_avatar(name: str, url: str, size: int = SIZE) -> Markup:
    """The GitHub picture as an ``<img>``, lazily loaded, its alt text the person's name. ``url`` is
    :attr:`~generator.model.knowledge.Person.avatar_url`, made of a numeric id: HTML escaping is all it needs."""
    return Markup(f'<img src="{escape(url)}&amp;s={size * 2}" alt="{escape_inline(name)}" width="{size}" '
                  f'height="{size}" loading="lazy" class="almanac-avatar">')
