"""benchmarks/real_repos.py: issue 21's acceptance table, each figure a ratio to a reference of the same run.

The script is a report, not a gate, so what is tested is that it runs end to end on a real (if tiny)
repository, prints every measure with its ratio and goal verdict, and never touches the repository it
measures: the "after one commit" figures commit on a private copy.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.gitrepo import Repo

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "real_repos.py"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """Four commits by two people, a lightweight and an annotated tag, a pull request's head and merge refs."""
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial import", {"README.md": "# Tiny model\n", "model.py": "x = 1\n"})
    repo.commit("feat: add the tokenizer", {"tokenizer.py": "y = 2\n"}, author="Bo Li <bo@example.org>")
    repo.tag("v0.1.0")
    repo.commit("fix: off-by-one in the sampler\n\nThe last token was dropped.", {"model.py": "x = 2\n"})
    repo.commit("docs: usage", {"README.md": "# Tiny model\n\nRun it.\n"}, author="Bo Li <bo@example.org>")
    repo.tag("v0.2.0", "Second release")
    repo.git("update-ref", "refs/pull/7/head", "HEAD~1")
    repo.git("update-ref", "refs/pull/7/merge", "HEAD")
    return repo


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_repos", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_repos", module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_prints_every_changelog_measure_with_a_ratio(repo: Repo, tmp_path: Path) -> None:
    before = repo.git("for-each-ref")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(repo.path), "--repeat", "1", "--no-cliff", "--no-site",
         "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "4 commits on HEAD, 2 tags, 1 refs/pull heads (2 refs/pull in all), 2 people" in out
    table = out[out.index("| measure |") :]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:] if line]

    def row(label: str, reference: str) -> list[str]:
        return next(cells for cells in rows if cells[0] == label and cells[2].startswith(reference))

    ratio = re.compile(r"^\d+\.\d+×$")
    assert ratio.match(row("changelog cold", "git log (paths)")[3])
    assert ratio.match(row("changelog unchanged", "git log (paths)")[3])
    unchanged = row("changelog unchanged", "changelog cold")
    assert ratio.match(unchanged[3]) and unchanged[4] == "≤ 0.1× or ≤ 0.5 s" and unchanged[5] in ("PASS", "OVER")
    peak = row("peak RSS, changelog cold", "")
    assert re.match(r"^\d+ MiB$", peak[1]) and peak[5] == "PASS"
    # Skipped measures are not listed; the measured repository is untouched and no scratch is left.
    assert "git-cliff" not in table and "site cold" not in table and "numstat" not in table
    assert repo.git("for-each-ref") == before and repo.git("status", "--porcelain") == ""
    assert list(tmp_path.glob("almanac-real-*")) == []


def test_new_commits_land_on_a_private_copy_with_the_same_refs(repo: Repo, tmp_path: Path) -> None:
    script = load_script()
    head, refs = repo.head(), repo.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/tags", "refs/pull")
    copy = script.private_copy(repo.path, tmp_path / "copy")
    script.add_commit(copy, 0, "file")
    script.add_commit(copy, 1, "readme")
    copied = Repo.__new__(Repo)
    copied.path = copy
    assert copied.git("rev-parse", "HEAD~2") == head
    assert copied.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/tags", "refs/pull") == refs
    bench = "Bench Mark <bench@example.com> Bench Mark"
    assert copied.git("log", "-2", "--format=%an <%ae> %cn").splitlines() == [bench, bench]
    assert "Benchmark line 1." in (copy / "README.md").read_text(encoding="utf-8")
    assert repo.head() == head and repo.git("status", "--porcelain") == ""
