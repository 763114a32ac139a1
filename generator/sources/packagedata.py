"""Almanac's own data files (``generator/data/*.yml``): release-note rules, licence fingerprints and
obligations, tool detection rules.

They are ours and trusted, and large enough that PyYAML's pure-Python parser took 67 ms for the four
of them; libyaml's C parser takes 5.6 ms for the same result. It reads them when PyYAML was built with
it (the wheels on PyPI are), with the same safe constructors.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def packaged_yaml(name: str) -> Any:
    """The parsed ``generator/data/<name>``, afresh on every call: callers that need it often cache it."""
    text = resources.files("generator").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)
