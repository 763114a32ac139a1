"""Weights headers read from git objects: large safetensors (header only), shard indexes, GGUF."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import gguf
import numpy as np
from safetensors.numpy import save

from generator.analysis.models.weights import stream_prefix
from generator.build import BuildOptions, build_knowledge
from generator.model.knowledge import Knowledge
from tests.gitrepo import Repo


def facts(knowledge: Knowledge) -> dict[str, str]:
    return {fact.label: fact.value for fact in knowledge.model_facts}


def real_gguf(path: Path) -> bytes:
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("Tiny")
    writer.add_context_length(2048)
    writer.add_tensor("token_embd.weight", np.zeros((32, 8), dtype=np.float16))
    writer.add_tensor("output_norm.weight", np.zeros((8,), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path.read_bytes()


def test_a_large_safetensors_file_is_read_to_its_header_only(repo: Repo) -> None:
    big = save({"w": np.zeros((3, 1024, 1024), dtype=np.float32), "b": np.zeros((7,), dtype=np.float16)})
    assert len(big) > 8 << 20  # larger than Almanac reads whole
    repo.commit("Weights", {"model.safetensors": big})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert facts(knowledge)["Parameters (from weights)"] == f"{3 * 1024 * 1024 + 7:,}"
    assert facts(knowledge)["Parameters by type"] == f"F16 7, F32 {3 * 1024 * 1024:,}"


def test_stream_prefix_stops_reading_after_the_header() -> None:
    data = save({"a": np.zeros((4,), dtype=np.float32)}) + b"\0" * 1_000_000
    consumed: list[int] = []

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(data), 64):
            consumed.append(start)
            yield data[start : start + 64]

    prefix = stream_prefix(chunks())
    assert prefix == data[: 8 + int.from_bytes(data[:8], "little")]
    assert len(consumed) * 64 < 1024  # a few chunks, not a megabyte


def test_gguf_header_facts(repo: Repo, tmp_path: Path) -> None:
    repo.commit("Quantised", {"tiny.gguf": real_gguf(tmp_path / "tiny.gguf"), "bad.gguf": b"NOPE" + b"\0" * 64})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    found = facts(knowledge)
    assert found["Parameters (tiny.gguf)"] == "264 (F16 256, F32 8)"  # each GGUF file on its own
    assert found["GGUF general.architecture"] == "llama" and found["GGUF context_length"] == "2048"
    assert any(f.where == "bad.gguf" and "not a readable GGUF file" in f.message for f in knowledge.findings)


def test_shard_index_and_a_missing_shard(repo: Repo) -> None:
    shard = save({"a": np.zeros((10,), dtype=np.float16)})
    index = {"metadata": {"total_size": 40}, "weight_map": {"a": "model-00001-of-00002.safetensors",
                                                            "b": "model-00002-of-00002.safetensors"}}
    repo.commit("Shards", {"model.safetensors.index.json": json.dumps(index),
                           "model-00001-of-00002.safetensors": shard})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert facts(knowledge)["Sharded weights"] == "2 shards, 40 B of tensors"
    assert any("model-00002-of-00002.safetensors" in f.message for f in knowledge.findings)


def test_a_cut_header_is_one_finding_and_the_rest_still_builds(repo: Repo) -> None:
    good = save({"a": np.zeros((5,), dtype=np.float16)})
    repo.commit("Weights", {"good.safetensors": good, "cut.safetensors": good[:20], "config.json": "{"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    messages = {f.where.split(":")[0]: f.message for f in knowledge.findings}
    assert "exceeds the file size" in messages["cut.safetensors"] and "not valid JSON" in messages["config.json"]
    assert facts(knowledge)["Parameters (from weights)"] == "5"


def test_quantisations_are_not_summed_and_sub_folder_weights_are_not_counted(repo: Repo, tmp_path: Path) -> None:
    model = real_gguf(tmp_path / "m.gguf")
    shard = save({"a": np.zeros((10,), dtype=np.float16)})
    repo.commit("Weights", {"model-q4.gguf": model, "model-q8.gguf": model, "draft/model.safetensors": shard})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    found = facts(knowledge)
    assert found["Parameters (model-q4.gguf)"] == found["Parameters (model-q8.gguf)"] == "264 (F16 256, F32 8)"
    assert "Parameters (from weights)" not in found  # not 528, and not the draft model's 10
    assert any("draft/model.safetensors" in f.message for f in knowledge.findings)
