"""The release feeds ``almanac write`` now writes (issue 22) list the releases git has, newest first: read
from the feed files of a real write, against feeds_truth.yml (each fact with its git command)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.realrepos import historyfacts as facts
from tests.realrepos.test_release_notes_facts import almanac

TRUTH = yaml.safe_load((Path(__file__).parent / "feeds_truth.yml").read_text(encoding="utf-8"))
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


def feed_titles(repo: Path, out: Path) -> list[str]:
    written = almanac("write", "--repo", str(repo), "--no-cache", str(out))
    assert written.returncode == 0, written.stderr
    atom = (out / "feed.xml").read_text(encoding="utf-8")
    titles = [item["title"] for item in json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]]
    assert atom.count("<entry>") == len(titles)  # both feeds carry the same releases
    return titles


@pytest.mark.parametrize("name", sorted(TRUTH["corpus"]))
def test_the_feeds_list_the_corpus_releases_newest_first(name: str, corpus_clone: Callable[[str], Path],
                                                          tmp_path: Path) -> None:
    repo, truth = corpus_clone(name), TRUTH["corpus"][name]
    assert facts.git(repo, "rev-parse", "HEAD").startswith(truth["head"])
    tags = facts.git(repo, "for-each-ref", "--sort=-creatordate", "--format=%(refname:short)", "refs/tags").split()
    assert tags == truth["titles"]  # the bundle still says what the truth file says
    assert feed_titles(repo, tmp_path / "out") == truth["titles"]


@pytest.mark.skipif(REAL_REPOS is None, reason="ALMANAC_REAL_REPOS does not name a folder of fetched clones")
@pytest.mark.parametrize("name", sorted(TRUTH["fetched"]))
def test_the_feeds_list_the_fetched_releases_newest_first(name: str, tmp_path: Path) -> None:
    assert REAL_REPOS is not None
    repo, truth = REAL_REPOS / name, TRUTH["fetched"][name]
    if not repo.is_dir():
        pytest.skip(f"{repo}: not cloned")
    assert facts.git(repo, "rev-parse", "HEAD").startswith(truth["head"])
    titles = feed_titles(repo, tmp_path / "out")
    assert len(titles) == truth["count"]
    assert titles[:len(truth["first"])] == truth["first"]
    assert titles[len(titles) - len(truth.get("last", [])):] == truth.get("last", [])
