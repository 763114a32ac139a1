"""The GitHub Actions workflow Almanac ships (issue 20, item 11): actions pinned by commit with their
release in a comment, no permission beyond what each job uses, and no finding of the workflow linter
zizmor (which flagged the unpinned tags and the workflow-wide ``pages: write``/``id-token: write``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "github-actions" / "almanac.yml"
#: The check workflow the README shows, between its fence and the first line after it.
README_WORKFLOW = re.compile(r"```yaml\n(# \.github/workflows/almanac\.yml\n.*?)```", re.DOTALL)


def workflows(folder: Path) -> list[Path]:
    """The shipped workflow and the README's, as files (the README's written into ``folder``)."""
    text = README_WORKFLOW.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert text is not None, "README.md shows no check workflow"
    readme = folder / ".github" / "workflows" / "almanac-check.yml"
    readme.parent.mkdir(parents=True)
    readme.write_text(text.group(1), encoding="utf-8")
    return [WORKFLOW, readme]
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def test_every_action_is_pinned_by_commit_with_its_release_in_a_comment(tmp_path: Path) -> None:
    for workflow in workflows(tmp_path):
        uses = [line for line in workflow.read_text(encoding="utf-8").splitlines() if "uses:" in line]
        assert uses
        assert [line for line in uses if not PINNED.match(line)] == []


def test_each_job_has_only_the_permissions_it_uses() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["site"]["permissions"] == {"contents": "read", "pull-requests": "read", "discussions": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(step for step in jobs["site"]["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert all("${{" not in step.get("run", "") for job in jobs.values() for step in job["steps"])


def test_the_workflow_linter_finds_nothing(tmp_path: Path) -> None:
    zizmor = Path(sys.executable).with_name("zizmor")
    if not zizmor.exists():
        pytest.skip("zizmor is not installed (pip install -e '.[test]' installs it)")
    for workflow in workflows(tmp_path):
        result = subprocess.run([str(zizmor), "--offline", "--persona=auditor", "--no-progress", str(workflow)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{workflow.name}: {result.stdout + result.stderr}"
        assert "No findings" in result.stdout + result.stderr
