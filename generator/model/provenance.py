"""A fact with the place it came from: the unit every page and export is built of, so that every
number a reader sees can be checked against the file (and key, or line) that states it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fact:
    """A value with the place it came from, so every number on a page can be checked."""

    label: str
    value: str
    source: str
