"""A rebuild that reuses the saved analysis must produce exactly what a full analysis produces."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildOptions, build_knowledge
from generator.render.pages import render_pages
from tests.gitrepo import Repo

ALICE = "Alice <alice@example.com>"
BOB = "Bob <12+bob@users.noreply.github.com>"


def pages(repo: Repo, cache: Path | None) -> dict[str, str]:
    options = BuildOptions(repo=repo.path, cache_dir=cache, use_cache=cache is not None)
    return render_pages(build_knowledge(options))


def step_commits(repo: Repo) -> None:
    repo.commit("fix: one more (#9)", {"b.py": repo.head()}, author=BOB)
    repo.commit("Docs", {"docs/x.md": repo.head()}, author=ALICE)


def step_tag_head(repo: Repo) -> None:
    repo.commit("feat: shipped", {"c.py": "1\n"}, author=ALICE)
    repo.tag("v0.3.0", "Third")


def step_new_contributor(repo: Repo) -> None:
    repo.commit("First contribution\n\nCo-authored-by: Carol <carol@example.com>", {"d": "1"},
                author="Dan <dan@example.com>")


def step_same_person_new_name(repo: Repo) -> None:
    for _ in range(3):
        repo.commit("Spelling", {"e": repo.head()}, author="Bobby <12+bob@users.noreply.github.com>")


def step_mailmap(repo: Repo) -> None:
    repo.commit("Mailmap", {".mailmap": "Alice Liddell <alice@example.com>\n"}, author=ALICE)


def step_force_push(repo: Repo) -> None:
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.commit("Rewritten", {"f": "1"}, author=BOB)


def step_tag_old_commit(repo: Repo) -> None:
    repo.tag("v0.1.5", target="HEAD~4")


def step_release_branch(repo: Repo) -> None:
    repo.git("checkout", "-q", "-b", "release/0.3", "v0.3.0")
    repo.commit("fix: backport (#9)", {"b.py": "backport\n"}, author=BOB)
    repo.tag("v0.3.1", "Patch")
    repo.git("checkout", "-q", "main")
    repo.commit("After the patch", {"g": "1"}, author=ALICE)


def step_delete_tag(repo: Repo) -> None:
    repo.git("tag", "-d", "v0.3.1")


def step_nothing(repo: Repo) -> None:
    pass


#: Each change, and whether the saved analysis can be updated (True) or must be recomputed (False).
STEPS: list[tuple[Callable[[Repo], None], bool]] = [
    (step_nothing, True),
    (step_commits, True),
    (step_tag_head, True),
    (step_new_contributor, True),  # newcomers who share nothing with anyone known
    (step_same_person_new_name, False),  # a new spelling is a new identity
    (step_same_person_new_name, True),
    (step_mailmap, False),
    (step_release_branch, True),
    (step_force_push, False),
    (step_tag_old_commit, False),
    (step_delete_tag, False),
    (step_commits, True),
]


def test_every_incremental_rebuild_equals_a_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.build

    full_analyses: list[int] = []
    real_analyse = generator.build.analyse
    monkeypatch.setattr(generator.build, "analyse", lambda *a: full_analyses.append(1) or real_analyse(*a))

    repo = Repo(tmp_path / "repo")
    repo.commit("Initial", {"a.py": "1\n"}, author=ALICE)
    repo.tag("v0.1.0")
    repo.commit("feat: add b (#3)", {"b.py": "1\n"}, author=BOB)
    repo.commit("Tweak", {"a.py": "2\n"}, author=ALICE)
    repo.tag("v0.2.0", "Second")
    cache = tmp_path / "cache"
    assert pages(repo, cache) == pages(repo, None)
    for step, incremental in STEPS:
        step(repo)
        full_analyses.clear()
        cached = pages(repo, cache)
        assert full_analyses == ([] if incremental else [1]), step.__name__
        assert cached == pages(repo, None), step.__name__


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"version": 999}'])
def test_damaged_saved_analysis_is_recomputed(tmp_path: Path, damage: bytes) -> None:
    import sqlite3

    repo = Repo(tmp_path / "repo")
    repo.commit("Initial", {"a": "1"})
    cache = tmp_path / "cache"
    expected = pages(repo, cache)
    with sqlite3.connect(cache / "history.sqlite") as db:
        db.execute("UPDATE analysis SET data = ?", (damage.decode(),))
    repo.commit("Next", {"a": "2"})
    assert pages(repo, cache) == pages(repo, None) != expected


def test_damaged_commit_rows_mean_a_full_walk(tmp_path: Path) -> None:
    import sqlite3

    repo = Repo(tmp_path / "repo")
    repo.commit("Initial", {"a": "1"})
    repo.commit("Second", {"a": "2"})
    cache = tmp_path / "cache"
    pages(repo, cache)
    with sqlite3.connect(cache / "history.sqlite") as db:
        db.execute("UPDATE commits SET data = 'garbage'")
        db.execute("DELETE FROM analysis")
    repo.commit("Third", {"a": "3"})
    assert pages(repo, cache) == pages(repo, None)


def test_a_rebuild_of_an_unchanged_repository_starts_no_history_walk(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.sources.git.walk

    repo = Repo(tmp_path / "repo")
    repo.commit("Initial", {"a": "1"}, author=ALICE)
    repo.tag("v0.1.0")
    cache = tmp_path / "cache"
    options = BuildOptions(repo=repo.path, cache_dir=cache)
    first = build_knowledge(options)
    monkeypatch.setattr(generator.sources.git.walk, "walk", lambda *args: pytest.fail("walked an unchanged history"))
    monkeypatch.setattr(generator.sources.git.walk, "existing_commits",
                        lambda *args: pytest.fail("asked git for known tips"))
    again = build_knowledge(options)
    assert again.git_processes < first.git_processes and render_pages(again) == render_pages(first)
    repo.git("tag", "-d", "v0.1.0")  # fewer tips than the cache knows: still nothing to walk
    assert "releases/v0.1.0.md" not in render_pages(build_knowledge(options))


def test_a_renamed_login_is_the_last_used_one_in_updated_and_full_analyses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A login is chosen by when it was last used, so an update must choose as a full analysis would: after
    a rename (a new identity: analysed in full), after more commits under the new login (an update), and
    when the old address is used again (no new identity, yet the login changes: analysed in full)."""
    import generator.build

    full_analyses: list[int] = []
    real_analyse = generator.build.analyse
    monkeypatch.setattr(generator.build, "analyse", lambda *a: full_analyses.append(1) or real_analyse(*a))
    old, new = "Bob <12+bob@users.noreply.github.com>", "Bob <12+bb@users.noreply.github.com>"
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial", {"a.py": "1\n"}, author=old)
    repo.tag("v0.1.0")
    cache = tmp_path / "cache"

    def login(cache: Path | None) -> str | None:
        knowledge = build_knowledge(BuildOptions(repo=repo.path, cache_dir=cache, use_cache=cache is not None))
        (person,) = (person for person in knowledge.people.values() if person.github_id == 12)
        return person.login

    steps = [(new, "bb", [1]), (new, "bb", []), (old, "bob", [1]), ("Alice <alice@example.com>", "bob", [])]
    assert login(cache) == "bob"
    for number, (author, expected, analysed) in enumerate(steps):
        repo.commit(f"Step {number}", {"b.py": f"{number}\n"}, author=author)
        full_analyses.clear()
        assert login(cache) == expected, number
        assert full_analyses == analysed, number
        assert pages(repo, cache) == pages(repo, None), number


def test_an_update_orders_a_merged_branchs_older_commits_as_a_full_analysis_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A branch merged after the cache was filled brings commits dated before the saved ones; the card lists
    the commits behind each release's config change in time order, with or without the cache."""
    import generator.build

    full_analyses: list[int] = []
    real_analyse = generator.build.analyse
    monkeypatch.setattr(generator.build, "analyse", lambda *a: full_analyses.append(1) or real_analyse(*a))

    def config(layers: int, width: int) -> str:
        return f'{{\n  "model_type": "llama",\n  "num_hidden_layers": {layers},\n\n\n  "hidden_size": {width}\n}}\n'

    repo = Repo(tmp_path / "repo")
    repo.commit("Initial", {"config.json": config(2, 64), "README.md": "# Model\n"}, author=ALICE)
    repo.tag("v0.1.0")
    repo.git("checkout", "-q", "-b", "deeper")
    repo.commit("More layers", {"config.json": config(4, 64)}, author=BOB)  # dated before "Wider"
    repo.git("checkout", "-q", "main")
    repo.commit("Wider", {"config.json": config(2, 128)}, author=ALICE)
    cache = tmp_path / "cache"
    pages(repo, cache)
    repo.clock += 86_400
    repo.git("merge", "-q", "--no-ff", "deeper", "-m", "Merge branch 'deeper'",
             env=repo._identities(ALICE, ALICE, "+0000"))
    repo.tag("v0.2.0", "Second")
    full_analyses.clear()
    cached = pages(repo, cache)
    assert full_analyses == []  # the saved analysis was updated
    assert cached == pages(repo, None)
    more_layers, wider = repo.git("rev-parse", "HEAD^2", "HEAD^1").split()
    assert f"(commits `{more_layers[:8]}`, `{wider[:8]}`)" in cached["card.md"]
