"""`serve` keeps a walk from one rebuild to the next while the history stands still, asked of git (issue 22:
the plugin read ``.git`` itself, and every rebuild in a linked work tree walked the history again)."""

from __future__ import annotations

from pathlib import Path

from site_plugins.almanac.plugin import _repo_fingerprint
from tests.gitrepo import Repo


def test_the_fingerprint_moves_with_the_history_only_also_in_a_linked_work_tree(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("First", {"a.txt": "1\n"})
    repo.git("worktree", "add", "-q", str(tmp_path / "linked"))
    for number, place in enumerate((repo.path, tmp_path / "linked")):
        before = _repo_fingerprint(place)
        assert _repo_fingerprint(place) == before
        (place / "notes.txt").write_text("not committed\n", encoding="utf-8")
        assert _repo_fingerprint(place) == before  # the work tree is not the history
        repo.tag(f"v{number}")
        tagged = _repo_fingerprint(place)
        assert tagged != before
        repo.git("update-ref", f"refs/pull/{number}/head", repo.head())
        assert _repo_fingerprint(place) != tagged
    (tmp_path / "plain").mkdir()  # no repository: never taken for the last build's
    assert _repo_fingerprint(tmp_path / "plain") != _repo_fingerprint(tmp_path / "plain")
