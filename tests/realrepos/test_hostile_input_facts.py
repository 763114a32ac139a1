"""What the hostile-input work (issue 16) changed, checked on real histories: the corpus repositories.

That work rewrote the address redaction, the patterns that read PR numbers from subjects, the bounds on
dates and the slugs of people. On real repositories it must publish no address, hide nothing that is
not one, flag no honest date and read every PR number git shows. The facts come from git (see
``hostile_input_truth.yml`` for each command); the bundle is checked against them first, so a changed
bundle fails loudly instead of passing quietly.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from generator.analysis.history import prsubjects
from generator.cli.commands import main
from tests.realrepos.conftest import ABSENT, CORPUS
from tests.realrepos.historyfacts import git

TRUTH = yaml.safe_load((Path(__file__).with_name("hostile_input_truth.yml")).read_text(encoding="utf-8"))
_SQUASH = re.compile(r"\(#(\d+)\)$")
_MERGE = re.compile(r"^Merge pull request #(\d+) ")

pytestmark = pytest.mark.skipif(not (CORPUS / "clone").is_file(), reason=ABSENT)


class Built:
    def __init__(self, repo: Path, pages: Path, changelog: str, stderr: str) -> None:
        self.repo, self.pages, self.changelog, self.stderr = repo, pages, changelog, stderr


@pytest.fixture(scope="module", params=sorted(TRUTH))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          corpus_clone: Callable[[str], Path]) -> Built:
    name = request.param
    folder = tmp_path_factory.mktemp(name.replace("+", "-"))
    repo = corpus_clone(name)
    changelog = folder / "CHANGELOG.md"
    errors = folder / "stderr.txt"
    with errors.open("w", encoding="utf-8") as stream:
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from generator.cli.commands import main; sys.exit(main(sys.argv[1:]))",
             "write", str(folder / "pages"), "--repo", str(repo), "--no-cache"],
            stderr=stream, stdout=subprocess.DEVNULL, check=False)
    assert result.returncode == 0, errors.read_text(encoding="utf-8")
    assert main(["changelog", "--repo", str(repo), "--no-cache", "-o", str(changelog)]) == 0
    return Built(repo, folder / "pages", changelog.read_text(encoding="utf-8"), errors.read_text(encoding="utf-8"))


def truth(built: Built) -> dict[str, object]:
    return TRUTH[next(name for name in TRUTH if built.pages.parent.name.startswith(name.replace("+", "-")))]


def test_the_bundle_says_what_the_truth_file_says(built: Built) -> None:
    facts = truth(built)
    addresses = set(git(built.repo, "log", "--all", "--format=%ae%n%ce").split())
    times = sorted(int(line) for line in git(built.repo, "log", "--format=%at").split())
    first_parent = git(built.repo, "log", "--first-parent", "--format=%s").splitlines()
    assert len(addresses) == facts["addresses"]
    assert [datetime.fromtimestamp(t, timezone.utc).date() for t in (times[0], times[-1])] == [
        facts["first_commit"], facts["last_commit"]]
    assert sum(bool(_SQUASH.search(subject)) for subject in first_parent) == facts["squash_prs"]
    assert sum(bool(_MERGE.match(subject)) for subject in first_parent) == facts["merged_prs"]


def test_no_address_of_the_history_is_published_in_any_file_or_path(built: Built) -> None:
    addresses = {address.casefold() for address in git(built.repo, "log", "--all", "--format=%ae%n%ce").split()
                 if "@" in address}
    for path in built.pages.rglob("*"):
        relative = str(path.relative_to(built.pages)).casefold()
        assert "@" not in relative, relative
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").casefold()
            assert not [address for address in addresses if address in text], path
    assert not [address for address in addresses if address in built.changelog.casefold()]


def test_honest_dates_are_not_findings(built: Built) -> None:
    """Every commit of these histories is dated between 2023 and 2026: none is "outside" the window."""
    assert "left out of the time series" not in built.stderr


def test_the_subject_patterns_read_every_pr_number_git_shows_and_no_other(built: Built) -> None:
    """The patterns that read ``Title (#N)`` and ``Merge pull request #N from …`` were rewritten for linear
    time: on every first-parent subject they must give exactly the numbers the plain patterns of the
    truth file give; and every number the changelog names is one git shows in a subject or a
    ``refs/pull/N`` head (whether each landed PR gets its entry is issue 17's work, not this one's)."""
    first_parent = git(built.repo, "log", "--first-parent", "--format=%s").splitlines()
    for subject in first_parent:
        squash, merge = _SQUASH.search(subject.rstrip()), _MERGE.match(subject)
        ours, theirs = prsubjects.PR_SUFFIX.search(subject), prsubjects.MERGE_PR.match(subject)
        assert (ours and ours.group(1)) == (squash and squash.group(1)), subject
        assert (theirs and theirs.group(1)) == (merge and merge.group(1)), subject
    named = {int(number) for number in re.findall(r"\(#(\d+)\)", built.changelog)}
    every_subject = git(built.repo, "log", "--all", "--format=%s").splitlines()
    shown = {int(number) for subject in every_subject for number in re.findall(r"#(\d+)", subject)}
    shown |= {int(m.group(1)) for ref in git(built.repo, "for-each-ref", "--format=%(refname)").split()
              if (m := re.fullmatch(r"refs/pull/(\d+)/head", ref))}
    assert named <= shown
