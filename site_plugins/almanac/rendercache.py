"""MkDocs' Markdown pass skipped for a generated page whose Markdown it converted before.

After one new commit nearly every generated page has the Markdown it had: a release's notes, a
contributor's page. MkDocs converts each page's Markdown to HTML on every build, a third of a site
build (ollama/ollama: 10 of 29 s). :meth:`Page.render` is a function of the page's Markdown and place,
the Markdown extensions and their settings, the link-validation settings and the answers to the look-ups
of the files its links lead to (a link to no file is a warning). Given the same digest of the first ones
and the same answers to the same look-ups, the saved HTML, table of contents, title, anchors and
warnings are what converting again would give.

Only Almanac's generated pages are kept, and never when a plugin converts Markdown with effects beyond
the page (mkdocstrings and autorefs record every heading of every page while converting), nor when
the settings cannot be digested the same way in two processes (an extension given as an object).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mkdocs
import orjson
from markdown import __version__ as markdown_version
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from generator import code_fingerprint, open_saved

if TYPE_CHECKING:
    from generator import BuildOptions, CommitCache

log = logging.getLogger("mkdocs.plugins.almanac")

#: Plugins that convert Markdown with effects beyond the page: with one of them the cache stays off.
CONVERTING_PLUGINS = frozenset({"mkdocstrings", "autorefs"})

_original_render = Page.render
#: The cache of the build under way, if any (the patched :meth:`Page.render` asks it).
_current: RenderCache | None = None


@dataclass(slots=True)
class Opened:
    """A build's render cache and the commit cache that keeps it."""

    cache: RenderCache
    store: CommitCache


def open_for(config: MkDocsConfig, files: Files, options: BuildOptions, root: Path) -> Opened | None:
    """The render cache of this build's generated pages (those of every Almanac plugin of the site), or
    None: already opened by another Almanac plugin, a plugin that converts with effects beyond the page,
    settings that cannot be digested, or no usable commit cache."""
    if _current is not None or CONVERTING_PLUGINS & set(config.plugins):
        return None
    pages = {file.src_uri for file in files if file.is_documentation_page()
             and (file.generated_by or "").partition("/")[0] == "almanac"}
    key = site_key(config, code_fingerprint()) if pages else None
    store = open_saved(root, options) if key is not None else None
    if key is None or store is None:
        return None
    opened = Opened(RenderCache(key, pages, store.rendered_page), store)
    activate(opened.cache)
    return opened


def close(opened: Opened, *, keep: bool) -> None:
    """Stop routing conversions through the cache; ``keep`` this build's conversions for the next one."""
    activate(None)
    log.info(f"almanac: {opened.cache.reused} of {len(opened.cache.entries)} generated pages converted as in the "
             "last build (Markdown unchanged): their saved HTML reused")
    try:
        if keep:
            opened.store.store_rendered_pages(opened.cache.entries)
    finally:
        opened.store.close()


class RenderCache:
    """Saved conversions of one build's generated pages, keyed by the digest of what each depends on."""

    def __init__(self, site_key: str, pages: set[str], lookup: Callable[[str], bytes | None]) -> None:
        self.site_key = site_key
        self.pages = pages
        self._lookup = lookup
        #: key → saved conversion, for every page of this build (new or reused): what the store keeps.
        self.entries: dict[str, bytes] = {}
        self.reused = 0

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        place = f"{page.file.src_uri}\0{page.file.url}\0{page.file.dest_uri}"
        key = hashlib.sha256(f"{self.site_key}\0{place}\0{page.markdown}".encode("utf-8", "surrogatepass")).hexdigest()
        saved = self._lookup(key)
        if saved is not None and self._reused(page, files, saved):
            self.entries[key] = saved
            self.reused += 1
            return
        recorder = _Recorder(files)
        with _captured_warnings() as warnings:
            _original_render(page, config, recorder)  # type: ignore[arg-type]
        self.entries[key] = orjson.dumps(_saved(page, warnings, recorder.lookups))


    @staticmethod
    def _reused(page: Page, files: Files, saved: bytes) -> bool:
        """Give ``page`` its saved conversion if every look-up it made answers as it did; a damaged entry
        is converted again."""
        try:
            entry = orjson.loads(saved)
            if not all(_answer(files, path) == answer for path, answer in entry["lookups"]):
                return False
            _restore(page, files, entry)
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, IndexError):
            return False
        return True


class _Recorder:
    """The site's files as a page's conversion sees them, noting each look-up: the links a page resolves
    (and those it cannot) are all a conversion reads of the other files, so the saved HTML holds while
    each look-up gives what it gave."""

    def __init__(self, files: Files) -> None:
        self._files = files
        self.lookups: list[tuple[str, list[str] | None]] = []

    def get_file_from_path(self, path: str) -> File | None:
        found = self._files.get_file_from_path(path)
        self.lookups.append((path, _answer(self._files, path)))
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def _answer(files: Files, path: str) -> list[str] | None:
    found = files.get_file_from_path(path)
    return None if found is None else [found.src_uri, found.url, found.dest_uri]


def site_key(config: MkDocsConfig, code: str) -> str | None:
    """The digest of what every page's conversion depends on besides its Markdown and the files its links
    lead to, or None when the settings hold something that cannot be digested alike in two processes."""
    try:
        settings = _stable([config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"],
                            config["validation"]])
    except _Unstable:
        return None
    return hashlib.sha256(json.dumps([settings, mkdocs.__version__, markdown_version, code],
                                     ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def activate(cache: RenderCache | None) -> None:
    """Route the generated pages' conversions through ``cache`` (None: MkDocs converts every page)."""
    global _current
    _current = cache
    Page.render = _render if cache is not None else _original_render  # type: ignore[method-assign,assignment]


def _render(page: Page, config: MkDocsConfig, files: Files) -> None:
    cache = _current
    if cache is None or page.file.src_uri not in cache.pages:
        _original_render(page, config, files)
    else:
        cache.render(page, config, files)


class _Unstable(Exception):
    """A setting whose digest would differ from process to process (an object, a lambda)."""


def _stable(value: Any) -> Any:
    """``value`` as JSON-ready data that is the same in every process (see :class:`_Unstable`)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):  # MkDocs' sub-configs (validation.links…) are mappings too
        return {str(key): _stable(item) for key, item in sorted(value.items(), key=lambda pair: str(pair[0]))}
    if isinstance(value, (list, tuple)):
        return [_stable(item) for item in value]
    if isinstance(value, functools.partial):
        return ["partial", _stable(value.func), _stable(list(value.args)), _stable(value.keywords)]
    name = getattr(value, "__qualname__", "")
    if callable(value) and getattr(value, "__module__", None) and name and "<" not in name:
        return f"{value.__module__}.{name}"
    raise _Unstable(type(value).__name__)


@contextmanager
def _captured_warnings() -> Iterator[list[tuple[str, int, str]]]:
    """The records MkDocs and Markdown log while one page converts (a link to no file…), to log again
    when the saved conversion is reused."""
    records: list[tuple[str, int, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.name, record.levelno, record.getMessage()))

    handler = Keep(logging.DEBUG)
    loggers = [logging.getLogger("mkdocs"), logging.getLogger("MARKDOWN")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _saved(page: Page, warnings: list[tuple[str, int, str]], lookups: list[tuple[str, list[str] | None]]
           ) -> dict[str, Any]:
    links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
    return {"content": page.content, "toc": [_anchor(item) for item in page.toc.items],
            "title": page._title_from_render, "anchors": sorted(page.present_anchor_ids or ()),
            "links": links if page.links_to_anchors is not None else None, "warnings": warnings,
            "lookups": lookups}


def _anchor(item: AnchorLink) -> list[Any]:
    return [item.title, item.id, item.level, [_anchor(child) for child in item.children]]


def _link(entry: list[Any]) -> AnchorLink:
    link = AnchorLink(entry[0], entry[1], entry[2])
    link.children = [_link(child) for child in entry[3]]
    return link


def _restore(page: Page, files: Files, saved: dict[str, Any]) -> None:
    page.content = saved["content"]
    page.toc = TableOfContents([_link(entry) for entry in saved["toc"]])
    page._title_from_render = saved["title"]
    page.present_anchor_ids = set(saved["anchors"])
    if saved["links"] is not None:
        page.links_to_anchors = {file: anchors for src_uri, anchors in saved["links"].items()
                                 if (file := files.get_file_from_path(src_uri)) is not None}
    for name, level, message in saved["warnings"]:
        logging.getLogger(name).log(level, message)
