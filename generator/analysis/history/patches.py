"""Recognising one change under two SHAs: cherry-picks without ``-x``, and pull requests GitHub
rebase-merged (which rewrites every commit, so the PR's head never lands on the branch).

git's own notion of "the same change" is the patch-id: a hash of the diff with line numbers and
whitespace ignored. Diffs are costly on a large history, so patch-ids are computed only for
*candidates*: commits that share an author and an author time with another commit. Cherry-pick and
rebase both keep the author and the author date, and two unrelated commits almost never share them.
Patch-ids depend on the commit alone, so they are cached forever.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.analysis.history.prsubjects import subject_pr
from generator.model.knowledge import Commit, CommitRow, RepoState
from generator.sources.git.repo import GitRunner
from generator.sources.git.walk import walk

#: A commit whose diff is empty (``--allow-empty``, a pure mode change git cannot hash) gets this id,
#: and never matches anything.
NO_PATCH = ""


#: PR number → (head, the PR's commits outside the history), as walked and cached.
Branches = dict[int, tuple[str, tuple[Commit, ...]]]


def walk_pull_request_heads(runner: GitRunner, heads: Collection[str], mainline: Sequence[str]) -> dict[str, Commit]:
    """The commits of ``heads`` outside ``mainline``'s history, without diffs: one ``git log``."""
    return {commit.sha: commit for commit in walk(runner, sorted(set(heads)), mainline, files="none")}


def pull_request_branches(
    state: RepoState,
    history: Collection[str],
    cached: Branches,
    walked: Mapping[str, Commit],
    walk_more: Callable[[list[str]], Mapping[str, Commit]],
) -> Branches:
    """PR number → (head, the commits of its head that the history does not contain, newest first).

    A PR whose head is in ``history`` (the commits reachable from HEAD and the tags) has none. The rest
    come from ``cached`` when the head has not moved, minus what the history has since absorbed (valid
    only when the history grew: callers pass nothing after a force push), else from ``walked`` (the
    heads walked in advance), else from ``walk_more``.
    """
    branches: Branches = {}
    missing: dict[int, str] = {}
    for number, head in sorted(state.pull_request_heads.items()):
        if head in history:
            continue
        if number in cached and cached[number][0] == head:
            own = tuple(commit for commit in cached[number][1] if commit.sha not in history)
            if own:
                branches[number] = (head, own)
        elif head in walked:
            branches[number] = (head, _branch(head, walked))
        else:
            missing[number] = head
    if missing:
        more = walk_more(sorted(set(missing.values())))
        branches.update((number, (head, _branch(head, more))) for number, head in missing.items() if head in more)
    return dict(sorted(branches.items()))


def _branch(head: str, commits: Mapping[str, Commit]) -> tuple[Commit, ...]:
    own: list[Commit] = []
    stack, seen = [head], set()
    while stack:
        sha = stack.pop()
        if sha in seen or sha not in commits:
            continue
        seen.add(sha)
        own.append(commits[sha])
        stack.extend(commits[sha].parents)
    return tuple(sorted(own, key=lambda commit: (-commit.author.timestamp, commit.sha)))


def first_commit(branch: Sequence[Commit]) -> Commit | None:
    """The commit a branch started with: the oldest of its roots (commits none of whose parents are on
    the branch), merges left out. A PR belongs to whoever wrote it, not to whoever pushed its last fix:
    a maintainer's commit on top of a contributor's branch is the head, never the first commit.
    """
    shas = {commit.sha for commit in branch}
    own = [commit for commit in branch if not commit.is_merge] or list(branch)
    roots = [commit for commit in own if not shas.intersection(commit.parents)] or own
    return min(roots, key=lambda commit: (commit.author.timestamp, commit.sha), default=None)


def one_pull_request_each(branches: Mapping[int, Sequence[Commit]]) -> dict[int, Sequence[Commit]]:
    """The branches that hold one PR's work. A branch holding other PRs' merges or squashes is a copy of
    the history (a fork that rewrote it, a ref into history the project later rewrote): its patch-ids
    prove nothing."""
    return {number: branch for number, branch in branches.items()
            if all(subject_pr(commit) in (None, number) for commit in branch)}


def placed_without_patches(heads: Mapping[int, str]) -> Callable[[Commit], bool]:
    """Whether stronger evidence than a patch-id places a line commit: its message names a PR, or it is
    the head of exactly one PR (see :mod:`generator.analysis.history.attribution`). A patch-id match never moves such a
    commit."""
    count: dict[str, int] = {}
    for sha in heads.values():
        count[sha] = count.get(sha, 0) + 1
    return lambda commit: subject_pr(commit) is not None or count.get(commit.sha) == 1


def candidates(
    groups: Iterable[Collection[str]],
    author_of: Mapping[str, CommitRow],
    branches: Mapping[int, Sequence[Commit]],
    commits: Mapping[str, Commit],
    placed: Callable[[Commit], bool] = lambda commit: False,
) -> set[str]:
    """The commits whose patch-ids are worth computing.

    ``groups`` are the commit sets of the releases (and of the unreleased commits); ``author_of`` gives
    each commit's (author time, author key) from the analysis rows, so nothing is decoded for the
    common case of no collision. Two commits in different groups with the same author and author time
    may be a cherry-pick and its original; a PR branch's commit and a released commit with the same
    author address and time may be the PR, rebase-merged, unless ``placed`` says stronger evidence
    places the released one (ollama/ollama: 2 102 candidates and 164 MB of diffs without this, most of them
    squash commits whose subject names their PR).
    """
    # Each commit once: forks' branches share most of theirs (2.15 M entries, 16 178 commits on LLaMA-Factory).
    pr_commits = list({commit.sha: commit for branch in branches.values() for commit in branch
                       if not commit.is_merge}.values())
    pr_times = {commit.author.timestamp for commit in pr_commits}
    # First pass, on author times alone (ints, no tuples: it runs over every commit on every build):
    # which times occur in two groups. Almost none do, so the second pass looks at very few commits.
    group_of_time: dict[int, int] = {}
    for index, group in enumerate(groups):
        for sha in group:
            time = author_of[sha].author_time
            seen = group_of_time.setdefault(time, index)
            if seen != index:
                group_of_time[time] = -1
    interesting = {time for time, index in group_of_time.items() if index == -1} | pr_times
    by_author: dict[tuple[int, str], list[tuple[int, str]]] = {}
    at_pr_time: dict[int, list[str]] = {}
    for index, group in enumerate(groups):
        for sha in group:
            row = author_of[sha]
            if row.author_time not in interesting or row.is_merge:  # merges have no patch of their own
                continue
            by_author.setdefault((row.author_time, row.author), []).append((index, sha))
            if row.author_time in pr_times:
                at_pr_time.setdefault(row.author_time, []).append(sha)
    wanted = {sha for members in by_author.values() if len({index for index, _ in members}) > 1
              for _, sha in members}
    for commit in pr_commits:
        email = commit.author.email.lower()
        same = [sha for sha in at_pr_time.get(commit.author.timestamp, ())
                if commits[sha].author.email.lower() == email and not placed(commits[sha])]
        if same:
            wanted.add(commit.sha)
            wanted.update(same)
    return wanted


def read_patch_ids(runner: GitRunner, shas: Collection[str], known: Mapping[str, str]) -> dict[str, str]:
    """Patch-ids of ``shas``: from ``known`` (the cache), else from three git processes for all of them.

    ``git diff-tree --stdin -p`` writes every commit's diff after its SHA; ``git patch-id --stable``
    reads that stream through a pipe and prints ``<patch-id> <sha>`` per commit with a non-empty diff. A look-alike is
    mostly a copy with the very same blobs (a PR rebased onto a line that did not touch its files), and
    the same blobs make the same diff: only one commit of each distinct ``--raw`` diff is diffed in full
    (ollama/ollama: 1 014 look-alikes, 76 MB of diffs, of which one commit of 18 MB twice).
    """
    found = {sha: known[sha] for sha in shas if sha in known}
    missing = sorted(set(shas) - found.keys())
    if not missing:
        return found
    found.update(dict.fromkeys(missing, NO_PATCH))
    copies: dict[bytes, list[str]] = {}
    for sha, raw in _raw_diffs(runner, missing).items():
        if raw:  # an empty diff has no patch-id
            copies.setdefault(raw, []).append(sha)
    first = sorted(group[0] for group in copies.values())
    stdin = ("\n".join(first) + "\n").encode("ascii")
    ids = runner.run_piped(
        ["diff-tree", "--stdin", "--root", "-p", "--binary", "--full-index", "--no-color", "--no-ext-diff"], stdin,
        ["patch-id", "--stable"]
    ) if first else b""
    for line in ids.decode("ascii").splitlines():
        patch_id, _, sha = line.partition(" ")
        if sha in found:
            found[sha] = patch_id
    for group in copies.values():
        for sha in group[1:]:
            found[sha] = found[group[0]]
    return found


def _raw_diffs(runner: GitRunner, shas: Sequence[str]) -> dict[str, bytes]:
    """SHA → its ``diff-tree --raw`` (modes, blob ids, status and path of each file it changed), for
    commits that are not merges. With ``-z`` each entry is a ``:``-led token and then its path, so no
    path, however named, is taken for a commit's SHA."""
    out = runner.run_with_input(["diff-tree", "--stdin", "--root", "-r", "--raw", "--no-renames", "-z",
                                 "--no-ext-diff"], ("\n".join(shas) + "\n").encode("ascii"))
    raws: dict[str, list[bytes]] = {}
    entries: list[bytes] = []
    path_next = False
    for token in out.split(b"\0"):
        if path_next:
            entries.append(token)
            path_next = False
        elif token.startswith(b":"):
            entries.append(token)
            path_next = True
        elif token.strip():
            entries = raws.setdefault(token.strip().decode("ascii"), [])
    return {sha: b"\0".join(entries) for sha, entries in raws.items()}


@dataclass(frozen=True, slots=True)
class RebasedPullRequest:
    """A PR whose commits reappear, rewritten, on a release's line: merged by rebase."""

    number: int
    #: The line commits that are the PR's commits, newest first.
    landed: tuple[str, ...]
    #: True when every commit of the PR branch landed; False when only some did ("partly applied").
    complete: bool


def rebased_pull_requests(
    branches: Mapping[int, Sequence[Commit]], released: Collection[str], patch_ids: Mapping[str, str],
    commits: Mapping[str, Commit],
) -> list[RebasedPullRequest]:
    """The PRs some of whose commits landed under other SHAs, matched by patch-id.

    ``released`` are the commits of the releases and the unreleased line that nothing stronger claimed.
    A PR whose commits all landed was rebase-merged; one with only some landed was partly applied (a
    maintainer took part of it), which Almanac reports as such rather than guessing.

    A landing comes after the PR's last commit: a line commit committed before it is one the PR's
    branch copied (a fork that rebased or rewrote the branch's history), not the PR landing. And a
    line commit two PR branches both hold is evidence for neither.
    """
    landed_by_patch: dict[str, list[str]] = {}
    for sha in released:
        patch = patch_ids.get(sha, NO_PATCH)
        if patch != NO_PATCH:
            landed_by_patch.setdefault(patch, []).append(sha)
    wanted: dict[int, list[list[str]]] = {}
    claims: dict[str, set[int]] = {}
    for number, branch in sorted(branches.items()):
        own = [commit for commit in branch if not commit.is_merge]
        last_push = max((commit.committer.timestamp for commit in branch), default=0)
        wanted[number] = [sorted(sha for sha in landed_by_patch.get(patch_ids.get(commit.sha, NO_PATCH), ())
                                 if commits[sha].committer.timestamp >= last_push) for commit in own]
        for matches in wanted[number]:
            for sha in matches:
                claims.setdefault(sha, set()).add(number)
    found: list[RebasedPullRequest] = []
    taken: set[str] = set()
    for number, per_commit in wanted.items():
        landed = []
        for matches in per_commit:
            mine = [sha for sha in matches if sha not in taken and claims[sha] == {number}]
            if mine:
                landed.append(mine[0])
                taken.add(mine[0])
        if landed:
            found.append(RebasedPullRequest(number, tuple(landed), complete=len(landed) == len(per_commit)))
    return found


def same_patch_pairs(shas: Iterable[str], patch_ids: Mapping[str, str]) -> list[list[str]]:
    """Groups of ``shas`` with one patch-id (cherry-picks of each other), each group sorted."""
    groups: dict[str, list[str]] = {}
    for sha in shas:
        patch = patch_ids.get(sha, NO_PATCH)
        if patch != NO_PATCH:
            groups.setdefault(patch, []).append(sha)
    return [sorted(group) for _, group in sorted(groups.items()) if len(group) > 1]
