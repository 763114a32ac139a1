"""Which change brought each commit, on histories shaped like the real ones that misled Almanac before.

Each history reproduces one pattern met on public repositories (see tests/realrepos/): a ``git pull``
merge carrying GitHub's PR merges, a PR that had main merged into it, a ``refs/pull`` head opened from a
fork's ``main``, a fork that copied the branch's commits, a long-lived branch merged without a PR.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from generator.analysis.history.changes import annotate_releases
from generator.build import BuildOptions, build_knowledge
from generator.model.errors import AlmanacError
from generator.model.knowledge import Change, Knowledge
from tests.gitrepo import Repo

MAINTAINER = "Mai Tainer <mai@lumen.example>"
ALICE = "Alice <11+alice@users.noreply.github.com>"
BOB = "Bob <bob@example.com>"
CAROL = "Carol <carol@example.com>"
GITHUB = "GitHub <noreply@github.com>"


def changes(repo: Repo) -> tuple[Knowledge, list[Change]]:
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    notes = annotate_releases(knowledge)
    everything = [change for release in knowledge.releases for change in release.changes] + notes.unreleased
    owners = Counter(sha for change in everything for sha in change.commits)
    assert set(owners) == set(repo.git("rev-list", "HEAD", "--tags").split())
    assert max(owners.values()) == 1  # every commit in exactly one change
    return knowledge, everything


def by_pr(everything: list[Change]) -> dict[int | None, Change]:
    return {change.pr: change for change in everything if change.pr is not None}


def side(repo: Repo, merge: str) -> set[str]:
    """``git rev-list M^1..M``: what a merge brought, itself included."""
    return set(repo.git("rev-list", f"{merge}^1..{merge}").split())


def test_a_git_pull_merge_lists_the_pull_requests_it_carried(repo: Repo) -> None:
    """ChatGLM2-6B's maintainers ``git pull`` GitHub's main, where PRs were merged, into local work."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    base = repo.head()
    repo.git("checkout", "-q", "-b", "contrib")
    head = repo.commit("Fix the stream API", {"api.py": "1\n"}, author=ALICE)
    repo.git("update-ref", "refs/pull/150/head", head)
    repo.git("checkout", "-q", "-b", "github", base)
    repo.merge("contrib", "Merge pull request #150 from alice/main\n\nFix the stream API", author=MAINTAINER)
    repo.commit("Update README", {"README.md": "web edit\n"}, author=MAINTAINER)  # an edit on GitHub's web UI
    repo.git("checkout", "-q", "main")
    repo.commit("Add finetuning", {"ft.py": "1\n"}, author=MAINTAINER)  # local work
    pull = repo.merge("github", "Merge branch 'main' of github.com:lumen/model", author=MAINTAINER)

    _, everything = changes(repo)
    pulls = by_pr(everything)
    assert set(pulls) == {150}
    assert set(pulls[150].commits) == {head, repo.git("rev-parse", "github^")}
    sync = next(change for change in everything if change.sha == pull)
    assert (sync.kind, sync.commits, sync.includes) == ("sync", [pull], [150])
    direct = sorted(change.title for change in everything if change.kind == "direct")
    assert direct == ["Add finetuning", "Update README", "init"]  # the web edit is a push of its own


def test_a_merge_takes_what_its_branch_brought_and_nothing_an_older_merge_brought(repo: Repo) -> None:
    """A PR's branch merged another PR's branch to build on it; that PR landed first, by its own merge.
    Walked newest first, the later merge took those commits too (17 commits by 6 people for 9 by 3)."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "quick")
    repo.commit("Quick fix part 1", {"q.py": "1\n"}, author=CAROL)
    repo.git("update-ref", "refs/pull/2/head", repo.commit("Quick fix part 2", {"q.py": "2\n"}, author=CAROL))
    repo.git("checkout", "-q", "-b", "slow", "main")
    repo.commit("Start the slow feature", {"slow.py": "1\n"}, author=BOB)
    repo.merge("quick", "Merge branch 'quick' into slow", author=BOB)
    repo.git("update-ref", "refs/pull/3/head", repo.commit("Finish the slow feature", {"slow.py": "2\n"}, author=BOB))
    repo.git("checkout", "-q", "main")
    quick = repo.merge("quick", "Merge pull request #2 from carol/quick\n\nQuick fix")
    slow = repo.merge("slow", "Merge pull request #3 from bob/slow\n\nSlow feature")

    _, everything = changes(repo)
    pulls = by_pr(everything)
    assert set(pulls[2].commits) == side(repo, quick) and len(pulls[2].commits) == 3
    assert set(pulls[3].commits) == side(repo, slow) and len(pulls[3].commits) == 4  # merge, 2 commits, a merge
    assert pulls[3].co_authors == []  # Bob alone: Carol's commits came with PR 2


def test_a_head_opened_from_a_forks_main_does_not_take_another_prs_squash(repo: Repo) -> None:
    """peft, FastChat: ``refs/pull/M/head`` is a squash commit ``Title (#N)`` (a PR opened from a fork's
    main, never updated); the subject is the stronger evidence, and PR M did not land."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    squash = repo.commit("Add vicuna logo (#150)", {"logo": "1\n"}, author=ALICE, committer=GITHUB)
    repo.git("update-ref", "refs/pull/147/head", squash)
    repo.commit("Support ChatGLM (#288)", {"glm.py": "1\n"}, author=BOB, committer=GITHUB)

    _, everything = changes(repo)
    pulls = by_pr(everything)
    assert sorted(pulls) == [150, 288]
    assert (pulls[150].kind, pulls[150].commits, pulls[150].title) == ("squash", [squash], "Add vicuna logo")


def test_a_fork_that_copied_the_history_claims_nothing_by_patch_id(repo: Repo) -> None:
    """llama's refs/pull/165 and peft's refs/pull/2537 hold rewritten copies of main's commits (the fork
    rebased its history); same patches, but on the line before the PR's last push: not a landing."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    readme = repo.commit("Update README.md", {"README.md": "1\n"}, author=MAINTAINER)
    repo.commit("Fix typos (#46)", {"card.md": "1\n"}, author=ALICE, committer=GITHUB)
    repo.git("checkout", "-q", "-b", "fork", "main~2")
    repo.pick(readme, BOB)  # the fork's copy: same author and time, same patch, another SHA
    repo.git("update-ref", "refs/pull/165/head", repo.commit("feat: a docker image", {"Dockerfile": "1\n"},
                                                             author=BOB))
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "fork")

    _, everything = changes(repo)
    assert sorted(by_pr(everything)) == [46]
    readme_change = next(change for change in everything if change.sha == readme)
    assert (readme_change.kind, readme_change.pr) == ("direct", None)


def test_a_branch_copying_squashed_prs_does_not_fold_them_into_one(repo: Repo) -> None:
    """FastChat, peft: a PR branch holding copies of squash commits ``Title (#N)``; matched by patch-id,
    the newest copy brought the older ones: "#1665 (7 commits)" and six PRs gone from the notes."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    first = repo.commit("Add Arena buttons (#10)", {"arena.py": "1\n"}, author=ALICE, committer=GITHUB)
    second = repo.commit("Update RedPajama (#11)", {"rp.py": "1\n"}, author=CAROL, committer=GITHUB)
    repo.git("checkout", "-q", "-b", "fork", "main~2")
    repo.pick(first, BOB)
    repo.pick(second, BOB)
    repo.git("update-ref", "refs/pull/20/head", repo.commit("My own work", {"mine.py": "1\n"}, author=BOB))
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "fork")
    repo.commit("Support ChatGLM (#21)", {"glm.py": "1\n"}, author=BOB, committer=GITHUB)

    _, everything = changes(repo)
    pulls = by_pr(everything)
    assert sorted(pulls) == [10, 11, 21]
    assert (pulls[10].commits, pulls[11].commits) == ([first], [second])


def test_a_branch_merged_without_a_pr_keeps_its_own_commits_and_names_its_prs(repo: Repo) -> None:
    """"Merge branch 'dev'": the PRs merged into dev are entries of their own; dev's direct commits stay
    with the merge, not 150 commits in one entry and not one entry per work-in-progress commit."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "dev")
    wip = [repo.commit(f"wip {n}", {"dev.py": f"{n}\n"}, author=MAINTAINER) for n in range(3)]
    squash = repo.commit("Add the tokenizer (#12)", {"tok.py": "1\n"}, author=ALICE, committer=GITHUB)
    repo.git("checkout", "-q", "main")
    repo.commit("Hotfix", {"hot.py": "1\n"}, author=MAINTAINER)
    merge = repo.merge("dev", "Merge branch 'dev'")

    _, everything = changes(repo)
    branch = next(change for change in everything if change.sha == merge)
    assert branch.kind == "branch" and branch.includes == [12]
    assert set(branch.commits) == {merge, *wip}
    assert by_pr(everything)[12].commits == [squash]


def test_a_rebase_merge_is_one_unbroken_run_of_the_line(repo: Repo) -> None:
    """GitHub's rebase merge: the PR's commits rewritten one after the other; found by patch-id."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "pr")
    one = repo.commit("Update README_JA.md", {"ja.md": "1\n"}, author=ALICE)
    two = repo.commit("Update README_ES.md", {"es.md": "1\n"}, author=ALICE)
    repo.git("update-ref", "refs/pull/1288/head", two)
    repo.git("checkout", "-q", "main")
    repo.commit("Unrelated", {"u": "1\n"}, author=MAINTAINER)
    landed = [repo.pick(one), repo.pick(two)]
    repo.git("branch", "-q", "-D", "pr")

    _, everything = changes(repo)
    pulls = by_pr(everything)
    assert (pulls[1288].kind, pulls[1288].commits, pulls[1288].title) == (
        "rebase", landed[::-1], "Update README_JA.md")
    assert pulls[1288].evidence == "same patches as commits of refs/pull/1288/head"


def test_the_json_export_names_each_changes_evidence(repo: Repo, tmp_path: Path) -> None:
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    repo.tag("v1.0.0")
    repo.commit("Add vicuna logo (#150)", {"logo": "1\n"}, author=ALICE, committer=GITHUB)
    out = tmp_path / "changes.json"
    run = subprocess.run([sys.executable, "-m", "generator.cli", "changelog", "--repo", str(repo.path), "--format",
                          "json", "-o", str(out), "--no-cache"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    (change,) = document["unreleased"]["changes"]
    assert (change["pr"], change["kind"], change["evidence"]) == (150, "squash", "the subject ends in (#150)")
    assert change["author"] == {"name": "Alice", "login": "alice"}
    assert [release["tag"] for release in document["releases"]] == ["v1.0.0"]
    assert "@" not in out.read_text(encoding="utf-8").replace('"login"', "")  # no address anywhere
    rerun = subprocess.run([sys.executable, "-m", "generator.cli", "changelog", "--repo", str(repo.path), "--format",
                            "json", "-o", str(out), "--no-cache"], capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr  # its own file is replaced without --force


def test_a_pr_merged_after_a_release_shipped_its_branch_is_not_a_backport(repo: Repo) -> None:
    """mistral-inference tagged v1.3.0 on PR 193's branch, then merged the PR: the merge ships nothing again."""
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    repo.tag("v1.2.0")
    repo.git("checkout", "-q", "-b", "tekken")
    head = repo.commit("WIP", {"tekken.py": "1\n"}, author=ALICE)
    repo.git("update-ref", "refs/pull/193/head", head)
    repo.tag("v1.3.0")
    repo.git("checkout", "-q", "main")
    repo.merge("tekken", "Merge pull request #193 from lumen/tekken\n\nTekken")
    repo.tag("v1.4.0")

    knowledge, _ = changes(repo)
    releases = {release.tag: release for release in knowledge.releases}
    (shipped,) = releases["v1.3.0"].changes
    (merge,) = releases["v1.4.0"].changes
    assert (shipped.pr, shipped.kind, merge.pr, merge.kind) == (193, "rebase", 193, "merge")
    assert (merge.shipped_in, merge.backport_of, shipped.backported_to) == ("v1.3.0", None, [])


def test_a_commit_in_two_changes_stops_the_build_with_one_line(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The invariant is checked, not assumed: a defect that counted a commit twice publishes nothing."""
    from generator.analysis.history import attribution
    repo.commit("init", {"a": "1\n"}, author=MAINTAINER)
    repo.commit("Add vicuna logo (#150)", {"logo": "1\n"}, author=ALICE, committer=GITHUB)
    new = attribution._Walk._new

    def twice(self: attribution._Walk, sha: str, kind: str, evidence: str, pr: int | None = None) -> object:
        draft = new(self, sha, kind, evidence, pr)
        draft.commits.append(sha)
        return draft

    monkeypatch.setattr(attribution._Walk, "_new", twice)
    with pytest.raises(AlmanacError, match="every commit must be in exactly one change"):
        changes(repo)
