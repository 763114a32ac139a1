"""Community health in the spirit of the CHAOSS starter model, computed offline from the history.

Every figure comes from the analysis rows (who authored or co-authored each commit, and when), the
people's areas, the releases and the pull request outcomes: no API, no network. Bots never count.
Months are calendar months in UTC. Commits with dates that cannot be true (before 1970, after the build)
are left out of the series: one such date would otherwise stretch them over thousands of years.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from generator.analysis.history.acceptance import Acceptance, PullRequestOutcome, project_acceptance
from generator.analysis.history.dates import believable, local_time
from generator.model.knowledge import CommitRow, Knowledge, Person

YEAR = 365 * 86_400
#: A person is inactive after this long without a commit (CHAOSS leaves the period to the project).
INACTIVE_AFTER = YEAR


@dataclass(frozen=True, slots=True)
class Month:
    label: str
    contributors: int
    newcomers: int


@dataclass(frozen=True, slots=True)
class AbsenceFactor:
    """The smallest group of people who made half of the commits: lose them and half the work stops."""

    scope: str
    people: list[str]
    commits: int

    @property
    def size(self) -> int:
        return len(self.people)


@dataclass(frozen=True, slots=True)
class Health:
    months: list[Month]
    #: People active before the last year and not since, most commits first.
    inactive: list[Person]
    absence: AbsenceFactor
    absence_last_year: AbsenceFactor
    absence_by_area: list[AbsenceFactor]
    releases_per_year: list[tuple[str, int]]
    median_days_between_releases: float | None
    acceptance: Acceptance


def month_of(timestamp: int) -> str:
    return local_time(timestamp, 0).strftime("%Y-%m")


def community_health(knowledge: Knowledge, outcomes: Sequence[PullRequestOutcome]) -> Health:
    people = knowledge.people
    humans = {key for key, person in people.items() if not person.is_bot}
    latest = knowledge.believed_until
    rows = [row for row in knowledge.rows.values() if not row.is_merge and (
        latest is None or (believable(row.author_time, latest) and believable(row.committer_time, latest)))]
    recent_rows = [row for row in rows if knowledge.now - YEAR <= row.author_time <= knowledge.now]
    finals = [r for r in knowledge.releases if not r.prerelease]
    gaps = [(b.timestamp - a.timestamp) / 86_400 for a, b in pairwise(finals)]
    return Health(
        months=monthly_contributors(rows, humans),
        inactive=sorted(
            (people[key] for key in humans if (people[key].last_timestamp or 0) < knowledge.now - INACTIVE_AFTER
             and people[key].commits),
            key=lambda person: (-len(person.commits), person.name.casefold()),
        ),
        absence=absence_factor("all time", _commit_counts(rows, humans)),
        absence_last_year=absence_factor("last 12 months", _commit_counts(recent_rows, humans)),
        absence_by_area=sorted(
            (absence_factor(area, counts) for area, counts in _area_counts(people.values(), humans).items()),
            key=lambda factor: (-factor.commits, factor.scope),
        ),
        releases_per_year=sorted(Counter(month_of(r.timestamp)[:4] for r in finals).items()),
        median_days_between_releases=statistics.median(gaps) if gaps else None,
        acceptance=project_acceptance(outcomes, bool(knowledge.forge)),
    )


def monthly_contributors(rows: Iterable[CommitRow], humans: set[str]) -> list[Month]:
    """Distinct authors and co-authors per month, and how many of them contributed for the first time."""
    active: dict[str, set[str]] = {}
    first_month: dict[str, str] = {}
    for row in sorted(rows, key=lambda row: row.author_time):
        month = month_of(row.author_time)
        for key in (row.author, *row.co_authors):
            if key in humans:
                active.setdefault(month, set()).add(key)
                first_month.setdefault(key, month)
    if not active:
        return []
    newcomers = Counter(first_month.values())
    return [Month(label, len(active.get(label, ())), newcomers.get(label, 0))
            for label in _months_between(min(active), max(active))]


def absence_factor(scope: str, counts: Mapping[str, int]) -> AbsenceFactor:
    total = sum(counts.values())
    chosen: list[str] = []
    covered = 0
    for key in sorted(counts, key=lambda key: (-counts[key], key)):
        if covered * 2 >= total:
            break
        chosen.append(key)
        covered += counts[key]
    return AbsenceFactor(scope, chosen, total)


def _commit_counts(rows: Iterable[CommitRow], humans: set[str]) -> Counter[str]:
    return Counter(row.author for row in rows if row.author in humans)


def _area_counts(people: Iterable[Person], humans: set[str]) -> dict[str, dict[str, int]]:
    by_area: dict[str, dict[str, int]] = {}
    for person in people:
        if person.key in humans:
            for area, count in person.areas.items():
                by_area.setdefault(area, {})[person.key] = count
    return by_area


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    labels = []
    while f"{year:04d}-{month:02d}" <= last:
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def activity_since(rows: Iterable[CommitRow], since: int, until: int) -> dict[str, tuple[int, int]]:
    """Person key → (commits authored, commits co-authored) from ``since`` to ``until``: the index's recent view."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        if row.is_merge or not since <= row.author_time <= until:
            continue
        counts.setdefault(row.author, [0, 0])[0] += 1
        for key in row.co_authors:
            counts.setdefault(key, [0, 0])[1] += 1
    return {key: (authored, co) for key, (authored, co) in counts.items()}
