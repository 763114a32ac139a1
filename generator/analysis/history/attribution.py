"""Which change brought each commit of a release: the strongest evidence git holds decides.

The unit of a release note is the change, usually a pull request. Real histories mix every way of
landing one, and the weaker clues contradict the stronger ones: a ``refs/pull/M/head`` opened from a
fork's ``main`` points at another PR's squash commit; a fork that rewrote its history holds copies of
a thousand commits of the branch, with their patch-ids. So the evidence is ranked, and a weaker one
never overrules a stronger one:

1. the commit's own subject: ``Title (#N)`` (GitHub's squash) or ``Merge pull request #N`` (a merge,
   whose commits are ``M^1..M^2``: what its branch brought, cut where it left the line);
2. merge structure: a merge that names no pull request brings its side branch, and the pull requests
   on that side are changes of their own (a ``git pull`` of the same branch is only a sync and keeps
   nothing but itself; a merge of another branch keeps the commits no pull request claims);
3. a ``refs/pull/N/head`` that *is* the commit (fast-forward, or a rebase done by hand), outside the
   commits of another pull request's merge;
4. patch-ids: the commits of ``refs/pull/N/head`` found rewritten on the line (GitHub's rebase merge),
   accepted only as one unbroken run of the line and never for a commit claimed above.

Every commit of a release belongs to exactly one change; :func:`changes_of` checks it and fails loudly.
The line is walked oldest first, so a merge takes exactly what its side brought: every commit its
first parent reaches is already taken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.analysis.history.patches import first_commit, one_pull_request_each, rebased_pull_requests
from generator.analysis.history.prsubjects import MERGE_PR, MERGE_REQUEST, PR_SUFFIX, subject_pr
from generator.model.errors import EXIT_INTERNAL_ERROR, AlmanacError
from generator.model.knowledge import Change, Commit, Knowledge

#: git's own merge subjects: ``Merge branch 'x' [of <url>] [into y]``, ``Merge remote-tracking branch 'o/x'``.
_MERGE_BRANCH = re.compile(
    r"^Merge (?P<remote>remote-tracking )?branch '(?P<source>[^']+)'(?: of \S+)?(?: into '?(?P<target>[^' ]+)'?)?\s*$"
)
_REVERT = re.compile(r'^Revert "(?P<inner>.*)"')
_CHERRY_PICK = re.compile(r"\(cherry picked from commit ([0-9a-f]{7,64})\)")
#: Nesting of merges inside merges' branches followed before the rest counts as the enclosing change's.
_MAX_DEPTH = 200


@dataclass(frozen=True, slots=True)
class Landing:
    """A pull request found on the line without its number in a subject."""

    pr: int
    kind: str
    #: The line commits it claims: one for a head; the rewritten commits for a rebase (newest first once
    #: found as a run of the line).
    members: tuple[str, ...]
    evidence: str


@dataclass(slots=True)
class _Draft:
    """A change being assembled: its landing commit and what it brought, before names are looked up."""

    sha: str
    kind: str
    evidence: str
    pr: int | None = None
    commits: list[str] = field(default_factory=list)
    includes: list[int] = field(default_factory=list)


def pull_request_landings(knowledge: Knowledge) -> dict[str, Landing]:
    """Line commit → the PR it landed, from evidence weaker than a subject (ranks 3 and 4 above).

    A head that is a commit whose subject names a PR is that PR's commit, not this one's; a commit that
    is the head of two PRs names neither; a patch-id match against a commit claimed so, or one that two
    PR branches both hold, says nothing.
    """
    released = [sha for release in knowledge.releases for sha in release.commits] + list(knowledge.unreleased)
    named = {sha for sha in released if subject_pr(knowledge.commits[sha]) is not None}
    landing: dict[str, Landing] = {}
    heads: dict[str, list[int]] = {}
    for number, sha in knowledge.state.pull_request_heads.items():
        heads.setdefault(sha, []).append(number)
    for sha, numbers in heads.items():
        if sha in knowledge.authorship and sha not in named and len(numbers) == 1:
            landing[sha] = Landing(numbers[0], "rebase", (sha,), f"refs/pull/{numbers[0]}/head is this commit")
    unclaimed = [sha for sha in released if sha not in named and sha not in landing]
    branches = one_pull_request_each(knowledge.pull_request_branches)
    for found in rebased_pull_requests(branches, unclaimed, knowledge.patch_ids, knowledge.commits):
        kind = "rebase" if found.complete else "partial"
        members = tuple(sorted(found.landed))
        evidence = f"same patches as commits of refs/pull/{found.number}/head"
        for sha in members:
            landing[sha] = Landing(found.number, kind, members, evidence)
    return landing


def changes_of(
    shas: Sequence[str], tip: str, knowledge: Knowledge, landing: Mapping[str, Landing] | None = None,
    branch: str | None = None,
) -> list[Change]:
    """The changes that brought ``shas`` (one release's commits, ``tip`` its newest), newest first.

    ``branch`` is the branch the history was built from, to tell a ``git pull`` of it from a merge of
    another branch. Not yet classified.
    """
    walk = _Walk(set(shas), knowledge.commits, landing or {}, branch)
    walk.line(tip, None, 0)
    for sha in shas:  # commits no line reaches (a release tip on a side branch's parent): their own changes
        if sha not in walk.taken:
            walk.line(sha, None, 0)
    owned = [sha for draft in walk.drafts for sha in draft.commits]
    if len(owned) != len(set(owned)) or set(owned) != set(shas):  # a defect of Almanac's: stop, publish nothing
        raise AlmanacError(f"{tip[:12]}: {len(owned)} commits in changes for {len(set(shas))} in the release; every "
                           "commit must be in exactly one change (a bug: please report it with this line)",
                           exit_code=EXIT_INTERNAL_ERROR)
    changes = [_change(draft, knowledge) for draft in walk.drafts]
    changes.sort(key=lambda change: (-change.timestamp, change.sha))
    return changes


class _Walk:
    """One release's commits, taken line by line, oldest first."""

    def __init__(self, release: set[str], commits: Mapping[str, Commit], landing: Mapping[str, Landing],
                 branch: str | None) -> None:
        self.release, self.commits, self.landing, self.branch = release, commits, landing, branch
        self.taken: set[str] = set()
        self.drafts: list[_Draft] = []
        self.named: set[int] = set()

    def line(self, tip: str, enclosing: _Draft | None, depth: int) -> None:
        """Take the first-parent line from ``tip`` down to what is taken or in an older release.

        ``enclosing`` is the change of the merge whose branch this is: it keeps the commits no pull
        request claims. None on the release's own line (and a sync's), where such commits are direct pushes.
        """
        line: list[str] = []
        sha = tip
        while sha in self.release and sha not in self.taken:
            line.append(sha)
            self.taken.add(sha)
            parents = self.commits[sha].parents
            sha = parents[0] if parents else ""
        runs = self._accepted_runs(line) if enclosing is None or enclosing.pr is None else {}
        skip: set[str] = set()
        for sha in reversed(line):
            if sha in skip:
                continue
            commit = self.commits[sha]
            draft = self._pull_request(commit, enclosing, runs)
            if draft is not None:
                skip.update(draft.commits)
                self._branches(commit, draft, depth)
            elif not commit.is_merge:
                if enclosing is not None:
                    enclosing.commits.append(sha)
                else:
                    self._new(sha, "direct", "no pull request names it")
            elif enclosing is not None:  # a merge inside a merged branch is part of it
                enclosing.commits.append(sha)
                self._branches(commit, enclosing, depth)
            else:
                sync = self._is_sync(commit)
                draft = (self._new(sha, "sync", "a merge of the branch into itself (git pull, fork sync)") if sync
                         else self._new(sha, "branch", "a merge of a branch that names no pull request"))
                before = len(self.drafts)
                self._branches(commit, None if sync else draft, depth)
                draft.includes = sorted({later.pr for later in self.drafts[before:] if later.pr is not None})

    def _branches(self, merge: Commit, keeper: _Draft | None, depth: int) -> None:
        """Take what a merge's other parents brought; ``keeper`` keeps the commits no PR claims."""
        for parent in merge.parents[1:]:
            if depth < _MAX_DEPTH:
                self.line(parent, keeper, depth + 1)
                continue
            stack = [parent]  # nested too deep to follow: the rest belongs to the keeper as it stands
            while stack:
                sha = stack.pop()
                if sha in self.release and sha not in self.taken:
                    self.taken.add(sha)
                    if keeper is not None:
                        keeper.commits.append(sha)
                    else:
                        self._new(sha, "direct", "no pull request names it")
                    stack.extend(self.commits[sha].parents)

    def _pull_request(self, commit: Commit, enclosing: _Draft | None, runs: Mapping[str, Landing]) -> _Draft | None:
        """The PR this line commit lands, by rank; None when it is not one (or is the enclosing one)."""
        number = subject_pr(commit)
        if number is not None:
            if number in self.named and enclosing is not None:
                return None
            kind = "merge" if commit.is_merge else "squash"
            evidence = ("a merge commit that names the pull request" if commit.is_merge
                        else f"the subject ends in (#{number})")
            return self._new(commit.sha, kind, evidence, number)
        found = runs.get(commit.sha)
        if found is None or found.pr in self.named:
            return None
        draft = self._new(found.members[0], found.kind, found.evidence, found.pr)
        draft.commits[:] = list(found.members)
        return draft

    def _accepted_runs(self, line: list[str]) -> dict[str, Landing]:
        """Landings whose members are all on this line, as one unbroken run of it; keyed by their oldest member.

        GitHub's rebase merge writes a PR's commits one after the other; copies scattered over the history
        are a fork that rewrote it (a PR branch holding a thousand of the branch's commits), not a landing.
        """
        where = {sha: index for index, sha in enumerate(line)}
        members: dict[Landing, list[int]] = {}
        for sha in line:
            found = self.landing.get(sha)
            if found is not None:
                members.setdefault(found, []).append(where[sha])
        runs: dict[str, Landing] = {}
        for found, indices in members.items():
            indices.sort()
            if indices[-1] - indices[0] + 1 == len(indices) == len(found.members):
                in_line_order = tuple(line[index] for index in indices)  # commit times tie in a rebase merge
                runs[line[indices[-1]]] = Landing(found.pr, found.kind, in_line_order, found.evidence)
        return runs

    def _is_sync(self, merge: Commit) -> bool:
        """A merge of the branch into itself: ``git pull``'s ``Merge branch 'main' of <url>``, GitHub's
        "Sync fork" (``Merge branch 'owner:main' into main``), ``Merge remote-tracking branch 'origin/main'``."""
        match = _MERGE_BRANCH.match(merge.subject)
        if match is None:
            return False
        source = match.group("source").rsplit(":", 1)[-1]
        if match.group("remote"):
            source = source.split("/", 1)[-1]
        target = match.group("target") or self.branch
        if target is None:
            return source in ("main", "master")
        return source == target

    def _new(self, sha: str, kind: str, evidence: str, pr: int | None = None) -> _Draft:
        draft = _Draft(sha, kind, evidence, pr, [sha])
        self.drafts.append(draft)
        if pr is not None:
            self.named.add(pr)
        return draft


def _first_author(shas: Sequence[str], knowledge: Knowledge) -> str | None:
    """The person key of the first commit of a PR's commits (see
    :func:`generator.analysis.history.patches.first_commit`)."""
    first = first_commit([knowledge.commits[sha] for sha in shas])
    return knowledge.authorship[first.sha][0] if first is not None and first.sha in knowledge.authorship else None


def _change(draft: _Draft, knowledge: Knowledge) -> Change:
    commits = knowledge.commits
    commit = commits[draft.sha]
    subject = commit.subject or "(no commit message)"
    author, co_authors = knowledge.authorship.get(commit.sha, ("", ()))
    contributors = {knowledge.authorship[sha][0] for sha in draft.commits if sha in knowledge.authorship}
    title = subject
    if draft.kind == "merge":
        merge = MERGE_PR.match(subject)
        # GitHub writes the PR's title as the merge commit's body; the branch name is the fallback.
        body_lines = [line.strip() for part in commit.message.split("\n\n")[1:2] for line in part.splitlines()]
        title = next((line for line in body_lines if line and not MERGE_REQUEST.match(line)),
                     merge.group(2) if merge else subject)
        if (suffix := PR_SUFFIX.search(subject)) is not None and merge is None:
            title = subject[: suffix.start()].rstrip() or subject
        # On GitHub the merger is the merge's author; the PR is its branch's first commit's author (a
        # maintainer's fix pushed on top is the head, not the PR), else the head's when nothing is new.
        head = commit.parents[1]
        author = _first_author(draft.commits[1:], knowledge) or knowledge.authorship.get(head, (author,))[0]
        brought = {knowledge.authorship[sha][0] for sha in draft.commits[1:] if sha in knowledge.authorship}
        co_authors = sorted(brought - {author})
    elif draft.kind == "squash" and (suffix := PR_SUFFIX.search(subject)) is not None:
        title = subject[: suffix.start()].rstrip() or subject
    elif draft.kind in ("rebase", "partial"):
        # A rebased branch's first commit usually names its purpose and its author wrote the PR.
        title = commits[draft.commits[-1]].subject or subject
        author = _first_author(draft.commits, knowledge) or author
        co_authors = sorted((set(co_authors) | contributors) - {author})
    elif draft.kind == "branch":
        co_authors = sorted(set(co_authors) | (contributors - {author}))
    reverts = None
    if (revert := _REVERT.match(title)) and (inner := PR_SUFFIX.search(revert.group("inner"))):
        reverts = int(inner.group(1))
    body = commit.body
    picked = _CHERRY_PICK.search(body) if "cherry picked" in body else None
    return Change(
        sha=commit.sha,
        title=title,
        kind=draft.kind,
        pr=draft.pr,
        author=author,
        co_authors=list(co_authors),
        commits=list(draft.commits),
        summary=title,
        reverts=reverts,
        picked_from=picked.group(1) if picked else None,
        timestamp=commit.committer.timestamp,
        utc_offset=commit.committer.utc_offset,
        evidence=draft.evidence,
        includes=sorted(draft.includes),
    )
