"""GitHub's record of a repository: pull requests with reviews and labels (REST), discussions (GraphQL).

Syncing is incremental. Pull requests are listed newest-updated first and the listing stops at the
first one not updated since the last sync; the first page is asked for with its stored ETag, so an
unchanged repository costs one ``304 Not Modified``, which GitHub does not count against the rate
limit. Reviews are fetched only for pull requests that changed. Discussions come from GraphQL, where
a response with ``errors`` is a failure even when it carries partial ``data``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from generator.model.errors import AlmanacError, Finding
from generator.model.forge import Answer, DiscussionRecord, ForgeData, PullRequestRecord, Review
from generator.sources.forges.http import HttpClient, Response

PULLS_MARK = "pulls_updated"
_MENTION = re.compile(r"(?:(?<![\w/&])#|/(?:issues|pull|discussions)/)(\d{1,7})\b")
_DISCUSSIONS_QUERY = """
query($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    hasDiscussionsEnabled
    discussions(first: 50, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number title body url createdAt updatedAt closed upvoteCount
        author { login }
        category { name isAnswerable }
        reactions { totalCount }
        comments { totalCount }
        answer { body url author { login } }
      }
    }
  }
}
"""


def timestamp(value: Any) -> int | None:
    """GitHub's ISO 8601 times (``2024-05-01T12:00:00Z``) as Unix seconds."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def login(user: Any) -> str | None:
    """A user's login; None for a deleted account (GitHub sends ``null`` or its "ghost" user)."""
    if not isinstance(user, dict) or not isinstance(user.get("login"), str) or user["login"] == "ghost":
        return None
    return str(user["login"])


class GitHubSync:
    def __init__(self, repo: str, client: HttpClient, api_url: str, graphql_url: str) -> None:
        self.repo, self.client = repo, client
        self.api_url, self.graphql_url = api_url.rstrip("/"), graphql_url

    def sync(self, previous: ForgeData, findings: list[Finding]) -> ForgeData:
        """The previous record brought up to date (a new object; ``previous`` is not changed)."""
        data = previous.copy()
        try:
            self._sync_pulls(data)
            self._sync_discussions(data, findings)
        except (KeyError, TypeError, AttributeError, ValueError) as error:  # not JSON, or not shaped as GitHub's
            raise AlmanacError(self.client.redact(f"{self.client.base.netloc}: a response is not shaped as GitHub's "
                                                  f"API is ({error!r}); the previous cache was kept")) from None
        return data

    # -- pull requests ---------------------------------------------------------------------------

    def _pages(self, url: str, data: ForgeData, what: str) -> Iterator[list[Any] | None]:
        """Each page's items, following ``next`` links on the same host; None for a 304 first page."""
        first = True
        while url:
            response = self.client.request(url, etag=data.etags.get(url) if first else None)
            if response.status == 304:
                yield None
                return
            if response.status != 200:
                raise self.client.failure(response, what)
            if first and "etag" in response.headers:
                data.etags[url] = response.headers["etag"]
            items = response.json()
            if not isinstance(items, list):
                raise AlmanacError(f"{self.client.base.netloc}: {what}: expected a list, got {type(items).__name__}")
            yield items
            first = False
            url = self._next(response, what)

    def _next(self, response: Response, what: str) -> str:
        following = response.links().get("next", "")
        if following and not self.client.same_host(following):
            raise AlmanacError(f"{self.client.base.netloc}: {what}: the next page is on another host; not followed")
        return following

    def _sync_pulls(self, data: ForgeData) -> None:
        since = data.marks.get(PULLS_MARK, 0)
        url = f"{self.api_url}/repos/{self.repo}/pulls?state=all&sort=updated&direction=desc&per_page=100"
        changed: list[dict[str, Any]] = []
        for items in self._pages(url, data, "pull requests"):
            if items is None:
                return  # nothing changed since the last sync
            fresh = [item for item in items if (timestamp(item.get("updated_at")) or 0) > since]
            changed += fresh
            if len(fresh) < len(items):
                break  # the rest were updated before the last sync
        by_number = {pull.number: pull for pull in data.pulls}
        cached_reviews = {pull.number: pull.reviews for pull in data.pulls}
        for item in changed:
            number = int(item["number"])
            reviews = self._reviews(number, data, cached_reviews.get(number, ()))
            by_number[number] = _pull_record(item, reviews)
        data.pulls = sorted(by_number.values(), key=lambda pull: pull.number)
        if changed:
            data.marks[PULLS_MARK] = max(pull.updated_at for pull in data.pulls)

    def _reviews(self, number: int, data: ForgeData, cached: tuple[Review, ...]) -> tuple[Review, ...]:
        url = f"{self.api_url}/repos/{self.repo}/pulls/{number}/reviews?per_page=100"
        reviews: list[Review] = []
        for items in self._pages(url, data, f"reviews of #{number}"):
            if items is None:  # unchanged: keep what the cache has
                return cached
            reviews += [Review(login(item.get("user")), str(item.get("state") or "COMMENTED"),
                               timestamp(item.get("submitted_at"))) for item in items
                        if isinstance(item, dict) and item.get("state") != "PENDING"]
        return tuple(reviews)

    # -- discussions -----------------------------------------------------------------------------

    def _sync_discussions(self, data: ForgeData, findings: list[Finding]) -> None:
        owner, name = self.repo.split("/", 1)
        after: str | None = None
        found: list[DiscussionRecord] = []
        while True:
            response = self.client.request(self.graphql_url, payload={
                "query": _DISCUSSIONS_QUERY, "variables": {"owner": owner, "name": name, "after": after}})
            if response.status == 404:
                findings.append(Finding("discussions are not available (HTTP 404); none synced", self.repo, "info"))
                return
            if response.status != 200:
                raise self.client.failure(response, "discussions")
            document = response.json()
            errors = document.get("errors") if isinstance(document, dict) else None
            if errors:  # even with partial data: a half answer must not replace a whole cache
                messages = "; ".join(str(error.get("message", error)) for error in errors if isinstance(error, dict))
                raise AlmanacError(self.client.redact(f"{self.client.base.netloc}: discussions: GraphQL error: "
                                                      f"{messages or errors}"))
            repository = ((document or {}).get("data") or {}).get("repository")
            if not repository or not repository.get("hasDiscussionsEnabled", True):
                findings.append(Finding("discussions are not enabled on this repository; none synced", self.repo,
                                        "info"))
                return
            page = repository.get("discussions") or {}
            found += [_discussion_record(node) for node in page.get("nodes") or [] if isinstance(node, dict)]
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage") or not info.get("endCursor"):
                break
            after = str(info["endCursor"])
        data.discussions = sorted(found, key=lambda discussion: discussion.number)


def _pull_record(item: dict[str, Any], reviews: tuple[Review, ...]) -> PullRequestRecord:
    merged_at = timestamp(item.get("merged_at"))
    state = "merged" if merged_at else "draft" if item.get("draft") and item.get("state") == "open" \
        else str(item.get("state") or "open")
    return PullRequestRecord(
        number=int(item["number"]),
        title=str(item.get("title") or ""),
        state=state,
        author=login(item.get("user")),
        created_at=timestamp(item.get("created_at")) or 0,
        updated_at=timestamp(item.get("updated_at")) or 0,
        closed_at=timestamp(item.get("closed_at")),
        merged_at=merged_at,
        merge_commit=str(item["merge_commit_sha"]) if merged_at and item.get("merge_commit_sha") else None,
        labels=tuple(sorted(str(label.get("name")) for label in item.get("labels") or []
                            if isinstance(label, dict) and label.get("name"))),
        reviews=reviews,
        requested_reviewers=tuple(sorted(name for user in item.get("requested_reviewers") or []
                                         if (name := login(user)))),
        url=str(item.get("html_url") or ""),
        mentions=mentions(f"{item.get('title') or ''}\n{item.get('body') or ''}", int(item["number"])),
    )


def mentions(text: str, own: int) -> tuple[int, ...]:
    """The numbers ``#N`` and ``…/issues|pull|discussions/N`` in a text, other than ``own``."""
    found = {int(n) for n in _MENTION.findall(text)} - {own}
    return tuple(sorted(found))


def _discussion_record(node: dict[str, Any]) -> DiscussionRecord:
    category = node.get("category") or {}
    answer = node.get("answer")
    return DiscussionRecord(
        number=int(node["number"]),
        title=str(node.get("title") or ""),
        body=str(node.get("body") or ""),
        author=login(node.get("author")),
        category=str(category.get("name") or ""),
        created_at=timestamp(node.get("createdAt")) or 0,
        updated_at=timestamp(node.get("updatedAt")) or 0,
        upvotes=int(node.get("upvoteCount") or 0),
        reactions=int((node.get("reactions") or {}).get("totalCount") or 0),
        comments=int((node.get("comments") or {}).get("totalCount") or 0),
        answerable=bool(category.get("isAnswerable")),
        answer=Answer(login(answer.get("author")), str(answer.get("body") or ""), str(answer.get("url") or ""))
        if isinstance(answer, dict) else None,
        closed=bool(node.get("closed")),
        url=str(node.get("url") or ""),
    )
