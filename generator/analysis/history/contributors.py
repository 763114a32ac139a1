"""What a project says about its own people: ``contributors.yml``, or an all-contributors file.

git only knows who committed. Projects also want to merge identities git cannot tie together, to
choose how a name is written, to let someone stay unlisted, and to credit work that leaves no commit
(documentation reviews, translations, design): the all-contributors convention. Both files are read
from HEAD; a broken one is reported with its file and line and ignored, never fatal.

``contributors.yml``::

    people:
      - name: 王芳                       # how the name is shown
        aliases:                          # addresses, GitHub logins, or names of the same person
          - wangfang@old.example
          - github:wangfang-docs
          - Fang Wang
        contributions: [doc, translation] # all-contributors types
        listed: false                     # no page and no row; still counted in totals
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml

from generator.analysis.history.identities import Identity
from generator.model.errors import Finding, yaml_error_place
from generator.text.untrusted import load_json, load_yaml

CONTRIBUTORS_FILE = "contributors.yml"
ALL_CONTRIBUTORS_FILE = ".all-contributorsrc"

#: The all-contributors contribution types (https://allcontributors.org/docs/en/emoji-key).
CONTRIBUTION_TYPES = frozenset({
    "a11y", "audio", "blog", "bug", "business", "code", "content", "data", "design", "doc", "eventOrganizing",
    "example", "financial", "fundingFinding", "ideas", "infra", "maintenance", "mentoring", "platform", "plugin",
    "projectManagement", "promotion", "question", "research", "review", "security", "talk", "test", "tool",
    "translation", "tutorial", "userTesting", "video",
})


@dataclass(frozen=True, slots=True)
class ContributorEntry:
    """One person as the project describes them."""

    name: str | None
    #: The identities this person used, as Almanac links identities (address, GitHub login, name).
    identities: tuple[Identity, ...]
    listed: bool = True
    contributions: tuple[str, ...] = ()


def alias_identity(alias: str, name: str) -> Identity:
    """``a@b.org`` → that address; ``github:login`` or ``@login`` → the account's noreply address (the
    form Almanac links logins by); anything else → a name."""
    alias = alias.strip()
    for prefix in ("github:", "@"):
        if alias.startswith(prefix) and alias[len(prefix):]:
            return Identity(name, f"{alias[len(prefix):]}@users.noreply.github.com")
    if "@" in alias:
        return Identity(name, alias)
    return Identity(alias, "")


def parse_contributors_yml(
    text: str, findings: list[Finding], path: str = CONTRIBUTORS_FILE
) -> list[ContributorEntry]:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        findings.append(Finding("not valid YAML; ignored", yaml_error_place(error, path)))
        return []
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("people", []), list):
        findings.append(Finding("expected a mapping with a `people:` list; ignored", path))
        return []
    return _entries(data.get("people") or [], f"{path}: people", findings)


def parse_all_contributors(
    text: str, findings: list[Finding], path: str = ALL_CONTRIBUTORS_FILE
) -> list[ContributorEntry]:
    """The ``contributors`` list of an all-contributors file (JSON): login, name, contribution types."""
    try:
        data = load_json(text)
    except json.JSONDecodeError as error:
        findings.append(Finding(f"not valid JSON ({error.msg}); ignored", f"{path}:{error.lineno}"))
        return []
    people = data.get("contributors") if isinstance(data, dict) else None
    if not isinstance(people, list):
        findings.append(Finding("expected a `contributors` list; ignored", path))
        return []
    items = [{"name": item.get("name"), "aliases": [f"github:{item['login']}"],
              "contributions": item.get("contributions", [])}
             if isinstance(item, dict) and isinstance(item.get("login"), str) else item for item in people]
    return _entries(items, f"{path}: contributors", findings)


def _entries(items: list[Any], where: str, findings: list[Finding]) -> list[ContributorEntry]:
    """Each item as an entry; a bad one is reported by its position (``people[3]``) and skipped."""
    entries = [_entry(item, f"{where}[{number}]", findings) for number, item in enumerate(items, start=1)]
    return [entry for entry in entries if entry is not None]


def _entry(item: Any, where: str, findings: list[Finding]) -> ContributorEntry | None:
    if not isinstance(item, dict):
        findings.append(Finding("expected a mapping with `name`, `aliases`…; skipped", where))
        return None
    name = item.get("name")
    name = str(name).strip() if isinstance(name, (str, int)) and str(name).strip() else None
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        findings.append(Finding("`aliases` must be a list of strings; skipped", where))
        return None
    identities = [alias_identity(alias, name or "") for alias in aliases if alias.strip()]
    if name:
        identities.append(Identity(name, ""))
    if not identities:
        findings.append(Finding("names nobody (no `name` and no `aliases`); skipped", where))
        return None
    contributions = item.get("contributions") or []
    if not isinstance(contributions, list):
        contributions = [contributions]
    unknown = sorted({str(kind) for kind in contributions} - CONTRIBUTION_TYPES)
    if unknown:
        findings.append(Finding(f"unknown contribution types {', '.join(unknown)} kept as written", where, "info"))
    listed = item.get("listed", True)
    return ContributorEntry(
        name=name,
        identities=tuple(dict.fromkeys(identities)),
        listed=listed is not False,
        contributions=tuple(dict.fromkeys(str(kind) for kind in contributions)),
    )


def contributor_entries(files: dict[str, str], findings: list[Finding]) -> list[ContributorEntry]:
    """``contributors.yml`` when present, else ``.all-contributorsrc`` (both given as text by path)."""
    if CONTRIBUTORS_FILE in files:
        return parse_contributors_yml(files[CONTRIBUTORS_FILE], findings)
    if ALL_CONTRIBUTORS_FILE in files:
        return parse_all_contributors(files[ALL_CONTRIBUTORS_FILE], findings)
    return []


def entries_digest(entries: list[ContributorEntry]) -> str:
    """What an analysis depends on, for deciding whether a saved one can be updated."""
    return json.dumps([[e.name, [list(i) for i in e.identities], e.listed, list(e.contributions)] for e in entries],
                      ensure_ascii=False)
