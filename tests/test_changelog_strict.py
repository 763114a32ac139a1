"""Issue 20, items 8 and 9: CHANGELOG.md as strict Keep a Changelog validators read it, and without the noise
(repeated dependency bumps, bots' routine commits) that git-cliff users filter out.

The validator is kacl-cli (python-kacl). Its stock configuration also demands the sentence "this project
adheres to Semantic Versioning", which Almanac does not claim for a project it only reads; the tests give it
Almanac's own header lines as the required default content, and every other rule as shipped.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.analysis.history.changes import bump_of, section_entries
from generator.export.changelog import keep_a_changelog, render_changelog, strict_section
from generator.model.errors import AlmanacError
from generator.model.knowledge import Change

sys.path.insert(0, str(Path(__file__).parent))
from test_changelog import FORGE, at, sample_knowledge, sha

KACL_CONFIG = """\
kacl:
  default_content:
    - All notable changes to this project will be documented in this file.
    - The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).
"""


def kacl_errors(text: str, folder: Path) -> list[str]:
    """kacl-cli's complaints about a changelog (empty when it validates)."""
    pytest.importorskip("kacl", reason="python-kacl (the [test] extra) is not installed")
    (folder / "CHANGELOG.md").write_text(text, encoding="utf-8")
    (folder / ".kacl.yml").write_text(KACL_CONFIG, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kacl.kacl_cli", "-c", str(folder / ".kacl.yml"), "-f",
                          str(folder / "CHANGELOG.md"), "verify"], capture_output=True, text=True, check=False)
    return [line for line in (run.stdout + run.stderr).splitlines() if "error:" in line]


def test_strict_changelog_validates_with_and_without_a_forge(tmp_path: Path) -> None:
    knowledge, unreleased = sample_knowledge()
    for forge in (FORGE, None):
        text = keep_a_changelog(knowledge, forge, unreleased, strict=True)
        assert kacl_errors(text, tmp_path) == [], text
        headings = {line for line in text.splitlines() if line.startswith("### ")}
        assert headings <= {f"### {name}" for name in ("Added", "Changed", "Deprecated", "Removed", "Fixed",
                                                        "Security")}
    text = keep_a_changelog(knowledge, FORGE, unreleased, strict=True)
    assert "## [1.1.0] - 2025-09-16" in text and "[1.1.0]: https://github.com/lumen-ai/lumen/compare/v1.0.0...v1.1.0" \
        in text
    assert "- **Breaking:** Drop Python 3.8 support (#12) by @alice-ex with 张伟 — drops support" in text
    assert "- **Model:** config.json: max_position_embeddings 4096 → 8192" in text  # from v1.0.0-rc1, folded in


def test_default_changelog_has_no_dangling_version_link(tmp_path: Path) -> None:
    """Without a forge the default headings are plain text; with one, every label has its definition."""
    knowledge, unreleased = sample_knowledge()
    plain = keep_a_changelog(knowledge, None, unreleased)
    assert "## Unreleased" in plain and "## [" not in plain
    assert not [error for error in kacl_errors(plain, tmp_path) if "link" in error.lower()]
    assert "**Breaking changes**" not in keep_a_changelog(knowledge, FORGE, unreleased)


def test_strict_sections_follow_the_documented_rule() -> None:
    def change(section: str, breaking: str | None = None) -> Change:
        return Change(sha=sha("c"), title="x", kind="squash", section=section, breaking=breaking)

    assert [strict_section(change(name)) for name in ("Documentation", "Dependencies", "Other", "Weights")] == \
        ["Changed"] * 4
    assert strict_section(change("Fixed")) == "Fixed"
    assert strict_section(change("Other", "removes `foo`")) == "Removed"
    assert strict_section(change("Added", "`!` in the type")) == "Changed"


def test_strict_is_an_option_of_the_keepachangelog_format() -> None:
    knowledge, unreleased = sample_knowledge()
    with pytest.raises(AlmanacError, match="--strict-keepachangelog"):
        render_changelog(knowledge, unreleased, fmt="github", strict=True)


@pytest.mark.parametrize(
    ("title", "package", "old", "new"),
    [
        ("Bump torch from 2.3.0 to 2.4.0", "torch", "2.3.0", "2.4.0"),
        ("Bump torch from 2.3.0 to 2.4.0 in /requirements", "torch", "2.3.0", "2.4.0"),
        ("build(deps-dev): bump ruff from 0.5.0 to 0.6.0", "ruff", "0.5.0", "0.6.0"),
        ("chore(deps): update dependency transformers to v4.41.2", "transformers", None, "4.41.2"),
        ("chore(deps): update actions/checkout action to v4", "actions/checkout", None, "4"),
    ],
)
def test_dependabot_and_renovate_subjects_are_read(title: str, package: str, old: str | None, new: str) -> None:
    bump = bump_of(title)
    assert bump is not None and (bump.package, bump.old, bump.new) == (package, old, new)


@pytest.mark.parametrize("title", ["Update transformers to 4.40", "Bump version to 0.3", "Update README"])
def test_a_person_s_update_is_not_a_bump(title: str) -> None:
    assert bump_of(title) is None


def test_bumps_fold_per_package_and_bots_routine_commits_are_set_apart() -> None:
    knowledge, _ = sample_knowledge()
    knowledge.people["dependabot[bot]"] = knowledge.people["dependabot"] if "dependabot" in knowledge.people \
        else next(person for person in knowledge.people.values() if person.is_bot)
    bot = next(key for key, person in knowledge.people.items() if person.is_bot)
    bumps = [Change(sha=sha(str(n)), title=f"Bump torch from 2.{n}.0 to 2.{n + 1}.0", kind="squash", pr=40 + n,
                    author=bot, section="Dependencies", timestamp=at(f"2025-09-0{n + 1} 10:00", 0)) for n in range(3)]
    other = Change(sha=sha("e"), title="Bump numpy from 1.0 to 2.0", kind="squash", pr=50, author=bot,
                   section="Dependencies", timestamp=at("2025-09-05 10:00", 0))
    nightly = [Change(sha=sha(f"f{n}"), title="Update eval results [skip ci]", kind="direct", author="alice",
                      section="Changed", timestamp=at(f"2025-09-0{n + 1} 11:00", 0)) for n in range(2)]
    found = section_entries([bumps[2], other, bumps[0], bumps[1]], {bot})
    assert len(found.entries) == 2 and found.routine == ()
    fold = found.entries[0]
    assert not isinstance(fold, Change) and fold.text == "torch 2.0.0 → 2.3.0 in 3 bumps"
    assert [change.pr for change in fold.changes] == [40, 41, 42]
    knowledge.releases[-1].changes = [*bumps, other, *nightly]
    text = keep_a_changelog(knowledge, FORGE)
    assert "- Bump torch 2.0.0 → 2.3.0 in 3 bumps (#40, #41, #42) by @" in text
    assert "- Bump numpy from 1.0 to 2.0 (#50)" in text
    assert "- 2 routine commits (by bots or skipping CI):\n  - Update eval results \\[skip ci\\] ×2 (" in text


def test_demo_changelog_validates_strictly_and_lists_its_headline_changes(tmp_path: Path) -> None:
    from generator.demo import DEMO, resolve_repo
    from generator.export.changelog import changelog_from_repo

    demo = resolve_repo(DEMO, Path.cwd())
    strict = changelog_from_repo(demo, strict=True, forge_url_option="https://github.com/lumen-ai/lumen")
    assert kacl_errors(strict, tmp_path) == []
    default = changelog_from_repo(demo)
    unreleased = default.split("## Unreleased")[1].split("\n## ")[0]
    assert "- Relicense the model weights under BigScience OpenRAIL-M (#516)" in \
        unreleased.split("### Changed")[1].split("### ")[0]  # not under Other
    assert default.count("Update nightly eval results") <= 8  # one line per release (19 lines before)
    assert "  - Update nightly eval results \\[skip ci\\] ×4 (0633c6c, 7419c3c, c0b2fb1, 63576da)" in unreleased
    assert "Bump numpy 2.0.0 → 2.1.3 in 3 bumps (#450, #455, #465)" in default


def test_release_pages_fold_bumps_and_collapse_routine_commits() -> None:
    """The site's release pages list what CHANGELOG.md lists: one entry per package's bumps, the nightly
    bot's commits in one collapsed block (they were 19 lines one by one on the demo)."""
    from generator.build import BuildOptions, build_knowledge
    from generator.demo import DEMO, resolve_repo
    from generator.render.pages import render_pages

    pages = render_pages(build_knowledge(BuildOptions(repo=resolve_repo(DEMO, Path.cwd()), use_cache=False)))
    page = pages["releases/v1.2.0.md"]
    assert "- Bump numpy 2.0.0 → 2.1.3 in 3 bumps (#450, #455, #465) · " in page
    assert "Bump numpy from" not in page
    block = page.split('??? note "6 routine commits (by bots or skipping CI)"\n\n')[1].split("\n\n")[0]
    assert len(block.splitlines()) == 6 and all(line.startswith("    - Update nightly eval results") for line in
                                                block.splitlines())
    assert sum("Update nightly eval results" in line for line in page.splitlines()) == 6
    assert '??? note "3 routine commits (by bots or skipping CI)"\n\n    - **pre-commit.ci:** pre-commit' in page
