"""Which release first shipped each commit, in one walk of the parent graph.

Tags are visited oldest first; from each, the walk claims every ancestor no earlier release has
claimed, and stops at claimed commits. Each commit is visited once however many tags there are, and a
patch tag cut on a release branch claims only that branch's commits, not main's newer history.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.model.knowledge import Commit, Ref, Release
from generator.text.slugs import SlugRegistry

DEFAULT_TAG_PATTERN = r"^v?\d+(\.\d+)*([-.]?(a|alpha|b|beta|rc|pre|dev|preview)\.?\d*)?$"
_VERSION = re.compile(r"^v?(\d{1,18}(?:\.\d{1,18})*)(?:[-.]?(a|alpha|b|beta|rc|pre|dev|preview)\.?(\d*))?$",
                      re.IGNORECASE)
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


#: The parents of a commit, or ``None`` for a commit outside the walked history (a shallow boundary).
ParentsOf = Callable[[str], "tuple[str, ...] | None"]
#: A commit's committer time and UTC offset: the time orders releases and the changes listed in them.
TimeOf = Callable[[str], "tuple[int, int]"]


def release_tags(tags: Iterable[Ref], tag_pattern: str, known: Callable[[str], bool]) -> list[Ref]:
    """Version tags on known commits, oldest first: by the tagged commit's date (tagger dates can be set
    long after, when re-tagging), then by version, then by name."""
    pattern = re.compile(tag_pattern)
    return [tag for tag in tags if pattern.search(tag.short_name) and known(tag.target)]


def release_order(tag: Ref, time_of: TimeOf) -> tuple[int, VersionKey, str]:
    return (time_of(tag.target)[0], version_key(tag.short_name) or VersionKey((), 0, 0), tag.name)


def assign_releases(
    commits: Mapping[str, Commit],
    tags: tuple[Ref, ...],
    head: str | None,
    tag_pattern: str = DEFAULT_TAG_PATTERN,
) -> tuple[list[Release], list[str]]:
    """Return releases (oldest first) with their commits, and the unreleased commits reachable from HEAD.

    Tags that do not match ``tag_pattern`` are not releases; two version tags on one commit are two
    releases, the second (in version order) with no commits of its own.
    """

    def parents_of(sha: str) -> tuple[str, ...] | None:
        commit = commits.get(sha)
        return None if commit is None else commit.parents

    def time_of(sha: str) -> tuple[int, int]:
        committer = commits[sha].committer
        return committer.timestamp, committer.utc_offset

    owner: dict[str, str] = {}
    releases: list[Release] = []
    for tag in sorted(release_tags(tags, tag_pattern, commits.__contains__), key=lambda t: release_order(t, time_of)):
        releases.append(new_release(tag, owner, parents_of, time_of, releases))
    unreleased = unreleased_commits(head, owner, parents_of, time_of)
    name_slugs(releases)
    return releases, unreleased


def new_release(tag: Ref, owner: dict[str, str], parents_of: ParentsOf, time_of: TimeOf,
                earlier: list[Release]) -> Release:
    """The release of ``tag``: the commits it claims, and as previous release the latest one met at the border."""
    claimed, met = claim(tag.target, tag.short_name, owner, parents_of)
    order = {release.tag: index for index, release in enumerate(earlier)}
    timestamp, utc_offset = (tag.tagger.timestamp, tag.tagger.utc_offset) if tag.tagger else time_of(tag.target)
    return Release(
        tag=tag.short_name,
        sha=tag.target,
        slug="",
        timestamp=timestamp,
        utc_offset=utc_offset,
        prerelease=is_prerelease(tag.short_name),
        message=tag.message,
        previous=max(met, key=lambda name: order.get(name, -1), default=None),
        commits=newest_first(claimed, time_of),
    )


def unreleased_commits(head: str | None, owner: dict[str, str], parents_of: ParentsOf, time_of: TimeOf) -> list[str]:
    if head is None or parents_of(head) is None:
        return []
    claimed, _ = claim(head, "", owner, parents_of)
    return newest_first(claimed, time_of)


def newest_first(shas: Iterable[str], time_of: TimeOf) -> list[str]:
    return sorted(shas, key=lambda sha: (-time_of(sha)[0], sha))


def name_slugs(releases: list[Release]) -> None:
    """File names in release order, so a tag keeps its page's address as new releases arrive."""
    slugs = SlugRegistry()
    for release in releases:
        release.slug = slugs.claim(release.tag, fallback_prefix="release")


def claim(start: str, name: str, owner: dict[str, str], parents_of: ParentsOf) -> tuple[list[str], set[str]]:
    """Claim unowned ancestors of ``start`` for ``name``; also report the releases met at the border."""
    claimed: list[str] = []
    met: set[str] = set()
    stack = [start]
    while stack:
        sha = stack.pop()
        if sha in owner:
            if owner[sha] and owner[sha] != name:  # merges lead back to our own commits: not a border
                met.add(owner[sha])
            continue
        parents = parents_of(sha)
        if parents is None:
            continue  # beyond a shallow clone's boundary
        owner[sha] = name
        claimed.append(sha)
        stack.extend(parents)
    return claimed, met
