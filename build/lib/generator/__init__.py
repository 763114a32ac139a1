"""Almanac's library: a model repository in, a knowledge model and Markdown pages out.

Nothing here imports MkDocs, so the same pages can feed any static-site generator
(``almanac write``); the MkDocs adapter lives in :mod:`site_plugins`.

The names below are imported on first use: importing one module of the package (the MkDocs plugin
does, on every build) must not load all of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "AlmanacError": "generator.errors",
    "Finding": "generator.errors",
    "BuildOptions": "generator.knowledge",
    "build_knowledge": "generator.knowledge",
    "Commit": "generator.model",
    "Knowledge": "generator.model",
    "Person": "generator.model",
    "Release": "generator.model",
    "render_pages": "generator.pages",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
