"""Entry text and breaking flags (issue 17, items 4–6), checked on real histories: the corpus repositories.

The titles of ``entry_text_truth.yml`` are read from git first (a changed bundle fails loudly), then
found in CHANGELOG.md written as they should be: without backslashes where nothing would render
differently, with them where CommonMark would read emphasis. The corpus has removal subjects but no
breaking marker and no removal that names an interface, so nothing may be flagged breaking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.cli.commands import main
from tests.realrepos.conftest import ABSENT, CORPUS
from tests.realrepos.historyfacts import git

TRUTH = yaml.safe_load((Path(__file__).with_name("entry_text_truth.yml")).read_text(encoding="utf-8"))
_REMOVAL = re.compile(r"^(remove|drop|delete|rename)[a-z]* ", re.IGNORECASE)

pytestmark = pytest.mark.skipif(not (CORPUS / "clone").is_file(), reason=ABSENT)


@pytest.fixture(scope="module", params=sorted(TRUTH))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          corpus_clone: Callable[[str], Path]) -> tuple[str, Path, str]:
    name = request.param
    folder = tmp_path_factory.mktemp(name.replace("+", "-"))
    repo = corpus_clone(name)
    changelog = folder / "CHANGELOG.md"
    assert main(["changelog", "--repo", str(repo), "--no-cache", "-o", str(changelog)]) == 0
    return name, repo, changelog.read_text(encoding="utf-8")


def test_entries_read_as_git_wrote_them_and_nothing_is_flagged_breaking(built: tuple[str, Path, str]) -> None:
    name, repo, changelog = built
    facts = TRUTH[name]
    lines = git(repo, "log", "--all", "--format=%s%n%b").splitlines()
    assert sum(bool(_REMOVAL.match(line)) for line in lines) == facts["removals"]
    assert not any(line.startswith(("BREAKING CHANGE:", "BREAKING-CHANGE:")) for line in lines)
    entries = [line for line in changelog.splitlines() if line.startswith("- ")]
    for fact in facts["titles"]:
        assert fact["title"] in lines
        assert any(entry.startswith(f"- {fact['entry']} (") for entry in entries), fact
    assert "**Breaking changes**" not in changelog
    assert not [entry for entry in entries if " — " in entry]
    assert "\\." not in changelog and "\\-" not in changelog  # dots and dashes never render as anything
