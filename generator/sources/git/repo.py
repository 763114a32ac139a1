"""The only door to git: a small runner around the ``git`` command.

Every git call of a build goes through :class:`GitRunner`, which counts them (a build must use a
constant number of git processes, whatever the size of the history), fixes the environment so output
never depends on the user's locale or pager, and turns git's failures into one-line errors.

It starts git with :mod:`subprocess` itself rather than through GitPython: Almanac needs only git's
command line (one streaming ``git log``, batch ``cat-file``), which GitPython's ``Git.execute`` merely
wraps, while importing GitPython cost 40 ms of every build, a third of the time per-page authorship
may add to a plain MkDocs build (``benchmarks/page_authorship.py``).
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from generator.model.errors import EXIT_INTERNAL_ERROR, AlmanacError
from generator.model.knowledge import Ref, RepoState, Signature
from generator.text.clean import decode_git_bytes

_CHUNK = 1 << 20

#: Keeps git's output machine-readable whatever the user has configured.
_GIT_ENV = {
    "LC_ALL": "C",
    "LANG": "C",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_OPTIONAL_LOCKS": "0",
}


class GitRunner:
    """Runs git in one repository and remembers how many processes it started."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calls: list[tuple[str, ...]] = []

    def run(self, *args: str, check: bool = True) -> bytes:
        """Run git to completion and return its standard output as bytes."""
        done = self.attempt(*args)
        if check and done.returncode != 0:
            raise git_failure(args, done.stderr)
        return done.stdout

    def attempt(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        """Run git to completion whatever its exit status, for callers that read the status and stderr."""
        command = ("git", *args)
        self.calls.append(command)
        try:
            return subprocess.run(command, cwd=self.root, env=_environment(), stdin=subprocess.DEVNULL,
                                  capture_output=True, check=False)
        except FileNotFoundError as error:
            raise _no_git(error) from error

    def run_with_input(self, args: Sequence[str], stdin: bytes) -> bytes:
        return b"".join(self.stream(*args, stdin=stdin))

    def stream(self, *args: str, stdin: bytes = b"") -> Iterator[bytes]:
        """Yield git's standard output in chunks while it runs, feeding it ``stdin``.

        Threads feed stdin, drain stderr and read stdout, so git never waits on a full pipe: parsing
        overlaps with git's own work, and a large input or a chatty error stream cannot deadlock.
        """
        command = ("git", *args)
        self.calls.append(command)
        try:
            proc = subprocess.Popen(command, cwd=self.root, env=_environment(), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError as error:
            raise _no_git(error) from error
        assert proc.stdin and proc.stdout and proc.stderr
        stdout, stderr = proc.stdout, proc.stderr
        chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=64)
        errors: list[bytes] = []
        threads = [
            threading.Thread(target=_feed, args=(proc.stdin, stdin), daemon=True),
            threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True),
            threading.Thread(target=_drain, args=(stdout, chunks), daemon=True),
        ]
        for thread in threads:
            thread.start()
        finished = False
        try:
            while (chunk := chunks.get()) is not None:
                yield chunk
            finished = True
        finally:
            if not finished:  # the consumer stopped early: stop git, and unblock the reader until EOF
                proc.kill()
                while chunks.get() is not None:
                    pass
            for thread in threads:
                thread.join()
            stdout.close()
            stderr.close()
            status = proc.wait()
        if status != 0:
            raise git_failure(args, b"".join(errors))


    def run_piped(self, first: Sequence[str], stdin: bytes, second: Sequence[str]) -> bytes:
        """``git FIRST < stdin | git SECOND``: both run at once, so what passes between them (ollama/ollama's
        look-alike diffs: 60 MB) is never held whole and the second does its work while the first does its own."""
        commands = (("git", *first), ("git", *second))
        self.calls.extend(commands)
        try:
            producer = subprocess.Popen(commands[0], cwd=self.root, env=_environment(), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError as error:
            raise _no_git(error) from error
        assert producer.stdin and producer.stdout and producer.stderr
        try:
            consumer = subprocess.Popen(commands[1], cwd=self.root, env=_environment(), stdin=producer.stdout,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError as error:
            producer.kill()
            producer.wait()
            raise _no_git(error) from error
        producer.stdout.close()  # the consumer holds it now: the producer sees a closed pipe if it stops early
        assert consumer.stdout and consumer.stderr
        errors: dict[int, bytes] = {}
        producer_err, consumer_err = producer.stderr, consumer.stderr
        threads = [
            threading.Thread(target=_feed, args=(producer.stdin, stdin), daemon=True),
            threading.Thread(target=lambda: errors.__setitem__(0, producer_err.read()), daemon=True),
            threading.Thread(target=lambda: errors.__setitem__(1, consumer_err.read()), daemon=True),
        ]
        for thread in threads:
            thread.start()
        out = consumer.stdout.read()
        for thread in threads:
            thread.join()
        for stream in (consumer.stdout, producer_err, consumer_err):
            stream.close()
        statuses = (producer.wait(), consumer.wait())
        for index in (1, 0):  # a consumer that stopped leaves the producer a broken pipe: its failure is the cause
            if statuses[index] != 0:
                raise git_failure(commands[index][1:], errors.get(index, b""))
        return out


#: Blobs larger than this are binary to git, never loaded whole: ``git log --numstat -M`` read each
#: large blob into memory (a committed 300 MB file of zeros, 1.5 MB in ``.git``, cost 300 MB).
_BIG_FILE_THRESHOLD = "32m"


def _environment() -> dict[str, str]:
    """The user's environment with :data:`_GIT_ENV`, and :data:`_BIG_FILE_THRESHOLD` added after any
    ``GIT_CONFIG_COUNT`` settings the user has."""
    env = {**os.environ, **_GIT_ENV}
    count = env.get("GIT_CONFIG_COUNT", "0") or "0"
    if count.isdigit():
        env |= {f"GIT_CONFIG_KEY_{count}": "core.bigFileThreshold", f"GIT_CONFIG_VALUE_{count}": _BIG_FILE_THRESHOLD,
                "GIT_CONFIG_COUNT": str(int(count) + 1)}
    return env


def _no_git(error: OSError) -> AlmanacError:
    """A missing ``git`` binary, or a folder that vanished under us: either way, say which."""
    if error.filename not in (None, "git"):
        return AlmanacError(f"{error.filename}: no such folder")
    return AlmanacError("git is not installed or not on PATH", exit_code=EXIT_INTERNAL_ERROR)


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
    except BrokenPipeError:
        pass  # git exited early; its exit status tells why
    finally:
        pipe.close()


def _drain(pipe: IO[bytes], chunks: queue.Queue[bytes | None]) -> None:
    while chunk := pipe.read(_CHUNK):
        chunks.put(chunk)
    chunks.put(None)


def git_failure(args: Sequence[str], stderr: bytes | str) -> AlmanacError:
    """Keep git's own words (they carry the fix, e.g. for "dubious ownership"), minus the noise."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    message = "; ".join(lines[:3]) if lines else "no message"
    command = next((arg for index, arg in enumerate(args) if not arg.startswith("-")
                    and (index == 0 or args[index - 1] != "-c")), args[0] if args else "")
    corrupt = _CORRUPT.search(text)
    if corrupt is not None:
        return AlmanacError(f"the repository has a corrupt or missing object (git {command}: {corrupt.group(0)}); "
                            "run `git fsck` to see which, then re-clone or fetch it again")
    return AlmanacError(f"git {command} failed: {message}")


#: What git says when an object it needs is damaged or absent.
_CORRUPT = re.compile(r"(unable to (read|unpack) [0-9a-f]{7,64}|bad object [0-9a-f]{7,64}|"
                      r"(loose|packed) object [0-9a-f]{7,64} .*corrupt|missing (blob|tree|commit) [0-9a-f]{7,64})")


def where_it_stands(runner: GitRunner) -> tuple[Path, bytes] | None:
    """The top of the work tree, and what changes when the history does: HEAD, whether the clone is shallow
    and every ref a build reads (tag objects, PR heads and replacements included), in two git calls. None
    where git cannot read the repository or HEAD names no commit yet. Linked work trees and submodules
    answer like any clone."""
    located = runner.attempt("rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD")
    listed = runner.attempt("for-each-ref", "--format=%(objectname) %(HEAD) %(refname)", "refs/heads", "refs/tags",
                            "refs/pull", "refs/pr", "refs/replace")
    if located.returncode != 0 or listed.returncode != 0:
        return None
    top, _, rest = located.stdout.partition(b"\n")
    return Path(top.decode("utf-8", "surrogateescape")), rest + b"\0" + listed.stdout


def history_files(runner: GitRunner) -> list[Path]:
    """The files a commit, tag or checkout changes (the work tree's ``HEAD``, the repository's refs), as git
    places them: in a linked work tree or a submodule they live apart from ``.git``. Nothing where git cannot
    read the repository."""
    done = runner.attempt("rev-parse", "--git-path", "HEAD", "--git-path", "refs", "--git-path", "packed-refs")
    if done.returncode != 0:
        return []
    paths = [runner.root / line for line in done.stdout.decode("utf-8", "surrogateescape").splitlines() if line]
    return [path for path in paths if path.exists()]


def open_repository(path: Path) -> tuple[GitRunner, RepoState]:
    """Find the repository at ``path`` and read where it stands, in two git calls."""
    path = path.expanduser()
    if not path.exists():
        raise AlmanacError(f"{path}: no such folder")
    runner = GitRunner(path)
    # One rev-parse: the work tree, whether it is shallow, and HEAD's commit (absent before the first commit,
    # which --quiet reports as exit status 1 with the first two lines printed).
    done = runner.attempt("rev-parse", "--show-toplevel", "--is-shallow-repository",
                          "--verify", "--quiet", "--end-of-options", "HEAD^{commit}")
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) < 2:
        error = done.stderr.decode("utf-8", "replace")
        if "not a git repository" in error:
            raise AlmanacError(f"{path}: not a git repository (no .git found); Almanac reads the history, so point "
                               "--repo at a clone, not an exported archive")
        if "work tree" in error or not error:
            raise AlmanacError(f"{path}: a bare repository has no work tree; point --repo at a clone")
        raise git_failure(("rev-parse",), error)
    runner.root = Path(lines[0])
    head = lines[2].strip() if len(lines) > 2 else None
    refs, branch = read_refs(runner)
    if branch is None and head is not None:
        branch = _branch_at(head, refs)
    return runner, RepoState(
        root=lines[0], head=head, branch=branch, shallow=lines[1] == "true", refs=refs
    )


def remote_url(runner: GitRunner, remote: str = "origin") -> str | None:
    """The URL of a remote as git would use it (``insteadOf`` applied), or None without one."""
    url = runner.run("remote", "get-url", remote, check=False).decode("utf-8", "replace").strip()
    return url or None


def _branch_at(head: str, refs: tuple[Ref, ...]) -> str | None:
    """For a detached HEAD (CI checkouts), the branch whose tip it is, so pages match a branch build."""
    branches = sorted(ref.short_name for ref in refs if ref.name.startswith("refs/heads/") and ref.target == head)
    preferred = [name for name in ("main", "master") if name in branches]
    return (preferred or branches or [None])[0]


#: One record of ``for-each-ref``: fields separated by NUL (no ref field can hold one).
_REF_FORMAT = "%00".join(
    [
        "%(refname)",
        "%(objecttype)",
        "%(objectname)",
        "%(*objectname)",
        "%(*objecttype)",
        "%(taggername)",
        "%(taggeremail)",
        "%(taggerdate:raw)",
        "%(contents)",
        "%(HEAD)",
    ]
) + "%00"
_REF_FIELDS = 10


def read_refs(runner: GitRunner) -> tuple[tuple[Ref, ...], str | None]:
    """Every branch, tag and pull-request ref in one ``for-each-ref``, with tags peeled to commits, and
    the branch checked out (None for a detached HEAD)."""
    out = runner.run(
        "for-each-ref", f"--format={_REF_FORMAT}", "refs/heads", "refs/tags", "refs/pull", "refs/pr"
    )
    tokens = out.split(b"\0")
    records = [
        [decode_git_bytes(token) for token in tokens[start : start + _REF_FIELDS]]
        for start in range(0, len(tokens) - _REF_FIELDS + 1, _REF_FIELDS)
    ]
    # for-each-ref peels one level; a tag of a tag (re-signed releases) needs one more look-up, for all at once.
    nested = sorted({fields[3] for fields in records if fields[1] == "tag" and fields[4] == "tag"})
    deeper = _peel_to_commits(runner, nested) if nested else {}
    refs: list[Ref] = []
    checked_out = None
    for fields in records:
        name = fields[0].lstrip("\n")
        if fields[9] == "*":
            checked_out = name.removeprefix("refs/heads/")
        objecttype, objectname, peeled, peeled_type = fields[1:5]
        if objecttype == "tag":
            target = peeled if peeled_type == "commit" else deeper.get(peeled)
            if target is None:
                continue  # a tag of a tree or blob names no release
            tagger = parse_signature(fields[5], fields[6].strip("<>"), fields[7])
            refs.append(Ref(name=name, target=target, tagger=tagger, message=fields[8].strip()))
        elif objecttype == "commit":
            refs.append(Ref(name=name, target=objectname))
    return tuple(refs), checked_out


def _peel_to_commits(runner: GitRunner, tag_objects: list[str]) -> dict[str, str]:
    """Tag object → the commit it finally names, through any chain of tags, in one ``cat-file`` call."""
    out = runner.run_with_input(
        ("cat-file", "--batch-check=%(objectname) %(objecttype)"),
        "".join(f"{sha}^{{commit}}\n" for sha in tag_objects).encode("ascii"),
    )
    peeled: dict[str, str] = {}
    for sha, line in zip(tag_objects, out.decode("ascii", "replace").splitlines(), strict=True):
        target, _, kind = line.partition(" ")
        if kind == "commit":
            peeled[sha] = target
    return peeled


def parse_signature(name: str, email: str, raw_date: str) -> Signature | None:
    """Read git's ``raw`` date (``1700000000 +0100``) into a signature; ``None`` when absent or broken."""
    parts = raw_date.split()
    if len(parts) != 2 or not parts[0].lstrip("-").isdigit() or len(parts[0]) > 20:
        return None
    return Signature(name=name, email=email, timestamp=int(parts[0]), utc_offset=parse_offset(parts[1]))


def parse_offset(text: str) -> int:
    """``+0530`` → 330 minutes; anything malformed counts as UTC rather than failing the build, and so does
    an offset no clock can have (git writes ``+9959`` as readily as ``+0100``)."""
    if len(text) != 5 or text[0] not in "+-" or not text[1:].isdigit() or text[3] > "5" or text[1:3] > "23":
        return 0
    minutes = int(text[1:3]) * 60 + int(text[3:5])
    return -minutes if text[0] == "-" else minutes


def existing_commits(runner: GitRunner, shas: list[str]) -> set[str]:
    """Which of ``shas`` this repository holds as commits, in one ``cat-file --batch-check``."""
    if not shas:
        return set()
    out = runner.run_with_input(
        ("cat-file", "--batch-check=%(objectname) %(objecttype)"), ("\n".join(shas) + "\n").encode("ascii")
    )
    found = set()
    for line in out.decode("ascii", "replace").splitlines():
        sha, _, kind = line.partition(" ")
        if kind == "commit":
            found.add(sha)
    return found
