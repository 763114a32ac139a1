"""The header of a GGUF file (llama.cpp), read within bounds a hostile file cannot stretch.

The ``gguf`` package's ``GGUFReader`` trusts every count in the file and makes one numpy array per
array element: an array count of 2**62 in a 60-byte file makes it loop until memory runs out, and an
array of a million entries in a 1 MB file costs it 8 s and 730 MB. This reader
walks the same layout with the package's own constants (value types, tensor types, block sizes,
supported versions), checks every count and length against the bytes the file has left before using
it, skips arrays of fixed-size values in one step, and gives up after a budget of entries or of time:
a header costs at most a pass over its own bytes. Anything wrong is one :class:`GGUFError` saying
what, and at which offset.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gguf.constants import GGML_QUANT_SIZES, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGMLQuantizationType, GGUFValueType
from gguf.gguf_reader import READER_SUPPORTED_VERSIONS

from generator.analysis.models.headerlimits import VALUES_PER_BYTE, quoted

#: Keys, array elements and tensors a header may hold: ten times a large vocabulary's.
MAX_ENTRIES = 10_000_000
#: Wall-clock budget of one header, far above what a real header takes (milliseconds).
MAX_SECONDS = 5.0
#: Arrays of arrays are allowed (the format has them); deeper nesting is not a model's metadata.
MAX_ARRAY_DEPTH = 2
#: Bytes of a header read from a stream: a large tokenizer's vocabulary takes a few MiB.
MAX_STREAMED_BYTES = 64 << 20

_SCALARS = {
    GGUFValueType.UINT8: "B", GGUFValueType.INT8: "b", GGUFValueType.BOOL: "?",
    GGUFValueType.UINT16: "H", GGUFValueType.INT16: "h",
    GGUFValueType.UINT32: "I", GGUFValueType.INT32: "i", GGUFValueType.FLOAT32: "f",
    GGUFValueType.UINT64: "Q", GGUFValueType.INT64: "q", GGUFValueType.FLOAT64: "d",
}
_ALIGNMENT_KEY = "general.alignment"

Value = str | int | float | bool


class GGUFError(ValueError):
    """The header cannot be read: what is wrong, with the byte offset where it was found."""


@dataclass(frozen=True, slots=True)
class GGUFTensor:
    name: str
    type_name: str
    elements: int


@dataclass(slots=True)
class GGUFHeader:
    version: int
    #: Where the header ends (the tensors' data starts at the next multiple of the alignment).
    length: int = 0
    #: Every key holding a single value (arrays, like the vocabulary, are skipped, not kept).
    values: dict[str, Value] = field(default_factory=dict)
    tensors: list[GGUFTensor] = field(default_factory=list)


def read_gguf_header(data: bytes, file_size: int | None = None, more: Callable[[], bytes | None] | None = None
                     ) -> GGUFHeader:
    """The keys and tensor descriptions of a GGUF file whose first bytes are ``data``.

    ``file_size`` is the whole file's size when ``data`` is only its beginning; every tensor must lie
    within it. ``more`` gives the file's next bytes (None at its end) when the header goes on past
    ``data``, up to :data:`MAX_STREAMED_BYTES`. Raises :class:`GGUFError` for anything a well-formed
    file would not hold.
    """
    cursor = _Cursor(data, len(data) if file_size is None else file_size, more)
    (magic,) = struct.unpack("<I", cursor.take(4, "magic"))
    if magic != GGUF_MAGIC:
        raise GGUFError("wrong magic (not a GGUF file) at offset 0")
    raw_version = cursor.take(4, "version")
    if struct.unpack("<I", raw_version)[0] & 0xFFFF == 0:
        cursor.order = ">"  # written on a big-endian machine: GGUFReader reads these too
    (version,) = struct.unpack(cursor.order + "I", raw_version)
    if version not in READER_SUPPORTED_VERSIONS:
        raise GGUFError(f"version {version} is not one the gguf package reads at offset 4")
    header = GGUFHeader(version)
    tensor_count = cursor.count(24, "tensor count")  # a tensor takes at least 24 bytes to describe
    key_count = cursor.count(13, "key count")  # a key takes at least 13 bytes
    keys: set[str] = set()
    for _ in range(key_count):
        _read_key(cursor, keys, header.values)
    alignment = header.values.get(_ALIGNMENT_KEY, GGUF_DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or isinstance(alignment, bool) or alignment <= 0 or alignment & (alignment - 1):
        raise GGUFError(f"{_ALIGNMENT_KEY} is not a power of two")
    placed = [_read_tensor(cursor) for _ in range(tensor_count)]
    names = [tensor.name for tensor, _, _ in placed]
    if len(set(names)) != len(names):
        raise GGUFError("two tensors have the same name")
    data_start = -(-cursor.position // alignment) * alignment
    for tensor, offset, size in placed:
        if data_start + offset + size > cursor.size:
            raise GGUFError(f"the data of tensor {quoted(tensor.name)} ends beyond the file's {cursor.size:,} bytes "
                            "(truncated or damaged)")
    header.tensors = [tensor for tensor, _, _ in placed]
    header.length = cursor.position
    return header


def _read_key(cursor: _Cursor, keys: set[str], values: dict[str, Value]) -> None:
    start = cursor.position
    key = cursor.string("key").decode("utf-8", "replace")
    if key in keys:
        raise GGUFError(f"key {quoted(key)} appears twice at offset {start}")
    keys.add(key)
    value = _read_value(cursor, cursor.value_type(), 0)
    if value is not None:
        values[key] = value


def _read_value(cursor: _Cursor, kind: GGUFValueType, depth: int) -> Value | None:
    """One value; an array is walked (its elements are not kept) and gives None."""
    cursor.tick()
    if kind == GGUFValueType.STRING:
        return cursor.string("string").decode("utf-8", "replace")
    if kind != GGUFValueType.ARRAY:
        code = _SCALARS[kind]
        (value,) = struct.unpack(cursor.order + code, cursor.take(struct.calcsize(code), "value"))
        return value  # type: ignore[no-any-return]
    if depth >= MAX_ARRAY_DEPTH:
        raise GGUFError(f"arrays nested deeper than {MAX_ARRAY_DEPTH} at offset {cursor.position}")
    item = cursor.value_type()
    if item in _SCALARS:
        size = struct.calcsize(_SCALARS[item])
        cursor.skip(size * cursor.count(size, "array length"), "array")  # in one step
        return None
    for _ in range(cursor.count(8 if item == GGUFValueType.STRING else 12, "array length")):
        _read_value(cursor, item, depth + 1)
    return None


def _read_tensor(cursor: _Cursor) -> tuple[GGUFTensor, int, int]:
    """A tensor description, with where its data starts (after the header) and how many bytes it takes."""
    cursor.tick()
    start = cursor.position
    name = cursor.string("tensor name").decode("utf-8", "replace")
    dimensions = cursor.count(8, "dimension count", "I")
    elements = 1
    limit = VALUES_PER_BYTE * cursor.size
    for _ in range(dimensions):
        elements *= cursor.number("Q", "dimension")
        if elements > limit:
            raise GGUFError(f"tensor {quoted(name)} at offset {start} holds more values than the file has bits")
    raw_type = cursor.number("I", "tensor type")
    try:
        kind = GGMLQuantizationType(raw_type)
        block_size, type_size = GGML_QUANT_SIZES[kind]
    except (ValueError, KeyError):
        raise GGUFError(f"unknown tensor type {raw_type} at offset {cursor.position - 4}") from None
    offset = cursor.number("Q", "tensor offset")
    return GGUFTensor(name, kind.name, elements), offset, elements * type_size // block_size


class _Cursor:
    """A position in the header, which refuses to read past the bytes there are or past its budget."""

    def __init__(self, data: bytes, size: int, more: Callable[[], bytes | None] | None) -> None:
        self.data = bytearray(data)
        self.more = more
        self.size = max(size, len(data))
        self.position = 0
        self.order = "<"
        self.entries = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def skip(self, length: int, what: str) -> None:
        while self.position + length > len(self.data) and self.more is not None:
            if len(self.data) >= MAX_STREAMED_BYTES:
                raise GGUFError(f"header too large: more than {MAX_STREAMED_BYTES:,} bytes by offset {self.position}")
            chunk = self.more()
            if not chunk:
                break
            self.data += chunk
        if self.position + length > len(self.data):
            where = "the file" if len(self.data) >= self.size else f"the first {len(self.data):,} bytes read"
            raise GGUFError(f"{what} at offset {self.position} runs past the end of {where}")
        self.position += length

    def take(self, length: int, what: str) -> bytes:
        start = self.position
        self.skip(length, what)
        return bytes(self.data[start : self.position])

    def number(self, code: str, what: str) -> int:
        (value,) = struct.unpack(self.order + code, self.take(struct.calcsize(code), what))
        return int(value)

    def count(self, smallest: int, what: str, code: str = "Q") -> int:
        """A count of things each at least ``smallest`` bytes long: more than the rest of the file holds
        is refused before anything is counted."""
        start = self.position
        value = self.number(code, what)
        if value * smallest > self.size - self.position:
            raise GGUFError(f"{what} {value:,} at offset {start} is more than the file's {self.size:,} bytes "
                            "can hold")
        return value

    def string(self, what: str) -> bytes:
        return self.take(self.count(1, f"{what} length"), what)

    def value_type(self) -> GGUFValueType:
        raw = self.number("I", "value type")
        try:
            return GGUFValueType(raw)
        except ValueError:
            raise GGUFError(f"unknown value type {raw} at offset {self.position - 4}") from None

    def tick(self) -> None:
        """Count one entry; stop when the header is larger, or takes longer, than any real one."""
        self.entries += 1
        if self.entries > MAX_ENTRIES:
            raise GGUFError(f"header too large: more than {MAX_ENTRIES:,} entries by offset {self.position}")
        if self.entries % 65_536 == 0 and time.monotonic() > self.deadline:
            raise GGUFError(f"header too slow to read: gave up after {MAX_SECONDS:g} s at offset {self.position}")
