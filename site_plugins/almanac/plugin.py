"""The ``almanac`` MkDocs plugin: a thin adapter that adds Almanac's generated pages as virtual files.

The expensive part (the history walk) is remembered per repository state across ``mkdocs serve``
rebuilds; templates are re-rendered on every build so edits to them show up live.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.changes import ReleaseNotes, annotate_releases
from generator.classify import load_rules
from generator.errors import AlmanacError
from generator.feeds import ATOM_PATH, JSON_PATH, atom_feed, json_feed
from generator.knowledge import BuildOptions, build_knowledge
from generator.locations import resolve_repo
from generator.model import Knowledge
from generator.pages import render_pages
from generator.progress import commit_progress
from site_plugins.almanac.config import AlmanacConfig

log = logging.getLogger("mkdocs.plugins.almanac")

#: Pages about single people or releases stay out of the navigation: MkDocs renders the whole nav into
#: every page, so 2 000 contributors in the nav would make every page of the site 2 000 links heavier.
#: Where hand-written release highlights live in the docs folder: ``releases/highlights/<tag slug>.md``.
HIGHLIGHTS = "releases/highlights"
_NOT_IN_NAV = re.compile(r"^(contributors|releases)/(?!index\.md$)[^/]+\.md$")


class AlmanacPlugin(BasePlugin[AlmanacConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Lives as long as the process, so `mkdocs serve` rebuilds reuse the walk.
        self._knowledge: dict[tuple[Any, ...], Knowledge] = {}
        self._render: tuple[Knowledge, ReleaseNotes] | None = None
        self._repo: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        base_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            repo = self._repo = resolve_repo(self.config.repo, base_dir)
            options = BuildOptions(
                repo=repo,
                cache_dir=base_dir / self.config.cache_dir if self.config.cache_dir else None,
                use_cache=self.config.cache,
                tag_pattern=self.config.tag_pattern,
            )
            knowledge = self._knowledge_for(options)
            rules = load_rules(Path(self.config.changelog_rules) if self.config.changelog_rules else None)
            notes = annotate_releases(knowledge, rules)
        except AlmanacError as error:
            raise PluginError(f"almanac: {error}") from error
        for finding in knowledge.findings:
            (log.info if finding.level == "info" else log.warning)(str(finding))
        log.info(notes.coverage.line())
        self._render = (knowledge, notes)
        return config

    def _knowledge_for(self, options: BuildOptions) -> Knowledge:
        key = (options, *_repo_fingerprint(options.repo))
        if key not in self._knowledge:
            with commit_progress() as on_progress:
                self._knowledge = {key: build_knowledge(options, on_progress)}
        return self._knowledge[key]

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild on template edits and on new commits or tags (the walk then reads only those)."""
        if not self.config.enabled:
            return server
        if self.config.templates_dir:
            server.watch(self.config.templates_dir)
        if self._repo is not None:
            for name in ("HEAD", "refs", "packed-refs"):
                if (self._repo / ".git" / name).exists():
                    server.watch(str(self._repo / ".git" / name))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        prefix = self.config.prefix.strip("/")
        highlights: dict[str, str] = {}
        folder = f"{prefix}/{HIGHLIGHTS}" if prefix else HIGHLIGHTS
        for file in list(files):  # hand-written highlights are merged into release pages, not pages of their own
            if file.src_uri.startswith(f"{folder}/") and file.src_uri.endswith(".md"):
                highlights[file.src_uri[len(folder) + 1 : -3]] = file.content_string
                files.remove(file)
        assert self._render is not None
        knowledge, notes = self._render
        templates = [Path(self.config.templates_dir)] if self.config.templates_dir else []
        try:
            pages = render_pages(knowledge, templates, notes, highlights)
        except AlmanacError as error:
            raise PluginError(f"almanac: {error}") from error
        pages[ATOM_PATH] = atom_feed(knowledge, config.site_url or None, "releases/")
        pages[JSON_PATH] = json_feed(knowledge, config.site_url or None, "releases/")
        for path, markdown in pages.items():
            src_uri = f"{prefix}/{path}" if prefix else path
            if files.get_file_from_path(src_uri) is not None:
                if path == "index.md":
                    src_uri = src_uri.replace("index.md", "overview.md")
                else:
                    log.warning(f"kept your page {src_uri}; Almanac's generated page of that name is not added")
                    continue
            inclusion = InclusionLevel.NOT_IN_NAV if _NOT_IN_NAV.match(path) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, src_uri, content=markdown, inclusion=inclusion))
        return files


def _repo_fingerprint(repo: Path) -> tuple[str, ...]:
    """What changes when the history does: HEAD and the refs, read from files without running git."""
    git_dir = repo / ".git"
    if not git_dir.is_dir():  # a worktree or submodule: no cheap fingerprint, so always re-read (cached)
        return (str(time.monotonic_ns()),)
    parts = []
    for name in ("HEAD", "packed-refs", "shallow"):
        try:
            parts.append((git_dir / name).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            parts.append("")
    refs_dir = git_dir / "refs"
    if refs_dir.is_dir():
        for ref in sorted(refs_dir.rglob("*")):
            if ref.is_file():
                parts.append(f"{ref.relative_to(refs_dir)}={ref.read_text(encoding='utf-8', errors='replace')}")
    return tuple(parts)
