"""`almanac check`: findings at their gate level, JSON for machines, exit codes for CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli.commands import main
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


def test_a_licence_version_the_metadata_does_not_name_fails_the_gate(repo: Repo,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    licences = Path(__file__).parent / "data" / "licences"
    llama_32 = (licences / "llama-3.2-license-2024.txt").read_text(encoding="utf-8")
    repo.commit("Weights", {"README.md": GOOD.replace("license: mit", "license: llama3.1"), "MODEL_LICENSE": llama_32,
                            "LICENSE": (licences / "mit.txt").read_text(encoding="utf-8")})
    assert main(["check", "--repo", str(repo.path)]) == 1
    assert ("README.md metadata (license): error: says the weights are under LicenseRef-llama3.1, but MODEL_LICENSE "
            "holds LicenseRef-llama3.2") in capsys.readouterr().out
    undated = llama_32.replace("Llama 3.2 Version Release Date: September 25, 2024", "")
    repo.commit("Undated", {"README.md": GOOD.replace("license: mit", "license: llama3.2"), "MODEL_LICENSE": undated})
    assert main(["check", "--repo", str(repo.path)]) == 0  # a near match is a warning, not an error
    out = capsys.readouterr().out
    assert "MODEL_LICENSE: warning: nearly Llama 3.2 Community License Agreement" in out
    assert "“Llama 3.2 Version Release Date: September 25, 2024” — reported as unknown" in out
    assert main(["check", "--repo", str(repo.path), "--fail-on", "warning"]) == 1


def test_a_contributing_guide_the_history_contradicts_is_a_warning(repo: Repo,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Guide", {"README.md": GOOD, "CONTRIBUTING.md": "Use Rebase and merge for pull requests.\n"})
    for number in range(1, 7):
        repo.commit(f"Fix {number} (#{number})", {f"f{number}.py": "x = 1\n"})
    assert main(["check", "--repo", str(repo.path), "--fail-on", "warning"]) == 1
    assert ("CONTRIBUTING.md: warning: asks for pull requests to be rebased onto the branch, but 6 of the last 6 "
            "were squash-merged") in capsys.readouterr().out
