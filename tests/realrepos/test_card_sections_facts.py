"""Card sections on real repositories: each section found where its heading means it, and only there.

``card_sections_truth.yml`` lists, per repository, the headings that state each card section (checked
by hand with ``git grep -n '^#'``), the tables under them and headings that must state nothing. The
four corpus bundles are always checked; the larger repositories under ``fetched:`` only when
``ALMANAC_REAL_REPOS`` names a folder of their clones.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.analysis.models.card import SECTIONS
from generator.analysis.models.cardsentences import stated_limitations, stated_training_data, stated_uses
from tests.realrepos.cardsectionfacts import card_of, located

TRUTH = yaml.safe_load((Path(__file__).parent / "card_sections_truth.yml").read_text(encoding="utf-8"))
FETCHED = TRUTH.pop("fetched")
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


def check(repo: Path, truth: dict[str, Any]) -> None:
    library = bool(truth.get("library"))
    card = card_of(repo, library=library)
    expected = {rule.title: truth.get(rule.title, []) for rule in SECTIONS}
    assert located(card) == expected
    headings = {heading.where: heading for section in card.sections for heading in section.headings}
    for where, tables in (truth.get("tables") or {}).items():
        assert [table.where for table in headings[where].tables] == tables
    shown = {heading.text for section in card.sections for heading in section.headings}
    assert not shown & set(truth.get("not_a_section") or [])
    stated = {title for title, places in expected.items() if places}
    asked = [rule.title for rule in SECTIONS if not (library and rule.model_only)]
    # "not stated" is said of the sections nothing under a heading states (facts are left out here)
    assert card.missing == [title for title in asked if title not in stated]
    assert (card.score is None) == library
    readers = {"Intended use": stated_uses, "Training data": stated_training_data,
               "Limitations and ethical considerations": stated_limitations}
    for title, where in (truth.get("in_a_sentence") or {}).items():
        path = where.split(":")[0]
        text = subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, check=True
                              ).stdout.decode("utf-8")
        [fact] = readers[title](text, path)
        assert fact.source.split(": ")[0] == where


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_card_sections_of_the_corpus(name: str, corpus_clone: Callable[[str], Path]) -> None:
    check(corpus_clone(name), TRUTH[name])


@pytest.mark.parametrize("name", sorted(FETCHED))
def test_card_sections_of_fetched_repositories(name: str) -> None:
    if REAL_REPOS is None or not (REAL_REPOS / name).is_dir():
        pytest.skip("ALMANAC_REAL_REPOS does not name a folder holding this clone")
    check(REAL_REPOS / name, FETCHED[name])
