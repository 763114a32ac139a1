"""Release changes on a history whose expected notes the test itself constructs."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.changes import annotate_releases, folded_prereleases
from generator.classify import classify, load_rules
from generator.errors import AlmanacError
from generator.knowledge import BuildOptions, build_knowledge
from generator.model import Change, Knowledge
from tests.gitrepo import Repo

MAINTAINER = "Mai Tainer <mai@lumen.example>"
ALICE = "Alice <11+alice@users.noreply.github.com>"
BOB = "Bob <bob@example.com>"
GITHUB = "GitHub <noreply@github.com>"


def build(repo: Repo) -> tuple[Knowledge, list[Change]]:
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    notes = annotate_releases(knowledge)
    assert notes.coverage.commits == notes.coverage.commits_in_changes  # nothing dropped
    return knowledge, notes.unreleased


def summary(changes: list[Change]) -> list[tuple[str, int | None, str]]:
    return sorted((change.kind, change.pr, change.title) for change in changes)


@pytest.fixture
def history(repo: Repo) -> Repo:
    """Every way a change lands, across an rc, a final, a patch on a release branch and a later release."""
    repo.commit("Initial import", {"model.py": "v = 0\n"}, author=MAINTAINER)
    repo.tag("v0.9.0-rc1", "Candidate")
    # squash merge of PR 3 (GitHub commits it, the PR author authors it)
    repo.commit("feat(tokenizer): add a chat template (#3)", {"tok.py": "t = 1\n"}, author=ALICE, committer=GITHUB)
    # a real merge commit of PR 5 from the org's own branch: the PR author is the head's author
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("Part one", {"f1": "1\n"}, author=BOB)
    head = repo.commit("Part two", {"f2": "1\n"}, author=BOB)
    repo.git("update-ref", "refs/pull/5/head", head)
    repo.git("checkout", "-q", "main")
    repo.merge("feature", "Merge pull request #5 from lumen/feature\n\nLong context support", author=MAINTAINER)
    # a rebase-merged PR: its head sits on main's first-parent line
    rebased = repo.commit("Speed up the sampler", {"s.py": "1\n"}, author=ALICE)
    repo.git("update-ref", "refs/pull/6/head", rebased)
    # a never-merged PR
    repo.git("checkout", "-q", "-b", "abandoned")
    repo.git("update-ref", "refs/pull/7/head", repo.commit("Abandoned idea", {"x": "1\n"}, author=BOB))
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "abandoned")
    repo.tag("v0.9.0", "Final")
    fix = repo.commit("Fix the EOS token (#8)", {"gen.json": "{}\n"}, author=BOB, committer=GITHUB)
    # patch release on a release branch: a cherry-pick of PR 8
    repo.git("checkout", "-q", "-b", "release/0.9", "v0.9.0")
    repo.commit(f"Fix the EOS token (#8)\n\n(cherry picked from commit {fix})", {"gen.json": "{}\n"}, author=BOB)
    repo.tag("v0.9.1", "Patch")
    repo.git("checkout", "-q", "main")
    repo.commit('Revert "feat(tokenizer): add a chat template (#3)" (#9)', {"tok.py": "t = 0\n"}, author=ALICE)
    repo.commit("Add a flag (#10) (#12)", {"flag.py": "1\n"}, author=ALICE)
    repo.commit("Drop support for Python 3.8", {"setup.py": "x\n"}, author=MAINTAINER)  # a direct push
    repo.tag("v1.0.0")
    repo.commit("docs: explain sampling", {"docs/sampling.md": "x\n"}, author="Newcomer <new@example.com>")
    return repo


def test_every_way_a_change_lands(history: Repo) -> None:
    knowledge, unreleased = build(history)
    releases = {release.tag: release for release in knowledge.releases}
    assert summary(releases["v0.9.0-rc1"].changes) == [("direct", None, "Initial import")]
    assert summary(releases["v0.9.0"].changes) == [
        ("merge", 5, "Long context support"),
        ("rebase", 6, "Speed up the sampler"),
        ("squash", 3, "feat(tokenizer): add a chat template"),
    ]
    merge = next(c for c in releases["v0.9.0"].changes if c.kind == "merge")
    assert len(merge.commits) == 3 and knowledge.people[merge.author].name == "Bob"
    assert summary(releases["v1.0.0"].changes) == [
        ("direct", None, "Drop support for Python 3.8"),
        ("squash", 8, "Fix the EOS token"),
        ("squash", 9, 'Revert "feat(tokenizer): add a chat template (#3)"'),
        ("squash", 12, "Add a flag (#10)"),
    ]
    by_pr = {change.pr: change for change in releases["v1.0.0"].changes}
    assert by_pr[9].reverts == 3
    assert releases["v0.9.0"].previous == "v0.9.0-rc1"  # merges lead back into a release's own commits
    assert by_pr[8].backported_to == ["v0.9.1"]
    patch = releases["v0.9.1"].changes
    assert [(c.pr, c.backport_of) for c in patch] == [(8, "v1.0.0")]
    dropped = next(c for c in releases["v1.0.0"].changes if c.pr is None)
    assert dropped.breaking == "drops support"
    assert [knowledge.people[key].name for key in releases["v0.9.0"].new_contributors] == ["Alice", "Bob"]
    assert [(c.section, c.title) for c in unreleased] == [("Documentation", "docs: explain sampling")]
    assert folded_prereleases(knowledge.releases) == {"v0.9.0": [releases["v0.9.0-rc1"]]}


def test_release_page_shows_breaking_backports_and_folded_rc(history: Repo) -> None:
    from generator.pages import render_pages

    knowledge, _ = build(history)
    pages = render_pages(knowledge)
    final = pages["releases/v1.0.0.md"]
    assert '!!! warning "Breaking changes"' in final and "drops support" in final
    assert "backported to [v0.9.1](v0.9.1.md)" in final and "reverts #3" in final
    assert "backport, also in [v1.0.0](v1.0.0.md)" in pages["releases/v0.9.1.md"]
    assert '??? note "Changes first released in [v0.9.0-rc1](v0.9.0-rc1.md)"' in pages["releases/v0.9.0.md"]
    assert "**tokenizer:** add a chat template (#3)" in pages["releases/v0.9.0.md"]


@pytest.mark.parametrize(
    ("title", "body", "paths", "expected"),
    [
        ("feat(tokenizer)!: new special tokens", "", [], ("Added", "conventional", "tokenizer", "marked with !")),
        ("fix: handle empty prompts", "BREAKING CHANGE: prompts are now required", [], ("Fixed", "conventional", None,
                                                                                     "marked BREAKING CHANGE")),
        ("ENH: faster attention", "", [], ("Added", "prefix", None, None)),
        ("[Eval] Add GSM8K", "", [], ("Added", "first word", "Eval", None)),
        ("eval: rename run_eval to evaluate", "", [], ("Changed", "first word", "eval", "renames something")),
        ("🐛 Fix crash on CPU", "", [], ("Fixed", "first word", None, None)),
        ("修复分词器的特殊符号处理", "", [], ("Fixed", "first word", None, None)),
        ("Change the default dtype from fp32 to bf16", "", [], ("Changed", "first word", None, "changes a default")),
        ("Tweak", "", ["docs/a.md", "README.md"], ("Documentation", "paths", None, None)),
        ("Tweak", "", ["MIGRATION.md"], ("Documentation", "paths", None, "touches the migration guide")),
        ("Something odd", "", ["src/x.py"], ("Other", "none", None, None)),
    ],
)
def test_classification(title: str, body: str, paths: list[str], expected: tuple) -> None:
    result = classify(title, body, paths)
    assert (result.section, result.rule, result.component, result.breaking) == expected


def test_rules_can_be_overridden(tmp_path: Path) -> None:
    override = tmp_path / "rules.yml"
    override.write_text("first_words:\n  Security: [harden]\nconventional_types:\n  model: Changed\n")
    rules = load_rules(override)
    assert classify("Harden the loader", rules=rules).section == "Security"
    assert classify("model: bigger context", rules=rules).section == "Changed"
    assert classify("fix: still works", rules=rules).section == "Fixed"  # the rest of the defaults stay
    override.write_text("first_words: [unclosed\n")
    with pytest.raises(AlmanacError, match=r"rules.yml:2: changelog rules are not valid YAML"):
        load_rules(override)


GOLDEN = Path(__file__).parent / "golden" / "changelog"


@pytest.mark.parametrize(("argv", "golden"), [
    ([], "history-keepachangelog.md"),
    (["--format", "github", "--release", "v1.0.0"], "history-github-v1.0.0.md"),
])
def test_changelog_command_end_to_end(history: Repo, tmp_path: Path, argv: list[str], golden: str) -> None:
    """`almanac changelog` on the constructed history, byte for byte (ALMANAC_UPDATE_GOLDEN=1 rewrites)."""
    import os

    from generator.cli import main

    history.git("remote", "add", "origin", "https://x-access-token:SECRET@github.com/lumen-ai/lumen.git")
    output = tmp_path / "CHANGELOG.md"
    assert main(["changelog", "--repo", str(history.path), "--output", str(output), *argv]) == 0
    text = output.read_text(encoding="utf-8")
    assert "SECRET" not in text and "https://github.com/lumen-ai/lumen/" in text
    if os.environ.get("ALMANAC_UPDATE_GOLDEN"):
        (GOLDEN / golden).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / golden).read_text(encoding="utf-8")
    hand_written = tmp_path / "NOTES.md"
    hand_written.write_text("# My own notes\n")
    assert main(["changelog", "--repo", str(history.path), "--output", str(hand_written), *argv]) == 2
    assert hand_written.read_text() == "# My own notes\n"


def test_revert_of_a_revert_and_an_empty_message(repo: Repo) -> None:
    repo.commit("Add streaming (#20)", {"s.py": "1\n"}, author=ALICE)
    repo.commit('Revert "Add streaming (#20)" (#21)', {"s.py": "0\n"}, author=ALICE)
    repo.commit('Revert "Revert "Add streaming (#20)" (#21)" (#22)', {"s.py": "1\n"}, author=ALICE)
    repo.commit("", {"e.py": "1\n"}, author=BOB)
    _, unreleased = build(repo)
    by_pr = {change.pr: change for change in unreleased}
    assert (by_pr[21].reverts, by_pr[22].reverts, by_pr[20].reverts) == (20, 21, None)
    assert by_pr[None].title == "(no commit message)" and by_pr[None].section == "Other"
