"""The command line agrees with itself (issue 20, item 3): without ``--repo`` every command describes the
git repository containing the current folder, the demo only where there is none (and it says so); one
``-o/--out`` for the file to write; ``--version``; and the distribution is ``mkdocs-almanac`` (item 4)."""

from __future__ import annotations

import json
from importlib.metadata import distribution, version
from pathlib import Path

import pytest

from generator.cli.commands import main
from tests.gitrepo import Repo

NAME = "Zephyrine-7B"


@pytest.fixture
def inside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A model repository with a tag; the current folder is a folder below its top."""
    repo = Repo(tmp_path / "zephyrine")
    repo.commit("Add the model card", {"README.md": f"# {NAME}\n\nA small model.\n", "src/run.py": "print(1)\n"})
    repo.commit("Fix the tokenizer padding side", {"src/run.py": "print(2)\n"})
    repo.git("tag", "v1.0")
    monkeypatch.chdir(repo.path / "src")
    return repo


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder in no git repository, even if the temporary folder lies inside one."""
    folder = tmp_path / "plain"
    folder.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(folder)
    return folder


def test_write_inside_a_repository_describes_it_not_the_demo(inside: Repo, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pages"
    assert main(["write", str(out)]) == 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert NAME in index and "Lumen" not in index
    assert "demo" not in capsys.readouterr().err


def test_build_inside_a_repository_describes_it_not_the_demo(inside: Repo, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    assert main(["build", "--site-dir", str(site)]) == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    assert NAME in index and "Lumen" not in index
    assert "showing the demo" not in capsys.readouterr().err


def test_the_other_commands_describe_the_same_repository(inside: Repo, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changelog"]) == 0
    assert "\n## v1.0 - " in capsys.readouterr().out  # no forge: a plain heading, no dangling link label
    assert main(["card", "--format", "json"]) == 0
    assert NAME in capsys.readouterr().out
    assert main(["check"]) == 0


def test_outside_any_repository_a_site_shows_the_demo_and_says_so(outside: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pages"
    assert main(["write", str(out)]) == 0
    assert "Lumen" in (out / "index.md").read_text(encoding="utf-8")
    said = [line for line in capsys.readouterr().err.splitlines() if "demo" in line]
    assert len(said) == 1 and "not in a git repository" in said[0] and "--repo" in said[0]


@pytest.mark.parametrize("command", [["changelog"], ["card"], ["notice"], ["check"]])
def test_outside_any_repository_files_are_not_written_from_the_demo(
        outside: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A NOTICE or card of the demo written into a stranger's folder, or a CI check that passes on the
    demo, would mislead: these stop with one line naming both ways on."""
    assert main(command) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not in a git repository" in captured.err and "--repo demo" in captured.err
    assert list(outside.iterdir()) == []


def test_one_name_for_the_output_file_on_every_command(inside: Repo, tmp_path: Path) -> None:
    for command, extra in (("changelog", []), ("card", ["--format", "json"]), ("notice", [])):
        for spelling in ("-o", "--out", "--output"):
            target = tmp_path / f"{command}{spelling}.txt"
            assert main([command, *extra, spelling, str(target)]) == 0, (command, spelling)
            assert target.stat().st_size > 0
    assert json.loads((tmp_path / "card--output.txt").read_text(encoding="utf-8"))


def test_version_is_the_installed_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"almanac {version('mkdocs-almanac')}"


def test_distribution_is_mkdocs_almanac_with_the_almanac_command_and_plugins() -> None:
    """``almanac`` on the package index is another project; the command and plugin names stay."""
    points = {(point.group, point.name): point.value for point in distribution("mkdocs-almanac").entry_points}
    assert points[("console_scripts", "almanac")] == "generator.cli.commands:main"
    assert points[("mkdocs.plugins", "almanac")] == "site_plugins.almanac.plugin:AlmanacPlugin"
    assert points[("mkdocs.plugins", "almanac/releases")] == "site_plugins.almanac.variants:ReleasesPlugin"


def test_a_long_walk_prints_plain_progress_lines_in_a_log(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """No terminal (CI): a bar's redraws would flood the log, and silence looks hung (80 s on an
    80,000-commit repository): a plain line every few seconds, then one saying it is done."""
    import time

    from generator.cli import progress
    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.05)
    with progress.commit_progress() as on_progress:
        on_progress(45_000)
        time.sleep(0.3)
        on_progress(80_000)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) >= 3
    assert lines[0].startswith("almanac: Walking history: 45,000 commits read (")
    assert lines[-1].startswith("almanac: Walking history: 80,000 commits read, done (")
    assert all("\r" not in line and "\x1b" not in line for line in lines)


def test_a_quick_walk_in_a_log_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import progress
    with progress.commit_progress() as on_progress:
        on_progress(1_000)
    assert capsys.readouterr().err == ""
