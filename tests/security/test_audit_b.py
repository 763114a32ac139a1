"""A second end-to-end audit through the command line: what the first round of fixes left open.

* A stranger's string reaches a page cut to :data:`generator.safetext.MAX_INLINE_CHARS`: each of its
  special characters becomes a numeric reference, and Python-Markdown's inline processor does work
  quadratic in the references of one paragraph (27 commits with 100 KB subjects kept ``almanac build``
  busy for more than two minutes).
* A folder being replaced is never missing: where the system can, the new folder and the old one
  exchange names in one step.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from generator.atomic import replaced_folder
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


_WATCHER = """
import os, sys
index, stop = sys.argv[1], sys.argv[2]
missing = 0
while not os.path.exists(stop):
    missing += not os.path.exists(index)
print(missing)
"""


def test_a_replaced_folder_is_never_missing_for_a_reader(tmp_path: Path) -> None:
    """A second process watching ``site/index.html`` while the site is replaced again and again never
    finds it gone (the old swap renamed the site away, then the new one in: a window of ~0.1 ms)."""
    site, stop = tmp_path / "site", tmp_path / "stop"
    with replaced_folder(site, made_by="test") as staging:
        (staging / "index.html").write_text("0", encoding="utf-8")
    watcher = subprocess.Popen([sys.executable, "-c", _WATCHER, str(site / "index.html"), str(stop)],
                               stdout=subprocess.PIPE, text=True)
    try:
        for number in range(300):
            with replaced_folder(site, made_by="test") as staging:
                (staging / "index.html").write_text(str(number), encoding="utf-8")
    finally:
        stop.touch()
        missing = int(watcher.communicate(timeout=30)[0])
    assert missing == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site", "stop"]
