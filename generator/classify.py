"""Release-note sections for changes written in any style, with the rule that decided.

Few model repositories follow Conventional Commits (0.5–9% of subjects on typical LLM repos), so a
prefix is only the first of several rules: uppercase prefixes (``FIX``, ``ENH``), ``[Area]`` brackets,
Go-style ``area: message``, then the first word, then the paths touched. Nothing is ever dropped:
what no rule recognises lands in "Other". Rules are data (``data/changes.yml``) and can be overridden.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from generator.errors import AlmanacError

_CONVENTIONAL = re.compile(r"^(?P<type>[a-zA-Z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<rest>\S.*)?$")
_UPPERCASE = re.compile(r"^(?P<prefix>[A-Z]{2,6})\b[:\s]\s*(?P<rest>.*)$")
_BRACKET = re.compile(r"^\[(?P<area>[^\]]{1,40})\]\s*(?P<rest>.*)$")
_AREA = re.compile(r"^(?P<area>[a-z0-9_/.\-]{1,30}):\s+(?P<rest>.*)$")
_SYMBOLS = re.compile(r"^[^\w\s\[(\"']+\s*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Classification:
    section: str
    #: Which rule decided, shown to maintainers who want to know why a change sits where it does.
    rule: str
    component: str | None = None
    #: Why the change may break users, or None.
    breaking: str | None = None
    #: The title without the prefixes that gave its section or component (``fix(tok): x`` → ``x``).
    summary: str = ""


@dataclass(frozen=True)
class Rules:
    """The classification rules, loaded once: the packaged file, optionally overridden by the user's."""

    data: dict[str, Any]
    breaking: tuple[tuple[re.Pattern[str], str], ...]

    @property
    def sections(self) -> list[str]:
        return list(self.data["sections"])


def _packaged() -> dict[str, Any]:
    text = resources.files("generator").joinpath("data/changes.yml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def load_rules(override: Path | None = None) -> Rules:
    """The packaged rules with a user's YAML file merged over them (mappings merged, lists replaced)."""
    data = _packaged()
    if override is not None:
        try:
            user = yaml.safe_load(override.read_text(encoding="utf-8"))
        except OSError as error:
            raise AlmanacError(f"{override}: cannot read the changelog rules ({error.strerror})") from error
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"{override}:{mark.line + 1}" if mark is not None else str(override)
            raise AlmanacError(f"{where}: changelog rules are not valid YAML") from error
        if not isinstance(user, dict):
            raise AlmanacError(f"{override}: changelog rules must be a mapping of rule names to values")
        for key, value in user.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
    try:
        breaking = tuple((re.compile(entry["pattern"], re.IGNORECASE), str(entry["reason"]))
                         for entry in data.get("breaking_phrases", []))
    except (re.error, KeyError, TypeError) as error:
        raise AlmanacError(f"{override or 'changes.yml'}: a breaking_phrases entry is not valid ({error})") from error
    return Rules(data=data, breaking=breaking)


@cache
def default_rules() -> Rules:
    return load_rules()


def section_order(rules: Rules | None = None) -> list[str]:
    return (rules or default_rules()).sections


def grammar_of(title: str) -> str:
    """Which commit-message grammar a title is written in; counted per release to describe a repo's style."""
    conventional = _CONVENTIONAL.match(title)
    if conventional and conventional.group("type").lower() in default_rules().data["conventional_types"]:
        return "conventional"
    if _UPPERCASE.match(title):
        return "uppercase prefix"
    if _BRACKET.match(title):
        return "[area]"
    if _AREA.match(title):
        return "area:"
    if _SYMBOLS.match(title):
        return "emoji"
    return "plain"


def classify(title: str, body: str = "", paths: Sequence[str] = (), rules: Rules | None = None) -> Classification:
    """The section, component and breaking-change reason of one change."""
    rules = rules or default_rules()
    config = rules.data
    section, rule, component, rest, bang = None, "none", None, title, False
    conventional = _CONVENTIONAL.match(title)
    if conventional and conventional.group("type").lower() in config["conventional_types"]:
        section, rule = config["conventional_types"][conventional.group("type").lower()], "conventional"
        component, bang = conventional.group("scope"), bool(conventional.group("bang"))
        rest = conventional.group("rest") or ""
    elif (uppercase := _UPPERCASE.match(title)) and uppercase.group("prefix") in config["uppercase_prefixes"]:
        section, rule = config["uppercase_prefixes"][uppercase.group("prefix")], "prefix"
        rest = uppercase.group("rest")
    else:
        rest = _SYMBOLS.sub("", title)
        while (area := _BRACKET.match(rest) or _AREA.match(rest)) is not None:
            component = component or area.group("area").strip()
            rest = area.group("rest")
    if section is None:
        words = rest.split()
        first = words[0].lower().strip(".,:;!") if words else ""
        for name, lexicon in config["first_words"].items():
            if first and (first in lexicon or any(first.startswith(w) for w in lexicon if not w.isascii())):
                section, rule = name, "first word"
                break
    if section is None and paths:
        if all(any(marker in path for marker in config["documentation_paths"]) for path in paths):
            section, rule = "Documentation", "paths"
        elif all(any(marker in path for marker in config["dependency_paths"]) for path in paths):
            section, rule = "Dependencies", "paths"
    return Classification(
        section=section or "Other",
        rule=rule,
        component=component.strip() or None if component else None,
        breaking=_breaking(title, body, paths, bang, rules),
        summary=rest.strip() or title,
    )


def _breaking(title: str, body: str, paths: Sequence[str], bang: bool, rules: Rules) -> str | None:
    if bang:
        return "marked with !"
    text = f"{title}\n{body}"
    for pattern, reason in rules.breaking:
        if pattern.search(text):
            return reason
    if any(any(marker in path.rsplit("/", 1)[-1] for marker in rules.data.get("breaking_paths", [])) for path in paths):
        return "touches the migration guide"
    return None
