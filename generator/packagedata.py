"""Almanac's own data files (``generator/data/*.yml``): release-note rules, licence fingerprints and
obligations, tool detection rules.

They are ours and trusted, and large enough that PyYAML's pure-Python parser cost a build 0.1 s for the
release-note rules alone: libyaml's C parser reads them when PyYAML was built with it (the wheels on
PyPI are), with the same safe constructors.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def packaged_yaml(name: str) -> Any:
    """The parsed ``generator/data/<name>``; callers cache it and must copy before changing it."""
    text = resources.files("generator").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)
