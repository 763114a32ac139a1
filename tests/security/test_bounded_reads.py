"""Hostile weights headers and oversized blobs: every count or length a file states is checked against
the file before anything is allocated, a bad header is one finding naming the file and the offset,
and what a build reads of the repository is bounded by what it needs, not by what the repository holds.

Hostile files are built byte by byte (``struct.pack``); valid ones with the ``gguf`` and
``safetensors`` writers, to show they still read exactly as before.
"""

from __future__ import annotations

import json
import resource
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import gguf
import numpy as np
import pytest
from safetensors.numpy import save

from generator.analysis.models import ggufheader
from generator.analysis.models.facts import human_size
from generator.analysis.models.ggufheader import GGUFError, read_gguf_header
from generator.analysis.models.weights import gguf_counts, stream_gguf_prefix
from generator.build import BuildOptions, build_knowledge
from generator.model.errors import Finding
from generator.sources.files.repofiles import MAX_READ_BYTES, folder_at_head, whole_characters
from tests.gitrepo import Repo

ARRAY, STRING, UINT8, UINT32 = (int(gguf.GGUFValueType[name]) for name in ("ARRAY", "STRING", "UINT8", "UINT32"))


# ---------------------------------------------------------------------------------------------------------------
# Building files byte by byte


def gguf_file(*, keys: bytes = b"", key_count: int = 0, tensors: bytes = b"", tensor_count: int = 0,
              magic: bytes = b"GGUF", version: int = 3) -> bytes:
    return magic + struct.pack("<IQQ", version, tensor_count, key_count) + keys + tensors


def gguf_string(text: bytes) -> bytes:
    return struct.pack("<Q", len(text)) + text


def gguf_array(item_type: int, count: int, items: bytes = b"") -> bytes:
    return struct.pack("<IIQ", ARRAY, item_type, count) + items


def safetensors_file(header: dict[str, object] | bytes, data: bytes = b"") -> bytes:
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


def lfs_pointer(size: str) -> str:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{'a' * 64}\nsize {size}\n"


# ---------------------------------------------------------------------------------------------------------------
# A build in a child process, so that a header which makes the reader loop cannot take the test run with it

_CHILD = """
import json, resource, sys
from pathlib import Path
from generator.model.errors import Finding
from generator.build import BuildOptions, build_knowledge
from generator.analysis.models.facts import human_size
def peak_kib():
    # This process's own peak (VmHWM): ru_maxrss keeps the peak of the pytest process it was forked from
    # (preexec_fn forks), so it grew with every test run before this one.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
knowledge = build_knowledge(BuildOptions(repo=Path(sys.argv[1]), use_cache=False))
print(json.dumps({"findings": [[f.where, f.message] for f in knowledge.findings],
                  "facts": {fact.label: fact.value for fact in knowledge.model_facts},
                  "peak_kib": peak_kib()}))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def build_in_child(repo: Path) -> dict[str, object]:
    """The findings, facts and peak memory of a build of ``repo``, run with 3 GiB of address space and
    a minute at most (a reader that loops on a hostile count reaches either well before)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(repo)], capture_output=True, text=True, timeout=60,
                          preexec_fn=_limit_memory, env={"OPENBLAS_NUM_THREADS": "1", **_environment()},
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _environment() -> dict[str, str]:
    import os

    return dict(os.environ)


def findings_by_file(findings: object) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for where, message in findings:  # type: ignore[attr-defined]
        found.setdefault(where, []).append(message)
    return found


# ---------------------------------------------------------------------------------------------------------------
# GGUF


HUGE = 1 << 62
HOSTILE_GGUF = {
    # The audit's 60-byte file: one key holding an array of 2**62 bytes.
    "array.gguf": gguf_file(key_count=1, keys=gguf_string(b"a") + gguf_array(UINT8, HUGE)),
    "strings.gguf": gguf_file(key_count=1, keys=gguf_string(b"a") + gguf_array(STRING, HUGE)),
    "tensors.gguf": gguf_file(tensor_count=HUGE),
    "keys.gguf": gguf_file(key_count=HUGE),
    "key-length.gguf": gguf_file(key_count=1, keys=struct.pack("<Q", HUGE) + bytes(8)),
    "nested.gguf": gguf_file(key_count=1, keys=gguf_string(b"a") + gguf_array(ARRAY, 1, struct.pack("<IQ", ARRAY, 1)
                                                                             + struct.pack("<IQ", UINT8, 1) + b"\0")),
    "dimensions.gguf": gguf_file(tensor_count=1, tensors=gguf_string(b"w") + struct.pack("<I", 2)
                                 + struct.pack("<QQ", HUGE, HUGE) + struct.pack("<IQ", 0, 0)),
    # The same header at the start of a file too large to read whole: its header is streamed from git.
    "large-array.gguf": gguf_file(key_count=1, keys=gguf_string(b"a") + gguf_array(UINT8, HUGE)) + bytes(9 << 20),
    "magic.gguf": gguf_file(magic=b"GGUG"),
    "version.gguf": gguf_file(version=7),
}


@pytest.fixture(scope="module")
def hostile_gguf_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    repo = Repo(tmp_path_factory.mktemp("gguf") / "repo")
    repo.commit("Hostile GGUF headers", {**HOSTILE_GGUF, "README.md": "# M\n"})
    return findings_by_file(build_in_child(repo.path)["findings"])


@pytest.mark.parametrize(("path", "message"), [
    ("array.gguf", "array length 4,611,686,018,427,387,904 at offset 41 is more than the file's 49 bytes can hold"),
    ("large-array.gguf", "array length 4,611,686,018,427,387,904 at offset 41 is more than the file's 9,437,233 "
                         "bytes can hold"),
    ("strings.gguf", "array length 4,611,686,018,427,387,904 at offset 41 is more than the file's 49 bytes can hold"),
    ("tensors.gguf", "tensor count 4,611,686,018,427,387,904 at offset 8 is more than the file's 24 bytes can hold"),
    ("keys.gguf", "key count 4,611,686,018,427,387,904 at offset 16 is more than the file's 24 bytes can hold"),
    ("key-length.gguf", "key length 4,611,686,018,427,387,904 at offset 24 is more than the file's 40 bytes can hold"),
    ("nested.gguf", "arrays nested deeper than 2 at offset 61"),
    ("dimensions.gguf", "tensor 'w' at offset 24 holds more values than the file has bits"),
    ("magic.gguf", "wrong magic (not a GGUF file) at offset 0"),
    ("version.gguf", "version 7 is not one the gguf package reads at offset 4"),
])
def test_a_hostile_gguf_header_is_one_finding_with_its_offset(hostile_gguf_build: dict[str, list[str]], path: str,
                                                              message: str) -> None:
    assert hostile_gguf_build[path] == [f"not a readable GGUF file ({message})"]


def test_a_gguf_header_has_a_budget_of_entries_and_of_time(monkeypatch: pytest.MonkeyPatch) -> None:
    vocabulary = gguf_file(key_count=1, keys=gguf_string(b"tokens") + gguf_array(STRING, 70_000, bytes(8 * 70_000)))
    assert read_gguf_header(vocabulary).values == {}  # a large vocabulary is fine
    monkeypatch.setattr(ggufheader, "MAX_ENTRIES", 1000)
    with pytest.raises(GGUFError, match=r"^header too large: more than 1,000 entries by offset 8046$"):
        read_gguf_header(vocabulary)
    monkeypatch.setattr(ggufheader, "MAX_ENTRIES", 10**9)
    monkeypatch.setattr(ggufheader, "MAX_SECONDS", 0)
    with pytest.raises(GGUFError, match=r"^header too slow to read: gave up after 0 s at offset 524326$"):
        read_gguf_header(vocabulary)


def _written_gguf(path: Path, endianess: gguf.GGUFEndian) -> bytes:
    writer = gguf.GGUFWriter(str(path), "llama", endianess=endianess)
    writer.add_name("Tiny ☃")
    writer.add_context_length(4096)
    writer.add_file_type(7)
    writer.add_license("apache-2.0")
    writer.add_bool("tiny.flag", True)
    writer.add_float64("tiny.scale", 0.5)
    writer.add_int64("tiny.offset", -3)
    writer.add_token_list([f"tok{index}" for index in range(300)])
    writer.add_token_scores([float(index) for index in range(300)])
    writer.add_array("tiny.nested", [[1, 2], [3]])
    writer.add_tensor("token_embd.weight", np.zeros((32, 8), dtype=np.float16))
    writer.add_tensor("output_norm.weight", np.zeros((8,), dtype=np.float32))
    writer.add_tensor("blk.0.ffn.weight", np.zeros((4, 34), dtype=np.uint8), raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path.read_bytes()


@pytest.mark.parametrize("endianess", [gguf.GGUFEndian.LITTLE, gguf.GGUFEndian.BIG])
def test_a_real_gguf_file_reads_as_the_gguf_package_reads_it(tmp_path: Path, endianess: gguf.GGUFEndian) -> None:
    data = _written_gguf(tmp_path / "tiny.gguf", endianess)
    reader = gguf.GGUFReader(tmp_path / "tiny.gguf")
    header = read_gguf_header(data)
    assert [(t.name, t.type_name, t.elements) for t in header.tensors] == [
        (t.name, t.tensor_type.name, int(t.n_elements)) for t in reader.tensors]
    assert [(t.name, t.type_name, t.elements) for t in header.tensors] == [
        ("token_embd.weight", "F16", 256), ("output_norm.weight", "F32", 8), ("blk.0.ffn.weight", "Q8_0", 128)]
    single = {name: field.contents() for name, field in reader.fields.items()
              if field.types and field.types[0] != gguf.GGUFValueType.ARRAY and not name.startswith("GGUF.")}
    assert header.values == single
    assert header.values["general.name"] == "Tiny ☃" and header.values["llama.context_length"] == 4096


def test_a_large_gguf_file_is_read_to_its_header_only(repo: Repo, tmp_path: Path) -> None:
    writer = gguf.GGUFWriter(str(tmp_path / "big.gguf"), "llama")
    writer.add_context_length(8192)
    writer.add_token_list([f"tok{index}" for index in range(1000)])
    writer.add_tensor("token_embd.weight", np.zeros((3, 1024, 1024), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    data = (tmp_path / "big.gguf").read_bytes()
    assert len(data) > 8 << 20  # larger than Almanac reads whole
    repo.commit("A real-sized GGUF", {"big.gguf": data})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    facts = {fact.label: fact.value for fact in knowledge.model_facts}
    assert facts["Parameters (big.gguf)"] == "3,145,728 (F32 3,145,728)" and facts["GGUF context_length"] == "8192"
    assert not [f for f in knowledge.findings if f.where == "big.gguf"]
    consumed: list[int] = []

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(data), 4096):
            consumed.append(start)
            yield data[start : start + 4096]

    header = stream_gguf_prefix(chunks(), len(data))
    assert read_gguf_header(header, len(data)).length == len(header) < 20_000
    assert len(consumed) * 4096 < len(header) + 4096  # the header's chunks, not 12 MiB


def test_a_streamed_gguf_header_stops_at_its_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _written_gguf(tmp_path / "tiny.gguf", gguf.GGUFEndian.LITTLE) + bytes(1 << 20)
    monkeypatch.setattr(ggufheader, "MAX_STREAMED_BYTES", 1024)
    prefix = stream_gguf_prefix((data[start : start + 512] for start in range(0, len(data), 512)), len(data))
    assert len(prefix) == 1024
    with pytest.raises(GGUFError, match=r"^header too large: more than 1,024 bytes by offset 1"):
        read_gguf_header(b"", len(data), iter([prefix, data[1024:]]).__next__)
    findings: list[Finding] = []
    assert gguf_counts(prefix, "tiny.gguf", findings, len(data)) is None
    assert str(findings[0]).startswith("tiny.gguf: not a readable GGUF file (")
    assert str(findings[0]).endswith("runs past the end of the first 1,024 bytes read)")


def test_a_gguf_file_whose_tensors_lie_past_its_end_is_one_finding(tmp_path: Path) -> None:
    data = _written_gguf(tmp_path / "tiny.gguf", gguf.GGUFEndian.LITTLE)
    with pytest.raises(GGUFError, match=r"^the data of tensor 'blk.0.ffn.weight' ends beyond the file's "):
        read_gguf_header(data[:-64])


# ---------------------------------------------------------------------------------------------------------------
# safetensors and Git LFS pointers


def _tensor(shape: object, offsets: object = (0, 4)) -> dict[str, object]:
    return {"w": {"dtype": "F32", "shape": shape, "data_offsets": offsets}}


HOSTILE_SAFETENSORS = {
    "infinity.safetensors": safetensors_file(b'{"w": {"dtype": "F32", "shape": [Infinity], "data_offsets": [0, 4]}}'),
    "nan.safetensors": safetensors_file(b'{"w": {"dtype": "F32", "shape": [2, NaN], "data_offsets": [0, 4]}}'),
    "overflow.safetensors": safetensors_file(b'{"w": {"dtype": "F32", "shape": [1e400], "data_offsets": [0, 4]}}'),
    "negative.safetensors": safetensors_file(_tensor([-1, -4])),
    "fraction.safetensors": safetensors_file(_tensor([2.5])),
    "boolean.safetensors": safetensors_file(_tensor([True])),
    "huge.safetensors": safetensors_file(_tensor([10**18] * 40)),
    "offsets.safetensors": safetensors_file(b'{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, Infinity]}}'),
    "deep.safetensors": safetensors_file(b"[" * 100_000 + b"]" * 100_000),
    "length.safetensors": struct.pack("<Q", (1 << 64) - 1) + b"{}",
}


def test_hostile_safetensors_headers_are_one_finding_each_naming_the_tensor_and_key(repo: Repo) -> None:
    good = save({"a": np.zeros((5,), dtype=np.float16)})
    repo.commit("Weights", {**HOSTILE_SAFETENSORS, "good.safetensors": good, "README.md": "# M\n"})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    found = findings_by_file([(f.where, f.message) for f in knowledge.findings])
    tensor = "safetensors header is not valid (tensor 'w' → {}); its parameters are not counted"
    assert {path: found[path] for path in HOSTILE_SAFETENSORS} == {
        "infinity.safetensors": [tensor.format("shape: Infinity is not a size")],
        "nan.safetensors": [tensor.format("shape: NaN is not a size")],
        "overflow.safetensors": [tensor.format("shape: Infinity is not a size")],
        "negative.safetensors": [tensor.format("shape: -1 is not a size")],
        "fraction.safetensors": [tensor.format("shape: 2.5 is not a size")],
        "boolean.safetensors": [tensor.format("shape: true is not a size")],
        "huge.safetensors": [tensor.format("shape: [1000000000000000000, 10000000000000000… holds more values"
                                           " than the file has bits")],
        "offsets.safetensors": [tensor.format("data_offsets: [0, Infinity] is not a start and an end")],
        "deep.safetensors": ["safetensors header is not valid (maximum recursion depth exceeded while decoding a "
                             "JSON array from a unicode string)"],
        "length.safetensors": ["safetensors header length 18446744073709551615 exceeds the file size 10"],
    }
    facts = {fact.label: fact.value for fact in knowledge.model_facts}
    assert facts["Parameters (from weights)"] == "5"  # the good file still counts, the build goes on


def test_a_truncated_file_with_a_consistent_header_keeps_its_counts(repo: Repo) -> None:
    data = save({"w": np.zeros((1000, 1000), dtype=np.float32)})
    repo.commit("Cut weights", {"model.safetensors": data[:1000]})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [f.message for f in knowledge.findings if f.where == "model.safetensors"] == [
        "the header describes 4,000,000 bytes of tensors but the file holds 920: truncated or damaged"]


@pytest.mark.parametrize("size", ["9" * 5000, "9" * 30])
def test_a_git_lfs_pointer_with_an_unbelievable_size_is_one_finding(repo: Repo, size: str) -> None:
    repo.commit("Weights in LFS", {"model.safetensors": lfs_pointer("1234"), "README.md": "# M\n"})
    repo.tag("v1")
    repo.commit("Re-uploaded", {"model.safetensors": lfs_pointer(size)})
    repo.tag("v2")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [f.message for f in knowledge.findings if f.where == "model.safetensors"] == [
        "a Git LFS pointer without a believable size (at most 1024.0 TiB); its parameters are not counted"]
    release = next(release for release in knowledge.releases if release.tag == "v2")
    pointer = human_size(len(lfs_pointer(size)))  # not a pointer Almanac believes: the file it is
    assert [change.description for change in release.model_changes] == [
        f"model.safetensors changed (1.2 KiB → {pointer}, no longer in Git LFS)"]


# ---------------------------------------------------------------------------------------------------------------
# Blobs: what a build reads is bounded by what it needs


def test_a_long_text_is_read_to_its_first_mebibyte_and_whole_characters(repo: Repo) -> None:
    start = "# Tiny\n\nUn modèle café.\n\n"
    start += "x" * ((len(start.encode()) + 1) % 2)  # so that the cut at 1 MiB falls inside an "é"
    readme = start + "é" * (1 << 20) + "\nThe end.\n"
    repo.commit("A long card", {"README.md": readme})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [(f.message, f.level) for f in knowledge.findings if f.where == "README.md"] == [
        ("larger than 1 MiB; only its first 1 MiB is read", "info")]
    assert knowledge.description == "Un modèle café."  # still UTF-8: no half character at the cut


def test_an_imported_page_read_in_part_says_so(repo: Repo) -> None:
    """import_docs publishes what it read: a page cut at the text bound is a finding, not silently short."""
    repo.commit("Docs", {"docs/long.md": "# Long\n\n" + "word " * (300 * 1024), "docs/short.md": "# Short\n"})
    findings: list[Finding] = []
    pages = folder_at_head(repo.path, "docs", findings)
    assert len(pages["docs/long.md"]) == 1 << 20 and pages["docs/short.md"] == b"# Short\n"
    assert [(f.where, f.message) for f in findings] == [("docs/long.md",
                                                         "larger than 1 MiB; only its first 1 MiB is read")]


def test_whole_characters_drops_only_a_cut_character() -> None:
    text = "aé€😀".encode()
    assert [whole_characters(text[:end]).decode() for end in range(len(text) + 1)] == [
        "", "a", "a", "aé", "aé", "aé", "aé€", "aé€", "aé€", "aé€", "aé€😀"]


def test_what_a_build_reads_is_bounded_in_total_smallest_files_first(repo: Repo) -> None:
    config = json.dumps({"model_type": "llama"}).encode()
    files = {f"m{index}/config.json": config.ljust(8 << 20) for index in range(9)}
    commit_without_work_tree(repo, {**files, "README.md": b"# M\n", "config.json": config})
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert MAX_READ_BYTES == 64 << 20
    assert [f.message for f in knowledge.findings if f.where == "repository" and "files" in f.message] == [
        "the files worth reading add up to more than 64 MiB; the 2 largest were not read (m8/config.json, "
        "m7/config.json)"]
    assert {fact.label: fact.value for fact in knowledge.model_facts}["Architecture"] == "llama"


def commit_without_work_tree(repo: Repo, files: dict[str, bytes]) -> None:
    """Commit ``files`` straight from git objects, each distinct content written once (a hundred names
    may share one 8 MiB blob: git still answers each name with all of it)."""
    blobs = {content: repo.git("hash-object", "-w", "--stdin", input=content) for content in set(files.values())}
    index = "".join(f"100644 {blobs[content]}\t{name}\n" for name, content in files.items())
    repo.git("update-index", "--add", "--index-info", input=index.encode())
    author = "A <a@example.com>"
    repo.git("commit", "-q", "-m", "Large files", env=repo._identities(author, author, "+0000"))


def test_a_repository_of_zero_filled_blobs_builds_in_bounded_memory(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "zeros")
    names = [f"LICENSES/L{index}.txt" if index % 3 == 0 else f"m{index}/README.md" if index % 3 == 1
             else f"m{index}/config.json" for index in range(18)]
    commit_without_work_tree(repo, dict.fromkeys(names, bytes(8 << 20)))
    result = build_in_child(repo.path)
    found = findings_by_file(result["findings"])
    assert found["LICENSES/L0.txt"][0] == found["m1/README.md"][0] == "larger than 1 MiB; only its first 1 MiB is read"
    # 144 MiB of blobs: a build used to hold them all, twice (about 300 MB here, 1.6 GB for a hundred);
    # now it holds the texts' first MiB and the configs, one at a time as git writes them (about 125 MB).
    assert int(result["peak_kib"]) < 220 << 10  # type: ignore[call-overload]
