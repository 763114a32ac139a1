"""Which pull requests were accepted: the review pass rate of a person and a project.

A PR counts as merged when its change was recovered on a release line (squash, merge commit,
rebase found by patch-id) or when its ``refs/pull/N/head`` is in the history (fast-forward, or a merge
without GitHub's subject). Some of its commits landing makes it "partly applied", which the rate
leaves out. A fetched head that is outside the history with none of its commits landed is *not
landed*: git cannot tell a PR still open from one closed unmerged, so from git alone there is no
acceptance rate, only how many of the fetched heads landed.

The forge's record (``almanac sync``) tells open from closed: then the rate is merged / (merged +
closed unmerged), open PRs left out. git's evidence of a landing still wins over the forge's state.

A PR belongs to its author: the forge's login when the forge names one that is a person here, else
the author of the branch's *first* commit (for a merge commit ``M``, the oldest commit of
``M^1..M^2``), never its head: a maintainer who pushed a fix onto someone's PR does not own it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.analysis.history.identities import person_of_login
from generator.model.knowledge import Change, Knowledge

MERGED, PARTLY, OPEN, CLOSED = "merged", "partly applied", "open", "closed unmerged"
#: A fetched head that never landed, without the forge's word on it.
NOT_LANDED = "not landed (open or closed)"
_RANK = {MERGED: 0, PARTLY: 1, OPEN: 2, CLOSED: 3, NOT_LANDED: 4}


@dataclass(frozen=True, slots=True)
class PullRequestOutcome:
    number: int
    #: Person key; ``stranger:…`` for someone with no commit in the history (never shown as such).
    author: str
    outcome: str
    #: The evidence: ``squash``, ``merge``, ``rebase``, ``partial``, ``head in history``, ``head outside``,
    #: ``forge: <state>``.
    how: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Acceptance:
    merged: int = 0
    partly: int = 0
    #: Closed without merging: known only from the forge's record.
    closed: int = 0
    #: Still open (or draft) on the forge: not decided, so not in the rate.
    open: int = 0
    #: Fetched heads that never landed, the forge silent on them: open or closed, git cannot tell.
    not_landed: int = 0
    #: Whether the forge's record was read: only then is a closed PR told from an open one.
    forge: bool = False

    @property
    def total(self) -> int:
        return self.merged + self.partly + self.closed + self.open + self.not_landed

    @property
    def decided(self) -> int:
        return self.merged + self.closed

    @property
    def rate(self) -> float | None:
        """merged / (merged + closed unmerged); None without the forge's record (git cannot tell a
        rejected PR from an open one) or when nothing was decided."""
        return self.merged / self.decided if self.forge and self.decided else None

    def __add__(self, other: Acceptance) -> Acceptance:
        return Acceptance(self.merged + other.merged, self.partly + other.partly, self.closed + other.closed,
                          self.open + other.open, self.not_landed + other.not_landed, self.forge or other.forge)


@dataclass(frozen=True, slots=True)
class FetchedHeads:
    """How many ``refs/pull/*/head`` were fetched, and how many of those PRs landed (wholly or partly)."""

    fetched: int = 0
    landed: int = 0


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
            keep(PullRequestOutcome(number, author, NOT_LANDED, "head outside", head_commit.subject))
    _refine_with_forge(knowledge, found)
    return [found[number] for number in sorted(found)]


def fetched_heads(knowledge: Knowledge, outcomes: Sequence[PullRequestOutcome]) -> FetchedHeads:
    """Of the PR heads fetched, how many landed: the figure git alone can give without guessing."""
    landed = {outcome.number for outcome in outcomes if outcome.outcome in (MERGED, PARTLY)}
    heads = knowledge.state.pull_request_heads
    return FetchedHeads(len(heads), sum(1 for number in heads if number in landed))




def _refine_with_forge(knowledge: Knowledge, found: dict[int, PullRequestOutcome]) -> None:
    """The forge's state and author where git could not know them; git's evidence of a landing still wins.

    The forge names the PR's author by login: it wins when that login is a person here; a login no
    person has (an address git never tied to a GitHub account) leaves git's first-commit author.
    """
    find = person_of_login(knowledge)
    for cache in knowledge.forge:
        for pull in cache.pulls:
            outcome = {"merged": MERGED, "closed": CLOSED}.get(pull.state, OPEN)
            known = found.get(pull.number)
            author = find(pull.author)
            if author not in knowledge.people and known is not None and known.author in knowledge.people:
                author = known.author
            if known is not None and known.outcome in (MERGED, PARTLY):
                found[pull.number] = PullRequestOutcome(known.number, author or known.author, known.outcome, known.how,
                                                        known.title or pull.title)
                continue
            found[pull.number] = PullRequestOutcome(pull.number, author, outcome, f"forge: {pull.state}", pull.title)


def acceptance_by_person(outcomes: Iterable[PullRequestOutcome], forge: bool) -> dict[str, Acceptance]:
    """Person key → their PRs' outcomes; ``forge``: whether the forge's record was read."""
    tally: dict[str, Acceptance] = {}
    for outcome in outcomes:
        tally[outcome.author] = tally.get(outcome.author, Acceptance(forge=forge)) + _one(outcome.outcome, forge)
    return tally


def project_acceptance(outcomes: Iterable[PullRequestOutcome], forge: bool) -> Acceptance:
    total = Acceptance(forge=forge)
    for outcome in outcomes:
        total += _one(outcome.outcome, forge)
    return total


def strangers(outcomes: Iterable[PullRequestOutcome], people: Mapping[str, object]) -> int:
    """How many distinct authors of PRs have no commit in the history (none of their PRs landed)."""
    return len({outcome.author for outcome in outcomes if outcome.author and outcome.author not in people})


def _one(outcome: str, forge: bool) -> Acceptance:
    return Acceptance(int(outcome == MERGED), int(outcome == PARTLY), int(outcome == CLOSED), int(outcome == OPEN),
                      int(outcome == NOT_LANDED), forge)
