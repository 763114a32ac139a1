"""Which pull requests were accepted, from git alone: the review pass rate of a person and a project.

A PR counts as merged when its change was recovered on a release line (squash, merge commit,
rebase found by patch-id) or when its ``refs/pull/N/head`` is in the history (fast-forward, or a merge
without GitHub's subject). It counts as not merged when its head is outside the history and none of
its commits landed. Some of its commits landing makes it "partly applied", which the rate leaves out.

Limits, stated on the pages: without the forge's API an open PR looks like a rejected one, PR heads
exist only when ``refs/pull/*`` was fetched, and a PR squashed without ``(#N)`` in the subject is
invisible. With a forge cache (``almanac sync``) the forge's word refines git's: an open PR is open,
a PR closed unmerged counts even when its branch was never fetched, and every PR has its title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.model import Change, Knowledge

MERGED, PARTLY, NOT_MERGED, OPEN = "merged", "partly applied", "not merged", "open"
_RANK = {MERGED: 0, PARTLY: 1, OPEN: 2, NOT_MERGED: 3}


@dataclass(frozen=True, slots=True)
class PullRequestOutcome:
    number: int
    #: Person key; ``stranger:…`` for someone with no commit in the history (never shown as such).
    author: str
    outcome: str
    #: The evidence: ``squash``, ``merge``, ``rebase``, ``partial``, ``head in history``, ``head outside``.
    how: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Acceptance:
    merged: int = 0
    partly: int = 0
    not_merged: int = 0
    #: Still open on the forge (known only from a forge cache); not decided, so not in the rate.
    open: int = 0

    @property
    def decided(self) -> int:
        return self.merged + self.not_merged

    @property
    def rate(self) -> float | None:
        """Merged among the PRs whose fate is known (partly applied ones are neither)."""
        return self.merged / self.decided if self.decided else None

    def __add__(self, other: Acceptance) -> Acceptance:
        return Acceptance(self.merged + other.merged, self.partly + other.partly, self.not_merged + other.not_merged,
                          self.open + other.open)


def pull_request_outcomes(knowledge: Knowledge, changes: Iterable[Change]) -> list[PullRequestOutcome]:
    """Every PR Almanac can see, by number, with its outcome and the evidence for it."""
    found: dict[int, PullRequestOutcome] = {}

    def keep(outcome: PullRequestOutcome) -> None:
        known = found.get(outcome.number)
        if known is None or _RANK[outcome.outcome] < _RANK[known.outcome]:
            found[outcome.number] = outcome

    for change in changes:
        if change.pr is not None:
            outcome = PARTLY if change.kind == "partial" else MERGED
            keep(PullRequestOutcome(change.pr, change.author, outcome, change.kind, change.title))
    for number, head in knowledge.state.pull_request_heads.items():
        if number in found:
            continue
        if head in knowledge.authorship:
            author = knowledge.authorship[head][0]
            keep(PullRequestOutcome(number, author, MERGED, "head in history", knowledge.commits[head].subject))
        elif number in knowledge.pull_request_branches:
            branch = knowledge.pull_request_branches[number]
            head_commit = next((commit for commit in branch if commit.sha == head), branch[0])
            author = knowledge.pull_request_authors.get(number, "")
            keep(PullRequestOutcome(number, author, NOT_MERGED, "head outside", head_commit.subject))
    _refine_with_forge(knowledge, found)
    return [found[number] for number in sorted(found)]


def person_of_login(knowledge: Knowledge) -> Callable[[str | None], str]:
    """A forge login → the person key that has it, else ``login:<name>`` (logins are public names)."""
    keys = {person.login.casefold(): person.key for person in knowledge.people.values() if person.login}

    def find(login: str | None) -> str:
        if not login:
            return ""
        return keys.get(login.casefold(), f"login:{login}")
    return find


def _refine_with_forge(knowledge: Knowledge, found: dict[int, PullRequestOutcome]) -> None:
    """The forge's state where git could not know it; git's evidence of a landing still wins."""
    find = person_of_login(knowledge)
    for cache in knowledge.forge:
        for pull in cache.pulls:
            outcome = {"merged": MERGED, "closed": NOT_MERGED}.get(pull.state, OPEN)
            known = found.get(pull.number)
            if known is not None and known.outcome in (MERGED, PARTLY):
                if not known.title:
                    found[pull.number] = PullRequestOutcome(known.number, known.author, known.outcome, known.how,
                                                            pull.title)
                continue
            author = known.author if known is not None and known.author in knowledge.people else find(pull.author)
            found[pull.number] = PullRequestOutcome(pull.number, author, outcome, f"forge: {pull.state}", pull.title)


def acceptance_by_person(outcomes: Iterable[PullRequestOutcome]) -> dict[str, Acceptance]:
    tally: dict[str, Acceptance] = {}
    for outcome in outcomes:
        tally[outcome.author] = tally.get(outcome.author, Acceptance()) + _one(outcome.outcome)
    return tally


def project_acceptance(outcomes: Iterable[PullRequestOutcome]) -> Acceptance:
    total = Acceptance()
    for outcome in outcomes:
        total += _one(outcome.outcome)
    return total


def strangers(outcomes: Iterable[PullRequestOutcome], people: Mapping[str, object]) -> int:
    """How many distinct authors of PRs have no commit in the history (all their PRs were declined)."""
    return len({outcome.author for outcome in outcomes if outcome.author and outcome.author not in people})


def _one(outcome: str) -> Acceptance:
    return Acceptance(int(outcome == MERGED), int(outcome == PARTLY), int(outcome == NOT_MERGED), int(outcome == OPEN))
