"""The licences of a repository over time: when each licence file appeared, changed or went away.

Licences change under a project's feet (a relicensing, a new use policy, a file split into code and
weights licences); users of an old release are bound by the licence of that release. The timeline
comes from the history walk, which already records the commits that touched each licence file.
"""

from __future__ import annotations

from dataclasses import dataclass

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
