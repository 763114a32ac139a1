"""Almanac replaces only what it wrote, writes nothing through a link a repository commits, and two
builds into one folder never publish half a site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.sources.files.atomic import OWNER_MARKER
from tests.gitrepo import Repo
from tests.test_sync import TOKEN, github  # noqa: F401  (the fake GitHub API fixture)


def small_repo(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit("Add model card", {"README.md": "# Tiny\n\nA tiny model.\n", "LICENSE": "MIT License\n"})
    repo.tag("v0.1.0", "First release")
    repo.commit("feat: tokenizer (#2)", {"tok.py": "x = 1\n"}, author="Wei Zhang <wei@example.com>")
    return repo


def build(repo: Path, site: Path, *extra: str) -> int:
    return main(["build", "--repo", str(repo), "--site-dir", str(site), *extra])


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` (dotfiles and .git included): a link by its target, a file by its bytes."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        found[name] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes() if path.is_file() else "/"
    return found


@pytest.fixture
def described(tmp_path: Path) -> Repo:
    return small_repo(tmp_path / "described")


@pytest.mark.parametrize("force", [(), ("--force",)], ids=["plain", "force"])
def test_a_checkout_that_commits_a_sitemap_is_never_replaced(described: Repo, tmp_path: Path, force: tuple[str, ...],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    pages = Repo(tmp_path / "gh-pages")  # a gh-pages checkout: what an earlier Almanac took for its own site
    pages.commit("Publish", {"index.html": "<h1>live site</h1>", "sitemap.xml": "<urlset/>", "CNAME": "docs.example"})
    pages.write("draft.html", "uncommitted work")
    before = snapshot(pages.path)
    assert build(described.path, pages.path, *force) == 2
    err = capsys.readouterr().err
    assert "holds .git" in err and "even with --force" in err and "Traceback" not in err
    assert snapshot(pages.path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gh-pages")] == []


def test_a_folder_holding_the_described_repository_is_never_replaced(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = tmp_path / "work"
    repo = small_repo(workspace / "model")
    (workspace / "sitemap.xml").write_text("<urlset/>")
    before = snapshot(workspace)
    for force in ((), ("--force",)):
        assert build(repo.path, workspace, *force) == 2
        assert "never replaces it" in capsys.readouterr().err
        assert snapshot(workspace) == before


def test_a_home_like_folder_with_a_sitemap_gets_a_message_not_a_deletion(
        described: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.tex").write_text("years of work")
    (home / ".bashrc").write_text("alias ll='ls -l'\n")
    (home / "sitemap.xml").write_text("<urlset/>")  # what an older Almanac build left, or anyone's site
    before = snapshot(home)
    assert build(described.path, home) == 2
    err = capsys.readouterr().err
    assert "earlier Almanac" in err and "--force" in err
    assert snapshot(home) == before
    assert build(described.path, home, "--force") == 0  # told to: its files go, its dotfiles stay
    assert not (home / "Documents").exists() and (home / "index.html").is_file()
    assert (home / ".bashrc").read_text() == "alias ll='ls -l'\n"
    assert build(described.path, home) == 0  # marked now: replaced without --force from then on


def test_own_site_is_replaced_keeping_dotfiles_and_bytes(described: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(described.path, site) == 0
    first = snapshot(site)
    assert OWNER_MARKER in first and "almanac build" in str(first[OWNER_MARKER])
    (site / ".nojekyll").write_text("")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: x\n")
    assert build(described.path, site) == 0
    second = snapshot(site)
    assert second.pop(".nojekyll") == b"" and second.pop(".well-known/security.txt") == b"Contact: x\n"
    second.pop(".well-known")
    assert second == first  # the marker is the same bytes on every build: sites stay reproducible


def test_a_folder_of_dotfiles_loses_nothing_so_needs_no_force(described: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / ".htaccess").write_text("Options -Indexes\n")
    assert build(described.path, site) == 0
    assert (site / ".htaccess").read_text() == "Options -Indexes\n" and (site / "index.html").is_file()


def test_write_and_build_own_folders_the_same_way(described: Repo, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    assert main(["write", str(out), "--repo", str(described.path)]) == 0
    assert (out / OWNER_MARKER).is_file()
    assert build(described.path, out) == 0  # one marker, whichever command wrote the folder
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "index.md").write_text("old page")
    (legacy / ".almanac-write").write_text("Written by `almanac write`; safe to replace.\n")
    assert main(["write", str(legacy), "--repo", str(described.path)]) == 0  # an older write's own marker
    assert not (legacy / ".almanac-write").exists() and (legacy / OWNER_MARKER).is_file()


def test_a_planted_or_linked_marker_is_not_ownership(described: Repo, tmp_path: Path) -> None:
    real = tmp_path / "real"
    assert main(["write", str(real), "--repo", str(described.path)]) == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("keep")
    (mine / OWNER_MARKER).symlink_to(real / OWNER_MARKER)
    assert build(described.path, mine) == 2
    (mine / OWNER_MARKER).unlink()
    (mine / OWNER_MARKER).write_text("Almanac was here\n")
    assert build(described.path, mine) == 2
    assert (mine / "notes.md").read_text() == "keep"


CONCURRENT_BUILDS = 3


def test_concurrent_builds_into_one_folder_each_publish_a_whole_site(described: Repo, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build(described.path, site) == 0  # the site the concurrent builds replace, and what they must publish
    expected = sorted(str(p.relative_to(site)) for p in site.rglob("*"))
    command = [sys.executable, "-m", "generator.cli", "build", "--repo", str(described.path), "--site-dir", str(site)]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(CONCURRENT_BUILDS)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0] * CONCURRENT_BUILDS, errors
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*")) == expected
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # no staging, no lock left


@pytest.mark.skipif(sys.platform == "win32", reason="no flock")
def test_a_build_waits_for_the_swap_lock(described: Repo, tmp_path: Path) -> None:
    import fcntl
    import time

    site = tmp_path / "site"
    assert build(described.path, site) == 0
    (site / "index.html").write_text("previous site")
    lock = tmp_path / ".site.almanac-lock"
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # another run is swapping
    command = [sys.executable, "-m", "generator.cli", "build", "--repo", str(described.path), "--site-dir", str(site)]
    run = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(f".site.almanac-new-*/{OWNER_MARKER}")):  # built, now at the swap
            assert run.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        assert run.poll() is None and (site / "index.html").read_text() == "previous site"
    finally:
        lock.unlink()  # as a run does when it is done: the waiting run must lock a new file
        os.close(descriptor)
    assert run.wait(timeout=60) == 0, run.communicate()[1]
    run.communicate()
    assert (site / "index.html").read_text() != "previous site" and not lock.exists()


def test_a_committed_link_in_dot_almanac_is_never_written_through(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ALMANAC_CACHE_DIR")  # the commit cache in the repository, where a link can wait
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = small_repo(tmp_path / "linked-folder")
    (repo.path / ".almanac").symlink_to(outside, target_is_directory=True)
    repo.commit("cache folder", allow_empty=True)
    assert build(repo.path, tmp_path / "site1") == 0
    assert ".almanac: is a symbolic link" in capsys.readouterr().err
    assert list(outside.iterdir()) == []
    for name in (".gitignore", "history.sqlite", "history.sqlite-wal"):
        repo = small_repo(tmp_path / f"linked-{name}")
        (repo.path / ".almanac").mkdir()
        (repo.path / ".almanac" / name).symlink_to(outside / name)  # dangling: a write would create it
        assert build(repo.path, tmp_path / f"site-{name}") == 0
        capsys.readouterr()
        assert list(outside.iterdir()) == [], name


def test_sync_refuses_to_write_the_forge_cache_through_a_link(
        github: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = small_repo(tmp_path / "repo")
    (repo.path / ".almanac").mkdir()
    (repo.path / ".almanac" / "forge").symlink_to(outside, target_is_directory=True)
    api = github.url_for("").rstrip("/")  # type: ignore[attr-defined]
    assert main(["sync", "--repo", str(repo.path), "--github", "o/r", "--github-api", api]) == 2
    err = capsys.readouterr().err
    assert "forge: is a symbolic link" in err and TOKEN not in err
    assert list(outside.iterdir()) == []
