"""Release-note sections for commits written in any style, with the rule that decided.

Few model repositories follow Conventional Commits, so a prefix is only the first of several rules;
nothing is ever dropped: what no rule recognises lands in "Other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from generator.model import Commit

_CONVENTIONAL = re.compile(r"^(?P<type>[a-zA-Z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*\S")
_UPPERCASE = re.compile(r"^(?P<prefix>[A-Z]{2,6})\b[:\s]")
_LEADING_NOISE = re.compile(r"^(?:\[[^\]]{1,40}\]\s*|[a-z0-9_/.\-]{1,30}:\s+|[^\w\s\[]+\s*)+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Classification:
    section: str
    #: Which rule decided, shown to maintainers who want to know why a change sits where it does.
    rule: str


@cache
def rules() -> dict[str, Any]:
    text = resources.files("generator").joinpath("data/changes.yml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def classify(commit: Commit) -> Classification:
    config = rules()
    subject = commit.subject
    conventional = _CONVENTIONAL.match(subject)
    if conventional and conventional.group("type").lower() in config["conventional_types"]:
        return Classification(config["conventional_types"][conventional.group("type").lower()], "conventional")
    uppercase = _UPPERCASE.match(subject)
    if uppercase and uppercase.group("prefix") in config["uppercase_prefixes"]:
        return Classification(config["uppercase_prefixes"][uppercase.group("prefix")], "prefix")
    words = _LEADING_NOISE.sub("", subject).split()
    if words:
        first = words[0].lower().strip(".,:;!")
        for section, lexicon in config["first_words"].items():
            if first in lexicon or any(first.startswith(word) for word in lexicon if not word.isascii()):
                return Classification(section, "first word")
    paths = [change.path for change in commit.files]
    if paths and all(any(marker in path for marker in config["documentation_paths"]) for path in paths):
        return Classification("Documentation", "paths")
    if paths and all(any(marker in path for marker in config["dependency_paths"]) for path in paths):
        return Classification("Dependencies", "paths")
    return Classification("Other", "none")


def section_order() -> list[str]:
    return list(rules()["sections"])
