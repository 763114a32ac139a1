"""Facts from model files: real safetensors headers, odd READMEs, broken JSON and YAML."""

from __future__ import annotations

import json

import numpy as np
from safetensors.numpy import save

from generator.analysis.models.facts import (
    config_facts,
    front_matter,
    lfs_pointer_size,
    parse_config,
    title_and_description,
)
from generator.analysis.models.weights import safetensors_parameters
from generator.model.errors import Finding


def test_parameter_count_of_a_real_safetensors_file() -> None:
    data = save({"a": np.zeros((3, 4), dtype=np.float32), "b": np.ones((5,), dtype=np.float16)}, {"format": "pt"})
    assert safetensors_parameters(data, "m.safetensors", []) == 17


def test_broken_safetensors_headers_are_findings() -> None:
    findings: list[Finding] = []
    too_long = (10_000).to_bytes(8, "little") + b"{}"
    cut = (20).to_bytes(8, "little") + b'{"a": {"dtype": "F3'
    wrong = (2).to_bytes(8, "little") + b"[]"
    for data in (b"abc", too_long, cut, wrong):
        assert safetensors_parameters(data, "w.safetensors", findings) is None
    assert len(findings) == 4 and all(f.where == "w.safetensors" for f in findings)
    assert "exceeds the file size" in findings[1].message


def test_lfs_pointer() -> None:
    pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 1234567\n"
    assert lfs_pointer_size(pointer) == 1234567
    assert lfs_pointer_size(b"not a pointer") is None


def test_front_matter_errors_name_file_and_line() -> None:
    findings: list[Finding] = []
    assert front_matter("---\nlicense: mit\n---\n# X\n", "README.md", findings) == {"license": "mit"}
    assert front_matter("---\nlicense: [mit\nother: 1\n---\n", "README.md", findings) == {}
    assert front_matter("---\n- a\n- b\n---\n", "README.md", findings) == {}
    assert front_matter("---\n!!python/object:os.system x\n---\n", "README.md", findings) == {}
    assert [f.where.split(":")[0] for f in findings] == ["README.md"] * 3
    assert findings[0].where.startswith("README.md:") and "not valid YAML" in findings[0].message
    assert "not a mapping" in findings[1].message


def test_config_with_other_key_styles_and_bad_json() -> None:
    findings: list[Finding] = []
    config = parse_config(json.dumps({"dim": 4096, "n_layers": 32, "n_heads": 32, "vocab_size": -1}), "params.json",
                          findings)
    assert config is not None
    facts = config_facts(config, "params.json")
    assert [(f.label, f.value, f.source) for f in facts] == [
        ("Layers", "32", "params.json → n_layers"),
        ("Hidden size", "4096", "params.json → dim"),
        ("Attention heads", "32", "params.json → n_heads"),
        ("Vocabulary", "-1", "params.json → vocab_size"),
    ]
    assert parse_config('{"a": 1,\n oops}', "config.json", findings) is None
    assert findings[0].where == "config.json:2"


def test_readme_title_and_description_skip_badges_and_markup() -> None:
    readme = (
        "---\nlicense: mit\n---\n<p align='center'><img src='logo.png'></p>\n\n# Qwen **2**\n\n"
        "[![CI](https://x/badge.svg)](https://x) · [Docs](https://y)\n\n"
        "A *bilingual* model with [docs](https://y) and `code`.\n\nMore.\n"
    )
    assert title_and_description(readme) == ("Qwen 2", "A bilingual model with docs and code.")
