"""A model's shape from its ``config.json``, whatever style it is written in, and what follows from it.

Hugging Face configs say ``hidden_size`` and ``num_hidden_layers``; Meta's original ones say ``dim``
and ``n_layers``; mixture-of-experts models add routed and shared experts under several spellings.
Each number is read with the key it came from, so the card can say where every fact was stated.

From the shape follow an analytic parameter count (total, and active per token for mixtures of
experts) and what deploying the model needs: memory for the weights at each precision and for the
key/value cache. The count assumes a decoder-only transformer with gated MLPs (Llama, Mistral,
Qwen, Mixtral and their kin); when the weights are in the repository, their headers give the exact
number and the card shows both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Field → the keys that spell it, in the order they are tried.
KEYS: dict[str, tuple[str, ...]] = {
    "layers": ("num_hidden_layers", "n_layers", "n_layer", "num_layers"),
    "hidden": ("hidden_size", "dim", "d_model", "n_embd"),
    "heads": ("num_attention_heads", "n_heads", "n_head"),
    "kv_heads": ("num_key_value_heads", "n_kv_heads", "num_kv_heads", "multi_query_group_num"),
    "head_dim": ("head_dim",),
    "intermediate": ("intermediate_size", "ffn_hidden_size", "ffn_dim", "hidden_dim", "inter_dim"),
    "vocab": ("vocab_size", "padded_vocab_size"),
    "context": ("max_position_embeddings", "max_seq_len", "n_positions", "seq_length"),
    "experts": ("num_local_experts", "n_routed_experts", "num_experts", "moe_num_experts"),
    "experts_per_token": ("num_experts_per_tok", "moe_top_k", "num_experts_per_token", "top_k", "n_activated_experts"),
    "shared_experts": ("n_shared_experts", "num_shared_experts"),
    "expert_intermediate": ("moe_intermediate_size", "expert_intermediate_size", "moe_inter_dim"),
    "shared_expert_intermediate": ("shared_expert_intermediate_size",),
    "dense_layers": ("first_k_dense_replace", "n_dense_layers"),
    # Multi-head latent attention (DeepSeek-V2 and V3): queries and keys/values through low-rank projections.
    "q_lora_rank": ("q_lora_rank",),
    "kv_lora_rank": ("kv_lora_rank",),
    "qk_nope_head_dim": ("qk_nope_head_dim",),
    "qk_rope_head_dim": ("qk_rope_head_dim",),
    "v_head_dim": ("v_head_dim",),
}
#: What a latent-attention config must state for its count.
_LATENT = ("kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim")
#: Bytes per parameter at the precisions people deploy at.
PRECISIONS = (("fp32", 4.0), ("bf16 / fp16", 2.0), ("int8", 1.0), ("int4", 0.5))
KV_CACHE_TOKENS = 1000
#: No model has a dimension past this; a larger one (a 400-digit ``hidden_size``) is not read, since the
#: sizes computed from it would overflow a float.
MAX_COUNT = 2**53


@dataclass(frozen=True, slots=True)
class Architecture:
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    context: int | None = None
    tied_embeddings: bool = False
    attention_bias: bool = False
    experts: int = 0
    experts_per_token: int = 0
    shared_experts: int = 0
    expert_intermediate: int = 0
    shared_expert_intermediate: int = 0
    #: Leading layers with a dense MLP in a mixture-of-experts model (DeepSeek's ``first_k_dense_replace``).
    dense_layers: int = 0
    #: Multi-head latent attention: the ranks of the query and key/value projections (a query rank of 0
    #: projects queries directly) and the per-head widths; ``kv_lora_rank`` 0 means ordinary attention.
    q_lora_rank: int = 0
    kv_lora_rank: int = 0
    qk_nope_head_dim: int = 0
    qk_rope_head_dim: int = 0
    v_head_dim: int = 0
    #: Field → the config key it was read from, for provenance.
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def is_mixture_of_experts(self) -> bool:
        return self.experts > 0

    @property
    def is_latent_attention(self) -> bool:
        return self.kv_lora_rank > 0


@dataclass(frozen=True, slots=True)
class ParameterCount:
    total: int
    #: Parameters used for one token: all of them for a dense model, the chosen experts' for a mixture.
    active: int


def _integer(config: Mapping[str, Any], name: str) -> tuple[int | None, str | None]:
    for key in KEYS[name]:
        value = config.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
            return value, key
    return None, None


def read_architecture(config: Mapping[str, Any]) -> tuple[Architecture | None, str | None]:
    """The shape, or None and the reason (a missing key, an attention design the count does not cover).

    Configs of multimodal models keep the language model under ``text_config``; that one is read.
    """
    text_config = config.get("text_config")
    if isinstance(text_config, Mapping) and not any(key in config for key in KEYS["layers"]):
        config = text_config
    values: dict[str, int] = {}
    keys: dict[str, str] = {}
    for name in KEYS:
        value, key = _integer(config, name)
        if value is not None and key is not None:
            values[name], keys[name] = value, key
    missing = [name for name in ("layers", "hidden", "heads", "vocab") if name not in values]
    if missing:
        return None, f"config.json does not state {', '.join(missing)}"
    if values.get("kv_lora_rank") or "q_lora_rank" in values:
        lacking = [name for name in _LATENT if not values.get(name)]
        if lacking:
            return None, f"multi-head latent attention without {', '.join(lacking)} is not covered by the count"
    heads = values["heads"] or 1
    intermediate = values.get("intermediate") or _llama_intermediate(values["hidden"], config)
    return Architecture(
        layers=values["layers"],
        hidden=values["hidden"],
        heads=heads,
        kv_heads=values.get("kv_heads") or heads,
        head_dim=values.get("head_dim") or values["hidden"] // heads,
        intermediate=intermediate,
        vocab=values["vocab"],
        context=values.get("context"),
        tied_embeddings=config.get("tie_word_embeddings") is True,
        attention_bias=config.get("attention_bias") is True or config.get("model_type") in ("qwen2", "qwen2_moe"),
        experts=values.get("experts", 0),
        experts_per_token=values.get("experts_per_token", 0),
        shared_experts=values.get("shared_experts", 1 if "shared_expert_intermediate" in values else 0),
        expert_intermediate=values.get("expert_intermediate") or intermediate,
        shared_expert_intermediate=values.get("shared_expert_intermediate") or values.get("expert_intermediate")
        or intermediate,
        dense_layers=values.get("dense_layers", 0),
        q_lora_rank=values.get("q_lora_rank", 0),
        kv_lora_rank=values.get("kv_lora_rank", 0),
        qk_nope_head_dim=values.get("qk_nope_head_dim", 0),
        qk_rope_head_dim=values.get("qk_rope_head_dim", 0),
        v_head_dim=values.get("v_head_dim", 0),
        keys=keys,
    ), None


def _llama_intermediate(hidden: int, config: Mapping[str, Any]) -> int:
    """Meta's original configs derive the MLP width: 2/3 of 4·dim, times ``ffn_dim_multiplier``,
    rounded up to ``multiple_of``."""
    width = int(2 * 4 * hidden / 3)
    multiplier = config.get("ffn_dim_multiplier")
    if isinstance(multiplier, (int, float)) and not isinstance(multiplier, bool):
        width = int(multiplier * width)
    multiple = config.get("multiple_of")
    multiple = multiple if isinstance(multiple, int) and multiple > 0 else 256
    return multiple * ((width + multiple - 1) // multiple)


def parameter_count(shape: Architecture) -> ParameterCount:
    """Weights of a decoder-only transformer with gated MLPs (gate, up, down) and RMS norms."""
    hidden, layers = shape.hidden, shape.layers
    if shape.is_latent_attention:
        attention = _latent_attention(shape)
    else:
        query, key_value = shape.heads * shape.head_dim, shape.kv_heads * shape.head_dim
        attention = hidden * query + 2 * hidden * key_value + query * hidden
        if shape.attention_bias:
            attention += query + 2 * key_value
    norms = 2 * hidden
    embeddings = shape.vocab * hidden * (1 if shape.tied_embeddings else 2) + hidden  # and the final norm
    dense_mlp = 3 * hidden * shape.intermediate
    if not shape.is_mixture_of_experts:
        total = embeddings + layers * (attention + norms + dense_mlp)
        return ParameterCount(total, total)
    expert = 3 * hidden * shape.expert_intermediate
    shared = shape.shared_experts * 3 * hidden * shape.shared_expert_intermediate
    router = hidden * shape.experts
    if "shared_expert_intermediate" in shape.keys:  # Qwen-MoE gates its shared expert with one more vector
        router += hidden
    moe_layers = layers - shape.dense_layers
    fixed = embeddings + layers * (attention + norms) + shape.dense_layers * dense_mlp + moe_layers * (shared + router)
    return ParameterCount(
        total=fixed + moe_layers * shape.experts * expert,
        active=fixed + moe_layers * min(shape.experts_per_token or shape.experts, shape.experts) * expert,
    )


def _latent_attention(shape: Architecture) -> int:
    """DeepSeek's multi-head latent attention (``MLA`` in its ``inference/model.py``): queries through a
    rank-``q_lora_rank`` projection and its norm (or directly when the rank is 0), keys and values through
    one rank-``kv_lora_rank`` projection (plus the shared rotary key) and its norm, then the output."""
    hidden, heads = shape.hidden, shape.heads
    query_width = heads * (shape.qk_nope_head_dim + shape.qk_rope_head_dim)
    rank = shape.q_lora_rank
    query = hidden * rank + rank + rank * query_width if rank else hidden * query_width
    key_value = (hidden * (shape.kv_lora_rank + shape.qk_rope_head_dim) + shape.kv_lora_rank
                 + shape.kv_lora_rank * heads * (shape.qk_nope_head_dim + shape.v_head_dim))
    return query + key_value + heads * shape.v_head_dim * hidden


def weight_memory(parameters: int) -> list[tuple[str, int]]:
    """Bytes the weights take at each precision (weights only: activations and the cache come on top)."""
    return [(name, int(parameters * size)) for name, size in PRECISIONS]


def kv_cache_bytes(shape: Architecture, tokens: int = KV_CACHE_TOKENS, bytes_per_value: int = 2) -> int:
    """Key and value vectors of every layer for ``tokens`` tokens, at 16-bit precision by default; with
    latent attention, the compressed key/value and the rotary key that DeepSeek's inference code caches."""
    if shape.is_latent_attention:
        return shape.layers * (shape.kv_lora_rank + shape.qk_rope_head_dim) * bytes_per_value * tokens
    return 2 * shape.layers * shape.kv_heads * shape.head_dim * bytes_per_value * tokens
