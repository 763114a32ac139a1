"""An unchanged repository answered from the cache: a command's output saved with a digest of its inputs.

A changelog, or the pages ``almanac write`` makes, is a pure function of the repository's refs
(HEAD, branches, tags with their tag objects, pull-request heads: a SHA fixes everything behind them),
its origin URL, the forge record ``almanac sync`` left, the command's options and the files they name,
and Almanac's own code. When a digest of all of them matches the one saved with the last output, that
output is the answer: four small git processes instead of the walk (ollama/ollama's changelog: 3.4 s →
0.30 s). Anything else that could change the output makes the command rebuild: a history with dates
beyond the build time is never saved, since the clock decides how it reads.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.sources.git.repo import GitRunner, remote_url, where_it_stands

if TYPE_CHECKING:
    from generator.build import BuildOptions
    from generator.model.knowledge import Knowledge
    from generator.sources.git.commitcache import CommitCache

#: What a build hands back: its output, and whether the same inputs will always give it again.
Built = tuple[str, bool]

#: Environment variables a command's output depends on.
_ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
#: The package's own files, and its templates where a source checkout keeps them (at its top): a
#: developer's edit changes the output without changing the version.
_CODE = (Path(__file__).resolve().parents[1], Path(__file__).resolve().parents[2] / "templates")
_CODE_SUFFIXES = frozenset({".py", ".yml", ".yaml", ".json", ".txt", ".mo", ".j2"})


def answered(root: Path, name: str, options: Mapping[str, object], report: Callable[[str], None],
             build: Callable[[Callable[[str], None]], Built], *, use_cache: bool = True,
             files: Iterable[Path] = ()) -> str:
    """The output of ``build`` for the repository at ``root``: the saved one when nothing it reads changed.

    ``name`` and ``options`` say which command and how (one saved output per command and options);
    ``files`` are the files outside git the options name (rules, highlights), read for the digest.
    ``build`` gets a ``report`` of its own, whose lines are saved and shown again with a saved answer.
    """
    if not use_cache:
        return build(report)[0]
    runner = GitRunner(root)
    found = _digest(runner, options, files)
    if found is None:  # not a repository git can read: the build says so in its own words
        return build(report)[0]
    top, inputs = found
    key = f"{name}:{_digest_of(json.dumps(options, sort_keys=True, default=str))}"
    cache = open_saved(top, runner=runner)
    if cache is not None:
        try:
            saved = cache.result(key, inputs)
        finally:
            cache.close()
        answer = _answer(saved) if saved is not None else None
        if answer is not None:
            for line in answer[1]:
                report(line)
            return answer[0]
    lines: list[str] = []

    def keep(line: str) -> None:
        lines.append(line)
        report(line)

    text, settled = build(keep)
    if settled and cache is not None:
        cache = open_saved(top, runner=runner)
        if cache is not None:
            try:
                cache.store_result(key, inputs, json.dumps({"text": text, "report": lines}).encode("utf-8"))
            finally:
                cache.close()
    return text


def settled(knowledge: Knowledge) -> bool:
    """Whether the same refs will always give this output: not when a commit is dated beyond the build
    time, since the clock decides whether that date is believed."""
    from generator.analysis.history.dates import unbelievable_dates

    until = knowledge.believed_until
    return until is not None and not unbelievable_dates(knowledge.rows, until)


def open_saved(root: Path, options: BuildOptions | None = None, runner: GitRunner | None = None
               ) -> CommitCache | None:
    """The commit cache of the repository at ``root`` (the folder ``options`` name), or None where the build
    would not use it either: the build says why, so nothing is reported here, and its commit rows are left
    for the build to check (and report). A cache file the repository commits is refused, as the build
    refuses it: saved output is believed without git's word."""
    from generator.build import BuildOptions, open_commit_cache
    from generator.sources.locations import commit_cache_dir

    options = options or BuildOptions(repo=root)
    folder = options.cache_dir or commit_cache_dir(root)
    committed = b""
    if folder.is_relative_to(root):
        committed = (runner or GitRunner(root)).run("ls-tree", "-r", "-z", "--name-only", "HEAD", "--",
                                                    f":(literal){folder.relative_to(root).as_posix()}", check=False)
    return open_commit_cache(options, root, [], check_rows=False,
                             committed=[path.decode("utf-8", "surrogateescape") for path in committed.split(b"\0")])


def _answer(saved: bytes) -> tuple[str, list[str]] | None:
    """A saved output and its report lines; None for a damaged entry, which is built again."""
    try:
        answer = json.loads(saved)
        text, lines = answer["text"], answer["report"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(text, str) or not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        return None
    return text, lines


def _digest(runner: GitRunner, options: Mapping[str, object], files: Iterable[Path]) -> tuple[Path, str] | None:
    """The top of the work tree and a digest of every input a command reads besides the history that its
    refs fix; None where git cannot read the repository or HEAD names no commit yet."""
    stands = where_it_stands(runner)
    if stands is None:
        return None
    top, refs = stands
    parts = [
        json.dumps(options, sort_keys=True, default=str),
        _digest_of(refs),
        remote_url(runner) or "",
        *(f"{variable}={os.environ.get(variable, '')}" for variable in _ENVIRONMENT),
        code_fingerprint(),
        *_files_fingerprint([top / ".almanac" / "forge", *files]),
    ]
    return top, _digest_of("\0".join(parts))


def code_fingerprint() -> str:
    """Almanac's files as they are installed (path, size, modification time): any edit rebuilds."""
    entries = []
    for folder, _, names in sorted(walked for top in _CODE for walked in os.walk(top)):
        for file in sorted(names):
            if os.path.splitext(file)[1] in _CODE_SUFFIXES:
                info = os.stat(os.path.join(folder, file))
                entries.append(f"{folder}/{file} {info.st_size} {info.st_mtime_ns}")
    return _digest_of("\n".join(entries))


def _files_fingerprint(places: list[Path]) -> list[str]:
    """Each file under ``places`` (a folder or a file) with a digest of its content; absent ones as such."""
    lines = []
    for place in places:
        paths = sorted(path for path in place.rglob("*") if path.is_file()) if place.is_dir() else [place]
        for path in paths:
            try:
                lines.append(f"{path} {_digest_of(path.read_bytes())}")
            except OSError:
                lines.append(f"{path} absent")
    return lines


def _digest_of(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data).hexdigest()
