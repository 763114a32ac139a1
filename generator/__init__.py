"""Almanac's library: a model repository in, a knowledge model and Markdown pages out.

The package is laid out as the pipeline a fact travels (see ARCHITECTURE.md)::

    text → model → sources → analysis → build → render → export → cli

Nothing here imports MkDocs outside ``cli``, so the same pages can feed any static-site generator
(``almanac write``); the MkDocs adapter lives in :mod:`site_plugins`, which reaches the library only
through the names below.

The names are imported on first use: importing one module of the package (the MkDocs plugin
does, on every build) must not load all of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: The library: one build, the knowledge it yields, the pages rendered from it.
_LIBRARY = {
    "AlmanacError": "generator.model.errors",
    "Finding": "generator.model.errors",
    "BuildOptions": "generator.build",
    "Built": "generator.build",
    "build_repository": "generator.build",
    "build_knowledge": "generator.build",
    "Commit": "generator.model.knowledge",
    "Knowledge": "generator.model.knowledge",
    "Person": "generator.model.knowledge",
    "Release": "generator.model.knowledge",
    "render_pages": "generator.render.pages",
}
#: What a site adapter (the MkDocs plugin, the ``almanac build`` command's MkDocs runner) needs besides:
#: where the repository is, what changed since the last build, the per-page footers, the files a site
#: imports from the repository, and the escaping every page goes through.
_ADAPTERS = {
    "ATOM_PATH": "generator.render.feeds",
    "AVATAR_HOST": "generator.render.avatars",
    "CommitCache": "generator.sources.git.commitcache",
    "DEFAULT_TAG_PATTERN": "generator.analysis.history.releases",
    "DEMO": "generator.demo",
    "ForgeLinks": "generator.sources.forges.links",
    "GitRunner": "generator.sources.git.repo",
    "JSON_PATH": "generator.render.feeds",
    "SECTIONS": "generator.render.sections",
    "STATIC_ONLY": "generator.render.pages",
    "code_fingerprint": "generator.export.savedresults",
    "commit_progress": "generator.cli.progress",
    "data_dates": "generator.render.pages",
    "escaped_once": "generator.text.safehtml",
    "folder_at_head": "generator.sources.files.repofiles",
    "format_date": "generator.analysis.history.dates",
    "history_files": "generator.sources.git.repo",
    "imported_page_text": "generator.sources.files.repofiles",
    "language_of": "generator.render.i18n",
    "load_rules": "generator.analysis.history.classify",
    "log_safe": "generator.text.clean",
    "navigation": "generator.render.sections",
    "needs_models": "generator.render.sections",
    "open_saved": "generator.export.savedresults",
    "page_history": "generator.analysis.history.pagehistory",
    "plain_line": "generator.text.safetext",
    "publishable": "generator.sources.files.repofiles",
    "refuse_containing": "generator.sources.files.atomic",
    "replaced_folder": "generator.sources.files.atomic",
    "resolve_repo": "generator.demo",
    "sanitise_page": "generator.text.safehtml",
    "where_it_stands": "generator.sources.git.repo",
    "write_package_sources": "generator.sources.files.repofiles",
    "yaml_error_place": "generator.model.errors",
}
_EXPORTS = {**_LIBRARY, **_ADAPTERS}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'generator' has no attribute {name!r}")
