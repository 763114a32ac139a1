"""From a repository folder to the knowledge model: the I/O edge that feeds every pure analysis."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.analysis.history.automation import project_rules
from generator.analysis.history.contributors import ALL_CONTRIBUTORS_FILE, CONTRIBUTORS_FILE, contributor_entries
from generator.analysis.history.dates import believable_head_time, build_time, latest_believable, unbelievable_dates
from generator.analysis.history.identities import (
    Identity,
    Mailmap,
    kept_apart_findings,
    person_finder,
    stranger_key,
)
from generator.analysis.history.patches import (
    Branches,
    candidates,
    first_commit,
    one_pull_request_each,
    placed_without_patches,
    pull_request_branches,
    read_patch_ids,
    walk_pull_request_heads,
)
from generator.analysis.history.releases import DEFAULT_TAG_PATTERN
from generator.analysis.history.summary import (
    Analysis,
    AuthorshipView,
    IdentityRules,
    activity,
    analyse,
    dumps,
    loads,
    update,
)
from generator.model.errors import AlmanacError, Finding
from generator.model.knowledge import AgentShare, Commit, FileEntry, Knowledge, Release, RepoState
from generator.model.provenance import Fact
from generator.sources.files.filekinds import is_licence_file
from generator.sources.files.repofiles import is_readme, list_tree, read_blobs, read_revision_paths
from generator.sources.git.background import in_background
from generator.sources.git.commitcache import CACHE_FILES, CommitCache
from generator.sources.git.repo import GitRunner, open_repository, remote_url
from generator.sources.git.walk import FileDetail, new_commits, whole_history
from generator.sources.locations import claim_commit_cache, commit_cache_dir
from generator.sources.memory import collector_paused
from generator.text.clean import decode_git_bytes

if TYPE_CHECKING:  # each analysis is imported when an output asks for it
    from generator.analysis.community.discussions import Digest
    from generator.analysis.community.onboarding import Onboarding
    from generator.analysis.community.tools import Tool
    from generator.analysis.history.acceptance import Acceptance, FetchedHeads
    from generator.analysis.history.changes import ReleaseNotes
    from generator.analysis.history.classify import Rules
    from generator.analysis.history.health import Health
    from generator.analysis.history.reviews import Reviews
    from generator.analysis.licences.timeline import LicenceEvent, Obligations
    from generator.model.learning import Paper


@dataclass(frozen=True, slots=True)
class BuildOptions:
    repo: Path
    #: Where the commit cache lives; ``None`` means :func:`generator.sources.locations.commit_cache_dir`.
    cache_dir: Path | None = None
    use_cache: bool = True
    tag_pattern: str = DEFAULT_TAG_PATTERN
    #: Read the models' README, configs and weights headers, licence texts and learning material (the
    #: overview, cards and licence page need them; a site that only wants per-page authorship, or only the
    #: release and contributor pages, does not).
    describe_models: bool = True
    #: Read ``almanac sync``'s record of pull requests, reviews and discussions (every generated page
    #: group may show it; per-page authorship does not).
    read_forge: bool = True
    #: Where ``almanac sync`` keeps the forge's record; ``None`` means ``<repo>/.almanac/forge``.
    forge_dir: Path | None = None
    #: The site's curated learning resources (``resources.yml``), when it has them.
    resources_file: Path | None = None
    #: How much of each new commit's diff the walk reads (see :data:`generator.sources.git.walk.FileDetail`). Below
    #: ``numstat`` the commits lack line counts, so nothing of this build is written to the commit cache
    #: (its patch-ids and pull-request branches, which need no diff of the walk, still are).
    files: FileDetail = "numstat"


@collector_paused
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
                + shallow_fix(os.environ),
                "repository",
            )
        )
    tips = sorted({state.head, *(tag.target for tag in state.tags)})
    entries = list_tree(runner, state.head)
    pending_tags = None
    if options.describe_models:  # REUSE tags of every file, by one multi-threaded git grep, meanwhile
        from generator.analysis.licences.reuse import GREP_MAX_BYTES, GREP_PATTERN

        # git grep loads every blob whole to see whether it is text, whatever its size: a file of zeros
        # weighing 300 MB (300 KB in .git) cost 300 MB. A REUSE header is at a file's top, not in one that large.
        too_large = [f":(top,exclude,literal){entry.path}" for entry in entries
                     if entry.size is not None and entry.size > GREP_MAX_BYTES]
        pending_tags = in_background(lambda: runner.run("grep", "-I", "-z", "-n", "-E", GREP_PATTERN,
                                                        state.head or "HEAD", "--", *too_large, check=False))
    worth_reading = _reading_rule(options.describe_models)
    wanted = [entry for entry in entries if worth_reading(entry.path)]
    blobs = read_blobs(runner, wanted, licence_links=True, findings=findings)
    large = [e for e in wanted
             if e.path.endswith((".safetensors", ".gguf")) and e.path not in blobs and not e.is_symlink]
    if large:  # headers only: a 10 GB file costs its header
        from generator.analysis.models.weights import read_header_prefixes

        blobs.update(read_header_prefixes(runner, large))
    mailmap_text = decode_git_bytes(blobs.get(".mailmap", b""))
    mailmap = Mailmap(mailmap_text)
    texts = {path: decode_git_bytes(blobs[path]) for path in (CONTRIBUTORS_FILE, ALL_CONTRIBUTORS_FILE)
             if path in blobs}
    identity_rules = IdentityRules(mailmap_text, tuple(contributor_entries(texts, findings)),
                                   project_rules(texts.get(CONTRIBUTORS_FILE), findings))
    cache = None
    if options.use_cache and not state.shallow:  # a shallow boundary commit's parents would be cached wrong
        cache = open_commit_cache(options, Path(state.root), findings,
                                  committed=[entry.path for entry in entries if entry.path.endswith(CACHE_FILES)])
    try:
        early_heads = None
        if state.pull_request_heads and (cache is None or not cache.tips()):
            # Nothing cached: the PR heads are walked beside the history, on the other core.
            heads = list(state.pull_request_heads.values())
            early_heads = in_background(lambda: walk_pull_request_heads(runner, heads, tips))
        fresh, cached = new_commits(runner, tips, cache, on_progress, options.files)
        saved_bytes = cache.analysis() if cache is not None and cached else None
        saved = loads(saved_bytes) if saved_bytes else None
        saved_basis = saved.basis if saved is not None else None
        # Else PR heads are walked while the history is analysed: git on one core, Python on the other.
        stored_branches = cache.pull_request_branches() if cache is not None else {}
        stored_facts = cache.blob_facts() if cache is not None and options.describe_models else {}
        seen = {*(saved.rows if saved is not None else ()), *(commit.sha for commit in fresh)}
        moved = [head for number, head in state.pull_request_heads.items()
                 if head not in seen and stored_branches.get(number, ("",))[0] != head]
        pending_heads = early_heads or in_background(
            lambda: walk_pull_request_heads(runner, moved, tips) if moved else {})
        result = update(saved, fresh, state, identity_rules, options.tag_pattern) if saved is not None else None
        grew = result is not None  # the history only grew since the cache was written
        commits: Mapping[str, Commit]
        if result is not None and cache is not None:
            commits = cache.reader(fresh, result.rows.keys())  # the history stays in the cache until asked
        else:
            stored = cache.load() if cache is not None and cached else {}
            if stored is None:  # the cache was damaged after all: walk everything
                fresh, _ = new_commits(runner, tips, None, on_progress, options.files)
                stored = {}
            commits = whole_history(tips, fresh, stored)
            result = analyse(commits, state, identity_rules, options.tag_pattern)
        if not grew:  # after a force push a cached branch may miss commits the history lost
            stored_branches = {}

        def save_history() -> None:
            described = describe_new_releases(runner, result)
            complete = options.files == "numstat"  # rows without line counts must not reach a later build
            if cache is not None and complete and (fresh or described or result is not saved
                                                   or result.basis != saved_basis):
                cache.store(fresh, tips, dumps(result))

        walked, patch_ids = _find_copies(runner, state, tips, result, commits, cache, stored_branches,
                                         pending_heads(), save_history)
        branches = {number: own for number, (_, own) in walked.items()}
        authors = _branch_authors(walked, result.key_of, mailmap)
    finally:
        if cache is not None:
            cache.close()
    if not state.tags:
        findings.append(Finding("no tags: every commit is listed under Unreleased (a CI checkout may not have "
                                "fetched them: `git fetch --tags`)", "repository", "info"))
    for entry in entries:
        if entry.is_submodule:
            findings.append(Finding("a submodule: its files belong to another repository and are not read",
                                    entry.path, "info"))

    believed_until = latest_believable()
    findings += unbelievable_dates(result.rows, believed_until)
    findings += kept_apart_findings(result.uses, mailmap,
                                    [entry.identities for entry in identity_rules.contributors])
    as_of = source_date(believable_head_time(result.rows, state.head, believed_until))
    now = build_time()
    model_fields: dict[str, Any] = {"name": Path(state.root).name}
    if options.describe_models:  # imported here: a build for per-page authorship never loads it
        from generator.analysis.models.basemodel import check_base_model, declared_licence
        from generator.analysis.models.description import describe_model, model_folders

        memo, store_memo = _licence_memo(options, state, findings, stored_facts)
        root = describe_model("", entries, blobs, findings, memo)
        others = [describe_model(folder, entries, blobs, findings, memo) for folder in model_folders(entries, blobs)]
        store_memo(memo)
        _report_stray_weights(entries, [model.folder for model in others], findings)
        folder_licences = {model.folder: declared_licence(model.metadata) for model in others}
        for model in (root, *others):
            findings += check_base_model(model.metadata, model.title or Path(state.root).name, folder_licences,
                                         f"{model.folder}/README.md" if model.folder else "README.md")
        licence = root.metadata.get("license")
        model_fields = {
            "name": root.title or str(root.metadata.get("model_name") or "") or Path(state.root).name,
            "description": root.description,
            "licence_files": root.licence_files,
            "licences": root.licences,
            "licence_scope": root.licence_scope,
            "declared_licence": Fact("Licence (declared)", str(licence), "README.md front matter → license")
            if isinstance(licence, (str, int, float)) else None,
            "model_facts": root.facts,
            "deployment": root.deployment,
            "card_checks": root.checks,
            "card": root.card,
            "metadata": root.metadata,
            "models": others,
            "estimated_parameters": root.estimated_parameters,
            "repo_kind": root.kind,
            "model_sizes": root.sizes,
        }
    knowledge = Knowledge(
        **model_fields,
        state=state,
        commits=commits,
        people=result.people,
        releases=result.releases,
        unreleased=result.unreleased,
        activity=activity(result, now),
        as_of=as_of,
        now=now,
        believed_until=believed_until,
        findings=findings,
        git_processes=len(runner.calls),
        authorship=AuthorshipView(result.rows),
        pull_request_branches=branches,
        rows=result.rows,
        page_commits=result.page_commits,
        page_renames=result.page_renames,
        pull_request_authors=authors,
        patch_ids=patch_ids,
    )
    if options.read_forge or options.describe_models:  # where the pages link to: the origin's forge, if known
        from generator.sources.forges.links import forge_url

        remote = remote_url(runner)
        web = forge_url(remote) if remote else None
        knowledge.clone_url = f"{web}.git" if web else None
    if options.read_forge:  # the forge's record, when `almanac sync` left one
        from generator.sources.forges.cache import forge_dir, read_caches

        knowledge.forge = read_caches(forge_dir(Path(state.root), options.forge_dir), findings)
    if options.describe_models:  # proposals kept as files, learning material
        from generator.analysis.community.proposals import read_proposals

        knowledge.proposals = read_proposals(entries, blobs, findings)
        _read_learning(knowledge, options, runner, entries, blobs, findings)
    if pending_tags is not None:  # the files' REUSE labels, and what each commit did to a licence text
        from generator.analysis.licences.reuse import REUSE_TOML, coverage, missing_texts, parse_grep, read_reuse_toml
        from generator.analysis.licences.timeline import licence_change, licence_commits

        annotations = read_reuse_toml(decode_git_bytes(blobs[REUSE_TOML]), findings) if REUSE_TOML in blobs else []
        labels = parse_grep(pending_tags())
        knowledge.reuse = coverage(entries, labels, annotations)
        findings += missing_texts(labels, annotations, entries)
        pairs = licence_commits(knowledge)
        versions = read_revision_paths(runner, [(rev, path) for sha, path in pairs for rev in (f"{sha}^", sha)])
        knowledge.licence_changes = {
            (sha, path): licence_change(versions.get((f"{sha}^", path)), versions.get((sha, path)))
            for sha, path in pairs
        }
        knowledge.git_processes = len(runner.calls)
    return knowledge


@dataclass(frozen=True, slots=True)
class PullRequestFigures:
    """What the contributor pages say of pull requests: each person's acceptance, the project's, how many
    authors never landed one, and how many of the fetched PR heads landed."""

    by_person: dict[str, Acceptance]
    project: Acceptance
    strangers: int
    heads: FetchedHeads


@dataclass(frozen=True, slots=True)
class AgentFigures:
    """How much AI coding agents wrote or co-wrote: in the whole history, by quarter, in each release."""

    total: AgentShare
    by_quarter: list[AgentShare]
    by_release: dict[str, AgentShare]


class Built:
    """The knowledge of one repository and every analysis an output shows, each computed once, when an
    output first asks for it: a changelog pays for the release notes, not for the community-health page.

    Every command and the MkDocs plugin read the repository through :func:`build_repository` and show a view of
    this object, so that a fact reads the same in the site, ``almanac write``, the changelog and
    ``almanac check``; rendering only formats what is here.
    """

    def __init__(self, knowledge: Knowledge, rules: Rules | None = None) -> None:
        self.knowledge = knowledge
        self.rules = rules
        self._guide_findings: list[Finding] = []

    @cached_property
    def notes(self) -> ReleaseNotes:
        """The release notes. Computing them fills each release's ``changes`` (classified, backports
        linked): the one step after the walk that completes the knowledge rather than reading it, kept
        here so that it happens once per build, before any output reads a release's changes."""
        from generator.analysis.history.changes import annotate_releases

        return annotate_releases(self.knowledge, self.rules)

    @cached_property
    def guide(self) -> Onboarding:
        """The onboarding guide, with what the contributing guide says that the history contradicts."""
        from generator.analysis.community.onboarding import onboarding

        knowledge = self.knowledge
        return onboarding(knowledge, self.notes, knowledge.config_texts, knowledge.tree_paths, knowledge.clone_url,
                          self._guide_findings)

    @property
    def guide_findings(self) -> list[Finding]:
        """What reading the guide's sources found: a CODEOWNERS rule not understood, what the contributing
        guide says that the history contradicts. The site and ``almanac write`` report them as they render
        the guide, ``almanac check`` gates on them."""
        _ = self.guide
        return self._guide_findings

    @cached_property
    def tools(self) -> list[Tool]:
        from generator.analysis.community.tools import detect_tools

        return detect_tools(self.knowledge.tree_paths, self.knowledge.config_texts)

    @cached_property
    def papers(self) -> list[Paper]:
        """The papers the repository cites, each titled as the repository states it, titled ones first."""
        from generator.analysis.community.citations import resolve_titles

        knowledge = self.knowledge
        if knowledge.resources is None:
            return []
        resolve_titles(knowledge.resources.papers, knowledge.bibtex, knowledge.citation)
        return sorted(knowledge.resources.papers,
                      key=lambda paper: (not paper.title, paper.title.casefold(), paper.key))

    @cached_property
    def health(self) -> Health:
        from generator.analysis.history.health import community_health

        return community_health(self.knowledge, self.notes.pull_requests)

    @cached_property
    def reviews(self) -> Reviews:
        """Review figures of the project and of each person, and who reviews each top-level folder."""
        from generator.analysis.history.identities import person_of_login
        from generator.analysis.history.reviews import Reviews, review_statistics, reviewers_by_area

        pulls = [pull for cache in self.knowledge.forge for pull in cache.pulls]
        if not pulls:
            return Reviews(None, {}, {})
        who = person_of_login(self.knowledge)
        project, people = review_statistics(pulls, who)
        return Reviews(project, people, reviewers_by_area(pulls, self.knowledge.commits, who))

    @cached_property
    def acceptance(self) -> PullRequestFigures:
        """How the pull requests fared: each person's, the project's, the strangers', the fetched heads'."""
        from generator.analysis.history.acceptance import (
            acceptance_by_person,
            fetched_heads,
            project_acceptance,
            strangers,
        )

        knowledge, outcomes = self.knowledge, self.notes.pull_requests
        forge = bool(knowledge.forge)
        return PullRequestFigures(acceptance_by_person(outcomes, forge), project_acceptance(outcomes, forge),
                                  strangers(outcomes, knowledge.people), fetched_heads(knowledge, outcomes))

    @cached_property
    def agents(self) -> AgentFigures:
        """How much AI coding agents wrote: in the whole history, by quarter, and in each release."""
        from generator.analysis.history.automation import agent_share, agent_share_by_quarter

        knowledge = self.knowledge
        rows, people = knowledge.rows, knowledge.people
        every_change = [change for release in knowledge.releases for change in release.changes] + self.notes.unreleased
        return AgentFigures(
            agent_share(rows, every_change, rows, people), agent_share_by_quarter(rows, every_change, people),
            {release.tag: agent_share(release.commits, release.changes, rows, people)
             for release in knowledge.releases})

    @cached_property
    def prereleases(self) -> dict[str, list[Release]]:
        """Final release tag → the pre-releases of the same version before it, oldest first: a final
        release's page lists their changes too."""
        from generator.analysis.history.changes import folded_prereleases

        return folded_prereleases(self.knowledge.releases)

    @cached_property
    def grammars(self) -> dict[str, tuple[tuple[str, int], ...]]:
        """Release tag → how many of its change titles use each commit-message grammar, most used first."""
        from generator.analysis.history.changes import grammar_counts

        _ = self.notes  # the releases' changes
        return {release.tag: grammar_counts(release.changes) for release in self.knowledge.releases}

    @cached_property
    def recent_activity(self) -> dict[str, tuple[int, int]]:
        """Person key → (commits authored, co-authored) in the last year of the history."""
        from generator.analysis.history.health import YEAR, activity_since

        knowledge = self.knowledge
        return activity_since(knowledge.rows.values(), knowledge.now - YEAR, knowledge.now)

    @cached_property
    def licence_timeline(self) -> list[LicenceEvent]:
        from generator.analysis.licences.timeline import licence_timeline

        return licence_timeline(self.knowledge)

    @cached_property
    def checklists(self) -> tuple[list[Obligations], list[str]]:
        """The checklist of each licence in force, and the licences in force that have none."""
        from generator.analysis.licences.timeline import checklists

        return checklists(self.knowledge)

    @cached_property
    def card_tags(self) -> list[str]:
        from generator.analysis.models.card import card_tags

        return card_tags(self.knowledge)

    @cached_property
    def discussions(self) -> Digest:
        from generator.analysis.community.discussions import digest

        return digest(self.knowledge)


def build_repository(options: BuildOptions, report: Callable[[str], None] = lambda line: None, *,
                     rules: Rules | None = None, on_progress: Callable[[int], None] = lambda count: None) -> Built:
    """The one build: walk the repository, telling ``on_progress`` how many commits were read (the
    command line and the plugin show it), and tell ``report`` each finding, one line each."""
    knowledge = build_knowledge(options, on_progress)
    for finding in knowledge.findings:
        report(f"{finding.level}: {finding}")
    return Built(knowledge, rules)


def _licence_memo(options: BuildOptions, state: RepoState, findings: list[Finding], stored: dict[str, bytes]
                  ) -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
    """Licence matches of earlier builds (``stored``, read from the commit cache: a blob's text never
    changes), and how to keep the new ones (the cache is opened again only when there are some)."""
    if not options.use_cache or state.shallow:
        return {}, lambda memo: None
    from generator.analysis.licences.files import decode_matches, encode_matches

    known = decode_matches(stored)

    def store(memo: dict[str, Any]) -> None:
        new = {key: matches for key, matches in memo.items() if key not in known}
        if new:
            cache = open_commit_cache(options, Path(state.root), [])  # its findings were reported once
            if cache is None:
                return
            try:
                cache.store_blob_facts(encode_matches(new))
            finally:
                cache.close()
    return dict(known), store


def open_commit_cache(options: BuildOptions, root: Path, findings: list[Finding],
                      committed: Collection[str] = (), *, check_rows: bool = True) -> CommitCache | None:
    """The commit cache, or None (with a warning) when its folder cannot be used: a read-only
    repository, a ``.almanac`` committed as a link out of it, or a cache file the repository commits
    (``committed``: HEAD's paths that end like one), whose rows a stranger wrote and the build would believe
    instead of git. The build goes on without it. A folder inside the repository is created through
    no link the repository may have committed."""
    folder = options.cache_dir or commit_cache_dir(root)
    if folder.is_relative_to(root):
        place = folder.relative_to(root).as_posix()
        tracked = sorted(path for path in committed if path.rpartition("/")[0] == place
                         and path.rpartition("/")[2] in CACHE_FILES)
        if tracked:
            findings.append(Finding("the repository commits a commit cache, whose rows would be believed instead "
                                    "of git; building without the commit cache (remove it from git, or set "
                                    "ALMANAC_CACHE_DIR)", tracked[0]))
            return None
    try:
        if options.cache_dir is None and not folder.is_relative_to(root):
            claim_commit_cache(folder, root)
        return CommitCache(folder, findings, inside=root if folder.is_relative_to(root) else None,
                           check_rows=check_rows)
    except AlmanacError as error:
        findings.append(Finding(f"{error}; building without the commit cache"))
    except OSError as error:
        findings.append(Finding(f"{error.strerror or error}; building without the commit cache (set "
                                "ALMANAC_CACHE_DIR to keep it elsewhere)", str(error.filename or folder)))
    return None


def shallow_fix(environment: Mapping[str, str]) -> str:
    """How to get the whole history, in the terms of the CI system this runs in."""
    if environment.get("GITHUB_ACTIONS") == "true":
        return "set `fetch-depth: 0` (and `fetch-tags: true`) on actions/checkout"
    if environment.get("GITLAB_CI") == "true":
        return "set the CI/CD variable `GIT_DEPTH: 0` (and `GIT_FETCH_EXTRA_FLAGS: --tags`)"
    return ("run `git fetch --unshallow --tags` (GitHub Actions: actions/checkout with fetch-depth: 0; "
            "GitLab CI: GIT_DEPTH: 0)")


def _read_learning(knowledge: Knowledge, options: BuildOptions, runner: GitRunner, entries: list[FileEntry],
                   blobs: dict[str, bytes], findings: list[Finding]) -> None:
    """Resources, citations, the files that run the project, and where to clone it from."""
    from generator.analysis.community.citations import CITATION_FILE, read_cff, readme_bibtex
    from generator.analysis.community.resources import curated_resources, discovered_resources
    from generator.analysis.community.tools import is_config_file

    knowledge.tree_paths = [entry.path for entry in entries]
    knowledge.python_packages = parseable_packages(python_packages(knowledge.tree_paths), blobs, findings)
    knowledge.config_texts = {entry.path: decode_git_bytes(blobs[entry.path]) for entry in entries
                              if is_config_file(entry.path) and entry.path in blobs}
    knowledge.resources = discovered_resources(entries, blobs, findings)
    if options.resources_file is not None:
        try:
            text = options.resources_file.read_text(encoding="utf-8")
        except OSError as error:
            findings.append(Finding(f"cannot be read ({error.strerror}); no curated resources",
                                    str(options.resources_file)))
        else:
            knowledge.curated = curated_resources(text, str(options.resources_file), findings)
    if CITATION_FILE in blobs:
        knowledge.citation = read_cff(decode_git_bytes(blobs[CITATION_FILE]), findings)
    if "README.md" in blobs:
        knowledge.bibtex = readme_bibtex(decode_git_bytes(blobs["README.md"]), "README.md", findings)


#: Folders whose Python is not the project's library: tests, examples, tooling.
_NOT_LIBRARIES = frozenset({"tests", "test", "docs", "examples", "example", "scripts", "benchmarks", "tools",
                            "notebooks", "build", "dist", "site", "venv", ".venv"})


def python_packages(paths: list[str]) -> list[tuple[str, str]]:
    """(package, search path) for each importable package at the root or under ``src/``."""
    return sorted({package for path in paths if (package := _package_of(path)) is not None})


def _package_of(path: str) -> tuple[str, str] | None:
    """(package, search path) when ``path`` is the ``__init__.py`` of a library package."""
    parts = path.split("/")
    if parts[-1] != "__init__.py":
        return None
    if len(parts) == 2 and parts[0] not in _NOT_LIBRARIES and parts[0].isidentifier():
        return parts[0], ""
    if len(parts) == 3 and parts[0] == "src" and parts[1].isidentifier():
        return parts[1], "src"
    return None


def parseable_packages(packages: list[tuple[str, str]], blobs: Mapping[str, bytes],
                       findings: list[Finding]) -> list[tuple[str, str]]:
    """The packages whose ``__init__.py`` parses: griffe (mkdocstrings) stops the whole site build on one
    that does not (Python 2 code, a stray merge marker), so such a package gets a finding, not a page."""
    import ast

    kept = []
    for package, search_path in packages:
        init = f"{search_path}/{package}/__init__.py" if search_path else f"{package}/__init__.py"
        source = blobs.get(init)
        try:
            if source is not None:
                compile(source.decode("utf-8"), init, "exec", ast.PyCF_ONLY_AST)  # griffe reads UTF-8 only
        except SyntaxError as error:
            findings.append(Finding(f"does not parse as Python ({error.msg}); no API reference page for "
                                    f"'{package}'", f"{init}:{error.lineno or 1}"))
        except (ValueError, RecursionError, MemoryError) as error:  # not UTF-8; NUL bytes; nesting too deep
            findings.append(Finding(f"does not parse as Python ({type(error).__name__}); no API reference page "
                                    f"for '{package}'", init))
        else:
            kept.append((package, search_path))
    return kept


_PEOPLE_FILES = frozenset({".mailmap", CONTRIBUTORS_FILE, ALL_CONTRIBUTORS_FILE})


def _reading_rule(models: bool) -> Callable[[str], bool]:
    """Which files a build reads whole (small) or by header (weights): people files at the root, and,
    for ``models``, a model's README, configs, licence files and weights at the root or in a sub-folder
    (two levels at most), the ``LICENSES/`` folder, REUSE.toml, proposals, learning material and the
    files that run the project. Built once per build: it is asked about every path of the tree."""
    if not models:
        return _PEOPLE_FILES.__contains__
    from generator.analysis.community.proposals import is_proposal_file
    from generator.analysis.community.resources import is_learning_file
    from generator.analysis.community.tools import is_config_file
    from generator.analysis.models.card import is_card_file
    from generator.analysis.models.files import FILES as MODEL_FILES
    from generator.analysis.models.repokind import worth_reading as kind_evidence
    from generator.analysis.models.weights import is_weights_file

    model_names = frozenset(("config.json", *MODEL_FILES))

    def worth_reading(path: str) -> bool:
        if path in _PEOPLE_FILES or path in ("REUSE.toml", "CITATION.cff") or path.startswith("LICENSES/"):
            return True
        if is_proposal_file(path) or is_learning_file(path) or is_config_file(path) or is_weights_file(path):
            return True
        if kind_evidence(path):  # configs of each model size in any folder, licences named in any way
            return True
        if _package_of(path) is not None:  # read to check that it parses (see parseable_packages)
            return True
        folder, _, name = path.rpartition("/")
        return folder.count("/") < 2 and (name in model_names or is_readme(name) or is_licence_file(name)
                                          or is_card_file(name))
    return worth_reading


def _report_stray_weights(entries: list[FileEntry], model_folders: list[str], findings: list[Finding]) -> None:
    """Weights below the root that belong to no model folder are named, not counted."""
    from generator.analysis.models.weights import is_weights_file

    homes = {"", *model_folders}
    stray = sorted(e.path for e in entries if is_weights_file(e.path) and e.path.rpartition("/")[0] not in homes)
    if stray:
        shown = ", ".join(stray[:3]) + (", …" if len(stray) > 3 else "")
        findings.append(Finding(f"weights outside any model folder ({shown}) are not counted for a model",
                                "repository", "info"))


def _find_copies(
    runner: GitRunner,
    state: RepoState,
    tips: list[str],
    result: Analysis,
    commits: Mapping[str, Commit],
    cache: CommitCache | None,
    stored_branches: Branches,
    walked_heads: Mapping[str, Commit],
    meanwhile: Callable[[], None],
) -> tuple[Branches, dict[str, str]]:
    """PR branches outside the history, and the patch-ids of commits that may be copies of each other.

    git diffs the look-alikes in the background while ``meanwhile`` runs (describing releases and
    filling the cache); what was computed is cached for the next build.
    """
    walked = pull_request_branches(state, result.rows, stored_branches, walked_heads,
                                   lambda heads: walk_pull_request_heads(runner, heads, tips))
    branches = {number: own for number, (_, own) in walked.items()}
    groups = [release.commits for release in result.releases] + [result.unreleased]
    lookalikes = candidates(groups, result.rows, one_pull_request_each(branches), commits,
                            placed_without_patches(state.pull_request_heads))
    known = cache.patch_ids(lookalikes) if cache is not None else {}
    pending = in_background(lambda: read_patch_ids(runner, lookalikes, known))
    meanwhile()
    patch_ids = pending()
    if cache is not None:
        if walked != stored_branches:
            cache.store_pull_request_branches(walked)
        if len(patch_ids) > len(known):
            cache.store_patch_ids({sha: patch for sha, patch in patch_ids.items() if sha not in known})
    return walked, patch_ids


def _branch_authors(branches: Branches, key_of: dict[Identity, str], mailmap: Mailmap) -> dict[int, str]:
    """PR number → who wrote its (unmerged) branch: the author of its first commit (a maintainer who
    pushed a fix on top is not the PR's author), as a known person's key, or a pseudonym for a
    stranger, hashed so that no address can reach a page.

    A commit two PR branches share is their common base, not either PR's work: a history the project
    later rewrote sits under hundreds of old PR heads (hiyouga/LLaMA-Factory: 286 of them would start
    with the maintainer's first commit of 2023). The first commit is sought among the commits no other
    branch holds; a branch with none of its own is credited to its head's author.
    """
    if not branches:
        return {}
    find = person_finder(key_of, mailmap)
    holders = Counter(commit.sha for _, own in branches.values() for commit in own)
    authors: dict[int, str] = {}
    for number, (head, own) in branches.items():
        mine = [commit for commit in own if holders[commit.sha] == 1]
        commit = first_commit(mine) or next((commit for commit in own if commit.sha == head), own[0])
        authors[number] = find(Identity(commit.author.name, commit.author.email)) or stranger_key(commit.author.email)
    return authors


def describe_new_releases(runner: GitRunner, analysis: Analysis) -> bool:
    """Read the model, weights and licence changes of releases not described yet (two git calls in all).

    A release's files never change, so each release is described once and the result saved.
    """
    done = set(analysis.described)
    pending = [release for release in analysis.releases if release.tag not in done]
    if not pending:
        return False
    from generator.analysis.models.changes import model_changes_between

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
