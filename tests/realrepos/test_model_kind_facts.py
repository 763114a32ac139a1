"""What each real repository is and the sizes it states (issue 19, items 1 and 2), against model_kind_truth.yml.

Before this work a fine-tuning library's overview said "Parameters 3,000,000,000" (a memory-table row about
another model), Llama's said 70 B (the end of "ranging from 7B to 70B"), and DeepSeek-V3's configs in
``inference/configs/`` gave no size at all. The corpus repositories are checked always (when the corpus is
present); larger repositories fetched by hand when ``ALMANAC_REAL_REPOS`` names a folder of clones.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.analysis.models.statedsize import stated_sizes
from generator.build import BuildOptions, build_knowledge

TRUTH = yaml.safe_load(Path(__file__).with_name("model_kind_truth.yml").read_text(encoding="utf-8"))
REAL_REPOS = Path(os.environ["ALMANAC_REAL_REPOS"]) if os.environ.get("ALMANAC_REAL_REPOS") else None


def _check(repo: Path, truth: dict[str, Any]) -> None:
    knowledge = build_knowledge(BuildOptions(repo=repo, use_cache=False))
    kind = knowledge.repo_kind
    assert kind is not None and kind.kind == truth["kind"], kind
    shown = " ".join(path for _, path in kind.evidence)
    assert all(path in shown for path in truth["evidence"]), kind.evidence
    facts = {fact.label: fact for fact in knowledge.model_facts}
    stated = truth["stated"]
    if not stated:
        assert not {"Parameters (stated in the README)", "Sizes (stated in the README)"} & facts.keys()
    elif len(stated) == 1:
        fact = facts["Parameters (stated in the README)"]
        expected = f"{stated[0]['parameters']:,}" + (f" total, {stated[0]['active']:,} active per token"
                                                     if "active" in stated[0] else "")
        assert fact.value == expected and fact.source.startswith(stated[0]["where"] + ":")
    else:
        assert facts["Sizes (stated in the README)"].source.startswith(stated[0]["where"] + ":")
        assert "Parameters (stated in the README)" not in facts
    sizes = {size.path: {"total": size.total, "active": size.active} for size in knowledge.model_sizes}
    assert sizes == truth["configs"]


@pytest.mark.parametrize("name", sorted(TRUTH["corpus"]))
def test_corpus_repositories_say_what_they_are(name: str, corpus_clone: Callable[[str], Path]) -> None:
    _check(corpus_clone(name), TRUTH["corpus"][name])


@pytest.mark.skipif(REAL_REPOS is None, reason="ALMANAC_REAL_REPOS does not name a folder of fetched clones")
@pytest.mark.parametrize("name", sorted(TRUTH["fetched"]))
def test_fetched_repositories_say_what_they_are(name: str) -> None:
    assert REAL_REPOS is not None
    repo = REAL_REPOS / name
    if not repo.is_dir():
        pytest.skip(f"{repo}: not cloned")
    _check(repo, TRUTH["fetched"][name])


def test_stated_sizes_match_the_readme_lines() -> None:
    """The truth file's lines, fed to the reader alone: a list is its sizes in order, one line each."""
    line = ("我们开源了**Qwen**（通义千问）系列工作，当前开源模型的参数规模为"
            "18亿（1.8B）、70亿（7B）、140亿（14B）和720亿（72B）。")
    found = stated_sizes("\n" * 35 + line, "README_CN.md")
    assert [(size.parameters, size.where) for size in found] == [
        (entry["parameters"], entry["where"]) for entry in TRUTH["fetched"]["QwenLM+Qwen"]["stated"]]
