"""Reading a weights header costs the header, not the file: timed on a multi-GB sparse safetensors file.

Run: ``python benchmarks/weights_header.py [--gigabytes 8] [--repeat 20]``. It writes (in a temporary
folder) a safetensors file whose header declares a few GB of tensors, made sparse with ``truncate``
so it takes no disk, then times, side by side:

- **by hand**: ``struct`` + ``json`` on the file's first bytes, the least any reader can do;
- **Almanac**: ``generator.analysis.models.weights.stream_prefix`` over the file read in 64 KiB chunks, then
  ``safetensors_counts`` (what a build does with a large blob streamed from git).

It prints both and their ratio, which must stay near 1 whatever the file's size. Never gates.
"""

from __future__ import annotations

import argparse
import json
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.analysis.models.weights import safetensors_counts, stream_prefix


def sparse_safetensors(path: Path, gigabytes: int) -> int:
    """A valid header for ``gigabytes`` of F32 tensors in 64 layers, then a hole up to the full size."""
    per_tensor = gigabytes * (1 << 30) // 4 // 64
    header: dict[str, dict[str, object]] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for layer in range(64):
        header[f"model.layers.{layer}.weight"] = {"dtype": "F32", "shape": [per_tensor],
                                                  "data_offsets": [offset, offset + 4 * per_tensor]}
        offset += 4 * per_tensor
    encoded = json.dumps(header).encode()
    with path.open("wb") as file:
        file.write(struct.pack("<Q", len(encoded)) + encoded)
        file.truncate(8 + len(encoded) + offset)
    return 64 * per_tensor


def by_hand(path: Path) -> int:
    with path.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
    return sum(tensor["shape"][0] for name, tensor in header.items() if name != "__metadata__")


def almanac(path: Path) -> int:
    with path.open("rb") as file:
        prefix = stream_prefix(iter(lambda: file.read(1 << 16), b""))
    counts = safetensors_counts(prefix, path.name, [], path.stat().st_size)
    assert counts is not None
    return sum(counts.values())


def timed(function: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.safetensors"
        expected = sparse_safetensors(path, args.gigabytes)
        hand, hand_count = timed(by_hand, path, args.repeat)
        ours, our_count = timed(almanac, path, args.repeat)
        assert hand_count == our_count == expected
        print(f"sparse safetensors file: {path.stat().st_size / (1 << 30):.1f} GiB, {expected:,} parameters")
        print(f"  struct + json by hand   {hand * 1000:8.3f} ms")
        print(f"  almanac header reader   {ours * 1000:8.3f} ms")
        print(f"  almanac / by hand       {ours / hand:8.2f}   (O(header): stays near 1 at any file size)")


if __name__ == "__main__":
    main()
