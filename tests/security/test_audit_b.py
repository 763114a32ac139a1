"""A second end-to-end audit through the command line: what the first round of fixes left open.

* A stranger's string reaches a page cut to :data:`generator.safetext.MAX_INLINE_CHARS`: each of its
  special characters becomes a numeric reference, and Python-Markdown's inline processor does work
  quadratic in the references of one paragraph (27 commits with 100 KB subjects kept ``almanac build``
  busy for more than two minutes).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.cli import main
from generator.safetext import MAX_INLINE_CHARS, escape_inline
from tests.gitrepo import Repo


def test_a_huge_subject_reaches_pages_cut_to_a_bounded_length(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial commit", {"README.md": "# Tiny\n\nA model.\n"})
    repo.commit("[" * 100_000 + "\n\n" + "(#" * 50_000, {"a.txt": "a"})
    repo.git("tag", "v1.0")
    out = tmp_path / "out"

    assert main(["write", str(out), "--repo", str(repo.path), "--no-cache"]) == 0

    pages = [path.read_text(encoding="utf-8") for path in out.rglob("*.md")]
    longest = max(len(run) for page in pages for run in re.findall(r"(?:&#91;)+", page))
    assert 100 < longest // len("&#91;") <= MAX_INLINE_CHARS


def test_escape_inline_marks_the_cut() -> None:
    assert escape_inline("a" * (MAX_INLINE_CHARS + 5)) == "a" * (MAX_INLINE_CHARS - 1) + "…"
    assert escape_inline("a" * MAX_INLINE_CHARS) == "a" * MAX_INLINE_CHARS
