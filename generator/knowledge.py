"""From a repository folder to the knowledge model: the I/O edge that feeds every pure analysis."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.cache import CommitCache
from generator.errors import AlmanacError, Finding
from generator.gitrepo import open_repository
from generator.history import load_history
from generator.identities import Identity, Mailmap, parse_trailer_person, resolve_people
from generator.model import Activity, Commit, Fact, Knowledge, Person, Release
from generator.modelfacts import (
    config_facts,
    front_matter,
    is_licence_file,
    title_and_description,
    weight_facts,
)
from generator.releases import DEFAULT_TAG_PATTERN, assign_releases
from generator.repofiles import list_tree, read_blobs
from generator.slugs import SlugRegistry
from generator.text import decode_git_bytes

DAY = 86_400
CACHE_FOLDER = ".almanac"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    repo: Path
    #: Where the commit cache lives; ``None`` means ``<repo>/.almanac``.
    cache_dir: Path | None = None
    use_cache: bool = True
    tag_pattern: str = DEFAULT_TAG_PATTERN


def build_knowledge(options: BuildOptions, on_progress: Callable[[int], None] = lambda n: None) -> Knowledge:
    """Walk the repository once and assemble everything the pages need."""
    runner, state = open_repository(options.repo)
    if state.head is None:
        raise AlmanacError(f"{state.root}: the repository has no commits yet; commit something first")
    findings: list[Finding] = []
    if state.shallow:
        findings.append(
            Finding(
                "shallow clone: older history is missing, so dates, counts and releases are truncated; "
                "run `git fetch --unshallow --tags` (GitHub Actions: actions/checkout with fetch-depth: 0)",
                "repository",
            )
        )
    tips = sorted({state.head, *(tag.target for tag in state.tags)})
    cache = None
    if options.use_cache and not state.shallow:  # a shallow boundary commit's parents would be cached wrong
        cache = CommitCache(options.cache_dir or Path(state.root) / CACHE_FOLDER, findings)
    try:
        commits = load_history(runner, tips, cache, on_progress)
    finally:
        if cache is not None:
            cache.close()

    entries = list_tree(runner, state.head)
    wanted = [
        entry
        for entry in entries
        if entry.path in ("README.md", "config.json", ".mailmap") or entry.path.endswith(".safetensors")
    ]
    blobs = read_blobs(runner, wanted)
    readme = decode_git_bytes(blobs.get("README.md", b""))
    card = front_matter(readme, "README.md", findings)
    title, description = title_and_description(readme)
    mailmap = Mailmap(decode_git_bytes(blobs.get(".mailmap", b"")))

    people = collect_people(commits, mailmap)
    releases, unreleased = assign_releases(commits, state.tags, state.head)
    if not state.tags:
        findings.append(Finding("no tags: every commit is listed under Unreleased", "repository", "info"))
    credit_releases(releases, commits, people)
    as_of = source_date(commits[state.head].committer.timestamp)

    model_facts = []
    if "config.json" in blobs:
        model_facts += config_facts(decode_git_bytes(blobs["config.json"]), "config.json", findings)
    model_facts += weight_facts([e for e in wanted if e.path.endswith(".safetensors")], blobs, findings)
    licence = card.get("license")
    return Knowledge(
        name=title or str(card.get("model_name") or "") or Path(state.root).name,
        description=description,
        state=state,
        commits=commits,
        people=people.by_key,
        releases=releases,
        unreleased=unreleased,
        activity=measure_activity(commits, people, releases, as_of),
        licence_files=sorted(entry.path for entry in entries if is_licence_file(entry.path)),
        declared_licence=Fact("Licence (declared)", str(licence), "README.md front matter → license")
        if isinstance(licence, (str, int, float))
        else None,
        model_facts=model_facts,
        as_of=as_of,
        findings=findings,
        git_processes=len(runner.calls),
        authorship={
            sha: (people.author_of(commit).key, tuple(p.key for p in people.co_authors_of(commit)))
            for sha, commit in commits.items()
        },
    )


def source_date(head_timestamp: int) -> int:
    """Reproducible builds: ``SOURCE_DATE_EPOCH`` when set, else the HEAD commit time, never the clock."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return head_timestamp


@dataclass(slots=True)
class People:
    by_key: dict[str, Person]
    key_of: dict[Identity, str]

    def author_of(self, commit: Commit) -> Person:
        return self.by_key[self.key_of[Identity(commit.author.name, commit.author.email)]]

    def co_authors_of(self, commit: Commit) -> list[Person]:
        keys = {
            self.key_of[parse_trailer_person(value)]
            for key, value in commit.trailers
            if key.lower() == "co-authored-by"
        }
        author_key = self.author_of(commit).key
        return [self.by_key[key] for key in sorted(keys) if key != author_key]


def collect_people(commits: dict[str, Commit], mailmap: Mailmap) -> People:
    """Resolve identities and add up what each person did; people come out most active first."""
    recorded: list[Identity] = []
    for commit in commits.values():
        recorded.append(Identity(commit.author.name, commit.author.email))
        for key, value in commit.trailers:
            if key.lower() == "co-authored-by":
                recorded.append(parse_trailer_person(value))
    key_of, by_key = resolve_people(recorded, mailmap)
    people = People(by_key, key_of)
    for commit in reversed(list(commits.values())):  # oldest first, so first/last are easy
        author = people.author_of(commit)
        _touch(author, commit.author.timestamp)
        if commit.is_merge:
            continue
        author.commits.append(commit.sha)
        author.lines_added += sum(change.added or 0 for change in commit.files)
        author.lines_deleted += sum(change.deleted or 0 for change in commit.files)
        for area in {change.path.split("/", 1)[0] if "/" in change.path else "(root)" for change in commit.files}:
            author.areas[area] = author.areas.get(area, 0) + 1
        for co_author in people.co_authors_of(commit):
            co_author.co_authored.append(commit.sha)
            _touch(co_author, commit.author.timestamp)
    ranked = sorted(
        people.by_key.values(),
        key=lambda p: (-(len(p.commits) + len(p.co_authored)), p.name.casefold(), p.key),
    )
    slugs = SlugRegistry()
    for person in sorted(people.by_key.values(), key=lambda p: p.key):
        person.slug = slugs.claim(person.login or person.name, fallback_prefix="person")
    people.by_key = {person.key: person for person in ranked}
    return people


def _touch(person: Person, timestamp: int) -> None:
    if person.first_timestamp is None or timestamp < person.first_timestamp:
        person.first_timestamp = timestamp
    if person.last_timestamp is None or timestamp > person.last_timestamp:
        person.last_timestamp = timestamp


def credit_releases(releases: list[Release], commits: dict[str, Commit], people: People) -> None:
    """Name each release's authors and co-authors, most commits first, and tell each person."""
    for release in releases:
        counts: Counter[str] = Counter()
        for sha in release.commits:
            commit = commits[sha]
            if commit.is_merge:
                continue
            counts[people.author_of(commit).key] += 1
            for co_author in people.co_authors_of(commit):
                counts[co_author.key] += 1
        release.authors = sorted(counts, key=lambda key: (-counts[key], people.by_key[key].name.casefold()))
        for key in release.authors:
            people.by_key[key].releases.append(release.tag)


def measure_activity(commits: dict[str, Commit], people: People, releases: list[Release], as_of: int) -> Activity:
    recent = [c for c in commits.values() if as_of - 90 * DAY <= c.committer.timestamp <= as_of]
    timestamps = [commit.author.timestamp for commit in commits.values()]
    return Activity(
        commits=sum(1 for commit in commits.values() if not commit.is_merge),
        contributors=sum(1 for person in people.by_key.values() if not person.is_bot),
        releases=len(releases),
        first_timestamp=min(timestamps, default=None),
        last_timestamp=max(timestamps, default=None),
        commits_last_90_days=sum(1 for commit in recent if not commit.is_merge),
        active_contributors_last_90_days=len(
            {people.author_of(commit).key for commit in recent if not commit.is_merge}
        ),
    )
