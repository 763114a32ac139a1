"""Values that are valid to git, JSON or YAML but absurd to a program: a commit dated 9999, an offset of
+9959, an array nested 100 000 deep, an integer of 5 000 digits, a cache of the wrong shape, a network
that is down. Each gives one line naming the file or commit and the place, and the rest of the build
goes on; none is a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.knowledge import BuildOptions, build_knowledge
from tests.gitrepo import Repo


def raw_commit(repo: Repo, date: str, message: str = "Hostile date") -> str:
    """A commit object written by hand on top of HEAD: git's own tools refuse such dates, git stores them."""
    body = (f"tree {repo.git('rev-parse', 'HEAD^{tree}')}\nparent {repo.head()}\n"
            f"author Mallory <m@example.com> {date}\ncommitter Mallory <m@example.com> {date}\n\n{message}\n")
    sha = repo.git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", input=body.encode())
    repo.git("update-ref", "refs/heads/main", sha)
    return sha


# --- dates --------------------------------------------------------------------------------------------


def test_a_commit_dated_9999_is_one_finding_and_keeps_the_health_page_small(repo: Repo, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})  # 2023
    far = raw_commit(repo, "253402214400 +0000")  # 9999-12-31
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert (f"almanac: warning: commit {far[:12]}: dated 9999-12-31, outside 1970-01-01 to " in err)
    assert err.count("outside 1970-01-01") == 1
    health = tmp_path / "out" / "contributors" / "health.md"
    assert health.stat().st_size < 20_000  # was 53 MB: one row per month from 2023 to 9999
    assert "9999-" not in health.read_text(encoding="utf-8")


def test_year_10000_and_an_offset_of_99_hours_build(repo: Repo, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})
    sha = raw_commit(repo, "253402300800 +9959")
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0
    assert f"commit {sha[:12]}: dated " in capsys.readouterr().err
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.commits[sha].author.utc_offset == 0  # no clock is 99 hours ahead: read as UTC
    assert knowledge.as_of == repo.clock  # "now" is the latest believable date, not year 10000
