"""The commit cache never changes what Almanac publishes, checked on the corpus repositories (issue 17).

Four ways to get one output, byte for byte: ``--no-cache``; a cold cache; a warm cache; and an
incremental one (the cache filled at an older commit of the same history, then the build at HEAD, which
updates the saved analysis instead of recomputing it). The ``--no-cache`` and cold runs are separate
processes with different hash seeds, so a choice that follows dictionary or set order (two people given
one key, a login picked by iteration order) shows up as a difference instead of passing quietly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import generator.build
from generator.analysis.history.identities import github_account
from generator.cli.commands import main
from tests.realrepos.conftest import ABSENT, CORPUS

NAMES = ["THUDM+ChatGLM2-6B", "deepseek-ai+DeepSeek-V2", "meta-llama+llama", "mistralai+mistral-inference"]
#: The whole generated site (``almanac write``) is compared on two: tags, PR merges and squashes, a package.
SITES = ["meta-llama+llama", "mistralai+mistral-inference"]
#: The three whose history has GitHub noreply authors (ChatGLM2-6B's has none).
RENAMED = ["deepseek-ai+DeepSeek-V2", "meta-llama+llama", "mistralai+mistral-inference"]
#: How far back (first-parent commits) the incremental cache is filled, at most: a few PRs land after it.
BACK = 6
SOURCE_DATE_EPOCH = "1780000000"

pytestmark = pytest.mark.skipif(not (CORPUS / "clone").is_file(), reason=ABSENT)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module", params=NAMES)  # its own clones: the renaming test adds commits
def repo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(request.param.replace("+", "-")) / "repo"
    subprocess.run([str(CORPUS / "clone"), request.param, str(path)], check=True, capture_output=True)
    return path


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


def run_in_process(args: list[str], cache: Path | None) -> None:
    with pytest.MonkeyPatch.context() as patch:
        if cache is not None:
            patch.setenv("ALMANAC_CACHE_DIR", str(cache))
        assert main([*args, *([] if cache is not None else ["--no-cache"])]) == 0


def run_in_subprocess(args: list[str], cache: Path | None, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    if cache is not None:
        env["ALMANAC_CACHE_DIR"] = str(cache)
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from generator.cli.commands import main; sys.exit(main(sys.argv[1:]))",
         *args, *([] if cache is not None else ["--no-cache"])],
        env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def read_output(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {"(the file)": path.read_bytes()}
    return {str(file.relative_to(path)): file.read_bytes() for file in sorted(path.rglob("*")) if file.is_file()}


def older_commit(repo: Path) -> str:
    """A first-parent ancestor of HEAD a few commits back, never behind the newest tag: the cache filled
    there holds everything HEAD's history holds but the commits after it."""
    back = BACK
    tags = git(repo, "tag", "--merged", "HEAD", "--sort=-creatordate")
    if tags:
        since_tag = int(git(repo, "rev-list", "--first-parent", "--count", f"{tags.splitlines()[0]}..HEAD"))
        back = min(back, since_tag - 1)
    assert back > 0, "no commit after the newest tag to build incrementally"
    return git(repo, "rev-parse", f"HEAD~{back}")


def assert_same_four_ways(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          command: Callable[[Path], list[str]],
                          fill: Callable[[Path], list[str]] | None = None) -> None:
    """``--no-cache`` (hash seed 0), cold (seed 1), warm and incremental (in this process) agree. ``fill`` is the
    command that fills the cache at the older commit (default: ``command`` itself)."""
    outputs: dict[str, dict[str, bytes]] = {}
    run_in_subprocess(command(tmp_path / "no-cache"), None, "0")
    outputs["no-cache"] = read_output(tmp_path / "no-cache")
    run_in_subprocess(command(tmp_path / "cold"), tmp_path / "cache", "1")
    outputs["cold"] = read_output(tmp_path / "cold")
    run_in_process(command(tmp_path / "warm"), tmp_path / "cache")
    outputs["warm"] = read_output(tmp_path / "warm")

    branch = git(repo, "symbolic-ref", "--short", "HEAD")
    git(repo, "checkout", "-q", "--detach", older_commit(repo))
    try:
        run_in_process((fill or command)(tmp_path / "older"), tmp_path / "incremental-cache")
    finally:
        git(repo, "checkout", "-q", branch)
    full_analyses: list[object] = []
    real_analyse = generator.build.analyse
    monkeypatch.setattr(generator.build, "analyse", lambda *a: full_analyses.append(a) or real_analyse(*a))
    run_in_process(command(tmp_path / "incremental"), tmp_path / "incremental-cache")
    outputs["incremental"] = read_output(tmp_path / "incremental")
    assert full_analyses == [], "the build at HEAD did not update the saved analysis: nothing incremental tested"

    assert outputs["no-cache"], "nothing was written"
    for way in ("cold", "warm", "incremental"):
        assert sorted(outputs[way]) == sorted(outputs["no-cache"]), way
        differing = [name for name, content in outputs[way].items() if content != outputs["no-cache"][name]]
        assert differing == [], f"{way} differs from --no-cache in {differing}"


def test_the_changelog_is_the_same_with_and_without_the_cache(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A changelog writes no commit row (it reads no line counts): its incremental case is the changelog grown
    from the commit cache a site build left at the older commit (a CI job that does both); its warm case
    is the saved answer."""
    assert_same_four_ways(repo, tmp_path, monkeypatch, lambda out: ["changelog", "--repo", str(repo), "-o", str(out)],
                          fill=lambda out: ["write", str(out), "--repo", str(repo)])


@pytest.mark.parametrize("repo", SITES, indirect=True)
def test_every_generated_page_is_the_same_with_and_without_the_cache(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_four_ways(repo, tmp_path, monkeypatch, lambda out: ["write", str(out), "--repo", str(repo)])


@pytest.mark.parametrize("repo", RENAMED, indirect=True)
def test_a_contributor_who_renames_their_account_is_named_by_the_new_login_everywhere(
        repo: Path, tmp_path: Path) -> None:
    """The real history plus one commit from the renamed account of its most credited GitHub user: every
    entry of theirs, old or new, names the new login, with or without the cache (issue 17: a renamed
    account was ``@old`` in one build and ``@new`` in the other)."""
    run_in_process(["changelog", "--repo", str(repo), "-o", str(tmp_path / "before.md")], tmp_path / "cache")
    before = (tmp_path / "before.md").read_text(encoding="utf-8")
    authors = [line.split("|") for line in git(repo, "log", "--format=%an|%ae", "HEAD").splitlines()]
    accounts = {github_account(email): name for name, email in reversed(authors) if github_account(email)[1]}
    (login, number), name = max(accounts.items(), key=lambda item: (before.count(f"by @{item[0][0]}"), item[0]))
    assert before.count(f"by @{login}") > 0
    renamed = f"0renamed{number}"  # sorts before any login: the old code kept the last in address order
    env = {**os.environ, "GIT_AUTHOR_DATE": "1779000000 +0000", "GIT_COMMITTER_DATE": "1779000000 +0000",
           "GIT_COMMITTER_NAME": "Maintainer", "GIT_COMMITTER_EMAIL": "maintainer@example.com"}
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "Add a note after the rename",
                    "--author", f"{name} <{number}+{renamed}@users.noreply.github.com>"], env=env, check=True)
    try:
        run_in_process(["changelog", "--repo", str(repo), "-o", str(tmp_path / "cached.md")], tmp_path / "cache")
        run_in_subprocess(["changelog", "--repo", str(repo), "-o", str(tmp_path / "no-cache.md")], None, "0")
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")
    cached = (tmp_path / "cached.md").read_bytes()
    assert cached == (tmp_path / "no-cache.md").read_bytes()
    assert f"by @{login}".encode() not in cached
    assert cached.count(f"by @{renamed}".encode()) == before.count(f"by @{login}") + 1
