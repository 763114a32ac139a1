"""What ``almanac sync`` learnt from a forge, kept as plain JSON files that a build reads offline.

Builds must not depend on the network or on rate limits, so the forge's record (pull requests,
their reviews and labels, discussions and answers) is fetched by ``almanac sync`` when a network
is there and stored here; every build reads only these files. One file per source
(``github-owner-repo.json``, ``hub-org-name.json``), small enough to commit or to keep in a CI
cache: sorted keys and records, integer timestamps, no token, no e-mail address. Each file carries
its schema version and a checksum of its content; the previous good file is kept beside it, so a
truncated or corrupted file falls back to it instead of failing the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import MISSING, asdict, fields, is_dataclass
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from generator.model.errors import AlmanacError, Finding
from generator.model.forge import DiscussionRecord, ForgeData, PullRequestRecord
from generator.sources.files.atomic import new_sibling
from generator.text.untrusted import load_json

SCHEMA = 1
FOLDER = "forge"
#: The largest cache file read: 20 000 pull requests and discussions with their bodies fit many times.
MAX_BYTES = 256 * 2**20


def forge_dir(repo: Path, cache_dir: Path | None) -> Path:
    """Where a repository's forge cache lives: ``cache_dir``, else ``.almanac/forge`` inside it."""
    return cache_dir if cache_dir is not None else repo / ".almanac" / FOLDER


def file_name(source: str) -> str:
    """``github:owner/repo`` → ``github-owner-repo.json`` (only safe characters in a file name)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", source.replace(":", "-", 1)).strip("-") + ".json"


def _checksum(payload: Any) -> str:
    """The digest of the data's canonical JSON: the same bytes however the file was indented."""
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def to_json(data: ForgeData) -> str:
    """Deterministic text: records sorted by number, keys sorted, a checksum of the payload."""
    payload = {
        "source": data.source,
        "synced_at": data.synced_at,
        "pulls": [asdict(pull) for pull in sorted(data.pulls, key=lambda p: p.number)],
        "discussions": [asdict(d) for d in sorted(data.discussions, key=lambda d: d.number)],
        "etags": dict(sorted(data.etags.items())),
        "marks": dict(sorted(data.marks.items())),
    }
    document = {"schema": SCHEMA, "checksum": _checksum(payload), "data": payload}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def from_json(text: str, where: str) -> ForgeData:
    """Parse and verify a cache file; any damage is an :class:`AlmanacError` naming the file.

    The checksum only proves the file was not damaged by accident, anyone can compute it: every record is
    checked against its dataclass's field types too, so a list where an object belongs or a string where
    a number belongs is this error, not a traceback in whatever page reads the record later.
    """
    try:
        document = load_json(text)
    except json.JSONDecodeError as error:
        raise AlmanacError(f"{where}:{error.lineno}: not valid JSON ({error.msg}); the file is damaged") from error
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise AlmanacError(f"{where}: not an Almanac forge cache")
    schema = document.get("schema")
    if not isinstance(schema, int) or schema > SCHEMA:
        raise AlmanacError(f"{where}: written by a newer Almanac (cache schema {schema}, this one reads {SCHEMA}); "
                           "upgrade Almanac or run `almanac sync` again")
    payload = document["data"]
    if _checksum(payload) != document.get("checksum"):
        raise AlmanacError(f"{where}: checksum mismatch; the file was changed or damaged")
    try:
        return ForgeData(
            source=_typed(str, payload.get("source"), "source"),
            synced_at=_typed(int, payload.get("synced_at"), "synced_at"),
            pulls=[_typed(PullRequestRecord, item, f"pulls[{n}]") for n, item in enumerate(_list(payload, "pulls"))],
            discussions=[_typed(DiscussionRecord, item, f"discussions[{n}]")
                         for n, item in enumerate(_list(payload, "discussions"))],
            etags=_typed(dict[str, str], payload.get("etags"), "etags"),
            marks=_typed(dict[str, int], payload.get("marks"), "marks"),
        )
    except _WrongShape as error:
        raise AlmanacError(f"{where}: {error}") from error


class _WrongShape(ValueError):
    """A cache value whose type is not the one its record declares; the message names the place."""


def _list(payload: dict[str, Any], key: str) -> list[Any]:
    value = payload.get(key)
    if not isinstance(value, list):
        raise _WrongShape(f"`{key}` is not a list")
    return value


def _typed(kind: Any, value: Any, place: str) -> Any:
    """``value`` as ``kind`` (a type hint of a record field: int, str, bool, ``X | None``, ``tuple[X, ...]``,
    ``dict[str, X]`` or a record dataclass), or :class:`_WrongShape` naming ``place``."""
    origin, args = get_origin(kind), get_args(kind)
    if origin in (UnionType, Union):
        if value is None and type(None) in args:
            return None
        return _typed(next(arg for arg in args if arg is not type(None)), value, place)
    if origin is tuple and isinstance(value, list):
        return tuple(_typed(args[0], item, f"{place}[{n}]") for n, item in enumerate(value))
    if origin is dict and isinstance(value, dict):
        return {_typed(args[0], key, place): _typed(args[1], item, f"{place}.{key}") for key, item in value.items()}
    if is_dataclass(kind) and isinstance(value, dict):
        return _record(kind, value, place)
    if kind in (int, str, bool) and type(value) is kind:  # bool is an int to isinstance, never here
        return value
    raise _WrongShape(f"{place} should be {getattr(kind, '__name__', kind)}, not {type(value).__name__}")


def _record(kind: Any, item: dict[str, Any], place: str) -> Any:
    hints = get_type_hints(kind)
    values = {}
    for spec in fields(kind):
        if spec.name in item:
            values[spec.name] = _typed(hints[spec.name], item[spec.name], f"{place}.{spec.name}")
        elif spec.default is MISSING and spec.default_factory is MISSING:
            raise _WrongShape(f"{place} lacks `{spec.name}`")
    return kind(**values)


def write_cache(folder: Path, data: ForgeData) -> Path:
    """Write atomically; the file it replaces is kept as ``.bak``, the last good state."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name(data.source)
    text = to_json(data)
    temporary = new_sibling(target)  # a new name: never a file (or link) already there
    try:
        temporary.write_text(text, encoding="utf-8")
        if target.exists():
            try:
                from_json(read_text(target), str(target))
                os.replace(target, target.with_name(target.name + ".bak"))
            except AlmanacError:
                pass  # never keep a damaged file as the "last good" one
        os.replace(temporary, target)
    except OSError as error:  # a folder in the file's place: name the file, leave no temporary one
        temporary.unlink(missing_ok=True)
        raise AlmanacError(f"{target}: cannot be written ({error.strerror}); remove it or sync with --cache-dir"
                           ) from error
    return target


def read_text(path: Path) -> str:
    """A cache file's text, read as what it claims to be: a regular file inside its folder, of at most
    :data:`MAX_BYTES`. A symlink out of the folder (to ``/dev/zero``, to a secret) or a huge file is an
    :class:`AlmanacError`, read no further than the limit."""
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve()):
            raise AlmanacError(f"{path}: a symlink out of the cache folder; not followed")
        with path.open("rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                raise AlmanacError(f"{path}: not a regular file")
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise AlmanacError(f"{path}: cannot be read ({error.strerror})") from error
    if len(data) > MAX_BYTES:
        raise AlmanacError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; not an Almanac forge cache")
    return data.decode("utf-8", errors="replace")


def read_cache_file(path: Path, findings: list[Finding]) -> ForgeData | None:
    """One source's cache; a damaged file falls back to its ``.bak`` with a finding, else None."""
    try:
        return from_json(read_text(path), str(path))
    except AlmanacError as error:
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            try:
                data = from_json(read_text(backup), str(backup))
            except AlmanacError:
                pass
            else:
                findings.append(_finding(error, path, f"using the previous good copy {backup.name}"))
                return data
        if "newer Almanac" in str(error):
            raise
        findings.append(_finding(error, path, "forge data from it is left out"))
        return None


def _finding(error: AlmanacError, path: Path, outcome: str) -> Finding:
    """The error as a finding whose place is the file (and line) the error message starts with."""
    text = str(error)
    end = text.find(": ", len(str(path))) if text.startswith(str(path)) else -1
    where, message = (text[:end], text[end + 2:]) if end >= 0 else (str(path), text)
    return Finding(f"{message}; {outcome}", where)


def read_caches(folder: Path, findings: list[Finding]) -> list[ForgeData]:
    """Every source's cache in the folder, in file-name order (deterministic)."""
    if not folder.is_dir():
        return []
    caches = [read_cache_file(path, findings) for path in sorted(folder.glob("*.json"))]
    return [cache for cache in caches if cache is not None]
