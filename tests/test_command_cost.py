"""Each command pays only for what it prints (issue 21): a changelog reads no README, licence text,
notebook or line count, and is the same byte for byte as one made from a full build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.analysis.history.changes import annotate_releases
from generator.build import BuildOptions, build_knowledge
from generator.demo import DEMO, resolve_repo
from generator.export.changelog import changelog_from_repo, render_changelog, resolve_forge
from generator.model.errors import AlmanacError
from generator.sources.git.repo import GitRunner, open_repository
from generator.sources.git.walk import walk
from tests.gitrepo import Repo


def test_a_changelog_describes_no_model_and_equals_the_full_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    full = build_knowledge(BuildOptions(repo=resolve_repo(DEMO, Path.cwd()), use_cache=False))
    forge = resolve_forge(Path(full.state.root), None)
    expected = render_changelog(full, annotate_releases(full).unreleased, forge=forge)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a changelog described the model")

    monkeypatch.setattr("generator.analysis.models.description.describe_model", refuse)
    monkeypatch.setattr("generator.analysis.community.resources.discovered_resources", refuse)
    assert changelog_from_repo(resolve_repo(DEMO, Path.cwd()), use_cache=False) == expected


def test_a_changelog_reads_paths_not_line_counts_and_leaves_the_commit_cache_for_a_full_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """numstat was 3.9 s of a 10 s changelog of ollama/ollama, and the changelog prints no line counts."""
    repo = Repo(tmp_path / "repo")
    repo.commit("Add docs", {"docs/index.md": "# Docs\n"})
    repo.git("tag", "v1.0")
    repo.commit("Move the docs", {"docs/guide.md": "# Docs\n"})
    repo.git("rm", "-q", "docs/index.md")
    repo.commit("Remove the old page")
    monkeypatch.setenv("ALMANAC_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[tuple[str, ...]] = []
    stream = GitRunner.stream

    def recorded(self: GitRunner, *args: str, stdin: bytes = b"") -> Iterator[bytes]:
        calls.append(args)
        return stream(self, *args, stdin=stdin)

    monkeypatch.setattr(GitRunner, "stream", recorded)
    text = changelog_from_repo(repo.path)
    walks = [args for args in calls if "log" in args]
    assert walks and all("--numstat" not in args for args in walks)
    assert "--name-status" in walks[0]
    assert "Move the docs" in text and "Remove the old page" in text
    knowledge = build_knowledge(BuildOptions(repo=repo.path))  # the cache holds no row without line counts
    counts = [(change.path, change.added) for commit in knowledge.commits.values() for change in commit.files]
    assert ("docs/guide.md", 1) in counts and all(added is not None for _, added in counts)


def test_names_without_line_counts_parse_whatever_the_paths_look_like(tmp_path: Path) -> None:
    """A path named like a status letter or a SHA cannot end a record early or start a false one."""
    repo = Repo(tmp_path / "repo")
    sha_like = "a" * 40
    repo.commit("Odd names", {"M": "m\n", sha_like: "x\n", "dir/A": "a\n"})
    repo.commit("Second", {"M": "changed\n"})
    runner, state = open_repository(repo.path)
    assert state.head is not None
    commits = list(walk(runner, [state.head], files="paths"))
    assert [commit.message for commit in commits] == ["Second", "Odd names"]
    assert [change.path for change in commits[0].files] == ["M"]
    assert sorted(change.path for change in commits[1].files) == sorted(["M", sha_like, "dir/A"])
    assert all(change.added is None and change.deleted is None for commit in commits for change in commit.files)


def test_a_pipe_of_two_git_processes_streams_counts_both_and_names_the_one_that_failed(tmp_path: Path) -> None:
    """The look-alikes' diffs go from ``diff-tree`` straight into ``patch-id`` (60 MB on ollama/ollama)."""
    repo = Repo(tmp_path / "repo")
    shas = [repo.commit(f"Commit {n}", {f"file{n}.txt": f"{n}\n" * 20_000}) for n in range(30)]  # 3 MB of diffs
    runner = GitRunner(repo.path)
    stdin = ("\n".join(shas) + "\n").encode()
    ids = runner.run_piped(["diff-tree", "--stdin", "--root", "-p"], stdin, ["patch-id", "--stable"])
    assert sorted(line.split()[1] for line in ids.decode().splitlines()) == sorted(shas)
    assert len(runner.calls) == 2
    with pytest.raises(AlmanacError, match="git cat-file failed"):
        runner.run_piped(["cat-file", "--no-such-option"], b"", ["patch-id", "--stable"])
    with pytest.raises(AlmanacError, match="git patch-id failed"):
        runner.run_piped(["diff-tree", "--stdin", "--root", "-p"], stdin, ["patch-id", "--no-such-option"])
