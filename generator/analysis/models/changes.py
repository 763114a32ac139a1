"""What changed in a model between two releases: config keys, tokenizer, weights, licences, card metadata.

Release notes of a model repository must say more than which pull requests landed: a longer context
window, a new chat template, re-uploaded weights or an edited licence change what users get, and often
no commit message says so. This module compares the files that carry those facts at two revisions.

Reading is done for every release at once, in two ``git cat-file`` processes however many releases
there are (a repository with 500 tags must not start 1,000 processes): ``--batch-check`` learns which
object each watched path is at each revision, then ``--batch`` reads each distinct blob worth reading
once. Everything after that is pure functions over the bytes read, so it is tested without git.

Descriptions hold values written by strangers (config values, card metadata). They are returned as
plain, single-line text without control or bidi characters; escaping for a page is the caller's job.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.analysis.models.facts import front_matter, human_size, lfs_pointer_size
from generator.model.errors import AlmanacError, Finding
from generator.model.knowledge import ModelChange
from generator.sources.files.filekinds import (
    CONFIG,
    INDEX,
    LICENCE,
    MIGRATION,
    README,
    TOKENIZER,
    WEIGHTS,
    file_kind,
    tracked_paths,
)
from generator.sources.files.repofiles import cat_file_batch
from generator.sources.git.repo import GitRunner
from generator.text.clean import clean_text, decode_git_bytes
from generator.text.untrusted import load_json

#: Text files (configs, licences, cards) larger than this are compared by object id and size only.
MAX_TEXT_BYTES = 4 << 20
#: Files this small are always read: any of them may be a Git LFS pointer standing for the real file.
LFS_POINTER_MAX_BYTES = 1024
#: Longest description returned; longer ones end in ``…`` so one odd value cannot flood a page.
MAX_DESCRIPTION = 160
#: A value whose JSON is longer than this is summarised as ``key changed`` rather than printed.
MAX_VALUE = 80

#: Kinds compared by content, so read whole when not too large.
_READ_KINDS = frozenset({CONFIG, INDEX, LICENCE, README})
#: Card metadata keys whose change matters to users (licence, lineage, what the model is for).
FRONT_MATTER_KEYS = (
    "license",
    "license_name",
    "license_link",
    "base_model",
    "base_model_relation",
    "datasets",
    "language",
    "pipeline_tag",
    "library_name",
    "tags",
)
#: model-index: at most this many corrected values are listed one per line; the rest are counted.
_MAX_METRIC_LINES = 10
#: model-index: more added (or removed) values than this are counted rather than listed.
_MAX_METRIC_ADDITIONS = 3

#: Nodes a value may hold to be compared or printed, and metric values read from one model card.
_MAX_NODES = 100_000

_LFS_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$", re.MULTILINE)
_OBJECT_TYPES = frozenset({b"blob", b"tree", b"commit", b"tag"})


@dataclass(frozen=True, slots=True)
class FileState:
    """One watched file at one revision; ``content`` is ``None`` when it was deliberately not read (weights)."""

    object_id: str
    size: int
    content: bytes | None


# ---------------------------------------------------------------------------------------------------------------
# Which files are watched


# ---------------------------------------------------------------------------------------------------------------
# Reading: two git processes for any number of revisions


def read_states(runner: GitRunner, revisions: list[str], paths: list[str]) -> dict[str, dict[str, FileState]]:
    """Revision → path → state of every watched path that exists there, in at most two git processes.

    Revisions and paths travel on ``cat-file``'s standard input, never as arguments, so no name can be
    taken for an option. A blob shared by many revisions (a licence unchanged for 500 releases) is read
    once. Weights are not read, except files small enough to be Git LFS pointers. With nothing to ask,
    no process is started; with nothing worth reading, only the first one is.
    """
    revisions = list(dict.fromkeys(revision for revision in revisions if revision and "\n" not in revision))
    states: dict[str, dict[str, FileState]] = {revision: {} for revision in revisions}
    queries = _queries(revisions, paths)
    if not queries:
        return states
    located = _locate(runner, queries)
    wanted = sorted({object_id for (_, path), (object_id, size) in located.items() if _worth_reading(path, size)})
    answers = cat_file_batch(runner, wanted)
    contents = {oid: answer[1] for oid, answer in zip(wanted, answers, strict=True) if answer is not None}
    for (revision, path), (object_id, size) in located.items():
        states[revision][path] = FileState(object_id, size, contents.get(object_id))
    return states


def _queries(revisions: list[str], paths: list[str]) -> list[tuple[str, str, bytes]]:
    """One ``<rev>:<path>`` line per pair; names that cannot be written on one line are left out."""
    queries = []
    for revision in revisions:
        for path in dict.fromkeys(paths):
            if not path or "\n" in path:
                continue
            try:
                line = f"{revision}:{path}\n".encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                continue
            queries.append((revision, path, line))
    return queries


def _locate(runner: GitRunner, queries: list[tuple[str, str, bytes]]) -> dict[tuple[str, str], tuple[str, int]]:
    """(revision, path) → (blob id, size) for the pairs that name a blob, in one ``--batch-check``."""
    out = runner.run_with_input(
        ("cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"),
        b"".join(line for _, _, line in queries),
    )
    answers = out.split(b"\n")
    if answers and answers[-1] == b"":
        answers.pop()
    if len(answers) != len(queries):
        raise AlmanacError(f"git cat-file answered {len(answers)} lines for {len(queries)} questions")
    located: dict[tuple[str, str], tuple[str, int]] = {}
    for (revision, path, _), answer in zip(queries, answers, strict=True):
        found = _parse_check(answer)
        if found is not None:
            located[(revision, path)] = found
    return located


def _parse_check(answer: bytes) -> tuple[str, int] | None:
    """``<id> blob <size>`` → (id, size); ``<input> missing``, trees and submodules → ``None``.

    A symlink named by ``<rev>:<path>`` is its own blob (the link's target text): it is not followed.
    """
    fields = answer.split(b" ")
    if len(fields) != 3 or fields[1] not in _OBJECT_TYPES or not fields[2].isdigit():
        return None
    if fields[1] != b"blob":
        return None
    return fields[0].decode("ascii", "replace"), int(fields[2])


def _worth_reading(path: str, size: int) -> bool:
    """Files compared by content, when not huge; anything small enough to be a Git LFS pointer."""
    return size <= LFS_POINTER_MAX_BYTES or (file_kind(path) in _READ_KINDS and size <= MAX_TEXT_BYTES)


# ---------------------------------------------------------------------------------------------------------------
# Comparing: pure functions over two snapshots


def describe_changes(old: Mapping[str, FileState], new: Mapping[str, FileState]) -> list[ModelChange]:
    """What a user of the model must know changed from ``old`` to ``new``, ordered by path, then key.

    A watched file that only moved (same content under a new path, e.g. ``LICENSE`` → ``LICENSE.txt``)
    says nothing: reporting "licence removed" and "licence added" would alarm readers for no reason.
    Never raises on odd content: broken JSON or YAML becomes a line of its own, or nothing.
    """
    moved = _moved_unchanged(old, new)
    changes: list[ModelChange] = []
    for path in sorted(set(old) | set(new)):
        kind = file_kind(path)
        before, after = old.get(path), new.get(path)
        if kind is None or path in moved or (before and after and before.object_id == after.object_id):
            continue
        lines = _DESCRIBERS[kind](path, before, after)
        lines.sort(key=lambda line: line[0])  # stable: lines of one key keep their order
        changes.extend(ModelChange(path, _one_line(text)) for _, text in lines)
    return changes


#: (sort key, description) lines of one file.
_Lines = list[tuple[str, str]]


def _moved_unchanged(old: Mapping[str, FileState], new: Mapping[str, FileState]) -> set[str]:
    """Paths that disappeared while the same content of the same kind appeared elsewhere, paired one to one."""
    arrived: dict[tuple[str | None, str], list[str]] = {}
    for path in sorted(set(new) - set(old)):
        arrived.setdefault((file_kind(path), _blob(new[path]).identity), []).append(path)
    moved: set[str] = set()
    for path in sorted(set(old) - set(new)):
        candidates = arrived.get((file_kind(path), _blob(old[path]).identity))
        if candidates:
            moved.update((path, candidates.pop(0)))
    return moved


def _one_line(text: str) -> str:
    """Plain text on one line, without control or bidi characters, clipped to ``MAX_DESCRIPTION``."""
    text = " ".join(clean_text(text).split())
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


# Whole files: weights, tokenizers, and the fallback when content cannot be compared.


@dataclass(frozen=True, slots=True)
class _Blob:
    """What a whole-file comparison looks at: for a Git LFS pointer, the real file it stands for."""

    identity: str
    size: int
    lfs: bool


def _blob(state: FileState) -> _Blob:
    content = state.content
    if content is not None and (real_size := lfs_pointer_size(content)) is not None:
        oid = _LFS_OID.search(content[:LFS_POINTER_MAX_BYTES])
        return _Blob(f"lfs:{oid.group(1).decode('ascii') if oid else state.object_id}", real_size, True)
    return _Blob(f"git:{state.object_id}", state.size, False)


def _whole_file(path: str, before: FileState | None, after: FileState | None) -> _Lines:
    """``model.safetensors changed (1.2 GiB → 1.3 GiB)``; Git LFS pointers compare the file they point to."""
    name = _name(path)
    if after is None:
        return [("", f"{name} removed")] if before is not None else []
    new = _blob(after)
    if before is None:
        return [("", f"{name} added ({human_size(new.size)}{', Git LFS' if new.lfs else ''})")]
    old = _blob(before)
    if old.identity == new.identity:
        return []  # e.g. an LFS pointer rewritten for the same file
    sizes = human_size(old.size), human_size(new.size)
    shown = sizes[0] if sizes[0] == sizes[1] else f"{sizes[0]} → {sizes[1]}"
    storage = {
        (True, True): ", Git LFS",
        (False, True): ", now in Git LFS",
        (True, False): ", no longer in Git LFS",
    }.get((old.lfs, new.lfs), "")
    return [("", f"{name} changed ({shown}{storage})")]


def _readable(before: FileState, after: FileState) -> tuple[bytes, bytes] | None:
    """Both contents when both were read and neither is a Git LFS pointer; else compare whole files."""
    if before.content is None or after.content is None:
        return None
    if lfs_pointer_size(before.content) is not None or lfs_pointer_size(after.content) is not None:
        return None
    return before.content, after.content


# JSON configs and weight indexes.

_INVALID = object()


def _parse_json(content: bytes) -> Any:
    """The JSON value, or ``_INVALID``; a BOM (Windows editors add one) is tolerated."""
    try:
        return load_json(decode_git_bytes(content).lstrip("\ufeff"))
    except ValueError:  # JSONDecodeError, which load_json raises for every kind of bad JSON
        return _INVALID


def _parsed_pair(path: str, before: FileState, after: FileState) -> tuple[dict[str, Any], dict[str, Any]] | _Lines:
    """Both sides as JSON objects, or the line explaining why they cannot be compared key by key."""
    contents = _readable(before, after)
    if contents is None:
        return _whole_file(path, before, after)
    values = [_parse_json(content) for content in contents]
    sides = ("in the previous release", "in this release", "in either release")
    invalid = [value is _INVALID for value in values]
    if any(invalid):
        where = sides[2] if all(invalid) else sides[0] if invalid[0] else sides[1]
        return [("", f"{_name(path)} changed (not valid JSON {where})")]
    objects = [isinstance(value, dict) for value in values]
    if not all(objects):
        where = sides[2] if not any(objects) else sides[1] if objects[0] else sides[0]
        return [("", f"{_name(path)} changed (not a JSON object {where})")]
    return values[0], values[1]


def _describe_config(path: str, before: FileState | None, after: FileState | None) -> _Lines:
    """One line per changed key, nested keys dotted: ``rope_scaling.factor 2.0 → 4.0``."""
    if before is None or after is None:
        return _whole_file(path, before, after)
    parsed = _parsed_pair(path, before, after)
    if isinstance(parsed, list):
        return parsed
    return diff_values(flatten(parsed[0]), flatten(parsed[1]))


def _describe_index(path: str, before: FileState | None, after: FileState | None) -> _Lines:
    """A sharded-weights index: metadata key by key, the tensor → shard map as counts (it has thousands)."""
    if before is None or after is None:
        return _whole_file(path, before, after)
    parsed = _parsed_pair(path, before, after)
    if isinstance(parsed, list):
        return parsed
    old, new = parsed
    lines: _Lines = []
    metadata = [value if isinstance(value, dict) else {} for value in (old.get("metadata"), new.get("metadata"))]
    for key, text in diff_values(flatten(metadata[0]), flatten(metadata[1]), show=_show_metadata):
        lines.append((f"metadata.{key}", text))
    maps = [value if isinstance(value, dict) else {} for value in (old.get("weight_map"), new.get("weight_map"))]
    lines.extend(("weight_map", text) for text in _weight_map_changes(maps[0], maps[1]))
    return lines


def _show_metadata(key: str, value: Any) -> str | None:
    if key == "total_size" and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return human_size(value)
    return _show(value)


def _weight_map_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    def counted(count: int, singular: str, plural: str) -> str:
        return f"{count} {singular if count == 1 else plural}"

    lines = []
    shards = [len({_canonical(shard) for shard in mapping.values()}) for mapping in (old, new)]
    if shards[0] != shards[1]:
        lines.append(f"weights in {shards[0]} → {shards[1]} shards")
    added = len(new.keys() - old.keys())
    removed = len(old.keys() - new.keys())
    moved = sum(1 for tensor in old.keys() & new.keys() if _canonical(old[tensor]) != _canonical(new[tensor]))
    if added:
        lines.append(f"{counted(added, 'tensor', 'tensors')} added")
    if removed:
        lines.append(f"{counted(removed, 'tensor', 'tensors')} removed")
    if moved:
        lines.append(f"{counted(moved, 'tensor moved to another shard', 'tensors moved to other shards')}")
    return lines


def flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """Nested objects as dotted keys (``rope_scaling.factor``); lists and empty objects stay whole values.

    Iterative, so a stranger's deeply nested config cannot exhaust the stack.
    """
    flat: dict[str, Any] = {}
    stack: list[tuple[str, Mapping[str, Any]]] = [("", data)]
    while stack:
        prefix, mapping = stack.pop()
        for key, value in mapping.items():
            dotted = f"{prefix}{key}"
            if isinstance(value, dict) and value:
                stack.append((f"{dotted}.", value))
            else:
                flat[dotted] = value
    return flat


def _small(value: Any, budget: int = _MAX_NODES) -> bool:
    """Whether a value holds at most ``budget`` nodes, counting shared ones again, as writing it out would.

    YAML aliases let a few bytes of front matter stand for a value of billions of nodes ("billion
    laughs"); such a value must not be written out or walked.
    """
    pending = [value]
    while pending:
        budget -= 1
        if budget < 0:
            return False
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            pending.extend(item)
    return True


def _canonical(value: Any) -> str:
    """A comparable text of a value: ``true`` differs from ``1`` and ``1.0`` from ``1``, NaN equals itself.

    A value too large to write out (see ``_small``) compares equal to any other such value: missing a
    change in a booby-trapped card is better than hanging the build.
    """
    if not _small(value):
        return "<too large to compare>"
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):  # keys of mixed types in YAML, very deep values
        try:
            return f"{type(value).__name__}:{value!r}"
        except (RecursionError, ValueError):
            return f"{type(value).__name__}:{id(value)}"


def _show(value: Any, *, quote_strings: bool = True) -> str | None:
    """A value as it will be printed, or ``None`` when too long to be worth printing (``key changed``)."""
    if not _small(value):
        return None
    if isinstance(value, str) and not quote_strings:
        text = value
    elif isinstance(value, float) and math.isfinite(value):
        text = repr(value)
    else:
        text = _canonical(value)
    return text if len(text) <= MAX_VALUE else None


def _show_plain(key: str, value: Any) -> str | None:
    return _show(value, quote_strings=False)


def _show_json(key: str, value: Any) -> str | None:
    return _show(value)


def diff_values(
    before: Mapping[str, Any], after: Mapping[str, Any], show: Callable[[str, Any], str | None] = _show_json
) -> _Lines:
    """(key, line) per key whose value differs: ``key old → new``, ``added key = value``, ``removed key``."""
    lines: _Lines = []
    for key in sorted(set(before) | set(after)):
        if key not in after:
            lines.append((key, f"removed {key}"))
        elif key not in before:
            shown = show(key, after[key])
            lines.append((key, f"added {key}" if shown is None else f"added {key} = {shown}"))
        elif _canonical(before[key]) != _canonical(after[key]):
            old, new = show(key, before[key]), show(key, after[key])
            summarised = old is None or new is None or old == new
            lines.append((key, f"{key} changed" if summarised else f"{key} {old} → {new}"))
    return lines


# Licences, migration guides, the model card.


def _describe_licence(path: str, before: FileState | None, after: FileState | None) -> _Lines:
    """``licence file changed (+12 −3 lines)``: the size of an edit hints at how much the terms moved."""
    if before is None:
        return [("", "licence file added")]
    if after is None:
        return [("", "licence file removed")]
    contents = _readable(before, after)
    if contents is None:
        return [("", "licence file changed")]
    added, deleted = line_counts(decode_git_bytes(contents[0]), decode_git_bytes(contents[1]))
    if added == deleted == 0:
        return [("", "licence file changed (line endings or encoding only)")]
    return [("", f"licence file changed (+{added} −{deleted} lines)")]


def line_counts(old: str, new: str) -> tuple[int, int]:
    """Lines added and deleted from ``old`` to ``new``, as a diff would count them."""
    a, b = old.splitlines(), new.splitlines()
    # Exact matching is quadratic in the worst case; past a few thousand lines accept difflib's heuristic.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 5000)
    added = deleted = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            deleted += i2 - i1
            added += j2 - j1
    return added, deleted


def _describe_migration(path: str, before: FileState | None, after: FileState | None) -> _Lines:
    verb = "added" if before is None else "removed" if after is None else "changed"
    return [("", f"migration guide {verb}")]


def _describe_readme(path: str, before: FileState | None, after: FileState | None) -> _Lines:
    """The card's front matter only (licence, base model, languages, benchmark results); prose is not news."""
    old, new = _card_metadata(path, before), _card_metadata(path, after)
    if old is None or new is None:
        return []  # too large to read, or an LFS pointer: nothing reliable to say
    watched = [{key: data[key] for key in FRONT_MATTER_KEYS if key in data} for data in (old, new)]
    lines = diff_values(watched[0], watched[1], show=_show_plain)
    lines.extend(("model-index", text) for text in _model_index_changes(old, new))
    return lines


def _card_metadata(path: str, state: FileState | None) -> dict[str, Any] | None:
    """Front matter of a README (empty when absent); ``None`` when it was not read."""
    if state is None:
        return {}
    if state.content is None or lfs_pointer_size(state.content) is not None:
        return None
    findings: list[Finding] = []  # a broken card is reported by the overview, not by release notes
    try:
        return front_matter(decode_git_bytes(state.content), path, findings)
    except (ValueError, RecursionError):  # YAML bombs and oddities the parser does not wrap
        return {}


def metric_values(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """``model-index`` results as ``"<dataset name> <metric type>"`` → value, best-effort on any shape.

    The same label twice (several splits, or several models in one card) gets ``[2]``, ``[3]``… in order.
    """
    values: dict[str, Any] = {}
    uses: dict[str, int] = {}
    for dataset, metric in _metrics(metadata.get("model-index")):
        dataset_name = _label(dataset.get("name") or dataset.get("type")) if isinstance(dataset, dict) else ""
        metric_name = _label(metric.get("type") or metric.get("name"))
        label = " ".join(part for part in (dataset_name, metric_name) if part) or "result"
        uses[label] = uses.get(label, 0) + 1
        key = label if uses[label] == 1 else f"{label} [{uses[label]}]"
        while key in values:  # a label that itself ends in " [2]"
            uses[label] += 1
            key = f"{label} [{uses[label]}]"
        values[key] = metric.get("value")
    return values


def _metrics(entries: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(dataset, metric) pairs of a ``model-index``, skipping odd shapes.

    Stops after ``_MAX_NODES`` results and metrics: YAML aliases can repeat a list of results endlessly.
    """
    visited = 0
    for entry in entries if isinstance(entries, list) else []:
        results = entry.get("results") if isinstance(entry, dict) else None
        for result in results if isinstance(results, list) else []:
            visited += 1
            if visited > _MAX_NODES:
                return
            metrics = result.get("metrics") if isinstance(result, dict) else None
            for metric in metrics if isinstance(metrics, list) else []:
                visited += 1
                if visited > _MAX_NODES:
                    return
                if isinstance(metric, dict):
                    yield result.get("dataset"), metric


def _label(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else "" if value is None else _canonical(value)


def _model_index_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Corrected benchmark numbers one per line; results added or removed in bulk are counted."""
    before, after = metric_values(old), metric_values(new)
    lines: list[str] = []
    changed = [
        key for key in sorted(before.keys() & after.keys()) if _canonical(before[key]) != _canonical(after[key])
    ]
    for key in changed[:_MAX_METRIC_LINES]:
        old_value, new_value = _show(before[key], quote_strings=False), _show(after[key], quote_strings=False)
        if old_value is None or new_value is None or old_value == new_value:
            lines.append(f"model-index: {key} changed")
        else:
            lines.append(f"model-index: {key} {old_value} → {new_value}")
    if len(changed) > _MAX_METRIC_LINES:
        lines.append(f"model-index: {len(changed) - _MAX_METRIC_LINES} more values changed")
    added = sorted(after.keys() - before.keys())
    if len(added) > _MAX_METRIC_ADDITIONS:
        lines.append(f"model-index: {len(added)} values added")
    else:
        for key in added:
            shown = _show(after[key], quote_strings=False)
            lines.append(f"model-index: added {key}" + ("" if shown is None else f" = {shown}"))
    removed = sorted(before.keys() - after.keys())
    if len(removed) > _MAX_METRIC_ADDITIONS:
        lines.append(f"model-index: {len(removed)} values removed")
    else:
        lines.extend(f"model-index: removed {key}" for key in removed)
    return lines


_DESCRIBERS: dict[str, Callable[[str, FileState | None, FileState | None], _Lines]] = {
    CONFIG: _describe_config,
    INDEX: _describe_index,
    TOKENIZER: _whole_file,
    WEIGHTS: _whole_file,
    LICENCE: _describe_licence,
    README: _describe_readme,
    MIGRATION: _describe_migration,
}


# ---------------------------------------------------------------------------------------------------------------
# The caller's entry point


def model_changes_between(
    runner: GitRunner, pairs: list[tuple[str | None, str]], history_paths: Iterable[str]
) -> list[list[ModelChange]]:
    """For each (previous release, release) pair, what changed in the model; all read in two git processes.

    A first release (previous ``None``) has nothing to compare against, so its list is empty.
    """
    paths = tracked_paths(history_paths)
    revisions = [revision for previous, release in pairs if previous is not None for revision in (previous, release)]
    states = read_states(runner, revisions, paths) if revisions and paths else {}
    return [
        [] if previous is None else describe_changes(states.get(previous, {}), states.get(release, {}))
        for previous, release in pairs
    ]
