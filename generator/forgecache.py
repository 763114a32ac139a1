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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import AlmanacError, Finding
from generator.untrusted import load_json

SCHEMA = 1
FOLDER = "forge"


def forge_dir(repo: Path, cache_dir: Path | None) -> Path:
    """Where a repository's forge cache lives: ``cache_dir``, else ``.almanac/forge`` inside it."""
    return cache_dir if cache_dir is not None else repo / ".almanac" / FOLDER


@dataclass(frozen=True, slots=True)
class Review:
    #: Login of the reviewer, or None for a deleted account.
    author: str | None
    #: ``APPROVED``, ``CHANGES_REQUESTED``, ``COMMENTED`` or ``DISMISSED``.
    state: str
    submitted_at: int | None



@dataclass(frozen=True, slots=True)
class PullRequestRecord:
    number: int
    title: str
    #: ``open``, ``draft``, ``merged`` or ``closed`` (closed without merging).
    state: str
    author: str | None
    created_at: int
    updated_at: int
    closed_at: int | None = None
    merged_at: int | None = None
    merge_commit: str | None = None
    labels: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()
    requested_reviewers: tuple[str, ...] = ()
    url: str = ""
    #: Issue, PR and discussion numbers its title and description refer to ("Implements #12"): the
    #: references are kept, the description (a stranger's text) is not.
    mentions: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    author: str | None
    body: str
    url: str


@dataclass(frozen=True, slots=True)
class DiscussionRecord:
    number: int
    title: str
    #: Markdown as the author wrote it: untrusted, rendered without raw HTML and sanitised.
    body: str
    author: str | None
    category: str
    created_at: int
    updated_at: int
    upvotes: int = 0
    reactions: int = 0
    comments: int = 0
    #: Whether the category takes answers (a Q&A); ``answer`` is the accepted one.
    answerable: bool = False
    answer: Answer | None = None
    closed: bool = False
    url: str = ""


@dataclass(slots=True)
class ForgeData:
    #: ``github:owner/repo`` or ``hub:org/name``.
    source: str
    synced_at: int = 0
    pulls: list[PullRequestRecord] = field(default_factory=list)
    discussions: list[DiscussionRecord] = field(default_factory=list)
    #: URL → ETag of the last 200 response, for conditional requests.
    etags: dict[str, str] = field(default_factory=dict)
    #: What incremental syncing needs: the newest ``updated_at`` seen, per kind.
    marks: dict[str, int] = field(default_factory=dict)

    def copy(self) -> ForgeData:
        """A copy a sync can update while the previous state stays intact (records are immutable)."""
        return ForgeData(self.source, self.synced_at, list(self.pulls), list(self.discussions), dict(self.etags),
                         dict(self.marks))


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
    """Parse and verify a cache file; any damage is an :class:`AlmanacError` naming the file."""
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
            source=str(payload["source"]),
            synced_at=int(payload["synced_at"]),
            pulls=[_pull(item) for item in payload["pulls"]],
            discussions=[_discussion(item) for item in payload["discussions"]],
            etags={str(k): str(v) for k, v in payload["etags"].items()},
            marks={str(k): int(v) for k, v in payload["marks"].items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise AlmanacError(f"{where}: a record lacks a field or has the wrong type ({error})") from error


def _pull(item: dict[str, Any]) -> PullRequestRecord:
    reviews = tuple(Review(**review) for review in item.pop("reviews"))
    return PullRequestRecord(**{**item, "reviews": reviews, "labels": tuple(item["labels"]),
                                "requested_reviewers": tuple(item["requested_reviewers"]),
                                "mentions": tuple(item.get("mentions", ()))})


def _discussion(item: dict[str, Any]) -> DiscussionRecord:
    answer = item.pop("answer")
    return DiscussionRecord(**item, answer=Answer(**answer) if answer else None)


def write_cache(folder: Path, data: ForgeData) -> Path:
    """Write atomically; the file it replaces is kept as ``.bak``, the last good state."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name(data.source)
    text = to_json(data)
    temporary = target.with_name(f".{target.name}.new")
    temporary.write_text(text, encoding="utf-8")
    if target.exists():
        try:
            from_json(target.read_text(encoding="utf-8"), str(target))
            os.replace(target, target.with_name(target.name + ".bak"))
        except AlmanacError:
            pass  # never keep a damaged file as the "last good" one
    os.replace(temporary, target)
    return target


def read_cache_file(path: Path, findings: list[Finding]) -> ForgeData | None:
    """One source's cache; a damaged file falls back to its ``.bak`` with a finding, else None."""
    try:
        return from_json(path.read_text(encoding="utf-8", errors="replace"), str(path))
    except AlmanacError as error:
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            try:
                data = from_json(backup.read_text(encoding="utf-8", errors="replace"), str(backup))
            except AlmanacError:
                pass
            else:
                findings.append(Finding(f"{error}; using the previous good copy {backup.name}", str(path)))
                return data
        if "newer Almanac" in str(error):
            raise
        findings.append(Finding(f"{error}; forge data from it is left out", str(path)))
        return None


def read_caches(folder: Path, findings: list[Finding]) -> list[ForgeData]:
    """Every source's cache in the folder, in file-name order (deterministic)."""
    if not folder.is_dir():
        return []
    caches = [read_cache_file(path, findings) for path in sorted(folder.glob("*.json"))]
    return [cache for cache in caches if cache is not None]
