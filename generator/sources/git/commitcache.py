"""A commit cache in SQLite: what a commit SHA fixes never changes, so it is parsed once, ever.

Invariant: every commit reachable from a stored *tip* is stored. A later walk therefore asks git only
for ``new tips ^old tips`` and still sees the whole history; a force-push needs no special case,
because reachability is recomputed from the current tips over the cached parent links.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from generator.model.errors import EXIT_INTERNAL_ERROR, AlmanacError, Finding
from generator.model.knowledge import Commit, FileChange, Signature
from generator.sources.files.atomic import folder_inside

SCHEMA_VERSION = 4
CACHE_FILE = "history.sqlite"
#: The database and the files SQLite keeps beside it: a link planted as one would be written through
#: too, and a committed one would be believed instead of git.
CACHE_FILES = (CACHE_FILE, f"{CACHE_FILE}-wal", f"{CACHE_FILE}-shm", f"{CACHE_FILE}-journal")


class CommitCache:
    """Commits and walked tips in one SQLite file; a broken file is reported and replaced, never fatal."""

    def __init__(self, folder: Path, findings: list[Finding], *, inside: Path | None = None,
                 check_rows: bool = True) -> None:
        """Open (create) the cache in ``folder``; ``inside`` is the repository that holds it, if one does:
        the folder is then created without following any link on the way (a repository may commit
        ``.almanac`` as a link to anywhere). ``check_rows=False`` leaves the commit rows unchecked, for a
        caller that reads none of them (a saved answer). Raises :class:`AlmanacError` or :class:`OSError`
        when the folder cannot be used; the caller goes on without a cache."""
        self.path = folder / CACHE_FILE
        self._findings = findings
        if inside is not None:
            folder_inside(folder, inside)
        else:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # it holds e-mail addresses
        for name in CACHE_FILES:
            _refuse_unless_regular(folder / name)
        keep_out_of_git(folder)
        self._db = self._open()
        if check_rows:
            self._discard_damaged()

    def _open(self, *, retry: bool = True) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                db.close()
                self._findings.append(
                    Finding(f"cache schema {version} is not {SCHEMA_VERSION}; rebuilding it", str(self.path), "info")
                )
                self.path.unlink()
                db = sqlite3.connect(self.path)
            db.executescript(
                f"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA user_version = {SCHEMA_VERSION};
                CREATE TABLE IF NOT EXISTS commits (sha TEXT PRIMARY KEY, data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS tips (sha TEXT PRIMARY KEY);
                CREATE TABLE IF NOT EXISTS analysis (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS patch_ids (sha TEXT PRIMARY KEY, patch_id TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS pull_requests (number INTEGER PRIMARY KEY, head TEXT NOT NULL,
                                                          shas TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS branch_commits (sha TEXT PRIMARY KEY, data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS blob_facts (blob TEXT PRIMARY KEY, data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS results (name TEXT PRIMARY KEY, inputs TEXT NOT NULL, data BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS rendered_pages (key TEXT PRIMARY KEY, data BLOB NOT NULL);
                """
            )
            return db
        except sqlite3.DatabaseError as error:
            if not retry or not self.path.exists():  # not a damaged file: a folder SQLite cannot write
                raise AlmanacError(f"{self.path}: cannot be opened ({error})") from error
            self._findings.append(Finding(f"cache unreadable ({error}); rebuilding it", str(self.path), "info"))
            self.path.unlink(missing_ok=True)
            return self._open(retry=False)

    def _discard_damaged(self) -> None:
        """Empty the cache (one finding) when a commit row is cut short, of another type or of another
        shape: an incremental build reads rows only when a page asks for one, too late to walk again.
        SQLite's own JSON reader looks at every row, without decoding any in Python."""
        try:
            damaged = self._db.execute(_DAMAGED_ROWS).fetchone()[0]
        except sqlite3.DatabaseError as error:
            damaged = f"unreadable ({error})"
        if damaged:
            self._findings.append(Finding(f"{damaged} damaged commit rows; rebuilding the cache", str(self.path),
                                          "info"))  # like every cache message: not about the repository
            self._reset()

    def close(self) -> None:
        self._db.close()

    def tips(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT sha FROM tips ORDER BY sha")]

    def load(self) -> dict[str, Commit] | None:
        """Every cached commit, or ``None`` if the cache is damaged (it is then emptied)."""
        commits: dict[str, Commit] = {}
        try:
            for (data,) in self._db.execute("SELECT data FROM commits"):
                commit = decode_commit(data)
                commits[commit.sha] = commit
        except (sqlite3.DatabaseError, orjson.JSONDecodeError, ValueError, TypeError, IndexError) as error:
            self._findings.append(Finding(f"cache unreadable ({error}); walking the full history", str(self.path),
                                          "info"))
            self._reset()
            return None
        return commits

    def store(self, commits: Iterable[Commit], tips: Iterable[str], analysis: bytes) -> None:
        """Add commits, make ``tips`` the walked tips and save the analysis, in one transaction, so the
        invariant holds and the analysis always matches the tips."""
        rows = ((commit.sha, encode_commit(commit)) for commit in commits)  # encoded as SQLite takes them: no copy
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO commits VALUES (?, ?)", rows)
            self._db.execute("DELETE FROM tips")
            self._db.executemany("INSERT INTO tips VALUES (?)", [(sha,) for sha in sorted(set(tips))])
            self._db.execute("INSERT OR REPLACE INTO analysis VALUES (1, ?)", (analysis,))

    def analysis(self) -> bytes | None:
        row = self._db.execute("SELECT data FROM analysis WHERE id = 1").fetchone()
        if row is None or not row[0]:
            return None
        return row[0].encode("utf-8") if isinstance(row[0], str) else bytes(row[0])

    def patch_ids(self, shas: Collection[str]) -> dict[str, str]:
        """The cached patch-ids among ``shas`` (a commit's patch-id never changes)."""
        wanted = set(shas)
        if not wanted:
            return {}
        return {sha: patch for sha, patch in self._db.execute("SELECT sha, patch_id FROM patch_ids")
                if sha in wanted}

    def store_patch_ids(self, patch_ids: Mapping[str, str]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO patch_ids VALUES (?, ?)", sorted(patch_ids.items()))

    def blob_facts(self) -> dict[str, bytes]:
        """What was worked out from a file's content (a licence match), keyed by what the content fixes:
        the blob id and the version of the code that worked it out (see :mod:`generator.analysis.licences.files`)."""
        return dict(self._db.execute("SELECT blob, data FROM blob_facts"))

    def store_blob_facts(self, facts: Mapping[str, bytes]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO blob_facts VALUES (?, ?)", sorted(facts.items()))

    def result(self, name: str, inputs: str) -> bytes | None:
        """The output a command saved under ``name`` (one per command and options), if it was made from
        exactly ``inputs`` (a digest of everything it read: see :mod:`generator.export.savedresults`)."""
        try:
            row = self._db.execute("SELECT inputs, data FROM results WHERE name = ?", (name,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return bytes(row[1]) if row is not None and row[0] == inputs and isinstance(row[1], bytes) else None

    def store_result(self, name: str, inputs: str, data: bytes) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", (name, inputs, data))

    def rendered_page(self, key: str) -> bytes | None:
        """A page's Markdown converted by MkDocs, saved under the digest of what it depends on
        (see :mod:`site_plugins.almanac.rendercache`)."""
        try:
            row = self._db.execute("SELECT data FROM rendered_pages WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return bytes(row[0]) if row is not None and isinstance(row[0], bytes) else None

    def store_rendered_pages(self, pages: Mapping[str, bytes]) -> None:
        """Keep exactly ``pages``, the last build's: a page no build has asked for since is never asked again."""
        with self._db:
            self._db.execute("DELETE FROM rendered_pages")
            self._db.executemany("INSERT INTO rendered_pages VALUES (?, ?)", sorted(pages.items()))

    def pull_request_branches(self) -> dict[int, tuple[str, tuple[Commit, ...]]]:
        """PR number → (head, the commits of its branch outside the history when last walked)."""
        try:
            rows = self._db.execute("SELECT sha, data FROM branch_commits")
            commits = {sha: decode_commit(data) for sha, data in rows}
            return {number: (head, tuple(commits[sha] for sha in shas.split()))
                    for number, head, shas in self._db.execute("SELECT number, head, shas FROM pull_requests")}
        except (sqlite3.DatabaseError, orjson.JSONDecodeError, ValueError, TypeError, IndexError, KeyError,
                AttributeError):
            return {}  # a damaged entry costs one walk of the PR heads, nothing more

    def store_pull_request_branches(self, branches: Mapping[int, tuple[str, Sequence[Commit]]]) -> None:
        """Each commit once, however many branches carry it: git/git's 2 329 branches outside the history
        hold 1.27 M commit entries (topics based on ``seen``), LLaMA-Factory's 1 492 hold 2.15 M, of 16 178
        commits; written one copy per branch they took 8 s and 1.3 GB."""
        commits = {commit.sha: commit for _, own in branches.values() for commit in own}
        with self._db:
            self._db.execute("DELETE FROM pull_requests")
            self._db.execute("DELETE FROM branch_commits")
            self._db.executemany("INSERT INTO branch_commits VALUES (?, ?)",
                                 ((sha, encode_commit(commit)) for sha, commit in sorted(commits.items())))
            self._db.executemany("INSERT INTO pull_requests VALUES (?, ?, ?)",
                                 [(number, head, " ".join(commit.sha for commit in own))
                                  for number, (head, own) in sorted(branches.items())])

    def reader(self, fresh: list[Commit], reachable: Collection[str]) -> StoredCommits:
        return StoredCommits(self.path, fresh, reachable)

    def _reset(self) -> None:
        with self._db:
            for table in ("commits", "tips", "analysis", "patch_ids", "pull_requests", "branch_commits", "results",
                          "rendered_pages"):
                self._db.execute(f"DELETE FROM {table}")


#: Commit rows that :func:`decode_commit` would refuse, as far as SQLite can tell without Python.
_DAMAGED_ROWS = """
SELECT count(*) FROM commits WHERE CASE
    WHEN typeof(data) IN ('blob', 'text') AND json_valid(CAST(data AS TEXT)) THEN
        json_type(CAST(data AS TEXT)) IS NOT 'array' OR json_array_length(CAST(data AS TEXT)) != 7
        OR json_extract(CAST(data AS TEXT), '$[0]') IS NOT sha
        OR json_type(CAST(data AS TEXT), '$[2][2]') IS NOT 'integer'
        OR json_type(CAST(data AS TEXT), '$[3][2]') IS NOT 'integer'
    ELSE 1 END
"""


class StoredCommits(Mapping[str, Commit]):
    """Commits read from the cache when a page asks for them, so a rebuild after a push decodes only
    the commits it shows, not the whole history. Read-only; safe to use from ``mkdocs serve``'s thread."""

    def __init__(self, path: Path, fresh: list[Commit], reachable: Collection[str]) -> None:
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._path = path
        #: Commits already decoded: pages and release notes ask for the same commit several times.
        self._fresh = {commit.sha: commit for commit in fresh}
        self._reachable = reachable

    def __getitem__(self, sha: str) -> Commit:
        if sha not in self._reachable:
            raise KeyError(sha)
        if sha in self._fresh:
            return self._fresh[sha]
        row = self._db.execute("SELECT data FROM commits WHERE sha = ?", (sha,)).fetchone()
        if row is None:
            raise KeyError(sha)
        try:
            commit = self._fresh[sha] = decode_commit(row[0])
        except DamagedRow as error:
            raise AlmanacError(f"{self._path}: {error} ({sha}); delete the file or build with --no-cache",
                               exit_code=EXIT_INTERNAL_ERROR) from error
        return commit

    def __iter__(self) -> Iterator[str]:
        return iter(self._reachable)

    def __len__(self) -> int:
        return len(self._reachable)


def keep_out_of_git(folder: Path) -> None:
    """A cache beside the repo must not show up in ``git status`` (pytest does the same). Whatever is
    already there, even a link, is left alone: never written through."""
    try:
        descriptor = os.open(folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # not via a link
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write("# Created by Almanac: a cache, safe to delete.\n*\n")


def _refuse_unless_regular(path: Path) -> None:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise AlmanacError(f"{path}: is not a regular file (a link?); Almanac does not write through it")


def encode_commit(commit: Commit) -> bytes:
    return orjson.dumps(
        [
            commit.sha,
            commit.parents,
            _encode_signature(commit.author),
            _encode_signature(commit.committer),
            commit.message,
            commit.trailers,
            [[f.path, f.added, f.deleted, f.old_path] for f in commit.files],
        ]
    )


class DamagedRow(ValueError):
    """A cached row that is not what :func:`encode_commit` writes: cut short, of another type, reshaped."""


def decode_commit(data: Any) -> Commit:
    """The commit of a cache row, checked field by field (a row is read back only because the cache file
    is ours, but a file on disk can be cut short or edited); anything else is :class:`DamagedRow`."""
    try:
        return _commit_from_fields(orjson.loads(data))
    except (orjson.JSONDecodeError, TypeError) as error:
        raise DamagedRow(f"a cached commit is damaged ({error})") from error


def _commit_from_fields(fields: Any) -> Commit:
    try:
        sha, parents, author, committer, message, trailers, files = fields
        return Commit(
            sha=_typed(str, sha),
            parents=tuple(_typed(str, parent) for parent in parents),
            author=_signature(author),
            committer=_signature(committer),
            message=_typed(str, message),
            trailers=tuple((_typed(str, key), _typed(str, value)) for key, value in trailers),
            files=tuple(_file_change(entry) for entry in files),
        )
    except (TypeError, ValueError) as error:
        raise DamagedRow(f"a cached commit is damaged ({error})") from error


def _typed(kind: type, value: Any) -> Any:
    if type(value) is not kind:
        raise TypeError(f"{kind.__name__} expected, not {type(value).__name__}")
    return value


def _signature(fields: Any) -> Signature:
    name, email, timestamp, utc_offset = fields
    return Signature(_typed(str, name), _typed(str, email), _typed(int, timestamp), _typed(int, utc_offset))


def _file_change(fields: Any) -> FileChange:
    path, added, deleted, old_path = fields
    return FileChange(_typed(str, path), None if added is None else _typed(int, added),
                      None if deleted is None else _typed(int, deleted),
                      None if old_path is None else _typed(str, old_path))


def _encode_signature(signature: Signature) -> list[object]:
    return [signature.name, signature.email, signature.timestamp, signature.utc_offset]

