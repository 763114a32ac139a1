"""An unchanged repository is answered from the cache (issue 21): the changelog saved with a digest of
everything it read is returned without walking the history, and any change of one of those inputs
rebuilds it, byte for byte what a build without the cache writes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import generator.build
from generator.build import BuildOptions, Built
from generator.export.changelog import changelog_from_repo
from tests.gitrepo import Repo


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("ALMANAC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = Repo(tmp_path / "repo")
    repo.commit("Add the model (#1)", {"model.py": "x = 1\n"})
    repo.tag("v1.0", "First release")
    repo.commit("fix: a typo (#2)", {"model.py": "x = 2\n"})
    return repo


@pytest.fixture()
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The repositories the build was asked to read (a saved answer asks for none)."""
    asked: list[str] = []
    real = generator.build.build_repository

    def counted(options: BuildOptions, report: Callable[[str], None], **more: Any) -> Built:
        asked.append(str(options.repo))
        return real(options, report, **more)

    monkeypatch.setattr(generator.build, "build_repository", counted)
    return asked


def test_an_unchanged_repository_is_answered_from_the_cache_with_its_report(repo: Repo, builds: list[str]) -> None:
    lines: list[str] = []
    first = changelog_from_repo(repo.path, report=lines.append)
    assert any("changelog: 2 changes" in line for line in lines)
    again: list[str] = []
    assert changelog_from_repo(repo.path, report=again.append) == first
    assert again == lines  # the findings and coverage lines are shown again
    assert len(builds) == 1
    assert changelog_from_repo(repo.path, use_cache=False) == first
    assert len(builds) == 2  # --no-cache never reads a saved answer


def _new_commit(repo: Repo) -> None:
    repo.commit("feat: faster loading (#3)", {"loader.py": "y = 1\n"})


def _new_tag(repo: Repo) -> None:
    repo.tag("v1.1", "Second release")


def _moved_pull_request(repo: Repo) -> None:
    repo.git("update-ref", "refs/pull/2/head", repo.head())


def _forge_record(repo: Repo) -> None:
    (repo.path / ".almanac" / "forge").mkdir(parents=True, exist_ok=True)
    (repo.path / ".almanac" / "forge" / "note.json").write_text("{}", encoding="utf-8")


def _origin(repo: Repo) -> None:
    repo.git("remote", "add", "origin", "https://github.com/example/model.git")


@pytest.mark.parametrize("change", [_new_commit, _new_tag, _moved_pull_request, _forge_record, _origin])
def test_a_change_of_any_input_rebuilds_the_same_bytes_as_a_build_without_cache(
        repo: Repo, builds: list[str], change: Callable[[Repo], None]) -> None:
    changelog_from_repo(repo.path)
    change(repo)
    again = changelog_from_repo(repo.path)
    assert len(builds) == 2
    assert again == changelog_from_repo(repo.path, use_cache=False)


def test_options_and_the_files_they_name_are_inputs(repo: Repo, builds: list[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules.yml"
    rules.write_text("first_words: {}\n", encoding="utf-8")
    plain = changelog_from_repo(repo.path)
    assert changelog_from_repo(repo.path, fmt="json") != plain
    with_rules = changelog_from_repo(repo.path, rules_file=rules)
    assert changelog_from_repo(repo.path, rules_file=rules) == with_rules
    assert len(builds) == 3
    rules.write_text("conventional_types: {fix: Added}\n", encoding="utf-8")
    edited = changelog_from_repo(repo.path, rules_file=rules)
    assert len(builds) == 4
    assert edited == changelog_from_repo(repo.path, rules_file=rules, use_cache=False)
    assert len(builds) == 5
    assert changelog_from_repo(repo.path) == plain and len(builds) == 5  # one saved answer per set of options


def test_a_history_dated_beyond_the_build_time_is_never_saved(repo: Repo, builds: list[str]) -> None:
    """Whether such a date is believed depends on the clock, so the same refs may not give the same text."""
    repo.clock = 4_000_000_000  # 2096
    repo.commit("From the future (#4)", {"later.py": "z = 1\n"})
    changelog_from_repo(repo.path)
    changelog_from_repo(repo.path)
    assert len(builds) == 2


def test_written_pages_of_an_unchanged_repository_come_from_the_cache(
        repo: Repo, builds: list[str], tmp_path: Path) -> None:
    from generator.cli.commands import write_tree

    def written(folder: Path) -> dict[str, bytes]:
        return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.md"))}

    first = written(write_tree(str(repo.path), tmp_path / "one", None, use_cache=True))
    again = written(write_tree(str(repo.path), tmp_path / "two", None, use_cache=True))
    assert again == first and "releases/v1.0.md" in first and len(builds) == 1
    templates = tmp_path / "templates"
    (templates / "releases").mkdir(parents=True)
    (templates / "releases" / "release.md.j2").write_text("# {{ release.tag }} in our words\n", encoding="utf-8")
    overridden = written(write_tree(str(repo.path), tmp_path / "three", templates, use_cache=True))
    assert overridden["releases/v1.0.md"] == b"# v1.0 in our words\n" and len(builds) == 2
    (templates / "releases" / "release.md.j2").write_text("# {{ release.tag }}, edited\n", encoding="utf-8")
    edited = written(write_tree(str(repo.path), tmp_path / "four", templates, use_cache=True))
    assert edited["releases/v1.0.md"] == b"# v1.0, edited\n" and len(builds) == 3
    assert written(write_tree(str(repo.path), tmp_path / "five", None, use_cache=False)) == first


def test_a_damaged_saved_answer_is_built_again(repo: Repo, builds: list[str]) -> None:
    import sqlite3

    first = changelog_from_repo(repo.path)
    database = next((Path(os.environ["ALMANAC_CACHE_DIR"]) / "commits").iterdir()) / "history.sqlite"
    for damage in (b"not json", b'{"text": 5, "report": []}', b'{"report": ["x"]}'):
        with sqlite3.connect(database) as db:
            db.execute("UPDATE results SET data = ?", (damage,))
        assert changelog_from_repo(repo.path) == first
    assert len(builds) == 4


def test_a_sub_folder_of_the_repository_keeps_its_answer_where_the_build_keeps_its_cache(
        repo: Repo, builds: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALMANAC_CACHE_DIR")
    (repo.path / "docs").mkdir()
    first = changelog_from_repo(repo.path / "docs")
    assert changelog_from_repo(repo.path) == first and len(builds) == 1
    assert not (repo.path / "docs" / ".almanac").exists() and (repo.path / ".almanac").is_dir()
