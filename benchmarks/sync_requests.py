"""What an incremental ``almanac sync`` costs against a full one: requests and time, on a replay server.

Run: ``python benchmarks/sync_requests.py [--pulls 2000]``. A local server (pytest-httpserver, from
the test extras) replays GitHub's REST and GraphQL shapes for a repository of ``--pulls`` pull
requests, 100 per page behind ``Link`` headers, each with reviews. Side by side in one run:

- **full**: the first sync, with no cache (the baseline);
- **unchanged**: the next sync when nothing changed (the first page answers ``304`` to its ETag);
- **5 updated**: a sync after five pull requests were updated.

It prints requests and seconds for each, and each one's ratio to the full sync. Rate limits make
requests the figure that matters (GitHub allows 5 000 an hour). Never gates.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.model.forge import ForgeData
from generator.sources.forges.github import GitHubSync
from generator.sources.forges.http import HttpClient


class Forge:
    """The replayed repository: pull requests with an ``updated_at`` each, newest first when listed."""

    def __init__(self, count: int) -> None:
        self.updated = {number: 1_700_000_000 + number * 60 for number in range(1, count + 1)}
        self.etag = "v1"

    def pull(self, number: int) -> dict[str, Any]:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.updated[number]))
        return {"number": number, "title": f"Change {number}", "state": "closed", "user": {"login": "dev"},
                "created_at": stamp, "updated_at": stamp, "closed_at": stamp, "merged_at": stamp,
                "merge_commit_sha": f"{number:040x}", "labels": [], "requested_reviewers": [], "draft": False,
                "html_url": f"https://github.com/o/r/pull/{number}", "body": ""}

    def pulls(self, request: Request) -> Response:
        if request.headers.get("If-None-Match") == f'"{self.etag}"':
            return Response(status=304)
        page = int(request.args.get("page", "1"))
        ordered = sorted(self.updated, key=lambda n: -self.updated[n])
        items = [self.pull(n) for n in ordered[(page - 1) * 100:page * 100]]
        headers = {"ETag": f'"{self.etag}"', "Content-Type": "application/json"}
        if page * 100 < len(ordered):
            headers["Link"] = f'<{request.host_url}repos/o/r/pulls?page={page + 1}>; rel="next"'
        return Response(json.dumps(items), headers=headers)

    def touch(self, numbers: list[int]) -> None:
        newest = max(self.updated.values())
        for offset, number in enumerate(numbers, start=1):
            self.updated[number] = newest + offset * 60
        self.etag = f"v{len(self.etag) + 1}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pulls", type=int, default=2000)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    forge = Forge(args.pulls)
    server = HTTPServer()
    server.start()
    try:
        server.expect_request("/repos/o/r/pulls").respond_with_handler(forge.pulls)
        server.expect_request(re.compile(r"/repos/o/r/pulls/\d+/reviews")).respond_with_json(
            [{"user": {"login": "maintainer"}, "state": "APPROVED", "submitted_at": "2024-01-01T00:00:00Z"}])
        server.expect_request("/graphql", method="POST").respond_with_json({"data": {"repository": {
            "hasDiscussionsEnabled": True, "discussions": {"pageInfo": {"hasNextPage": False}, "nodes": []}}}})
        base = server.url_for("").rstrip("/")
        data = ForgeData("github:o/r")
        rows = []
        for label, before in (("full", None), ("unchanged", None), ("5 updated", [3, 50, 700, 1200, 1999])):
            if before:
                forge.touch([n for n in before if n <= args.pulls])
            client = HttpClient(base, "token")
            start = time.perf_counter()
            data = GitHubSync("o/r", client, base, f"{base}/graphql").sync(data, [])
            rows.append((label, client.requests, time.perf_counter() - start))
    finally:
        server.stop()
    full_requests, full_seconds = rows[0][1], rows[0][2]
    print(f"{args.pulls} pull requests, 100 per page, one review each")
    for label, requests, seconds in rows:
        print(f"  {label:<10} {requests:>6} requests {seconds:7.2f} s   "
              f"{requests / full_requests:.4f}x requests  {seconds / full_seconds:.4f}x time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
