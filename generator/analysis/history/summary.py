"""What the history adds up to: people, authorship, releases and activity.

Computed in full once, then updated with only the commits a push added, so a rebuild after one commit
costs what that commit added, not what the whole history holds. Whenever an update could differ from a
full computation (a new identity that may merge people, a moved or deleted tag, a rewritten history, a
changed ``.mailmap``), :func:`update` declines and the caller analyses in full.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from generator.analysis.history.automation import AutomationRules, default_rules
from generator.analysis.history.contributors import ContributorEntry, entries_digest
from generator.analysis.history.identities import (
    Identity,
    Mailmap,
    Use,
    add_use,
    choose_account,
    choose_display_name,
    classify_people,
    count_uses,
    github_account,
    identity_links,
    is_well_formed_trailer,
    parse_trailer_person,
    resolve_people,
)
from generator.analysis.history.releases import (
    assign_releases,
    name_slugs,
    new_release,
    release_order,
    release_tags,
    unreleased_commits,
)
from generator.model.knowledge import Activity, Commit, CommitRow, ModelChange, Person, Release, RepoState
from generator.sources.files.filekinds import file_kind, tracked_paths
from generator.text.slugs import SlugRegistry

#: Bump when the saved form or what it holds changes; an analysis of another version is recomputed.
#: 13: README among the config files read (workflows, onboarding); 12: people grouped by weighed evidence;
#: 11: each person's kind (human, bot, agent, machine).
ANALYSIS_VERSION = 13
DAY = 86_400
#: Files whose history the site shows as per-page authorship ("last updated", contributors).
DOCUMENT_SUFFIXES = (".md", ".markdown", ".mdx", ".ipynb", ".rst")


@dataclass(frozen=True, slots=True)
class Basis:
    """What an analysis was computed from; an update is only valid on the same basis plus new commits."""

    head: str
    tags: tuple[tuple[str, str], ...]
    mailmap_digest: str
    tag_pattern: str


class AuthorshipView(Mapping[str, tuple[str, Sequence[str]]]):
    """Commit → (author key, co-author keys), read off the rows without copying them."""

    def __init__(self, rows: Mapping[str, CommitRow]) -> None:
        self._rows = rows

    def __getitem__(self, sha: str) -> tuple[str, Sequence[str]]:
        row = self._rows[sha]
        return row.author, row.co_authors

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


@dataclass(slots=True)
class Analysis:
    basis: Basis
    people: dict[str, Person]
    #: Every identity seen (as recorded, before ``.mailmap``) → person key. Private: holds addresses.
    key_of: dict[Identity, str]
    #: Each identity recorded in a commit (author or co-author) → its uses: what chooses a person's login,
    #: kept so that an update chooses exactly as a full analysis would.
    uses: dict[Identity, Use]
    #: Every reachable commit's row.
    rows: dict[str, CommitRow]
    releases: list[Release]
    unreleased: list[str]
    #: Parents of unreleased commits: a future tag's walk crosses them without reading the commits.
    open_parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Files whose changes release notes report (configs, tokenizers, weights, licences), ever touched.
    tracked_paths: list[str] = field(default_factory=list)
    #: Releases whose model, weights and licence changes were already read (they never change).
    described: list[str] = field(default_factory=list)
    #: Documentation and model file (config, tokenizer, weights, licence) → the commits that touched it,
    #: oldest first: per-page authorship and the commit behind each release's model change.
    page_commits: dict[str, list[str]] = field(default_factory=dict)
    #: Documentation file → ``[commit, old path]`` for each rename that produced it.
    page_renames: dict[str, list[list[str]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IdentityRules:
    """What the repository says about who is who: its ``.mailmap`` and its ``contributors.yml`` (people,
    and what is automation: see :mod:`generator.analysis.history.automation`)."""

    mailmap_text: str = ""
    contributors: tuple[ContributorEntry, ...] = ()
    automation: AutomationRules = field(default_factory=default_rules)

    @property
    def digest(self) -> str:
        return mailmap_digest(self.mailmap_text + "\0" + entries_digest(list(self.contributors)) + "\0"
                              + self.automation.digest)


def mailmap_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def analyse(commits: Mapping[str, Commit], state: RepoState, rules: IdentityRules, tag_pattern: str) -> Analysis:
    """The full computation over every reachable commit (given newest first)."""
    assert state.head is not None
    mailmap = Mailmap(rules.mailmap_text)
    groups = [entry.identities for entry in rules.contributors]
    uses = count_uses(_recorded_uses(commits.values()))
    key_of, people = resolve_people(uses, mailmap, groups)
    _apply_entries(people, key_of, rules.contributors)
    classify_people(people, key_of, uses, mailmap, rules.automation)
    analysis = Analysis(
        basis=_basis(state, rules, tag_pattern),
        people=people,
        key_of=key_of,
        uses=uses,
        rows={},
        releases=[],
        unreleased=[],
    )
    _add_commits(analysis, commits.values())
    analysis.releases, analysis.unreleased = assign_releases(commits, state.tags, state.head, tag_pattern)
    _credit_releases(analysis, analysis.releases)
    analysis.open_parents = {sha: commits[sha].parents for sha in analysis.unreleased}
    analysis.tracked_paths = tracked_paths(_paths(commits.values()))
    _finish(analysis)
    return analysis


def update(
    previous: Analysis, new_commits: list[Commit], state: RepoState, rules: IdentityRules, tag_pattern: str
) -> Analysis | None:
    """``previous`` plus ``new_commits`` (newest first), or ``None`` when only a full analysis is exact."""
    assert state.head is not None
    old = previous.basis
    if old.mailmap_digest != rules.digest or old.tag_pattern != tag_pattern:
        return None
    tags_now = {tag.name: tag.target for tag in state.tags}
    if any(tags_now.get(name) != target for name, target in old.tags):
        return None  # a tag moved or vanished: releases before it may change
    fresh = {commit.sha: commit for commit in new_commits}
    if old.head != state.head and not _reaches(state.head, old.head, fresh):
        return None  # HEAD no longer contains the old HEAD (a force push)
    mailmap = Mailmap(rules.mailmap_text)
    recorded = _recorded_uses(new_commits)
    identities = [identity for identity, _ in recorded]
    new_uses = count_uses(recorded)
    newcomers = {identity for identity in new_uses if identity not in previous.key_of}
    newcomer_keys: dict[Identity, str] = {}
    newcomer_people: dict[str, Person] = {}
    if newcomers:
        known_links = {link for known in previous.key_of for link in identity_links(known, mailmap)}
        if any(link in known_links for new in newcomers for link in identity_links(new, mailmap)):
            return None  # the newcomer is someone we know under another name: people may merge
        newcomer_keys, newcomer_people = resolve_people(
            {identity: use for identity, use in new_uses.items() if identity in newcomers}, mailmap
        )
        if any(key in previous.people for key in newcomer_people):
            return None
    uses = dict(previous.uses)
    for identity, use in new_uses.items():
        uses[identity] = add_use(uses.get(identity), use.last, use.times)
    if _accounts_change(previous, {previous.key_of[i] for i in new_uses if i not in newcomers}, uses, mailmap):
        return None  # a login used again may now be the newest: the full analysis chooses (and keys) anew
    regrouped, _ = resolve_people(uses, mailmap, [entry.identities for entry in rules.contributors])
    if any(regrouped.get(identity) != key for identity, key in {**previous.key_of, **newcomer_keys}.items()):
        return None  # a name's share of someone's uses moved past the stray line: people split or merge

    def parents_of(sha: str) -> tuple[str, ...] | None:
        commit = fresh.get(sha)
        return commit.parents if commit is not None else previous.open_parents.get(sha)

    def time_of(sha: str) -> tuple[int, int]:
        commit = fresh.get(sha)
        if commit is not None:
            return commit.committer.timestamp, commit.committer.utc_offset
        row = previous.rows[sha]
        return row.committer_time, row.committer_offset

    known_tags = {name for name, _ in old.tags}
    new_tags = release_tags(
        state.tags, tag_pattern, lambda sha: sha in fresh or sha in previous.rows
    )
    new_tags = sorted((tag for tag in new_tags if tag.name not in known_tags), key=lambda t: release_order(t, time_of))
    if any(parents_of(tag.target) is None for tag in new_tags):
        return None  # a tag on an already released commit: only a full analysis orders it right
    if new_tags and previous.releases:
        latest = next(tag for tag in state.tags if tag.short_name == previous.releases[-1].tag)
        if release_order(new_tags[0], time_of) < release_order(latest, time_of):
            return None  # a tag dated before existing releases would take commits from them

    analysis = previous  # from here on the previous analysis is updated in place
    analysis.key_of.update(newcomer_keys)
    analysis.uses = uses
    analysis.people.update(newcomer_people)
    for identity in identities:
        if identity in newcomers:
            continue  # resolve_people counted their names already
        person = analysis.people[analysis.key_of[identity]]
        mapped = mailmap.apply(identity.name, identity.email).name
        person.name_uses[mapped] = person.name_uses.get(mapped, 0) + 1
    touched = {analysis.key_of[identity] for identity in identities}
    for key in touched:
        choose_display_name(analysis.people[key])
    classify_people(analysis.people, analysis.key_of, uses, mailmap, rules.automation, touched)
    _add_commits(analysis, new_commits)
    owner = {sha: release.tag for release in analysis.releases for sha in release.commits}
    added = [new_release(tag, owner, parents_of, time_of, analysis.releases) for tag in new_tags]
    analysis.releases.extend(added)
    name_slugs(analysis.releases)
    _credit_releases(analysis, added)
    analysis.unreleased = unreleased_commits(state.head, owner, parents_of, time_of)
    analysis.open_parents = {sha: parents_of(sha) or () for sha in analysis.unreleased}
    analysis.tracked_paths = sorted({*analysis.tracked_paths, *tracked_paths(_paths(new_commits))})
    analysis.basis = _basis(state, rules, tag_pattern)
    _finish(analysis)
    return analysis


def activity(analysis: Analysis, now: int) -> Activity:
    """The overview's figures; "last 90 days" counts back from ``now``, the build time, not HEAD's."""
    authored = [row for row in analysis.rows.values() if not row.is_merge]
    recent = [row for row in authored if now - 90 * DAY <= row.committer_time <= now]
    author_times = [row.author_time for row in analysis.rows.values()]
    return Activity(
        commits=len(authored),
        contributors=sum(1 for person in analysis.people.values() if not person.is_bot),
        releases=len(analysis.releases),
        first_timestamp=min(author_times, default=None),
        last_timestamp=max(author_times, default=None),
        commits_last_90_days=len(recent),
        active_contributors_last_90_days=len({row.author for row in recent if row.author in analysis.people
                                              and not analysis.people[row.author].is_bot}),  # people, not bots
    )


def _apply_entries(people: dict[str, Person], key_of: dict[Identity, str], entries: Sequence[ContributorEntry]) -> None:
    """The project's word on each person: the name to show, whether to list them, non-code credits."""
    for entry in entries:
        person = people[key_of[entry.identities[0]]]
        if entry.name:
            person.preferred_name = entry.name
            choose_display_name(person)
        person.listed = person.listed and entry.listed
        if person.login and any(github_account(i.email)[0] == person.login for i in entry.identities):
            person.login_claimed = False
        person.credits = list(dict.fromkeys([*person.credits, *entry.contributions]))


def _basis(state: RepoState, rules: IdentityRules, tag_pattern: str) -> Basis:
    assert state.head is not None
    return Basis(
        head=state.head,
        tags=tuple(sorted((tag.name, tag.target) for tag in state.tags)),
        mailmap_digest=rules.digest,
        tag_pattern=tag_pattern,
    )


def _reaches(start: str, target: str, commits: Mapping[str, Commit]) -> bool:
    """Whether ``target`` is reached from ``start`` through ``commits`` (the new ones only)."""
    stack, seen = [start], set()
    while stack:
        sha = stack.pop()
        if sha == target:
            return True
        if sha in seen or sha not in commits:
            continue
        seen.add(sha)
        stack.extend(commits[sha].parents)
    return False


def _paths(commits: Iterable[Commit]) -> set[str]:
    return {path for commit in commits for change in commit.files for path in (change.path, change.old_path) if path}


def _co_author_identities(commit: Commit) -> list[Identity]:
    found = (parse_trailer_person(value) for key, value in commit.trailers if key.lower() == "co-authored-by")
    return [identity for identity in found if _names_someone(identity)]


def _names_someone(identity: Identity) -> bool:
    """False for a placeholder trailer such as ``Co-authored-by: q <q@h>`` (PEFT #3576): a one-letter
    name with an address no forge or mail server can have (no dot in its host) names nobody, and
    crediting it wrote "with q" under the pull request and a contributor called "q"."""
    host = identity.email.rpartition("@")[2]
    return len(identity.name.strip()) > 1 or ("." in host and "@" in identity.email)


def _recorded_uses(commits: Iterable[Commit]) -> list[tuple[Identity, int | None]]:
    """Each identity a commit records (author, co-authors), dated by the author time as credits are."""
    recorded: list[tuple[Identity, int | None]] = []
    for commit in commits:
        recorded.append((Identity(commit.author.name, commit.author.email), commit.author.timestamp))
        recorded.extend((identity, commit.author.timestamp) for identity in _co_author_identities(commit))
    return recorded


def _accounts_change(previous: Analysis, keys: set[str], uses: Mapping[Identity, Use], mailmap: Mailmap) -> bool:
    """Whether new uses change the login or account number :func:`choose_account` gives a known person."""
    if not any(previous.people[key].login for key in keys):
        return False  # only people with a noreply address have an account to choose
    recorded: dict[str, list[Identity]] = {key: [] for key in keys}
    for identity, key in previous.key_of.items():
        if key in recorded:
            recorded[key].append(identity)
    return any(
        choose_account(identities, uses, mailmap) != (previous.people[key].login, previous.people[key].github_id)
        for key, identities in recorded.items()
    )


def _add_commits(analysis: Analysis, commits: Iterable[Commit]) -> None:
    """Credit each commit to its author and co-authors, once.

    The per-file lists stay oldest first by (committer time, SHA) whatever order commits come in: an update
    can add commits older than saved ones (a merged branch's), and a card lists a change's last commits.
    """
    people, key_of = analysis.people, analysis.key_of
    touched: set[str] = set()
    for commit in sorted(commits, key=lambda commit: (commit.committer.timestamp, commit.sha)):
        author = people[key_of[Identity(commit.author.name, commit.author.email)]]
        co_keys = sorted({key_of[i] for i in _co_author_identities(commit)} - {author.key})
        author.verified = True
        for key, value in commit.trailers:
            if key.lower() == "co-authored-by" and is_well_formed_trailer(value) and \
                    _names_someone(identity := parse_trailer_person(value)):
                people[key_of[identity]].verified = True
        analysis.rows[commit.sha] = CommitRow(
            commit.author.timestamp, commit.committer.timestamp, commit.committer.utc_offset, commit.is_merge,
            author.key, co_keys,
        )
        _touch(author, commit.author.timestamp)
        if commit.is_merge:
            continue
        author.lines_added += sum(change.added or 0 for change in commit.files)
        author.lines_deleted += sum(change.deleted or 0 for change in commit.files)
        for area in {change.path.split("/", 1)[0] if "/" in change.path else "(root)" for change in commit.files}:
            author.areas[area] = author.areas.get(area, 0) + 1
        for change in commit.files:
            if change.path.endswith(DOCUMENT_SUFFIXES) or file_kind(change.path) is not None:
                touched.add(change.path)
                analysis.page_commits.setdefault(change.path, []).append(commit.sha)
                if change.old_path:
                    analysis.page_renames.setdefault(change.path, []).append([commit.sha, change.old_path])
        for key in co_keys:
            _touch(people[key], commit.author.timestamp)
    rows = analysis.rows
    for path in touched:  # already in order unless an update brought older commits: then a short sort
        analysis.page_commits[path].sort(key=lambda sha: (rows[sha].committer_time, sha))
        if path in analysis.page_renames:
            analysis.page_renames[path].sort(key=lambda rename: (rows[rename[0]].committer_time, rename[0], rename[1]))


def _touch(person: Person, timestamp: int) -> None:
    if person.first_timestamp is None or timestamp < person.first_timestamp:
        person.first_timestamp = timestamp
    if person.last_timestamp is None or timestamp > person.last_timestamp:
        person.last_timestamp = timestamp


def _credit_releases(analysis: Analysis, releases: list[Release]) -> None:
    """Name each release's authors and co-authors, most commits first, and tell each person."""
    for release in releases:
        counts: Counter[str] = Counter()
        for sha in release.commits:
            row = analysis.rows[sha]
            if not row.is_merge:
                counts.update([row.author, *row.co_authors])
        release.authors = sorted(counts, key=lambda key: (-counts[key], analysis.people[key].name.casefold(), key))
        for key in release.authors:
            analysis.people[key].releases.append(release.tag)


def _finish(analysis: Analysis) -> None:
    """Each person's commits from the rows (oldest first); most active people first; slugs claimed in key
    order so they stay put as people are added."""
    for person in analysis.people.values():
        person.commits, person.co_authored = [], []
    people = analysis.people
    for sha, row in analysis.rows.items():
        if not row.is_merge:
            people[row.author].commits.append(sha)
            for key in row.co_authors:
                people[key].co_authored.append(sha)
    by_tag = {release.tag: release for release in analysis.releases}
    for release in analysis.releases:
        release.new_contributors = []
    for person in analysis.people.values():  # a person's releases are in release order: the first is theirs
        if person.releases and not person.is_bot:
            by_tag[person.releases[0]].new_contributors.append(person.key)
    for release in analysis.releases:
        release.new_contributors.sort(key=lambda key: (analysis.people[key].name.casefold(), key))
    slugs = SlugRegistry()
    for person in sorted(analysis.people.values(), key=lambda p: p.key):
        # A name that was only an address is hidden: the key (a hash) then names the page, never the name.
        person.slug = slugs.claim(person.login or person.name, fallback_prefix="person", fallback_basis=person.key)
    ranked = sorted(
        analysis.people.values(), key=lambda p: (-(len(p.commits) + len(p.co_authored)), p.name.casefold(), p.key)
    )
    analysis.people = {person.key: person for person in ranked}


# --- saved form: JSON (never pickle: a CI cache restored from an untrusted branch must not run code) ---


def dumps(analysis: Analysis) -> bytes:
    return orjson.dumps(
        {
            "version": ANALYSIS_VERSION,
            "basis": [analysis.basis.head, analysis.basis.tags, analysis.basis.mailmap_digest,
                      analysis.basis.tag_pattern],
            "people": [_person_json(person) for person in analysis.people.values()],
            "key_of": [[identity.name, identity.email, key] for identity, key in analysis.key_of.items()],
            "uses": [[identity.name, identity.email, use.times, use.last] for identity, use in analysis.uses.items()],
            "rows": {sha: tuple(row) for sha, row in analysis.rows.items()},  # orjson takes no NamedTuple
            "releases": [_release_json(release) for release in analysis.releases],
            "unreleased": analysis.unreleased,
            "open_parents": analysis.open_parents,
            "tracked_paths": analysis.tracked_paths,
            "described": analysis.described,
            "page_commits": analysis.page_commits,
            "page_renames": analysis.page_renames,
        }
    )


def loads(saved: bytes) -> Analysis | None:
    """The saved analysis, or ``None`` if it is of another version or damaged (then it is recomputed)."""
    try:
        data = orjson.loads(saved)
        if data.get("version") != ANALYSIS_VERSION:
            return None
        head, tags, digest, pattern = data["basis"]
        new = tuple.__new__  # CommitRow without its Python-level __new__: git/git loads 82 000 rows
        return Analysis(
            basis=Basis(head, tuple((name, target) for name, target in tags), digest, pattern),
            people={entry["key"]: _person_from_json(entry) for entry in data["people"]},
            key_of={Identity(name, email): key for name, email, key in data["key_of"]},
            uses={Identity(name, email): Use(count, last) for name, email, count, last in data["uses"]},
            rows={sha: new(CommitRow, row) for sha, row in data["rows"].items()},
            releases=[_release_from_json(entry) for entry in data["releases"]],
            unreleased=list(data["unreleased"]),
            open_parents={sha: tuple(parents) for sha, parents in data["open_parents"].items()},
            tracked_paths=list(data["tracked_paths"]),
            described=list(data["described"]),
            page_commits=data["page_commits"],
            page_renames=data["page_renames"],
        )
    except (orjson.JSONDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _person_json(person: Person) -> dict[str, Any]:
    fields = {name: getattr(person, name) for name in Person.__slots__}
    fields["aliases"] = sorted(person.aliases)
    del fields["commits"], fields["co_authored"]  # rebuilt from the rows, not saved twice
    return fields


def _person_from_json(entry: dict[str, Any]) -> Person:
    person = Person(**entry)
    person.aliases = set(entry["aliases"])
    return person


def _release_json(release: Release) -> dict[str, Any]:
    fields = {name: getattr(release, name) for name in Release.__slots__}
    del fields["changes"]  # derived from the commits when pages are written, not saved
    fields["model_changes"] = [[item.path, item.description] for item in release.model_changes]
    return fields


def _release_from_json(entry: dict[str, Any]) -> Release:
    release = Release(**entry)
    release.model_changes = [ModelChange(path, description) for path, description in entry["model_changes"]]
    return release
