"""The ``almanac`` MkDocs plugin: a thin adapter that adds Almanac's generated pages as virtual files.

The expensive part (the history walk) is remembered per repository state across ``mkdocs serve``
rebuilds; templates are re-rendered on every build so edits to them show up live.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

# Only what every build needs is imported here; pages, feeds and rules load when a build renders pages.
from generator import (
    AlmanacError,
    BuildOptions,
    Built,
    Finding,
    GitRunner,
    Knowledge,
    Person,
    build_repository,
    commit_progress,
    escaped_once,
    folder_at_head,
    format_date,
    history_files,
    imported_page_text,
    language_of,
    navigation,
    needs_models,
    page_history,
    plain_line,
    publishable,
    resolve_repo,
    sanitise_page,
    where_it_stands,
    write_package_sources,
)
from site_plugins.almanac import rendercache
from site_plugins.almanac.config import AlmanacConfig

log = logging.getLogger("mkdocs.plugins.almanac")

#: Pages about single people or releases stay out of the navigation: MkDocs renders the whole nav into
#: every page, so 2 000 contributors in the nav would make every page of the site 2 000 links heavier.
#: Where hand-written release highlights live in the docs folder: ``releases/highlights/<tag slug>.md``.
HIGHLIGHTS = "releases/highlights"
#: The avatar of people without a GitHub account: a local file, so no page asks a third party for it.
AVATAR = "assets/almanac/person.svg"
#: Sorts the contributor tables on click; a few lines of our own rather than a script from a CDN.
TABLESORT = "assets/almanac/tablesort.js"
AVATAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" fill="#9e9e9e"/>'
    '<circle cx="12" cy="9" r="4" fill="#fff"/><path d="M4 22c0-4.4 3.6-7 8-7s8 2.6 8 7z" fill="#fff"/></svg>'
)
_NOT_IN_NAV = re.compile(r"^(contributors|releases)/(?!index\.md$|health\.md$)[^/]+\.md$")


#: The knowledge of the last build, shared by every Almanac plugin of a site (``almanac/releases`` and
#: ``almanac/contributors`` side by side walk the history once) and kept across `mkdocs serve` rebuilds.
_SHARED: dict[tuple[Any, ...], Knowledge] = {}


class AlmanacPlugin(BasePlugin[AlmanacConfig]):
    #: Sections a plugin variant (``almanac/releases``) adds when its ``sections`` option is not set.
    default_sections: tuple[str, ...] | None = None
    #: The copy of the described packages' sources that mkdocstrings reads, made on the first build that needs it.
    _sources: tempfile.TemporaryDirectory[str] | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Lives as long as the process, so `mkdocs serve` rebuilds reuse the walk.
        self._knowledge: dict[tuple[Any, ...], Knowledge] = _SHARED
        self._serving = command == "serve"
        if not self._serving:  # a build walks afresh; only its variants share the walk
            _SHARED.clear()
        #: This build's knowledge and analyses, and whether its pages are generated (the ``pages`` option).
        self._render: tuple[Built, bool] | None = None
        self._render_cache: rendercache.Opened | None = None
        self._repo: Path | None = None
        self._pages: dict[str, tuple[str, Any]] = {}
        self._files = Files([])
        #: The docs folder's place in the described repository (``docs/``, or ``""`` at its root);
        #: None when the docs live elsewhere.
        self._docs_folder: str | None = None

    def on_shutdown(self) -> None:
        """The copy of the packages' sources griffe read (see :meth:`_point_mkdocstrings_at`) goes with the build."""
        if self._sources is not None:
            self._sources.cleanup()
            self._sources = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self._active:
            return None
        base_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            repo = self._repo = resolve_repo(self.config.repo, base_dir)
            self._docs_folder = _folder_in(Path(config.docs_dir), repo)
            wanted = _sections_of_site(config, self)
            options = BuildOptions(
                repo=repo,
                cache_dir=base_dir / self.config.cache_dir if self.config.cache_dir else None,
                use_cache=self.config.cache,
                tag_pattern=self.config.tag_pattern,
                describe_models=needs_models(wanted),
                read_forge=bool(wanted),
                forge_dir=base_dir / self.config.forge_dir if self.config.forge_dir else None,
                resources_file=_resources_file(self.config.resources, base_dir, Path(config.docs_dir)),
            )
            self._options = options
            knowledge = self._knowledge_for(options)
            # The walk is kept across `serve` rebuilds; what follows from it (release notes with this build's
            # rules first) is computed afresh for each build, when the pages ask for it.
            rules = None
            if self.config.pages:  # release notes are only needed by the generated pages (rules imported then)
                from generator import load_rules

                rules = load_rules(Path(self.config.changelog_rules) if self.config.changelog_rules else None)
            built = Built(knowledge, rules)
            coverage = built.notes.coverage.line() if self.config.pages else ""
        except AlmanacError as error:
            raise PluginError(f"almanac: {error}") from error
        _log(knowledge.findings)
        self._api_reference = self._wants_api_reference(config, [name for name, _ in knowledge.python_packages])
        self._authors_from = self._other_authorship(config)
        if self.config.pages:
            log.info(coverage)
            if self._api_reference:
                self._point_mkdocstrings_at(config, knowledge)
            if TABLESORT not in config.extra_javascript:
                config.extra_javascript.append(TABLESORT)
        self._render = (built, self.config.pages)
        _link_the_forge(config, knowledge, self._docs_folder)
        return config

    def _knowledge_for(self, options: BuildOptions) -> Knowledge:
        # Reading every loose ref to tell a rebuild from the last one cost 0.9 s on ollama/ollama's 8k PR refs: only
        # `serve` keeps a walk from one build to the next.
        key = (options, *_repo_fingerprint(options.repo)) if self._serving else (options,)
        if key not in self._knowledge:
            with commit_progress() as on_progress:
                knowledge = build_repository(options, on_progress=on_progress).knowledge
            self._knowledge.clear()  # one repository state at a time: a new HEAD replaces the old walk
            self._knowledge[key] = knowledge
        return self._knowledge[key]

    def _wants_api_reference(self, config: MkDocsConfig, packages: list[str]) -> bool:
        """Whether to add the reference pages of ``packages``: with mkdocstrings, unless the site documents
        them itself (see the ``api_reference`` option); says so in one line when it does and the option is unset."""
        if "mkdocstrings" not in config.plugins or "reference" not in self.config.sections or not self.config.pages:
            return False
        if self.config.api_reference is not None:
            return bool(self.config.api_reference)
        own = _own_api_reference(config, packages)
        if own is not None:
            log.info(f"almanac: the site has its own API reference ({own}): Almanac adds none "
                     "(api_reference: true adds it anyway)")
        return own is None

    def _other_authorship(self, config: MkDocsConfig) -> str | None:
        """The enabled plugin that fills the footer's page authors instead of Almanac, if any; one line
        says which plugin gives them when another authorship plugin is listed."""
        if not self.config.page_authorship:
            return None
        listed = [(name, _enabled(config.plugins[name])) for name in AUTHORSHIP_PLUGINS if name in config.plugins]
        enabled = next((name for name, on in listed if on), None)
        if enabled is not None:
            log.info(f"almanac: page authors come from the {enabled} plugin; Almanac adds only the dates "
                     f"the site lacks (page_authorship: false turns Almanac's footer off)")
        elif listed:
            log.info(f"almanac: the {listed[0][0]} plugin is disabled: page authors come from Almanac")
        return enabled

    def _point_mkdocstrings_at(self, config: MkDocsConfig, knowledge: Knowledge) -> None:
        """Tell mkdocstrings' Python handler where the repository's packages are, ahead of any paths the
        site already gives it, and have griffe read them statically only.

        Griffe reads a copy of the packages' committed sources (see
        :func:`generator.sources.files.repofiles.write_package_sources`), not the work tree, where a committed link
        would lead it out of the repository. And griffe imports ("inspects") a module it cannot read as source: a
        compiled extension's constructor runs when it is loaded. So inspection is off unless the site's own
        config turns it on (Almanac's reference pages turn it off in their directives whatever the site says)."""
        plugin = config.plugins.get("mkdocstrings")
        if plugin is None or not knowledge.python_packages:
            return
        if self._sources is None:  # one folder for the process: serve rebuilds refill it
            self._sources = tempfile.TemporaryDirectory(prefix="almanac-sources-")
        copy = Path(self._sources.name) / "packages"
        shutil.rmtree(copy, ignore_errors=True)
        try:
            folders = write_package_sources(Path(knowledge.state.root), knowledge.python_packages, copy)
        except AlmanacError as error:
            raise PluginError(f"almanac: {error}") from error
        handlers = plugin.config["handlers"]  # the dict mkdocstrings reads when it first needs the handler
        python = handlers.setdefault("python", {})
        first = [str(folder) for folder in folders]  # the same folders on every rebuild of one process
        python["paths"] = [*first, *(path for path in python.get("paths", ["."]) if path not in first)]
        options = python.setdefault("options", {})
        from generator import STATIC_ONLY

        for option in STATIC_ONLY:
            options.setdefault(option, False)

    @property
    def _active(self) -> bool:
        return bool(self.config.enabled) and (self.config.enabled_on_serve or not getattr(self, "_serving", False))

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        """A variant (``almanac/releases``) adds only its own section unless the site lists sections."""
        if self.default_sections is not None and "sections" not in options:
            options = {**options, "sections": list(self.default_sections)}
        return super().load_config(options, config_file_path)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild on template edits and on new commits or tags (the walk then reads only those)."""
        if not self._active:
            return server
        if self.config.templates_dir:
            server.watch(self.config.templates_dir)
        if self._repo is not None:
            for path in history_files(GitRunner(self._repo)):
                server.watch(str(path))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self._active:
            return None
        assert self._render is not None
        built, pages_wanted = self._render
        self._pages = {}  # src_uri → ("repo", repository path) or ("data", (timestamp, offset))
        curated = files.get_file_from_path("resources.yml")
        if curated is not None and not self.config.resources:  # data for the Learn page, not a page
            files.remove(curated)
        self._generated: set[str] = set()
        findings: list[Finding] = []
        imports = publishable(folder_at_head(self._repo, self.config.import_docs, findings), findings) \
            if self.config.import_docs and self._repo is not None else {}
        if pages_wanted:
            self._add_generated_pages(files, config, built,
                                      [path for path in imports if path.endswith((".md", ".markdown"))])
            if files.get_file_from_path(TABLESORT) is None:  # one copy when several Almanac plugins run
                script = resources.files("site_plugins.almanac").joinpath("assets/tablesort.js").read_text("utf-8")
                files.append(File.generated(config, TABLESORT, content=script))
        self._imported: set[str] = set()
        if imports:
            for path, content in imports.items():
                src_uri = self._under_prefix(f"model/{path}")
                if files.get_file_from_path(src_uri) is not None:
                    continue
                page_text = imported_page_text(path, content, findings)
                files.append(File.generated(config, src_uri, content=content if page_text is None else page_text))
                self._pages[src_uri] = ("repo", path)
                if page_text is not None:
                    self._imported.add(src_uri)
        for finding in findings:
            log.warning(str(finding))
        if files.get_file_from_path(AVATAR) is None:
            files.append(File.generated(config, AVATAR, content=AVATAR_SVG))
        self._files = files
        return files

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every plugin has added its pages and MkDocs is about to convert them. What remains of Almanac's
        work (the footers' dates and authors) needs no commit message or file list: a build lets them go
        (git/git: 82k commits); `serve` keeps them for its next rebuild. Pages converted as in the last
        build are taken from the render cache (see :mod:`site_plugins.almanac.rendercache`)."""
        if self._render is None:
            return nav
        knowledge = self._render[0].knowledge
        if not self._serving:
            self._render = (Built(replace(knowledge, commits={})), False)
            _SHARED.clear()
        if self._active and self.config.cache and self.config.pages:
            self._render_cache = rendercache.open_for(config, files, self._options, Path(knowledge.state.root))
        return nav

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Keep this build's conversions (and only them) for the next build."""
        self._close_render_cache(keep=True)

    def on_build_error(self, *, error: Exception) -> None:
        self._close_render_cache(keep=False)

    def _close_render_cache(self, *, keep: bool) -> None:
        opened, self._render_cache = self._render_cache, None
        if opened is not None:
            rendercache.close(opened, keep=keep)

    def _add_generated_pages(self, files: Files, config: MkDocsConfig, built: Built, imported: list[str]) -> None:
        from generator import ATOM_PATH, AVATAR_HOST, data_dates, render_pages

        highlights: dict[str, str] = {}
        folder = self._under_prefix(HIGHLIGHTS)
        for file in list(files):  # hand-written highlights are merged into release pages, not pages of their own
            if file.src_uri.startswith(f"{folder}/") and file.src_uri.endswith(".md"):
                highlights[file.src_uri[len(folder) + 1 : -3]] = file.content_string
                files.remove(file)
        templates = [Path(self.config.templates_dir)] if self.config.templates_dir else []
        try:
            language = language_of(self.config.language or config.theme.get("language"))
            pages = render_pages(built, templates, highlights, api_reference=getattr(self, "_api_reference", False),
                                 language=language, imported=imported, sections=self.config.sections, feeds=True,
                                 site_url=config.site_url or None,
                                 remote_avatars=AVATAR_HOST in self.config.image_hosts)
        except AlmanacError as error:
            raise PluginError(f"almanac: {error}") from error
        if ATOM_PATH in pages and not config.site_url:
            log.info("no site_url: the release feeds link to their pages by relative addresses, which some "
                     "feed readers cannot resolve; set site_url for absolute links")
        if built.knowledge.resources is not None and "onboarding" in self.config.sections:
            _log(built.guide_findings)
        dates = data_dates(built.knowledge)
        for path, markdown in pages.items():
            src_uri = self._under_prefix(path)
            if files.get_file_from_path(src_uri) is not None:
                if path == "index.md":
                    src_uri = src_uri.replace("index.md", "overview.md")
                else:
                    log.warning(f"kept your page {src_uri}; Almanac's generated page of that name is not added")
                    continue
            inclusion = InclusionLevel.NOT_IN_NAV if _NOT_IN_NAV.match(path) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, src_uri, content=markdown, inclusion=inclusion))
            self._generated.add(src_uri)
            if path in dates:
                self._pages[src_uri] = ("data", dates[path])
        if self.config.nav_section and isinstance(config.nav, list):
            _add_nav_section(config.nav, self.config.nav_section, list(pages), self._under_prefix)

    @event_priority(50)  # before mkdocs-macros (default priority 0), which renders a page's Markdown as Jinja
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Almanac's and imported pages are strangers' text, which no templating plugin may render. Their
        ``{{`` is broken already, but mkdocs-macros can be given other delimiters (``[[ ]]``) that no
        escaping foresees; ``render_macros: false`` in a page's metadata stops it whatever they are."""
        uri = page.file.src_uri
        if self._active and (uri in getattr(self, "_imported", ()) or uri in getattr(self, "_generated", ())):
            page.meta["render_macros"] = False
        return None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Titles of Almanac's pages come from strangers (a person's name, a tag, an imported page's
        front matter) and MkDocs and the theme print page titles unescaped: they are escaped here, once
        (a title from a heading is HTML text already, an imported page's front-matter title was escaped
        when it was read). Pages imported from the repository are strangers' text as a whole: cleaned."""
        uri = page.file.src_uri
        imported = uri in getattr(self, "_imported", ())
        if not self._active or not (imported or uri in getattr(self, "_generated", ())):
            return html
        title = page.meta.get("title") if isinstance(page.meta.get("title"), str) else page.title
        if title:
            # In the metadata too: the theme prints a page's own title in <title> through ``striptags``,
            # which turns entities back into markup, unless the page's metadata has a title.
            page.meta["title"] = page.title = escaped_once(title)
        # An API reference page is the repository's docstrings, rendered by mkdocstrings: strangers' text.
        reference = uri.startswith(self._under_prefix("reference/"))
        return sanitise_page(html, frozenset(self.config.image_hosts)) if imported or reference else html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        """Every page names the release feeds in its head (``<link rel="alternate">``), so a browser or feed
        reader finds them from any page of the site."""
        if not self._active or "releases" not in self.config.sections or "</head>" not in output:
            return output
        return output.replace("</head>", _feed_links(self._files, self._under_prefix, page, config) + "</head>", 1)

    @event_priority(-100)  # after the other plugins: git-committers empties `committers` even when disabled
    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """Fill mkdocs-material's footer slots: the revision and creation dates, and the contributors as
        avatars linked to their Almanac pages (other plugins' values, if any, are kept; an enabled
        git-committers or git-authors gives the authors, see :meth:`_other_authorship`)."""
        if not self._active or not self.config.page_authorship or self._render is None:
            return context
        knowledge = self._render[0].knowledge
        kind, value = self._pages.get(page.file.src_uri, ("repo", self._repository_path(page, config)))
        if kind == "data":
            timestamp, offset = value
            page.meta.setdefault("git_revision_date_localized", format_date(timestamp, offset))
            return context
        history = page_history(value, knowledge.page_commits, knowledge.page_renames, knowledge.rows) if value else None
        if history is None:
            return context
        page.meta.setdefault("git_revision_date_localized", format_date(history.updated, history.updated_offset))
        page.meta.setdefault("git_creation_date_localized", format_date(history.created, history.created_offset))
        if not context.get("committers") and getattr(self, "_authors_from", None) is None:
            people = [knowledge.people[key] for key in history.contributors
                      if key in knowledge.people and knowledge.people[key].listed]
            # material draws four avatars and counts the rest: only those four need links.
            avatar = self._files.src_uris.get(AVATAR)
            default_avatar = get_relative_url(avatar.url, page.url) if avatar else ""
            context["committers"] = [self._committer(person, page, default_avatar) for person in people[:4]] \
                + [{}] * len(people[4:])
        return context

    def _repository_path(self, page: Page, config: MkDocsConfig) -> str | None:
        """The page's file relative to the described repository, when it lives inside it."""
        if self._docs_folder is None or page.file.generated_by is not None:
            return None
        return f"{self._docs_folder}{page.file.src_uri}"

    def _under_prefix(self, path: str) -> str:
        """Where a generated file goes in the docs tree: under the ``prefix`` option's folder, if any."""
        prefix = self.config.prefix.strip("/")
        return f"{prefix}/{path}" if prefix else path

    def _committer(self, person: Person, page: Page, default_avatar: str) -> dict[str, str]:
        """One avatar in material's contributors slot; names go through ``escape`` (the theme does not)."""
        target = self._files.src_uris.get(self._under_prefix(f"contributors/{person.slug}.md"))
        name = str(escape(plain_line(person.name)))
        return {
            "name": name,
            "login": name,
            "url": get_relative_url(target.url, page.url) if target else person.profile_url or "",
            "avatar": person.avatar_url or default_avatar,
        }


def _log(findings: list[Finding]) -> None:
    """Findings on MkDocs' logger, so that ``mkdocs build --strict`` counts the warnings."""
    for finding in findings:
        (log.info if finding.level == "info" else log.warning)(str(finding))


def _feed_links(files: Files, under: Callable[[str], str], page: Page, config: MkDocsConfig) -> str:
    """The ``<link rel="alternate">`` tags of the feeds this build adds: absolute with a ``site_url``."""
    from generator import ATOM_PATH, JSON_PATH

    tags = []
    for path, kind, label in ((ATOM_PATH, "application/atom+xml", "Releases (Atom)"),
                              (JSON_PATH, "application/feed+json", "Releases (JSON Feed)")):
        file = files.get_file_from_path(under(path))
        if file is None or file.generated_by is None:  # only feeds Almanac wrote
            continue
        site = config.site_url
        href = f"{site.rstrip('/')}/{file.url}" if site else get_relative_url(file.url, page.url)
        tags.append(f'<link rel="alternate" type="{kind}" title="{label}" href="{escape(href)}">')
    return "".join(tags)


def _link_the_forge(config: MkDocsConfig, knowledge: Knowledge, docs_folder: str | None) -> None:
    """The header's repository link and the pages' edit links, from the ``origin`` remote, when the site sets
    no ``repo_url``: edit links only when the docs live in the described repository on a known branch
    (generated pages never get one: MkDocs gives no edit link to a generated file)."""
    from generator import ForgeLinks

    links = ForgeLinks.of(knowledge.clone_url)
    if config.repo_url or links is None:
        return
    config.repo_url = links.base
    config.repo_name = config.repo_name or links.name
    if not config.edit_uri and not config.edit_uri_template:
        edit = links.edit_uri(knowledge.state.branch, docs_folder) if docs_folder is not None else None
        config.edit_uri = edit or ""


#: Plugins that give mkdocs-material's footer its page authors: mkdocs-git-committers-plugin-2 (the
#: ``committers`` of the page context) and mkdocs-git-authors-plugin (``git_info``).
AUTHORSHIP_PLUGINS = ("git-committers", "git-authors")
#: A line of mkdocstrings' autodoc syntax, ``::: package.module``, outside any indentation: its package.
_AUTODOC = re.compile(r"^:::[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def _enabled(plugin: Any) -> bool:
    """A plugin's own ``enabled`` option (both authorship plugins have one); True without it."""
    config = getattr(plugin, "config", None)
    return bool(config.get("enabled", True)) if config is not None and hasattr(config, "get") else True


def _own_api_reference(config: MkDocsConfig, packages: list[str]) -> str | None:
    """What shows that the site documents the described ``packages`` itself: a ``gen-files`` plugin (the
    usual recipe makes the reference pages with it, after Almanac may have run), or a page of the docs
    folder with a ``:::`` directive naming one of them (the same object documented twice is what makes
    mkdocs-autorefs warn; a site documenting other code, as Almanac's own does, keeps Almanac's pages)."""
    if not packages:
        return None
    if "gen-files" in config.plugins:
        return "the gen-files plugin"
    docs, wanted = Path(config.docs_dir), set(packages)
    for path in sorted(docs.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if ":::" in text and not wanted.isdisjoint(_AUTODOC.findall(text)):
            return f"::: in {path.relative_to(docs).as_posix()}"
    return None


def _sections_of_site(config: MkDocsConfig, plugin: AlmanacPlugin) -> set[str]:
    """The page groups that ``plugin`` and every other active Almanac plugin of the site add: they share one
    reading of the repository (``_SHARED``), which must serve them all."""
    plugins = [plugin, *(other for other in config.plugins.values() if isinstance(other, AlmanacPlugin)
                         and other._active)]
    return {section for each in plugins if each.config.pages for section in each.config.sections}


def _folder_in(docs_dir: Path, repo: Path) -> str | None:
    try:
        place = docs_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return None
    return "" if place == "." else place + "/"


def _repo_fingerprint(repo: Path) -> tuple[str, ...]:
    """What changes when the history does (HEAD, shallowness, the refs), asked of git: linked work trees
    and submodules too, which the files of ``.git`` alone could not tell; a folder git cannot read is never
    taken for the last one (its fingerprint is this moment)."""
    stands = where_it_stands(GitRunner(repo))
    return (str(time.monotonic_ns()),) if stands is None else (str(stands[0]), stands[1].hex())


def _resources_file(option: str | None, base_dir: Path, docs_dir: Path) -> Path | None:
    """The curated resources file: the option (relative to mkdocs.yml), else the docs folder's resources.yml."""
    if option:
        return base_dir / option
    default = docs_dir / "resources.yml"
    return default if default.is_file() else None


def _add_nav_section(nav: list[Any], title: str, generated: list[str], under: Callable[[str], str]) -> None:
    """Put the generated pages under ``title`` in a site's own nav (merged when several plugins add).

    ``generated`` are the pages' paths before ``under`` (the ``prefix`` option) places them.
    """
    entries: list[Any] = [{label: under(target) if isinstance(target, str) else [under(path) for path in target]
                           for label, target in entry.items()} for entry in navigation(set(generated))]
    section = next((item for item in nav if isinstance(item, dict) and title in item), None)
    if section is None:
        nav.append({title: entries})
    else:
        known = {str(entry) for entry in section[title]}
        section[title].extend(entry for entry in entries if str(entry) not in known)
