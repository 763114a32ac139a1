"""The knowledge model: plain dataclasses that every analysis reads and every page template renders.

Facts taken from git are immutable and keyed by commit SHA, so they can be cached forever; facts
derived from them (people, releases) are rebuilt on every run because they depend on refs,
``.mailmap`` and options, which change without the commits changing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.model.errors import Finding
from generator.model.forge import DiscussionRecord, ForgeData
from generator.model.learning import BibEntry, Citation, Resource, Resources
from generator.model.licences import Coverage, LicenceFile, LicenceScope
from generator.model.models import ConfigSize, ModelCard, ModelDescription, RepoKind
from generator.model.provenance import Fact
from generator.text.untrusted import small_number


class CommitRow(NamedTuple):
    """The few facts of a commit that activity figures, release dates and credits need, so they never
    require the commits. A tuple rather than a dataclass: a warm rebuild loads 100 000 of them, and it is
    saved as the plain list ``[author_time, committer_time, committer_offset, is_merge, author, co_authors]``.
    """

    #: When the commit was authored (UNIX seconds, as recorded).
    author_time: int
    #: When the commit was committed (UNIX seconds, as recorded): the time that orders history.
    committer_time: int
    #: The committer's offset from UTC in minutes.
    committer_offset: int
    #: Whether the commit has more than one parent (merges are nobody's authored work).
    is_merge: bool
    #: The author's person key, after identities were merged.
    author: str
    #: The co-authors' person keys (from ``Co-authored-by`` trailers), sorted, the author left out.
    co_authors: Sequence[str]


@dataclass(frozen=True, slots=True)
class Signature:
    """Who did something and when, exactly as recorded in the commit (before ``.mailmap``)."""

    name: str
    email: str
    timestamp: int
    #: Offset from UTC in minutes, kept so that dates can be shown in the author's own time zone.
    utc_offset: int


@dataclass(frozen=True, slots=True)
class FileChange:
    """Line counts of one file in one commit; ``None`` counts mean git saw a binary file."""

    path: str
    added: int | None
    deleted: int | None
    #: The previous path when git detected a rename.
    old_path: str | None = None


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit as git recorded it: identities before ``.mailmap``, text cleaned of invisible characters."""

    sha: str
    parents: tuple[str, ...]
    author: Signature
    committer: Signature
    message: str
    #: ``(key, value)`` pairs of the trailer block, keys as written (case varies in the wild).
    trailers: tuple[tuple[str, str], ...]
    files: tuple[FileChange, ...]

    @property
    def subject(self) -> str:
        """The first paragraph on one line, as ``git log --format=%s`` shows it."""
        first_paragraph = self.message.strip().split("\n\n", 1)[0]
        return " ".join(line.strip() for line in first_paragraph.splitlines())

    @property
    def body(self) -> str:
        """Everything after the subject's paragraph (trailers included)."""
        return self.message.split("\n\n", 1)[1] if "\n\n" in self.message else ""

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def lines_changed(self) -> int:
        return sum((change.added or 0) + (change.deleted or 0) for change in self.files)


@dataclass(frozen=True, slots=True)
class Ref:
    """A ref from ``for-each-ref``; ``target`` is the peeled commit (tags may point at tag objects)."""

    name: str
    target: str
    #: For annotated tags: the tagger, and the tag message.
    tagger: Signature | None = None
    message: str = ""

    @property
    def short_name(self) -> str:
        for prefix in ("refs/tags/", "refs/heads/", "refs/remotes/"):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


@dataclass(frozen=True, slots=True)
class RepoState:
    """Where the repository stands now: what the walk starts from and how far back it can see."""

    root: str
    head: str | None
    #: The branch HEAD points at; ``None`` for a detached HEAD.
    branch: str | None
    shallow: bool
    refs: tuple[Ref, ...]

    @property
    def tags(self) -> tuple[Ref, ...]:
        return tuple(ref for ref in self.refs if ref.name.startswith("refs/tags/"))

    @property
    def pull_request_heads(self) -> dict[int, str]:
        """PR number → head commit, from GitHub's ``refs/pull/N/head`` and the Hub's ``refs/pr/N``."""
        heads: dict[int, str] = {}
        for ref in self.refs:
            parts = ref.name.split("/")
            github = len(parts) == 4 and parts[:2] == ["refs", "pull"] and parts[3] == "head"
            hub = len(parts) == 3 and parts[:2] == ["refs", "pr"]
            if (github or hub) and (number := small_number(parts[2])) is not None:
                heads[number] = ref.target
        return heads


@dataclass(slots=True)
class Person:
    """One human (or bot) however many names and addresses they used.

    E-mail addresses are deliberately absent: they never leave the identity resolver, so no template
    can publish one by mistake.
    """

    key: str
    name: str
    slug: str = ""
    aliases: set[str] = field(default_factory=set)
    #: How often each (mailmapped) name was recorded; the most used one is the display name.
    name_uses: dict[str, int] = field(default_factory=dict)
    login: str | None = None
    github_id: int | None = None
    #: Not a human: a bot, an AI coding agent or a machine's generic identity (``kind`` says which).
    #: Such a "person" is listed apart and never counted among the people or the new contributors.
    is_bot: bool = False
    #: ``human``, ``bot``, ``agent`` (an AI coding agent) or ``machine`` (``root``, ``ubuntu``: nobody
    #: can say whose); see :mod:`generator.analysis.history.automation`.
    kind: str = "human"
    commits: list[str] = field(default_factory=list)
    co_authored: list[str] = field(default_factory=list)
    lines_added: int = 0
    lines_deleted: int = 0
    first_timestamp: int | None = None
    last_timestamp: int | None = None
    #: Top-level directory (or ``(root)``) → commits touching it.
    areas: dict[str, int] = field(default_factory=dict)
    releases: list[str] = field(default_factory=list)
    #: From ``contributors.yml``: the name to show, whether to list the person, non-code credits.
    preferred_name: str | None = None
    #: True while the login comes only from a noreply address in commits: anyone can write one, so it
    #: is a claim; the project's contributors file vouching for it makes it False.
    login_claimed: bool = True
    #: False while the person is known only from hand-typed ``Co-authored-by`` trailers that do not
    #: follow ``Name <address>``: accepted, but shown as unverified.
    verified: bool = False
    listed: bool = True
    credits: list[str] = field(default_factory=list)

    @property
    def avatar_url(self) -> str | None:
        """GitHub serves an avatar for a numeric id without an API call, so it is safe to derive offline."""
        if self.github_id is None:
            return None
        return f"https://avatars.githubusercontent.com/u/{self.github_id}?v=4"

    @property
    def profile_url(self) -> str | None:
        if self.login is None or self.is_bot:
            return None
        return f"https://github.com/{self.login}"


@dataclass(slots=True)
class Change:
    """One entry of the release notes: a pull request as it landed, or a push straight to the branch.

    Real repositories land work in several ways; ``kind`` says which one Almanac recognised, so a reader
    (and a test) can see why commits were grouped the way they were.
    """

    #: The commit that landed the change on the release's line (the merge commit for a merge).
    sha: str
    title: str
    #: ``squash`` (subject ends in ``(#N)``), ``merge`` (a merge commit of PR N), ``rebase`` (a
    #: ``refs/pull/N/head`` on the release's line, or its commits found there rewritten, by patch-id),
    #: ``partial`` (only some of PR N's commits landed), ``branch`` (a merge of a branch that names no
    #: PR), ``sync`` (a merge of the branch into itself, ``git pull``), ``direct`` (no pull request found).
    kind: str
    pr: int | None = None
    #: Person keys.
    author: str = ""
    co_authors: list[str] = field(default_factory=list)
    #: Every commit the change brought (a merged branch's commits; the one commit otherwise).
    commits: list[str] = field(default_factory=list)
    section: str = "Other"
    #: Which classification rule decided the section (``conventional``, ``prefix``, ``first word``…).
    rule: str = ""
    #: The area it touches, from a scope (``fix(tokenizer):``), ``[Area]`` or ``area:`` prefix.
    component: str | None = None
    #: The title without the prefixes that gave its section or component, for display beside them.
    summary: str = ""
    #: Why the change may break users (a ``!`` marker, ``BREAKING CHANGE:``, "drop support"…), or None.
    breaking: str | None = None
    #: The pull request this change reverts, when its subject says so.
    reverts: int | None = None
    #: Tags of other releases that shipped the same change again (cherry-picked, same PR or commit).
    backported_to: list[str] = field(default_factory=list)
    #: For a cherry-pick: the tag of the release that shipped the change first.
    backport_of: str | None = None
    #: For a PR merged after a release shipped its branch (a tag on the PR's branch): that release.
    shipped_in: str | None = None
    #: The commit named by a ``(cherry picked from commit X)`` line, if the message has one.
    picked_from: str | None = None
    timestamp: int = 0
    utc_offset: int = 0
    #: What placed the commits in this change (see :mod:`generator.analysis.history.attribution`), for ``--debug`` and
    #: JSON.
    evidence: str = ""
    #: For a branch or sync merge: the pull requests that came through it, each a change of its own.
    includes: list[int] = field(default_factory=list)


    def shown(self) -> tuple[str | None, str]:
        """(component, text) as an entry shows them: the title without the type prefix that put it in its
        section (``FIX x`` → ``x``, ``fix(tok): x`` → ``tok``, ``x``); the whole title when none was dropped."""
        summary = self.summary or self.title
        if self.component and summary != self.title:
            return self.component, summary
        return None, summary


@dataclass(slots=True)
class AgentShare:
    """How much of a span of history AI coding agents wrote or co-wrote (see
    :mod:`generator.analysis.history.automation`):
    the figure maintainers are asked for, per release and over time."""

    #: What the span is (a quarter such as ``2025 Q3``; empty for a release).
    period: str = ""
    #: Commits that are not merges; those an agent authored; those a human authored with an agent as
    #: co-author (``Co-authored-by: Claude …``).
    commits: int = 0
    authored: int = 0
    co_authored: int = 0
    #: Changes that are pull requests; those with a commit an agent authored or co-authored.
    pull_requests: int = 0
    agent_pull_requests: int = 0
    #: The agents (person keys), most commits first, and the commits of each.
    agents: list[str] = field(default_factory=list)
    by_agent: dict[str, int] = field(default_factory=dict)

    @property
    def agent_commits(self) -> int:
        return self.authored + self.co_authored


@dataclass(frozen=True, slots=True)
class ModelChange:
    """A change users of the model must know about: architecture, tokenizer, weights, licence, card."""

    path: str
    #: One line, e.g. ``max_position_embeddings 4096 → 8192`` or ``licence file changed``.
    description: str


@dataclass(slots=True)
class Release:
    """A version tag and the commits it was the first release to contain."""

    tag: str
    sha: str
    slug: str
    timestamp: int
    utc_offset: int
    prerelease: bool
    message: str = ""
    previous: str | None = None
    commits: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: People whose first contribution to the whole history is in this release (bots never are).
    new_contributors: list[str] = field(default_factory=list)
    model_changes: list[ModelChange] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of the tree at HEAD, as ``git ls-tree -l`` lists it."""

    path: str
    mode: str
    object_id: str
    size: int | None

    @property
    def is_symlink(self) -> bool:
        return self.mode == "120000"

    @property
    def is_submodule(self) -> bool:
        return self.mode == "160000"


@dataclass(slots=True)
class Activity:
    commits: int = 0
    contributors: int = 0
    releases: int = 0
    first_timestamp: int | None = None
    last_timestamp: int | None = None
    commits_last_90_days: int = 0
    active_contributors_last_90_days: int = 0


@dataclass(slots=True)
class Knowledge:
    """Everything Almanac knows about one repository at one HEAD; the input of every page."""

    name: str
    state: RepoState
    #: Every reachable commit by SHA; read lazily from the cache when the build was incremental.
    commits: Mapping[str, Commit]
    #: People by key, most active first.
    people: dict[str, Person]
    releases: list[Release]
    unreleased: list[str]
    activity: Activity
    licence_files: list[str] = field(default_factory=list)
    #: What each licence file holds (see :mod:`generator.analysis.licences.files`) and what covers code, weights
    #: and data (see :mod:`generator.analysis.licences.scope`).
    licences: list[LicenceFile] = field(default_factory=list)
    licence_scope: LicenceScope | None = None
    #: The forges' record read from ``almanac sync``'s cache (see :mod:`generator.sources.forges.cache`), and
    #: proposals kept as files in the repository (``rfcs/``…).
    forge: list[ForgeData] = field(default_factory=list)
    proposals: list[DiscussionRecord] = field(default_factory=list)
    #: Learning material: curated entries (the site's resources.yml), what the repository teaches (docs,
    #: notebooks, examples, cited papers), how to cite the model, and the README's BibTeX entries.
    curated: list[Resource] = field(default_factory=list)
    resources: Resources | None = None
    citation: Citation | None = None
    bibtex: list[BibEntry] = field(default_factory=list)
    #: The files that run the project (pyproject, Makefile, CI, CONTRIBUTING, CODEOWNERS) and every path
    #: at HEAD: the onboarding guide and the tools page read them.
    config_texts: dict[str, str] = field(default_factory=dict)
    tree_paths: list[str] = field(default_factory=list)
    #: The repository's own Python packages (``lumen``, ``src/tiny`` → ``tiny``) as (name, search path
    #: relative to the root): the API reference documents them, read statically by mkdocstrings.
    python_packages: list[tuple[str, str]] = field(default_factory=list)
    #: The https address to clone from (the origin remote on a known forge, credentials dropped).
    clone_url: str | None = None
    #: Per-file licence labels in the REUSE way (see :mod:`generator.analysis.licences.reuse`); None when not read.
    reuse: Coverage | None = None
    declared_licence: Fact | None = None
    model_facts: list[Fact] = field(default_factory=list)
    #: Memory the weights need at each precision, and the key/value cache per 1 000 tokens.
    deployment: list[Fact] = field(default_factory=list)
    #: What the Hub would reject or ignore in the README's metadata (see :mod:`generator.analysis.models.cardmeta`).
    card_checks: list[Finding] = field(default_factory=list)
    #: The model card's sections and completeness (see :mod:`generator.analysis.models.card`).
    card: ModelCard | None = None
    #: The README's front matter as parsed (the Hub's metadata), empty when there is none.
    metadata: dict[str, Any] = field(default_factory=dict)
    #: The config's analytic parameter count (see :mod:`generator.analysis.models.architecture`), if it has one.
    estimated_parameters: int | None = None
    #: What the repository is, with its evidence (see :mod:`generator.analysis.models.repokind`); None when not read.
    repo_kind: RepoKind | None = None
    #: The sizes configs elsewhere in the tree describe, one per file (see
    #: :func:`generator.analysis.models.facts.config_sizes`).
    model_sizes: list[ConfigSize] = field(default_factory=list)
    #: (commit, licence path) → what the commit did to the licence text (see
    #: :mod:`generator.analysis.licences.timeline`).
    licence_changes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: Other models of the repository, one per sub-folder with its own ``config.json``.
    models: list[ModelDescription] = field(default_factory=list)
    description: str = ""
    #: The time of the data (a page's "last modified", a feed's "updated"): SOURCE_DATE_EPOCH, else the
    #: HEAD commit time, never the clock, so the same history gives the same sitemap and feeds.
    as_of: int = 0
    #: The moment of the build (:func:`generator.analysis.history.dates.build_time`: SOURCE_DATE_EPOCH, else the clock):
    #: the end of every window ("last 90 days", "last 12 months", "inactive for a year"), shown with it.
    now: int = 0
    #: The latest date believed (:func:`generator.analysis.history.dates.latest_believable`): commits dated later, or
    #: before 1970, are findings and left out of time series. None: no bound (a Knowledge built by hand).
    believed_until: int | None = None
    findings: list[Finding] = field(default_factory=list)
    #: How many git processes the build started: constant by design, whatever the history's size.
    git_processes: int = 0
    #: Commit SHA → (author's person key, co-authors' person keys), after identities were merged.
    authorship: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    #: PR number → the commits of its ``refs/pull/N/head`` that no release or HEAD contains, newest first:
    #: a rebase-merged PR's originals, or a PR never merged.
    pull_request_branches: Mapping[int, Sequence[Commit]] = field(default_factory=dict)
    #: PR number → person key of its unmerged branch's head author (``stranger:…`` when unknown).
    pull_request_authors: Mapping[int, str] = field(default_factory=dict)
    #: Per-commit facts of the analysis (see :class:`CommitRow`), and the documentation files' commits and
    #: renames, for per-page authorship (see :mod:`generator.analysis.history.pagehistory`).
    rows: Mapping[str, CommitRow] = field(default_factory=dict)
    page_commits: Mapping[str, Sequence[str]] = field(default_factory=dict)
    page_renames: Mapping[str, Sequence[Sequence[str]]] = field(default_factory=dict)
    #: Patch-ids of the commits that may be copies of each other (see :mod:`generator.analysis.history.patches`).
    patch_ids: Mapping[str, str] = field(default_factory=dict)
