"""Degraded repositories: each gives one clear line (asserted word for word), and the build goes on
where it can. Shallow clones, dubious ownership, detached HEAD and legacy encodings have their own
tests beside the features they touch (test_site, test_history); these are the rest."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from generator.build import BuildOptions, build_knowledge
from generator.cli.commands import main
from generator.model.errors import EXIT_INTERNAL_ERROR
from tests.gitrepo import Repo


def messages(repo: Repo) -> dict[str, str]:
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    return {finding.where: finding.message for finding in knowledge.findings}


def test_no_git_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "export").mkdir()
    assert main(["write", str(tmp_path / "out"), "--repo", str(tmp_path / "export")]) == 2
    assert capsys.readouterr().err == (f"almanac: error: {tmp_path / 'export'}: not a git repository (no .git found); "
                                       "Almanac reads the history, so point --repo at a clone, not an exported "
                                       "archive\n")


def test_git_missing_from_path(repo: Repo, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(repo.path / "nowhere"))
    assert main(["write", str(repo.path.parent / "out"), "--repo", str(repo.path)]) == EXIT_INTERNAL_ERROR
    assert capsys.readouterr().err == "almanac: error: git is not installed or not on PATH\n"


def test_tags_not_fetched(repo: Repo) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})
    assert messages(repo)["repository"] == ("no tags: every commit is listed under Unreleased (a CI checkout may "
                                            "not have fetched them: `git fetch --tags`)")


def test_missing_submodule_is_named_not_followed(repo: Repo) -> None:
    other = repo.commit("Initial commit", {"README.md": "# M\n"})
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{other},vendor/lib")
    (repo.path / "vendor" / "lib").mkdir(parents=True)  # an empty folder: the submodule was never cloned
    repo.commit("Add a submodule that is not checked out")
    assert messages(repo)["vendor/lib"] == "a submodule: its files belong to another repository and are not read"


def test_git_lfs_pointers_give_sizes_not_headers(repo: Repo) -> None:
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64 + "\nsize 4939212390\n"
    repo.commit("Weights through LFS", {"model.safetensors": pointer, "README.md": "# M\n",
                                        "config.json": json.dumps({"model_type": "llama"})})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    facts = {fact.label: (fact.value, fact.source) for fact in knowledge.model_facts}
    assert facts["Weights not in this clone (Git LFS)"] == ("model.safetensors (4.6 GiB)", "LFS pointer files")
    assert not [f for f in knowledge.findings if f.where == "model.safetensors" and f.level != "info"]


def test_corrupt_object(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})
    blob = repo.git("rev-parse", "HEAD:README.md")
    loose = repo.path / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"garbage")
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err == (f"almanac: error: the repository has a corrupt or missing object (git log: unable to unpack "
                   f"{blob}); run `git fsck` to see which, then re-clone or fetch it again\n")
    assert not (tmp_path / "out").exists()  # nothing half written


def test_a_safetensors_header_that_lies_is_a_finding(repo: Repo) -> None:
    header = json.dumps({"w": {"dtype": "F32", "shape": [1000, 1000], "data_offsets": [0, 4_000_000]}}).encode()
    data = struct.pack("<Q", len(header)) + header + b"\0" * 16  # far fewer bytes than the header promises
    repo.commit("Truncated weights", {"model.safetensors": data, "README.md": "# M\n"})
    assert messages(repo)["model.safetensors"] == ("the header describes 4,000,000 bytes of tensors but the file "
                                                   "holds 16: truncated or damaged")


def test_shallow_clone_fix_speaks_the_ci_systems_language() -> None:
    from generator.build import shallow_fix

    assert shallow_fix({"GITHUB_ACTIONS": "true"}) == ("set `fetch-depth: 0` (and `fetch-tags: true`) on "
                                                       "actions/checkout")
    assert shallow_fix({"GITLAB_CI": "true"}) == ("set the CI/CD variable `GIT_DEPTH: 0` (and "
                                                  "`GIT_FETCH_EXTRA_FLAGS: --tags`)")
    assert "git fetch --unshallow --tags" in shallow_fix({})
