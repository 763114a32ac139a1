"""From a release's commits to its changes: pull requests as they landed, and direct pushes.

The unit of a release note is the change, usually a pull request. Real repositories land them in
several ways, all recognised here from git alone: a squash commit whose subject ends in ``(#N)``
(when several numbers appear, the last is the merging PR), a ``Merge pull request #N`` commit whose
second parent is the PR's head, a ``refs/pull/N/head`` (or the Hub's ``refs/pr/N``) whose commit sits
on the release's first-parent line (rebase or fast-forward merges). Everything else is a direct push.
Every commit of a release belongs to exactly one change: nothing is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.acceptance import PullRequestOutcome, pull_request_outcomes
from generator.classify import Era, Rules, classify, default_rules, era_styles, grammar_of, section_order
from generator.memory import collector_paused
from generator.model import Change, Commit, Knowledge, Release
from generator.patches import rebased_pull_requests, same_patch_pairs
from generator.releases import version_key

#: Starts only where a run of spaces starts (``\s*\(`` tried every space of a long run: quadratic); PR
#: numbers have at most 9 digits: a subject ending in "(#" and 5 000 digits names no PR (and int() refuses it).
_PR_SUFFIX = re.compile(r"(?<!\s)\s*\(#(\d{1,9})\)\s*$")
_MERGE_PR = re.compile(r"^Merge pull request #(\d{1,9}) from (\S+)")
_REVERT = re.compile(r'^Revert "(?P<inner>.*)"')
_CHERRY_PICK = re.compile(r"\(cherry picked from commit ([0-9a-f]{7,64})\)")


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
        share = (lambda n: f"{100 * n / self.changes:.0f}%") if self.changes else (lambda n: "0%")
        dropped = self.commits - self.commits_in_changes
        return (f"changelog: {self.changes} changes, classified {share(self.classified)}, {share(other)} in Other, "
                f"{dropped} commits dropped")


@dataclass(frozen=True, slots=True)
class ReleaseNotes:
    """What the release pages and changelogs need beyond the releases themselves."""

    unreleased: list[Change]
    coverage: Coverage
    #: Every pull request seen, merged or not (see :mod:`generator.acceptance`).
    pull_requests: list[PullRequestOutcome] = field(default_factory=list)


@collector_paused
def annotate_releases(knowledge: Knowledge, rules: Rules | None = None) -> ReleaseNotes:
    """Fill every release's ``changes`` (and link backports); return the unreleased changes and the coverage.

    Pure: reads the commits it needs through ``knowledge.commits`` (lazily, from the cache, on an
    incremental build).
    """
    landing = _pull_request_landings(knowledge)
    for release in knowledge.releases:
        release.changes = changes_of(release.commits, release.sha, knowledge, landing)
    unreleased = changes_of(knowledge.unreleased, knowledge.state.head or "", knowledge, landing)
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


@dataclass(frozen=True, slots=True)
class Landing:
    """How a line commit came from a pull request without saying so in its message."""

    pr: int
    kind: str
    #: Every line commit of that PR, newest first: the first one met on the line brings the others.
    members: tuple[str, ...]


def _pull_request_landings(knowledge: Knowledge) -> dict[str, Landing]:
    """Line commit → its PR, for PR heads on the line (fast-forward) and PRs found rebased by patch-id."""
    landing = {sha: Landing(number, "rebase", (sha,)) for number, sha in knowledge.state.pull_request_heads.items()}
    released = [sha for release in knowledge.releases for sha in release.commits] + list(knowledge.unreleased)
    for found in rebased_pull_requests(knowledge.pull_request_branches, released, knowledge.patch_ids):
        kind = "rebase" if found.complete else "partial"
        members = tuple(sorted(found.landed, key=lambda sha: (-knowledge.commits[sha].committer.timestamp, sha)))
        for sha in members:
            landing.setdefault(sha, Landing(found.number, kind, members))
    return landing


def classify_changes(changes: list[Change], knowledge: Knowledge, rules: Rules | None = None) -> tuple[Era, ...]:
    """Classify every change in the light of its era's commit style; return the eras.

    A style is a property of a period, not of a single title: ``build: add CUDA wheels`` names an
    area in a Go-style era and a Conventional Commits type in another, so the grammars are counted over
    windows of consecutive changes first (see :func:`generator.classify.era_styles`).
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


def changes_of(
    shas: Sequence[str], tip: str, knowledge: Knowledge, landing: Mapping[str, Landing] | None = None
) -> list[Change]:
    """The changes that brought ``shas`` (one release's commits), newest first, not yet classified."""
    landing = landing or {}
    commits = knowledge.commits
    claimed = set(shas)
    line: list[str] = []  # the first-parent line of the release, newest first
    sha = tip
    while sha in claimed:
        line.append(sha)
        parents = commits[sha].parents
        sha = parents[0] if parents else ""
    on_line = set(line)
    taken: set[str] = set()
    changes: list[Change] = []
    for sha in line:
        if sha in taken:  # a rebased PR's older commit, brought by its newest one
            continue
        commit = commits[sha]
        brought = [sha]
        if commit.is_merge:
            brought += _branch_commits(commit, claimed, on_line, taken, commits)
        elif sha in landing:
            brought += [member for member in landing[sha].members if member != sha and member in on_line]
        taken.update(brought)
        changes.append(_change(commit, brought, knowledge, landing.get(sha)))
    for sha in shas:  # commits reachable only through a side path (e.g. an octopus): their own changes
        if sha not in taken and not commits[sha].is_merge:
            taken.add(sha)
            changes.append(_change(commits[sha], [sha], knowledge, None))
    changes.sort(key=lambda change: (-change.timestamp, change.sha))
    return changes


def _branch_commits(
    merge: Commit, claimed: set[str], on_line: set[str], taken: set[str], commits: Mapping[str, Commit]
) -> list[str]:
    """Commits a merge brought in: reachable from its other parents, in this release, not yet taken."""
    found: list[str] = []
    stack = list(merge.parents[1:])
    while stack:
        sha = stack.pop()
        if sha not in claimed or sha in on_line or sha in taken or sha in found:
            continue
        found.append(sha)
        stack.extend(commits[sha].parents)
    return found


def _change(commit: Commit, brought: list[str], knowledge: Knowledge, landing: Landing | None) -> Change:
    subject = commit.subject or "(no commit message)"
    author, co_authors = knowledge.authorship.get(commit.sha, ("", ()))
    pr: int | None = None
    kind, title, reverts = "direct", subject, None
    if commit.is_merge and (merge := _MERGE_PR.match(subject)):
        pr, kind = int(merge.group(1)), "merge"
        # GitHub writes the PR's title as the merge commit's body; the branch name is the fallback.
        body_lines = [line.strip() for part in commit.message.split("\n\n")[1:2] for line in part.splitlines()]
        title = next((line for line in body_lines if line), merge.group(2))
        head = commit.parents[1]
        if head in knowledge.authorship:  # on GitHub the merger is the merge's author; the head's is the PR's
            author = knowledge.authorship[head][0]
        contributors = {knowledge.authorship[sha][0] for sha in brought[1:] if sha in knowledge.authorship}
        co_authors = sorted(contributors - {author})
    elif (suffix := _PR_SUFFIX.search(subject)) is not None:
        pr, kind, title = int(suffix.group(1)), "squash", subject[: suffix.start()].rstrip() or subject
    elif landing is not None:
        pr, kind = landing.pr, landing.kind
        # A rebased branch's first commit usually names its purpose; later ones are review fixes.
        title = knowledge.commits[brought[-1]].subject or subject
        contributors = {knowledge.authorship[sha][0] for sha in brought if sha in knowledge.authorship}
        co_authors = sorted(set(co_authors) | (contributors - {author}))
    if (revert := _REVERT.match(title)) and (inner := _PR_SUFFIX.search(revert.group("inner"))):
        reverts = int(inner.group(1))
    body = commit.body
    picked = _CHERRY_PICK.search(body) if "cherry picked" in body else None
    return Change(
        sha=commit.sha,
        title=title,
        kind=kind,
        pr=pr,
        author=author,
        co_authors=list(co_authors),
        commits=brought,
        summary=title,
        reverts=reverts,
        picked_from=picked.group(1) if picked else None,
        timestamp=commit.committer.timestamp,
        utc_offset=commit.committer.utc_offset,
    )


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
        if release.tag != original_release.tag and copy is not original:
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
