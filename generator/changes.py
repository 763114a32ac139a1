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
from dataclasses import dataclass

from generator.classify import Rules, classify, grammar_of, section_order
from generator.model import Change, Commit, Knowledge, Release
from generator.releases import version_key

_PR_SUFFIX = re.compile(r"\s*\(#(\d+)\)\s*$")
_MERGE_PR = re.compile(r"^Merge pull request #(\d+) from (\S+)")
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


def annotate_releases(knowledge: Knowledge, rules: Rules | None = None) -> ReleaseNotes:
    """Fill every release's ``changes`` (and link backports); return the unreleased changes and the coverage.

    Pure: reads the commits it needs through ``knowledge.commits`` (lazily, from the cache, on an
    incremental build).
    """
    pr_heads = {sha: number for number, sha in knowledge.state.pull_request_heads.items()}
    for release in knowledge.releases:
        release.changes = changes_of(release.commits, release.sha, knowledge, pr_heads, rules)
    unreleased = changes_of(knowledge.unreleased, knowledge.state.head or "", knowledge, pr_heads, rules)
    link_backports(knowledge.releases)
    everything = [change for release in knowledge.releases for change in release.changes] + unreleased
    coverage = Coverage(
        changes=len(everything),
        classified=sum(1 for change in everything if change.section != "Other"),
        commits=sum(len(release.commits) for release in knowledge.releases) + len(knowledge.unreleased),
        commits_in_changes=sum(len(change.commits) for change in everything),
        grammars=grammar_counts(everything),
    )
    return ReleaseNotes(unreleased=unreleased, coverage=coverage)


def grammar_counts(changes: Iterable[Change]) -> tuple[tuple[str, int], ...]:
    """How many change titles use each commit-message grammar, most used first: a repository's style
    drifts between eras (a project adopts Conventional Commits, then lapses), so it is shown per release."""
    counts: dict[str, int] = {}
    for change in changes:
        grammar = grammar_of(change.title)
        counts[grammar] = counts.get(grammar, 0) + 1
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def changes_of(
    shas: Sequence[str], tip: str, knowledge: Knowledge, pr_heads: Mapping[str, int], rules: Rules | None = None
) -> list[Change]:
    """The changes that brought ``shas`` (one release's commits), newest first."""
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
        commit = commits[sha]
        brought = [sha]
        if commit.is_merge:
            brought += _branch_commits(commit, claimed, on_line, taken, commits)
        taken.update(brought)
        changes.append(_change(commit, brought, knowledge, pr_heads, rules))
    for sha in shas:  # commits reachable only through a side path (e.g. an octopus): their own changes
        if sha not in taken and not commits[sha].is_merge:
            taken.add(sha)
            changes.append(_change(commits[sha], [sha], knowledge, pr_heads, rules))
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


def _change(
    commit: Commit, brought: list[str], knowledge: Knowledge, pr_heads: Mapping[str, int], rules: Rules | None
) -> Change:
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
    elif commit.sha in pr_heads:
        pr, kind = pr_heads[commit.sha], "rebase"
    if (revert := _REVERT.match(title)) and (inner := _PR_SUFFIX.search(revert.group("inner"))):
        reverts = int(inner.group(1))
    paths = sorted({change.path for sha in brought for change in knowledge.commits[sha].files})
    body = commit.message.split("\n\n", 1)[1] if "\n\n" in commit.message else ""
    picked = _CHERRY_PICK.search(body) if "cherry picked" in body else None
    classified = classify(title, body, paths, rules)
    return Change(
        sha=commit.sha,
        title=title,
        kind=kind,
        pr=pr,
        author=author,
        co_authors=list(co_authors),
        commits=brought,
        section=classified.section,
        rule=classified.rule,
        component=classified.component,
        summary=classified.summary,
        breaking=classified.breaking,
        reverts=reverts,
        picked_from=picked.group(1) if picked else None,
        timestamp=commit.committer.timestamp,
        utc_offset=commit.committer.utc_offset,
    )


def link_backports(releases: list[Release]) -> None:
    """One change shipped in two releases (a cherry-pick to a release branch) is one entry, linked both ways.

    The copy is the commit that says ``(cherry picked from commit X)``, or else the later of two changes
    with the same PR number; the original lists the releases it was backported to.
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
    if picks:
        landed = {sha: (release, change)
                  for release in releases for change in release.changes for sha in change.commits}
        pairs += [(landed[change.picked_from], (release, change)) for release, change in picks
                  if change.picked_from in landed]
    for copies in by_pr.values():
        copies.sort(key=lambda pair: (pair[1].picked_from is not None, pair[1].timestamp, pair[0].tag))
        pairs.extend((copies[0], copy) for copy in copies[1:])
    for (original_release, original), (release, copy) in pairs:
        if release.tag != original_release.tag:
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
