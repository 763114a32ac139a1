"""The Hugging Face Hub's record of a model repository: its discussions and pull requests.

Read through ``huggingface_hub`` (``HfApi(endpoint=…)``, so a private Hub or a test server works the
same). The listing is cheap and complete; the details (events, merge commit) are fetched only for
discussions that are new to the cache or still open, since a closed or merged one does not change.
Hidden comments are never kept: their text is not ours to publish.
"""

from __future__ import annotations

import sys
from typing import Any

from generator.model.errors import EXIT_INTERNAL_ERROR, AlmanacError, Finding
from generator.model.forge import DiscussionRecord, ForgeData, PullRequestRecord
from generator.sources.forges.http import redact


def sync_hub(repo_id: str, endpoint: str, token: str | None, previous: ForgeData, findings: list[Finding]
             ) -> ForgeData:
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    api = HfApi(endpoint=endpoint, token=token or False)
    data = previous.copy()
    known_pulls = {pull.number: pull for pull in data.pulls}
    known_discussions = {discussion.number: discussion for discussion in data.discussions}
    try:
        listing = list(api.get_repo_discussions(repo_id=repo_id, repo_type="model"))
        for item in listing:
            cached: PullRequestRecord | DiscussionRecord | None = (
                known_pulls.get(item.num) if item.is_pull_request else known_discussions.get(item.num))
            if cached is not None and item.status in ("closed", "merged") and _same(cached, item):
                continue  # final states do not change
            details = api.get_discussion_details(repo_id=repo_id, discussion_num=item.num, repo_type="model")
            if details.is_pull_request:
                known_pulls[item.num] = _pull(details)
            else:
                known_discussions[item.num] = _discussion(details)
    except HfHubHTTPError as error:
        status = getattr(getattr(error, "response", None), "status_code", None)
        if status == 404:
            raise AlmanacError(f"{endpoint}: model {repo_id} not found (or private without a token)") from None
        raise AlmanacError(redact(f"{endpoint}: {error}".splitlines()[0], token)) from None
    except _network_errors() as error:
        raise AlmanacError(redact(f"{endpoint}: cannot reach the Hub ({error}); the previous cache was kept", token),
                           exit_code=EXIT_INTERNAL_ERROR) from None
    except (KeyError, TypeError, AttributeError, ValueError) as error:  # a response shaped unlike the Hub's
        raise AlmanacError(f"{endpoint}: a discussion of {repo_id} is not shaped as the Hub's API is ({error!r})"
                           ) from None
    data.pulls = sorted(known_pulls.values(), key=lambda pull: pull.number)
    data.discussions = sorted(known_discussions.values(), key=lambda discussion: discussion.number)
    return data


def _network_errors() -> tuple[type[Exception], ...]:
    """What a connection refused, a DNS failure or a timeout raises, whichever HTTP library this version of
    huggingface_hub uses: requests (its errors are ``OSError``) before 1.0, httpx after. Only a library
    already imported can have raised, so none is imported here."""
    found: list[type[Exception]] = [OSError]
    for name in ("httpx", "httpx2"):
        error = getattr(sys.modules.get(name), "TransportError", None)
        if isinstance(error, type) and issubclass(error, Exception):
            found.append(error)
    return tuple(found)


def _same(cached: PullRequestRecord | DiscussionRecord, item: Any) -> bool:
    state = cached.state if isinstance(cached, PullRequestRecord) else ("closed" if cached.closed else "open")
    title: object = item.title
    status: object = item.status
    return cached.title == title and state == status


def _author(name: Any) -> str | None:
    return None if not isinstance(name, str) or name in ("", "deleted") else name


def _pull(details: Any) -> PullRequestRecord:
    created = int(details.created_at.timestamp())
    changed = [int(event.created_at.timestamp()) for event in details.events] or [created]
    status = str(details.status)
    closing = next((int(e.created_at.timestamp()) for e in reversed(details.events)
                    if e.type == "status-change" and getattr(e, "new_status", "") in ("closed", "merged")), None)
    return PullRequestRecord(
        number=int(details.num), title=str(details.title), state=status, author=_author(details.author),
        created_at=created, updated_at=max(changed), closed_at=closing if status in ("closed", "merged") else None,
        merged_at=closing if status == "merged" else None,
        merge_commit=str(details.merge_commit_oid) if details.merge_commit_oid else None,
        url=str(details.url),
    )


def _discussion(details: Any) -> DiscussionRecord:
    comments = [event for event in details.events if event.type == "comment"]
    opening = comments[0] if comments else None
    body = "" if opening is None or opening.hidden else str(opening.content)
    reactions = 0
    if opening is not None:
        for reaction in (opening._event.get("data") or {}).get("reactions") or []:
            if isinstance(reaction, dict):
                reactions += int(reaction.get("count") or len(reaction.get("users") or []))
    created = int(details.created_at.timestamp())
    return DiscussionRecord(
        number=int(details.num), title=str(details.title), body=body, author=_author(details.author),
        category="Hub discussion", created_at=created,
        updated_at=max([int(event.created_at.timestamp()) for event in details.events] or [created]),
        reactions=reactions, comments=max(0, len([c for c in comments if not c.hidden]) - 1),
        closed=str(details.status) != "open", url=str(details.url),
    )
