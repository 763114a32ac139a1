"""Release notes on real histories: every PR that landed is named, every commit is in exactly one change.

The facts come from git (``release_notes_truth.yml`` has each command); the bundle is checked against
them first, so a changed bundle fails loudly instead of passing quietly. Almanac's side is read from
``almanac changelog --format json`` (the evidence of each change) and the CHANGELOG.md it writes.

Larger repositories fetched by hand are measured by the same checks when ``ALMANAC_REAL_REPOS`` names a
folder of clones (``huggingface+peft`` …); ``fetched_release_notes.yml`` holds what they showed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.realrepos import historyfacts as facts
from tests.realrepos.conftest import ABSENT, CORPUS

HERE = Path(__file__).parent
TRUTH = yaml.safe_load((HERE / "release_notes_truth.yml").read_text(encoding="utf-8"))
FETCHED = yaml.safe_load((HERE / "fetched_release_notes.yml").read_text(encoding="utf-8"))
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


@dataclass(frozen=True)
class Written:
    repo: Path
    notes: facts.Notes
    changelog: str
    stderr: str


def almanac(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from generator.cli.commands import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)


def write_notes(repo: Path, folder: Path) -> Written:
    notes, changelog = folder / "notes.json", folder / "CHANGELOG.md"
    first = almanac("changelog", "--repo", str(repo), "--no-cache", "--format", "json", "-o", str(notes))
    assert first.returncode == 0, first.stderr
    second = almanac("changelog", "--repo", str(repo), "--no-cache", "-o", str(changelog))
    assert second.returncode == 0, second.stderr
    return Written(repo, facts.Notes.read(notes), changelog.read_text(encoding="utf-8"), second.stderr)


@pytest.fixture(scope="module", params=sorted(TRUTH))
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            corpus_clone: Callable[[str], Path]) -> tuple[str, Written]:
    name = request.param
    return name, write_notes(corpus_clone(name), tmp_path_factory.mktemp("notes"))


def test_the_bundle_says_what_the_truth_file_says(written: tuple[str, Written]) -> None:
    name, out = written
    truth, repo = TRUTH[name], out.repo
    assert facts.git(repo, "rev-parse", "HEAD").startswith(truth["head"])
    assert len(facts.commits(repo)) == truth["commits"]
    assert (facts.squashed(repo), facts.merged(repo)) == (truth["squash"], truth["merged"])
    assert facts.carried(repo) == {str(sha): numbers for sha, numbers in truth["carried"].items()}
    for number, sha in truth["heads"].items():
        head = facts.git(repo, "rev-parse", f"refs/pull/{number}/head").strip()
        assert head.startswith(str(sha)) and head in facts.commits(repo)


def test_every_landed_pull_request_is_named_and_nothing_else(written: tuple[str, Written]) -> None:
    name, out = written
    truth = TRUTH[name]
    landed = set(truth["squash"]) | set(truth["merged"])
    named = out.notes.named()
    assert landed <= named, f"missing from the notes: {sorted(landed - named)}"
    assert named - landed == set(truth["heads"]) - landed  # named otherwise: only by a head that is the commit
    assert not named & set(truth["not_landed"])
    shipped = {change["pr"]: change["shipped_in"] for change in out.notes.changes if change["shipped_in"]}
    assert shipped == truth.get("shipped_in", {})
    assert not [change["title"] for change in out.notes.changes if change["pr"] in shipped and change["backport_of"]]
    in_markdown = {int(number) for number in re.findall(r"\(#(\d+)\)", out.changelog)}
    assert landed <= in_markdown, f"missing from CHANGELOG.md: {sorted(landed - in_markdown)}"


def test_every_commit_is_in_exactly_one_change(written: tuple[str, Written]) -> None:
    name, out = written
    owners = out.notes.owners()
    assert set(owners) == facts.commits(out.repo) and set(owners.values()) == {1}
    assert len(owners) == TRUTH[name]["commits"]
    assert "0 commits dropped" in out.stderr


def test_a_merge_holds_only_what_its_branch_brought(written: tuple[str, Written]) -> None:
    name, out = written
    truth = TRUTH[name]
    merges = {change["pr"]: change for change in out.notes.changes if change["kind"] == "merge"}
    for change in out.notes.changes:
        if change["kind"] in ("merge", "branch", "sync"):
            assert set(change["commits"]) <= facts.side(out.repo, str(change["sha"])), change["title"]
    for number, count in truth["merge_commits"].items():
        assert len(merges[number]["commits"]) == count
    carried = {str(change["sha"])[:7]: change["includes"] for change in out.notes.changes
               if change["kind"] in ("branch", "sync")}
    assert carried == {str(sha): numbers for sha, numbers in truth["carried"].items()}


@pytest.mark.skipif(REAL_REPOS is None, reason="ALMANAC_REAL_REPOS does not name a folder of fetched clones")
@pytest.mark.parametrize("name", sorted(FETCHED))
def test_fetched_repositories_name_every_landed_pull_request(name: str, tmp_path: Path) -> None:
    assert REAL_REPOS is not None
    repo = REAL_REPOS / name
    if not repo.is_dir():
        pytest.skip(f"{repo}: not cloned")
    truth = FETCHED[name]
    assert facts.git(repo, "rev-parse", "HEAD").startswith(truth["head"])
    out = write_notes(repo, tmp_path)
    measured = facts.report(repo, tmp_path / "notes.json", out.changelog)
    assert measured == truth["report"]


def test_the_corpus_is_where_the_tests_expect_it() -> None:
    if not (CORPUS / "clone").is_file():
        pytest.skip(ABSENT)
    assert set(TRUTH) <= {path.name.removesuffix(".bundle") for path in CORPUS.iterdir()}
