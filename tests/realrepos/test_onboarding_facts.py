"""The onboarding guide's install and test commands and the tools page's workflow triggers, on real
repositories, against ``onboarding_truth.yml`` (facts checked by hand with git).

The corpus bundles are always checked; the larger repositories fetched by hand only when
``ALMANAC_REAL_REPOS`` names a folder of their clones (``huggingface+peft`` …).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.analysis.community.onboarding import setup_and_test_commands
from generator.analysis.community.tools import is_config_file
from generator.analysis.community.workflows import describe_workflows

TRUTH = yaml.safe_load((Path(__file__).parent / "onboarding_truth.yml").read_text(encoding="utf-8"))
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, errors="replace",
                          check=True).stdout


def _facts(repo: Path, name: str) -> dict[str, Any]:
    """What Almanac states for the repository at HEAD, in the truth file's shape."""
    paths = [path for path in _git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines() if path]
    texts = {path: _git(repo, "show", f"HEAD:{path}") for path in paths if is_config_file(path)}
    setup, tests = setup_and_test_commands(texts, set(paths), [name.split("+", 1)[-1]])

    def first(commands: list[Any]) -> Any:
        if not commands:
            return "not stated"
        fact = {"command": commands[0].command, "source": commands[0].source}
        return {**fact, "folder": commands[0].folder} if commands[0].folder else fact

    return {"install": first(setup), "tests": first(tests),
            "workflows": {workflow.path: list(workflow.triggers) for workflow in describe_workflows(texts)}}


@pytest.mark.parametrize("name", sorted(TRUTH["corpus"]))
def test_corpus_onboarding_facts(name: str, corpus_clone: Callable[[str], Path]) -> None:
    assert _facts(corpus_clone(name), name) == TRUTH["corpus"][name]


@pytest.mark.parametrize("name", sorted(TRUTH["fetched"]))
def test_fetched_onboarding_facts(name: str) -> None:
    if REAL_REPOS is None or not (REAL_REPOS / name).is_dir():
        pytest.skip(f"set ALMANAC_REAL_REPOS to a folder holding a clone of {name}")
    assert _facts(REAL_REPOS / name, name) == TRUTH["fetched"][name]
