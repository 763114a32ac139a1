"""File names for pages about people, tags and models: stable, unique, and unable to escape a folder.

A name is chosen by a stranger; the slug must never be empty, never contain a path separator or
``..``, never collide with another person's page on a case-insensitive file system, and never be a
device name Windows refuses (``con``, ``nul``…). Nor may it carry an e-mail address into a URL: a
person known only as ``jane.doe@bigcorp.example`` gets a neutral ``person-<hash>`` page.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from generator.text.addresses import EMAIL_PLACEHOLDER, UNNAMED, without_addresses

MAX_LENGTH = 60
_NOT_WORD = re.compile(r"[^\w.]+", re.UNICODE)
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def slugify(text: str, *, fallback_prefix: str = "item", fallback_basis: str | None = None) -> str:
    """``"José García"`` → ``"josé-garcía"``; letters of every script are kept (``"张伟"`` stays).

    Addresses are dropped first. With nothing left to spell, the slug is ``fallback_prefix`` and a
    short hash of ``fallback_basis`` (else of ``text``): stable, and distinct for distinct bases.
    """
    # Addresses (user@host counts, as in a name), the placeholder of a hidden one and UNNAMED spell nothing.
    normalised = without_addresses(unicodedata.normalize("NFKC", text))
    normalised = normalised.replace(EMAIL_PLACEHOLDER, " ").replace(UNNAMED, " ").casefold()
    slug = _NOT_WORD.sub("-", normalised).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-.")
    if not slug:
        return f"{fallback_prefix}-{_short_hash(text if fallback_basis is None else fallback_basis)}"
    if len(slug) > MAX_LENGTH:
        slug = f"{slug[:MAX_LENGTH].rstrip('-.')}-{_short_hash(text)}"
    if slug.split(".")[0] in _WINDOWS_RESERVED:
        slug = f"{slug}-"
    return slug


class SlugRegistry:
    """Hands out unique slugs; call :meth:`claim` in a stable order so suffixes are stable too."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, text: str, *, fallback_prefix: str = "item", fallback_basis: str | None = None) -> str:
        base = slugify(text, fallback_prefix=fallback_prefix, fallback_basis=fallback_basis)
        slug, number = base, 1
        while slug.casefold() in self._taken:
            number += 1
            slug = f"{base}-{number}"
        self._taken.add(slug.casefold())
        return slug
