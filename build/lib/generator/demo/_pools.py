"""Raw material for the everyday commits between the story's milestones.

Each entry is one plausible small change. The filler generator draws from these pools in order, so
the code base grows the way a young project does: features first, then docs, tests and upkeep.
"""

from __future__ import annotations

from typing import NamedTuple


class Snippet(NamedTuple):
    """A function or class appended to a module, optionally with a test for it."""

    path: str
    kind: str
    en: str
    zh: str
    code: str
    test: str = ""
    why: str = ""


class Fix(NamedTuple):
    """A one-line correction to code that exists from the scaffold on."""

    path: str
    old: str
    new: str
    en: str
    zh: str = ""


class Note(NamedTuple):
    """A block of prose appended to (or inserted into) a document."""

    path: str
    en: str
    text: str
    anchor: str = ""
    zh: str = ""


SNIPPETS: tuple[Snippet, ...] = (
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add rotate_half and apply_rotary helpers",
        "添加旋转位置编码辅助函数",
        '''

def rotate_half(x: torch.Tensor) -> torch.Tensor:
    """Rotate the last dimension by half, the building block of rotary embeddings."""
    first, second = x.chunk(2, dim=-1)
    return torch.cat((-second, first), dim=-1)


def apply_rotary(x: torch.Tensor, angles: torch.Tensor) -> torch.Tensor:
    """Apply rotary position embeddings given precomputed ``angles``."""
    cos = torch.cat((angles.cos(), angles.cos()), dim=-1)
    sin = torch.cat((angles.sin(), angles.sin()), dim=-1)
    return x * cos + rotate_half(x) * sin
''',
        """

def test_rotate_half_twice_negates():
    from lumen.modeling import rotate_half

    x = torch.randn(2, 8)
    assert torch.allclose(rotate_half(rotate_half(x)), -x)
""",
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "add a helper to strip special tokens",
        "添加去除特殊符号的辅助函数",
        '''

def strip_special_tokens(text: str) -> str:
    """Remove control tokens that leak into decoded text when skip_special_tokens is off."""
    for token in SPECIAL_TOKENS:
        text = text.replace(token, "")
    return text
''',
        """

def test_strip_special_tokens():
    from lumen.tokenizer import strip_special_tokens

    assert strip_special_tokens("<|im_start|>hi<|im_end|>") == "hi"
""",
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add repeat_kv for grouped-query attention",
        "支持分组查询注意力的 KV 复制",
        '''

def repeat_kv(hidden: torch.Tensor, n_rep: int) -> torch.Tensor:
    """Expand key/value heads so grouped-query attention can reuse the standard kernels.

    ``hidden`` has shape (batch, kv_heads, seq, head_dim).
    """
    if n_rep == 1:
        return hidden
    batch, kv_heads, seq, head_dim = hidden.shape
    hidden = hidden[:, :, None, :, :].expand(batch, kv_heads, n_rep, seq, head_dim)
    return hidden.reshape(batch, kv_heads * n_rep, seq, head_dim)
''',
        """

def test_repeat_kv_expands_heads():
    from lumen.modeling import repeat_kv

    x = torch.randn(1, 4, 3, 8)
    assert repeat_kv(x, 4).shape == (1, 16, 3, 8)
""",
        "Lumen-1.8B uses 4 key-value heads for 16 query heads. Expanding them explicitly keeps the\n"
        "reference implementation readable and lets us compare against the fused kernels.",
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "split mixed Chinese and Latin text into script runs",
        "拆分中英文混排文本",
        '''

def split_script_runs(text: str) -> list[str]:
    """Split text where it switches between CJK and other scripts, as the pre-tokenizer does."""
    runs: list[str] = []
    for char in text:
        if runs and is_cjk(char) == is_cjk(runs[-1][-1]):
            runs[-1] += char
        else:
            runs.append(char)
    return runs
''',
        """

def test_split_script_runs():
    from lumen.tokenizer import split_script_runs

    assert split_script_runs("Lumen模型v1") == ["Lumen", "模型", "v1"]
""",
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add a causal mask builder",
        "添加因果掩码构造函数",
        '''

def causal_mask(length: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Additive mask that hides future positions from each query."""
    mask = torch.full((length, length), torch.finfo(dtype).min, dtype=dtype)
    return torch.triu(mask, diagonal=1)
''',
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add the SwiGLU feed-forward block",
        "",
        '''

class LumenMLP(nn.Module):
    """SwiGLU feed-forward block: down(silu(gate(x)) * up(x))."""

    def __init__(self, config: LumenConfig) -> None:
        super().__init__()
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(nn.functional.silu(self.gate_proj(x)) * self.up_proj(x))
''',
        """

def test_mlp_keeps_hidden_size():
    from lumen.modeling import LumenMLP

    config = LumenConfig(hidden_size=8, intermediate_size=16)
    assert LumenMLP(config)(torch.randn(2, 8)).shape == (2, 8)
""",
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "detect full-width CJK punctuation",
        "识别中文全角标点",
        '''

CJK_PUNCTUATION = frozenset("，。！？；：、「」『』（）《》【】…—")


def is_cjk_punctuation(char: str) -> bool:
    """Full-width punctuation is tokenized on its own, never glued to the previous word."""
    return char in CJK_PUNCTUATION
''',
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add a parameter counting helper",
        "",
        '''

def count_parameters(module: nn.Module, trainable_only: bool = False) -> int:
    """Count parameters; the "1.8B" in the model card comes from this function."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)
''',
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "estimate token counts without loading the tokenizer",
        "",
        '''

def estimate_tokens(text: str) -> int:
    """Cheap budget estimate: about 1.4 tokens per CJK character and 0.3 per other character."""
    cjk = sum(1 for char in text if is_cjk(char))
    return round(cjk * 1.4 + (len(text) - cjk) * 0.3)
''',
        """

def test_estimate_tokens_counts_cjk_higher():
    from lumen.tokenizer import estimate_tokens

    assert estimate_tokens("你好世界") > estimate_tokens("abcd")
""",
        "Useful for trimming prompts in the evaluation harness before we have a tokenizer loaded.",
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "support sliding window attention masks",
        "支持滑动窗口注意力掩码",
        '''

def sliding_window_mask(length: int, window: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Causal mask that additionally hides tokens more than ``window`` positions back."""
    mask = torch.triu(torch.full((length, length), torch.finfo(dtype).min, dtype=dtype), diagonal=1)
    far = torch.tril(torch.ones(length, length, dtype=torch.bool), diagonal=-window)
    return mask.masked_fill(far, torch.finfo(dtype).min)
''',
        """

def test_sliding_window_mask_hides_old_tokens():
    from lumen.modeling import sliding_window_mask

    mask = sliding_window_mask(6, window=2)
    assert mask[5, 0] < 0 and mask[5, 4] == 0
""",
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "add left truncation for long chat histories",
        "支持从左侧截断对话历史",
        '''

def truncate_left(ids: list[int], max_length: int, keep: int = 0) -> list[int]:
    """Drop the oldest tokens but keep the first ``keep`` ones, usually the system prompt."""
    if len(ids) <= max_length:
        return ids
    return ids[:keep] + ids[len(ids) - (max_length - keep) :]
''',
        """

def test_truncate_left_keeps_system_prompt():
    from lumen.tokenizer import truncate_left

    assert truncate_left(list(range(10)), 5, keep=2) == [0, 1, 7, 8, 9]
""",
        "Chat histories grow from the left. Truncating on the right cut off the latest user turn,\n"
        "which is the one part of the prompt we must never drop.",
    ),
    Snippet(
        "lumen/generation.py",
        "feat",
        "add top-k filtering",
        "添加 top-k 采样",
        '''

def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the ``k`` most likely tokens and give every other token -inf."""
    threshold = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < threshold, float("-inf"))
''',
        """

def test_top_k_filter_keeps_k_tokens():
    from lumen.generation import top_k_filter

    logits = torch.tensor([[1.0, 3.0, 2.0, 0.5]])
    assert torch.isfinite(top_k_filter(logits, 2)).sum() == 2
""",
    ),
    Snippet(
        "lumen/modeling.py",
        "perf",
        "use dynamic NTK scaling for prompts beyond the trained context",
        "长文本使用动态 NTK 缩放",
        '''

def ntk_scaled_theta(theta: float, dim: int, length: int, trained_length: int) -> float:
    """Grow the RoPE base when a prompt exceeds the trained context (dynamic NTK scaling)."""
    if length <= trained_length:
        return theta
    factor = length / trained_length
    return theta * factor ** (dim / (dim - 2))
''',
        """

def test_ntk_scaled_theta_is_identity_within_context():
    from lumen.modeling import ntk_scaled_theta

    assert ntk_scaled_theta(10000.0, 128, 100, 4096) == 10000.0
""",
        "Without scaling, perplexity explodes a few hundred tokens past the trained context.\n\n"
        "Dynamic NTK scaling only kicks in for long prompts, so short prompts are bit-identical to\n"
        "before. Measured on our long-document set: perplexity at 6K tokens drops from 41.2 to 9.8.",
    ),
    Snippet(
        "lumen/generation.py",
        "feat",
        "add nucleus (top-p) filtering",
        "添加 top-p 采样",
        '''

def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep the smallest set of tokens whose cumulative probability exceeds ``p``."""
    sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
    probs = torch.softmax(sorted_logits, dim=-1)
    remove = probs.cumsum(dim=-1) - probs > p
    sorted_logits = sorted_logits.masked_fill(remove, float("-inf"))
    return sorted_logits.scatter(-1, order, sorted_logits)
''',
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "render chat prompts without transformers",
        "无需 transformers 即可生成对话提示",
        '''

def build_chat_prompt(messages: list[dict[str, str]], add_generation_prompt: bool = True) -> str:
    """Pure-Python twin of the chat template in tokenizer_config.json, used by the tests."""
    parts = [f"<|im_start|>{m['role']}\\n{m['content']}<|im_end|>\\n" for m in messages]
    if add_generation_prompt:
        parts.append("<|im_start|>assistant\\n")
    return "".join(parts)
''',
        """

def test_build_chat_prompt_ends_with_assistant_turn():
    from lumen.tokenizer import build_chat_prompt

    prompt = build_chat_prompt([{"role": "user", "content": "你好"}])
    assert prompt.endswith("<|im_start|>assistant\\n")
""",
    ),
    Snippet(
        "lumen/modeling.py",
        "refactor",
        "initialise weights with a truncated normal",
        "",
        '''

def init_weights(module: nn.Module, std: float = 0.02) -> None:
    """Initialisation used for the toy checkpoint and for newly added embedding rows."""
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.trunc_normal_(module.weight, std=std, a=-3 * std, b=3 * std)
    if isinstance(module, nn.Linear) and module.bias is not None:
        nn.init.zeros_(module.bias)
''',
    ),
    Snippet(
        "lumen/generation.py",
        "feat",
        "add a repetition penalty",
        "添加重复惩罚",
        '''

def repetition_penalty(logits: torch.Tensor, previous: torch.Tensor, penalty: float = 1.1) -> torch.Tensor:
    """Discourage tokens that already appeared, as in the CTRL paper."""
    scores = logits.gather(-1, previous)
    scores = torch.where(scores > 0, scores / penalty, scores * penalty)
    return logits.scatter(-1, previous, scores)
''',
        """

def test_repetition_penalty_lowers_seen_tokens():
    from lumen.generation import repetition_penalty

    logits = torch.tensor([[2.0, 2.0]])
    assert repetition_penalty(logits, torch.tensor([[0]]))[0, 0] < 2.0
""",
        "Small models loop easily on Chinese lists. A mild penalty of 1.05 fixes most of the cases\n"
        "reported in the issue tracker without hurting GSM8K.",
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "collapse repeated whitespace before encoding",
        "",
        '''

def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces and tabs; newlines stay because the chat template relies on them."""
    return "\\n".join(" ".join(line.split()) for line in text.split("\\n"))
''',
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add a pre-allocated KV cache",
        "添加预分配的 KV 缓存",
        '''

class KVCache:
    """Pre-allocated key/value cache, so generation does not re-allocate at every step."""

    def __init__(self, batch: int, heads: int, max_len: int, head_dim: int, dtype: torch.dtype) -> None:
        shape = (batch, heads, max_len, head_dim)
        self.keys = torch.zeros(shape, dtype=dtype)
        self.values = torch.zeros(shape, dtype=dtype)
        self.length = 0

    def update(self, keys: torch.Tensor, values: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        end = self.length + keys.shape[2]
        self.keys[:, :, self.length : end] = keys
        self.values[:, :, self.length : end] = values
        self.length = end
        return self.keys[:, :, :end], self.values[:, :, :end]
''',
        """

def test_kv_cache_grows():
    from lumen.modeling import KVCache

    cache = KVCache(1, 2, 8, 4, torch.float32)
    keys, _ = cache.update(torch.ones(1, 2, 3, 4), torch.ones(1, 2, 3, 4))
    assert keys.shape == (1, 2, 3, 4) and cache.length == 3
""",
    ),
    Snippet(
        "lumen/generation.py",
        "feat",
        "support stop sequences",
        "支持停止词",
        '''

def hits_stop_sequence(text: str, stops: tuple[str, ...]) -> bool:
    """Generation stops as soon as any stop string appears in the decoded text."""
    return any(stop in text for stop in stops)
''',
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add a logit soft-capping helper",
        "",
        '''

def soft_cap(logits: torch.Tensor, cap: float = 30.0) -> torch.Tensor:
    """Smoothly bound logits to (-cap, cap), which stabilises training at high learning rates."""
    return cap * torch.tanh(logits / cap)
''',
        """

def test_soft_cap_bounds_logits():
    from lumen.modeling import soft_cap

    assert soft_cap(torch.tensor([1e6])).item() <= 30.0
""",
    ),
    Snippet(
        "lumen/generation.py",
        "feat",
        "add min-p sampling",
        "添加 min-p 采样",
        '''

def min_p_filter(logits: torch.Tensor, min_p: float = 0.05) -> torch.Tensor:
    """Drop tokens that are less likely than ``min_p`` times the most likely token."""
    probs = torch.softmax(logits, dim=-1)
    limit = probs.max(dim=-1, keepdim=True).values * min_p
    return logits.masked_fill(probs < limit, float("-inf"))
''',
        why="min-p keeps more diversity than top-p at high temperatures; several users asked for it.",
    ),
    Snippet(
        "lumen/tokenizer.py",
        "feat",
        "detect emoji so they are never split",
        "",
        '''

def is_emoji(char: str) -> bool:
    """Emoji get dedicated byte-level merges; splitting them produces invalid UTF-8 pieces."""
    code = ord(char)
    return 0x1F300 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF
''',
    ),
    Snippet(
        "lumen/modeling.py",
        "feat",
        "add a KV cache memory estimate",
        "添加 KV 缓存显存估算",
        '''

def kv_cache_bytes(config: LumenConfig, tokens: int, bytes_per_value: int = 2) -> int:
    """Memory a KV cache needs for ``tokens`` tokens; the numbers in the FAQ come from here."""
    per_token = 2 * config.num_hidden_layers * config.num_key_value_heads * config.head_dim
    return per_token * tokens * bytes_per_value
''',
        """

def test_kv_cache_bytes_per_token():
    from lumen.modeling import kv_cache_bytes

    assert kv_cache_bytes(LumenConfig(), 1) == 2 * 28 * 4 * 128 * 2
""",
    ),
    Snippet(
        "lumen/generation.py",
        "feat",
        "add a reference greedy decoding loop",
        "",
        '''

@torch.no_grad()
def greedy_decode(model: torch.nn.Module, ids: torch.Tensor, max_new_tokens: int, eos_id: int) -> torch.Tensor:
    """Reference decoding loop used to cross-check the transformers integration."""
    for _ in range(max_new_tokens):
        next_id = model(ids).logits[:, -1].argmax(dim=-1, keepdim=True)
        ids = torch.cat([ids, next_id], dim=-1)
        if (next_id == eos_id).all():
            break
    return ids
''',
        why="Lets us compare logits step by step with the transformers implementation when a\n"
        "numerical difference is reported.",
    ),
    Snippet(
        "lumen/generation.py",
        "feat",
        "add a next-token entropy helper",
        "添加下一词熵的计算",
        '''

def entropy(logits: torch.Tensor) -> torch.Tensor:
    """Per-row entropy of the next-token distribution; high values flag uncertain steps."""
    log_probs = torch.log_softmax(logits.float(), dim=-1)
    return -(log_probs.exp() * log_probs).sum(dim=-1)
''',
    ),
)

FIXES: tuple[Fix, ...] = (
    Fix(
        "lumen/modeling.py",
        "        x = x * torch.rsqrt(variance + self.eps)\n",
        "        x = x.float() * torch.rsqrt(variance + self.eps)\n",
        "compute RMSNorm in float32 to avoid bf16 overflow",
        "RMSNorm 使用 float32 计算，避免 bf16 溢出",
    ),
    Fix(
        "lumen/modeling.py",
        "    positions = torch.arange(end, dtype=torch.float32)\n",
        "    positions = torch.arange(end, dtype=torch.float32, device=freqs.device)\n",
        "create rotary positions on the same device as the frequencies",
    ),
    Fix(
        "lumen/tokenizer.py",
        "    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF\n",
        "    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF\n",
        "treat CJK Extension B characters as CJK",
        "将 CJK 扩展 B 区字符视为中文",
    ),
    Fix(
        "lumen/generation.py",
        "    if temperature == 0:\n",
        "    if temperature <= 0:\n",
        "treat non-positive temperatures as greedy decoding",
    ),
    Fix(
        "examples/generate.py",
        "    output = model.generate(**inputs, max_new_tokens=128)\n",
        "    output = model.generate(**inputs, max_new_tokens=128, repetition_penalty=1.05)\n",
        "use a mild repetition penalty in the generation example",
    ),
    Fix(
        "eval/run_eval.py",
        "        print(f\"{args.model}: {task['name']} ({task['num_fewshot']}-shot)\")\n",
        "        print(f\"{args.model}\\t{task['name']}\\t{task['num_fewshot']}-shot\\t{task['metric']}\")\n",
        "print eval results as tab-separated values",
    ),
    Fix(
        "lumen/modeling.py",
        '    """Softmax temperature used by every attention layer."""\n',
        '    """Softmax temperature used by every attention layer (1/sqrt(d), as in the original Transformer)."""\n',
        "document where the attention scale comes from",
    ),
    Fix(
        "lumen/generation.py",
        "    probs = torch.softmax(logits / temperature, dim=-1)\n",
        "    probs = torch.softmax(logits.float() / temperature, dim=-1)\n",
        "sample in float32 to avoid bf16 underflow",
        "采样时使用 float32，避免 bf16 下溢",
    ),
    Fix(
        "scripts/download_weights.sh",
        '--include "*.safetensors"',
        '--include "*.safetensors" "*.json"',
        "also download the JSON configs in download_weights.sh",
    ),
    Fix(
        "lumen/tokenizer.py",
        '    """Apply the normalisation used during pre-training: NFKC, no lower-casing."""\n',
        '    """Apply the normalisation used during pre-training: NFKC, no lower-casing.\n\n'
        "    Full-width ASCII becomes half-width, which matters for Chinese text copied from web pages.\n"
        '    """\n',
        "explain why normalize() uses NFKC",
    ),
)

EVAL_TASKS: tuple[tuple[str, str, int, str, str], ...] = (
    # (name, dataset, shots, metric, display name)
    ("ceval", "ceval/ceval-exam", 5, "accuracy", "C-Eval"),
    ("gsm8k", "openai/gsm8k", 4, "exact_match", "GSM8K"),
    ("humaneval", "openai/openai_humaneval", 0, "pass@1", "HumanEval"),
    ("cmmlu", "haonan-li/cmmlu", 5, "accuracy", "CMMLU"),
    ("arc_challenge", "allenai/ai2_arc", 25, "acc_norm", "ARC-Challenge"),
    ("hellaswag", "Rowan/hellaswag", 10, "acc_norm", "HellaSwag"),
    ("mbpp", "google-research-datasets/mbpp", 3, "pass@1", "MBPP"),
    ("winogrande", "allenai/winogrande", 5, "accuracy", "WinoGrande"),
    ("truthfulqa", "truthfulqa/truthful_qa", 0, "mc2", "TruthfulQA"),
    ("bbh", "lukaemon/bbh", 3, "exact_match", "BBH"),
    ("triviaqa", "mandarjoshi/trivia_qa", 5, "exact_match", "TriviaQA"),
    ("piqa", "ybisk/piqa", 0, "accuracy", "PIQA"),
)

EVAL_FLAGS: tuple[tuple[str, str], ...] = (
    ("--limit", 'type=int, default=None, help="only evaluate the first N examples"'),
    ("--batch-size", "type=int, default=8"),
    ("--output", 'type=Path, default=None, help="write results as JSON"'),
    ("--seed", "type=int, default=1234"),
    ("--dtype", 'default="bfloat16", choices=["bfloat16", "float16", "float32"]'),
)

FAQ: tuple[tuple[str, str, str], ...] = (
    (
        "commercial use",
        "Can I use Lumen commercially?",
        "Yes. The weights are released under the Lumen Model License, which allows commercial use as long\n"
        'as you display "Built with Lumen" and respect the use restrictions.',
    ),
    (
        "memory requirements",
        "How much GPU memory do I need?",
        "About 4 GB in bfloat16 for inference with short prompts. 8-bit quantization halves that.",
    ),
    (
        "chat format",
        "Is there a chat version?",
        "The base model follows the ChatML-style template in `tokenizer_config.json`, but it is not\n"
        "instruction-tuned. See the fine-tuning guide to train your own chat model.",
    ),
    (
        "CPU inference",
        "Does it run on a CPU?",
        "Yes, slowly. Use `torch_dtype=torch.float32` on CPUs without bfloat16 support.",
    ),
    (
        "Apple silicon",
        "Can I run Lumen on a Mac?",
        "Yes, with the `mps` device. Load the model in float16 because bfloat16 support on MPS is partial.",
    ),
    (
        "training data",
        "What data was Lumen trained on?",
        "A mix of filtered web text, books, code and encyclopedic text in English and Chinese. See the\n"
        "technical report for the exact proportions.",
    ),
    (
        "repetition",
        "Why does the model repeat itself?",
        "Base models loop on greedy decoding. Use sampling with `repetition_penalty=1.05`.",
    ),
    (
        "context length",
        "What is the maximum context length?",
        "It is the `max_position_embeddings` value in `config.json`. Longer prompts work with dynamic NTK\n"
        "scaling, with some quality loss.",
    ),
    (
        "quantization",
        "Are quantized versions available?",
        "Community GGUF and AWQ builds are listed on the community page. We do not maintain them.",
    ),
    (
        "tokenizer speed",
        "Why is the first call to the tokenizer slow?",
        "The fast tokenizer builds its merge table on first use. Later calls are fast.",
    ),
    (
        "vLLM",
        "Can I serve Lumen with vLLM?",
        "Yes. The architecture is LLaMA-compatible, so vLLM loads it as `LlamaForCausalLM`.",
    ),
    (
        "other languages",
        "Does Lumen speak languages other than English and Chinese?",
        "A little, but we did not evaluate other languages and do not recommend relying on them.",
    ),
    (
        "citation",
        "How do I cite Lumen?",
        "Use the BibTeX entry at the bottom of the model card or the `CITATION.cff` file.",
    ),
    (
        "reporting issues",
        "Where do I report harmful outputs?",
        "Open an issue with the `safety` label, or e-mail safety@lumen-ai.org for sensitive reports.",
    ),
    (
        "fine-tuning hardware",
        "Can I fine-tune on a consumer GPU?",
        "Yes. LoRA fine-tuning fits in 16 GB with gradient checkpointing and a batch size of 1.",
    ),
    (
        "system prompts",
        "Does the model support system prompts?",
        "The chat template accepts a `system` message, but the base model was not trained to follow it.",
    ),
    (
        "long prompts",
        "What happens if my prompt is longer than the context window?",
        "The tokenizer truncates from the right by default. Use `truncate_left` from `lumen.tokenizer` to keep\n"
        "the latest turns instead.",
    ),
    (
        "determinism",
        "Why do I get different outputs on every run?",
        "`generation_config.json` enables sampling. Pass `do_sample=False` for deterministic greedy decoding.",
    ),
    (
        "ONNX",
        "Can I export Lumen to ONNX?",
        "Yes, with `optimum-cli export onnx --model lumen-ai/Lumen-1.8B`. The community page lists ready-made\n"
        "exports.",
    ),
    (
        "attribution",
        'Where do I put the "Built with Lumen" notice?',
        "Anywhere users will see it: an about page, the README of a derived model or its model card.",
    ),
)

CONFIG_FIELDS: tuple[tuple[str, str], ...] = (
    ("hidden_size", "Width of the residual stream (2048 for Lumen-1.8B)."),
    ("intermediate_size", "Width of the SwiGLU feed-forward layer."),
    ("num_hidden_layers", "Number of decoder layers."),
    ("num_attention_heads", "Number of query heads per layer."),
    ("num_key_value_heads", "Number of key/value heads; fewer than the query heads means grouped-query attention."),
    ("max_position_embeddings", "Longest sequence the model was trained on."),
    ("rope_theta", "Base of the rotary position embedding frequencies."),
    ("rms_norm_eps", "Epsilon added inside RMSNorm for numerical stability."),
    ("vocab_size", "Size of the tokenizer vocabulary, padded to a multiple of 128."),
    ("tie_word_embeddings", "Whether the output projection shares weights with the input embeddings."),
    ("torch_dtype", "Data type the released weights are stored in."),
    ("bos_token_id", "Token id prepended by the tokenizer when `add_bos_token` is enabled."),
    ("eos_token_id", "Token id that ends generation."),
)

DOC_NOTES: tuple[Note, ...] = (
    Note(
        "docs/quickstart.md",
        "add a CPU example to the quickstart",
        '\n## Running on CPU\n\n```python\nmodel = AutoModelForCausalLM.from_pretrained("lumen-ai/Lumen-1.8B", '
        "torch_dtype=torch.float32)\n```\n",
    ),
    Note(
        "docs/quickstart.md",
        "document 8-bit loading",
        "\n## Loading in 8-bit\n\nInstall `bitsandbytes` and pass `load_in_8bit=True`. Memory use drops to"
        " about 2 GB.\n",
    ),
    Note(
        "docs/index.md",
        "link the fine-tuning guide from the docs index",
        "- [Fine-tuning](finetuning.md)\n",
        anchor="- [Quickstart](quickstart.md)\n",
    ),
    Note(
        "docs/finetuning.md",
        "add recommended LoRA hyper-parameters",
        "\n## Hyper-parameters\n\n| Parameter | Value |\n|---|---|\n| learning rate | 2e-4 |\n"
        "| epochs | 3 |\n| LoRA rank | 16 |\n| LoRA alpha | 32 |\n",
    ),
    Note(
        "docs/quickstart.md",
        "explain how to stream tokens",
        "\n## Streaming\n\nUse `TextStreamer` to print tokens as they are generated:\n\n```python\n"
        "from transformers import TextStreamer\n\nmodel.generate(**inputs, streamer=TextStreamer(tokenizer))\n"
        "```\n",
    ),
    Note(
        "docs/finetuning.md",
        "document full fine-tuning with DeepSpeed",
        "\n## Full fine-tuning\n\nFull fine-tuning needs about 40 GB of GPU memory with ZeRO-2. Start from\n"
        "the DeepSpeed config in the transformers examples and set `bf16.enabled` to true.\n",
    ),
    Note(
        "docs/index.md", "add the FAQ to the docs index", "- [FAQ](faq.md)\n", anchor="- [Quickstart](quickstart.md)\n"
    ),
    Note(
        "docs/quickstart.md",
        "mention the minimum transformers version",
        "\n> Lumen needs `transformers` 4.37 or newer. Older versions fail with an unknown `model_type`.\n",
    ),
    Note(
        "docs/finetuning.md",
        "warn about the chat template when fine-tuning",
        "\n## Chat template\n\nAlways format training conversations with `tokenizer.apply_chat_template`. Models\n"
        "fine-tuned on a different format answer poorly when served with the default template.\n",
    ),
    Note(
        "docs/index.md",
        "add a configuration reference link",
        "- [Configuration reference](configuration.md)\n",
        anchor="- [Quickstart](quickstart.md)\n",
    ),
    Note(
        "docs/quickstart.md",
        "show batched generation with left padding",
        '\n## Batched generation\n\nSet `tokenizer.padding_side = "left"` before batching prompts for generation.\n',
    ),
    Note(
        "docs/deployment.md",
        "document serving with vLLM",
        "\n## vLLM\n\n```bash\nvllm serve lumen-ai/Lumen-1.8B --max-model-len 4096\n```\n",
    ),
    Note(
        "docs/deployment.md",
        "document llama.cpp usage",
        "\n## llama.cpp\n\nConvert with `convert_hf_to_gguf.py`, then run\n"
        '`llama-cli -m lumen-1.8b-q4_k_m.gguf -p "Hello"`.\n',
    ),
    Note(
        "docs/glossary.md",
        "add KV cache to the glossary",
        "\n**KV cache**: keys and values of past tokens, kept between generation steps.\n",
    ),
    Note(
        "docs/glossary.md",
        "add NTK scaling to the glossary",
        "\n**NTK scaling**: enlarging the RoPE base to stretch the context window without fine-tuning.\n",
    ),
    Note(
        "docs/architecture.md",
        "describe the attention layout",
        "\n## Attention\n\n16 query heads share 4 key/value heads (grouped-query attention), which shrinks\n"
        "the KV cache four-fold compared with multi-head attention.\n",
    ),
    Note(
        "docs/finetuning.md",
        "recommend evaluating fine-tuned models with the harness",
        "\n## Evaluation\n\nRun `python eval/run_eval.py --model <path> --tasks ceval,mmlu` before and after\n"
        "fine-tuning to catch regressions.\n",
    ),
)

README_NOTES: tuple[Note, ...] = (
    Note(
        "README.md",
        "mention hallucinations in the limitations",
        "- Like all language models, Lumen can state false information confidently.\n",
        anchor="## Limitations\n\n",
    ),
    Note(
        "README.md",
        "note the minimum transformers version",
        "Lumen requires `transformers>=4.37`.\n\n",
        anchor="## Quickstart\n\n",
    ),
    Note(
        "README.md",
        "add a link to the documentation",
        "See the [documentation](docs/index.md) for fine-tuning and deployment guides.\n\n",
        anchor="## Quickstart\n\n",
    ),
    Note(
        "README.md",
        "mention the knowledge cut-off",
        "- The training data ends in late 2023; the model knows nothing about later events.\n",
        anchor="## Limitations\n\n",
    ),
    Note(
        "README.md",
        "point to the issue tracker for safety reports",
        "Please report harmful outputs through the issue tracker with the `safety` label.\n\n",
        anchor="## License\n\n",
    ),
    Note(
        "README.md",
        "add a code limitation note",
        "- Code generation is weaker than dedicated code models of the same size.\n",
        anchor="## Limitations\n\n",
    ),
    Note(
        "README.md",
        "clarify the licence split between code and weights",
        "Using the weights does not require accepting the Apache licence for the code, and vice versa.\n\n",
        anchor="## License\n\n",
    ),
)

ZH_NOTES: tuple[Note, ...] = (
    Note(
        "README_zh.md",
        "add hallucination note to the Chinese README",
        "模型可能自信地输出错误信息，请勿在高风险场景中直接使用。\n\n",
        anchor="## 局限性\n\n",
        zh="更新中文 README 的局限性说明",
    ),
    Note(
        "README_zh.md",
        "link the docs from the Chinese README",
        "更多用法请参阅[文档](docs/index.md)。\n\n",
        anchor="## 快速开始\n\n",
        zh="中文 README 添加文档链接",
    ),
    Note(
        "docs/zh/快速开始.md",
        "add CPU instructions to the Chinese quickstart",
        "\n## 在 CPU 上运行\n\n没有 GPU 时请使用 `torch_dtype=torch.float32` 加载模型。\n",
        zh="中文快速开始添加 CPU 运行说明",
    ),
    Note(
        "docs/zh/快速开始.md",
        "document streaming output in Chinese",
        "\n## 流式输出\n\n使用 `TextStreamer` 可以边生成边打印结果。\n",
        zh="补充流式输出的中文文档",
    ),
    Note(
        "README_zh.md",
        "mention the minimum transformers version in Chinese",
        "需要 `transformers>=4.37`。\n\n",
        anchor="## 快速开始\n\n",
        zh="中文 README 注明 transformers 最低版本",
    ),
    Note(
        "docs/zh/快速开始.md",
        "add 8-bit loading to the Chinese quickstart",
        "\n## 8 比特加载\n\n安装 `bitsandbytes` 后传入 `load_in_8bit=True`，显存占用约 2 GB。\n",
        zh="完善中文快速开始文档",
    ),
    Note(
        "README_zh.md",
        "add a knowledge cut-off note in Chinese",
        "训练数据截止到 2023 年底，模型不了解之后发生的事情。\n\n",
        anchor="## 局限性\n\n",
        zh="中文 README 补充知识截止时间",
    ),
    Note(
        "docs/zh/快速开始.md",
        "add an FAQ pointer to the Chinese quickstart",
        "\n## 常见问题\n\n请参阅英文 [FAQ](../faq.md)，欢迎提交中文翻译。\n",
        zh="添加常见问题链接",
    ),
    Note(
        "README_zh.md",
        "mention the attribution requirement in Chinese",
        "使用模型权重时请注明“Built with Lumen”。\n\n",
        anchor="## 许可证\n\n",
        zh="中文 README 补充署名要求",
    ),
    Note(
        "docs/zh/快速开始.md",
        "document batched generation in Chinese",
        '\n## 批量生成\n\n批量生成前请设置 `tokenizer.padding_side = "left"`。\n',
        zh="补充批量生成说明",
    ),
    Note(
        "README_zh.md",
        "note code generation limits in Chinese",
        "代码生成能力弱于同规模的专用代码模型。\n\n",
        anchor="## 局限性\n\n",
        zh="中文 README 补充代码能力说明",
    ),
    Note(
        "docs/zh/快速开始.md",
        "link the fine-tuning guide from the Chinese quickstart",
        "\n## 微调\n\n请参阅英文[微调指南](../finetuning.md)。\n",
        zh="添加微调文档链接",
    ),
)

NORMALIZATION_CASES: tuple[tuple[str, str, str], ...] = (
    ("fullwidth_latin", "ＡＢＣ", "ABC"),
    ("ideographic_space", "a\u3000b", "a b"),
    ("halfwidth_katakana", "ｶﾀｶﾅ", "カタカナ"),
    ("ligature", "ﬁne", "fine"),
    ("superscript", "x²", "x2"),
    ("roman_numeral", "Ⅻ", "XII"),
    ("circled_digit", "①", "1"),
    ("combining_accent", "e\u0301", "é"),
    ("squared_era_name", "㍻", "平成"),
    ("emoji", "👍", "👍"),
    ("arabic", "مرحبا", "مرحبا"),
    ("hangul", "한국어", "한국어"),
)

COMMUNITY_MODELS: tuple[tuple[str, str], ...] = (
    ("Lumen-1.8B-GGUF", "llama.cpp quantizations from Q2_K to Q8_0"),
    ("Lumen-1.8B-AWQ", "4-bit AWQ weights for vLLM"),
    ("Lumen-1.8B-Chat-zh", "Chinese chat fine-tune on 200k conversations"),
    ("Lumen-1.8B-Code", "continued pre-training on permissively licensed code"),
    ("Lumen-1.8B-MLX", "Apple MLX conversion in 4 and 8 bit"),
    ("Lumen-Med-1.8B", "medical question answering fine-tune (research only)"),
    ("Lumen-1.8B-ONNX", "ONNX export for onnxruntime-genai"),
    ("Lumen-1.8B-Instruct-DPO", "instruction tune with DPO on UltraFeedback"),
    ("Lumen-1.8B-Law-zh", "Chinese legal-domain adaptation"),
    ("Lumen-1.8B-EXL2", "ExLlamaV2 quantizations at 4.0 and 6.0 bpw"),
    ("Lumen-Tiny-Distill", "a 0.5B model distilled from Lumen-1.8B"),
    ("Lumen-1.8B-Function-Calling", "tool-use fine-tune with JSON outputs"),
    ("Lumen-1.8B-Cantonese", "continued pre-training on Cantonese text"),
    ("Lumen-1.8B-Math", "GSM8K-style math reasoning fine-tune"),
    ("Lumen-1.8B-TensorRT", "TensorRT-LLM engines for A10 and L4 GPUs"),
    ("Lumen-1.8B-Vision", "LLaVA-style vision adapter (experimental)"),
    ("Lumen-1.8B-128k", "YaRN-extended long-context variant"),
    ("Lumen-1.8B-Roleplay", "character chat fine-tune (English only)"),
)

PROMPTS: tuple[tuple[str, str], ...] = (
    ("translation", "Translate to Chinese: The weather is nice today. →"),
    ("classical poetry", "床前明月光，"),
    ("summary", "Summarise the following paragraph in one sentence:"),
    ("arithmetic", "Question: 17 × 23 = ? Answer step by step."),
    ("code", "def fibonacci(n):"),
    ("email", "Write a polite e-mail declining a meeting invitation."),
    ("Chinese idiom", "解释成语“画蛇添足”的意思："),
    ("JSON", "Extract name and age as JSON from: Alice is 30 years old."),
    ("story", "从前有一座山，山里有一座庙，"),
    ("definition", "A transformer in machine learning is"),
    ("haiku", "Write a haiku about the sea:"),
    ("SQL", "-- SQL query that returns the ten most recent orders\nSELECT"),
    ("recipe", "番茄炒蛋的做法：\n1."),
    ("dialogue", "A: How was your trip to Hangzhou?\nB:"),
    ("couplet", "上联：春风得意马蹄疾\n下联："),
)

# Starting scores of the intermediate-checkpoint leaderboard; each update improves on the last.
LEADERBOARD_BASE = {"MMLU": 41.0, "C-Eval": 47.0, "GSM8K": 29.0}

EXAMPLES: tuple[tuple[str, str, str], ...] = (
    (
        "examples/chat.py",
        "add an interactive chat example",
        '''\
"""Interactive chat in the terminal using the chat template."""

from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL = "lumen-ai/Lumen-1.8B"


def main() -> None:
    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    model = AutoModelForCausalLM.from_pretrained(MODEL, torch_dtype="auto")
    history = []
    while True:
        history.append({"role": "user", "content": input("> ")})
        ids = tokenizer.apply_chat_template(history, add_generation_prompt=True, return_tensors="pt")
        output = model.generate(ids, max_new_tokens=256)
        reply = tokenizer.decode(output[0, ids.shape[1] :], skip_special_tokens=True)
        history.append({"role": "assistant", "content": reply})
        print(reply)


if __name__ == "__main__":
    main()
''',
    ),
    (
        "examples/batch_generate.py",
        "add a batched generation example",
        '''\
"""Generate completions for many prompts at once with left padding."""

from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL = "lumen-ai/Lumen-1.8B"
PROMPTS = ["The capital of Japan is", "北京的著名景点有", "def quicksort(xs):"]


def main() -> None:
    tokenizer = AutoTokenizer.from_pretrained(MODEL, padding_side="left")
    model = AutoModelForCausalLM.from_pretrained(MODEL, torch_dtype="auto")
    batch = tokenizer(PROMPTS, return_tensors="pt", padding=True)
    for row in model.generate(**batch, max_new_tokens=48):
        print(tokenizer.decode(row, skip_special_tokens=True))


if __name__ == "__main__":
    main()
''',
    ),
    (
        "examples/stream.py",
        "add a streaming example",
        '''\
"""Print tokens as soon as they are generated."""

from transformers import AutoModelForCausalLM, AutoTokenizer, TextStreamer

MODEL = "lumen-ai/Lumen-1.8B"

tokenizer = AutoTokenizer.from_pretrained(MODEL)
model = AutoModelForCausalLM.from_pretrained(MODEL, torch_dtype="auto")
inputs = tokenizer("Write a haiku about autumn:", return_tensors="pt")
model.generate(**inputs, max_new_tokens=64, streamer=TextStreamer(tokenizer, skip_prompt=True))
''',
    ),
)

NOTEBOOK_CELLS: tuple[tuple[str, str, str, str], ...] = (
    # (cell id, kind, source, description)
    ("e5c1a2b8", "markdown", "## Chat\n\nThe tokenizer ships a chat template.", "add a chat section to the notebook"),
    (
        "f03b9d6e",
        "code",
        'messages = [{"role": "user", "content": "Tell me a joke."}]\n'
        'ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")\n'
        "print(tokenizer.decode(model.generate(ids, max_new_tokens=64)[0]))",
        "show apply_chat_template in the quickstart notebook",
    ),
    (
        "0a7d4c93",
        "markdown",
        "## Next steps\n\nSee `docs/finetuning.md` to adapt the model to your data.",
        "link the fine-tuning guide from the notebook",
    ),
)
