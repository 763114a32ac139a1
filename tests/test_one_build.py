"""One build, many views (issue 22): every command and the MkDocs plugin read the repository through
``build_repository``, so the same facts reach every output: the onboarding guide's findings reach the
site's log, ``almanac write``'s report and ``almanac check``; the release feeds are written by ``write``
as by the site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import BuildOptions, Built, build_repository
from generator.export.check import run_checks
from generator.render.pages import render_pages
from tests.gitrepo import Repo

#: What the contributing guide says that the history contradicts, as the guide's finding words it.
CONTRADICTED = "asks for pull requests to be rebased onto the branch, but 6 of the last 6 were squash-merged"
NOT_UNDERSTOOD = ".github/CODEOWNERS:2: rule not understood"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("ALMANAC_CACHE_DIR", str(tmp_path / "cache"))
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial commit", {
        "README.md": "# Tiny\n", "src/model.py": "x = 1\n",
        ".github/CODEOWNERS": "* @tiny/maintainers\n[ @nobody\n",
        "CONTRIBUTING.md": "Please use Rebase and merge for your pull requests.\n",
    })
    for number in range(1, 7):
        repo.commit(f"Fix thing {number} (#{number})", {f"src/f{number}.py": "y = 2\n"})
    repo.tag("v0.1.0")
    return repo


def almanac(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, check=False)


def test_the_guides_findings_are_the_same_in_every_view(repo: Repo, tmp_path: Path) -> None:
    built = build_repository(BuildOptions(repo=repo.path, use_cache=False))
    page = render_pages(built)["onboarding.md"]
    assert f"CONTRIBUTING.md {CONTRADICTED}." in page
    found = [str(finding) for finding in built.guide_findings]
    assert len(found) == 2 and found[0].startswith(NOT_UNDERSTOOD) and found[1] == f"CONTRIBUTING.md: {CONTRADICTED}"
    checks = [check.line() for check in run_checks(Built(built.knowledge))]
    assert any(line.startswith(".github/CODEOWNERS:2: warning: rule not understood") for line in checks)
    assert f"CONTRIBUTING.md: warning: {CONTRADICTED}" in checks

    check = almanac("check", "--repo", str(repo.path), "--format", "json")
    assert {"level": "warning", "where": "CONTRIBUTING.md", "message": CONTRADICTED} in json.loads(check.stdout)
    written = almanac("write", "--repo", str(repo.path), str(tmp_path / "out"))
    assert written.returncode == 0, written.stderr
    assert f"almanac: info: CONTRIBUTING.md: {CONTRADICTED}" in written.stderr.splitlines()  # a warning at the gate
    assert any(line.startswith(f"almanac: warning: {NOT_UNDERSTOOD}") for line in written.stderr.splitlines())


def test_write_writes_the_release_feeds_the_site_has(repo: Repo, tmp_path: Path) -> None:
    written = almanac("write", "--repo", str(repo.path), str(tmp_path / "out"))
    assert written.returncode == 0, written.stderr
    atom = (tmp_path / "out" / "feed.xml").read_text(encoding="utf-8")
    feed = json.loads((tmp_path / "out" / "feed.json").read_text(encoding="utf-8"))
    assert "<title>v0.1.0</title>" in atom and [item["title"] for item in feed["items"]] == ["v0.1.0"]
    index = (tmp_path / "out" / "releases" / "index.md").read_text(encoding="utf-8")
    assert "[Atom feed](../feed.xml) · [JSON feed](../feed.json)" in index


def test_analyses_are_computed_once_and_only_when_asked(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.analysis.history.changes as changes

    calls: list[int] = []
    real = changes.annotate_releases
    monkeypatch.setattr(changes, "annotate_releases", lambda *args: calls.append(1) or real(*args))
    built = build_repository(BuildOptions(repo=repo.path, use_cache=False))
    assert calls == []  # card and notice never pay for release notes
    render_pages(built)
    _ = built.notes, built.guide, built.health
    assert calls == [1]


def test_the_site_build_reports_the_guides_findings_too(repo: Repo, tmp_path: Path) -> None:
    built = almanac("build", "--repo", str(repo.path), "--site-dir", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    assert CONTRADICTED in built.stderr and NOT_UNDERSTOOD in built.stderr
    assert (tmp_path / "site" / "feed.xml").is_file()
