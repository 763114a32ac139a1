"""Parameter counts written in words, English and Chinese."""

from __future__ import annotations

import pytest

from generator.analysis.models.statedsize import stated_parameters, stated_sizes
from generator.build import BuildOptions, build_knowledge
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


@pytest.mark.parametrize(("text", "sizes"), [
    # llama's README.md:19 and llama3's README.md:29: a range names no size of its own.
    ("This release includes model weights and starting code for pre-trained and fine-tuned Llama language models"
     " — ranging from 7B to 70B parameters.", []),
    ("Llama 3 language models — including sizes of 8B to 70B parameters.", []),
    ("a family of models ranging in scale from 7 billion to 70 billion parameters", []),
    # A list is the sizes it names (llama3's MODEL_CARD.md:7, Qwen's README_CN.md:36).
    ("Llama 3 comes in two sizes — 8B and 70B parameters — in pre-trained and instruction tuned variants.",
     [8_000_000_000, 70_000_000_000]),
    ("当前开源模型的参数规模为18亿（1.8B）、70亿（7B）、140亿（14B）和720亿（72B）。",
     [1_800_000_000, 7_000_000_000, 14_000_000_000, 72_000_000_000]),
    # A memory table's row is about another model (peft's README.md:93); a model's name is not its size.
    ("| bigscience/T0_3B (3B params) | 47.14GB GPU / 2.96GB CPU | 14.4GB GPU / 2.96GB CPU |", []),
    ("ChatGLM2-6B 量化模型的参数文件也可以从这里下载。", []),
    ("```\nmodel = load('7B parameters')\n```", []),
    # Tokens are not parameters.
    ("It has 7B parameters and was trained on 2T tokens.", [7_000_000_000]),
])
def test_stated_sizes(text: str, sizes: list[int]) -> None:
    assert [found.parameters for found in stated_sizes(f"# Title\n\n{text}\n")] == sizes


def test_a_mixture_of_experts_states_its_total_and_active_parameters() -> None:
    line = ("Today, we’re introducing DeepSeek-V2, a strong Mixture-of-Experts (MoE) language model. It comprises "
            "236B total parameters, of which 21B are activated for each token. Compared with DeepSeek 67B, it is "
            "stronger.")
    (found,) = stated_sizes(f"# DeepSeek-V2\n\n{line}\n")
    assert (found.parameters, found.active) == (236_000_000_000, 21_000_000_000)
    assert found.phrase == "236B total parameters, of which 21B are activated" and found.where == "README.md:3"


def test_sizes_a_sentence_lists_are_one_fact_and_no_single_size(repo: Repo) -> None:
    repo.commit("Model", {"README.md": "# Lumen\n\nLumen comes in two sizes, 8B and 70B parameters.\n",
                          "MODEL_CARD.md": "# Lumen\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    facts = {fact.label: fact for fact in knowledge.model_facts}
    assert "Parameters (stated in the README)" not in facts
    assert facts["Sizes (stated in the README)"].value == "8.0 B, 70.0 B"
    assert facts["Sizes (stated in the README)"].source.startswith("README.md:3: “Lumen comes in two sizes")


def test_a_smaller_number_beside_a_size_is_no_second_model() -> None:
    assert [found.parameters for found in stated_sizes("Lumen has 7B parameters; its batch is 4M.")] == [7_000_000_000]
    assert [found.parameters for found in stated_sizes("Lumen comes in 125M and 350M parameters.")] == [
        125_000_000, 350_000_000]
