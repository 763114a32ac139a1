"""A hand-written, byte-exact safetensors checkpoint.

Writing the format directly (instead of depending on torch or the safetensors package) keeps the demo
stdlib-only and lets the bytes be identical on every machine, which the cached repository relies on.
"""

from __future__ import annotations

import json
import random
import struct

# (name, shape) of a two-layer toy decoder; all tensors are bfloat16 like the real checkpoint.
_HIDDEN, _VOCAB, _FFN = 16, 64, 32


def _layer(index: int, kv_dim: int) -> list[tuple[str, tuple[int, ...]]]:
    prefix = f"model.layers.{index}"
    return [
        (f"{prefix}.input_layernorm.weight", (_HIDDEN,)),
        (f"{prefix}.mlp.down_proj.weight", (_HIDDEN, _FFN)),
        (f"{prefix}.mlp.gate_proj.weight", (_FFN, _HIDDEN)),
        (f"{prefix}.mlp.up_proj.weight", (_FFN, _HIDDEN)),
        (f"{prefix}.post_attention_layernorm.weight", (_HIDDEN,)),
        (f"{prefix}.self_attn.k_proj.weight", (kv_dim, _HIDDEN)),
        (f"{prefix}.self_attn.o_proj.weight", (_HIDDEN, _HIDDEN)),
        (f"{prefix}.self_attn.q_proj.weight", (_HIDDEN, _HIDDEN)),
        (f"{prefix}.self_attn.v_proj.weight", (kv_dim, _HIDDEN)),
    ]


def _tensors(kv_dim: int) -> list[tuple[str, tuple[int, ...]]]:
    """Sorted by name, which is how the reference writer lays out same-dtype tensors."""
    specs: list[tuple[str, tuple[int, ...]]] = [
        ("lm_head.weight", (_VOCAB, _HIDDEN)),
        ("model.embed_tokens.weight", (_VOCAB, _HIDDEN)),
    ]
    specs += _layer(0, kv_dim) + _layer(1, kv_dim)
    specs.append(("model.norm.weight", (_HIDDEN,)))
    return sorted(specs)


def _bf16(value: float) -> bytes:
    """Truncate a float32 to its upper half; exact IEEE arithmetic keeps this platform-independent."""
    return struct.pack("<f", value)[2:]


def _payload(name: str, count: int, rng: random.Random) -> bytes:
    if name.endswith("norm.weight"):
        return _bf16(1.0) * count
    return b"".join(_bf16((rng.random() * 2.0 - 1.0) * 0.05) for _ in range(count))


def safetensors_bytes(seed: int, kv_dim: int) -> bytes:
    """``kv_dim`` < hidden size gives grouped-query attention, the change made in v0.3.0."""
    rng = random.Random(seed)
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    chunks: list[bytes] = []
    offset = 0
    for name, shape in _tensors(kv_dim):
        count = 1
        for dim in shape:
            count *= dim
        data = _payload(name, count, rng)
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    return struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks)
