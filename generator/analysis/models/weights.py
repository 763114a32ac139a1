"""What the weights files say about themselves, from their headers only: never a tensor is loaded.

A safetensors file starts with an 8-byte little-endian length and a JSON header naming every tensor's
dtype and shape; the parameter count is the sum of the shapes' products. A sharded checkpoint adds
``model.safetensors.index.json`` mapping tensors to shard files. A GGUF file (llama.cpp) carries its
own header of key/value metadata and tensor descriptions, walked within the file's bounds with the
``gguf`` package's constants (:mod:`generator.analysis.models.ggufheader`). Every count and size a header states is
checked against the file before it is used. Files kept in Git LFS are pointers in a clone: their size
is known, their contents are not here.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from generator.analysis.models.facts import LFS_VERSION_LINE, MAX_LFS_SIZE, human_size, lfs_pointer_size
from generator.analysis.models.headerlimits import VALUES_PER_BYTE, quoted
from generator.model.errors import Finding
from generator.model.knowledge import FileEntry
from generator.model.provenance import Fact

#: A header larger than this is not a real safetensors header (the format caps it at 100 MB).
MAX_HEADER_BYTES = 100_000_000
INDEX_SUFFIXES = (".safetensors.index.json", ".bin.index.json")


def is_weights_file(path: str) -> bool:
    return path.endswith((".safetensors", ".gguf", *INDEX_SUFFIXES))


@dataclass(slots=True)
class WeightsSummary:
    """The counts of the weights files that could be read, and what could not."""

    parameters: int = 0
    by_dtype: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    not_in_clone: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    #: Facts of GGUF files (parameters, architecture, name, quantisation, context length), per file.
    gguf: list[Fact] = field(default_factory=list)
    #: The parameter counts the GGUF files hold (one value when they are quantisations of one model).
    gguf_parameters: set[int] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return bool(self.sources) and not self.not_in_clone and not self.unread

    @property
    def exact(self) -> int | None:
        """The model's parameter count when the weights settle it: every safetensors file read, or else
        GGUF files that all hold the same count."""
        if self.complete:
            return self.parameters
        if not self.sources and len(self.gguf_parameters) == 1:
            return next(iter(self.gguf_parameters))
        return None


def header_length(prefix: bytes | bytearray) -> int | None:
    """How many bytes the safetensors header occupies (8 + its JSON), from the file's first 8 bytes."""
    if len(prefix) < 8:
        return None
    (length,) = struct.unpack("<Q", prefix[:8])
    return 8 + int(length)


def safetensors_counts(data: bytes, path: str, findings: list[Finding], file_size: int | None = None
                       ) -> dict[str, int] | None:
    """Parameters per dtype from a safetensors header; ``data`` needs only the header's bytes.

    ``file_size`` is the whole file's size when ``data`` is just its beginning.
    """
    size = file_size if file_size is not None else len(data)
    if len(data) < 8:
        findings.append(Finding("too short to be a safetensors file", path))
        return None
    (length,) = struct.unpack("<Q", data[:8])
    if length > size - 8:
        findings.append(Finding(f"safetensors header length {length} exceeds the file size {size}", path))
        return None
    if length > MAX_HEADER_BYTES:
        findings.append(Finding(f"safetensors header length {length:,} exceeds the format's limit of "
                                f"{MAX_HEADER_BYTES:,} bytes; not read", path))
        return None
    try:
        header = json.loads(data[8 : 8 + length])
    except (ValueError, RecursionError) as error:  # ValueError covers JSONDecodeError and 5,000-digit integers
        findings.append(Finding(f"safetensors header is not valid ({error})", path))
        return None
    if not isinstance(header, dict):
        findings.append(Finding("safetensors header is not valid (not a JSON object)", path))
        return None
    counts: dict[str, int] = {}
    data_end = 0
    for name, tensor in header.items():
        if name == "__metadata__":
            continue
        described = _tensor(tensor, size)
        if isinstance(described, str):
            findings.append(Finding(f"safetensors header is not valid (tensor {quoted(name)} → {described}); "
                                    "its parameters are not counted", path))
            return None
        dtype, count, end = described
        counts[dtype] = counts.get(dtype, 0) + count
        data_end = max(data_end, end)
    if data_end > size - 8 - length:
        findings.append(Finding(f"the header describes {data_end:,} bytes of tensors but the file holds "
                                f"{size - 8 - length:,}: truncated or damaged", path))
    return counts


def _tensor(tensor: object, file_size: int) -> tuple[str, int, int] | str:
    """(dtype, values, end of its data) of one tensor of a safetensors header, or what is wrong with it.

    Every number is checked before it is used: offsets are unsigned 64-bit, as the format writes them,
    and a shape holding ``Infinity``, ``NaN``, a negative or fractional size, or sizes whose product is
    more values than the file (or the tensor's own stated data) has bits, is refused, never multiplied
    out. A truncated file keeps its counts: its header is consistent, its data is what is missing.
    """
    if not isinstance(tensor, dict):
        return "not a mapping"
    dtype, shape, offsets = tensor.get("dtype"), tensor.get("shape"), tensor.get("data_offsets", [0, 0])
    if not isinstance(dtype, str):
        return "dtype: not a string"
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(_is_size(offset) and offset < 1 << 64
                                                                    for offset in offsets)
            and offsets[0] <= offsets[1]):
        return f"data_offsets: {_json_shown(offsets)} is not a start and an end"
    if not isinstance(shape, list):
        return "shape: not a list"
    limit = VALUES_PER_BYTE * max(file_size, offsets[1])
    count = 1
    for dimension in shape:
        if not _is_size(dimension):
            return f"shape: {_json_shown(dimension)} is not a size"
        count *= dimension
        if count > limit:
            return f"shape: {_json_shown(shape[:10])} holds more values than the file has bits"
    return dtype, count, offsets[1]


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _json_shown(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:39] + "…"


def safetensors_parameters(data: bytes, path: str, findings: list[Finding]) -> int | None:
    counts = safetensors_counts(data, path, findings)
    return None if counts is None else sum(counts.values())


#: The GGUF keys shown as facts (and ``<architecture>.context_length``).
_GGUF_KEYS = ("general.architecture", "general.name", "general.file_type", "general.license")


def gguf_counts(data: bytes, path: str, findings: list[Finding], file_size: int | None = None
                ) -> tuple[dict[str, int], dict[str, str]] | None:
    """Parameters per tensor type and a few header facts of a GGUF file, from a header read within the
    file's own bounds (see :mod:`generator.analysis.models.ggufheader`)."""
    from generator.analysis.models.ggufheader import (  # the gguf package loads numpy: only when needed
        GGUFError,
        read_gguf_header,
    )

    try:
        header = read_gguf_header(data, file_size)
    except GGUFError as error:
        findings.append(Finding(f"not a readable GGUF file ({error})", path))
        return None
    counts: dict[str, int] = {}
    for tensor in header.tensors:
        counts[tensor.type_name] = counts.get(tensor.type_name, 0) + tensor.elements
    facts = {key: str(header.values[key]) for key in _GGUF_KEYS if key in header.values}
    architecture = facts.get("general.architecture")
    if architecture and (context := header.values.get(f"{architecture}.context_length")) is not None:
        facts["context_length"] = str(context)
    return counts, facts


def summarise(entries: Iterable[FileEntry], blobs: dict[str, bytes], findings: list[Finding]) -> WeightsSummary:
    """Count what the weights files' headers say; ``blobs`` holds each file's bytes or, for a large
    safetensors file, its header's bytes."""
    summary = WeightsSummary()
    for entry in entries:
        if entry.path.endswith(INDEX_SUFFIXES) or not is_weights_file(entry.path):
            continue
        data = blobs.get(entry.path)
        if data is None:
            summary.unread.append(entry.path)
            findings.append(Finding("weights file too large to read here; its parameters are not counted",
                                    entry.path))
            continue
        if (pointer_size := lfs_pointer_size(data)) is not None:
            summary.not_in_clone.append(f"{entry.path} ({human_size(pointer_size)})")
            continue
        if data.startswith(LFS_VERSION_LINE):
            summary.unread.append(entry.path)
            findings.append(Finding(f"a Git LFS pointer without a believable size (at most "
                                    f"{human_size(MAX_LFS_SIZE)}); its parameters are not counted", entry.path))
            continue
        if entry.path.endswith(".gguf"):
            # Each GGUF file is a whole model (one per quantisation): described on its own, never summed.
            read = gguf_counts(data, entry.path, findings, entry.size)
            if read is None:
                summary.unread.append(entry.path)
                continue
            kinds, header = read
            types = ", ".join(f"{kind} {count:,}" for kind, count in sorted(kinds.items()))
            summary.gguf.append(Fact(f"Parameters ({entry.path})", f"{sum(kinds.values()):,} ({types})",
                                     f"{entry.path} tensor infos"))
            summary.gguf += [Fact(f"GGUF {key}", value, f"{entry.path} → {key}") for key, value in header.items()]
            summary.gguf_parameters.add(sum(kinds.values()))
            continue
        counts = safetensors_counts(data, entry.path, findings, entry.size)
        if counts is None:
            summary.unread.append(entry.path)
            continue
        summary.sources.append(entry.path)
        summary.parameters += sum(counts.values())
        for dtype, count in counts.items():
            summary.by_dtype[dtype] = summary.by_dtype.get(dtype, 0) + count
    return summary


def weight_facts(
    entries: list[FileEntry], blobs: dict[str, bytes], findings: list[Finding]
) -> tuple[list[Fact], int | None]:
    """Facts about the weights files, and their exact parameter count when every file could be read."""
    entries = [entry for entry in entries if is_weights_file(entry.path)]
    summary = summarise(entries, blobs, findings)
    facts: list[Fact] = []
    if summary.sources:
        sources = " + ".join(summary.sources) if len(summary.sources) <= 3 else f"{len(summary.sources)} files"
        facts.append(Fact("Parameters (from weights)", f"{summary.parameters:,}", sources))
        if len(summary.by_dtype) > 1:
            split = ", ".join(f"{dtype} {count:,}" for dtype, count in sorted(summary.by_dtype.items()))
            facts.append(Fact("Parameters by type", split, sources))
    for entry in entries:
        if entry.path.endswith(INDEX_SUFFIXES) and entry.path in blobs:
            facts += index_facts(blobs[entry.path], entry.path, {e.path for e in entries}, findings)
    facts += summary.gguf
    sizes = [(e.path, lfs_pointer_size(blobs.get(e.path, b"")) or e.size) for e in entries
             if not e.path.endswith(INDEX_SUFFIXES)]
    if sizes and all(size is not None for _, size in sizes):
        total_size = sum(size or 0 for _, size in sizes)
        shown = ", ".join(f"{path} {human_size(size or 0)}" for path, size in sizes[:4])
        facts.append(Fact("Weights files", f"{len(sizes)}, {human_size(total_size)}"
                          + (f" ({shown}{', …' if len(sizes) > 4 else ''})" if len(sizes) > 1 else ""),
                          "git ls-tree sizes (Git LFS pointers: the size they record)"))
    if summary.not_in_clone:
        facts.append(Fact("Weights not in this clone (Git LFS)", "; ".join(summary.not_in_clone), "LFS pointer files"))
    return facts, summary.exact


def index_facts(data: bytes, path: str, present: set[str], findings: list[Finding]) -> list[Fact]:
    """A sharded checkpoint's index: how many shards, their total size, and shards missing from the tree."""
    try:
        index = json.loads(data)
        shards = sorted(set(index["weight_map"].values()))
        total = index.get("metadata", {}).get("total_size")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        findings.append(Finding(f"not a valid shard index ({error})", path))
        return []
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    missing = [shard for shard in shards if folder + shard not in present]
    if missing:
        findings.append(Finding(f"the index names shards that are not in the repository: {', '.join(missing[:5])}",
                                path))
    value = f"{len(shards)} shards" + (f", {human_size(int(total))} of tensors" if isinstance(total, int) else "")
    return [Fact("Sharded weights", value, f"{path} → weight_map, metadata.total_size")]


def stream_prefix(chunks: Iterable[bytes]) -> bytes:
    """The bytes of a safetensors header from a stream of the file, reading no further than the header.

    The caller's stream stops when this returns (a generator is closed), so a 10 GB file costs its
    header, not its size.
    """
    data = bytearray()
    iterator: Iterator[bytes] = iter(chunks)
    wanted: int | None = None
    for chunk in iterator:
        data += chunk
        wanted = wanted or header_length(data)
        if wanted is not None and (len(data) >= wanted or wanted > MAX_HEADER_BYTES + 8):
            break
    _close(iterator)
    return bytes(data[:wanted] if wanted is not None and wanted <= MAX_HEADER_BYTES + 8 else data[:8])


def stream_gguf_prefix(chunks: Iterable[bytes], file_size: int | None) -> bytes:
    """The bytes of a GGUF header from a stream of the file, reading no further than the header (at most
    :data:`generator.analysis.models.ggufheader.MAX_STREAMED_BYTES`); for a header that cannot be read, what was read,
    which :func:`gguf_counts` then reports."""
    from generator.analysis.models.ggufheader import GGUFError, read_gguf_header

    iterator: Iterator[bytes] = iter(chunks)
    read = bytearray()

    def more() -> bytes | None:
        chunk = next(iterator, None)
        read.extend(chunk or b"")
        return chunk

    try:
        length: int | None = read_gguf_header(b"", file_size, more).length
    except GGUFError:
        length = None
    _close(iterator)
    return bytes(read[:length] if length is not None else read)


def _close(iterator: Iterator[bytes]) -> None:
    """Stop the stream (and the git process behind it) once the header is in."""
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


def read_header_prefixes(runner: object, entries: Iterable[FileEntry]) -> dict[str, bytes]:
    """Headers of weights files too large to read whole: one ``git cat-file blob`` each, stopped once
    the header is in (weights files are few; their sizes are what must not be read)."""
    found: dict[str, bytes] = {}
    for entry in entries:
        stream = runner.stream("cat-file", "blob", entry.object_id)  # type: ignore[attr-defined]
        found[entry.path] = (stream_gguf_prefix(stream, entry.size) if entry.path.endswith(".gguf")
                             else stream_prefix(stream))
    return found
