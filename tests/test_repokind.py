"""What a repository is, from its files; and what follows: sizes only for a model of its own (issue 19, items 1-2)."""

from __future__ import annotations

import json

import pytest

from generator.analysis.models.repokind import repo_kind
from generator.build import BuildOptions, build_knowledge
from generator.model.models import COLLECTION, DATASET, INFERENCE, MODEL, MODEL_CODE, TRAINING, UNKNOWN
from generator.render.pages import render_pages
from tests.gitrepo import Repo

#: DeepSeek-V3's inference/configs/config_671B.json (git show HEAD:inference/configs/config_671B.json).
DEEPSEEK_V3 = {"vocab_size": 129280, "dim": 7168, "inter_dim": 18432, "moe_inter_dim": 2048, "n_layers": 61,
               "n_dense_layers": 3, "n_heads": 128, "n_routed_experts": 256, "n_shared_experts": 1,
               "n_activated_experts": 8, "n_expert_groups": 8, "n_limited_groups": 4, "route_scale": 2.5,
               "q_lora_rank": 1536, "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64,
               "v_head_dim": 128, "dtype": "fp8"}
#: A fine-tuning library's README (peft's, cut down): sizes of other people's models.
LIBRARY_README = ("# PEFT\n\nParameter-Efficient Fine-Tuning.\n\n"
                  "| Model | Full finetuning | LoRA |\n|---|---|---|\n"
                  "| bigscience/T0_3B (3B params) | 47 GB | 14 GB |\n\n"
                  "With LoRA you can fully finetune a 12B parameter model.\n\n"
                  "GPT-NeoX-20B is a 20 billion parameter autoregressive language model.\n")


@pytest.mark.parametrize(("paths", "texts", "metadata", "kind"), [
    (["README.md", "model.safetensors", "config.json"], {"config.json": '{"model_type": "llama"}'}, {}, MODEL),
    (["README.md", "LICENSE-MODEL", "inference/generate.py"], {}, {}, MODEL_CODE),
    (["README.md", "LICENSE", "MODEL_CARD.md", "setup.py", "llama/__init__.py"], {"LICENSE": "Apache"}, {},
     MODEL_CODE),
    (["README.md", "LICENSE", "setup.py", "llama/__init__.py", "llama/generation.py"],
     {"LICENSE": "“Llama 2” means ... trained model weights ..."}, {}, MODEL_CODE),
    (["README.md", "pyproject.toml", "src/peft/__init__.py", "src/peft/tuners/lora/model.py"],
     {"pyproject.toml": "[project]\nname = 'peft'\n"}, {}, TRAINING),
    (["README.md", "train.py", "megatron/__init__.py", "megatron/model/gpt2_model.py"], {}, {}, TRAINING),
    (["README.md", "setup.py", "pkg/__init__.py", "pkg/model.py"],
     {"setup.py": 'setup(\n    description="Parameter-Efficient Fine-Tuning (PEFT)",\n)'}, {}, TRAINING),
    (["README.md", "pyproject.toml", "src/mistral_inference/__init__.py", "src/mistral_inference/generate.py"],
     {}, {}, INFERENCE),
    (["README.md", "data/train.parquet"], {}, {"task_categories": ["text-generation"]}, DATASET),
    # Weak evidence: a script and a README say nothing about what the repository is.
    (["README.md", "demo.py"], {}, {}, UNKNOWN),
    (["README.md", "pyproject.toml", "src/tool/__init__.py", "src/tool/cli.py"], {}, {}, UNKNOWN),
    # A library's test fixture is not a model of its own.
    (["README.md", "pyproject.toml", "src/x/__init__.py", "src/x/trainer.py", "tests/fixtures/config.json"],
     {"tests/fixtures/config.json": json.dumps(DEEPSEEK_V3)}, {}, TRAINING),
])
def test_the_kind_rests_on_evidence(paths: list[str], texts: dict[str, str], metadata: dict[str, object],
                                    kind: str) -> None:
    found = repo_kind(paths, texts, metadata)
    assert found.kind == kind
    assert bool(found.evidence) == (kind != UNKNOWN)
    assert all(path for _, path in found.evidence)


def test_several_model_folders_are_a_collection() -> None:
    found = repo_kind(["README.md", "small/config.json", "large/config.json"], {}, {}, ["small", "large"])
    assert found.kind == COLLECTION and found.is_model_repo
    assert found.evidence == [("a model config.json in each of several folders",
                               "large/config.json, small/config.json")]


def test_a_library_states_no_size_from_its_readme(repo: Repo) -> None:
    repo.commit("Library", {"README.md": LIBRARY_README, "LICENSE": "Apache License\nVersion 2.0\n",
                            "pyproject.toml": "[project]\nname = 'peft'\n", "src/peft/__init__.py": "",
                            "src/peft/tuners/__init__.py": ""})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.repo_kind is not None and knowledge.repo_kind.kind == TRAINING
    assert not [fact for fact in knowledge.model_facts if "Parameters" in fact.label or "Sizes" in fact.label]
    overview = render_pages(knowledge)["index.md"]
    assert "a training or fine-tuning library" in overview and "src/peft/tuners/" in overview
    assert "3,000,000,000" not in overview and "20,000,000,000" not in overview


def test_sizes_from_configs_in_a_subfolder_one_row_per_file(repo: Repo) -> None:
    small = {**DEEPSEEK_V3, "dim": 2048, "inter_dim": 10944, "moe_inter_dim": 1408, "n_layers": 27,
             "n_dense_layers": 1, "n_heads": 16, "n_routed_experts": 64, "n_shared_experts": 2,
             "n_activated_experts": 6, "q_lora_rank": 0, "vocab_size": 102400}
    repo.commit("Model code", {
        "README.md": "# DeepSeek-V3\n\nWe present DeepSeek-V3, a strong Mixture-of-Experts (MoE) language model with "
                     "671B total parameters with 37B activated for each token.\n",
        "LICENSE-MODEL": "DEEPSEEK LICENSE AGREEMENT\n", "inference/generate.py": "",
        "inference/configs/config_671B.json": json.dumps(DEEPSEEK_V3),
        "inference/configs/config_16B.json": json.dumps(small)})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.repo_kind is not None and knowledge.repo_kind.kind == MODEL_CODE
    sizes = {size.path: (size.total, size.active) for size in knowledge.model_sizes}
    assert sizes == {"inference/configs/config_16B.json": (15_706_484_224, 2_661_150_208),
                     "inference/configs/config_671B.json": (671_026_404_352, 37_552_282_624)}
    facts = {fact.label: fact for fact in knowledge.model_facts}
    stated = facts["Parameters (stated in the README)"]
    assert stated.value == "671,000,000,000 total, 37,000,000,000 active per token"
    assert stated.source == "README.md:3: “671B total parameters with 37B activated”"
    overview = render_pages(knowledge)["index.md"]
    assert "No `config.json`" not in overview
    assert "| inference/configs/config&#95;671B.json | 671,026,404,352 &#40;671.0 B&#41; | 37,552,282,624" in overview
    assert "LICENSE-MODEL" in overview and "code and documents for its own model" in overview
