"""Per-file licence coverage in the REUSE way: SPDX headers, ``.license`` sidecars and ``REUSE.toml``.

A repository-wide LICENSE says what the project intends; REUSE (reuse.software) asks every file to
say it: an ``SPDX-License-Identifier`` and an ``SPDX-FileCopyrightText`` in its header, in a
``<file>.license`` sidecar for files that cannot hold a comment (weights, images), or in a
``REUSE.toml`` annotation that covers paths by glob. The tags are found by one ``git grep`` over the
tree at HEAD, so the cost does not grow with the number of files Almanac would otherwise read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.model.errors import Finding
from generator.model.knowledge import FileEntry
from generator.model.licences import Coverage, FolderCoverage
from generator.sources.files.tomlfile import load_toml

REUSE_TOML = "REUSE.toml"
GREP_PATTERN = "SPDX-(License-Identifier|FileCopyrightText)[[:space:]]*:"
#: Files larger than this are not searched for REUSE tags (git grep would load each one whole).
GREP_MAX_BYTES = 32 << 20
_TAG = re.compile(r"SPDX-(License-Identifier|FileCopyrightText)\s*:\s*")
#: Where a tag's value ends inside a comment; else the line's end.
_TAG_END = re.compile(r"\*/|-->|#}|\"\"\"")
#: Files REUSE itself does not ask to be labelled.
_EXEMPT = re.compile(r"(^|/)(LICEN[CS]E|COPYING)([-_.][^/]*)?$|^LICENSES/|^\.reuse/|\.license$|^REUSE\.toml$",
                     re.IGNORECASE)


@dataclass(slots=True)
class Labels:
    """What one file says of itself, or what an annotation says of it."""

    licences: list[str] = field(default_factory=list)
    copyright: bool = False


@dataclass(frozen=True, slots=True)
class Annotation:
    patterns: tuple[re.Pattern[str], ...]
    precedence: str
    licences: tuple[str, ...]
    copyright: bool


def _tags(line: str) -> list[tuple[str, str]]:
    """``(kind, value)`` of each SPDX tag on a line. The value is cut at the first comment end and
    stripped in Python: the lazy ``(.*?)\\s*`` it replaces cost quadratic time on a run of spaces."""
    found, position = [], 0
    while (match := _TAG.search(line, position)) is not None:
        end = _TAG_END.search(line, match.end())
        found.append((match.group(1), line[match.end():end.start() if end else len(line)].rstrip()))
        position = end.end() if end else len(line)
    return found


def parse_grep(output: bytes) -> dict[str, Labels]:
    """``git grep -z -n`` output (``HEAD:path NUL line NUL text``) → the labels of each file.

    A sidecar's labels (``weights.bin.license``) belong to the file it describes.
    """
    labels: dict[str, Labels] = {}
    for record in output.split(b"\n"):
        parts = record.split(b"\0")
        if len(parts) < 3:
            continue
        path = parts[0].decode("utf-8", "replace").split(":", 1)[-1]
        path = path.removesuffix(".license")
        for kind, value in _tags(parts[2].decode("utf-8", "replace")):
            if not value:
                continue
            entry = labels.setdefault(path, Labels())
            if kind == "License-Identifier":
                entry.licences.append(value)
            else:
                entry.copyright = True
    return labels


def glob_pattern(glob: str) -> re.Pattern[str]:
    """REUSE.toml's globs: ``*`` stays within a folder, ``**`` crosses folders, ``\\*`` is a star."""
    out, index = [], 0
    while index < len(glob):
        if glob.startswith("\\*", index):
            out.append(re.escape("*"))
            index += 2
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif glob[index] == "*":
            out.append("[^/]*")
            index += 1
        else:
            out.append(re.escape(glob[index]))
            index += 1
    return re.compile("".join(out) + r"\Z")


def read_reuse_toml(text: str, findings: list[Finding]) -> list[Annotation]:
    """The annotations of a REUSE.toml; a broken file is a finding with its line, and no annotations."""
    try:
        data = load_toml(text)
    except ValueError as error:
        findings.append(Finding(f"not valid TOML ({error}); its annotations are ignored", REUSE_TOML, "info",
                                "warning"))
        return []
    annotations = []
    for number, entry in enumerate(data.get("annotations") or [], start=1):
        if not isinstance(entry, dict) or "path" not in entry:
            findings.append(Finding(f"annotation {number} has no `path`; ignored", REUSE_TOML, "info", "warning"))
            continue
        paths = entry["path"] if isinstance(entry["path"], list) else [entry["path"]]
        licences = entry.get("SPDX-License-Identifier") or []
        copyrights = entry.get("SPDX-FileCopyrightText") or []
        annotations.append(Annotation(
            tuple(glob_pattern(str(path)) for path in paths),
            str(entry.get("precedence", "closest")),
            tuple(str(value) for value in (licences if isinstance(licences, list) else [licences])),
            bool(copyrights),
        ))
    return annotations


def coverage(entries: Iterable[FileEntry], labels: dict[str, Labels], annotations: list[Annotation]
             ) -> Coverage:
    """How many files say under what licence they are, overall and per top-level folder."""
    counts: dict[str, list[int]] = {}
    expressions: Counter[str] = Counter()
    total = licensed = complete = 0
    for entry in entries:
        if entry.is_symlink or entry.is_submodule or _EXEMPT.search(entry.path):
            continue
        own = labels.get(entry.path, Labels())
        found = Labels(list(own.licences), own.copyright)
        for annotation in annotations:  # later annotations win, as in REUSE
            if not any(pattern.match(entry.path) for pattern in annotation.patterns):
                continue
            if annotation.precedence == "override" or (annotation.precedence == "closest" and not own.licences):
                found.licences = list(annotation.licences) or found.licences
            elif annotation.precedence == "aggregate":
                found.licences += [value for value in annotation.licences if value not in found.licences]
            if annotation.precedence == "override" or not own.copyright or annotation.precedence == "aggregate":
                found.copyright = found.copyright or annotation.copyright
        folder = entry.path.split("/", 1)[0] if "/" in entry.path else "(root)"
        row = counts.setdefault(folder, [0, 0, 0])
        total += 1
        row[0] += 1
        if found.licences:
            licensed += 1
            row[1] += 1
            expressions[" AND ".join(dict.fromkeys(found.licences))] += 1
            if found.copyright:
                complete += 1
                row[2] += 1
    return Coverage(
        total, licensed, complete,
        tuple(FolderCoverage(folder, *row) for folder, row in sorted(counts.items())),
        tuple(sorted(expressions.items(), key=lambda pair: (-pair[1], pair[0]))),
        bool(annotations),
    )


def missing_texts(labels: dict[str, Labels], annotations: list[Annotation], entries: Iterable[FileEntry]
                  ) -> list[Finding]:
    """Licences the labels name whose text is not in ``LICENSES/`` (REUSE wants every text there).

    Only asked of a repository that follows REUSE (it has a ``LICENSES/`` folder or a REUSE.toml):
    SPDX headers beside one root LICENSE are a common, sound practice of their own.
    """
    from license_expression import ExpressionError

    from generator.analysis.models.cardmeta import spdx_licensing

    texts = {entry.path.split("/", 1)[1].rsplit(".", 1)[0] for entry in entries
             if entry.path.startswith("LICENSES/") and "/" in entry.path}
    if not texts and not annotations:
        return []
    named: dict[str, str] = {}
    sources = [(path, value) for path, label in sorted(labels.items()) for value in label.licences]
    sources += [(REUSE_TOML, value) for annotation in annotations for value in annotation.licences]
    licensing = spdx_licensing()
    findings = []
    for where, expression in sources:
        try:
            keys = licensing.license_keys(licensing.parse(expression, validate=False))
        except ExpressionError:
            findings.append(Finding(f"`SPDX-License-Identifier: {expression}` is not a valid SPDX expression",
                                    where, "info", "warning"))
            continue
        for key in keys:
            named.setdefault(key, where)
    for key, where in sorted(named.items()):
        if key not in texts:
            findings.append(Finding(f"names {key}, but LICENSES/ has no {key} text (REUSE asks for one)", where,
                                    "info", "warning"))
    return findings
