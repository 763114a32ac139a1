"""Values that are valid to git, JSON or YAML but absurd to a program: a commit dated 9999, an offset of
+9959, an array nested 100 000 deep, an integer of 5 000 digits, a cache of the wrong shape, a network
that is down. Each gives one line naming the file or commit and the place, and the rest of the build
goes on; none is a traceback."""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer

from generator.build import BuildOptions, build_knowledge
from generator.cli.commands import main
from generator.model.errors import EXIT_INTERNAL_ERROR
from generator.sources.git.commitcache import CACHE_FILE
from generator.sources.locations import commit_cache_dir
from tests.gitrepo import Repo


def raw_commit(repo: Repo, date: str, message: str = "Hostile date") -> str:
    """A commit object written by hand on top of HEAD: git's own tools refuse such dates, git stores them."""
    body = (f"tree {repo.git('rev-parse', 'HEAD^{tree}')}\nparent {repo.head()}\n"
            f"author Mallory <m@example.com> {date}\ncommitter Mallory <m@example.com> {date}\n\n{message}\n")
    sha = repo.git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", input=body.encode())
    repo.git("update-ref", "refs/heads/main", sha)
    return sha


# --- dates --------------------------------------------------------------------------------------------


def test_a_commit_dated_9999_is_one_finding_and_keeps_the_health_page_small(repo: Repo, tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})  # 2023
    far = raw_commit(repo, "253402214400 +0000")  # 9999-12-31
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert (f"almanac: warning: commit {far[:12]}: dated 9999-12-31, outside 1970-01-01 to " in err)
    assert err.count("outside 1970-01-01") == 1
    health = tmp_path / "out" / "contributors" / "health.md"
    assert health.stat().st_size < 20_000  # was 53 MB: one row per month from 2023 to 9999
    assert "9999-" not in health.read_text(encoding="utf-8")


def test_year_10000_and_an_offset_of_99_hours_build(repo: Repo, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})
    sha = raw_commit(repo, "253402300800 +9959")
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0
    assert f"commit {sha[:12]}: dated " in capsys.readouterr().err
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert knowledge.commits[sha].author.utc_offset == 0  # no clock is 99 hours ahead: read as UTC
    assert knowledge.as_of == repo.clock  # "now" is the latest believable date, not year 10000


# --- JSON and YAML ------------------------------------------------------------------------------------

DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_YAML = "- " * 5_000 + "x\n"  # block sequences nest two characters a level
HUGE = "9" * 5_000  # past Python's 4 300-digit limit on int("...")


def findings_of(repo: Repo) -> dict[str, str]:
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    return {finding.where: finding.message for finding in knowledge.findings}


@pytest.mark.parametrize(("files", "where", "message"), [
    ({"config.json": '{"model_type": "llama", "x": ' + DEEP_JSON + "}"}, "config.json:1",
     "not valid JSON (nested deeper than 64 levels); architecture facts skipped"),
    ({"config.json": '{"model_type": "llama",\n "hidden_size": ' + HUGE + "}"}, "config.json:2",
     "not valid JSON (a number of 5000 digits); architecture facts skipped"),
    ({"README.md": "---\nlicense: mit\nx: " + "{a: " * 30_000 + "1" + "}" * 30_000 + "\n---\n# M\n"}, "README.md:3",
     "front matter is not valid YAML (nested deeper than 64 levels); ignored"),
    ({"README.md": "---\nlicense: mit\nx: " + HUGE + "\n---\n# M\n"}, "README.md:3",
     "front matter is not valid YAML (a number of 5000 digits); ignored"),
    ({"contributors.yml": "people:\n" + DEEP_YAML}, "contributors.yml:2", "not valid YAML; ignored"),
    ({".all-contributorsrc": DEEP_JSON}, ".all-contributorsrc:1",
     "not valid JSON (nested deeper than 64 levels); ignored"),
    ({"CITATION.cff": "cff-version: 1.2.0\ntitle:\n" + DEEP_YAML}, "CITATION.cff:3", "not valid YAML; ignored"),
    ({"CITATION.cff": "cff-version: 1.2.0\ntitle: 0x" + "f" * 4_000 + "\n"}, "CITATION.cff:2",
     "not valid YAML; ignored"),
])
def test_absurd_json_and_yaml_are_one_finding_each(repo: Repo, files: dict[str, str], where: str,
                                                   message: str) -> None:
    repo.commit("Hostile data", {"README.md": "# M\n\nA model.\n", **files})
    assert findings_of(repo)[where] == message


def test_a_dimension_of_400_digits_is_not_read(repo: Repo) -> None:
    config = ('{"num_hidden_layers": 2, "hidden_size": ' + "9" * 400 + ', "num_attention_heads": 2, '
              '"vocab_size": 4, "intermediate_size": 8}')
    repo.commit("Absurd config", {"README.md": "# M\n", "config.json": config})
    assert findings_of(repo)["config.json"] == "no parameter estimate: config.json does not state hidden"


def test_yaml_aliases_that_expand_to_ten_million_values_are_refused() -> None:
    import yaml

    from generator.text.untrusted import load_yaml

    lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for name, previous in zip("bcdefg", "abcdef", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    with pytest.raises(yaml.YAMLError, match="more than 1,000,000 values once its aliases are expanded"):
        load_yaml("\n".join(lines))


# --- the forge cache ----------------------------------------------------------------------------------


def signed(payload: dict[str, Any]) -> str:
    """A cache document for ``payload`` with a correct checksum: anyone can compute one."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return json.dumps({"schema": 1, "checksum": hashlib.sha256(canonical.encode()).hexdigest(), "data": payload})


def good_pull(**changes: Any) -> dict[str, Any]:
    pull = {"number": 1, "title": "Fix", "state": "merged", "author": "lina", "created_at": 1_700_000_000,
            "updated_at": 1_700_000_000, "labels": [], "reviews": [], "requested_reviewers": []}
    return {**pull, **changes}


def forge_payload(pulls: Any) -> dict[str, Any]:
    return {"source": "github:o/r", "synced_at": 1, "pulls": pulls, "discussions": [], "etags": {}, "marks": {}}


@pytest.mark.parametrize(("pulls", "problem"), [
    ({"1": good_pull()}, "`pulls` is not a list"),
    ([good_pull(created_at="soon")], "pulls[0].created_at should be int, not str"),
    ([good_pull(reviews={"a": 1})], "pulls[0].reviews should be tuple, not dict"),
    ([good_pull(reviews=[{"author": "x", "state": "APPROVED"}])], "pulls[0].reviews[0] lacks `submitted_at`"),
    ([good_pull(labels=[["bug"]])], "pulls[0].labels[0] should be str, not list"),
    (["#1"], "pulls[0] should be PullRequestRecord, not str"),
])
def test_a_forge_cache_of_the_wrong_shape_is_one_finding(repo: Repo, tmp_path: Path, pulls: Any, problem: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Fix (#1)", {"README.md": "# M\n"})
    cache = repo.path / ".almanac" / "forge" / "github-o-r.json"
    cache.parent.mkdir(parents=True)
    cache.write_text(signed(forge_payload(pulls)), encoding="utf-8")
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0
    assert f"almanac: warning: {cache}: {problem}; forge data from it is left out\n" in capsys.readouterr().err


def test_a_forge_cache_linked_to_dev_zero_falls_back_to_the_previous_good_copy(repo: Repo) -> None:
    repo.commit("Fix (#1)", {"README.md": "# M\n"})
    folder = repo.path / ".almanac" / "forge"
    folder.mkdir(parents=True)
    (folder / "github-o-r.json.bak").write_text(signed(forge_payload([good_pull()])), encoding="utf-8")
    (folder / "github-o-r.json").symlink_to("/dev/zero")
    knowledge = build_knowledge(BuildOptions(repo=repo.path, use_cache=False))
    assert [pull.number for forge in knowledge.forge for pull in forge.pulls] == [1]
    assert {str(f) for f in knowledge.findings if "forge" in f.where} == {
        f"{folder}/github-o-r.json: a symlink out of the cache folder; not followed; using the previous good copy "
        "github-o-r.json.bak"}


# --- the commit cache ---------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["substr(data, 1, 20)", "5", "CAST('[\"x\", [], [], [], \"\", [], []]' AS BLOB)"])
def test_damaged_commit_cache_rows_are_one_warning_and_a_rebuild(repo: Repo, tmp_path: Path, damage: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("One", {"README.md": "# M\n"})
    repo.commit("Two (#3)", {"a.txt": "x"})
    assert main(["write", str(tmp_path / "first"), "--repo", str(repo.path)]) == 0
    database = commit_cache_dir(repo.path) / CACHE_FILE
    with sqlite3.connect(database) as db:
        db.execute(f"UPDATE commits SET data = {damage}")
        db.execute("DELETE FROM results")  # the saved pages would be the answer, the rows never read
    capsys.readouterr()
    assert main(["write", str(tmp_path / "second"), "--repo", str(repo.path)]) == 0
    assert f"almanac: info: {database}: 2 damaged commit rows; rebuilding the cache\n" in capsys.readouterr().err
    assert [path.read_bytes() for path in sorted((tmp_path / "first").rglob("*.md"))] == \
           [path.read_bytes() for path in sorted((tmp_path / "second").rglob("*.md"))]


def test_a_cached_commit_of_the_wrong_shape_is_one_line(repo: Repo, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("One", {"README.md": "# M\n"})
    sha = repo.commit("Two (#3)", {"a.txt": "x"})
    assert main(["write", str(tmp_path / "first"), "--repo", str(repo.path)]) == 0
    database = commit_cache_dir(repo.path) / CACHE_FILE
    with sqlite3.connect(database) as db:  # SQLite's look at the rows cannot see this; decoding does
        db.execute("UPDATE commits SET data = json_replace(CAST(data AS TEXT), '$[6]', "
                   "json('[[\"a\", \"many\", 0, null]]'))")
        db.execute("DELETE FROM results")
    capsys.readouterr()
    assert main(["write", str(tmp_path / "second"), "--repo", str(repo.path)]) == EXIT_INTERNAL_ERROR
    assert capsys.readouterr().err.endswith(
        f"almanac: error: {database}: a cached commit is damaged (int expected, not str) ({sha}); delete the file or "
        "build with --no-cache\n")


# --- syncing ------------------------------------------------------------------------------------------


def closed_port() -> int:
    """A local port nobody listens on: bound, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_hub_sync_with_the_network_down_is_one_line(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Init", {"README.md": "# M\n"})
    endpoint = f"http://127.0.0.1:{closed_port()}"
    assert main(["sync", "--repo", str(repo.path), "--hub", "org/name", "--hub-endpoint", endpoint]) \
        == EXIT_INTERNAL_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"almanac: error: {endpoint}: cannot reach the Hub (")
    assert err.endswith("; the previous cache was kept\n") and err.count("\n") == 1


def test_a_github_sync_with_the_network_down_is_one_line(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Init", {"README.md": "# M\n"})
    port = closed_port()
    assert main(["sync", "--repo", str(repo.path), "--github", "o/r", "--github-api", f"http://127.0.0.1:{port}"]) \
        == EXIT_INTERNAL_ERROR
    assert capsys.readouterr().err == f"almanac: error: 127.0.0.1:{port}: [Errno 111] Connection refused\n"


@pytest.mark.parametrize(("body", "problem"), [
    ("<html>busy</html>", "JSONDecodeError('Expecting value: line 1 column 1 (char 0)')"),
    ('["#1"]', "AttributeError(\"'str' object has no attribute 'get'\")"),
    ('[{"number": "one", "updated_at": "2025-01-01T00:00:00Z"}]', "ValueError(\"invalid literal for int() with "
                                                                   "base 10: 'one'\")"),
    ('[{"number": ' + HUGE + ', "updated_at": "2025-01-01T00:00:00Z"}]',
     "JSONDecodeError('a number of 5000 digits: line 1 column 13 (char 12)')"),
])
def test_a_github_response_of_the_wrong_shape_is_one_line(repo: Repo, httpserver: HTTPServer, body: str,
                                                          problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Init", {"README.md": "# M\n"})
    httpserver.expect_request("/repos/o/r/pulls").respond_with_data(body, content_type="application/json")
    api = httpserver.url_for("").rstrip("/")
    assert main(["sync", "--repo", str(repo.path), "--github", "o/r", "--github-api", api]) == 2
    assert capsys.readouterr().err == (f"almanac: error: {urlsplit(api).netloc}: a response is not shaped as "
                                       f"GitHub's API is ({problem}); the previous cache was kept\n")
    assert not (repo.path / ".almanac" / "forge").exists()


# --- numbers in commits and files -----------------------------------------------------------------------


@pytest.mark.parametrize(("message", "files", "author"), [
    (f"Fix (#{HUGE})", {}, "Alice <alice@example.com>"),
    (f"Fix\n\nCo-authored-by: Bob <{HUGE}+bob@users.noreply.github.com>", {}, "Alice <alice@example.com>"),
    ("Fix", {}, f"Bob <{HUGE}+bob@users.noreply.github.com>"),
    ("Weights", {"model.safetensors": f"version https://git-lfs.github.com/spec/v1\noid sha256:{'a' * 64}\n"
                                      f"size {'9' * 900}\n"}, "Alice <alice@example.com>"),
    ("Evals", {"README.md": f'# M\n\n<table><tr><th>Model</th><th>MMLU</th></tr><tr><td rowspan="{HUGE}">a</td>'
                            "<td>1</td></tr></table>\n"}, "Alice <alice@example.com>"),
    ("Evals", {"README.md": f"# M\n\n| Benchmark | Score |\n|---|---|\n| MMLU ({HUGE}-shot) | 1 |\n"},
     "Alice <alice@example.com>"),
    ("Size", {"README.md": f"# M\n\nA {'9' * 400}B parameter model, {HUGE} 亿参数.\n"}, "Alice <alice@example.com>"),
])
def test_numbers_too_long_to_be_numbers_are_text(repo: Repo, tmp_path: Path, message: str, files: dict[str, str],
                                                 author: str) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})
    repo.commit(message, files, author=author, allow_empty=True)
    assert main(["write", str(tmp_path / "out"), "--repo", str(repo.path), "--no-cache"]) == 0


def test_an_unreadable_commit_date_is_named_as_such(repo: Repo) -> None:
    repo.commit("Initial commit", {"README.md": "# M\n"})
    sha = raw_commit(repo, "9" * 30 + " +0000")  # more digits than git's own timestamps hold
    message = findings_of(repo)[f"commit {sha[:12]}"]
    assert message.startswith("no readable date, outside 1970-01-01 to ")
    assert message.endswith(" (the build time and a day); left out of the time series")
