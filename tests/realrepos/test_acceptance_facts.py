"""Acceptance on real histories (issue 18 item 4): a PR belongs to the author of its branch's first
commit, not to whoever pushed its head, and without the forge's record no page states a rate.

The facts come from git (``acceptance_truth.yml`` gives each command); the bundle is checked against them
first, so a changed bundle fails loudly instead of passing quietly.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.analysis.history.acceptance import MERGED, NOT_LANDED, PullRequestOutcome, fetched_heads
from generator.analysis.history.changes import ReleaseNotes, annotate_releases
from generator.build import BuildOptions, build_knowledge
from generator.model.knowledge import Knowledge
from generator.render.pages import render_pages
from tests.realrepos.conftest import ABSENT, CORPUS
from tests.realrepos.historyfacts import git

TRUTH: dict[str, Any] = yaml.safe_load(Path(__file__).with_name("acceptance_truth.yml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not (CORPUS / "clone").is_file(), reason=ABSENT)


class Built:
    def __init__(self, name: str, repo: Path, knowledge: Knowledge, notes: ReleaseNotes) -> None:
        self.name, self.repo, self.knowledge, self.notes = name, repo, knowledge, notes
        self.outcomes: dict[int, PullRequestOutcome] = {o.number: o for o in notes.pull_requests}


@pytest.fixture(scope="module", params=sorted(TRUTH))
def built(request: pytest.FixtureRequest, corpus_clone: Callable[[str], Path]) -> Built:
    repo = corpus_clone(request.param)
    knowledge = build_knowledge(BuildOptions(repo=repo, use_cache=False))
    return Built(request.param, repo, knowledge, annotate_releases(knowledge))


def test_the_bundle_still_holds_the_facts(built: Built) -> None:
    truth, repo = TRUTH[built.name], built.repo
    heads = git(repo, "for-each-ref", "--format=%(objectname)", "refs/pull/*/head").split()
    history = set(git(repo, "rev-list", "HEAD", "--tags").split())
    assert (len(heads), sum(1 for sha in heads if sha in history)) == (truth["pr_heads"], truth["heads_in_history"])
    for number, fact in truth["merged"].items():
        merge = next(line.split()[0] for line in git(repo, "log", "--first-parent", "--merges", "--format=%H %s",
                                                     "HEAD").splitlines()
                     if re.search(rf" Merge pull request #{number} ", f" {line.split(' ', 1)[1]} "))
        first = git(repo, "rev-list", "--no-merges", "--reverse", f"{merge}^1..{merge}^2").split()[0]
        assert first == fact["first"]
        assert git(repo, "log", "-1", "--format=%an", first).strip() == fact["first_author"]
        assert git(repo, "log", "-1", "--format=%an", f"{merge}^2").strip() == fact["head_author"]
    for number, fact in truth["unlanded"].items():
        first = git(repo, "rev-list", "--no-merges", "--reverse", f"refs/pull/{number}/head", "--not", "HEAD",
                    "--tags").split()[0]
        assert first == fact["first"]
        assert git(repo, "log", "-1", "--format=%an", first).strip() == fact["first_author"]
        assert git(repo, "log", "-1", "--format=%an", f"refs/pull/{number}/head").strip() == fact["head_author"]


def test_a_merged_pr_belongs_to_its_first_commits_author(built: Built) -> None:
    knowledge = built.knowledge
    for number, fact in TRUTH[built.name]["merged"].items():
        outcome = built.outcomes[number]
        assert outcome.outcome == MERGED
        assert outcome.author == knowledge.authorship[fact["first"]][0], number
        person = knowledge.people[outcome.author]
        assert fact["first_author"] in {person.name, *person.aliases}, number


def test_an_unlanded_pr_belongs_to_its_first_commits_author(built: Built) -> None:
    knowledge = built.knowledge
    for number, fact in TRUTH[built.name]["unlanded"].items():
        outcome = built.outcomes[number]
        assert outcome.outcome == NOT_LANDED
        person = knowledge.people.get(outcome.author)
        if person is not None:
            assert fact["first_author"] in {person.name, *person.aliases}, number
        else:  # a stranger: the pseudonym of the first commit's address, not the head's
            email = git(built.repo, "log", "-1", "--format=%ae", fact["first"]).strip()
            assert outcome.author == "stranger:" + hashlib.sha256(email.casefold().encode()).hexdigest()[:16]


def test_offline_the_pages_count_landed_heads_and_state_no_rate(built: Built) -> None:
    truth = TRUTH[built.name]
    heads = fetched_heads(built.knowledge, built.notes.pull_requests)
    assert heads.fetched == truth["pr_heads"]
    assert truth["heads_in_history"] <= heads.landed < heads.fetched  # rebased and squashed ones land too
    pages = render_pages(built.knowledge)
    index, health = pages["contributors/index.md"], pages["contributors/health.md"]
    assert (f"{heads.landed} of the {heads.fetched} pull request heads fetched (`refs/pull/*/head`) landed; the "
            "others are open or closed, which git alone cannot tell. The acceptance rate needs the forge's record: "
            "run `almanac sync`.") in index
    assert "accepted" not in index.split("## ")[0] and "% " not in health.split("## Change request acceptance")[1]
    assert not any("% accepted" in text for path, text in pages.items() if path.startswith("contributors/"))
