"""Model, weights and licence changes between releases: real repositories, golden lines, constant git calls."""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.analysis.models.changes import (
    FileState,
    describe_changes,
    model_changes_between,
    read_states,
)
from generator.model.knowledge import ModelChange
from generator.sources.files.filekinds import tracked_paths
from generator.sources.git.repo import GitRunner
from tests.gitrepo import Repo

TEMPLATE_V1 = "{% for message in messages %}<|{{ message['role'] }}|>{{ message['content'] }}{% endfor %}" * 2
TEMPLATE_V2 = TEMPLATE_V1 + "{% if add_generation_prompt %}<|assistant|>{% endif %}"
LICENCE_V1 = "Model Licence\n\n1. You may use the model.\n2. You may share it.\n3. No warranty.\n"
LICENCE_V2 = "Model Licence\n\n1. You may use the model for research.\n2. You may share it.\n3. No warranty.\n" \
             "4. Attribution is required.\n5. Acceptable use policy applies.\n"


def safetensors(values: list[float]) -> bytes:
    """A real safetensors file written by hand: 8-byte little-endian header length, JSON header, data."""
    data = struct.pack(f"<{len(values)}f", *values)
    header = json.dumps({"w": {"dtype": "F32", "shape": [len(values)], "data_offsets": [0, len(data)]}}).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + data


def lfs_pointer(digit: str, size: int) -> str:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{digit * 64}\nsize {size}\n"


def card(licence: str, mmlu: float, body: str = "# Tiny LM\n\nA small model.\n") -> str:
    return (
        f"---\nlicense: {licence}\nlanguage: [en]\nmodel-index:\n- name: tiny-lm\n  results:\n"
        "  - task: {type: text-generation}\n    dataset: {name: MMLU (5-shot), type: cais/mmlu}\n"
        f"    metrics:\n    - {{type: accuracy, value: {mmlu}}}\n"
        "  - task: {type: text-generation}\n    dataset: {name: GSM8k (5-shot), type: gsm8k}\n"
        "    metrics:\n    - {type: accuracy, value: 30.2}\n"
        f"---\n{body}"
    )


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2) + "\n"


CONFIG_V1 = {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "max_position_embeddings": 4096,
             "torch_dtype": "float16", "use_cache": True}
CONFIG_V2 = {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "max_position_embeddings": 8192,
             "rope_scaling": {"factor": 2.0, "type": "linear"}, "torch_dtype": "float16"}
SHARD_1, SHARD_2 = "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"
INDEX_V1 = {"metadata": {"total_size": 1_288_490_188},
            "weight_map": {"a.weight": SHARD_1, "b.weight": SHARD_1, "c.weight": SHARD_2, "d.weight": SHARD_2}}
INDEX_V3 = {"metadata": {"total_size": 1_503_238_553},
            "weight_map": {"a.weight": SHARD_2, "b.weight": SHARD_2, "c.weight": SHARD_1, "e.weight": SHARD_2}}


def build_releases(repo: Repo) -> list[str]:
    """Three tagged releases of a small model repository; returns their SHAs, oldest first."""
    repo.commit("First release", {
        "config.json": dumps(CONFIG_V1),
        "tokenizer_config.json": dumps({"bos_token": "<s>", "chat_template": TEMPLATE_V1}),
        "tokenizer.json": dumps({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}}}),
        "model.safetensors": safetensors([1.0, 2.0]),
        "model-00001-of-00002.safetensors": lfs_pointer("a", 4_939_212_390),
        "model.safetensors.index.json": dumps(INDEX_V1),
        "LICENSE": LICENCE_V1,
        "USE_POLICY.md": "Do not use the model for harm.\n",
        "README.md": card("apache-2.0", 64.1),
        "small/config.json": dumps({"hidden_size": 32, "num_hidden_layers": 2}),
        "notes.txt": "scratch notes\n",
    })
    repo.tag("v1.0")
    (repo.path / "USE_POLICY.md").unlink()
    (repo.path / "notes.txt").unlink()
    repo.commit("Longer context, new licence", {
        "config.json": dumps(CONFIG_V2),
        "tokenizer_config.json": dumps({"bos_token": "<s>", "chat_template": TEMPLATE_V2}),
        "model.safetensors": safetensors([1.0, 2.0, 3.0, 4.0]),
        "model-00001-of-00002.safetensors": lfs_pointer("b", 5_100_000_000),
        "LICENSE": LICENCE_V2,
        "MODEL_LICENSE": "Additional terms for the weights.\n",
        "README.md": card("mit", 63.8),
        "small/config.json": dumps({"hidden_size": 48, "num_hidden_layers": 2}),
        "docs/USE_POLICY.md": "Do not use the model for harm.\n",
        "docs/notes.txt": "scratch notes\n",
    })
    repo.tag("v1.1")
    repo.commit("Reshard, new tokenizer, a broken config", {
        "config.json": dumps(CONFIG_V2)[:-3] + ",}\n",
        "generation_config.json": dumps({"temperature": 0.6}),
        "tokenizer.json": dumps({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2}}}),
        "model.safetensors.index.json": dumps(INDEX_V3),
        "README.md": card("mit", 63.8, body="# Tiny LM\n\nA small model, better described.\n"),
        "MIGRATION.md": "Use the new tokenizer.\n",
    })
    repo.tag("v1.2")
    return [repo.git("rev-parse", f"{tag}^{{commit}}") for tag in ("v1.0", "v1.1", "v1.2")]


class RecordingRunner(GitRunner):
    """A runner that also keeps what each process was fed, to check what was asked of git."""

    def __init__(self, repo: Repo) -> None:
        super().__init__(repo.path)
        self.inputs: list[bytes] = []

    def stream(self, *args: str, stdin: bytes = b"") -> Iterator[bytes]:
        self.inputs.append(stdin)
        return super().stream(*args, stdin=stdin)


def history_paths(repo: Repo) -> list[str]:
    """What the caller passes: every path the history touched (renames listed under both names)."""
    return repo.git("log", "--format=", "--name-only", "--no-renames").splitlines()


def descriptions(changes: list[ModelChange]) -> list[tuple[str, str]]:
    return [(change.path, change.description) for change in changes]


def test_release_changes_golden(repo: Repo) -> None:
    v10, v11, v12 = build_releases(repo)
    runner = GitRunner(repo.path)
    before = len(runner.calls)
    result = model_changes_between(runner, [(None, v10), (v10, v11), (v11, v12)], history_paths(repo))
    assert len(runner.calls) - before == 2
    assert result[0] == []
    assert descriptions(result[1]) == [
        ("LICENSE", "licence file changed (+3 −1 lines)"),
        ("MODEL_LICENSE", "licence file added"),
        ("README.md", "license apache-2.0 → mit"),
        ("README.md", "model-index: MMLU (5-shot) accuracy 64.1 → 63.8"),
        ("config.json", "max_position_embeddings 4096 → 8192"),
        ("config.json", 'added rope_scaling.factor = 2.0'),
        ("config.json", 'added rope_scaling.type = "linear"'),
        ("config.json", "removed use_cache"),
        ("model-00001-of-00002.safetensors", "model-00001-of-00002.safetensors changed (4.6 GiB → 4.7 GiB, Git LFS)"),
        ("model.safetensors", "model.safetensors changed (80 B → 88 B)"),
        ("small/config.json", "hidden_size 32 → 48"),
        ("tokenizer_config.json", "chat_template changed"),
    ]
    assert descriptions(result[2]) == [
        ("MIGRATION.md", "migration guide added"),
        ("config.json", "config.json changed (not valid JSON in this release)"),
        ("generation_config.json", "generation_config.json added (25 B)"),
        ("model.safetensors.index.json", "total_size 1.2 GiB → 1.4 GiB"),
        ("model.safetensors.index.json", "1 tensor added"),
        ("model.safetensors.index.json", "1 tensor removed"),
        ("model.safetensors.index.json", "3 tensors moved to other shards"),
        ("tokenizer.json", "tokenizer.json changed (88 B → 102 B)"),
    ]


def test_tracked_paths() -> None:
    paths = [
        "config.json", "small/config.json", "small/params.json", "tokenizer.model", "cl100k_base.tiktoken",
        "model-00001-of-00002.safetensors", "model.safetensors.index.json", "pytorch_model-00001-of-00002.bin",
        "pytorch_model.bin.index.json", "ggml/model-q4_0.gguf", "onnx/model.onnx", "LICENSE", "small/LICENSE.txt",
        "LICENSES/MIT.txt", "MODEL_LICENSE", "README.md", "MIGRATION.md", "docs/MIGRATION-v2.md",
        "training_args.bin", "src/app.py", "notes.txt", "evil\nconfig.json", "config.json",
    ]
    assert tracked_paths(paths) == sorted(set(paths) - {"training_args.bin", "src/app.py", "notes.txt",
                                                        "evil\nconfig.json"})


def test_read_states_uses_two_git_processes_for_any_number_of_revisions(repo: Repo) -> None:
    shas = build_releases(repo)
    for number in range(27):
        repo.commit(f"Release {number}", {"config.json": dumps({**CONFIG_V2, "max_position_embeddings": 8192 + number}),
                                         "LICENSE": LICENCE_V2 + f"Revision {number}\n"})
        shas.append(repo.head())
    paths = tracked_paths(history_paths(repo))
    runner = RecordingRunner(repo)
    for revisions in (shas[:3], shas):
        before = len(runner.calls)
        states = read_states(runner, revisions, paths)
        assert len(runner.calls) - before == 2
        assert set(states) == set(revisions)
    assert [command[1:] for command in runner.calls[2:]] == [
        ("cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"), ("cat-file", "--batch")
    ]
    assert len(runner.inputs[2].splitlines()) == 30 * len(paths)
    # Each distinct blob is read once, however many of the 30 revisions share it (every file here is small).
    read = runner.inputs[3].splitlines()
    found = [file for files in states.values() for file in files.values()]
    assert len(read) == len(set(read)) == len({file.object_id for file in found}) < len(found) // 4
    last = states[shas[-1]]
    assert json.loads(last["config.json"].content or b"")["max_position_embeddings"] == 8192 + 26
    assert "USE_POLICY.md" not in last and "docs/USE_POLICY.md" in last  # missing paths are absent
    pointer = states[shas[0]]["model-00001-of-00002.safetensors"]
    assert pointer.content is not None and pointer.content.startswith(b"version https://git-lfs")


def test_weights_are_not_read_unless_small(repo: Repo) -> None:
    big = safetensors([0.5] * 400)  # over 1 KiB: only its size and object id are kept
    repo.commit("weights", {"model.safetensors": big, "config.json": "{}\n", "tokenizer.model": b"\x00" * 2000})
    runner = GitRunner(repo.path)
    state = read_states(runner, [repo.head()], ["model.safetensors", "config.json", "tokenizer.model", "absent.json"])
    files = state[repo.head()]
    assert files["model.safetensors"].content is None and files["model.safetensors"].size == len(big)
    assert files["tokenizer.model"].content is None
    assert files["config.json"].content == b"{}\n"
    assert set(files) == {"model.safetensors", "config.json", "tokenizer.model"}


def test_nothing_to_read_starts_no_git(repo: Repo) -> None:
    repo.commit("one", {"notes.txt": "x\n"})
    runner = GitRunner(repo.path)
    assert model_changes_between(runner, [(None, repo.head())], ["notes.txt", "config.json"]) == [[]]
    assert read_states(runner, [repo.head()], []) == {repo.head(): {}}
    assert runner.calls == []


def state(content: bytes, object_id: str | None = None) -> FileState:
    return FileState(object_id or hashlib.sha1(content).hexdigest(), len(content), content)


def test_invalid_json_on_one_side_is_one_line() -> None:
    good, bad = state(b'{"a": 1}'), state(b'{"a": 1,', "1" * 40)
    assert descriptions(describe_changes({"config.json": good}, {"config.json": bad})) == [
        ("config.json", "config.json changed (not valid JSON in this release)")
    ]
    assert descriptions(describe_changes({"params.json": bad}, {"params.json": good})) == [
        ("params.json", "params.json changed (not valid JSON in the previous release)")
    ]
    assert descriptions(describe_changes({"config.json": good}, {"config.json": state(b"[1, 2]")})) == [
        ("config.json", "config.json changed (not a JSON object in this release)")
    ]


def test_odd_values_stay_one_short_line() -> None:
    old = state(dumps({"name": "a", "evil\u202ekey": 1, "nested": {"deep": [1, 2]}}).encode())
    new = state(dumps({"name": "line\nbreak\u202e" + "x" * 300, "evil\u202ekey": 2, "nested": {"deep": [1, 3]},
                       "k" * 200: True}).encode())
    lines = [change.description for change in describe_changes({"config.json": old}, {"config.json": new})]
    assert lines == ["evilkey 1 → 2", "added " + "k" * 153 + "…", "name changed", "nested.deep [1, 2] → [1, 3]"]
    assert all(len(line) <= 160 and "\n" not in line for line in lines)


def test_lfs_pointer_rewritten_for_the_same_file_says_nothing() -> None:
    pointer = lfs_pointer("c", 1000).encode()
    version, rest = pointer.split(b"\n", 1)  # same file, pointer written by a client that adds an extension line
    rewritten = version + b"\next-0-example sha256:" + b"d" * 64 + b"\n" + rest
    old = {"model.safetensors": state(pointer, "1" * 40)}
    new = {"model.safetensors": FileState("2" * 40, len(rewritten), rewritten)}
    assert describe_changes(old, new) == []
    moved_in = {"model.safetensors": FileState("3" * 40, 3_000_000_000, None)}
    assert descriptions(describe_changes(old, moved_in)) == [
        ("model.safetensors", "model.safetensors changed (1000 B → 2.8 GiB, no longer in Git LFS)")
    ]


JSON_KEYS = st.text(alphabet="abcdefghij_", min_size=1, max_size=6)
SIMPLE = st.recursive(
    st.one_of(st.text(max_size=12), st.integers(), st.booleans()),
    lambda children: st.dictionaries(JSON_KEYS, children, max_size=4),
    max_leaves=12,
)
ANY_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=100)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(JSON_KEYS, SIMPLE, max_size=6))
def test_a_config_compared_with_itself_has_no_changes(config: dict[str, Any]) -> None:
    compact = state(json.dumps(config).encode(), "1" * 40)
    reformatted = state(json.dumps(config, indent=4, sort_keys=True).encode(), "2" * 40)
    assert describe_changes({"config.json": compact}, {"config.json": reformatted}) == []


@given(st.dictionaries(JSON_KEYS, SIMPLE, max_size=6), st.dictionaries(JSON_KEYS, SIMPLE, max_size=6))
def test_configs_differ_exactly_when_changes_are_reported(old: dict[str, Any], new: dict[str, Any]) -> None:
    changes = describe_changes({"a/config.json": state(json.dumps(old).encode(), "1" * 40)},
                               {"a/config.json": state(json.dumps(new).encode(), "2" * 40)})
    same = json.dumps(old, sort_keys=True) == json.dumps(new, sort_keys=True)
    assert (changes == []) == same
    assert all(change.path == "a/config.json" and len(change.description) <= 160 for change in changes)


@given(ANY_JSON, ANY_JSON)
def test_arbitrary_json_never_raises(old: Any, new: Any) -> None:
    for path in ("config.json", "model.safetensors.index.json"):
        before = state(json.dumps(old).encode(), "1" * 40)
        after = state(json.dumps(new).encode(), "2" * 40)
        changes = describe_changes({path: before}, {path: after})
        assert all(isinstance(change, ModelChange) and len(change.description) <= 160 for change in changes)
        wrapped = state(json.dumps({"metadata": old, "weight_map": new}).encode(), "3" * 40)
        describe_changes({path: before}, {path: wrapped})


@given(ANY_JSON)
def test_arbitrary_front_matter_never_raises(value: Any) -> None:
    text = "---\n" + json.dumps({"license": value, "model-index": value}) + "\n---\n# Card\n"
    before = state(card("mit", 1.0).encode(), "1" * 40)
    after = state(text.encode(), "2" * 40)
    assert isinstance(describe_changes({"README.md": before}, {"README.md": after}), list)
