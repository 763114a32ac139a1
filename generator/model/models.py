"""What a repository says about its machine-learning models, as plain data: the card's sections, the
sizes its configs describe, what kind of repository it is, and one description per model folder.

"Model" here is the machine-learning model; the knowledge model is :mod:`generator.model.knowledge`.
The analyses that fill these live in :mod:`generator.analysis.models`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.model.errors import Finding
from generator.model.licences import LicenceFile, LicenceScope
from generator.model.provenance import Fact

MODEL, MODEL_CODE, COLLECTION, DATASET, TRAINING, INFERENCE, UNKNOWN = (
    "model", "model code", "collection", "dataset", "training library", "inference code", "unknown")
#: What the overview says for each kind.
LABELS = {
    MODEL: "a model: its config or weights are in the repository",
    MODEL_CODE: "code and documents for its own model (weights published elsewhere)",
    COLLECTION: "a collection of models",
    DATASET: "a dataset",
    TRAINING: "a training or fine-tuning library (no model of its own)",
    INFERENCE: "inference or serving code (no model of its own)",
    UNKNOWN: "not stated (the files do not say)",
}


def approximate_count(count: int) -> str:
    """A parameter count in billions or millions, one decimal: ``6.7 B``, ``125.0 M``."""
    return f"{count / 1e9:.1f} B" if count >= 1e9 else f"{count / 1e6:.1f} M"


@dataclass(frozen=True, slots=True)
class Table:
    #: ``README.md:135``: where the table starts.
    where: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Rows left out (the card shows :data:`MAX_ROWS`).
    more_rows: int = 0


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    #: ``README.md:73``: where the section starts.
    where: str
    #: The first paragraph under the heading, as plain text (the card quotes it, escaped).
    excerpt: str = ""
    #: Tables under the heading (its sub-sections included), as cells of plain text.
    tables: tuple[Table, ...] = ()
    #: ``README.md:348``: a code block under the heading, pointed at (a citation's BibTeX, a command).
    code: str = ""
    #: Line numbers (1-based, inclusive) the section spans, to drop sub-headings of a matched section.
    span: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class CardSection:
    title: str
    weight: int
    facts: list[Fact] = field(default_factory=list)
    metadata: list[tuple[str, str]] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    model_only: bool = True

    @property
    def stated(self) -> bool:
        return bool(self.facts or self.metadata or self.headings)


@dataclass(frozen=True, slots=True)
class ModelCard:
    sections: list[CardSection]
    #: A library or a training framework: held to the sections any repository has (licence, citation)
    #: and scored against nothing, since the model-card template is not its template; its headings
    #: ("Evaluation", "Hardware Requirement") state no model-only section, they describe the library.
    library: bool = False

    @property
    def score(self) -> int | None:
        """Percent of the weighted sections the repository states; None for a library."""
        if self.library:
            return None
        total = sum(section.weight for section in self.sections)
        return round(100 * sum(s.weight for s in self.sections if s.stated) / total) if total else 0

    @property
    def missing(self) -> list[str]:
        return [section.title for section in self.sections
                if not section.stated and not (self.library and section.model_only)]

    @property
    def shown(self) -> list[CardSection]:
        """The sections the card prints: a library's unstated model-only sections are not its gaps."""
        return [section for section in self.sections
                if section.stated or not (self.library and section.model_only)]


@dataclass(frozen=True, slots=True)
class ConfigSize:
    """One model size a config in the tree describes (``inference/configs/config_671B.json``)."""

    path: str
    total: int
    #: Parameters used per token: the total for a dense model, the chosen experts' for a mixture.
    active: int
    layers: int
    hidden: int
    #: "256 routed, 8 per token, 1 shared" for a mixture of experts, else "".
    experts: str
    #: The keys the count read, for the source column.
    keys: str

    @property
    def total_shown(self) -> str:
        return f"{self.total:,} ({approximate_count(self.total)})"

    @property
    def active_shown(self) -> str:
        """The active count of a mixture of experts; "all" for a dense model, which uses every parameter."""
        return f"{self.active:,} ({approximate_count(self.active)})" if self.experts else "all"


@dataclass(frozen=True, slots=True)
class RepoKind:
    kind: str
    #: (what the file shows, the file): every piece of evidence the kind rests on.
    evidence: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def is_model_repo(self) -> bool:
        """The repository is (or is about) its own model: a size and a weights licence may be stated."""
        return self.kind in (MODEL, MODEL_CODE, COLLECTION)

    @property
    def is_library(self) -> bool:
        """Code for models in general: no single model size, no weights row, no model-card score."""
        return self.kind in (TRAINING, INFERENCE)


@dataclass(slots=True)
class ModelDescription:
    #: ``""`` for the repository's root, else the sub-folder (``draft``).
    folder: str
    title: str
    description: str
    metadata: dict[str, Any]
    facts: list[Fact]
    deployment: list[Fact]
    #: What the Hub would reject in the metadata, and statements that contradict each other.
    checks: list[Finding]
    card: ModelCard
    licence_files: list[str] = field(default_factory=list)
    #: What each licence file holds, and which licence covers the code, weights and data.
    licences: list[LicenceFile] = field(default_factory=list)
    licence_scope: LicenceScope | None = None
    #: The analytic parameter count from the config, when the config's design is one it covers.
    estimated_parameters: int | None = None
    #: What the repository is (a model, a library…) and the files that show it (see
    #: :mod:`generator.analysis.models.repokind`).
    kind: RepoKind = field(default_factory=lambda: RepoKind("unknown"))
    #: One row per config elsewhere in the tree that describes a model size (``inference/configs/*.json``).
    sizes: list[ConfigSize] = field(default_factory=list)

    @property
    def is_model_repo(self) -> bool:
        """A model of the repository's own: sizes and a weights licence may be stated (a library has none)."""
        return self.kind.is_model_repo
