"""``almanac serve`` end to end: a real preview server on a free local port, driven by edits and commits.

Each test starts the command in a subprocess, fetches pages with urllib and waits (a few seconds at most)
for the rebuild that an edit of the docs, of ``mkdocs.yml`` or a new commit must cause.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.gitrepo import Repo, git_env

WAIT = 15.0  # seconds any one rebuild may take on a slow machine (it takes well under one here)


def free_port() -> int:
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])
    except OSError as error:
        pytest.skip(f"cannot bind a local port: {error}")


def fetch(url: str) -> str:
    """The page, or "" while the server is not up; a request that hangs fails the test (the old bug)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except TimeoutError as error:
        raise AssertionError(f"{url}: the request hung") from error
    except (urllib.error.URLError, ConnectionError) as error:
        if isinstance(error.reason if isinstance(error, urllib.error.URLError) else None, TimeoutError):
            raise AssertionError(f"{url}: the request hung") from error
        return ""


def wait_for(what: str, probe: Callable[[], bool], log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while not probe():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {WAIT} s; the server said:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


@contextmanager
def serving(cwd: Path, log: Path, *args: str) -> Iterator[str]:
    """Run ``almanac serve`` in ``cwd`` until the block ends; yield its address."""
    port = free_port()
    env = {**os.environ, "ALMANAC_CACHE_DIR": str(log.parent / "cache")}
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}", *args],
                                   cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for("first build", lambda: process.poll() is not None or fetch(url) not in ("", "HTTP 404"), log)
        assert process.poll() is None, log.read_text(errors="replace")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def small_repo(path: Path) -> Repo:
    repo = Repo(path)
    repo.commit("Add model card", {"README.md": "# Tiny-LM\n\nA tiny model.\n", "LICENSE": "MIT License\n"})
    return repo


def test_serve_rebuilds_on_edits_and_commits_and_says_why_a_rebuild_failed(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    config = "site_name: Tiny\nplugins:\n  - search\n"
    repo.commit("docs", {"mkdocs.yml": config, "docs/index.md": "# Home version one\n"})
    log = tmp_path / "serve.log"
    with serving(repo.path, log) as url:
        assert "Home version one" in fetch(url)
        repo.write("docs/index.md", "# Home version two\n")  # an edit of a page, not committed
        wait_for("rebuild after a docs edit", lambda: "Home version two" in fetch(url), log)
        repo.write("docs/index.md", "# Home version three\n")  # the second rebuild loads the config again
        wait_for("second rebuild", lambda: "Home version three" in fetch(url), log)

        repo.write("mkdocs.yml", config.replace("search", "no-such-plugin"))
        wait_for("the failure's cause", lambda: "rebuild failed" in log.read_text(errors="replace"), log)
        failure = next(line for line in log.read_text().splitlines() if "rebuild failed" in line)
        assert 'The "no-such-plugin" plugin is not installed' in failure  # one line, with its cause
        assert "Home version three" in fetch(url)  # the previous pages, served at once
        assert "Traceback" not in log.read_text()

        repo.write("mkdocs.yml", config)
        repo.commit("Second commit", {"extra.txt": "x\n"}, author="Bob Newcomer <bob@example.com>")
        wait_for("rebuild after a commit", lambda: "Bob Newcomer" in fetch(url + "contributors/"), log)


def test_serve_without_mkdocs_yml_rebuilds_after_a_commit(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    log = tmp_path / "serve.log"
    with serving(elsewhere, log, "--repo", str(repo.path)) as url:
        assert "Tiny-LM" in fetch(url)
        repo.commit("Second commit", {"extra.txt": "x\n"}, author="Bob Newcomer <bob@example.com>")
        wait_for("rebuild after a commit", lambda: "Bob Newcomer" in fetch(url + "contributors/"), log)
        repo.commit("Third commit", {"extra.txt": "y\n"}, author="Carol Later <carol@example.com>")
        wait_for("second rebuild after a commit", lambda: "Carol Later" in fetch(url + "contributors/"), log)
    assert "Error" not in log.read_text()


def test_serve_watches_the_history_of_a_linked_work_tree(tmp_path: Path) -> None:
    """In a ``git worktree`` (or a submodule) ``.git`` is a file: the refs to watch live elsewhere."""
    main = small_repo(tmp_path / "main")
    linked = tmp_path / "linked"
    main.git("worktree", "add", "-q", "-b", "feature", str(linked))
    log = tmp_path / "serve.log"
    with serving(tmp_path, log, "--repo", str(linked)) as url:
        assert "Tiny-LM" in fetch(url)
        bob = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
               for what, value in (("NAME", "Bob Newcomer"), ("EMAIL", "bob@example.com"))}
        main.git("-C", str(linked), "commit", "-q", "--allow-empty", "-m", "Second commit", env=git_env(**bob))
        wait_for("rebuild after a commit in the linked work tree",
                 lambda: "Bob Newcomer" in fetch(url + "contributors/"), log)
