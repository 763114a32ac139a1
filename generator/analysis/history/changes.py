"""From a release's commits to its release notes: changes classified, backports linked, coverage counted.

Which change brought each commit is :mod:`generator.analysis.history.attribution`'s job; this module reads the result.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.analysis.history.acceptance import PullRequestOutcome, pull_request_outcomes
from generator.analysis.history.attribution import changes_of, pull_request_landings
from generator.analysis.history.classify import (
    Era,
    Rules,
    classify,
    default_rules,
    era_styles,
    grammar_of,
    section_order,
)
from generator.analysis.history.patches import same_patch_pairs
from generator.analysis.history.releases import version_key
from generator.model.knowledge import Change, Knowledge, Person, Release
from generator.sources.memory import collector_paused


@dataclass(frozen=True, slots=True)
class Coverage:
    """How well the classifier understood a history; printed on every build so a maintainer can tune it."""

    changes: int
    classified: int
    commits: int
    commits_in_changes: int
    #: Share of change titles per grammar (``conventional``, ``plain``…), for the release-notes page.
    grammars: tuple[tuple[str, int], ...]
    #: Periods of one commit style, oldest first.
    eras: tuple[Era, ...] = ()

    def line(self) -> str:
        other = self.changes - self.classified

        def share(n: int) -> str:
            return f"{100 * n / self.changes:.0f}%" if self.changes else "0%"

        dropped = self.commits - self.commits_in_changes
        return (f"changelog: {self.changes} changes, classified {share(self.classified)}, {share(other)} in Other, "
                f"{dropped} commits dropped")


@dataclass(frozen=True, slots=True)
class ReleaseNotes:
    """What the release pages and changelogs need beyond the releases themselves."""

    unreleased: list[Change]
    coverage: Coverage
    #: Every pull request seen, merged or not (see :mod:`generator.analysis.history.acceptance`).
    pull_requests: list[PullRequestOutcome] = field(default_factory=list)


@collector_paused
def annotate_releases(knowledge: Knowledge, rules: Rules | None = None) -> ReleaseNotes:
    """Fill every release's ``changes`` (and link backports); return the unreleased changes and the coverage.

    It completes the knowledge in place, so only :attr:`generator.build.Built.notes` calls it, once per
    build. It reads the commits it needs through ``knowledge.commits`` (lazily, from the cache, on an
    incremental build) and nothing outside the knowledge.
    """
    landing = pull_request_landings(knowledge)
    branch = knowledge.state.branch
    for release in knowledge.releases:
        release.changes = changes_of(release.commits, release.sha, knowledge, landing, branch)
    unreleased = changes_of(knowledge.unreleased, knowledge.state.head or "", knowledge, landing, branch)
    everything = [change for release in knowledge.releases for change in release.changes] + unreleased
    eras = classify_changes(everything, knowledge, rules)
    link_backports(knowledge.releases, knowledge.patch_ids)
    coverage = Coverage(
        changes=len(everything),
        classified=sum(1 for change in everything if change.section != "Other"),
        commits=sum(len(release.commits) for release in knowledge.releases) + len(knowledge.unreleased),
        commits_in_changes=sum(len(change.commits) for change in everything),
        grammars=grammar_counts(everything),
        eras=eras,
    )
    return ReleaseNotes(unreleased, coverage, pull_request_outcomes(knowledge, everything))


def classify_changes(changes: list[Change], knowledge: Knowledge, rules: Rules | None = None) -> tuple[Era, ...]:
    """Classify every change in the light of its era's commit style; return the eras.

    A style is a property of a period, not of a single title: ``build: add CUDA wheels`` names an
    area in a Go-style era and a Conventional Commits type in another, so the grammars are counted over
    windows of consecutive changes first (see :func:`generator.analysis.history.classify.era_styles`).
    """
    rules = rules or default_rules()
    ordered = sorted(changes, key=lambda change: (change.timestamp, change.sha))
    styles = era_styles([change.title for change in ordered], rules)
    labels = {pull.number: pull.labels for cache in knowledge.forge for pull in cache.pulls if pull.labels}
    by_label = {str(k).casefold(): str(v) for k, v in (rules.data.get("labels") or {}).items()}
    for change, style in zip(ordered, styles, strict=True):
        paths = sorted({file.path for sha in change.commits for file in knowledge.commits[sha].files})
        found = classify(change.title, knowledge.commits[change.sha].body, paths, rules, style)
        change.section, change.rule, change.component = found.section, found.rule, found.component
        change.summary, change.breaking = found.summary, found.breaking
        for label in labels.get(change.pr, ()) if change.pr is not None else ():
            target = by_label.get(label.casefold())
            if target == "breaking":
                change.breaking = change.breaking or f"label “{label}”"
            elif target in rules.sections:
                change.section, change.rule = target, f"label “{label}”"
                break
    eras: list[Era] = []
    for change, style in zip(ordered, styles, strict=True):
        if eras and eras[-1].style == style:
            eras[-1] = Era(style, eras[-1].first, change.timestamp, eras[-1].changes + 1)
        else:
            eras.append(Era(style, change.timestamp, change.timestamp, 1))
    return tuple(eras)


def grammar_counts(changes: Iterable[Change]) -> tuple[tuple[str, int], ...]:
    """How many change titles use each commit-message grammar, most used first: a repository's style
    drifts between eras (a project adopts Conventional Commits, then lapses), so it is shown per release."""
    counts: dict[str, int] = {}
    for change in changes:
        grammar = grammar_of(change.title)
        counts[grammar] = counts.get(grammar, 0) + 1
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def link_backports(releases: list[Release], patch_ids: Mapping[str, str] | None = None) -> None:
    """One change shipped in two releases (a cherry-pick to a release branch) is one entry, linked both ways.

    The copy is the commit that says ``(cherry picked from commit X)``, or else the later of two changes
    with the same PR number or the same patch-id (a cherry-pick made without ``-x``); the original
    lists the releases it was backported to.
    """
    by_pr: dict[int, list[tuple[Release, Change]]] = {}
    picks: list[tuple[Release, Change]] = []
    for release in releases:
        for change in release.changes:
            if change.pr is not None:
                by_pr.setdefault(change.pr, []).append((release, change))
            elif change.picked_from is not None:
                picks.append((release, change))
    pairs: list[tuple[tuple[Release, Change], tuple[Release, Change]]] = []
    landed: dict[str, tuple[Release, Change]] = {}
    if picks or patch_ids:
        landed = {sha: (release, change)
                  for release in releases for change in release.changes for sha in change.commits}
    pairs += [(landed[change.picked_from], (release, change)) for release, change in picks
              if change.picked_from in landed]
    for group in same_patch_pairs((sha for sha in patch_ids or {} if sha in landed), patch_ids or {}):
        copies = sorted({id(landed[sha][1]): landed[sha] for sha in group}.values(),
                        key=lambda pair: (pair[1].timestamp, pair[0].tag))
        pairs.extend((copies[0], copy) for copy in copies[1:])
    for copies in by_pr.values():
        copies.sort(key=lambda pair: (pair[1].picked_from is not None, pair[1].timestamp, pair[0].tag))
        pairs.extend((copies[0], copy) for copy in copies[1:])
    for (original_release, original), (release, copy) in pairs:
        if release.tag == original_release.tag or copy is original:
            continue
        if copy.kind == "merge" and copy.commits == [copy.sha]:
            # The PR's branch was released before its merge (a tag on the branch): the merge ships
            # nothing again, it is not a backport.
            copy.shipped_in = original_release.tag
        else:
            copy.backport_of = original_release.tag
            if release.tag not in original.backported_to:
                original.backported_to.append(release.tag)


def grouped(changes: Iterable[Change], sections: Sequence[str] | None = None) -> list[tuple[str, list[Change]]]:
    """Changes by section: the configured order, then sections only a user's rules know, alphabetically.

    Empty sections are left out; no change is ever left out.
    """
    buckets: dict[str, list[Change]] = {}
    for change in changes:
        buckets.setdefault(change.section, []).append(change)
    order = list(sections) if sections is not None else section_order()
    names = [name for name in order if name in buckets] + sorted(name for name in buckets if name not in order)
    return [(name, buckets[name]) for name in names]


def folded_prereleases(releases: list[Release]) -> dict[str, list[Release]]:
    """Final release tag → the pre-releases (rc, beta…) of the same version before it, oldest first.

    Readers of ``v1.0.0`` want to see what its release candidates brought too, folded below its own list.
    """
    folded: dict[str, list[Release]] = {}
    waiting: dict[tuple[int, ...], list[Release]] = {}
    for release in releases:
        key = version_key(release.tag)
        if key is None:
            continue
        if release.prerelease:
            waiting.setdefault(key.numbers, []).append(release)
        elif key.numbers in waiting:
            folded[release.tag] = waiting.pop(key.numbers)
    return folded


# --- release-note noise: dependency bumps and bots' routine commits (issue 20, item 9) ---------------------

#: Dependabot's subject (``Bump torch from 2.3.0 to 2.4.0``, ``build(deps): bump x from a to b in /dir``) and
#: Renovate's (``chore(deps): update dependency torch to v2.5.0``, ``Update actions/checkout action to v4``).
_BUMP_FORMS = (
    re.compile(r"^(?:\w+(?:\([^)]*\))?!?:\s*)?bump (?P<package>\S+) from v?(?P<old>\S+) to v?(?P<new>[^\s,;]+)",
               re.IGNORECASE),
    # Renovate names what it updates ("dependency x", "x action") or writes a deps scope; a plain
    # "Update x to 2" by a person is not read as a bump.
    re.compile(r"^(?:\w+(?:\([^)]*\))?!?:\s*)?update (?:dependency|module|image) (?P<package>\S+)"
               r" to v?(?P<new>\d[^\s,;]*)", re.IGNORECASE),
    re.compile(r"^(?:\w+(?:\([^)]*\))?!?:\s*)?update (?P<package>\S+) action to v?(?P<new>\d[^\s,;]*)",
               re.IGNORECASE),
    re.compile(r"^\w+\((?:deps|deps-dev|dependencies)\)!?:\s*update (?P<package>\S+) to v?(?P<new>\d[^\s,;]*)",
               re.IGNORECASE),
)
#: Words that keep a bot's change in the list: a dependency update or a security fix matters to users.
_NOT_ROUTINE = re.compile(r"\b(?:bump|bumps|security|vulnerabilit\w*|cve-\d+)", re.IGNORECASE)
#: Markers that tell CI to skip a commit: GitHub's, GitLab's and Azure's spellings.
_SKIP_CI = re.compile(r"\[(?:skip ci|ci skip|no ci|skip actions|actions skip)\]|\*\*\*NO_CI\*\*\*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Bump:
    """One dependency update read from its subject; ``old`` is None where the subject does not say it."""

    package: str
    old: str | None
    new: str


def bump_of(title: str) -> Bump | None:
    """The dependency update a Dependabot or Renovate subject describes, or None for any other title."""
    for form in _BUMP_FORMS:
        match = form.match(title.strip())
        if match is not None:
            groups = match.groupdict()
            return Bump(match.group("package").strip("`"), groups.get("old"), match.group("new").rstrip("."))
    return None


@dataclass(frozen=True, slots=True)
class BumpFold:
    """Several updates of one package in one release, written as one entry (``torch 2.3.0 → 2.4.1 in 3 bumps``)."""

    package: str
    old: str | None
    new: str
    #: The updates, oldest first.
    changes: tuple[Change, ...]

    @property
    def text(self) -> str:
        span = f"{self.old} → {self.new}" if self.old else f"to {self.new}"
        return f"{self.package} {span} in {len(self.changes)} bumps"


@dataclass(frozen=True, slots=True)
class SectionEntries:
    """One section's entries as release notes show them: the changes themselves, repeated bumps of one
    package folded (at the place of the newest), and the routine commits of bots and ``[skip ci]`` commits
    set apart, to be shown collapsed."""

    entries: tuple[Change | BumpFold, ...]
    routine: tuple[Change, ...]


def bot_keys(people: Mapping[str, Person]) -> set[str]:
    """The keys of the bots among ``people``: what :func:`section_entries` sets apart as routine."""
    return {key for key, person in people.items() if person.is_bot}


def is_routine(change: Change, bots: Collection[str] = ()) -> bool:
    """A commit nobody reads release notes for: one that says ``[skip ci]``, or a bot's (``bots``: see
    :func:`bot_keys`) that is neither a dependency update (those are folded per package instead), nor a
    security fix, nor breaking."""
    if _SKIP_CI.search(change.title):
        return True
    if change.author not in bots or change.breaking or change.section in ("Security", "Dependencies"):
        return False
    return _NOT_ROUTINE.search(change.title) is None


def section_entries(changes: Sequence[Change], bots: Collection[str] = ()) -> SectionEntries:
    """Fold a section's repeated bumps of a package and set its routine commits apart (see
    :class:`SectionEntries`); order is kept, and nothing is dropped."""
    routine_flags = [is_routine(change, bots) for change in changes]
    routine = tuple(change for change, flag in zip(changes, routine_flags, strict=True) if flag)
    kept = [change for change, flag in zip(changes, routine_flags, strict=True) if not flag]
    by_package: dict[str, list[Change]] = {}
    for change in kept:
        bump = bump_of(change.title)
        if bump is not None:
            by_package.setdefault(bump.package.lower(), []).append(change)
    folds: dict[str, BumpFold] = {}
    for members in by_package.values():
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda change: (change.timestamp, change.sha))
        first, last = bump_of(ordered[0].title), bump_of(ordered[-1].title)
        assert first is not None and last is not None
        folded = BumpFold(last.package, first.old, last.new, tuple(ordered))
        folds.update((change.sha, folded) for change in members)
    entries: list[Change | BumpFold] = []
    placed: set[int] = set()
    for change in kept:
        fold = folds.get(change.sha)
        if fold is None:
            entries.append(change)
        elif id(fold) not in placed:
            placed.add(id(fold))
            entries.append(fold)
    return SectionEntries(tuple(entries), routine)
