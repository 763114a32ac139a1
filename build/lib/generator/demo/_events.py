"""The vocabulary the story is written in: commits, pull requests, reverts, releases.

Events describe intent (who did what, how it landed); the builder in ``_history`` decides the base
commit, the timestamps and the exact trees, so the story itself stays short and declarative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ._edits import Edit

Landing = Literal["squash", "merge", "rebase", "open"]


@dataclass(frozen=True)
class Step:
    """One commit's worth of work; ``web`` means it was made in GitHub's UI (or by a GitHub App)."""

    subject: str
    edits: tuple[Edit, ...]
    body: str = ""
    author: str | None = None
    web: bool = False
    trailers: tuple[str, ...] = ()

    def message(self) -> str:
        return compose(self.subject, self.body, self.trailers)


def compose(subject: str, body: str, trailers: tuple[str, ...]) -> str:
    parts = [subject, body.strip("\n"), "\n".join(trailers)]
    return "\n\n".join(part for part in parts if part) + "\n"


@dataclass(frozen=True)
class Direct:
    """A push straight to main by someone with write access."""

    author: str
    step: Step


@dataclass(frozen=True)
class PullRequest:
    """``landing`` is how GitHub integrated it; ``open`` PRs are never merged."""

    author: str
    title: str
    steps: tuple[Step, ...]
    landing: Landing = "squash"
    body: str | None = None
    trailers: tuple[str, ...] = ()
    key: str | None = None
    merger: str = "wei"
    branch: str = ""
    head_owner: str | None = None
    fresh: bool = False  # opened on the current tip, as bots and quick fixes are


@dataclass(frozen=True)
class Revert:
    """Undo a keyed change by inverting its patch, as GitHub's Revert button (``as_pr``) or git revert."""

    author: str
    target: str
    reason: str
    as_pr: bool


@dataclass(frozen=True)
class Release:
    """Closes a phase, on main unless ``on_branch``; ``message`` None makes a lightweight tag."""

    tag: str
    tagger: str
    subject: str
    message: str | None
    news: str = ""
    create_branch: str | None = None
    on_branch: str | None = None


@dataclass(frozen=True)
class Backport:
    """``git cherry-pick -x`` of a landed change onto a maintenance branch."""

    target: str
    picker: str
    branch: str


@dataclass(frozen=True)
class Filler:
    """A routine change invented at build time from the pools, given the tree as it is then."""


Event = Direct | PullRequest | Revert | Backport | Filler


def main_slots(event: Event) -> int:
    """How many commits an event adds to main's first-parent chain (each needs a timestamp)."""
    if isinstance(event, PullRequest):
        return {"squash": 1, "merge": 1, "rebase": len(event.steps), "open": 0}[event.landing]
    if isinstance(event, Backport):
        return 0
    return 1


@dataclass(frozen=True)
class Phase:
    """A stretch of time ending at ``end``; a release, if any, lands exactly then.

    ``fillers`` routine changes are spread between the scripted ``events`` at random positions.
    """

    end: datetime
    fillers: int
    events: tuple[Event, ...]
    release: Release | None = None
