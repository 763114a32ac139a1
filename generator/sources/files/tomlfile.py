"""TOML files of a repository (``pyproject.toml``, ``REUSE.toml``) read on every supported Python."""

from __future__ import annotations

import sys
from typing import Any


def load_toml(text: str) -> dict[str, Any]:
    """TOML as data (tomllib, or tomli on Python 3.10). Malformed TOML raises ``ValueError``, which
    tomllib's ``TOMLDecodeError`` is."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)
