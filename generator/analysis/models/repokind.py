"""What a repository is — a model, code for its own model, a library, a collection, a dataset — from its files.

A card that gives a fine-tuning library "Parameters: 3,000,000,000" (a row of a memory table about some
other model) or a weights row misleads: the library has neither. So before a size or a weights licence is
stated, the repository's kind is decided from evidence a reader can check, each piece with its file:

- **model**: weights files in the tree, or a root ``config.json`` that names an architecture;
- **model code**: no weights, but files that only a model's own repository carries: a licence for
  model weights (``LICENSE-MODEL``, or a licence text granting "model weights"), a ``MODEL_CARD.md``,
  Hub model-card metadata, or architecture configs (``inference/configs/config_671B.json``);
- **collection**: no root model, but several sub-folders each with a model ``config.json``;
- **dataset**: Hub dataset-card metadata (``task_categories``, ``dataset_info``…);
- **training library** / **inference code**: a Python package (``pyproject.toml``, ``setup.py``, a package
  folder) with training or fine-tuning entry points, or with inference or serving ones, and none of the
  model evidence above.

Precision before recall: when the evidence is weaker than that, the kind is ``unknown`` and the page
says "not stated", never a guess. Pure functions over paths and a few decoded blobs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from typing import Any

from generator.analysis.licences.files import scope_of
from generator.analysis.models.architecture import read_architecture
from generator.analysis.models.weights import is_weights_file
from generator.model.licences import WEIGHTS
from generator.model.models import (
    COLLECTION,
    DATASET,
    INFERENCE,
    MODEL,
    MODEL_CODE,
    TRAINING,
    UNKNOWN,
    RepoKind,
)
from generator.sources.files.filekinds import is_licence_file
from generator.text.untrusted import load_json

#: Folders whose configs are fixtures or examples, not the repository's own model.
_NOT_OWN = re.compile(
    r"(?:^|/)(?:tests?|testing|examples?|fixtures?|docs?|benchmarks?|scripts|third_party|vendor)/")
#: A licence text that grants model weights (Llama's and Qwen's licence agreements: "trained model weights").
_WEIGHTS_GRANT = re.compile(r"\b(?:trained\s+)?model\s+weights\b", re.IGNORECASE)
#: Hub model-card metadata keys (a dataset card has none of them).
_MODEL_CARD_KEYS = ("pipeline_tag", "base_model", "model-index", "library_name")
_DATASET_CARD_KEYS = ("task_categories", "dataset_info", "size_categories", "source_datasets")
#: Training or fine-tuning entry points and packages, by file or folder name (``train.py``, ``fastchat/train/``,
#: ``src/peft/tuners/``).
_TRAINING_PATH = re.compile(
    r"(?:^|/)(?:(?:pre)?train(?:er|ing)?|fine_?tun(?:e|ing)|finetune|tuners|sft|dpo|rlhf)(?:/|\.py$)", re.IGNORECASE)
_SERVING_PATH = re.compile(
    r"(?:^|/)(?:serve|server|serving|inference|generate|generation|openai_api|api_server|cli_demo|web_demo)"
    r"(?:/|\.py$)", re.IGNORECASE)
#: A root file whose name says it is a licence, whatever else it says ("Tongyi Qianwen LICENSE AGREEMENT").
_LICENCE_NAMED = re.compile(r"licen[cs]e", re.IGNORECASE)
_PACKAGE_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
_DESCRIPTION = re.compile(r"""^\s*description\s*[=:]\s*["']([^"'\n]{1,200})["']""", re.MULTILINE)
_TRAINING_WORDS = re.compile(r"\b(?:fine-?tun\w*|train\w*)\b", re.IGNORECASE)
#: Files whose names say they may hold a model's architecture: read wherever they are.
_CONFIG_NAME = re.compile(r"(?:^|/)[^/]*(?:config|params)[^/]*\.json$", re.IGNORECASE)
_NOT_ARCHITECTURE = ("tokenizer_config.json", "generation_config.json", "adapter_config.json",
                     "preprocessor_config.json", "quantize_config.json")


def may_hold_architecture(path: str) -> bool:
    """A JSON file worth reading for a model's shape (``config.json``, ``configs/config_671B.json``,
    ``params.json``), wherever it is; the build reads these small blobs."""
    return bool(_CONFIG_NAME.search(path)) and posixpath.basename(path) not in _NOT_ARCHITECTURE


def worth_reading(path: str) -> bool:
    """Files the kind and the sizes are read from, beyond a model's usual ones: configs that may hold an
    architecture (any folder), and root files named as licences in any way."""
    return may_hold_architecture(path) or ("/" not in path and bool(_LICENCE_NAMED.search(path))
                                           and posixpath.splitext(path)[1].lower() in ("", ".md", ".txt"))


def architecture_configs(texts: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """Every config among ``texts`` (path → text) that states a shape the parameter count reads, outside
    tests and examples, by path."""
    found = []
    for path in sorted(texts):
        if not may_hold_architecture(path) or _NOT_OWN.search(path):
            continue
        try:
            config = load_json(texts[path])
        except ValueError:
            continue
        if isinstance(config, dict) and read_architecture(config)[0] is not None:
            found.append((path, config))
    return found


def repo_kind(paths: Iterable[str], texts: Mapping[str, str], metadata: Mapping[str, Any],
              model_folders: Iterable[str] = ()) -> RepoKind:
    """The repository's kind and the evidence for it.

    ``paths`` are every path at HEAD; ``texts`` the decoded blobs the build read (README, licence files,
    ``pyproject.toml``/``setup.py``, configs); ``metadata`` the README's front matter; ``model_folders``
    the sub-folders with a model ``config.json``.
    """
    paths = list(paths)
    folders = sorted(model_folders)
    homes = {"", *folders}
    weights = [p for p in paths if is_weights_file(p) and posixpath.dirname(p) in homes]
    root_config = _json_object(texts.get("config.json"))
    if weights or (root_config is not None and _names_architecture(root_config)):
        evidence = [(f"weights file{'s' if len(weights) > 1 else ''} in the tree", ", ".join(weights[:3])
                     + (", …" if len(weights) > 3 else ""))] if weights else []
        if root_config is not None and _names_architecture(root_config):
            evidence.append(("a model config (architecture stated)", "config.json"))
        return RepoKind(MODEL, evidence)
    if len(folders) >= 2:
        return RepoKind(COLLECTION, [("a model config.json in each of several folders",
                                      ", ".join(f"{folder}/config.json" for folder in folders))])
    if any(key in metadata for key in _DATASET_CARD_KEYS) and not any(key in metadata for key in _MODEL_CARD_KEYS):
        keys = [key for key in _DATASET_CARD_KEYS if key in metadata]
        return RepoKind(DATASET, [(f"Hub dataset-card metadata ({', '.join(keys)})", "README.md")])
    own = _own_model_evidence(paths, texts, metadata)
    if own:
        return RepoKind(MODEL_CODE, own)
    package = _package_evidence(paths, texts)
    if package:
        training = _entry_points(paths, _TRAINING_PATH)
        described = _description(texts)
        serving = _entry_points(paths, _SERVING_PATH)
        if training or (described and _TRAINING_WORDS.search(described[0])):
            evidence = [*package, *([(f"the package describes itself: “{described[0]}”", described[1])]
                                    if described else []),
                        *[("training or fine-tuning code", path) for path in training],
                        *[("inference or serving code", path) for path in serving]]
            return RepoKind(TRAINING, evidence)
        if serving:
            return RepoKind(INFERENCE, [*package, *[("inference or serving code", path) for path in serving]])
    return RepoKind(UNKNOWN)


def _json_object(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data = load_json(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _names_architecture(config: Mapping[str, Any]) -> bool:
    return "architectures" in config or "model_type" in config or read_architecture(config)[0] is not None


def _own_model_evidence(paths: list[str], texts: Mapping[str, str], metadata: Mapping[str, Any]
                        ) -> list[tuple[str, str]]:
    evidence = []
    for path in paths:
        if "/" in path or not (is_licence_file(path) or _LICENCE_NAMED.search(path)):
            continue
        if scope_of(path) == WEIGHTS:
            evidence.append(("a licence for the model (named so)", path))
        elif _WEIGHTS_GRANT.search(texts.get(path, "")[:100_000]):
            evidence.append(("a licence whose text grants model weights", path))
    if "MODEL_CARD.md" in paths:
        evidence.append(("a model card", "MODEL_CARD.md"))
    keys = [key for key in _MODEL_CARD_KEYS if key in metadata]
    if keys:
        evidence.append((f"Hub model-card metadata ({', '.join(keys)})", "README.md"))
    configs = [path for path, _ in architecture_configs(texts) if path != "config.json"]
    if configs:
        evidence.append((f"model config{'s' if len(configs) > 1 else ''} (architecture stated)",
                         ", ".join(configs[:4]) + (", …" if len(configs) > 4 else "")))
    return evidence


def _package_evidence(paths: list[str], texts: Mapping[str, str]) -> list[tuple[str, str]]:
    declared = [(f"a Python package ({name})", name) for name in _PACKAGE_FILES if name in paths]
    if declared:
        return declared[:1]
    sizes: dict[str, int] = {}
    for path in paths:
        top = path.split("/")[0]
        if path.endswith(".py") and top not in ("tests", "test", "docs", "examples", "scripts", "tools"):
            sizes[top] = sizes.get(top, 0) + 1
    packages = sorted((top for top in sizes if f"{top}/__init__.py" in paths), key=lambda top: -sizes[top])
    return [(f"a Python package folder ({top}/)", f"{top}/__init__.py") for top in packages[:1]]


def _entry_points(paths: list[str], pattern: re.Pattern[str]) -> list[str]:
    """The first few paths (outside tests and examples) that the pattern names, one per folder."""
    found: dict[str, None] = {}
    for path in sorted(paths, key=lambda p: (p.count("/"), p)):
        match = pattern.search(path) if path.endswith(".py") and not _NOT_OWN.search(path) else None
        if match:
            found[path[:match.end()]] = None  # a folder (``fastchat/train/``) once, not each of its files
    return list(found)[:3]


def _description(texts: Mapping[str, str]) -> tuple[str, str] | None:
    for name in _PACKAGE_FILES:
        match = _DESCRIPTION.search(texts.get(name, ""))
        if match:
            return " ".join(match.group(1).split()), name
    return None
