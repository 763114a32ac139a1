"""Licences as plain data: what each licence-like file holds, which licence covers the code, the
weights and the data, and how much of the tree carries a licence of its own (REUSE).

The analyses that find them live in :mod:`generator.analysis.licences`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The parts of a repository a licence can cover, and what a licence file can be besides a licence.
CODE, WEIGHTS, DATA, ALL, USE_POLICY, NOTICE, REUSE_TEXT = (
    "code", "weights", "data", "everything else", "use policy", "notice", "files that name it")
SCOPES = (CODE, WEIGHTS, DATA)
#: The licence of a file whose text is no licence Almanac knows.
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LicenceMatch:
    """One licence found in a file, or one piece of text that is no licence Almanac knows."""

    #: The Hub-style id (``apache-2.0``, ``llama3.2``), or None when the text is not identified.
    licence: str | None
    name: str
    #: The SPDX id, ``LicenseRef-…`` for a licence the SPDX list lacks, ``NOASSERTION`` if unknown.
    spdx: str
    #: 0–1: the share of the licence's text found (1.0 for a match of the SPDX template).
    confidence: float
    language: str
    #: ``SPDX template``, ``fingerprint``, or ``none``.
    method: str
    #: For a near match: the licence it nearly is, and its clauses this text does not have.
    nearest: str | None = None
    differs: tuple[str, ...] = ()

    @property
    def identified(self) -> bool:
        return self.licence is not None


@dataclass(frozen=True, slots=True)
class Bundled:
    """One third-party section of a licence or NOTICE file and what it names."""

    #: What the section says it covers ("NVIDIA code", "megatron/fused_kernels/*"), as written.
    covers: str
    #: Identified licence ids of the section (Hub style), in order; empty when none is identified.
    licences: tuple[str, ...]
    #: ``path:line`` of the section's heading.
    where: str
    copyright: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenceFile:
    path: str
    #: What the file covers, from its name: code, weights, data, a use policy, a notice, or
    #: everything else (a plain LICENSE).
    scope: str
    matches: tuple[LicenceMatch, ...]
    #: Why the file could not be read as a licence, or how it was reached (a symlink), else "".
    note: str = ""
    #: Its filled-in copyright lines (a template's ``[yyyy] [name of copyright owner]`` is not one).
    copyright: tuple[str, ...] = ()
    #: A NOTICE file's text: attribution notices that derivative works must carry (Apache-2.0 §4(d)).
    notice: str = ""
    #: Third-party licences bundled after the file's own ("This repository also contains code from…",
    #: "LICENSE FOR NVIDIA code", "Files: …"): they cover what they name, not the repository.
    bundled: tuple[Bundled, ...] = ()
    #: The licence ids of the text before the first bundled section: the file's own licence.
    head: tuple[str, ...] = ()
    #: The title a licence text gives itself on its first line ("The ChatGLM2-6B License"), if any.
    title: str = ""

    @property
    def licences(self) -> list[LicenceMatch]:
        return [match for match in self.matches if match.identified]

    @property
    def own(self) -> list[LicenceMatch]:
        """The identified licences of the file's own text: those of its bundled sections left out
        (unless the own text holds them too)."""
        if not self.bundled:
            return self.licences
        return [match for match in self.licences if match.licence in self.head]


@dataclass(frozen=True, slots=True)
class ThirdParty:
    """A bundled third-party licence: it covers the files it names, not the repository."""

    covers: str
    expression: str
    where: str


@dataclass(frozen=True, slots=True)
class LicenceScope:
    #: Scope (code, weights, data) → the licence ids that cover it, in the order they were found.
    covered: dict[str, tuple[str, ...]]
    #: Scope → where its answer comes from (licence files decide where they speak).
    decided_by: dict[str, tuple[str, ...]]
    #: Third-party licences bundled in the licence files, each with what it names.
    third_party: tuple[ThirdParty, ...] = ()
    #: Where the repository shows it has weights (a weights file, its own download links, a
    #: download script), or "" when it shows none: then no licence is said to cover weights.
    weights_evidence: str = ""
    #: Licence id → its SPDX id (or ``LicenseRef-…``), for every licence ``covered`` names: resolved
    #: by the analysis, which knows the licence list, so that the expressions below are only joins.
    spdx: dict[str, str] = field(default_factory=dict)

    def expression(self, scope: str) -> str:
        return " AND ".join(self.spdx[licence] for licence in self.covered.get(scope, ()))

    @property
    def whole(self) -> str:
        """One SPDX expression for the repository: every identified licence that covers some part of
        it, the bundled third-party ones included."""
        ids = dict.fromkeys(self.spdx[licence] for scope in SCOPES for licence in self.covered.get(scope, ())
                            if licence != UNKNOWN)
        for bundled in self.third_party:
            ids.update(dict.fromkeys(part for part in bundled.expression.split(" AND ") if part != "NOASSERTION"))
        return " AND ".join(ids)

    @property
    def weights_not_stated(self) -> bool:
        """The repository has weights, and nothing in it says under what licence."""
        return bool(self.weights_evidence) and not self.covered.get(WEIGHTS)

    @property
    def unidentified(self) -> list[str]:
        """The parts covered by a licence text Almanac could not identify."""
        return [scope for scope in SCOPES if UNKNOWN in self.covered.get(scope, ())]


@dataclass(frozen=True, slots=True)
class FolderCoverage:
    folder: str
    files: int
    licensed: int
    complete: int


@dataclass(frozen=True, slots=True)
class Coverage:
    files: int
    #: Files that state a licence; files that state a licence and a copyright holder (REUSE compliant).
    licensed: int
    complete: int
    by_folder: tuple[FolderCoverage, ...]
    #: SPDX expression → how many files carry it, most common first.
    expressions: tuple[tuple[str, int], ...]
    uses_reuse_toml: bool

    @property
    def any(self) -> bool:
        return self.licensed > 0 or self.uses_reuse_toml
