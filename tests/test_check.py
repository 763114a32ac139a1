"""`almanac check`: findings at their gate level, JSON for machines, exit codes for CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from tests.gitrepo import Repo

GOOD = """\
---
license: mit
language: en
datasets: [wikitext]
---
# Tiny

## Intended use

Tests.

## Limitations

Tiny.
"""


def test_errors_fail_the_gate(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Card", {"README.md": GOOD.replace("license: mit", "license: apache2")})
    assert main(["check", "--repo", str(repo.path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("README.md:2: error: license 'apache2' is not a licence id the Hub knows; "
                                   "did you mean 'apache-2.0'?")
    assert out.rstrip().endswith("almanac check: 1 error, 5 warnings, 1 info")


def test_warnings_pass_unless_asked(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Card", {"README.md": GOOD})
    assert main(["check", "--repo", str(repo.path)]) == 0
    assert "model card: warning: Evaluation: not stated in the repository" in capsys.readouterr().out
    assert main(["check", "--repo", str(repo.path), "--fail-on", "warning"]) == 1


def test_json_output(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Card", {"README.md": GOOD.replace("language: en", "language: english")})
    assert main(["check", "--repo", str(repo.path), "--format", "json"]) == 1
    checks = json.loads(capsys.readouterr().out)
    assert checks[0] == {"level": "error", "where": "README.md:3",
                         "message": "language 'english' is not an ISO 639 code; did you mean 'en'?"}
    assert {check["level"] for check in checks} <= {"error", "warning", "info"}


def test_a_folder_that_is_no_repository_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["check", "--repo", str(tmp_path)]) == 2
