"""The licence of each part of real repositories: code, weights, data and bundled third-party code.

``licence_truth.yml`` holds what the files say, read by hand (each fact with its git command). The
corpus bundles are always checked; the larger repositories fetched by hand (``fetched:``) only when
``ALMANAC_REAL_REPOS`` names a folder of their clones (``/tmp/real``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.build import BuildOptions, build_knowledge
from generator.export.notice import notice_text
from generator.model.knowledge import Knowledge
from tests.realrepos.historyfacts import git

TRUTH = yaml.safe_load((Path(__file__).with_name("licence_truth.yml")).read_text(encoding="utf-8"))
FETCHED = TRUTH.pop("fetched")
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


def _knowledge(repo: Path) -> Knowledge:
    return build_knowledge(BuildOptions(repo=repo, use_cache=False))


def _check(repo: Path, facts: dict[str, object], knowledge: Knowledge) -> None:
    """The bundle still holds the files the facts were read from; Almanac publishes those facts."""
    listed = set(git(repo, "ls-files").split("\n"))
    scope = knowledge.licence_scope
    assert scope is not None
    for part in ("code", "weights"):
        fact = facts[part]
        assert isinstance(fact, dict)
        for where in str(fact.get("says", "")).split(", "):
            if where:
                assert where.split(":")[0] in listed, where
        if fact["licence"] == "no weights":
            assert not scope.weights_evidence and not scope.covered.get(part), (part, scope)
        elif fact["licence"] == "not stated":
            assert scope.weights_not_stated, (part, scope)
        else:
            assert (scope.expression(part), ", ".join(scope.decided_by[part])) == (fact["licence"], fact["says"])
    assert [(t.covers, t.expression, t.where) for t in scope.third_party] == [
        (t["covers"], t["licence"], t["says"]) for t in facts["third_party"]]  # type: ignore[attr-defined]
    notice = notice_text(knowledge)
    shown = notice.split("Copyright notices of the licence files:\n")[1].split("\n\n")[0].splitlines() \
        if "Copyright notices" in notice else []
    assert [line.strip() for line in shown] == facts["copyright"]
    if "unknown_licence_title" in facts:  # a custom licence is said once, by its name
        about = [f.message for f in knowledge.findings if f.where == facts["weights"]["says"]]  # type: ignore[index]
        assert about == [f"“{facts['unknown_licence_title']}”, a licence of its own (Chinese and English text) that "
                         "Almanac does not know: read it yourself"]
    assert not [f for f in knowledge.findings if f.gate == "error" and "says the " in f.message]


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_corpus_licence_per_part(name: str, corpus_clone: Callable[[str], Path]) -> None:
    repo = corpus_clone(name)
    _check(repo, TRUTH[name], _knowledge(repo))


@pytest.mark.skipif(REAL_REPOS is None, reason="ALMANAC_REAL_REPOS names no folder of fetched repositories")
@pytest.mark.parametrize("name", sorted(FETCHED))
def test_fetched_licence_per_part(name: str) -> None:
    assert REAL_REPOS is not None
    repo = REAL_REPOS / name
    if not repo.is_dir():
        pytest.skip(f"{repo} is absent")
    _check(repo, FETCHED[name], _knowledge(repo))
