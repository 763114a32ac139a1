"""Parameter counts written in words, English and Chinese."""

from __future__ import annotations

import pytest

from generator.knowledge import BuildOptions, build_knowledge
from generator.statedsize import stated_parameters
from tests.gitrepo import Repo


@pytest.mark.parametrize(("text", "parameters"), [
    ("**Lumen** is a 1.8-billion-parameter model", 1_800_000_000),
    ("We release 7B parameters of weights", 7_000_000_000),
    ("a 13 billion parameters decoder", 13_000_000_000),
    ("拥有 18 亿参数的模型", 1_800_000_000),
    ("共 62 亿个参数", 6_200_000_000),
    ("| 参数量 | 62 亿 |", 6_200_000_000),
    ("trained on 2.2 万亿 token", None),  # tokens, not parameters
    ("version 1.8 of the model", None),
])
def test_stated_parameters(text: str, parameters: int | None) -> None:
    found = stated_parameters(f"# Title\n\n{text}\n")
    assert (found.parameters if found else None) == parameters
    if found:
        assert found.where == "README.md:3"


def test_a_stated_size_that_contradicts_the_config_is_reported(repo: Repo) -> None:
    config = ('{"hidden_size": 2048, "num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 4,'
              ' "intermediate_size": 5632, "vocab_size": 100352}')
    repo.commit("Card", {"README.md": "# Lumen\n", "README_zh.md": "# Lumen\n\n拥有 62 亿参数。\n",
                         "config.json": config})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    facts = {fact.label: fact for fact in knowledge.model_facts}
    assert facts["Parameters (stated in the README)"].value == "6,200,000,000"
    assert facts["Parameters (stated in the README)"].source == "README_zh.md:3: “62 亿参数”"
    (check,) = [c for c in knowledge.card_checks if "states" in c.message]
    assert check.where == "README_zh.md:3" and "the config describes 1,673,644,032" in check.message
