"""A streaming writer for ``git fast-import``.

One fast-import process writes the whole history: it is far faster than hundreds of ``git commit``
calls and, because every header is spelled out, its output does not depend on the machine. The
stream is interactive only where a commit message must quote an earlier commit's SHA (reverts and
cherry-picks); ``get-mark`` answers that without ending the import.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator.sources.git.env import isolated_git_env

from ._people import Identity, format_offset, utc_offset_minutes


@dataclass(frozen=True)
class Signature:
    identity: Identity
    epoch: int
    zone: str

    def header(self) -> bytes:
        offset = format_offset(utc_offset_minutes(self.zone, self.epoch))
        return f"{self.identity} {self.epoch} {offset}".encode()


def git_env() -> dict[str, str]:
    """Isolated from the user's configuration, with a fixed identity for the few commands that want one."""
    return isolated_git_env(
        GIT_AUTHOR_NAME="Almanac Demo",
        GIT_AUTHOR_EMAIL="demo@almanac.invalid",
        GIT_COMMITTER_NAME="Almanac Demo",
        GIT_COMMITTER_EMAIL="demo@almanac.invalid",
        GIT_AUTHOR_DATE="1704700800 +0000",
        GIT_COMMITTER_DATE="1704700800 +0000",
    )


def run_git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, env=git_env(), check=True, capture_output=True, text=True)
    return result.stdout


def _mode(path: str) -> str:
    return "100755" if path.endswith(".sh") else "100644"


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


class FastImport:
    """Owns the fast-import process; marks are handed out in the order commits are written."""

    def __init__(self, repo: Path) -> None:
        # A file, not a pipe: nobody reads stderr until the end, and a full pipe would block git.
        self._errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish()/abort()
        self._process = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--done", "--date-format=raw"],
            cwd=repo,
            env=git_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )
        self._marks = 0
        self._write(b"feature done\nfeature get-mark\n")

    def _write(self, chunk: bytes) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(chunk)

    def commit(
        self,
        ref: str,
        author: Signature,
        committer: Signature,
        message: str,
        parents: tuple[int, ...],
        changes: Mapping[str, bytes | None],
    ) -> int:
        """``changes`` maps path to new content, or None for a deletion, relative to parents[0]."""
        self._marks += 1
        out = [
            f"commit {ref}\nmark :{self._marks}\n".encode(),
            b"author " + author.header() + b"\n",
            b"committer " + committer.header() + b"\n",
            _data(message.encode("utf-8")),
        ]
        if parents:
            out.append(f"from :{parents[0]}\n".encode())
        out.extend(f"merge :{parent}\n".encode() for parent in parents[1:])
        for path in sorted(changes):
            content = changes[path]
            if content is None:
                out.append(f"D {path}\n".encode())
            else:
                out.append(f"M {_mode(path)} inline {path}\n".encode() + _data(content))
        self._write(b"".join(out) + b"\n")
        return self._marks

    def reset(self, ref: str, mark: int) -> None:
        self._write(f"reset {ref}\nfrom :{mark}\n\n".encode())

    def tag(self, name: str, mark: int, tagger: Signature, message: str) -> None:
        self._write(
            f"tag {name}\nfrom :{mark}\n".encode()
            + b"tagger "
            + tagger.header()
            + b"\n"
            + _data(message.encode("utf-8"))
        )

    def sha(self, mark: int) -> str:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._write(f"get-mark :{mark}\n".encode())
        self._process.stdin.flush()
        answer = self._process.stdout.readline().decode().strip()
        if len(answer) != 40:
            raise RuntimeError(f"git fast-import gave no SHA for mark :{mark}: {self._stderr()}")
        return answer

    def _stderr(self) -> str:
        self._errors.seek(0)
        return self._errors.read().decode("utf-8", "replace")

    def finish(self) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._write(b"done\n")
        self._process.stdin.close()
        self._process.stdout.close()
        code = self._process.wait()
        errors = self._stderr()
        self._errors.close()
        if code:
            raise RuntimeError(f"git fast-import failed ({code}): {errors}")

    def abort(self) -> None:
        """Stop the import after a failure elsewhere, so no process or file handle is leaked."""
        self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout, self._errors):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
