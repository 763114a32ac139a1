"""Papers, the project's own BibTeX and the description, on the corpus repositories (issue 19, item 4).

``citations_truth.yml`` holds what was checked by hand; these tests read the same files at HEAD with
git and ask Almanac's public functions. Repositories fetched by hand are checked when
``ALMANAC_REAL_REPOS`` names a folder of clones (``/tmp/real``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.analysis.community.citations import CITATION_FILE, read_cff, readme_bibtex, resolve_titles
from generator.analysis.community.resources import discovered_resources, is_learning_file
from generator.analysis.models.facts import title_and_description
from generator.model.knowledge import FileEntry
from generator.text.clean import decode_git_bytes
from tests.realrepos.historyfacts import git

HERE = Path(__file__).parent
TRUTH: dict[str, Any] = yaml.safe_load((HERE / "citations_truth.yml").read_text(encoding="utf-8"))
FETCHED: dict[str, Any] = TRUTH.pop("fetched")
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


def _blob(repo: Path, object_id: str) -> bytes:
    import subprocess

    return subprocess.run(["git", "-C", str(repo), "cat-file", "blob", object_id], check=True,
                          capture_output=True).stdout


def published(repo: Path) -> dict[str, Any]:
    """What Almanac publishes about papers, own citations and the description, from the files at HEAD
    (``git ls-tree -r -l HEAD``; the READMEs, docs pages and CITATION.cff)."""
    entries = []
    for line in git(repo, "ls-tree", "-r", "-l", "HEAD").splitlines():
        meta, path = line.split("\t", 1)
        mode, kind, object_id, size = meta.split()
        if kind == "blob":
            entries.append(FileEntry(path, mode, object_id, None if size == "-" else int(size)))
    wanted = [entry for entry in entries if is_learning_file(entry.path) or entry.path == CITATION_FILE
              or entry.path.rsplit("/", 1)[-1].lower() == "readme.md"]
    blobs = {entry.path: _blob(repo, entry.object_id) for entry in wanted}
    resources = discovered_resources(entries, blobs, [])
    readme = decode_git_bytes(blobs.get("README.md", b""))
    entries_bib = readme_bibtex(readme, "README.md", [])
    cited = read_cff(decode_git_bytes(blobs[CITATION_FILE]), []) if CITATION_FILE in blobs else None
    resolve_titles(resources.papers, entries_bib, cited)
    return {"papers": {paper.key: [paper.title or "title not stated", paper.cited_in[0]]
                       for paper in resources.papers},
            "own_bibtex": [[entry.key, entry.title, entry.where] for entry in entries_bib],
            "description": title_and_description(readme)[1], "readme": readme.splitlines()}


def check(found: dict[str, Any], truth: dict[str, Any]) -> None:
    wrong = set(truth.get("known_wrong", []))
    papers = {key: value for key, value in found["papers"].items() if key not in wrong}
    assert papers == {key: value for key, value in truth["papers"].items() if key not in wrong}
    for key in wrong:  # still wrong: when this fails, move the paper out of known_wrong
        assert found["papers"][key] != truth["papers"][key]
    assert found["own_bibtex"] == truth["own_bibtex"]
    where, start = truth["description"]
    assert found["description"].startswith(start)
    if where:
        number = int(where.rsplit(":", 1)[1])
        assert start[:12] in found["readme"][number - 1].replace("*", "")


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_corpus_papers_citations_and_description(name: str, corpus_clone: Callable[[str], Path]) -> None:
    check(published(corpus_clone(name)), TRUTH[name])


@pytest.mark.skipif(REAL_REPOS is None, reason="ALMANAC_REAL_REPOS does not name a folder of fetched clones")
@pytest.mark.parametrize("name", sorted(FETCHED))
def test_fetched_papers_citations_and_description(name: str) -> None:
    assert REAL_REPOS is not None
    repo = REAL_REPOS / name
    if not (repo / ".git").exists():
        pytest.skip(f"{repo}: not cloned")
    check(published(repo), FETCHED[name])
