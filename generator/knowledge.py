"""From a repository folder to the knowledge model: the I/O edge that feeds every pure analysis."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.analysis import Analysis, AuthorshipView, activity, analyse, dumps, loads, update
from generator.cache import CommitCache
from generator.changes import ReleaseNotes, annotate_releases
from generator.classify import Rules
from generator.errors import AlmanacError, Finding
from generator.gitrepo import GitRunner, open_repository
from generator.history import new_commits, whole_history
from generator.locations import resolve_repo
from generator.model import Commit, Fact, Knowledge
from generator.modelchanges import model_changes_between
from generator.modelfacts import (
    config_facts,
    front_matter,
    is_licence_file,
    title_and_description,
    weight_facts,
)
from generator.progress import commit_progress
from generator.releases import DEFAULT_TAG_PATTERN
from generator.repofiles import list_tree, read_blobs
from generator.text import decode_git_bytes

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
    entries = list_tree(runner, state.head)
    wanted = [
        entry
        for entry in entries
        if entry.path in ("README.md", "config.json", ".mailmap") or entry.path.endswith(".safetensors")
    ]
    blobs = read_blobs(runner, wanted)
    mailmap_text = decode_git_bytes(blobs.get(".mailmap", b""))
    cache = None
    if options.use_cache and not state.shallow:  # a shallow boundary commit's parents would be cached wrong
        cache = CommitCache(options.cache_dir or Path(state.root) / CACHE_FOLDER, findings)
    try:
        fresh, cached = new_commits(runner, tips, cache, on_progress)
        saved_bytes = cache.analysis() if cache is not None and cached else None
        saved = loads(saved_bytes) if saved_bytes else None
        saved_basis = saved.basis if saved is not None else None
        result = update(saved, fresh, state, mailmap_text, options.tag_pattern) if saved is not None else None
        commits: Mapping[str, Commit]
        if result is not None and cache is not None:
            commits = cache.reader(fresh, result.rows.keys())  # the history stays in the cache until asked
        else:
            stored = cache.load() if cache is not None and cached else {}
            if stored is None:  # the cache was damaged after all: walk everything
                fresh, _ = new_commits(runner, tips, None, on_progress)
                stored = {}
            commits = whole_history(tips, fresh, stored)
            result = analyse(commits, state, mailmap_text, options.tag_pattern)
        described = describe_new_releases(runner, result)
        if cache is not None and (fresh or described or result is not saved or result.basis != saved_basis):
            cache.store(fresh, tips, dumps(result))
    finally:
        if cache is not None:
            cache.close()
    if not state.tags:
        findings.append(Finding("no tags: every commit is listed under Unreleased", "repository", "info"))

    readme = decode_git_bytes(blobs.get("README.md", b""))
    card = front_matter(readme, "README.md", findings)
    title, description = title_and_description(readme)
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
        people=result.people,
        releases=result.releases,
        unreleased=result.unreleased,
        activity=activity(result, as_of),
        licence_files=sorted(entry.path for entry in entries if is_licence_file(entry.path)),
        declared_licence=Fact("Licence (declared)", str(licence), "README.md front matter → license")
        if isinstance(licence, (str, int, float))
        else None,
        model_facts=model_facts,
        as_of=as_of,
        findings=findings,
        git_processes=len(runner.calls),
        authorship=AuthorshipView(result.rows),
    )


def read_repository(
    repo: str | None,
    report: Callable[[str], None],
    *,
    use_cache: bool = True,
    rules: Rules | None = None,
) -> tuple[Knowledge, ReleaseNotes]:
    """What every command starts with: the knowledge (with a progress bar on a terminal), its release
    notes, and one ``report`` line per finding and for the classifier's coverage.

    ``repo`` is a path, ``demo``, or None for the current folder.
    """
    with commit_progress() as on_progress:
        knowledge = build_knowledge(BuildOptions(repo=resolve_repo(repo, Path.cwd()), use_cache=use_cache), on_progress)
    notes = annotate_releases(knowledge, rules)
    for finding in knowledge.findings:
        report(f"{finding.level}: {finding}")
    report(notes.coverage.line())
    return knowledge, notes


def describe_new_releases(runner: GitRunner, analysis: Analysis) -> bool:
    """Read the model, weights and licence changes of releases not described yet (two git calls in all).

    A release's files never change, so each release is described once and the result saved.
    """
    done = set(analysis.described)
    pending = [release for release in analysis.releases if release.tag not in done]
    if not pending:
        return False
    sha_of = {release.tag: release.sha for release in analysis.releases}
    pairs = [(sha_of.get(release.previous) if release.previous else None, release.sha) for release in pending]
    for release, changes in zip(pending, model_changes_between(runner, pairs, analysis.tracked_paths), strict=True):
        release.model_changes = changes
    analysis.described.extend(release.tag for release in pending)
    return True


def source_date(head_timestamp: int) -> int:
    """Reproducible builds: ``SOURCE_DATE_EPOCH`` when set, else the HEAD commit time, never the clock."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return head_timestamp
