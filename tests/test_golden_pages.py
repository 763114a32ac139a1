"""Golden pages: the Markdown Almanac generates for a small constructed repository, byte for byte.

Run with ``ALMANAC_UPDATE_GOLDEN=1`` to rewrite the files after an intended change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build import BuildOptions, build_knowledge
from generator.render.pages import render_pages
from tests.test_site import model_repo

GOLDEN = Path(__file__).parent / "golden" / "tiny-lm"


def test_pages_match_golden_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1701000000")  # 2023-11-26: the windows count back from the build
    repo = model_repo(tmp_path / "repo")
    repo.write(".mailmap", "José García <jose@example.com> Jose <jgarcia@old.example>\n")
    repo.commit("Add mailmap", {})
    repo.commit("Fix typo in README", {"README.md": "# Tiny-LM\n\nA tiny model for tests, fixed.\n"},
                author="Jose <jgarcia@old.example>")
    pages = render_pages(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)))
    if os.environ.get("ALMANAC_UPDATE_GOLDEN"):
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    expected = {
        str(path.relative_to(GOLDEN)): path.read_text(encoding="utf-8") for path in sorted(GOLDEN.rglob("*.md"))
    }
    assert sorted(pages) == sorted(expected)
    for path, text in pages.items():
        assert text == expected[path], path
