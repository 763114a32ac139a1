"""What an end-to-end audit of the merged fixes found still open: each test builds the hostile input for
real (git repositories, committed links, real weights headers) and runs the ``almanac`` command on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from tests.gitrepo import Repo


def small_repo(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit("Add model card", {"README.md": "# Tiny\n\nA tiny model.\n", "LICENSE": "MIT License\n"})
    return repo


@pytest.mark.parametrize("command", [["check"], ["card", "--format", "json"], ["build", "--site-dir", "SITE"]])
def test_a_shard_index_stating_a_huge_total_size_is_no_crash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    """``metadata.total_size`` of 4 000 digits is a valid JSON integer but no float: shown as a bound."""
    repo = Repo(tmp_path / "repo")
    index = {"metadata": {"total_size": int("9" * 4000)}, "weight_map": {"w": "model-00001-of-00001.safetensors"}}
    repo.commit("Weights", {"README.md": "# M\n", "config.json": json.dumps({"model_type": "llama"}),
                            "model.safetensors.index.json": json.dumps(index)})
    repo.tag("v1.0.0", "First")
    index["metadata"]["total_size"] = int("8" * 400)  # a release's model changes show it too
    repo.commit("Weights again", {"model.safetensors.index.json": json.dumps(index)})
    repo.tag("v1.1.0", "Second")
    args = [str(tmp_path / "site") if arg == "SITE" else arg for arg in command]
    assert main([*args, "--repo", str(repo.path)]) in (0, 1)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "OverflowError" not in captured.err
