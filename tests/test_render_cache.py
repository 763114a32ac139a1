"""MkDocs' Markdown pass is skipped for a generated page whose Markdown it converted before (issue 21):
the site is the same bytes as a build without any cache, and what converting logs is logged again."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.cli.commands import main
from site_plugins.almanac import rendercache
from tests.gitrepo import Repo

REUSED = "generated pages converted as in the last build"


def site_files(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def reuse_line(caplog: pytest.LogCaptureFixture) -> str:
    lines = [record.getMessage() for record in caplog.records if REUSED in record.getMessage()]
    caplog.clear()
    return lines[-1] if lines else ""


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("ALMANAC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    repo = Repo(tmp_path / "repo")
    repo.commit("Add the model (#1)", {"README.md": "# Tiny model\n\nA model.\n", "model.py": "x = 1\n"})
    repo.tag("v1.0", "First release")
    repo.commit("fix: a typo (#2)", {"model.py": "x = 2\n"}, author="Bob <bob@example.com>")
    repo.tag("v1.1", "Second release")
    return repo


def build(repo: Repo, site: Path, *extra: str) -> dict[str, bytes]:
    assert main(["build", "--repo", str(repo.path), "--site-dir", str(site), *extra]) == 0
    return site_files(site)


def test_reused_conversions_give_the_bytes_of_a_build_without_cache(
        repo: Repo, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    first = build(repo, tmp_path / "one")
    assert reuse_line(caplog).startswith("almanac: 0 of ")
    second = build(repo, tmp_path / "two")
    line = reuse_line(caplog)
    total = int(line.split(" of ")[1].split()[0])
    assert total > 5 and line.startswith(f"almanac: {total} of {total} ")
    assert second == first == build(repo, tmp_path / "none", "--no-cache")
    repo.commit("Add a sampler (#3)", {"sampler.py": "s = 1\n"}, author="Carol <carol@example.com>")
    grown = build(repo, tmp_path / "three")
    reused = int(reuse_line(caplog).removeprefix("almanac: ").split()[0])
    assert 0 < reused < total  # the releases' pages were as before; the overview and the new person's were not
    assert grown == build(repo, tmp_path / "four", "--no-cache")


def test_a_conversion_logs_its_warnings_again_when_reused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = "almanac"
    file = File.generated(config, "releases/v1.md", content="# v1.0\n\n## Fixed\n\nSee [the guide](../missing.md).\n")
    files = Files([file])
    saved: dict[str, bytes] = {}
    contents = []
    for _ in range(2):
        cache = rendercache.RenderCache("key", {file.src_uri}, saved.get)
        page = Page(None, file, config)
        page.read_source(config)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs"):
            cache.render(page, config, files)
        saved.update(cache.entries)
        contents.append((page.content, [(item.title, item.id, [c.id for c in item.children]) for item in page.toc],
                         page.title, page.present_anchor_ids,
                         [record.getMessage() for record in caplog.records if "missing.md" in record.getMessage()]))
    assert contents[0] == contents[1] and cache.reused == 1
    assert contents[0][1] == [("v1.0", "v10", ["fixed"])] and len(contents[0][4]) == 1


def test_settings_that_differ_from_process_to_process_turn_the_cache_off() -> None:
    def keyed(value: object) -> object:
        return rendercache._stable(value)

    assert keyed([functools.partial(sorted, reverse=True)]) == keyed([functools.partial(sorted, reverse=True)])
    with pytest.raises(rendercache._Unstable):
        keyed({"toc": {"slugify": lambda text, sep: text}})
    with pytest.raises(rendercache._Unstable):
        keyed([object()])


def test_no_conversion_is_reused_where_mkdocstrings_records_every_heading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("ALMANAC_CACHE_DIR", str(tmp_path / "cache"))
    repo = Repo(tmp_path / "repo")
    repo.commit("Package and docs", {
        "README.md": "# Tiny\n", "tinypkg/__init__.py": '"""Tiny."""\n',
        "mkdocs.yml": "site_name: Tiny\ntheme:\n  name: material\nplugins:\n  - search\n  - mkdocstrings\n"
                      "  - almanac\n", "docs/index.md": "# Home\n"})
    caplog.set_level(logging.INFO)
    for site in ("one", "two"):
        assert main(["build", "--repo", str(repo.path), "--site-dir", str(tmp_path / site), "--trust-repo-config"]) == 0
        assert reuse_line(caplog) == ""


def test_a_damaged_saved_conversion_is_converted_again(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins._current_plugin = "almanac"
    file = File.generated(config, "releases/v1.md", content="# v1.0\n\nNotes.\n")
    for damage in (b"not json", b'{"lookups": 5}', b'{"lookups": [], "content": "x"}'):
        cache = rendercache.RenderCache("key", {file.src_uri}, lambda key, saved=damage: saved)
        page = Page(None, file, config)
        page.read_source(config)
        cache.render(page, config, Files([file]))
        assert cache.reused == 0 and page.content is not None and "<h1" in page.content
