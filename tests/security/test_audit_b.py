"""A second end-to-end audit through the command line: what the first round of fixes left open.

* A stranger's string reaches a page cut to :data:`generator.text.safetext.MAX_INLINE_CHARS`: each of its
  special characters becomes a numeric reference, and Python-Markdown's inline processor does work
  quadratic in the references of one paragraph (27 commits with 100 KB subjects kept ``almanac build``
  busy for more than two minutes).
* A folder being replaced is never missing: where the system can, the new folder and the old one
  exchange names in one step.
* Only the current folder or its repository's root is "the current project" whose ``mkdocs.yml`` runs
  without ``--trust-repo-config``, not any folder inside it.
* git never loads a large committed blob whole (``git log --numstat``, ``git grep -I``): a 300 MB file
  of zeros is 300 KB in ``.git`` and cost 300 MB of memory.
* An imported page or docstring whose run of inline text holds more than 200 ``[`` shows them as text:
  Python-Markdown's inline pass is quadratic in unclosed brackets (16 000 ``![``: about 30 s).
* A commit cache the repository commits (``.almanac/history.sqlite``) is not read: its rows would be
  believed instead of git.
* One-line errors name the file the user gave, never a temporary sibling; a CODEOWNERS rule the
  library refuses and a forge repository name that is no name are findings or user errors.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest import MonkeyPatch

from generator.cli.commands import main
from generator.model.errors import AlmanacError
from generator.sources.files.atomic import replaced_folder
from generator.text.safetext import MAX_INLINE_CHARS, escape_inline
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


def test_a_downloaded_folder_inside_the_project_is_not_the_project(tmp_path: Path, monkeypatch: MonkeyPatch
                                                                   ) -> None:
    """A model downloaded into the project (no ``.git`` of its own) had its ``mkdocs.yml`` trusted as the
    project's: its hook ran before Almanac found the folder is no repository."""
    project = Repo(tmp_path / "project")
    project.commit("Initial commit", {"README.md": "# Project\n"})
    downloaded = project.path / "models" / "x"
    (downloaded / "docs").mkdir(parents=True)
    (downloaded / "docs" / "index.md").write_text("# X\n", encoding="utf-8")
    ran = tmp_path / "ran"
    (downloaded / "hook.py").write_text(f"open({str(ran)!r}, 'w').close()\n", encoding="utf-8")
    (downloaded / "mkdocs.yml").write_text("site_name: x\nhooks: [hook.py]\n", encoding="utf-8")
    monkeypatch.chdir(project.path)

    main(["build", "--repo", "models/x", "--site-dir", str(tmp_path / "site")])

    assert not ran.exists()


def test_the_project_root_is_trusted_from_a_subfolder(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    project = Repo(tmp_path / "project")
    ran = tmp_path / "ran"
    project.commit("Initial commit", {"README.md": "# Project\n", "docs/index.md": "# Docs\n",
                                      "hook.py": f"open({str(ran)!r}, 'w').close()\n",
                                      "mkdocs.yml": "site_name: x\nhooks: [hook.py]\n"})
    monkeypatch.chdir(project.path / "docs")

    assert main(["build", "--repo", "..", "--site-dir", str(tmp_path / "site")]) == 0

    assert ran.exists()


def test_a_codeowners_pattern_the_library_refuses_is_a_skipped_line(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial commit", {"README.md": "# Tiny\n", "src/a.py": "a = 1\n",
                                   ".github/CODEOWNERS": "[\n/src/ @alice\n"})
    out = tmp_path / "out"

    assert main(["write", str(out), "--repo", str(repo.path), "--no-cache"]) == 0

    assert "alice" in "".join(path.read_text(encoding="utf-8") for path in out.rglob("*.md"))


def test_a_folder_in_the_forge_cache_file_s_place_is_named_and_no_temporary_is_left(tmp_path: Path) -> None:
    from generator.model.forge import ForgeData
    from generator.sources.forges.cache import write_cache

    folder = tmp_path / "forge"
    (folder / "github-o-r.json").mkdir(parents=True)

    with pytest.raises(AlmanacError, match=r"github-o-r\.json: cannot be written"):
        write_cache(folder, ForgeData("github:o/r"))

    assert sorted(path.name for path in folder.iterdir()) == ["github-o-r.json"]


@pytest.mark.parametrize("option", [("--github", "../../x"), ("--github", "o/r/../../../user"),
                                    ("--hub", "a/b/c"), ("--hub", "org/.."), ("--github", "o/r?x=1")])
def test_a_forge_repository_name_that_is_no_name_is_a_user_error(tmp_path: Path, option: tuple[str, str],
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial commit", {"README.md": "# Tiny\n"})

    assert main(["sync", "--repo", str(repo.path), *option, "--github-api", "http://127.0.0.1:9",
                 "--hub-endpoint", "http://127.0.0.1:9"]) == 2

    assert "not a repository name" in capsys.readouterr().err
    assert not (repo.path / ".almanac").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, where no file can be created, is Linux's")
def test_an_output_in_a_folder_nobody_may_write_is_named_not_its_temporary_sibling(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial commit", {"README.md": "# Tiny\n"})

    assert main(["notice", "--repo", str(repo.path), "--no-cache", "-o", "/proc/almanac-notice"]) == 2

    error = capsys.readouterr().err
    assert "/proc/almanac-notice: cannot be written" in error
    assert "almanac-new" not in error


_CHILD_MEMORY = """
import resource, sys
from generator.cli.commands import main
main(["changelog", "--repo", sys.argv[1], "--no-cache"])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr)
"""


def test_git_never_loads_a_large_committed_blob_whole(tmp_path: Path) -> None:
    """A 64 MB file of zeros is 64 KB in ``.git``; ``git log --numstat`` loaded it whole to count lines."""
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial commit", {"README.md": "# Tiny\n", "weights.bin": bytes(64 << 20)})
    (repo.path / "weights.bin").unlink()  # only the blob in .git is large, not the checkout

    done = subprocess.run([sys.executable, "-c", _CHILD_MEMORY, str(repo.path)], capture_output=True, text=True,
                          check=True)

    assert int(done.stderr.splitlines()[-1]) < 48  # MiB, the largest git process


def test_a_readme_paragraph_is_parsed_inline_only_as_far_as_a_description_needs() -> None:
    """markdown-it-py spends ~15 µs a character on ``![`` repeated: a 1 MB README line cost 34 s of
    ``almanac check`` and 38 s of ``almanac build``; only the first characters of a block are parsed."""
    from generator.analysis.models.evaltables import markdown_tables
    from generator.analysis.models.facts import MAX_INLINE_PARSE, title_and_description

    title, description = title_and_description("# Tiny *model*\n\n" + "word " * 5_000 + "\n")
    assert title == "Tiny model"
    assert len(description) <= MAX_INLINE_PARSE + 1 and description.endswith("…")
    assert title_and_description("# T\n\nSee [the paper][p].\n\n[p]: https://example.org\n")[1] == "See the paper."
    table = "| a | b |\n|---|---|\n| **1** | " + "![" * 50_000 + " |\n"
    assert markdown_tables(table)[0][1][1][0] == "1"
    assert len(markdown_tables(table)[0][1][1][1]) <= MAX_INLINE_PARSE + 1


# Python-Markdown's inline pass is quadratic in the unclosed brackets of one run of inline text.

HOSTILE_PAGE = "# Notes\n\n" + "![" * 16_000 + "\n\nA [real link](https://example.org/) stays.\n"
TABLE_OF_LINKS = "| model | link |\n|---|---|\n" + "".join(f"| m{n} | [get](https://example.org/{n}) |\n"
                                                         for n in range(300))


def test_a_page_of_unclosed_brackets_renders_them_as_text_in_bounded_time() -> None:
    import markdown

    from generator.sources.files.repofiles import imported_page_text
    from tests.security.test_text_and_logs import hang_guard

    page = imported_page_text("docs/notes.md", HOSTILE_PAGE.encode("utf-8"), [])
    assert page is not None
    with hang_guard(20):  # 16 000 unclosed brackets took Python-Markdown about 30 s
        html = markdown.markdown(page.split("---\n", 2)[2], extensions=["attr_list", "md_in_html", "tables"])
    assert "&#91;" in html and '<a href="https://example.org/">real link</a>' in html


LIST_OF_LINKS = "\n".join(f"- [item {n}](https://example.org/{n})" for n in range(400))


@pytest.mark.parametrize("text", [TABLE_OF_LINKS, LIST_OF_LINKS,
                                  "```\n" + "[" * 1000 + "\n```\n", "\n\n".join(["[a](b) " * 10] * 50)])
def test_real_pages_with_many_links_are_left_as_written(text: str) -> None:
    from generator.text.safehtml import defused_brackets

    assert defused_brackets(text) == text


def test_a_commit_cache_the_repository_commits_is_not_believed(tmp_path: Path, monkeypatch: MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A stranger can commit ``.almanac/history.sqlite`` with rows of their own: the build would have
    read its commits from them instead of git (here, a commit credited to someone who never made it)."""
    import sqlite3

    monkeypatch.delenv("ALMANAC_CACHE_DIR")  # the cache in the repository's .almanac/, where a clone finds it
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial commit", {"README.md": "# Tiny\n\nA model.\n"}, author="Alice Real <alice@example.org>")
    assert main(["write", str(tmp_path / "first"), "--repo", str(repo.path)]) == 0
    with sqlite3.connect(repo.path / ".almanac" / "history.sqlite") as db:
        for table in ("commits", "analysis"):
            db.execute(f"UPDATE {table} SET data = CAST(replace(CAST(data AS TEXT), 'Alice Real', 'Mallory Fake') "
                       "AS BLOB)")
    db.close()
    repo.git("add", "--force", ".almanac/history.sqlite")
    repo.commit("Add a cache", {}, author="Alice Real <alice@example.org>")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.path), str(clone)], check=True)
    capsys.readouterr()
    assert main(["write", str(tmp_path / "second"), "--repo", str(clone)]) == 0
    assert "the repository commits a commit cache" in capsys.readouterr().err
    pages = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "second").rglob("*.md"))
    assert "Alice Real" in pages and "Mallory Fake" not in pages
