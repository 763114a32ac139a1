"""The model card: the sections readers and the Hub expect, filled only from what the repository says.

Sections follow the Hugging Face card template and "Model Cards for Model Reporting" (Mitchell et
al., 2019). Each is found from facts Almanac read (front matter, config, weights, citation) or from a
heading of the README, its translations or a ``MODEL_CARD.md`` that means it, in English or Chinese
(see :mod:`generator.analysis.models.cardsections`: "Quickstart" or "Usage" is no intended use). Nothing is invented:
a section with no evidence says "not stated in the repository", and the completeness score counts
what is there, weighted by how much a reader needs it. A library or a training framework is not a
model: its card has no score and is asked only for its licence and citation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.analysis.models.cardsections import (
    _HEADING as _HEADING,  # the pattern tests/security compares with the old one
)
from generator.analysis.models.cardsections import (
    heading_means,
    names_with_subject,
    qualified_deployment,
    section_headings,
)
from generator.model.models import CardSection, Heading, ModelCard
from generator.model.provenance import Fact

NOT_STATED = "not stated in the repository"


@dataclass(frozen=True, slots=True)
class SectionRule:
    title: str
    #: Share of the completeness score.
    weight: int
    #: What a heading (lower case, numbering and markup removed) says to name this section, whole or
    #: as every part of it ("Ethical Considerations and Limitations"); see
    #: :mod:`generator.analysis.models.cardsections`.
    headings: frozenset[str] = frozenset()
    #: Front matter keys that state it.
    metadata: tuple[str, ...] = ()
    #: Labels of facts that state it (prefix match).
    facts: tuple[str, ...] = ()
    #: Only a model has it: a library or a training framework is not asked for it.
    model_only: bool = True
    #: Headings that name it only in a model's repository: a model repository's "Introduction" is
    #: about the model, a library's is about the library.
    model_repo_headings: frozenset[str] = frozenset()
    #: Words that name it when followed by what it is about: "Citing 🤗 PEFT".
    leading: tuple[str, ...] = ()


def _terms(*words: str) -> frozenset[str]:
    return frozenset(words)


SECTIONS = (
    SectionRule("Model details", 20, _terms(
        "model details", "model description", "model summary",
        "model information", "model overview", "model architecture", "architecture",
        "模型信息", "模型介绍", "模型简介", "模型概述", "模型概览", "模型详情", "模型架构", "模型结构"),
        ("base_model", "library_name", "pipeline_tag"), ("Architecture", "Layers", "Parameters", "Sizes"),
        model_repo_headings=_terms("introduction", "介绍", "简介", "概述")),
    SectionRule("Intended use", 15, _terms(
        "intended use", "intended uses", "intended use cases", "primary intended uses", "uses", "use cases",
        "direct use", "downstream use", "out-of-scope use", "out-of-scope uses", "out of scope use",
        "用途", "预期用途", "使用场景", "适用场景", "应用场景"), ("pipeline_tag",), ("Intended use",)),
    SectionRule("Training data", 15, _terms(
        "training data", "training dataset", "training datasets", "pretraining data", "pre-training data",
        "training corpus", "fine-tuning data", "finetuning data", "training details",
        "训练数据", "预训练数据", "训练语料", "训练数据集"), ("datasets",), ("Training data",)),
    SectionRule("Evaluation", 15, _terms(
        "evaluation", "evaluations", "evaluation results", "evaluation result", "results", "benchmarks",
        "benchmark", "benchmark results", "performance", "model performance",
        "评测", "评测结果", "评测表现", "评估", "评估结果", "测评", "测评结果", "模型性能", "性能"),
        ("model-index",), ("Results",)),
    SectionRule("Limitations and ethical considerations", 15, _terms(
        "limitations", "limitation", "bias", "biases", "risks", "risk", "ethical considerations", "ethics",
        "safety", "responsibility", "responsible use", "responsible ai", "caveats",
        "局限", "局限性", "偏见", "风险", "安全", "安全性", "伦理"), (), ("Limitations",)),
    SectionRule("Licence", 10, _terms(
        "license", "licence", "licenses", "licences", "license agreement", "licence agreement", "licensing",
        "terms of use", "许可", "许可证", "许可协议", "协议", "使用协议", "开源协议"),
        ("license",), ("Licence",), model_only=False),
    SectionRule("How to cite", 5, _terms(
        "citation", "citations", "cite", "how to cite", "citing", "cite us", "bibtex", "citation instructions",
        "引用", "如何引用", "引用格式"), (), ("Citation",), model_only=False,
        leading=("citing", "how to cite", "cite", "citation", "citations", "引用")),
    SectionRule("Deployment", 5, _terms(
        "deployment", "deploy", "hardware", "software", "hardware requirements", "hardware requirement",
        "system requirements", "memory requirements", "gpu requirements", "inference efficiency",
        "inference performance", "inference speed", "how to run locally", "run locally", "running locally",
        "local deployment", "本地部署", "本地运行",
        "部署", "硬件需求", "硬件要求", "系统要求", "推理性能", "推理速度", "显存占用"), (), ("Weights at",)),
)


def is_card_file(name: str) -> bool:
    """``MODEL_CARD.md``, ``model_card.md``, ``MODELCARD.md``: a model card kept beside the README."""
    return bool(re.fullmatch(r"model[_-]?card\.md", name, re.IGNORECASE))


def readme_headings(text: str, path: str = "README.md") -> list[Heading]:
    """The headings of a README or a card file that have something under them (see
    :func:`generator.analysis.models.cardsections.section_headings`)."""
    return section_headings(text, path)


def build_card(metadata: Mapping[str, Any], facts: Sequence[Fact], headings: Sequence[Heading],
               library: bool = False) -> ModelCard:
    sections: list[CardSection] = []
    for rule in SECTIONS:
        section = CardSection(rule.title, rule.weight, model_only=rule.model_only)
        section.metadata = [(key, _shown(key, metadata[key])) for key in rule.metadata if metadata.get(key)]
        section.facts = [fact for fact in facts if fact.label.startswith(rule.facts)] if rule.facts else []
        # A library's "Evaluation" or "Hardware Requirement" is about what the library does, not a model.
        wanted = [] if library and rule.model_only else headings
        terms = rule.headings if library else rule.headings | rule.model_repo_headings
        matched = [heading for heading in wanted if heading_means(heading.text, terms)
                   or (rule.title == "Deployment" and qualified_deployment(heading.text))
                   or (rule.leading and names_with_subject(heading.text, rule.leading))]
        section.headings = [heading for heading in matched if not any(_inside(heading, outer) for outer in matched)]
        sections.append(section)
    return ModelCard(sections, library)


def _inside(heading: Heading, outer: Heading) -> bool:
    """A sub-heading of a heading that states the same section ("Base Model" under "Evaluation Results")."""
    file, _, _ = heading.where.rpartition(":")
    outer_file, _, _ = outer.where.rpartition(":")
    return (heading is not outer and file == outer_file and outer.span[0] < heading.span[0]
            and heading.span[1] <= outer.span[1])


def _shown(key: str, value: Any) -> str:
    if key == "model-index" and isinstance(value, list):
        metrics = sum(len(result.get("metrics") or []) for model in value if isinstance(model, dict)
                      for result in model.get("results") or [] if isinstance(result, dict))
        return f"{metrics} reported {'value' if metrics == 1 else 'values'}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value if not isinstance(item, (dict, list))) or f"{len(value)} entries"
    if isinstance(value, dict):
        return f"{len(value)} entries"
    return str(value)


#: Licence ids by family, for the card's tags (search and mkdocs-material's tags plugin).
_LICENCE_FAMILIES = (
    ("permissive", ("apache", "mit", "bsd", "isc", "zlib", "unlicense", "cc0", "cc-by-4", "cc-by-3")),
    ("copyleft", ("gpl", "agpl", "lgpl", "mpl", "cc-by-sa")),
    ("non-commercial", ("-nc", "cc-by-nc")),
    ("responsible AI licence", ("openrail", "rail")),
    ("model-specific licence", ("llama", "gemma", "deepfloyd", "apple", "intel", "other")),
)
_MODALITIES = (
    ("text", ("text-generation", "text2text", "fill-mask", "translation", "summarization", "question-answering",
              "text-classification", "token-classification", "sentence-similarity", "feature-extraction")),
    ("vision", ("image", "object-detection", "depth", "video")),
    ("audio", ("audio", "speech", "automatic-speech-recognition", "text-to-speech")),
    ("multimodal", ("image-text-to-text", "visual-question-answering", "any-to-any", "multimodal")),
)


def card_tags(knowledge: Any) -> list[str]:
    """Licence family, size class and modality, from the metadata and the parameter count."""
    tags: list[str] = []
    licence = str(knowledge.metadata.get("license", "")).lower()
    family = next((name for name, marks in _LICENCE_FAMILIES if any(mark in licence for mark in marks)), None)
    if licence and family:
        tags.append(f"licence: {family}")
    parameters = knowledge.estimated_parameters
    if parameters:
        size = ("under 1B" if parameters < 1e9 else "1–10B" if parameters < 1e10 else "10–100B" if parameters < 1e11
                else "over 100B")
        tags.append(f"size: {size}")
    pipeline = str(knowledge.metadata.get("pipeline_tag", "")).lower()
    modality = next((name for name, marks in reversed(_MODALITIES) if any(mark in pipeline for mark in marks)), None)
    if modality:
        tags.append(f"modality: {modality}")
    return tags
