"""The model card: the sections readers and the Hub expect, filled only from what the repository says.

Sections follow the Hugging Face card template and "Model Cards for Model Reporting" (Mitchell et
al., 2019). Each is found from facts Almanac read (front matter, config, weights, citation) or from a
README heading that names it, in English or Chinese. Nothing is invented: a section with no evidence
says "not stated in the repository", and the completeness score counts what is there, weighted by
how much a reader needs it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.model import Fact
from generator.modelfacts import plain_text
from generator.text import heading_text

NOT_STATED = "not stated in the repository"


@dataclass(frozen=True, slots=True)
class SectionRule:
    title: str
    #: Share of the completeness score.
    weight: int
    #: Heading words (lower case) that name this section in a README.
    headings: tuple[str, ...] = ()
    #: Front matter keys that state it.
    metadata: tuple[str, ...] = ()
    #: Labels of facts that state it (prefix match).
    facts: tuple[str, ...] = ()


SECTIONS = (
    SectionRule("Model details", 20, ("model details", "model description", "model summary", "overview",
                                      "模型信息", "模型介绍", "模型简介"),
                ("base_model", "library_name", "pipeline_tag"), ("Architecture", "Layers", "Parameters")),
    SectionRule("Intended use", 15, ("intended use", "uses", "use cases", "direct use", "quickstart", "usage",
                                     "how to use", "用途", "使用", "快速开始"), ("pipeline_tag",)),
    SectionRule("Training data", 15, ("training data", "training", "data", "dataset", "训练数据", "训练"),
                ("datasets",)),
    SectionRule("Evaluation", 15, ("evaluation", "results", "benchmark", "metrics", "评测", "评估", "测评"),
                ("model-index",), ("Results",)),
    SectionRule("Limitations and ethical considerations", 15,
                ("limitations", "bias", "risks", "ethical", "ethics", "safety", "caveats", "局限", "偏见", "风险",
                 "安全"), ()),
    SectionRule("Licence", 10, ("license", "licence", "许可"), ("license",), ("Licence",)),
    SectionRule("How to cite", 5, ("citation", "cite", "引用"), (), ("Citation",)),
    SectionRule("Deployment", 5, ("deployment", "hardware", "requirements", "部署"), (), ("Weights at",)),
)

_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    #: ``README.md:73``: where the section starts.
    where: str
    #: The first paragraph under the heading, as plain text (the card quotes it, escaped).
    excerpt: str = ""


@dataclass(slots=True)
class CardSection:
    title: str
    weight: int
    facts: list[Fact] = field(default_factory=list)
    metadata: list[tuple[str, str]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)

    @property
    def stated(self) -> bool:
        return bool(self.facts or self.metadata or self.headings)


@dataclass(frozen=True, slots=True)
class ModelCard:
    sections: list[CardSection]

    @property
    def score(self) -> int:
        """Percent of the weighted sections the repository states."""
        total = sum(section.weight for section in self.sections)
        return round(100 * sum(s.weight for s in self.sections if s.stated) / total) if total else 0

    @property
    def missing(self) -> list[str]:
        return [section.title for section in self.sections if not section.stated]


def readme_headings(text: str, path: str = "README.md") -> list[Heading]:
    """Level 2 and deeper headings of a README (the level 1 is the title), outside code blocks."""
    headings: list[Heading] = []
    lines = text.splitlines()
    fenced = False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = _HEADING.match(line)
        if fenced or not match or len(match.group(1)) < 2:
            continue
        headings.append(Heading(heading_text(match.group(2)), f"{path}:{number}", _first_paragraph(lines[number:])))
    return headings


def _first_paragraph(lines: Sequence[str]) -> str:
    """The text of the first block under a heading (a paragraph or a list), as plain words."""
    block: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and block):
            break
        if stripped.startswith(("|", "```", "~~~")) and not block:
            return ""  # a table or code first: nothing to quote in a line
        if stripped:
            block.append(line)
    text = plain_text("\n".join(block))
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


def build_card(metadata: Mapping[str, Any], facts: Sequence[Fact], headings: Sequence[Heading]) -> ModelCard:
    sections: list[CardSection] = []
    for rule in SECTIONS:
        section = CardSection(rule.title, rule.weight)
        section.metadata = [(key, _shown(key, metadata[key])) for key in rule.metadata if metadata.get(key)]
        section.facts = [fact for fact in facts if fact.label.startswith(rule.facts)] if rule.facts else []
        section.headings = [heading for heading in headings if _names(heading.text, rule.headings)]
        sections.append(section)
    return ModelCard(sections)


def _names(heading: str, words: tuple[str, ...]) -> bool:
    lowered = heading.lower()
    return any(re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered) if word.isascii() else word in heading
               for word in words)


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
