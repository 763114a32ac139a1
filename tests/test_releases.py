"""Release membership on a history the test builds: patch branches, rc tags, odd tags, no tags."""

from __future__ import annotations

from generator.analysis.history.releases import assign_releases, is_prerelease, version_key
from generator.sources.git.repo import open_repository
from generator.sources.git.walk import new_commits, whole_history
from tests.gitrepo import Repo


def releases_of(repo: Repo):
    runner, state = open_repository(repo.path)
    tips = sorted({state.head, *(t.target for t in state.tags)})
    commits = whole_history(tips, new_commits(runner, tips, None)[0], {})
    return assign_releases(commits, state.tags, state.head)


def test_patch_tag_on_release_branch_claims_only_its_branch(repo: Repo) -> None:
    a = repo.commit("feat: first", {"a": "1"})
    repo.tag("v1.0.0-rc1", "Release candidate")
    b = repo.commit("fix: before final", {"a": "2"})
    repo.tag("v1.0.0")
    repo.git("checkout", "-q", "-b", "release/1.0")
    patch = repo.commit("fix: backported (#12)", {"p": "1"})
    repo.tag("v1.0.1", "Patch")
    repo.git("checkout", "-q", "main")
    c = repo.commit("feat: next", {"a": "3"})
    repo.tag("v1.1.0")
    d = repo.commit("docs: unreleased", {"d": "1"})
    releases, unreleased = releases_of(repo)
    by_tag = {release.tag: release for release in releases}
    assert [r.tag for r in releases] == ["v1.0.0-rc1", "v1.0.0", "v1.0.1", "v1.1.0"]
    assert by_tag["v1.0.0-rc1"].commits == [a] and by_tag["v1.0.0-rc1"].prerelease
    assert by_tag["v1.0.0"].commits == [b] and by_tag["v1.0.0"].previous == "v1.0.0-rc1"
    assert by_tag["v1.0.1"].commits == [patch] and by_tag["v1.0.1"].previous == "v1.0.0"
    assert by_tag["v1.1.0"].commits == [c] and by_tag["v1.1.0"].previous == "v1.0.0"
    assert by_tag["v1.0.0-rc1"].message == "Release candidate"
    assert unreleased == [d]


def test_odd_tags_are_ignored_or_made_safe(repo: Repo) -> None:
    first = repo.commit("one", {"a": "1"})
    repo.tag("v0.1.0")
    repo.tag("0.1")  # two version tags on one commit
    repo.tag("nightly")
    repo.tag("--help")
    repo.tag("release/v2")
    second = repo.commit("two", {"a": "2"})
    repo.tag("v0.2.0")
    releases, unreleased = releases_of(repo)
    assert [r.tag for r in releases] == ["0.1", "v0.1.0", "v0.2.0"]
    assert [len(r.commits) for r in releases] == [1, 0, 1]
    assert releases[2].commits == [second] and first in releases[0].commits
    assert unreleased == []


def test_no_tags_means_everything_unreleased(repo: Repo) -> None:
    shas = [repo.commit(f"c{n}", {"a": str(n)}) for n in range(3)]
    releases, unreleased = releases_of(repo)
    assert releases == []
    assert sorted(unreleased) == sorted(shas)


def test_version_ordering() -> None:
    tags = ["v1.0.0", "v1.0.0-rc1", "v1.0.0rc2", "v0.9.10", "v0.9.9", "1.0.0.dev1", "v1.0.0-beta.2"]
    ordered = sorted(tags, key=lambda t: version_key(t))  # type: ignore[arg-type, return-value]
    assert ordered == ["v0.9.9", "v0.9.10", "1.0.0.dev1", "v1.0.0-beta.2", "v1.0.0-rc1", "v1.0.0rc2", "v1.0.0"]
    assert is_prerelease("v2.0.0-rc.1") and not is_prerelease("v2.0.0")
    assert version_key("nightly") is None


def test_tag_of_a_tag_and_tag_of_a_tree(repo: Repo) -> None:
    sha = repo.commit("one", {"a": "1"})
    repo.tag("v1.0.0", "Release")
    repo.tag("v1.0.0-signed", "Re-signed", target="v1.0.0")  # a tag object pointing at a tag object
    repo.git("tag", "v9.9.9", "HEAD^{tree}")
    _, state = open_repository(repo.path)
    targets = {tag.short_name: tag.target for tag in state.tags}
    assert targets == {"v1.0.0": sha, "v1.0.0-signed": sha}
