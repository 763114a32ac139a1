"""Release changes on a history whose expected notes the test itself constructs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from generator.analysis.history.acceptance import acceptance_by_person, project_acceptance, strangers
from generator.analysis.history.changes import annotate_releases, folded_prereleases
from generator.analysis.history.classify import classify, era_styles, load_rules
from generator.analysis.history.patches import read_patch_ids
from generator.build import BuildOptions, Built, build_knowledge
from generator.model.errors import AlmanacError
from generator.model.knowledge import Change, Knowledge
from generator.render.pages import render_pages
from generator.sources.git.repo import open_repository
from tests.gitrepo import Repo, git_env

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
    assert dropped.breaking == "drops support for Python 3.8"
    assert [knowledge.people[key].name for key in releases["v0.9.0"].new_contributors] == ["Alice", "Bob"]
    assert [(c.section, c.title) for c in unreleased] == [("Documentation", "docs: explain sampling")]
    assert folded_prereleases(knowledge.releases) == {"v0.9.0": [releases["v0.9.0-rc1"]]}


def test_release_page_shows_breaking_backports_and_folded_rc(history: Repo) -> None:
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
        ("feat(tokenizer)!: new special tokens", "", [], ("Added", "conventional", "tokenizer", "`!` in the type")),
        ("fix: handle empty prompts", "BREAKING CHANGE: prompts are now required", [], ("Fixed", "conventional", None,
                                                                                     "BREAKING CHANGE footer")),
        ("ENH: faster attention", "", [], ("Added", "prefix", None, None)),
        ("[Eval] Add GSM8K", "", [], ("Added", "first word", "Eval", None)),
        ("eval: rename run_eval to evaluate", "", [], ("Changed", "first word", "eval",
                                                        "renames run_eval to evaluate")),
        ("🐛 Fix crash on CPU", "", [], ("Fixed", "first word", None, None)),
        ("修复分词器的特殊符号处理", "", [], ("Fixed", "first word", None, None)),
        ("Change the default dtype from fp32 to bf16", "", [], ("Changed", "first word", None, None)),
        ("Tweak", "", ["docs/a.md", "README.md"], ("Documentation", "paths", None, None)),
        ("Tweak", "", ["MIGRATION.md"], ("Documentation", "paths", None, None)),
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

    from generator.cli.commands import main

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


def test_patch_ids_find_rebase_merges_partial_prs_and_silent_cherry_picks(repo: Repo) -> None:
    """GitHub's "Rebase and merge" rewrites every commit, so the PR's head never reaches main; a backport
    made without ``-x`` names nothing. Both are found by patch-id, among commits sharing author and time."""
    repo.commit("Initial import", {"model.py": "v = 0\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "rope")
    first = repo.commit("Add RoPE scaling", {"rope.py": "scale = 1\n"}, author=ALICE)
    second = repo.commit("Address review", {"rope.py": "scale = 2\n"}, author=ALICE)
    repo.git("update-ref", "refs/pull/20/head", second)
    repo.git("checkout", "-q", "-b", "half", "main")
    half_one = repo.commit("Add a KV cache", {"kv.py": "1\n"}, author=BOB)
    half_two = repo.commit("Quantise the KV cache", {"kv.py": "2\n"}, author=BOB)
    repo.git("update-ref", "refs/pull/21/head", half_two)
    repo.git("checkout", "-q", "-b", "never", "main")
    repo.git("update-ref", "refs/pull/22/head", repo.commit("Rewrite everything", {"x.py": "1\n"}, author=BOB))
    repo.git("checkout", "-q", "main")
    repo.commit("Tidy the loader", {"model.py": "v = 1\n"}, author=MAINTAINER)
    repo.pick(first)
    repo.pick(second)  # PR 20, rebase-merged: both commits, new SHAs
    repo.pick(half_one)  # PR 21: only its first commit was taken
    for branch in ("rope", "half", "never"):
        repo.git("branch", "-q", "-D", branch)
    repo.tag("v1.0.0")
    fix = repo.commit("Guard against empty prompts", {"gen.py": "guard\n"}, author=BOB)
    repo.git("checkout", "-q", "-b", "release/1.0", "v1.0.0")
    repo.pick(fix, MAINTAINER)  # a backport without -x and without a PR number
    repo.tag("v1.0.1")
    repo.git("checkout", "-q", "main")
    repo.commit("Guard against empty prompts", {"gen.py": "guard\n"}, author=BOB, allow_empty=True)  # not a pick
    repo.tag("v1.1.0")

    knowledge, _ = build(repo)
    releases = {release.tag: release for release in knowledge.releases}
    v100 = {change.pr: change for change in releases["v1.0.0"].changes}
    assert (v100[20].kind, v100[20].title, len(v100[20].commits)) == ("rebase", "Add RoPE scaling", 2)
    assert (v100[21].kind, v100[21].title, len(v100[21].commits)) == ("partial", "Add a KV cache", 1)
    assert 22 not in v100 and sorted(knowledge.pull_request_branches) == [20, 21, 22]
    original = next(c for c in releases["v1.1.0"].changes if c.sha == fix)
    (copy,) = releases["v1.0.1"].changes
    assert (original.backported_to, copy.backport_of) == (["v1.0.1"], "v1.1.0")
    lookalike = next(c for c in releases["v1.1.0"].changes if c.sha != fix)
    assert lookalike.title == original.title and not lookalike.backported_to  # same words, not the same patch
    pages = render_pages(knowledge)
    assert "Add a KV cache (#21, partly applied)" in pages["releases/v1.0.0.md"]


def test_patch_ids_are_cached_per_commit(repo: Repo, tmp_path: Path) -> None:
    repo.commit("Initial import", {"model.py": "v = 0\n"}, author=MAINTAINER)
    repo.tag("v1.0.0")
    fix = repo.commit("Guard against empty prompts", {"gen.py": "guard\n"}, author=BOB)
    repo.git("checkout", "-q", "-b", "release/1.0", "v1.0.0")
    repo.pick(fix, MAINTAINER)
    repo.tag("v1.0.1")
    repo.git("checkout", "-q", "main")
    repo.tag("v1.1.0")
    options = BuildOptions(repo=repo.path, cache_dir=tmp_path / "cache")
    first = build_knowledge(options)
    with sqlite3.connect(tmp_path / "cache" / "history.sqlite") as db:
        assert dict(db.execute("SELECT sha, patch_id FROM patch_ids")) == first.patch_ids
    assert len(first.patch_ids) == 2 and len(set(first.patch_ids.values())) == 1
    assert build_knowledge(options).patch_ids == first.patch_ids
    runner, _ = open_repository(repo.path)
    before = len(runner.calls)
    assert read_patch_ids(runner, list(first.patch_ids), first.patch_ids) == first.patch_ids
    assert len(runner.calls) == before  # known patch-ids start no git process


def test_no_patch_id_for_a_line_commit_its_message_already_places(repo: Repo) -> None:
    """A squash commit naming its PR sits under that PR whatever its patch: ollama/ollama spent half of its
    look-alike diffs (88 MB) on such commits. A rebased copy that names no PR is still matched."""
    repo.commit("Initial import", {"model.py": "v = 0\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "feature")
    squashed = repo.commit("Add a sampler", {"sampler.py": "s\n"}, author=BOB)
    rebased = repo.commit("Add a loader", {"loader.py": "l\n"}, author=BOB)
    repo.git("update-ref", "refs/pull/5/head", squashed)
    repo.git("update-ref", "refs/pull/6/head", rebased)
    repo.git("checkout", "-q", "main")
    repo.commit("Bump the version", {"model.py": "v = 1\n"}, author=MAINTAINER)  # the branches stay off the line
    repo.pick(squashed, MAINTAINER)
    github = git_env(GIT_COMMITTER_NAME="GitHub", GIT_COMMITTER_EMAIL="noreply@github.com",
                     GIT_COMMITTER_DATE=f"{repo.clock} +0000")
    repo.git("commit", "--amend", "-q", "-m", "Add a sampler (#5)", env=github)
    named = repo.head()
    copy = repo.pick(rebased, MAINTAINER)
    repo.tag("v1.0.0")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert named not in knowledge.patch_ids and squashed not in knowledge.patch_ids
    assert knowledge.patch_ids[copy] == knowledge.patch_ids[rebased]


def test_only_one_copy_of_each_raw_diff_is_diffed_in_full(repo: Repo) -> None:
    """Copies with the very same blobs have the same patch (a rebase onto a line that left the file alone);
    a copy onto a changed file has other blobs and is diffed too, and still matches."""
    repo.commit("Initial import", {"model.py": "a\nb\nc\nd\ne\nf\ng\n", "gen.py": "x\n"}, author=MAINTAINER)
    repo.tag("v1.0.0")
    same_blobs = repo.commit("Guard against empty prompts", {"gen.py": "guard\n"}, author=BOB)
    other_blobs = repo.commit("Tune the last line", {"model.py": "a\nb\nc\nd\ne\nf\nG\n"}, author=BOB)
    repo.git("checkout", "-q", "-b", "release/1.0", "v1.0.0")
    repo.commit("Hotfix the first line", {"model.py": "A\nb\nc\nd\ne\nf\ng\n"}, author=MAINTAINER)
    copy_same = repo.pick(same_blobs, MAINTAINER)
    copy_other = repo.pick(other_blobs, MAINTAINER)
    runner, _ = open_repository(repo.path)
    diffed: list[bytes] = []
    run_piped = runner.run_piped

    def recorded(first: list[str], stdin: bytes, second: list[str]) -> bytes:
        if "-p" in first:
            diffed.append(stdin)
        return run_piped(first, stdin, second)

    runner.run_piped = recorded  # type: ignore[method-assign]
    ids = read_patch_ids(runner, [same_blobs, other_blobs, copy_same, copy_other], {})
    assert ids[same_blobs] == ids[copy_same] and ids[other_blobs] == ids[copy_other] != ids[same_blobs]
    assert len(diffed) == 1 and diffed[0].count(b"\n") == 3  # one of the identical pair, both of the other


def test_era_decides_what_a_word_colon_prefix_means(tmp_path: Path) -> None:
    """``build: add CUDA wheels`` is an area in a Go-style era and a chore in a Conventional Commits one."""
    override = tmp_path / "rules.yml"
    override.write_text("era_size: 4\n")
    rules = load_rules(override)
    go_era = ["runtime: speed up sampling", "net/http: fix proxy", "tokenizer: add byte fallback", "x"]
    conventional_era = ["feat: add sampling", "fix: proxy", "chore: tidy", "feat(tok): byte fallback"]
    assert era_styles(go_era + conventional_era, rules) == ["area"] * 4 + ["conventional"] * 4
    assert era_styles(["Update README.md"] * 5 + ["fix: x"], rules) == ["mixed"] * 6  # short tail joins
    go = classify("build: add CUDA wheels", rules=rules, style="area")
    assert (go.section, go.rule, go.component) == ("Added", "first word", "build")
    conventional = classify("build: add CUDA wheels", rules=rules, style="conventional")
    assert (conventional.section, conventional.rule, conventional.component) == ("Other", "conventional", None)
    fixed = classify("fixed: crash on empty prompt", rules=rules, style="conventional")
    assert (fixed.section, fixed.rule) == ("Fixed", "conventional (era)")
    assert classify("fixed: crash on empty prompt", rules=rules).component == "fixed"  # mixed era: an area


def test_eras_are_detected_on_a_real_history(repo: Repo, tmp_path: Path) -> None:
    override = tmp_path / "rules.yml"
    override.write_text("era_size: 4\n")
    for index, title in enumerate(["runtime: speed up", "net: fix proxy", "tokenizer: add fallback",
                                   "build: add CUDA wheels"]):
        repo.commit(title, {f"go{index}.py": "1\n"}, author=BOB)
    for index, title in enumerate(["feat: add sampling", "fix: proxy", "chore: tidy", "build: add CUDA wheels"]):
        repo.commit(title, {f"cc{index}.py": "1\n"}, author=ALICE)
    built = Built(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)), load_rules(override))
    notes = built.notes
    builds = sorted((c.timestamp, c.section, c.component) for c in notes.unreleased if "CUDA" in c.title)
    assert [(section, component) for _, section, component in builds] == [("Added", "build"), ("Other", None)]
    assert [(era.style, era.changes) for era in notes.coverage.eras] == [("area", 4), ("conventional", 4)]
    page = render_pages(built)["releases/index.md"]
    assert "Go-style area prefixes (4 changes); " in page and "Conventional Commits (4 changes)" in page


def test_pull_request_branches_from_the_cache_match_a_fresh_walk(repo: Repo, tmp_path: Path) -> None:
    """PR branches are cached with their heads; each rebuild must agree with a build without cache."""
    options = BuildOptions(repo=repo.path, cache_dir=tmp_path / "cache")

    def branches() -> dict[int, list[str]]:
        cached = build_knowledge(options).pull_request_branches
        fresh = build_knowledge(BuildOptions(repo=repo.path, use_cache=False)).pull_request_branches
        assert {n: [c.sha for c in commits] for n, commits in cached.items()} == \
            {n: [c.sha for c in commits] for n, commits in fresh.items()}
        return {n: [c.subject for c in commits] for n, commits in cached.items()}

    repo.commit("Initial import", {"model.py": "v = 0\n"}, author=MAINTAINER)
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit("Add a sampler", {"s.py": "1\n"}, author=ALICE)
    repo.git("update-ref", "refs/pull/4/head", repo.commit("Test the sampler", {"t.py": "1\n"}, author=ALICE))
    repo.git("checkout", "-q", "main")
    assert branches() == {4: ["Test the sampler", "Add a sampler"]}
    assert branches() == {4: ["Test the sampler", "Add a sampler"]}  # from the cache
    repo.git("checkout", "-q", "topic")
    repo.git("update-ref", "refs/pull/4/head", repo.commit("Review fixes", {"s.py": "2\n"}, author=ALICE))
    repo.git("checkout", "-q", "main")
    assert branches() == {4: ["Review fixes", "Test the sampler", "Add a sampler"]}  # the head moved
    repo.commit("Tidy", {"model.py": "v = 1\n"}, author=MAINTAINER)
    repo.merge("topic", "Merge pull request #4 from alice/topic")
    assert branches() == {}  # merged: its commits are history now
    repo.git("reset", "-q", "--hard", "HEAD~1")  # a force push takes the merge back
    assert branches() == {4: ["Review fixes", "Test the sampler", "Add a sampler"]}


def test_pull_request_acceptance_per_person_and_project(history: Repo) -> None:
    """δ, the review pass rate: offline, a head that never landed is open or closed, and there is no rate."""
    history.git("checkout", "-q", "-b", "drive-by")
    stranger_head = history.commit("Add a logo", {"logo.txt": "x\n"}, author="Drive By <drive@by.example>")
    history.git("update-ref", "refs/pull/30/head", stranger_head)
    history.git("checkout", "-q", "main")
    history.git("branch", "-q", "-D", "drive-by")
    knowledge = build_knowledge(BuildOptions(repo=history.path, use_cache=False))
    notes = annotate_releases(knowledge)
    outcomes = {pr.number: (pr.outcome, pr.how) for pr in notes.pull_requests}
    unknown = ("not landed (open or closed)", "head outside")
    assert outcomes == {
        3: ("merged", "squash"), 5: ("merged", "merge"), 6: ("merged", "rebase"), 7: unknown,
        8: ("merged", "squash"), 9: ("merged", "squash"), 12: ("merged", "squash"), 30: unknown,
    }
    by_person = acceptance_by_person(notes.pull_requests, forge=False)
    bob = next(key for key, person in knowledge.people.items() if person.name == "Bob")
    assert (by_person[bob].merged, by_person[bob].not_landed, by_person[bob].rate) == (2, 1, None)
    assert project_acceptance(notes.pull_requests, forge=False).rate is None
    assert strangers(notes.pull_requests, knowledge.people) == 1
    pages = render_pages(knowledge)
    index = pages["contributors/index.md"]
    assert ("6 merged, 2 not landed (open or closed). 2 of the 4 pull request heads fetched (`refs/pull/*/head`) "
            "landed; the others are open or closed, which git alone cannot tell. The acceptance rate needs the "
            "forge's record: run `almanac sync`. 1 person whose pull requests did not land has no") in index
    assert "accepted" not in index.split("## ")[0]
    bob_page = pages[f"contributors/{knowledge.people[bob].slug}.md"]
    assert "2 merged, 1 not landed (open or closed); open or closed needs the forge's record" in bob_page
    assert "accepted" not in bob_page
    listed = "\n- &#35;7 Abandoned idea · not landed &#40;open or closed&#41;\n- &#35;5 Long context support · merged\n"
    assert listed in bob_page  # one line each
    assert "drive@by" not in "".join(pages.values())
