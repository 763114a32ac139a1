"""A PR head that is a line commit someone else wrote is no landing (see pr_heads_truth.yml): a known
defect, measured on git/git, kept as a strict xfail so that the fix shows and the wrong fact cannot return."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from tests.realrepos import historyfacts as facts
from tests.realrepos.test_release_notes_facts import almanac

TRUTH = yaml.safe_load((Path(__file__).parent / "pr_heads_truth.yml").read_text(encoding="utf-8"))
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


@pytest.mark.skipif(REAL_REPOS is None, reason="ALMANAC_REAL_REPOS does not name a folder of fetched clones")
@pytest.mark.xfail(strict=True, reason="rank-3 evidence (a PR head on the line) names PRs on git/git that never "
                                       "landed; needs the forge's merged state or a stricter rule")
@pytest.mark.parametrize("name", sorted(TRUTH))
def test_a_pr_head_on_the_line_written_by_someone_else_is_no_landing(name: str, tmp_path: Path) -> None:
    assert REAL_REPOS is not None
    repo = REAL_REPOS / name
    if not repo.is_dir():
        pytest.skip(f"{repo}: not cloned")
    truth = TRUTH[name]
    assert facts.git(repo, "rev-parse", "HEAD").startswith(truth["head"])
    for sha, number in truth["not_landed"].items():
        assert facts.git(repo, "rev-parse", f"refs/pull/{number}/head").startswith(sha)
    notes = tmp_path / "notes.json"
    assert almanac("changelog", "--repo", str(repo), "--no-cache", "--format", "json", "-o", str(notes)).returncode == 0
    named = {str(sha)[:10]: change["pr"] for change in facts.Notes.read(notes).changes
             for sha in change["commits"]}  # type: ignore[attr-defined]
    assert {sha: named.get(sha) for sha in truth["not_landed"]} == dict.fromkeys(truth["not_landed"])
