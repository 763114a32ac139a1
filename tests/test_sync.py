"""`almanac sync` against a local server replaying GitHub's and the Hub's responses in their real shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from generator.model.errors import AlmanacError, Finding
from generator.model.forge import ForgeData
from generator.sources.forges.cache import file_name, from_json, read_cache_file, to_json, write_cache
from generator.sources.forges.github import GitHubSync
from generator.sources.forges.http import HttpClient, RateLimited
from generator.sources.forges.sync import SyncOptions, sources_from_remote, sync
from tests.gitrepo import Repo

TOKEN = "ghp_SECRETtoken0123456789"


def user(login: str | None, id_: int = 1) -> dict[str, Any] | None:
    return None if login is None else {"login": login, "id": id_, "type": "User",
                                       "html_url": f"https://github.com/{login}"}


def pull(number: int, updated: str, *, state: str = "closed", merged: bool = True, author: str | None = "lina",
         labels: tuple[str, ...] = (), draft: bool = False, title: str | None = None,
         body: str = "Fixes things.\n\n<script>alert(1)</script>") -> dict[str, Any]:
    """A pull request as GET /repos/{owner}/{repo}/pulls returns it (the fields Almanac reads, and others)."""
    return {
        "url": f"https://api.github.com/repos/o/r/pulls/{number}", "id": 1000 + number, "number": number,
        "state": state, "locked": False, "title": title or f"Change {number}", "user": user(author),
        "body": body, "created_at": "2025-01-01T10:00:00Z",
        "updated_at": updated, "closed_at": updated if state == "closed" else None,
        "merged_at": updated if merged and state == "closed" else None,
        "merge_commit_sha": f"{number:040x}", "assignee": None, "assignees": [],
        "requested_reviewers": [user("wei", 2)], "requested_teams": [],
        "labels": [{"id": 7, "name": name, "color": "ededed", "default": False} for name in labels],
        "draft": draft, "head": {"ref": f"feature-{number}", "sha": "a" * 40},
        "base": {"ref": "main", "sha": "b" * 40}, "html_url": f"https://github.com/o/r/pull/{number}",
        "author_association": "MEMBER", "auto_merge": None,
    }


def review(login: str | None, state: str, submitted: str = "2025-01-02T09:00:00Z") -> dict[str, Any]:
    return {"id": 1, "node_id": "PRR_x", "user": user(login), "body": "", "state": state,
            "html_url": "https://github.com/o/r/pull/1#pullrequestreview-1", "submitted_at": submitted,
            "commit_id": "c" * 40, "author_association": "MEMBER"}


def discussions_page(nodes: list[dict[str, Any]], *, next_cursor: str | None = None) -> dict[str, Any]:
    return {"data": {"repository": {"hasDiscussionsEnabled": True, "discussions": {
        "pageInfo": {"hasNextPage": next_cursor is not None, "endCursor": next_cursor}, "nodes": nodes}}}}


def discussion(number: int, *, category: str = "Ideas", answerable: bool = False, upvotes: int = 0,
               answer: dict[str, Any] | None = None, author: str | None = "zhaolei") -> dict[str, Any]:
    return {"number": number, "title": f"Proposal {number}", "body": "Let us add **RoPE scaling**.",
            "url": f"https://github.com/o/r/discussions/{number}", "createdAt": "2025-02-01T08:00:00Z",
            "updatedAt": "2025-02-03T08:00:00Z", "closed": False, "upvoteCount": upvotes,
            "author": user(author), "category": {"name": category, "isAnswerable": answerable},
            "reactions": {"totalCount": 3}, "comments": {"totalCount": 2}, "answer": answer}


@pytest.fixture
def github(httpserver: HTTPServer) -> HTTPServer:
    """Two pages of pull requests (the second behind a Link on the same host), reviews, discussions."""
    base = httpserver.url_for("")
    httpserver.expect_request("/repos/o/r/pulls").respond_with_json(
        [pull(3, "2025-03-03T00:00:00Z", state="open", merged=False, labels=("enhancement",)),
         pull(2, "2025-03-02T00:00:00Z", merged=False, author=None)],
        headers={"ETag": '"pulls-v1"', "Link": f'<{base}repositories/1/pulls?state=all&page=2>; rel="next", '
                                               f'<{base}repositories/1/pulls?state=all&page=2>; rel="last"'})
    httpserver.expect_request("/repositories/1/pulls").respond_with_json(
        [pull(1, "2025-03-01T00:00:00Z", labels=("bug", "area/tokenizer"),
              body="Implements https://github.com/o/r/discussions/5 (see #1 and #6).")])
    for number, reviews in ((1, [review("wei", "APPROVED"), review(None, "COMMENTED")]),
                            (2, [review("wei", "CHANGES_REQUESTED")]), (3, [])):
        httpserver.expect_request(f"/repos/o/r/pulls/{number}/reviews").respond_with_json(reviews)
    httpserver.expect_request("/graphql", method="POST").respond_with_json(discussions_page([
        discussion(5, upvotes=12),
        discussion(6, category="Q&A", answerable=True,
                   answer={"body": "Use `rope_scaling`.", "url": "https://github.com/o/r/discussions/6#c", "author":
                           user("wei")}),
    ]))
    return httpserver


def github_sync(server: HTTPServer, previous: ForgeData | None = None, sleep: Any = None) -> tuple[ForgeData, int]:
    client = HttpClient(server.url_for("").rstrip("/"), TOKEN, sleep=sleep or (lambda seconds: None))
    data = GitHubSync("o/r", client, server.url_for("").rstrip("/"), server.url_for("/graphql")).sync(
        previous or ForgeData("github:o/r"), [])
    return data, client.requests


def test_pull_requests_reviews_and_discussions_in_real_shapes(github: HTTPServer) -> None:
    data, requests = github_sync(github)
    assert requests == 2 + 3 + 1  # two pages, three PRs' reviews, one GraphQL query
    assert [(p.number, p.state, p.author, p.labels) for p in data.pulls] == [
        (1, "merged", "lina", ("area/tokenizer", "bug")), (2, "closed", None, ()),
        (3, "open", "lina", ("enhancement",))]
    first = data.pulls[0]
    assert first.merge_commit == f"{1:040x}" and first.requested_reviewers == ("wei",)
    assert first.mentions == (5, 6) and data.pulls[1].mentions == ()  # references kept, the body is not
    assert [(r.author, r.state) for r in first.reviews] == [("wei", "APPROVED"), (None, "COMMENTED")]
    assert data.marks["pulls_updated"] == 1740960000  # the newest updated_at, 2025-03-03T00:00:00Z
    assert [(d.number, d.upvotes, d.answerable, d.answer.author if d.answer else None) for d in data.discussions] \
        == [(5, 12, False, None), (6, 0, True, "wei")]
    assert all(request.headers["Authorization"] == f"Bearer {TOKEN}" for request, _ in github.log)
    assert TOKEN not in to_json(data)


def test_an_unchanged_repository_costs_one_not_modified(github: HTTPServer) -> None:
    data, _ = github_sync(github)
    github.clear()
    github.expect_request("/repos/o/r/pulls", headers={"If-None-Match": '"pulls-v1"'}).respond_with_data(status=304)
    github.expect_request("/graphql", method="POST").respond_with_json(discussions_page([]))
    again, requests = github_sync(github, data)
    assert requests == 2 and again.pulls == data.pulls


def test_only_pull_requests_updated_since_the_last_sync_are_fetched(github: HTTPServer) -> None:
    data, _ = github_sync(github)
    github.clear()
    github.expect_request("/repos/o/r/pulls").respond_with_json(
        [pull(4, "2025-04-01T00:00:00Z", state="open", merged=False, draft=True),
         pull(3, "2025-03-03T00:00:00Z", state="open", merged=False)],
        headers={"Link": f'<{github.url_for("")}repositories/1/pulls?page=2>; rel="next"'})
    github.expect_request("/repos/o/r/pulls/4/reviews").respond_with_json([])
    github.expect_request("/graphql", method="POST").respond_with_json(discussions_page([]))
    again, requests = github_sync(github, data)
    assert requests == 3  # page 1 holds an older PR: page 2 is never asked for
    assert [(p.number, p.state) for p in again.pulls] == [(1, "merged"), (2, "closed"), (3, "open"), (4, "draft")]


def test_rate_limits_are_waited_out_when_short_and_stop_the_sync_when_long(httpserver: HTTPServer) -> None:
    waits: list[float] = []
    httpserver.expect_oneshot_request("/repos/o/r/pulls").respond_with_json(
        {"message": "You have exceeded a secondary rate limit."}, status=429, headers={"Retry-After": "2"})
    httpserver.expect_request("/repos/o/r/pulls").respond_with_json([])
    httpserver.expect_request("/graphql", method="POST").respond_with_json(discussions_page([]))
    github_sync(httpserver, sleep=waits.append)
    assert waits == [2.0]
    httpserver.clear()
    httpserver.expect_request("/repos/o/r/pulls").respond_with_json(
        {"message": "API rate limit exceeded"}, status=403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4102444800"})
    with pytest.raises(RateLimited, match="rate limit: retry in"):
        github_sync(httpserver)


def test_graphql_errors_fail_even_with_partial_data(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/o/r/pulls").respond_with_json([])
    partial = discussions_page([discussion(1)])
    partial["errors"] = [{"type": "FORBIDDEN", "message": "Resource not accessible by integration",
                          "path": ["repository", "discussions"]}]
    httpserver.expect_request("/graphql", method="POST").respond_with_json(partial)
    with pytest.raises(AlmanacError, match="GraphQL error: Resource not accessible by integration"):
        github_sync(httpserver)


def test_disabled_discussions_and_cross_host_links(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/o/r/pulls").respond_with_json([])
    httpserver.expect_request("/graphql", method="POST").respond_with_json({"message": "Not Found"}, status=404)
    client = HttpClient(httpserver.url_for("").rstrip("/"), TOKEN)
    findings: list[Finding] = []
    GitHubSync("o/r", client, httpserver.url_for("").rstrip("/"), httpserver.url_for("/graphql")).sync(
        ForgeData("github:o/r"), findings)
    assert [f.message for f in findings] == ["discussions are not available (HTTP 404); none synced"]
    httpserver.clear()
    httpserver.expect_request("/repos/o/r/pulls").respond_with_json(
        [pull(1, "2025-03-01T00:00:00Z")], headers={"Link": '<https://evil.example/steal?page=2>; rel="next"'})
    httpserver.expect_request("/repos/o/r/pulls/1/reviews").respond_with_json([])
    with pytest.raises(AlmanacError, match="the next page is on another host; not followed"):
        github_sync(httpserver)


def test_a_token_never_reaches_an_error_message(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/repos/o/r/pulls").respond_with_json(
        {"message": f"Bad credentials: {TOKEN}", "documentation_url": "https://docs.github.com/rest"}, status=401)
    with pytest.raises(AlmanacError) as raised:
        github_sync(httpserver)
    assert TOKEN not in str(raised.value) and "HTTP 401 (Bad credentials: ***)" in str(raised.value)


def test_sync_command_writes_the_cache_and_keeps_it_when_a_later_sync_fails(
        github: HTTPServer, repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    repo.commit("Init", {"README.md": "# M\n"})
    repo.git("remote", "add", "origin", "https://github.com/o/r.git")
    options = SyncOptions(repo.path, tmp_path / "forge", github_api=github.url_for("").rstrip("/"))
    report: list[str] = []
    assert sync(options, report, []) == [tmp_path / "forge" / "github-o-r.json"]
    cached = (tmp_path / "forge" / "github-o-r.json").read_text(encoding="utf-8")
    assert TOKEN not in cached and "@" not in cached.replace("https://", "")
    assert report == [f"GitHub o/r: 6 requests: 3 pull requests, 2 discussions → {tmp_path}/forge/github-o-r.json"]
    github.clear()
    github.expect_request("/repos/o/r/pulls").respond_with_json({"message": "boom"}, status=502)
    with pytest.raises(AlmanacError, match="HTTP 502"):
        sync(options, [], [])
    assert (tmp_path / "forge" / "github-o-r.json").read_text(encoding="utf-8") == cached


def test_damaged_and_newer_caches(tmp_path: Path) -> None:
    data = ForgeData("github:o/r", 1, [], [], {}, {"pulls_updated": 5})
    path = write_cache(tmp_path, data)
    write_cache(tmp_path, ForgeData("github:o/r", 2))  # the first one becomes the .bak
    path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")  # truncated
    findings: list[Finding] = []
    recovered = read_cache_file(path, findings)
    assert recovered is not None and recovered.marks == {"pulls_updated": 5}
    assert "not valid JSON" in findings[0].message and "previous good copy" in findings[0].message
    newer = json.loads(to_json(data))
    newer["schema"] = 99
    with pytest.raises(AlmanacError, match=r"newer Almanac \(cache schema 99"):
        from_json(json.dumps(newer), "forge.json")
    edited = json.loads(to_json(data))
    edited["data"]["marks"]["pulls_updated"] = 6
    with pytest.raises(AlmanacError, match="checksum mismatch"):
        from_json(json.dumps(edited), "forge.json")
    assert file_name("hub:Org/Name.v2") == "hub-Org-Name.v2.json"


def test_sources_from_remote_urls() -> None:
    assert sources_from_remote("git@github.com:o/r.git") == ("o/r", None)
    assert sources_from_remote("https://github.com/o/r") == ("o/r", None)
    assert sources_from_remote("https://huggingface.co/org/model") == (None, "org/model")
    assert sources_from_remote("https://huggingface.co/datasets/org/data") == (None, None)
    assert sources_from_remote("https://gitlab.com/o/r.git") == (None, None)
    assert sources_from_remote("https://hf.co/org/model.git") == (None, "org/model")
    assert sources_from_remote("https://evil.example/github.com/o/r") == (None, None)  # the host decides


def hub_discussion(num: int, status: str, *, is_pr: bool, author: str | None = "lina") -> dict[str, Any]:
    return {"num": num, "author": {"name": author, "type": "user"} if author else {"name": "deleted"},
            "repo": {"name": "org/model", "type": "model"}, "title": f"Hub thread {num}", "status": status,
            "createdAt": "2025-05-01T10:00:00.000Z", "isPullRequest": is_pr, "numComments": 2, "pinned": False}


def hub_details(num: int, status: str, *, is_pr: bool) -> dict[str, Any]:
    details = hub_discussion(num, status, is_pr=is_pr)
    details["events"] = [
        {"id": "e1", "type": "comment", "createdAt": "2025-05-01T10:00:00.000Z", "author": {"name": "lina"},
         "data": {"edited": False, "hidden": False, "latest": {"raw": "Could we get a GGUF build?", "html": "",
                  "updatedAt": "2025-05-01T10:00:00.000Z", "author": {"name": "lina"}}, "numEdits": 0,
                  "editors": ["lina"], "reactions": [{"reaction": "👍", "users": ["a", "b"], "count": 2}],
                  "identifiedLanguage": {"language": "en", "probability": 0.9}}},
        {"id": "e2", "type": "comment", "createdAt": "2025-05-02T10:00:00.000Z", "author": {"name": "spam"},
         "data": {"edited": False, "hidden": True, "latest": {"raw": "BUY NOW <img src=x>", "html": "",
                  "updatedAt": "2025-05-02T10:00:00.000Z", "author": {"name": "spam"}}, "numEdits": 0,
                  "editors": [], "reactions": []}},
        {"id": "e3", "type": "some-future-event", "createdAt": "2025-05-03T10:00:00.000Z",
         "author": {"name": "wei"}, "data": {}},
    ]
    if is_pr:
        details["events"].append({"id": "e4", "type": "status-change", "createdAt": "2025-05-04T10:00:00.000Z",
                                  "author": {"name": "wei"}, "data": {"status": status}})
    details["changes"] = {"base": "refs/heads/main", **({"mergeCommitId": "d" * 40} if status == "merged" else {})}
    details["filesWithConflicts"] = []
    return details


def test_hub_discussions_and_pull_requests_through_huggingface_hub(httpserver: HTTPServer) -> None:
    from generator.sources.forges.hub import sync_hub

    httpserver.expect_request("/api/models/org/model/discussions").respond_with_json(
        {"discussions": [hub_discussion(2, "merged", is_pr=True), hub_discussion(1, "open", is_pr=False)],
         "count": 2, "start": 0, "numClosedDiscussions": 1})
    httpserver.expect_request("/api/models/org/model/discussions/1").respond_with_json(
        hub_details(1, "open", is_pr=False))
    httpserver.expect_request("/api/models/org/model/discussions/2").respond_with_json(
        hub_details(2, "merged", is_pr=True))
    endpoint = httpserver.url_for("").rstrip("/")
    data = sync_hub("org/model", endpoint, None, ForgeData("hub:org/model"), [])
    (pr,) = data.pulls
    assert (pr.number, pr.state, pr.merge_commit, pr.author) == (2, "merged", "d" * 40, "lina")
    (thread,) = data.discussions
    assert (thread.body, thread.reactions, thread.comments) == ("Could we get a GGUF build?", 2, 0)
    assert "BUY NOW" not in to_json(data)  # a hidden comment is never kept
    requests = len(httpserver.log)
    again = sync_hub("org/model", endpoint, None, data, [])
    assert again.pulls == data.pulls and len(httpserver.log) - requests == 2  # the merged PR is not re-read


def test_no_request_leaves_loopback() -> None:
    import socket

    with pytest.raises(OSError, match="not loopback"), socket.create_connection(("192.0.2.1", 443), timeout=1):
        pass


def test_sync_command_line(github: HTTPServer, repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli.commands import main

    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    repo.commit("Init", {"README.md": "# M\n"})
    api = github.url_for("").rstrip("/")
    args = ["sync", "--repo", str(repo.path), "--github", "o/r", "--github-api", api]
    assert main(args) == 0
    assert "3 pull requests, 2 discussions" in capsys.readouterr().err
    assert (repo.path / ".almanac" / "forge" / "github-o-r.json").is_file()
    assert (repo.path / ".almanac" / ".gitignore").is_file()  # the default place stays out of git
    assert main(args) == 0  # nothing changed on the forge: nothing rewritten
    assert "unchanged" in capsys.readouterr().err
    github.clear()
    github.expect_request("/repos/o/r/pulls").respond_with_json({"message": f"Bad credentials {TOKEN}"}, status=401)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HTTP 401" in err and TOKEN not in err and "Traceback" not in err
    assert main(["sync", "--repo", str(repo.path)]) == 2  # no origin remote and no --github/--hub
    assert "no forge to sync" in capsys.readouterr().err
