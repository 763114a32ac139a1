"""The licences of a repository over time: when each licence file appeared, changed or went away.

Licences change under a project's feet (a relicensing, a new use policy, a file split into code and
weights licences); users of an old release are bound by the licence of that release. The timeline
comes from the history walk, which already records the commits that touched each licence file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from generator.model import Knowledge
from generator.modelchanges import LICENCE, file_kind


@dataclass(frozen=True, slots=True)
class LicenceEvent:
    timestamp: int
    utc_offset: int
    path: str
    #: ``added``, ``changed`` or ``removed``.
    change: str
    sha: str
    subject: str
    #: The release that first shipped this state of the file, or None while unreleased.
    release: str | None


def licence_timeline(knowledge: Knowledge) -> list[LicenceEvent]:
    """Every commit that touched a licence file, newest first, with what it did to the file."""
    present = set(knowledge.licence_files)
    release_of = {sha: release.tag for release in knowledge.releases for sha in release.commits}
    events: list[LicenceEvent] = []
    for path, shas in knowledge.page_commits.items():
        if file_kind(path) != LICENCE:
            continue
        touched = sorted((sha for sha in shas if sha in knowledge.rows), key=lambda sha: (knowledge.rows[sha][1], sha))
        for index, sha in enumerate(touched):
            change = "added" if index == 0 else "changed"
            if index == len(touched) - 1 and path not in present and index > 0:
                change = "removed"
            row = knowledge.rows[sha]
            events.append(LicenceEvent(row[1], row[2], path, change, sha, knowledge.commits[sha].subject,
                                       release_of.get(sha)))
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


@cache
def _obligations_data() -> dict[str, Any]:
    text = resources.files("generator").joinpath("data/obligations.yml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def obligations(licence: str | None) -> Obligations | None:
    """The checklist of what the licence asks, for a licence id the Hub writes (``apache-2.0``)."""
    if not licence:
        return None
    entry = _obligations_data().get(licence.lower())
    if not isinstance(entry, dict):
        return None
    return Obligations(licence.lower(), str(entry["name"]),
                       tuple(Duty(str(duty["kind"]), str(duty["text"])) for duty in entry["duties"]))
