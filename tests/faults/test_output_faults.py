"""Outputs in odd places: FIFOs, sockets and device nodes, setgid folders, a read-only repository, a
path under a file, a README that quotes Almanac's marker. Each gets one line and the right exit code."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli.commands import main
from generator.export.cardexport import CARD_MARKER
from generator.model.errors import EXIT_USER_ERROR
from tests.gitrepo import Repo


@pytest.fixture
def model(repo: Repo) -> Repo:
    repo.commit("Add model card", {"README.md": "---\nlicense: mit\n---\n# Tiny\n\nA tiny model.\n",
                                   "LICENSE": "MIT License\n"})
    repo.tag("v0.1.0", "First release")
    return repo


def almanac(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command in its own process: a hang fails the test instead of stopping the suite."""
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.mark.parametrize("command", ["changelog", "card", "notice"])
def test_output_to_a_fifo_is_refused_not_waited_on(model: Repo, tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    option = "--output" if command == "changelog" else "--out"
    result = almanac(command, "--repo", str(model.path), option, str(fifo), "--force", timeout=30)
    assert result.returncode == EXIT_USER_ERROR
    assert f"{fifo}: is not a regular file" in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_force_never_replaces_a_socket_or_a_device(model: Repo, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "NOTICE"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        assert main(["notice", "--repo", str(model.path), "-o", str(path), "--force"]) == EXIT_USER_ERROR
        assert "is not a regular file" in capsys.readouterr().err
        assert stat.S_ISSOCK(path.lstat().st_mode)
    if os.geteuid() == 0:  # only root may make a device node
        path.unlink()
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
        assert main(["notice", "--repo", str(model.path), "-o", str(path), "--force"]) == EXIT_USER_ERROR
        assert stat.S_ISCHR(path.lstat().st_mode)


def test_a_readme_that_quotes_the_marker_is_not_ours(model: Repo, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    readme = tmp_path / "README.md"
    quoted = f"# My model\n\nAlmanac marks the card it writes with this line:\n\n```\n{CARD_MARKER}\n```\n"
    readme.write_text(quoted)
    assert main(["card", "--repo", str(model.path), "-o", str(readme)]) == EXIT_USER_ERROR
    assert "refusing to overwrite" in capsys.readouterr().err
    assert readme.read_text() == quoted
    assert main(["card", "--repo", str(model.path), "-o", str(readme), "--force"]) == 0
    written = readme.read_text()
    assert main(["card", "--repo", str(model.path), "-o", str(readme)]) == 0  # its own card: marker after front matter
    assert written.startswith("---\n") and readme.read_text() == written


@pytest.mark.parametrize("command", ["build", "write"])
def test_a_replaced_folder_keeps_its_mode_and_group(model: Repo, tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    args = ["build", "--repo", str(model.path), "--site-dir", str(out)] if command == "build" else \
        ["write", str(out), "--repo", str(model.path)]
    assert main(args) == 0
    os.chmod(out, 0o2750)  # shared with a group: setgid keeps new files in it
    assert main(args) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o2750


def test_build_writes_nothing_into_the_repository(model: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def tree() -> list[str]:
        return sorted(str(p.relative_to(model.path)) for p in model.path.rglob("*") if ".git" not in p.parts)

    before = tree()
    assert main(["build", "--repo", str(model.path), "--site-dir", str(tmp_path / "a"), "--no-cache"]) == 0
    assert tree() == before
    cache_root = tmp_path / "cache"
    monkeypatch.setenv("ALMANAC_CACHE_DIR", str(cache_root))  # moves the commit cache too
    assert main(["build", "--repo", str(model.path), "--site-dir", str(tmp_path / "b")]) == 0
    assert tree() == before
    caches = list((cache_root / "commits").iterdir())
    assert [p.name.rsplit("-", 1)[0] for p in caches] == ["repo"] and (caches[0] / "history.sqlite").is_file()
    assert stat.S_IMODE(caches[0].stat().st_mode) == 0o700  # it holds e-mail addresses


def test_serve_takes_no_cache_too() -> None:
    from generator.cli.commands import _parser

    assert _parser().parse_args(["serve", "--no-cache"]).no_cache is True


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_repository_builds(model: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ALMANAC_CACHE_DIR")
    subprocess.run(["chmod", "-R", "a-w", str(model.path)], check=True)
    try:
        assert main(["build", "--repo", str(model.path), "--site-dir", str(tmp_path / "site")]) == 0
        assert "building without the commit cache" in capsys.readouterr().err
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(model.path)], check=True)


def test_an_unusable_cache_folder_costs_the_cache_not_the_build(model: Repo, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ALMANAC_CACHE_DIR")
    (model.path / ".almanac").write_text("not a folder")
    assert main(["build", "--repo", str(model.path), "--site-dir", str(tmp_path / "site")]) == 0
    assert ".almanac: is not a folder; building without the commit cache" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["build", "write", "card"])
def test_an_output_path_under_a_file_is_a_user_error(model: Repo, tmp_path: Path, command: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = str(blocker / "out")
    args = {"build": ["build", "--repo", str(model.path), "--site-dir", target],
            "write": ["write", target, "--repo", str(model.path)],
            "card": ["card", "--repo", str(model.path), "-o", target]}[command]
    assert main(args) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Errno" not in err
    errors = [line for line in err.splitlines() if line.startswith("almanac: error: ")]
    assert len(errors) == 1 and f"{blocker}" in errors[0]


def test_the_caches_of_clones_that_are_gone_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_root = tmp_path / "cache"
    monkeypatch.setenv("ALMANAC_CACHE_DIR", str(cache_root))  # shared by every run, as in CI
    gone, kept = Repo(tmp_path / "gone"), Repo(tmp_path / "kept")
    for repo in (gone, kept):
        repo.commit("Init", {"README.md": "# M\n"})
        assert main(["build", "--repo", str(repo.path), "--site-dir", str(tmp_path / f"site-{repo.path.name}")]) == 0
    assert sorted(p.name.rsplit("-", 1)[0] for p in (cache_root / "commits").iterdir()) == ["gone", "kept"]
    subprocess.run(["rm", "-rf", str(gone.path)], check=True)
    fresh = Repo(tmp_path / "fresh")
    fresh.commit("Init", {"README.md": "# M\n"})
    assert main(["build", "--repo", str(fresh.path), "--site-dir", str(tmp_path / "site-fresh")]) == 0
    assert sorted(p.name.rsplit("-", 1)[0] for p in (cache_root / "commits").iterdir()) == ["fresh", "kept"]
