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

from generator.model.errors import AlmanacError, yaml_error_place
from generator.sources.packagedata import packaged_yaml
from generator.text.untrusted import load_yaml

_CONVENTIONAL = re.compile(r"^(?P<type>[a-zA-Z]+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<rest>\S.*)?$")
_UPPERCASE = re.compile(r"^(?P<prefix>[A-Z]{2,6})\b[:\s]\s*(?P<rest>.*)$")
_BRACKET = re.compile(r"^\[(?P<area>[^\]]{1,40})\]\s*(?P<rest>.*)$")
_AREA = re.compile(r"^(?P<area>[a-z0-9_/.\-]{1,30}):\s+(?P<rest>.*)$")
_SYMBOLS = re.compile(r"^[^\w\s\[(\"']+\s*", re.UNICODE)

#: Scopes that say a change is a dependency update whatever its type (``chore(deps): update dependency x``).
_DEPENDENCY_SCOPES = frozenset({"deps", "deps-dev", "dev-deps", "dependencies"})

#: The rules that read a type prefix; the prefix is dropped from the entry when its section says what it said.
_TYPED = frozenset({"conventional", "conventional (era)", "prefix"})

#: Commit styles of an era (see :func:`era_styles`).
CONVENTIONAL, AREA, UPPERCASE, MIXED = "conventional", "area", "uppercase", "mixed"


@dataclass(frozen=True, slots=True)
class Classification:
    section: str
    #: Which rule decided, shown to maintainers who want to know why a change sits where it does.
    rule: str
    component: str | None = None
    #: Why the change may break users, or None.
    breaking: str | None = None
    #: The title without the prefixes that gave its section or component (``fix(tok): x`` → ``x``,
    #: ``FIX x`` → ``x``, ``[core] x`` → ``x``), as git-cliff's ``commit_parsers`` write it; else the
    #: title. A type whose section is "Other" (``chore:``, ``TST``) says more than the section does, so
    #: that title is kept whole.
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
    #: Paths only the project sees (tests, CI, examples): a removal there breaks no user.
    internal_paths: re.Pattern[str]
    #: Words that make a removal internal ("unused", "typo", "tests"…), matched whole, in any case.
    internal_words: re.Pattern[str]
    #: The forms of a breaking removal or rename subject (see :func:`removal_of`).
    removals: tuple[_Removal, ...] = ()

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
        internal_paths=_any_of(data.get("internal_paths", [])),
        internal_words=re.compile(
            r"\b(?:" + "|".join(re.escape(str(word)) for word in data.get("internal_words", [])) + r")\b"
            if data.get("internal_words") else "(?!)", re.IGNORECASE),
        removals=_removal_forms(data),
    )


@cache
def default_rules() -> Rules:
    return _compiled(packaged_yaml("changes.yml"), "changes.yml")


def section_order(rules: Rules | None = None) -> list[str]:
    return (rules or default_rules()).sections


def grammar_of(title: str, rules: Rules | None = None) -> str:
    """Which commit-message grammar a title is written in; counted per release to describe a repo's style.

    Upper-case type prefixes (``FIX``, ``ENH``, ``TST``…, numpy's and PEFT's convention) are one grammar,
    with or without a colon: ``FIX: x`` is that grammar, not Conventional Commits written loudly. Only
    prefixes the rules know count, so ``LLM support`` or ``README update`` is plain.
    """
    config = (rules or default_rules()).data
    uppercase = _UPPERCASE.match(title)
    if uppercase and uppercase.group("prefix") in config["uppercase_prefixes"]:
        return "uppercase prefix"
    conventional = _CONVENTIONAL.match(title)
    if conventional and conventional.group("type").lower() in config["conventional_types"]:
        return "conventional"
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
        if (component or "").strip().lower() in _DEPENDENCY_SCOPES:  # Renovate's and Dependabot's chore(deps):
            section, rule = "Dependencies", "conventional"
    elif conventional and style == CONVENTIONAL and kind in rules.first_words and conventional.group("rest"):
        section, rule = rules.first_words[kind], "conventional (era)"
        component, bang = conventional.group("scope"), bool(conventional.group("bang"))
        rest = conventional.group("rest")
    elif (uppercase := _UPPERCASE.match(title)) and uppercase.group("prefix") in config["uppercase_prefixes"]:
        section, rule = config["uppercase_prefixes"][uppercase.group("prefix")], "prefix"
        rest, kind = uppercase.group("rest"), uppercase.group("prefix")
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
        breaking=_breaking(title, body, paths, bang, rules, rest, {kind.lower(), (component or "").strip().lower()}),
        summary=rest.strip() if rest.strip() and (section != "Other" if rule in _TYPED else component) else title,
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
    in the opposite case, ``uppercase`` when upper-case type prefixes (``FIX``, ``ENH``) are that share
    and outnumber both, and ``mixed`` otherwise. Windows count from the oldest change, so new commits only
    ever change the newest era.
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
        grammars = [grammar_of(title, rules) for title in window]
        conventional, area = grammars.count("conventional"), grammars.count("area:")
        uppercase = grammars.count("uppercase prefix")
        style = MIXED
        if uppercase >= share * len(window) and uppercase > max(conventional, area):
            style = UPPERCASE
        elif conventional >= share * len(window) and conventional > area:
            style = CONVENTIONAL
        elif area >= share * len(window) and area > conventional:
            style = AREA
        styles += [style] * len(window)
    return styles


def _breaking(
    title: str, body: str, paths: Sequence[str], bang: bool, rules: Rules, rest: str, prefixes: set[str]
) -> str | None:
    """Why a change breaks its users, from evidence only: a marker its author wrote or a removal it names.

    Words alone are not evidence: "Fix … deprecation warning" deprecates nothing and "Remove unused
    import" breaks no one. The markers are Conventional Commits' ``type!:`` and ``BREAKING CHANGE:``
    footer and a ``[breaking]`` tag; the subject is a removal or rename only when its verb starts the
    text after the classifying prefix and it names the interface (see :func:`removal_of`).
    """
    if bang:
        return "`!` in the type"
    if "BREAKING" in body and _FOOTER.search(body):
        return "BREAKING CHANGE footer"
    if _BREAKING_TAG.search(title):
        return "tagged “breaking” in the title"
    lowered = f"{title}\n{body}".lower()
    for hint, pattern, reason in rules.breaking:
        if hint in lowered and pattern.search(f"{title}\n{body}"):
            return reason
    if prefixes & {str(prefix).lower() for prefix in rules.data.get("not_breaking_prefixes", ())}:
        return None
    if paths and all(rules.documentation_paths.search(path) or rules.internal_paths.search(path) for path in paths):
        return None
    return removal_of(rest, rules)


#: ``BREAKING CHANGE:`` or ``BREAKING-CHANGE:`` starting a line of the body, as the Conventional Commits
#: specification writes the footer (upper case, a description after it).
_FOOTER = re.compile(r"^BREAKING[ -]CHANGE:[ \t]*\S", re.MULTILINE)
_BREAKING_TAG = re.compile(r"^\s*\[breaking\]", re.IGNORECASE)
#: A name from code: ``snake_case``, ``call()``, or a dotted path (``pkg.module``; files are told apart later).
_CODE_NAME = r"(?:[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?:\(\))?|[A-Za-z_]\w*\(\)|[A-Za-z]\w*(?:\.[A-Za-z_]\w*)+)"
_QUOTED = r"`[^`\s][^`]{0,80}`"
#: Where a named object ends: the end of the subject, a clause ("from", "in favour of", "since"…) or punctuation.
_CLAUSE = r"(?=[.!]?$|[,;:(]| and | from | in | since | because | as | for | with | to )"
_FILE = re.compile(r"\.(?:py|sh|md|rst|txt|json|ya?ml|toml|cfg|ini|ipynb|png|jpe?g|gif|pdf|html?|js|css|lock)`?$",
                   re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Removal:
    """One form of a removal or rename subject, and how its reason is written."""

    pattern: re.Pattern[str]
    reason: str


def removal_of(text: str, rules: Rules | None = None) -> str | None:
    """Why ``text`` (a title after its type prefix) breaks users by removing or renaming a named interface.

    The verb must start the text and the object must be named: support for something
    (``Drop support for Python 3.8``, ``Drop Python 3.8 support``, ``Drop Python 3.8``), something
    deprecated (``Remove deprecated Bone method``), a thing of a known kind (``Remove the foo argument``,
    ``Remove method bar``), a name in backticks or from code (``snake_case``, ``call()``, ``pkg.module``).
    Removals of what only the project sees (unused, duplicate, typo, tests, docs, CI, files…) and of
    private names (``_helper``) are not breaking. A rename needs the new name (``Rename X to Y``).
    """
    rules = rules or default_rules()
    text = " ".join(text.split())
    if not text or rules.internal_words.search(text):
        return None
    for form in rules.removals:
        match = form.pattern.match(text)
        if match is None:
            continue
        obj = match.group("object").strip()
        if obj.strip("`").startswith("_") or _FILE.search(obj):
            return None
        new = match.groupdict().get("new") or ""
        if len(obj) > 80:
            obj = obj[:79] + "…"
        return form.reason.format(object=obj, new=new)
    return None


def _removal_forms(data: dict[str, Any]) -> tuple[_Removal, ...]:
    """The grammar of :func:`removal_of`, from the verbs and kinds of things named in the rules."""
    removes = "|".join(re.escape(str(verb)) for verb in data.get("removal_verbs", []))
    renames = "|".join(re.escape(str(verb)) for verb in data.get("rename_verbs", []))
    kinds = "|".join(re.escape(str(kind)) for kind in data.get("interface_kinds", []))
    forms: list[tuple[str, str]] = []
    named = rf"(?:{_QUOTED}|{_CODE_NAME}|[A-Za-z][\w.-]*|--?[A-Za-z][\w-]*)"
    kinded = rf"(?:{named} (?:{kinds})s?|(?:{kinds})s? (?:{_QUOTED}|{_CODE_NAME}))" if kinds else "(?!)"
    versioned = r"[A-Za-z][\w+-]*(?: [A-Za-z][\w+-]*)? (?:[<>]=?\s?)?v?\d+(?:\.\d+)*\+?"
    if removes:
        verb = rf"^(?:{removes}) (?:the )?"
        forms += [
            (rf"{verb}support (?:for|of) (?P<object>[^,;()]{{2,80}}?){_CLAUSE}", "drops support for {object}"),
            (rf"{verb}(?:support (?:for|of) )?(?P<object>{versioned})(?: support)?{_CLAUSE}",
             "drops support for {object}"),
            (rf"{verb}(?P<object>[^,;()]{{2,60}}?) support{_CLAUSE}", "drops support for {object}"),
            (rf"{verb}(?:previously )?deprecated (?P<object>[^,;()]{{1,80}}?){_CLAUSE}", "removes deprecated {object}"),
            (rf"{verb}(?P<object>{kinded}|{_QUOTED}|{_CODE_NAME}){_CLAUSE}", "removes {object}"),
        ]
    if renames:
        forms.append((rf"^(?:{renames}) (?:the )?(?P<object>{kinded}|{_QUOTED}|{_CODE_NAME})"
                      rf" (?:to|->|→|=>) (?P<new>{_QUOTED}|[^\s,;()]+){_CLAUSE}", "renames {object} to {new}"))
    return tuple(_Removal(re.compile(pattern, re.IGNORECASE), reason) for pattern, reason in forms)
