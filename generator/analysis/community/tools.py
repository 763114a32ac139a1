"""The tools a repository uses (CI, linters, experiment tracking, model formats…), from its files.

Recognition rules are data (``generator/data/tools.yml``): file paths matched by glob, and words
found in the few dependency and configuration files read at HEAD. Each tool found keeps the file
that gave it away, so the page says why Almanac thinks the project uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import translate
from functools import cache
from typing import Any

from generator.analysis.community.workflows import Workflow, describe_workflows
from generator.sources.packagedata import packaged_yaml

#: The small files read to recognise tools and to find the install and test commands.
_CONFIG = re.compile(
    r"^(pyproject\.toml|setup\.cfg|setup\.py|environment\.ya?ml|Makefile|\.gitattributes|\.gitlab-ci\.yml"
    r"|\.pre-commit-config\.yaml|(requirements[^/]*|requirements/[^/]+)\.(txt|in)|\.github/workflows/[^/]+\.ya?ml"
    r"|CONTRIBUTING(\.md)?|\.github/CONTRIBUTING\.md|docs/CONTRIBUTING\.md|(\.github/|docs/)?CODEOWNERS|README\.md)$")
#: Documents read for the commands they state, not searched for tool mentions (a README that names
#: PyTorch in a sentence does not make the project use it).
_PROSE = re.compile(r"^(README\.md|CONTRIBUTING(\.md)?|\.github/CONTRIBUTING\.md|docs/CONTRIBUTING\.md)$")


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    group: str
    what: str
    link: str
    #: The file that shows it (``pyproject.toml mentions wandb``, ``.github/workflows/ci.yml``).
    evidence: str
    #: For GitHub Actions: each workflow, described from its own ``on:`` and jobs.
    workflows: tuple[Workflow, ...] = ()


def is_config_file(path: str) -> bool:
    return bool(_CONFIG.match(path))


@cache
def _rules() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = packaged_yaml("tools.yml")
    return loaded


@cache
def _matchers() -> list[tuple[dict[str, Any], re.Pattern[str] | None, list[tuple[str, re.Pattern[str]]]]]:
    """Each rule with its path globs as one regex (``fnmatchcase``'s own translation) and its words as
    patterns, compiled once: detection asks them of every path of the tree."""
    return [(rule,
             re.compile("|".join(f"(?:{translate(glob)})" for glob in rule["paths"])) if rule.get("paths") else None,
             [(word, re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE))
              for word in rule.get("mentions", ())])
            for rule in _rules()]


def detect_tools(paths: list[str], texts: dict[str, str]) -> list[Tool]:
    """Every tool whose files or mentions the repository has, grouped in the data file's order."""
    found = []
    ordered_texts = sorted((path, text) for path, text in texts.items() if not _PROSE.match(path))
    for rule, path_pattern, mentions in _matchers():
        evidence = next((path for path in paths if path_pattern.match(path)), None) if path_pattern else None
        if evidence is None:
            for word, pattern in mentions:
                where = next((path for path, text in ordered_texts if pattern.search(text)), None)
                if where is not None:
                    evidence = f"{where} mentions {word}"
                    break
        if evidence is not None:
            workflows = tuple(describe_workflows(texts)) if rule.get("workflows") else ()
            found.append(Tool(rule["name"], rule["group"], rule["what"], rule["link"], evidence, workflows))
    groups = list(dict.fromkeys(rule["group"] for rule in _rules()))
    return sorted(found, key=lambda tool: groups.index(tool.group))
