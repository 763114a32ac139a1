"""The demo repository must be realistic enough to exercise every page, and byte-for-byte reproducible."""

from __future__ import annotations

import json
import re
import struct
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

import generator.demo as demo
from generator.demo import DEMO_VERSION, build_demo_repo, ensure_demo_repo
from generator.sources.git.env import isolated_git_env

TAGS = ("v0.1.0", "v0.2.0", "v0.3.0", "v1.0.0-rc1", "v1.0.0", "v1.0.1", "v1.1.0", "v1.2.0")


def git(repo: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, env=isolated_git_env(), capture_output=True, text=True, check=check
    )
    return result.stdout


def is_ancestor(repo: Path, commit: str, of: str) -> bool:
    result = subprocess.run(["git", "merge-base", "--is-ancestor", commit, of], cwd=repo, capture_output=True,
                            check=False)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_repo(tmp_path_factory.mktemp("demo") / "lumen")


def refs(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(objectname) %(refname)")


def test_builds_are_identical(repo: Path, tmp_path: Path) -> None:
    again = build_demo_repo(tmp_path / "again")
    assert git(again, "rev-parse", "HEAD") == git(repo, "rev-parse", "HEAD")
    assert refs(again) == refs(repo)


def test_head_is_pinned_to_the_demo_version(repo: Path) -> None:
    """The demo is cached under DEMO_VERSION: content that changes must come with a new version."""
    assert (DEMO_VERSION, git(repo, "rev-parse", "HEAD").strip()) == ("3", "0633c6c961d1b11f36ced153161c56200d712602")


def test_history_is_long_and_has_many_people(repo: Path) -> None:
    assert int(git(repo, "rev-list", "--count", "main")) >= 300
    assert 300 <= int(git(repo, "rev-list", "--first-parent", "--count", "main")) <= 400
    assert len(set(git(repo, "log", "--all", "--format=%ae").split())) >= 25


def test_committer_dates_increase_along_main(repo: Path) -> None:
    dates = [int(stamp) for stamp in git(repo, "log", "--first-parent", "--format=%ct", "main").split()]
    assert all(newer > older for newer, older in pairwise(dates))


def test_tags_and_release_branch(repo: Path) -> None:
    assert set(git(repo, "tag", "--list").split()) == set(TAGS)
    kinds = {tag: git(repo, "cat-file", "-t", f"refs/tags/{tag}").strip() for tag in TAGS}
    assert list(kinds.values()).count("commit") >= 2  # lightweight tags
    assert list(kinds.values()).count("tag") >= 5  # annotated tags
    for tag in TAGS:
        assert is_ancestor(repo, tag, "main") == (tag != "v1.0.1")
    assert is_ancestor(repo, "v1.0.0", "release/1.0")
    assert git(repo, "describe", "--tags", "release/1.0").strip() == "v1.0.1"


def test_backports_quote_the_original_commit(repo: Path) -> None:
    picks = git(repo, "log", "--format=%B%x00", "v1.0.0..release/1.0").split("\0")
    quoted = [re.search(r"\(cherry picked from commit ([0-9a-f]{40})\)", message) for message in picks]
    originals = [match.group(1) for match in quoted if match]
    assert len(originals) >= 2
    for sha in originals:
        assert is_ancestor(repo, sha, "main")


def test_pull_request_refs(repo: Path) -> None:
    heads = [line.split()[0] for line in git(repo, "for-each-ref", "--format=%(objectname)", "refs/pull").splitlines()]
    on_main = set(git(repo, "rev-list", "main").split())
    first_parent = set(git(repo, "rev-list", "--first-parent", "main").split())
    assert len(heads) >= 15
    assert len([head for head in heads if head in first_parent]) >= 2  # fast-forwarded
    assert len([head for head in heads if head in on_main and head not in first_parent]) >= 2  # merge commits
    unreachable = [head for head in heads if head not in on_main]
    assert len(unreachable) >= 3
    for head in unreachable:
        assert not is_ancestor(repo, head, "release/1.0")


def test_merge_commits_on_main(repo: Path) -> None:
    merges = git(repo, "log", "--first-parent", "--merges", "--format=%s|%cn", "main").splitlines()
    assert len(merges) >= 2
    assert all(re.fullmatch(r"Merge pull request #\d+ from [\w-]+/[\w-]+\|GitHub", merge) for merge in merges)
    assert any("from lumen-ai/" in merge for merge in merges)


def test_commit_messages_mix_styles(repo: Path) -> None:
    log = git(repo, "log", "--all", "--format=%B")
    for needle in ("Co-authored-by:", "co-authored-by:", "Co-Authored-By:", "Signed-off-by:", "BREAKING CHANGE:"):
        assert needle in log
    subjects = git(repo, "log", "--first-parent", "--format=%s", "main").splitlines()
    assert any(re.fullmatch(r'Revert ".+ \(#\d+\)" \(#\d+\)', subject) for subject in subjects)
    assert any(re.search(r"\(#\d+\) \(#\d+\)$", subject) for subject in subjects)
    assert any(subject.startswith("feat!:") for subject in subjects)
    assert any(re.search(r"[\u4e00-\u9fff]", subject) for subject in subjects)


def test_mailmap_is_honoured(repo: Path) -> None:
    mapped = set(git(repo, "log", "--all", "--format=%aN").splitlines())
    raw = set(git(repo, "log", "--all", "--format=%an").splitlines())
    assert len(mapped) < len(raw)


def test_repository_is_consistent_and_clean(repo: Path) -> None:
    git(repo, "fsck", "--strict")
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


def test_files_evolve(repo: Path) -> None:
    def config(rev: str) -> dict[str, object]:
        return dict(json.loads(git(repo, "show", f"{rev}:config.json")))

    assert config("v1.0.0")["max_position_embeddings"] == 4096
    assert config("v1.1.0")["max_position_embeddings"] == 8192
    assert "| GSM8K | 4 | 38.4 |" in git(repo, "show", "v1.0.0:README.md")
    assert "| GSM8K | 4 | 36.1 |" in (repo / "README.md").read_text(encoding="utf-8")
    renames = git(repo, "log", "--follow", "--name-only", "--format=", "--", "tools/convert_checkpoint.py").split()
    assert {"tools/convert_checkpoint.py", "tools/convert.py", "scripts/convert.py"} <= set(renames)
    license_text = (Path(demo.__file__).parent / "data" / "LICENSE-Apache-2.0.txt").read_bytes()
    assert (repo / "LICENSE").read_bytes() == license_text
    assert (repo / "lumen" / "py.typed").read_bytes() == b""
    notebook = json.loads((repo / "notebooks" / "quickstart.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4 and notebook["cells"][0]["source"][0] == "# Quickstart\n"


def test_safetensors_file_parses(repo: Path) -> None:
    data = (repo / "model.safetensors").read_bytes()
    assert len(data) < 64 * 1024
    (length,) = struct.unpack("<Q", data[:8])
    assert length % 8 == 0
    header = json.loads(data[8 : 8 + length])
    assert header.pop("__metadata__") == {"format": "pt"}
    spans = sorted(tuple(entry["data_offsets"]) for entry in header.values())
    assert spans[0][0] == 0 and spans[-1][1] == len(data) - 8 - length
    assert all(end == start for (_, end), (start, _) in pairwise(spans))
    for entry in header.values():
        elements = 1
        for dim in entry["shape"]:
            elements *= dim
        assert entry["dtype"] == "BF16" and entry["data_offsets"][1] - entry["data_offsets"][0] == 2 * elements
    assert {"model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "lm_head.weight"} <= set(header)


def test_refuses_non_empty_destination(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(FileExistsError):
        build_demo_repo(tmp_path)


def test_ensure_demo_repo_builds_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[Path] = []

    def counting_build(dest: Path) -> Path:
        builds.append(dest)
        return build_demo_repo(dest)

    monkeypatch.setattr(demo, "build_demo_repo", counting_build)
    first = ensure_demo_repo(tmp_path)
    second = ensure_demo_repo(tmp_path)
    assert first == second == tmp_path / f"demo-{DEMO_VERSION}"
    assert len(builds) == 1
    assert git(first, "rev-list", "--count", "main").strip().isdigit()
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"demo-{DEMO_VERSION}"]


def test_ensure_demo_repo_yields_to_a_concurrent_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    final = tmp_path / f"demo-{DEMO_VERSION}"

    def racing_build(dest: Path) -> Path:
        (dest / "mine").write_text("scratch")
        final.mkdir()
        (final / "theirs").write_text("finished first")
        return dest

    monkeypatch.setattr(demo, "build_demo_repo", racing_build)
    assert ensure_demo_repo(tmp_path) == final
    assert [path.name for path in final.iterdir()] == ["theirs"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [final.name]
