"""The history walk against real repositories: renames, binaries, merges, odd bytes, hostile messages."""

from __future__ import annotations

from pathlib import Path

from generator.sources.git.commitcache import CommitCache
from generator.sources.git.repo import open_repository
from generator.sources.git.walk import new_commits, whole_history
from tests.gitrepo import Repo


def walk_all(path: Path) -> dict:
    runner, state = open_repository(path)
    tips = sorted({state.head, *(t.target for t in state.tags)})
    return whole_history(tips, new_commits(runner, tips, None)[0], {})


def test_fields_renames_binaries_and_trailers(repo: Repo) -> None:
    first = repo.commit("Add model", {"a.py": "x\ny\n", "weights.bin": b"\x00\x01\x02"}, offset="+0800")
    repo.git("mv", "a.py", "model.py")
    second = repo.commit(
        "Rename a.py\n\nBody paragraph.\n\n"
        "co-authored-by: 李娜 <lina@example.com>\nSigned-Off-By: Bob <bob@example.com>\nUnrelated-Key: kept out",
        {"model.py": "x\ny\nz\n"},
    )
    commits = walk_all(repo.path)
    assert list(commits) == [second, first]  # newest first
    old = commits[first]
    assert old.parents == ()
    assert old.author.utc_offset == 8 * 60
    assert {(f.path, f.added, f.deleted) for f in old.files} == {("a.py", 2, 0), ("weights.bin", None, None)}
    new = commits[second]
    assert new.parents == (first,)
    assert new.subject == "Rename a.py"
    assert [(f.old_path, f.path, f.added) for f in new.files] == [("a.py", "model.py", 1)]
    assert new.trailers == (("co-authored-by", "李娜 <lina@example.com>"), ("Signed-Off-By", "Bob <bob@example.com>"))


def test_message_that_looks_like_git_output_cannot_forge_records(repo: Repo) -> None:
    """A body full of numstat-like lines and SHAs stays one commit's message."""
    fake_sha = "f" * 40
    body = f"Innocent subject\n\n1\t2\tfake/path\n{fake_sha}\n\n-\t-\tbinary\n"
    sha = repo.commit(body, {"real.txt": "1\n"})
    commits = walk_all(repo.path)
    assert list(commits) == [sha]
    assert [f.path for f in commits[sha].files] == ["real.txt"]
    assert fake_sha in commits[sha].message


def test_legacy_encodings_and_invisible_characters(repo: Repo) -> None:
    latin1 = repo.commit("Caf\xe9 r\xe9sum\xe9".encode("latin-1"), {"a": "1"}, author="Jos\xe9 <jose@example.com>")
    declared = repo.commit(
        "Na\xefve".encode("latin-1"), {"b": "1"}, config=("i18n.commitEncoding=ISO-8859-1",)
    )
    hostile = repo.commit("Fix \u202eexe.txt\u202c bell\x07 zero\u200bwidth", {"c": "1"})
    commits = walk_all(repo.path)
    assert commits[latin1].subject == "Café résumé"
    assert commits[declared].subject == "Naïve"
    assert commits[hostile].subject == "Fix exe.txt bell zerowidth"


def test_merges_have_no_file_stats_and_both_parents(repo: Repo) -> None:
    base = repo.commit("base", {"a": "1\n"})
    repo.git("checkout", "-q", "-b", "feature")
    side = repo.commit("side", {"b": "1\n"})
    repo.git("checkout", "-q", "main")
    main = repo.commit("main", {"c": "1\n"})
    merge = repo.merge("feature", "Merge pull request #7 from someone/feature")
    commits = walk_all(repo.path)
    assert set(commits) == {base, side, main, merge}
    assert commits[merge].parents == (main, side)
    assert commits[merge].files == ()


def test_cache_reads_only_new_commits_and_survives_force_push(repo: Repo, tmp_path: Path) -> None:
    for number in range(5):
        repo.commit(f"commit {number}", {"f": f"{number}\n"})
    cache_dir = tmp_path / "cache"

    def cached_walk() -> tuple[dict, int]:
        runner, state = open_repository(repo.path)
        cache = CommitCache(cache_dir, [])
        try:
            fresh, cached = new_commits(runner, [state.head], cache)
            commits = whole_history([state.head], fresh, (cache.load() or {}) if cached else {})
            cache.store(fresh, [state.head], "")
        finally:
            cache.close()
        return commits, len(fresh)

    first, walked = cached_walk()
    assert (len(first), walked) == (5, 5)
    again, walked = cached_walk()
    assert (again, walked) == (first, 0)
    repo.commit("one more", {"f": "new\n"})
    grown, walked = cached_walk()
    assert (len(grown), walked) == (6, 1)
    repo.git("reset", "-q", "--hard", "HEAD~3")
    rewritten_tip = repo.commit("rewritten", {"g": "x\n"})
    rewritten, walked = cached_walk()
    assert walked == 1
    assert rewritten == walk_all(repo.path)
    assert rewritten_tip in rewritten and len(rewritten) == 4


def test_corrupt_cache_is_replaced_not_fatal(repo: Repo, tmp_path: Path) -> None:
    repo.commit("one", {"f": "1"})
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "history.sqlite").write_bytes(b"this is not a database" * 100)
    findings: list = []
    cache = CommitCache(cache_dir, findings)
    runner, state = open_repository(repo.path)
    fresh, cached = new_commits(runner, [state.head], cache)
    assert len(fresh) == 1 and not cached
    cache.close()
    assert "rebuilding" in str(findings[0])


def test_git_process_count_does_not_grow_with_history(tmp_path: Path) -> None:
    from generator.build import BuildOptions, build_knowledge

    counts = []
    for size in (3, 60):
        repo = Repo(tmp_path / f"r{size}")
        for number in range(size):
            repo.commit(f"c{number}", {f"d{number % 4}/f": str(number)})
            if number % 10 == 0:
                repo.tag(f"v0.{number}.0")
        counts.append(build_knowledge(BuildOptions(repo=repo.path, use_cache=False)).git_processes)
    assert counts[0] == counts[1] <= 8


def test_pull_request_branches_share_each_commit_and_a_damaged_row_costs_a_walk(repo: Repo, tmp_path: Path) -> None:
    """Forks' PR branches carry the same old commits (2.15 M rows, 16 178 commits on LLaMA-Factory): each is
    decoded once and shared. A row of another shape is a walk of the PR heads again, never a crash."""
    import sqlite3

    for number in range(3):
        repo.commit(f"commit {number}", {"f": f"{number}\n"})
    runner, state = open_repository(repo.path)
    cache = CommitCache(tmp_path / "cache", [])
    try:
        fresh, _ = new_commits(runner, [state.head], cache)
        cache.store(fresh, [state.head], "")
        cache.store_pull_request_branches({1: ("a" * 40, fresh), 2: ("b" * 40, fresh[:2])})
        branches = cache.pull_request_branches()
        assert [c.sha for c in branches[1][1]] == [c.sha for c in fresh]
        assert all(shared is first for shared, first in zip(branches[2][1], branches[1][1], strict=False))
        with sqlite3.connect(cache.path) as db:  # each commit is stored once
            assert db.execute("SELECT count(*) FROM branch_commits").fetchone()[0] == len(fresh)
        for damaged in (b'{"sha": 1}', b'["a"]', b"[[1], [], [], [], \"\", [], []]", b"1"):
            with sqlite3.connect(cache.path) as db:
                db.execute("UPDATE branch_commits SET data = ? WHERE sha = ?", (damaged, fresh[0].sha))
            assert cache.pull_request_branches() == {}
        cache.store_pull_request_branches({1: ("a" * 40, fresh)})
        with sqlite3.connect(cache.path) as db:
            db.execute("UPDATE pull_requests SET shas = ? WHERE number = 1", ("f" * 40,))
        assert cache.pull_request_branches() == {}
    finally:
        cache.close()
