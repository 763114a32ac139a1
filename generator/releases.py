"""Which release first shipped each commit, in one walk of the parent graph.

Tags are visited oldest first; from each, the walk claims every ancestor no earlier release has
claimed, and stops at claimed commits. Each commit is visited once however many tags there are, and a
patch tag cut on a release branch claims only that branch's commits, not main's newer history.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from generator.model import Commit, Ref, Release
from generator.slugs import SlugRegistry

DEFAULT_TAG_PATTERN = r"^v?\d+(\.\d+)*([-.]?(a|alpha|b|beta|rc|pre|dev|preview)\.?\d*)?$"
_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)(?:[-.]?(a|alpha|b|beta|rc|pre|dev|preview)\.?(\d*))?$", re.I)
_STAGE_RANK = {"dev": 0, "a": 1, "alpha": 1, "b": 2, "beta": 2, "pre": 3, "preview": 3, "rc": 4}


@dataclass(frozen=True, slots=True, order=True)
class VersionKey:
    numbers: tuple[int, ...]
    stage: int
    stage_number: int


def version_key(tag: str) -> VersionKey | None:
    match = _VERSION.match(tag)
    if not match:
        return None
    numbers = tuple(int(part) for part in match.group(1).split("."))
    stage = match.group(2)
    if stage is None:
        return VersionKey(numbers, 99, 0)
    return VersionKey(numbers, _STAGE_RANK[stage.lower()], int(match.group(3) or 0))


def is_prerelease(tag: str) -> bool:
    key = version_key(tag)
    return key is not None and key.stage != 99


def assign_releases(
    commits: dict[str, Commit],
    tags: tuple[Ref, ...],
    head: str | None,
    tag_pattern: str = DEFAULT_TAG_PATTERN,
) -> tuple[list[Release], list[str]]:
    """Return releases (oldest first) with their commits, and the unreleased commits reachable from HEAD.

    Tags that do not match ``tag_pattern`` are not releases; two version tags on one commit are two
    releases, the second (in version order) with no commits of its own.
    """
    pattern = re.compile(tag_pattern)
    candidates = [tag for tag in tags if pattern.search(tag.short_name) and tag.target in commits]
    candidates.sort(key=lambda tag: (_tag_time(tag, commits), _sortable_version(tag.short_name), tag.name))
    owner: dict[str, str] = {}
    slugs = SlugRegistry()
    releases: list[Release] = []
    for tag in candidates:
        claimed, met = _claim(tag.target, tag.short_name, commits, owner)
        when = tag.tagger or commits[tag.target].committer
        previous = max(met, key=lambda name: met[name], default=None)
        releases.append(
            Release(
                tag=tag.short_name,
                sha=tag.target,
                slug=slugs.claim(tag.short_name, fallback_prefix="release"),
                timestamp=when.timestamp,
                utc_offset=when.utc_offset,
                prerelease=is_prerelease(tag.short_name),
                message=tag.message,
                previous=previous,
                commits=sorted(claimed, key=lambda sha: (-commits[sha].committer.timestamp, sha)),
            )
        )
    unreleased: list[str] = []
    if head is not None and head in commits:
        unreleased, _ = _claim(head, "", commits, owner)
        unreleased.sort(key=lambda sha: (-commits[sha].committer.timestamp, sha))
    return releases, unreleased


def _claim(
    start: str, name: str, commits: dict[str, Commit], owner: dict[str, str]
) -> tuple[list[str], dict[str, int]]:
    """Claim unowned ancestors of ``start``; also report the releases met at the border, by time."""
    claimed: list[str] = []
    met: Counter[str] = Counter()
    stack = [start]
    while stack:
        sha = stack.pop()
        if sha not in commits:
            continue  # beyond a shallow clone's boundary
        if sha in owner:
            if owner[sha]:
                met[owner[sha]] = max(met[owner[sha]], commits[sha].committer.timestamp)
            continue
        owner[sha] = name
        claimed.append(sha)
        stack.extend(commits[sha].parents)
    return claimed, dict(met)


def _tag_time(tag: Ref, commits: dict[str, Commit]) -> int:
    """The tagged commit's date orders releases: tagger dates can be set long after (re-tagging)."""
    return commits[tag.target].committer.timestamp


def _sortable_version(tag: str) -> VersionKey:
    return version_key(tag) or VersionKey((), 0, 0)
