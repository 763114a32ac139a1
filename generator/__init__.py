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
    "AlmanacError": "generator.model.errors",
    "Finding": "generator.model.errors",
    "BuildOptions": "generator.build",
    "build_knowledge": "generator.build",
    "Commit": "generator.model.knowledge",
    "Knowledge": "generator.model.knowledge",
    "Person": "generator.model.knowledge",
    "Release": "generator.model.knowledge",
    "render_pages": "generator.render.pages",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
