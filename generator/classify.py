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
from pathlib import Path
from typing import Any

import yaml

from generator.errors import AlmanacError, yaml_error_place
from generator.packagedata import packaged_yaml
from generator.untrusted import load_yaml

_CONVENTIONAL = re.compile(r"^(?P<type>[a-zA-Z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<rest>\S.*)?$")
_UPPERCASE = re.compile(r"^(?P<prefix>[A-Z]{2,6})\b[:\s]\s*(?P<rest>.*)$")
_BRACKET = re.compile(r"^\[(?P<area>[^\]]{1,40})\]\s*(?P<rest>.*)$")
_AREA = re.compile(r"^(?P<area>[a-z0-9_/.\-]{1,30}):\s+(?P<rest>.*)$")
_SYMBOLS = re.compile(r"^[^\w\s\[(\"']+\s*", re.UNICODE)

#: Commit styles of an era (see :func:`era_styles`).
CONVENTIONAL, AREA, MIXED = "conventional", "area", "mixed"


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
    """The classification rules, loaded once: the packaged file, optionally overridden by the user's.

    The lookups are compiled once (a word table, one alternation per path list and for all breaking
    phrases), because a 50 000-change history classifies every change.
    """

    data: dict[str, Any]
    #: (hint, expression, reason): the expression is tried only when the hint is in the lower-cased text.
    breaking: tuple[tuple[str, re.Pattern[str], str], ...]
    first_words: dict[str, str]
    #: Words of scripts without spaces (Chinese) match as prefixes: "修复分词器" starts with "修复".
    first_word_prefixes: tuple[tuple[str, str], ...]
    documentation_paths: re.Pattern[str]
    dependency_paths: re.Pattern[str]
    breaking_paths: re.Pattern[str]

    @property
    def sections(self) -> list[str]:
        return list(self.data["sections"])


def _any_of(markers: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(marker) for marker in markers) or "(?!)")


def load_rules(override: Path | None = None) -> Rules:
    """The packaged rules with a user's YAML file merged over them (mappings merged, lists replaced)."""
    if override is None:
        return default_rules()
    try:
        user = load_yaml(override.read_text(encoding="utf-8"))
    except OSError as error:
        raise AlmanacError(f"{override}: cannot read the changelog rules ({error.strerror})") from error
    except yaml.YAMLError as error:
        where = yaml_error_place(error, str(override))
        raise AlmanacError(f"{where}: changelog rules are not valid YAML") from error
    if not isinstance(user, dict):
        raise AlmanacError(f"{override}: changelog rules must be a mapping of rule names to values")
    data: dict[str, Any] = packaged_yaml("changes.yml")
    for key, value in user.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return _compiled(data, str(override))


def _compiled(data: dict[str, Any], origin: str) -> Rules:
    try:
        breaking = tuple(
            (str(entry.get("hint", "")).lower(), re.compile(str(entry["pattern"]), re.IGNORECASE), str(entry["reason"]))
            for entry in data.get("breaking_phrases", [])
        )
        words = [(str(word), section) for section, lexicon in data["first_words"].items() for word in lexicon]
    except (re.error, KeyError, TypeError, AttributeError) as error:
        raise AlmanacError(f"{origin}: a rule is not valid ({error})") from error
    first_words: dict[str, str] = {}
    for word, section in words:
        first_words.setdefault(word, section)
    return Rules(
        data=data,
        breaking=breaking,
        first_words=first_words,
        first_word_prefixes=tuple((word, section) for word, section in words if not word.isascii()),
        documentation_paths=_any_of(data.get("documentation_paths", [])),
        dependency_paths=_any_of(data.get("dependency_paths", [])),
        breaking_paths=re.compile(
            r"(?:^|/)(?:" + "|".join(re.escape(m) for m in data.get("breaking_paths", [])) + r")[^/]*$"
            if data.get("breaking_paths") else "(?!)"
        ),
    )


@cache
def default_rules() -> Rules:
    return _compiled(packaged_yaml("changes.yml"), "changes.yml")


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
        return "emoji or symbol"
    return "plain"


def classify(
    title: str, body: str = "", paths: Sequence[str] = (), rules: Rules | None = None, style: str = MIXED
) -> Classification:
    """The section, component and breaking-change reason of one change.

    ``style`` is the commit style of the change's era (see :func:`era_styles`). It settles the one
    ambiguous form, ``word: message``: in a Go-style era (``AREA``) a prefix that is also a chore-like
    Conventional Commits type (``build``, ``ci``, ``test``…) names an area and the verb decides; in a
    Conventional Commits era a prefix that is a known verb (``fixed:``, ``add:``) is read as a type.
    """
    rules = rules or default_rules()
    config = rules.data
    section, rule, component, rest, bang = None, "none", None, title, False
    conventional = _CONVENTIONAL.match(title)
    kind = conventional.group("type").lower() if conventional else ""
    as_area = style == AREA and config["conventional_types"].get(kind) == "Other" and conventional is not None and \
        not conventional.group("scope") and not conventional.group("bang")
    if conventional and kind in config["conventional_types"] and not as_area:
        section, rule = config["conventional_types"][kind], "conventional"
        component, bang = conventional.group("scope"), bool(conventional.group("bang"))
        rest = conventional.group("rest") or ""
    elif conventional and style == CONVENTIONAL and kind in rules.first_words and conventional.group("rest"):
        section, rule = rules.first_words[kind], "conventional (era)"
        component, bang = conventional.group("scope"), bool(conventional.group("bang"))
        rest = conventional.group("rest")
    elif (uppercase := _UPPERCASE.match(title)) and uppercase.group("prefix") in config["uppercase_prefixes"]:
        section, rule = config["uppercase_prefixes"][uppercase.group("prefix")], "prefix"
        rest = uppercase.group("rest")
    else:
        rest = _SYMBOLS.sub("", title)
        while (area := _BRACKET.match(rest) or _AREA.match(rest)) is not None:
            component = component or area.group("area").strip()
            rest = area.group("rest")
    if section is None:
        words = rest.split(maxsplit=1)
        first = words[0].lower().strip(".,:;!") if words else ""
        section = rules.first_words.get(first) if first else None
        if section is None and first and not first.isascii():
            section = next((name for word, name in rules.first_word_prefixes if first.startswith(word)), None)
        if section is not None:
            rule = "first word"
    if section is None and as_area:
        section, rule = "Other", "area (era)"
    if section is None and paths:
        if all(rules.documentation_paths.search(path) for path in paths):
            section, rule = "Documentation", "paths"
        elif all(rules.dependency_paths.search(path) for path in paths):
            section, rule = "Dependencies", "paths"
    return Classification(
        section=section or "Other",
        rule=rule,
        component=component.strip() or None if component else None,
        breaking=_breaking(title, body, paths, bang, rules),
        summary=rest.strip() or title,
    )


@dataclass(frozen=True, slots=True)
class Era:
    """A stretch of history written in one commit style, shown on the releases index."""

    style: str
    first: int
    last: int
    changes: int


def era_styles(titles: Sequence[str], rules: Rules | None = None) -> list[str]:
    """The commit style of each title's era, for titles in chronological order.

    History is cut into windows of ``era_size`` consecutive changes (a last window of half a size or less joins the one
    before it, so one new commit cannot flip a style). A window is ``conventional`` when at least
    ``era_share`` of its titles use Conventional Commits and they outnumber ``area:`` titles, ``area``
    in the opposite case, and ``mixed`` otherwise. Windows count from the oldest change, so new commits
    only ever change the newest era.
    """
    config = (rules or default_rules()).data
    size = max(1, int(config.get("era_size", 200)))
    share = float(config.get("era_share", 0.25))
    bounds = list(range(0, len(titles), size))
    if len(bounds) > 1 and len(titles) - bounds[-1] <= size // 2:
        bounds.pop()
    styles: list[str] = []
    for number, start in enumerate(bounds):
        window = titles[start: bounds[number + 1] if number + 1 < len(bounds) else len(titles)]
        grammars = [grammar_of(title) for title in window]
        conventional, area = grammars.count("conventional"), grammars.count("area:")
        style = MIXED
        if conventional >= share * len(window) and conventional > area:
            style = CONVENTIONAL
        elif area >= share * len(window) and area > conventional:
            style = AREA
        styles += [style] * len(window)
    return styles


def _breaking(title: str, body: str, paths: Sequence[str], bang: bool, rules: Rules) -> str | None:
    if bang:
        return "marked with !"
    text = f"{title}\n{body}"
    lowered = text.lower()
    for hint, pattern, reason in rules.breaking:
        if hint in lowered and pattern.search(text):
            return reason
    if any(rules.breaking_paths.search(path) for path in paths):
        return "touches the migration guide"
    return None
