"""What a forge recorded, as plain data: pull requests with their reviews, and discussions with
their answers. :mod:`generator.sources.forges.cache` keeps them as JSON files a build reads offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Review:
    #: Login of the reviewer, or None for a deleted account.
    author: str | None
    #: ``APPROVED``, ``CHANGES_REQUESTED``, ``COMMENTED`` or ``DISMISSED``.
    state: str
    submitted_at: int | None


@dataclass(frozen=True, slots=True)
class PullRequestRecord:
    number: int
    title: str
    #: ``open``, ``draft``, ``merged`` or ``closed`` (closed without merging).
    state: str
    author: str | None
    created_at: int
    updated_at: int
    closed_at: int | None = None
    merged_at: int | None = None
    merge_commit: str | None = None
    labels: tuple[str, ...] = ()
    reviews: tuple[Review, ...] = ()
    requested_reviewers: tuple[str, ...] = ()
    url: str = ""
    #: Issue, PR and discussion numbers its title and description refer to ("Implements #12"): the
    #: references are kept, the description (a stranger's text) is not.
    mentions: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Answer:
    author: str | None
    body: str
    url: str


@dataclass(frozen=True, slots=True)
class DiscussionRecord:
    number: int
    title: str
    #: Markdown as the author wrote it: untrusted, rendered without raw HTML and sanitised.
    body: str
    author: str | None
    category: str
    created_at: int
    updated_at: int
    upvotes: int = 0
    reactions: int = 0
    comments: int = 0
    #: Whether the category takes answers (a Q&A); ``answer`` is the accepted one.
    answerable: bool = False
    answer: Answer | None = None
    closed: bool = False
    url: str = ""


@dataclass(slots=True)
class ForgeData:
    #: ``github:owner/repo`` or ``hub:org/name``.
    source: str
    synced_at: int = 0
    pulls: list[PullRequestRecord] = field(default_factory=list)
    discussions: list[DiscussionRecord] = field(default_factory=list)
    #: URL → ETag of the last 200 response, for conditional requests.
    etags: dict[str, str] = field(default_factory=dict)
    #: What incremental syncing needs: the newest ``updated_at`` seen, per kind.
    marks: dict[str, int] = field(default_factory=dict)

    def copy(self) -> ForgeData:
        """A copy a sync can update while the previous state stays intact (records are immutable)."""
        return ForgeData(self.source, self.synced_at, list(self.pulls), list(self.discussions), dict(self.etags),
                         dict(self.marks))
