"""Real git repositories for tests, built with plain ``git`` commands and fixed dates.

Every command runs with the user's git configuration switched off, so tests behave the same on any
machine, and with explicit dates, so SHAs are stable from run to run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.sources.git.env import isolated_git_env

BASE_TIME = 1_700_000_000  # 2023-11-14


git_env = isolated_git_env


class Repo:
    """A repository under construction; each commit is one day after the previous one by default."""

    def __init__(self, path: Path, branch: str = "main") -> None:
        self.path = path
        self.clock = BASE_TIME
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", branch)

    def git(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            input=input,
            capture_output=True,
            env=env or git_env(),
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr.decode(errors='replace')}")
        return result.stdout.decode("utf-8", "replace").strip()

    def write(self, path: str, content: str | bytes) -> None:
        target = self.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    def commit(
        self,
        message: str | bytes,
        files: dict[str, str | bytes] | None = None,
        *,
        author: str = "Alice Example <alice@example.com>",
        committer: str | None = None,
        offset: str = "+0000",
        config: tuple[str, ...] = (),
        allow_empty: bool = False,
    ) -> str:
        for path, content in (files or {}).items():
            self.write(path, content)
        self.git("add", "-A")
        self.clock += 86_400
        env = self._identities(author, committer or author, offset)
        raw = message.encode("utf-8") if isinstance(message, str) else message
        args = [*(arg for pair in (("-c", item) for item in config) for arg in pair), "commit", "-q", "--no-verify",
                "--allow-empty-message", "-F", "-"]
        if allow_empty:
            args.append("--allow-empty")
        self.git(*args, input=raw, env=env)
        return self.head()

    def _identities(self, author: str, committer: str, offset: str) -> dict[str, str]:
        """``Name <address>`` strings and the current clock as git's environment variables."""
        name, email = author.rsplit(" <", 1)
        committer_name, committer_email = committer.rsplit(" <", 1)
        return git_env(
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email.rstrip(">"),
            GIT_AUTHOR_DATE=f"{self.clock} {offset}",
            GIT_COMMITTER_NAME=committer_name,
            GIT_COMMITTER_EMAIL=committer_email.rstrip(">"),
            GIT_COMMITTER_DATE=f"{self.clock} {offset}",
        )

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str, message: str | None = None, target: str = "HEAD") -> None:
        if message is None:
            self.git("tag", name, target)
        else:
            env = git_env(
                GIT_COMMITTER_NAME="Release Bot",
                GIT_COMMITTER_EMAIL="release@example.com",
                GIT_COMMITTER_DATE=f"{self.clock} +0000",
            )
            self.git("tag", "-a", name, "-m", message, target, env=env)

    def pick(self, sha: str, committer: str = "GitHub <noreply@github.com>", *, record: bool = False) -> str:
        """``git cherry-pick`` onto the current branch: the author and author date stay, as when GitHub
        rebase-merges a PR or a maintainer backports a fix; ``record`` adds ``-x``'s line."""
        self.clock += 86_400
        name, email = committer.rsplit(" <", 1)
        env = git_env(GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email.rstrip(">"),
                      GIT_COMMITTER_DATE=f"{self.clock} +0000")
        self.git("cherry-pick", *(["-x"] if record else []), sha, env=env)
        return self.head()

    def merge(self, branch: str, message: str, author: str = "Maintainer <maint@example.com>") -> str:
        self.clock += 86_400
        env = self._identities(author, author, "+0000")
        self.git("merge", "-q", "--no-ff", "-m", message, branch, env=env)
        return self.head()
