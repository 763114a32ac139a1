"""Review statistics from the forge's record: who opens, merges and reviews, and how long review takes.

Git cannot tell when a review happened or who gave it; the forge cache can. For each person and for
the project: pull requests opened, merged, closed unmerged and still open, the acceptance ratio
(merged among the decided ones), reviews given on other people's pull requests, and the time from
opening to the first review by someone else and to the merge (median and 90th percentile). For each
area of the code (top-level folder of the files a merged pull request changed): who reviews there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from generator.model.forge import PullRequestRecord
from generator.model.knowledge import Commit


@dataclass(frozen=True, slots=True)
class ReviewStats:
    opened: int = 0
    merged: int = 0
    closed_unmerged: int = 0
    open: int = 0
    reviews_given: int = 0
    #: Hours from opening to the first review by someone else, and to the merge.
    first_review_median: float | None = None
    first_review_p90: float | None = None
    merge_median: float | None = None
    merge_p90: float | None = None

    @property
    def acceptance(self) -> float | None:
        decided = self.merged + self.closed_unmerged
        return self.merged / decided if decided else None


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` 0.5 is the median of an odd list): no interpolation,
    so the figure is always one that happened."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def _stats(pulls: list[PullRequestRecord], reviews_given: int, who: Callable[[str | None], str]) -> ReviewStats:
    waits, merges = [], []
    for pull in pulls:
        others = [r.submitted_at for r in pull.reviews if r.submitted_at and who(r.author) != who(pull.author)]
        if others:
            waits.append((min(others) - pull.created_at) / 3600)
        if pull.merged_at:
            merges.append((pull.merged_at - pull.created_at) / 3600)
    return ReviewStats(
        opened=len(pulls),
        merged=sum(1 for pull in pulls if pull.state == "merged"),
        closed_unmerged=sum(1 for pull in pulls if pull.state == "closed"),
        open=sum(1 for pull in pulls if pull.state in ("open", "draft")),
        reviews_given=reviews_given,
        first_review_median=percentile(waits, 0.5), first_review_p90=percentile(waits, 0.9),
        merge_median=percentile(merges, 0.5), merge_p90=percentile(merges, 0.9),
    )


@dataclass(frozen=True, slots=True)
class Reviews:
    """What the forge's record says about review: the project's figures (None without a record), each
    person's by person key, and each top-level folder's most frequent reviewers."""

    project: ReviewStats | None
    people: dict[str, ReviewStats]
    by_area: dict[str, list[tuple[str, int]]]


def review_statistics(pulls: Iterable[PullRequestRecord], who: Callable[[str | None], str]
                      ) -> tuple[ReviewStats, dict[str, ReviewStats]]:
    """The project's figures and each person's (``who`` maps a forge login to a person key)."""
    pulls = list(pulls)
    given: Counter[str] = Counter()
    for pull in pulls:  # every review of someone else's pull request, by its reviewer
        author = who(pull.author)
        given.update(reviewer for reviewer in (who(review.author) for review in pull.reviews if review.author)
                     if reviewer and reviewer != author)
    by_author: dict[str, list[PullRequestRecord]] = {}
    for pull in pulls:
        if pull.author:
            by_author.setdefault(who(pull.author), []).append(pull)
    people = {key: _stats(by_author.get(key, []), given.get(key, 0), who) for key in {*by_author, *given}}
    return _stats(pulls, sum(given.values()), who), people


def reviewers_by_area(pulls: Iterable[PullRequestRecord], commits: Mapping[str, Commit],
                      who: Callable[[str | None], str], top: int = 3) -> dict[str, list[tuple[str, int]]]:
    """Top-level folder → its most frequent reviewers, from the files each merged PR's commit changed."""
    tally: dict[str, Counter[str]] = {}
    for pull in pulls:
        commit = commits.get(pull.merge_commit) if pull.merge_commit else None
        if commit is None:
            continue
        areas = {change.path.split("/", 1)[0] if "/" in change.path else "(root)" for change in commit.files}
        reviewers = {who(review.author) for review in pull.reviews if review.author} - {who(pull.author), ""}
        for area in areas:
            tally.setdefault(area, Counter()).update(reviewers)
    return {area: sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:top]
            for area, counts in sorted(tally.items()) if counts}
