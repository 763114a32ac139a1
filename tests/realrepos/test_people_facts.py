"""People on real histories: one page per human, nobody erased, nobody split (issue 18).

The truth (``people_truth.yml``) was read with git; the bundle is checked against it first. Almanac's
side is its knowledge model, built without the cache: who is a person, under which names.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.build import BuildOptions, build_knowledge
from generator.model.knowledge import Knowledge
from tests.realrepos.conftest import ABSENT, CORPUS

TRUTH = yaml.safe_load((Path(__file__).with_name("people_truth.yml")).read_text(encoding="utf-8"))
_TRAILER = re.compile(r"^(.*?)\s*<([^>]*)>\s*$")

pytestmark = pytest.mark.skipif(not (CORPUS / "clone").is_file(), reason=ABSENT)


def identities(repo: Path) -> set[tuple[str, str]]:
    """The command of the truth file: authors and co-authors of HEAD and the tags, as (name, address)."""
    out = subprocess.run(["git", "-C", str(repo), "log", "HEAD", "--tags",
                          "--format=%an <%ae>%n%(trailers:key=Co-authored-by,valueonly,separator=%x0a)"],
                         check=True, capture_output=True, text=True).stdout
    found = set()
    for line in out.splitlines():
        if (match := _TRAILER.match(line.strip())) is not None:
            found.add((match.group(1), match.group(2).casefold()))
    return found


@pytest.fixture(scope="module", params=sorted(TRUTH))
def built(request: pytest.FixtureRequest, corpus_clone: Callable[[str], Path]) -> tuple[str, Path, Knowledge]:
    repo = corpus_clone(request.param)
    return request.param, repo, build_knowledge(BuildOptions(repo=repo, use_cache=False))


def test_the_bundle_says_what_the_truth_file_says(built: tuple[str, Path, Knowledge]) -> None:
    name, repo, _ = built
    found = identities(repo)
    assert (len(found), len({address for _, address in found})) == (TRUTH[name]["identities"], TRUTH[name]["addresses"])


def test_one_page_per_human_and_nobody_erased(built: tuple[str, Path, Knowledge]) -> None:
    name, repo, knowledge = built
    humans = [person for person in knowledge.people.values() if not person.is_bot]
    assert len(humans) == TRUTH[name]["humans"]
    names_of = {person.key: {person.name, *person.aliases} for person in humans}
    for group in TRUTH[name]["same_person"]:
        holders = {key for key, names in names_of.items() if set(group) & names}
        assert len(holders) == 1, group
        assert set(group) <= next(iter(names_of[key] for key in holders))
    for identity_name, _ in identities(repo):  # everyone recorded is someone
        assert any(identity_name in names for names in names_of.values()), identity_name
    logins = [person.login.casefold() for person in humans if person.login]
    assert len(logins) == len(set(logins))  # no account on two pages
    slugs = [person.slug for person in knowledge.people.values()]
    assert len(slugs) == len(set(slugs))
