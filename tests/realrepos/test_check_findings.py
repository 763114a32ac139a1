"""`almanac check` on real repositories reports exactly the findings judged true by hand.

``check_findings_truth.yml`` lists each finding with why it is true and the git command that shows
it. A false alarm that appears, or a true finding that disappears, fails the test: the precision of
the gate is measured on real histories, not on the repositories the tests build.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli.commands import main

TRUTH = yaml.safe_load((Path(__file__).parent / "check_findings_truth.yml").read_text(encoding="utf-8"))
FETCHED = TRUTH.pop("fetched")
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


def check(repo: Path, expected: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--repo", str(repo), "--format", "json", "--no-cache", "--fail-on", "error"])
    found = json.loads(capsys.readouterr().out)
    unexpected = [f for f in found if not any(f["where"] == e["where"] and f["message"].startswith(e["message"])
                                              for e in expected)]
    missing = [e for e in expected if not any(f["where"] == e["where"] and f["message"].startswith(e["message"])
                                              for f in found)]
    assert (unexpected, missing) == ([], [])


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_check_findings_on_the_corpus(name: str, corpus_clone: Callable[[str], Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    check(corpus_clone(name), TRUTH[name], capsys)


@pytest.mark.parametrize("name", sorted(FETCHED))
def test_check_findings_on_fetched_repositories(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    if REAL_REPOS is None or not (REAL_REPOS / name).is_dir():
        pytest.skip("ALMANAC_REAL_REPOS does not name a folder holding this clone")
    check(REAL_REPOS / name, FETCHED[name], capsys)
