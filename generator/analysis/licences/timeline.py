"""The licences of a repository over time: when each licence file appeared, changed or went away.

Licences change under a project's feet (a relicensing, a new use policy, a file split into code and
weights licences); users of an old release are bound by the licence of that release. The timeline
comes from the history walk, which already records the commits that touched each licence file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from generator.model.knowledge import Knowledge
from generator.sources.files.filekinds import LICENCE, file_kind
from generator.sources.packagedata import packaged_yaml
from generator.text.clean import decode_git_bytes


@dataclass(frozen=True, slots=True)
class LicenceEvent:
    timestamp: int
    utc_offset: int
    path: str
    #: ``added``, ``changed`` or ``removed``, made precise when the texts were compared
    #: (``copyright line changed``, ``clauses added``, ``replaced by another text``…).
    change: str
    sha: str
    subject: str
    #: The release that first shipped this state of the file, or None while unreleased.
    release: str | None


def licence_commits(knowledge: Knowledge) -> list[tuple[str, str]]:
    """(commit, licence path) for every commit that touched a licence file: what to compare."""
    return sorted((sha, path) for path, shas in knowledge.page_commits.items() if file_kind(path) == LICENCE
                  for sha in shas if sha in knowledge.rows)


#: A year, a range or a list of them ("2023", "2023-2025", "2019, 2021"): what a year bump edits.
_YEARS = re.compile(r"\b(?:19|20)\d{2}(?:\s*[-–,]\s*(?:19|20)\d{2})*\b")


def change_kind(before: bytes | None, after: bytes | None) -> str:
    """What a commit did to a licence text, from the two versions (None: the file did not exist)."""
    if before is None:
        return "added"
    if after is None:
        return "removed"
    old, new = (" ".join(decode_git_bytes(text).split()) for text in (before, after))
    if old == new:
        return "reformatted"
    if _YEARS.sub("YEAR", old) == _YEARS.sub("YEAR", new):
        return "copyright years changed"
    old_words, new_words = old.split(), new.split()
    if difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).ratio() < 0.5:
        return "replaced by another text"
    old_lines = {line.strip() for line in decode_git_bytes(before).splitlines() if line.strip()}
    new_lines = {line.strip() for line in decode_git_bytes(after).splitlines() if line.strip()}
    if new_lines > old_lines:
        return "clauses added"
    if new_lines < old_lines:
        return "clauses removed"
    if len(old_lines ^ new_lines) <= 2 and any("copyright" in line.lower() for line in old_lines ^ new_lines):
        return "copyright line changed"
    return "clauses changed"


def licence_timeline(knowledge: Knowledge) -> list[LicenceEvent]:
    """Every commit that touched a licence file, newest first, with what it did to the file."""
    present = set(knowledge.licence_files)
    release_of = {sha: release.tag for release in knowledge.releases for sha in release.commits}
    touched: dict[str, list[str]] = {}
    for sha, path in licence_commits(knowledge):
        touched.setdefault(path, []).append(sha)
    events: list[LicenceEvent] = []
    for path, shas in touched.items():
        shas.sort(key=lambda sha: (knowledge.rows[sha].committer_time, sha))
        for index, sha in enumerate(shas):
            change = "added" if index == 0 else "changed"
            if index == len(shas) - 1 and path not in present and index > 0:
                change = "removed"
            change = knowledge.licence_changes.get((sha, path), change)
            row = knowledge.rows[sha]
            events.append(LicenceEvent(row.committer_time, row.committer_offset, path, change, sha,
                                       knowledge.commits[sha].subject, release_of.get(sha)))
    return sorted(events, key=lambda event: (-event.timestamp, event.path, event.sha))


@dataclass(frozen=True, slots=True)
class Duty:
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Obligations:
    licence: str
    name: str
    duties: tuple[Duty, ...]
    #: The line the licence asks redistributors to keep in a "Notice" text file, if it asks for one.
    notice: str = ""
    #: How the name of a model derived from one under this licence must begin ("Llama"), if it says.
    name_prefix: str = ""


@cache
def _obligations_data() -> dict[str, Any]:
    loaded: dict[str, Any] = packaged_yaml("obligations.yml")
    return loaded


def obligations(licence: str | None) -> Obligations | None:
    """The checklist of what the licence asks, for a licence id the Hub writes (``apache-2.0``)."""
    if not licence:
        return None
    entry = _obligations_data().get(licence.lower())
    if not isinstance(entry, dict):
        return None
    notice = str(entry.get("notice", ""))
    keep_notice = f'Keep in a "Notice" text file: "{notice}"'  # a {kind: notice} duty without text of its own
    return Obligations(licence.lower(), str(entry["name"]),
                       tuple(Duty(str(duty["kind"]), str(duty.get("text") or keep_notice)) for duty in entry["duties"]),
                       notice, str(entry.get("name_prefix", "")))


def checklists(knowledge: Knowledge) -> tuple[list[Obligations], list[str]]:
    """The checklist of each licence in force, and the licences in force that have none."""
    found: list[Obligations] = []
    missing: list[str] = []
    for licence in licences_in_force(knowledge):
        duties = obligations(licence)
        if duties is None:
            missing.append(licence)
        else:
            found.append(duties)
    return found, missing


def licences_in_force(knowledge: Knowledge) -> list[str]:
    """The licence ids that apply at HEAD: each one a licence file holds, then the declared one."""
    found = [match.licence for file in knowledge.licences for match in file.licences if match.licence]
    if knowledge.declared_licence and knowledge.declared_licence.value not in ("other", "unknown"):
        found.append(knowledge.declared_licence.value.lower())
    return list(dict.fromkeys(found))


@lru_cache(maxsize=64)
def _identified(text: bytes) -> str:
    """The licences a text holds, as ``A + B``. Remembered: one commit's text "after" is the next
    licence change's "before", and matching a licence text takes milliseconds."""
    from generator.analysis.licences.match import identify

    return " + ".join(m.spdx for m in identify(decode_git_bytes(text)) if m.identified)


def licence_change(before: bytes | None, after: bytes | None) -> str:
    """:func:`change_kind`, naming the licences when a change swapped one for another."""
    kind = change_kind(before, after)
    if kind in ("added", "removed", "reformatted", "copyright years changed", "copyright line changed"):
        return kind
    names = [_identified(text) if text else "" for text in (before, after)]
    if names[0] != names[1] and (names[0] or names[1]):
        old, new = (name or "a licence Almanac does not know" for name in names)
        return f"relicensed from {old} to {new}"
    return kind
