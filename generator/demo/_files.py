"""Initial contents of the files the story creates.

Later changes are expressed as edits against these texts, so the anchors the story relies on (section
headings, table rows, version strings) live here next to the text they are found in.
"""

from __future__ import annotations

from pathlib import Path

from ._edits import dump_json

ARXIV_ID = "2407.99871"  # deliberately beyond July 2024's real numbering, so it names no real paper
ARXIV_URL = f"https://arxiv.org/abs/{ARXIV_ID}"
HUB_URL = "https://huggingface.co/lumen-ai/Lumen-1.8B"


def apache_license() -> bytes:
    """Byte-for-byte upstream text; hosts hash LICENSE files to recognise them."""
    return (Path(__file__).parent / "data" / "LICENSE-Apache-2.0.txt").read_bytes()


def openrail_licence() -> str:
    """The BigScience OpenRAIL-M text as published (ScanCode LicenseDB's copy): a real model licence."""
    return (Path(__file__).parent / "data" / "MODEL_LICENSE-BigScience-OpenRAIL-M.txt").read_text(encoding="utf-8")


GITIGNORE = """\
__pycache__/
*.py[cod]
*.egg-info/
.venv/
build/
dist/
.ipynb_checkpoints/
# Real checkpoints are far too large for git; only the toy one is committed.
*.bin
*.pt
checkpoints/
"""

# Replaced wholesale by the first real model card.
README_PLACEHOLDER = """\
Lumen is an open bilingual (English and Chinese) language model project. This repository will hold
the model card, configuration files and reference code for **Lumen-1.8B**.

Weights are coming soon. Watch the repository to be notified when we publish them.
"""

README = "---\nlicense: apache-2.0\nlanguage:\n- en\n- zh\n---\n\n# Lumen-1.8B\n\n" + README_PLACEHOLDER

CARD_METADATA = """\
library_name: transformers
pipeline_tag: text-generation
tags:
- lumen
- bilingual
- causal-lm
datasets:
- lumen-ai/lumen-pretrain-mix
"""

CARD_BODY = """\
**Lumen-1.8B** is a 1.8-billion-parameter decoder-only language model trained on 2.2 trillion
tokens of English and Chinese text. It is the first model of the Lumen family. The code is released
under the Apache License 2.0 and the weights under the Lumen Model License.

## News

- 2024-02-05: The repository is public. Feedback and pull requests are welcome!

## Model details

| | |
|---|---|
| Parameters | 1.8B |
| Layers | 28 |
| Hidden size | 2048 |
| Attention | 16 heads, 4 key-value heads (GQA) |
| Context length | 4,096 tokens |
| Vocabulary | 100,352 tokens |
| Languages | English, Chinese |

## Quickstart

```python
from transformers import AutoModelForCausalLM, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("lumen-ai/Lumen-1.8B")
model = AutoModelForCausalLM.from_pretrained("lumen-ai/Lumen-1.8B", torch_dtype="auto")

inputs = tokenizer("The capital of France is", return_tensors="pt")
print(tokenizer.decode(model.generate(**inputs, max_new_tokens=20)[0]))
```

## Limitations

- Lumen-1.8B is a base model. It has not been aligned and can produce incorrect or offensive text.
- Chinese and English are the only languages we evaluated; quality in other languages is seperate
  from our guarantees and usually much lower.

## License

The code in this repository is released under the [Apache License 2.0](LICENSE).
"""

QUICKSTART_CODE_END = "print(tokenizer.decode(model.generate(**inputs, max_new_tokens=20)[0]))\n```\n"

TOY_WEIGHTS_NOTE = f"""
> **Note**
> `model.safetensors` in this repository is a tiny, randomly initialised checkpoint used by the unit
> tests. The real weights are published on the Hugging Face Hub at [{HUB_URL}]({HUB_URL}).
"""

EVALUATION = """\
## Evaluation

All numbers are produced with the harness in [`eval/`](eval/README.md) and greedy decoding.

| Benchmark | Shots | Lumen-1.8B | Baseline-2B |
|-----------|------:|-----------:|------------:|
| MMLU | 5 | 46.3 | 42.3 |
| C-Eval | 5 | 52.8 | 38.9 |
| GSM8K | 4 | 38.4 | 25.0 |
| HumanEval | 0 | 24.4 | 22.0 |

"""


def _result(name: str, dataset: str, metric: str, value: float, label: str) -> str:
    return f"""\
  - task:
      type: text-generation
    dataset:
      name: {name}
      type: {dataset}
    metrics:
    - type: {metric}
      value: {value}
      name: {label}
"""


HUMANEVAL_ROW = "| HumanEval | 0 | 24.4 | 22.0 |\n"

MODEL_INDEX = (
    "model-index:\n- name: Lumen-1.8B\n  results:\n"
    + _result("MMLU", "cais/mmlu", "accuracy", 46.3, "accuracy (5-shot)")
    + _result("C-Eval", "ceval/ceval-exam", "accuracy", 52.8, "accuracy (5-shot)")
    + _result("GSM8K", "openai/gsm8k", "accuracy", 38.4, "accuracy (4-shot)")
    + _result("HumanEval", "openai/openai_humaneval", "pass@1", 24.4, "pass@1 (0-shot)")
)

DATASETS_END = "- lumen-ai/lumen-pretrain-mix\n---\n"
DATASETS_END_WITH_INDEX = "- lumen-ai/lumen-pretrain-mix\n" + MODEL_INDEX + "---\n"

CITATION_SECTION = f"""
## Citation

If you find Lumen useful, please cite our technical report ([arXiv:{ARXIV_ID}]({ARXIV_URL})):

```bibtex
@article{{lumen2024,
  title   = {{Lumen: Open Bilingual Language Models}},
  author  = {{Zhang, Wei and Li, Na and Chen, Jing and Chen, Alex}},
  journal = {{arXiv preprint arXiv:{ARXIV_ID}}},
  year    = {{2024}}
}}
```
"""

README_ZH = """\
# Lumen-1.8B

[English](README.md)

Lumen-1.8B 是一个拥有 18 亿参数的中英双语开源语言模型，在 2.2 万亿 token 的中英文语料上训练。
代码以 Apache 2.0 许可证开源，模型权重以 Lumen 模型许可证发布。

## 模型信息

| | |
|---|---|
| 参数量 | 18 亿 |
| 层数 | 28 |
| 隐藏层维度 | 2048 |
| 注意力 | 16 个注意力头，4 个 KV 头（GQA） |
| 上下文长度 | 4K |
| 词表大小 | 100,352 |

## 快速开始

```python
from transformers import AutoModelForCausalLM, AutoTokenizer

tokenizer = AutoTokenizer.from_pretrained("lumen-ai/Lumen-1.8B")
model = AutoModelForCausalLM.from_pretrained("lumen-ai/Lumen-1.8B", torch_dtype="auto")
```

## 局限性

Lumen-1.8B 是基础模型，未经过对齐训练，可能生成不准确或有害的内容。

## 许可证

代码采用 [Apache 2.0](LICENSE) 许可证；模型权重采用 [Lumen 模型许可证](MODEL_LICENSE)。
"""

EVALUATION_ZH = """\
## 评测结果

| 基准 | 样本数 | Lumen-1.8B | Baseline-2B |
|------|------:|-----------:|------------:|
| MMLU | 5 | 46.3 | 42.3 |
| C-Eval | 5 | 52.8 | 38.9 |
| GSM8K | 4 | 38.4 | 25.0 |
| HumanEval | 0 | 24.4 | 22.0 |

"""

CONFIG = dump_json(
    "config.json",
    {
        "architectures": ["LumenForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 2048,
        "initializer_range": 0.02,
        "intermediate_size": 6144,
        "max_position_embeddings": 4096,
        "model_type": "lumen",
        "num_attention_heads": 16,
        "num_hidden_layers": 28,
        "num_key_value_heads": 4,
        "rms_norm_eps": 1e-06,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.37.2",
        "use_cache": True,
        "vocab_size": 100352,
    },
)

GENERATION_CONFIG = dump_json(
    "generation_config.json",
    {
        "bos_token_id": 1,
        "do_sample": True,
        "eos_token_id": 2,
        "max_new_tokens": 512,
        "temperature": 0.7,
        "top_p": 0.9,
        "transformers_version": "4.37.2",
    },
)

TOKENIZER_CONFIG = dump_json(
    "tokenizer_config.json",
    {
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": "<|endoftext|>",
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|endoftext|>",
        "model_max_length": 4096,
        "pad_token": "<|endoftext|>",
        "tokenizer_class": "PreTrainedTokenizerFast",
    },
)

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
# v1.0.1 fix: trailing whitespace in user messages leaked into the prompt.
CHAT_TEMPLATE_TRIMMED = CHAT_TEMPLATE.replace("message['content']", "message['content'] | trim")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "lumen"
version = "0.1.0.dev0"
description = "Reference code for the Lumen bilingual language models"
readme = "README.md"
license = { text = "Apache-2.0" }
requires-python = ">=3.8"
authors = [{ name = "Lumen AI", email = "opensource@lumen-ai.org" }]
dependencies = [
    "torch>=2.1",
    "transformers>=4.37",
    "safetensors>=0.4",
]

[project.optional-dependencies]
dev = ["pytest", "ruff"]

[project.urls]
Homepage = "https://github.com/lumen-ai/Lumen"
Documentation = "https://github.com/lumen-ai/Lumen/tree/main/docs"

[tool.setuptools.packages.find]
include = ["lumen*"]

[tool.ruff]
line-length = 100

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

LUMEN_INIT = '''\
"""Reference code for the Lumen bilingual language models."""

from .modeling import LumenConfig, RMSNorm, rotary_frequencies
from .tokenizer import SPECIAL_TOKENS, normalize

__all__ = ["SPECIAL_TOKENS", "LumenConfig", "RMSNorm", "normalize", "rotary_frequencies"]
__version__ = "0.1.0.dev0"
'''

MODELING = '''\
"""Reference PyTorch implementation of the Lumen decoder.

The implementation favours readability over speed; use the Hugging Face integration for inference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class LumenConfig:
    """Hyper-parameters mirrored from ``config.json``."""

    vocab_size: int = 100352
    hidden_size: int = 2048
    intermediate_size: int = 6144
    num_hidden_layers: int = 28
    num_attention_heads: int = 16
    num_key_value_heads: int = 4
    max_position_embeddings: int = 4096
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-6

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads


class RMSNorm(nn.Module):
    """Root-mean-square layer norm without bias, as in LLaMA."""

    def __init__(self, dim: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        variance = x.float().pow(2).mean(-1, keepdim=True)
        x = x * torch.rsqrt(variance + self.eps)
        return self.weight * x.to(self.weight.dtype)


def rotary_frequencies(dim: int, end: int, theta: float = 10000.0) -> torch.Tensor:
    """Precompute the rotary embedding angles for positions ``0..end-1``."""
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2).float() / dim))
    positions = torch.arange(end, dtype=torch.float32)
    return torch.outer(positions, freqs)


def attention_scale(head_dim: int) -> float:
    """Softmax temperature used by every attention layer."""
    return 1.0 / math.sqrt(head_dim)
'''

ROTARY_SIGNATURE = (
    "def rotary_frequencies(dim: int, end: int, theta: float = 10000.0) -> torch.Tensor:\n"
    '    """Precompute the rotary embedding angles for positions ``0..end-1``."""\n'
)
# After the v0.1.0 fix, positions are divided by ``scale`` (renamed ``factor`` in v0.3.0).
ROTARY_SIGNATURE_SCALED = (
    "def rotary_frequencies(\n    dim: int, end: int, theta: float = 10000.0, scale: float = 1.0\n) -> torch.Tensor:\n"
    '    """Precompute the rotary embedding angles for positions ``0..end-1``.\n\n'
    "    ``scale`` > 1 applies linear position interpolation beyond the trained context.\n"
    '    """\n'
)

FLASH_CHECK = '''

def flash_attention_available() -> bool:
    """flash-attn is optional; the reference path must keep working without it."""
    try:
        import flash_attn  # noqa: F401
    except ImportError:
        return False
    return torch.cuda.is_available()
'''

FLASH_ATTENTION = '''

def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Use the fused kernel when available and fall back to PyTorch SDPA otherwise."""
    if flash_attention_available():
        from flash_attn import flash_attn_func

        return flash_attn_func(q, k, v, causal=True)
    return nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
'''

SPECIAL_TOKENS_LINE = 'SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")\n'
NORMALIZE_RETURN = '    return unicodedata.normalize("NFKC", text)\n'

TOKENIZER = '''\
"""Helpers around the Hugging Face tokenizer with the conventions Lumen was trained with."""

from __future__ import annotations

import unicodedata

SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")


def is_cjk(char: str) -> bool:
    """Return True for CJK Unified Ideographs, which the tokenizer never merges with Latin text."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF


def normalize(text: str) -> str:
    """Apply the normalisation used during pre-training: NFKC, no lower-casing."""
    return unicodedata.normalize("NFKC", text)
'''

TEST_MODELING = """\
import torch

from lumen.modeling import LumenConfig, RMSNorm, rotary_frequencies


def test_head_dim():
    assert LumenConfig().head_dim == 128


def test_rms_norm_preserves_shape():
    norm = RMSNorm(8)
    x = torch.randn(2, 3, 8)
    assert norm(x).shape == x.shape


def test_rotary_frequencies_shape():
    assert rotary_frequencies(64, 16).shape == (16, 32)
"""

TEST_TOKENIZER = """\
from lumen.tokenizer import is_cjk, normalize


def test_is_cjk():
    assert is_cjk("中")
    assert not is_cjk("a")


def test_normalize_fullwidth_digits():
    assert normalize("１２３") == "123"
"""

REQUIREMENTS_DEV = """\
numpy==1.26.3
pytest==8.0.0
ruff==0.2.1
safetensors==0.4.2
torch==2.2.0
transformers==4.37.2
"""

CI_WORKFLOW = """\
name: CI

on:
  push:
    branches: [main]
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.8", "3.9", "3.10", "3.11"]
    steps:
      - uses: actions/checkout@v3
      - uses: actions/setup-python@v4
        with:
          python-version: ${{ matrix.python-version }}
      - name: Install
        run: pip install -r requirements-dev.txt -e .
      - name: Test
        run: pytest -q
"""

CODEOWNERS_TOKENIZER = "/lumen/tokenizer.py    @chenjing-ml @lina-nlp\n"
CODEOWNERS = """\
# Review requests are assigned automatically from this file.
*                      @lumen-ai/maintainers
/lumen/tokenizer.py    @chenjing-ml @lina-nlp
/docs/zh/              @wangfang-docs @chenjing-ml
*.safetensors          @zhangwei-ai
"""

CONTRIBUTING = """\
# Contributing to Lumen

Thanks for your interest in Lumen! Issues and pull requests in English or Chinese are both welcome.

## Pull requests

- Open an issue first for large changes so we can agree on the design.
- Keep each pull request focused. Pull requests are **squash-merged**, so the pull request title
  becomes the commit message on `main`; please make it descriptive.
- You will recieve a review from the code owners listed in `.github/CODEOWNERS`.

## Running the tests

```bash
python -m venv .venv && . .venv/bin/activate
pip install -r requirements-dev.txt -e .
pytest -q
```

## Model weights

Do not commit real checkpoints. `model.safetensors` is a toy checkpoint for the tests only.
"""

CHANGELOG_101 = """\
## [1.0.1] - 2025-01-14

- Fixed the EOS token id, chat template whitespace and CRLF handling.

"""

CHANGELOG = """\
# Changelog

All notable changes to this project are documented in this file. The format is based on
[Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

## [Unreleased]

- Initial model card, configuration files and reference implementation.
"""

MODEL_LICENSE = """\
Lumen Model License v1
======================

Copyright 2024 Lumen AI contributors

This license governs the use of the Lumen model weights ("the Model"). The source code in this
repository is licensed separately under the Apache License 2.0 (see LICENSE).

1. Grant. You may use, copy, modify, fine-tune and redistribute the Model, and models derived from
   it, for any purpose, including commercial purposes, subject to the conditions below.

2. Attribution. If you distribute the Model or a derivative, or offer a product or service built on
   it, you must display the notice "Built with Lumen" in its documentation or user interface, and
   keep a copy of this license with any copy of the weights you distribute.

3. Use restrictions. You must not use the Model or its derivatives:
   a. to violate applicable law or the rights of others;
   b. to generate or spread disinformation intended to deceive or harm people;
   c. to make fully automated decisions that have a legal or similarly significant effect on an
      individual without meaningful human review;
   d. to harass, threaten or discriminate against individuals or groups.
   Any license you grant for a derivative must include these restrictions.

4. No warranty. The Model is provided "AS IS", without warranties or conditions of any kind. You are
   solely responsible for determining whether your use of the Model is appropriate.

5. Termination. Your rights under this license end automatically if you breach it. Sections 3 and 4
   survive termination.
"""

CONVERT_SCRIPT = '''\
"""Convert a training checkpoint into the Hugging Face layout.

Usage: python scripts/convert.py --input ckpt/ --output out/
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
from safetensors.torch import save_file

RENAMES = {
    "tok_embeddings.weight": "model.embed_tokens.weight",
    "norm.weight": "model.norm.weight",
    "output.weight": "lm_head.weight",
}


def rename(key: str) -> str:
    """Map our training checkpoint names to the transformers naming scheme."""
    if key in RENAMES:
        return RENAMES[key]
    return "model." + key.replace("attention.", "self_attn.").replace("feed_forward.", "mlp.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    state = torch.load(args.input / "consolidated.pt", map_location="cpu")
    args.output.mkdir(parents=True, exist_ok=True)
    save_file({rename(k): v.contiguous() for k, v in state.items()}, str(args.output / "model.safetensors"))


if __name__ == "__main__":
    main()
'''

DOCS_INDEX = """\
# Lumen documentation

Lumen is a family of open bilingual language models. These pages explain how to run, evaluate and
fine-tune **Lumen-1.8B**.

- [Quickstart](quickstart.md)
- [Model card](../README.md)
"""

DOCS_QUICKSTART = """\
# Quickstart

## Installation

```bash
pip install "transformers>=4.37" torch
```

## Generate text

```python
from transformers import pipeline

generator = pipeline("text-generation", model="lumen-ai/Lumen-1.8B", torch_dtype="auto")
print(generator("Once upon a time", max_new_tokens=40)[0]["generated_text"])
```

If an error occured while downloading, check that you accepted the model license on the Hub.
"""

DOCS_FINETUNING = """\
# Fine-tuning

Lumen-1.8B is small enough to fine-tune on a single 24 GB GPU with LoRA.

## Data format

Training data is a JSON Lines file with one conversation per line, in the same format as the chat
template expects:

```json
{"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]}
```

## LoRA

We recommend rank 16 adapters on all attention and MLP projections. Mixing in 10% general
langauge data avoids catastrophic forgetting of English or Chinese.
"""

DOCS_ZH_QUICKSTART = """\
# 快速开始

## 安装

```bash
pip install "transformers>=4.40" torch
```

## 生成文本

```python
from transformers import pipeline

generator = pipeline("text-generation", model="lumen-ai/Lumen-1.8B", torch_dtype="auto")
print(generator("从前有一座山，", max_new_tokens=40)[0]["generated_text"])
```

如果下载失败，请先在 Hugging Face Hub 上同意模型许可证。
"""

DOCS_FAQ = """\
# Frequently asked questions

## Where are the real weights?

On the Hugging Face Hub at `lumen-ai/Lumen-1.8B`. The `model.safetensors` file in this repository is
a toy checkpoint for the tests.
"""

DOCS_CONFIGURATION = """\
# Configuration reference

This page documents the fields of `config.json`.
"""

EXAMPLE_GENERATE = '''\
"""Minimal generation example: python examples/generate.py "Your prompt" """

from __future__ import annotations

import sys

from transformers import AutoModelForCausalLM, AutoTokenizer

MODEL = "lumen-ai/Lumen-1.8B"


def main(prompt: str) -> None:
    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    model = AutoModelForCausalLM.from_pretrained(MODEL, torch_dtype="auto")
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, max_new_tokens=128)
    print(tokenizer.decode(output[0], skip_special_tokens=True))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "The meaning of life is")
'''

DOWNLOAD_SCRIPT = """\
#!/usr/bin/env bash
# Download the released weights next to this repository's configuration files.
set -euo pipefail
huggingface-cli download lumen-ai/Lumen-1.8B --include "*.safetensors" --local-dir "${1:-.}"
"""

EVAL_README = """\
# Evaluation harness

`run_eval.py` evaluates a checkpoint on the tasks described in `tasks/*.yaml`.

```bash
python eval/run_eval.py --model lumen-ai/Lumen-1.8B --tasks mmlu
```

## Tasks

- `mmlu`: MMLU (5-shot)
"""

EVAL_RUNNER = '''\
"""Run the benchmark tasks in eval/tasks against a checkpoint."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

TASKS = Path(__file__).parent / "tasks"


def load_task(name: str) -> dict:
    """Task files are plain YAML so that non-Python tools can read them too."""
    with open(TASKS / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--tasks", default="mmlu")
    args = parser.parse_args()
    for name in args.tasks.split(","):
        task = load_task(name)
        print(f"{args.model}: {task['name']} ({task['num_fewshot']}-shot)")


if __name__ == "__main__":
    main()
'''


def eval_task(name: str, dataset: str, shots: int, metric: str) -> str:
    return f"""\
name: {name}
dataset: {dataset}
split: test
num_fewshot: {shots}
metric: {metric}
generation:
  do_sample: false
  max_new_tokens: 256
"""


NIGHTLY_WORKFLOW = """\
name: Nightly eval

on:
  schedule:
    - cron: "0 2 * * *"
  workflow_dispatch:

permissions:
  contents: write

jobs:
  eval:
    runs-on: [self-hosted, gpu]
    steps:
      - uses: actions/checkout@v4
      - run: python eval/run_eval.py --model lumen-ai/Lumen-1.8B --tasks mmlu,ceval,gsm8k >> eval/results.csv
      - run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git commit -am "Update nightly eval results [skip ci]" && git push
"""

EVAL_RESULTS = "date,benchmark,score\n"

DEPENDABOT = """\
version: 2
updates:
  - package-ecosystem: pip
    directory: "/"
    schedule:
      interval: weekly
  - package-ecosystem: github-actions
    directory: "/"
    schedule:
      interval: monthly
"""

PRE_COMMIT = """\
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.3.0
    hooks:
      - id: ruff
      - id: ruff-format
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.5.0
    hooks:
      - id: end-of-file-fixer
      - id: trailing-whitespace
"""


_CITATION_AUTHORS = (("Zhang", "Wei"), ("Li", "Na"), ("Chen", "Jing"), ("Chen", "Alex"))


def _cff_authors(indent: str) -> str:
    return "".join(
        f"{indent}- family-names: {family}\n{indent}  given-names: {given}\n" for family, given in _CITATION_AUTHORS
    )


def citation_cff(version: str, released: str) -> str:
    return f"""\
cff-version: 1.2.0
message: "If you use Lumen in your research, please cite it as below."
title: "Lumen: Open Bilingual Language Models"
type: software
authors:
{_cff_authors("  ")}version: {version}
date-released: "{released}"
license: Apache-2.0
repository-code: "https://github.com/lumen-ai/Lumen"
preferred-citation:
  type: article
  title: "Lumen: Open Bilingual Language Models"
  authors:
{_cff_authors("    ")}  journal: "arXiv preprint arXiv:{ARXIV_ID}"
  year: 2024
  url: "{ARXIV_URL}"
"""


def notebook_cell(cell_id: str, kind: str, source: str) -> dict[str, object]:
    lines = source.splitlines(keepends=True)
    cell: dict[str, object] = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": lines}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


NOTEBOOK = dump_json(
    "notebooks/quickstart.ipynb",
    {
        "cells": [
            notebook_cell(
                "a1f0c2d4", "markdown", "# Quickstart\n\nRun Lumen-1.8B with 🤗 Transformers in a few lines."
            ),
            notebook_cell("b7e3d901", "code", "!pip install -q transformers torch"),
            notebook_cell(
                "c42d8e17",
                "code",
                "from transformers import AutoModelForCausalLM, AutoTokenizer\n\n"
                'tokenizer = AutoTokenizer.from_pretrained("lumen-ai/Lumen-1.8B")\n'
                'model = AutoModelForCausalLM.from_pretrained("lumen-ai/Lumen-1.8B", torch_dtype="auto")',
            ),
            notebook_cell(
                "d9a6b350",
                "code",
                'inputs = tokenizer("北京是", return_tensors="pt")\n'
                "print(tokenizer.decode(model.generate(**inputs, max_new_tokens=32)[0]))",
            ),
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    },
)

GENERATION = '''\
"""Sampling utilities shared by the examples and the evaluation harness."""

from __future__ import annotations

import torch


def sample(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Sample one token id per row; temperature 0 means greedy decoding."""
    if temperature == 0:
        return logits.argmax(dim=-1)
    probs = torch.softmax(logits / temperature, dim=-1)
    return torch.multinomial(probs, num_samples=1).squeeze(-1)
'''

TEST_GENERATION = """\
import torch

from lumen.generation import sample


def test_greedy_sampling():
    assert sample(torch.tensor([[0.1, 2.0, 0.3]]), temperature=0).item() == 1
"""

LEADERBOARD = """\
# Checkpoint leaderboard

Scores of intermediate pre-training checkpoints on the core tasks, measured with `run_eval.py`.

| Checkpoint | MMLU | C-Eval | GSM8K |
|---|---:|---:|---:|
"""

DOCKERFILE = """\
FROM pytorch/pytorch:2.2.0-cuda12.1-cudnn8-runtime

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e .

CMD ["python", "examples/generate.py"]
"""

DOCS_DEPLOYMENT = """\
# Deployment

## Docker

```bash
docker build -t lumen .
docker run --gpus all lumen python examples/generate.py "Hello"
```
"""

DOCS_COMMUNITY = """\
# Community models

Models built on Lumen by the community. Open a pull request to add yours.

| Model | Description |
|---|---|
"""

DOCS_ARCHITECTURE = """\
# Architecture

```mermaid
graph TD
  E[Embedding] --> L[28 x decoder layer]
  L --> N[RMSNorm]
  N --> H[LM head]
```

Each decoder layer is pre-norm attention with rotary embeddings followed by a SwiGLU MLP.
"""

EXAMPLE_QUANTIZE = '''\
"""Quantize Lumen to 4 bits with bitsandbytes."""

from transformers import AutoModelForCausalLM, BitsAndBytesConfig

config = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype="bfloat16")
model = AutoModelForCausalLM.from_pretrained("lumen-ai/Lumen-1.8B", quantization_config=config)
model.save_pretrained("lumen-1.8b-int4")
'''

DOCS_GLOSSARY = """\
# Glossary

**GQA**: grouped-query attention; several query heads share one key/value head.

**RoPE**: rotary position embeddings.

**SwiGLU**: the gated feed-forward activation used by Lumen.
"""

DOCS_PROMPTS = """\
# Prompt gallery

Prompts that work well with the base model. Lumen is not instruction-tuned, so phrase prompts as
the beginning of a document.
"""

SPECULATIVE = '''\
"""Speculative decoding: a small draft model proposes, Lumen verifies."""

from __future__ import annotations

import torch


def accept(draft: torch.Tensor, target: torch.Tensor) -> int:
    """Length of the longest prefix on which draft and target agree."""
    agree = (draft == target).int().cumprod(dim=-1)
    return int(agree.sum())
'''

TEST_SPECULATIVE = """\
import torch

from lumen.speculative import accept


def test_accept_prefix():
    assert accept(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4])) == 2
"""

DOCS_JA_QUICKSTART = """\
# クイックスタート

```python
from transformers import pipeline

generator = pipeline("text-generation", model="lumen-ai/Lumen-1.8B")
```
"""

TEST_LONG_CONTEXT = """\
from lumen.modeling import LumenConfig


def test_default_context_is_8k():
    assert LumenConfig().max_position_embeddings == 8192
"""

SECURITY = """\
# Security policy

Please report vulnerabilities privately to security@lumen-ai.org. We aim to reply within five
working days.
"""

README_PT = """\
# Lumen-1.8B

Lumen-1.8B é um modelo de linguagem bilíngue (inglês e chinês) com 1,8 bilhão de parâmetros.
"""

TEST_EVAL = """\
import subprocess
import sys


def test_run_eval_help():
    subprocess.run([sys.executable, "eval/run_eval.py", "--help"], check=True)
"""

EXAMPLE_SERVER = '''\
"""Serve Lumen behind an OpenAI-compatible API (draft)."""

from fastapi import FastAPI

app = FastAPI()


@app.post("/v1/completions")
def complete(body: dict) -> dict:
    raise NotImplementedError
'''
