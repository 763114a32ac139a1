"""Architecture and parameter counts from config.json, checked against published figures and real weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from generator.analysis.models.architecture import kv_cache_bytes, parameter_count, read_architecture, weight_memory
from generator.analysis.models.weights import safetensors_parameters
from generator.model.errors import Finding

LLAMA_2_7B = {"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
              "num_key_value_heads": 32, "intermediate_size": 11008, "vocab_size": 32000,
              "max_position_embeddings": 4096, "tie_word_embeddings": False}
MIXTRAL_8X7B = {"model_type": "mixtral", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
                "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 32000,
                "num_local_experts": 8, "num_experts_per_tok": 2, "max_position_embeddings": 32768}


def count(config: dict) -> tuple[int, int]:
    shape, reason = read_architecture(config)
    assert shape is not None, reason
    result = parameter_count(shape)
    return result.total, result.active


def test_published_parameter_counts() -> None:
    assert count(LLAMA_2_7B) == (6_738_415_616, 6_738_415_616)  # Llama-2-7b, as Meta reports it
    assert count(MIXTRAL_8X7B) == (46_702_792_704, 12_879_925_248)  # 46.7B total, 12.9B active


def test_meta_style_config_derives_the_mlp_width() -> None:
    """Meta's params.json: dim, n_layers, multiple_of and ffn_dim_multiplier instead of intermediate_size."""
    llama2, _ = read_architecture({"dim": 4096, "n_layers": 32, "n_heads": 32, "vocab_size": 32000,
                                   "multiple_of": 256, "norm_eps": 1e-5})
    llama3, _ = read_architecture({"dim": 4096, "n_layers": 32, "n_heads": 32, "n_kv_heads": 8, "vocab_size": 128256,
                                   "multiple_of": 1024, "ffn_dim_multiplier": 1.3})
    assert llama2 is not None and llama3 is not None
    assert (llama2.intermediate, llama3.intermediate) == (11008, 14336)  # the published widths
    assert llama3.keys["hidden"] == "dim" and llama3.keys["kv_heads"] == "n_kv_heads"  # provenance


def tiny_llama_weights(config: dict, experts: int = 0) -> dict[str, np.ndarray]:
    """Tensors named and shaped as transformers saves them, for an independent count."""
    h, v, i = config["hidden_size"], config["vocab_size"], config["intermediate_size"]
    q = config["num_attention_heads"] * (h // config["num_attention_heads"])
    kv = config["num_key_value_heads"] * (h // config["num_attention_heads"])
    tensors = {"model.embed_tokens.weight": (v, h), "model.norm.weight": (h,), "lm_head.weight": (v, h)}
    for layer in range(config["num_hidden_layers"]):
        prefix = f"model.layers.{layer}."
        tensors.update({prefix + "self_attn.q_proj.weight": (q, h), prefix + "self_attn.k_proj.weight": (kv, h),
                        prefix + "self_attn.v_proj.weight": (kv, h), prefix + "self_attn.o_proj.weight": (h, q),
                        prefix + "input_layernorm.weight": (h,), prefix + "post_attention_layernorm.weight": (h,)})
        if experts:
            tensors[prefix + "block_sparse_moe.gate.weight"] = (experts, h)
            for e in range(experts):
                tensors.update({f"{prefix}block_sparse_moe.experts.{e}.w1.weight": (i, h),
                                f"{prefix}block_sparse_moe.experts.{e}.w2.weight": (h, i),
                                f"{prefix}block_sparse_moe.experts.{e}.w3.weight": (i, h)})
        else:
            tensors.update({prefix + "mlp.gate_proj.weight": (i, h), prefix + "mlp.up_proj.weight": (i, h),
                            prefix + "mlp.down_proj.weight": (h, i)})
    return {name: np.zeros(shape, dtype=np.float16) for name, shape in tensors.items()}


def test_analytic_count_matches_real_safetensors(tmp_path: Path) -> None:
    dense = {"hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
             "intermediate_size": 40, "vocab_size": 50}
    moe = {**dense, "num_local_experts": 4, "num_experts_per_tok": 2}
    for config, experts in ((dense, 0), (moe, 4)):
        path = tmp_path / f"model-{experts}.safetensors"
        save_file(tiny_llama_weights(config, experts), str(path))
        findings: list[Finding] = []
        from_weights = safetensors_parameters(path.read_bytes(), path.name, findings)
        assert findings == [] and count(config)[0] == from_weights


def test_deployment_needs() -> None:
    shape, _ = read_architecture(MIXTRAL_8X7B)
    assert shape is not None
    memory = dict(weight_memory(parameter_count(shape).total))
    assert memory["bf16 / fp16"] == 2 * 46_702_792_704 and memory["int4"] == 46_702_792_704 // 2
    assert kv_cache_bytes(shape) == 2 * 32 * 8 * 128 * 2 * 1000  # 131 MB per 1 000 tokens


def test_configs_the_count_does_not_cover_say_why() -> None:
    assert read_architecture({"hidden_size": 8})[1] == "config.json does not state layers, heads, vocab"
    deepseek = {**LLAMA_2_7B, "kv_lora_rank": 512, "q_lora_rank": 1536}
    assert "latent attention" in (read_architecture(deepseek)[1] or "")
    nested = {"model_type": "llava", "text_config": LLAMA_2_7B}
    assert count(nested) == count(LLAMA_2_7B)
    assert read_architecture({**LLAMA_2_7B, "num_hidden_layers": "32"})[1] is not None  # a string is not a count


def test_model_facts_and_deployment_table(tmp_path: Path) -> None:
    from generator.analysis.models.facts import architecture_facts

    config = {"hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
              "intermediate_size": 40, "vocab_size": 50}
    exact = count(config)[0]
    findings: list[Finding] = []
    facts, deployment, total = architecture_facts(config, "config.json", exact, findings)
    assert total == exact
    assert findings == [] and [f.label for f in facts] == ["Parameters (estimated from the config)"]
    assert exact == 7056 and deployment[1].value == "13.8 KiB"  # bf16: two bytes each
    assert deployment[1].source == "7,056 parameters from the weights"
    facts, deployment, _ = architecture_facts(config, "config.json", 10, findings)
    assert facts[-1].label == "Weights and config disagree" and "estimated parameters" in deployment[0].source
    assert findings[0].level == "info" and findings[0].where == "config.json"
    facts, _, _ = architecture_facts(MIXTRAL_8X7B, "config.json", None, [])
    assert [f.value for f in facts[1:]] == ["8 routed, 2 per token", "12,879,925,248 (12.9 B)"]


@pytest.mark.parametrize(("config", "total", "active"), [
    # DeepSeek-V3's inference/configs/config_671B.json; its README: "671B total parameters with 37B activated".
    ({"vocab_size": 129280, "dim": 7168, "inter_dim": 18432, "moe_inter_dim": 2048, "n_layers": 61,
      "n_dense_layers": 3, "n_heads": 128, "n_routed_experts": 256, "n_shared_experts": 1, "n_activated_experts": 8,
      "q_lora_rank": 1536, "kv_lora_rank": 512, "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128},
     671e9, 37e9),
    # config_236B.json is DeepSeek-V2's shape (its README: "236B total parameters, of which 21B are activated"),
    # here in the Hugging Face spelling of DeepSeek-V2's config.json.
    ({"vocab_size": 102400, "hidden_size": 5120, "intermediate_size": 12288, "moe_intermediate_size": 1536,
      "num_hidden_layers": 60, "first_k_dense_replace": 1, "num_attention_heads": 128, "n_routed_experts": 160,
      "n_shared_experts": 2, "num_experts_per_tok": 6, "q_lora_rank": 1536, "kv_lora_rank": 512,
      "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128}, 236e9, 21e9),
])
def test_latent_attention_mixtures_are_counted(config: dict[str, int], total: float, active: float) -> None:
    shape, reason = read_architecture(config)
    assert shape is not None, reason
    count = parameter_count(shape)
    assert abs(count.total / total - 1) < 0.01 and abs(count.active / active - 1) < 0.02
    assert kv_cache_bytes(shape) == shape.layers * (512 + 64) * 2 * 1000  # the compressed cache MLA keeps
