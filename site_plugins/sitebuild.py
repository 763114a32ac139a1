"""Building and serving a site with MkDocs for the ``almanac`` command line.

This is the only place the CLI meets MkDocs; the generator itself never imports it, so Almanac's pages
can move to another site generator (``almanac write``) without MkDocs installed.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException
from mkdocs.utils.yaml import get_yaml_loader

from generator.atomic import refuse_containing, replaced_folder
from generator.errors import AlmanacError, yaml_error_place
from generator.text import log_safe

#: Material's default separator plus the zero-width space its jieba segmentation inserts between
#: Chinese words: without it, Chinese text is indexed as one long token and cannot be searched.
SEARCH_SEPARATOR = r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'


def default_config(site_name: str, repo: Path, docs_dir: Path, *, use_cache: bool = True) -> dict[str, Any]:
    """What a repository without its own ``mkdocs.yml`` gets: Material, bilingual search, all pages."""
    from pymdownx.slugs import slugify

    return {
        "site_name": site_name,
        "docs_dir": str(docs_dir),
        "theme": {
            "name": "material",
            "features": [
                "navigation.sections",
                "navigation.indexes",
                "navigation.top",
                "search.highlight",
                "content.code.copy",
            ],
        },
        "plugins": [
            {"search": {"lang": ["en", "zh"], "separator": SEARCH_SEPARATOR}},
            "tags",  # the model card's licence, size and modality tags
            {"almanac": {"repo": str(repo), **_cache_option(use_cache)}},
        ],
        # Headings keep their Chinese (or any) letters in their ids: stable anchors, not "_1", "_2".
        "markdown_extensions": ["admonition", "pymdownx.details", "attr_list", "tables",
                                {"toc": {"permalink": True, "slugify": slugify(case="lower")}}],
    }


def find_config(repo: str | None, config_file: Path | None, *, trust_repo_config: bool | None = None) -> Path | None:
    """An explicit config wins; then the target repository's ``mkdocs.yml`` (the current folder's without
    ``repo``) if it is trusted (see :func:`_trusts`); else none, and Almanac's default config is used."""
    if config_file is not None:
        if not config_file.is_file():
            raise AlmanacError(f"{config_file}: no such config file")
        return config_file
    found = _repo_config(repo)
    if found is None or _trusts(found.parent, trust_repo_config):
        return found
    print(f"almanac: ignored {found}: a repository's mkdocs.yml can run code (hooks, plugins, !!python tags); "
          "pass --trust-repo-config to use it", file=sys.stderr)
    return None


def _repo_config(repo: str | None) -> Path | None:
    """The ``mkdocs.yml`` of the repository ``--repo`` names (of the current folder without one; the demo has none)."""
    folder = Path(repo) if repo and repo != "demo" else Path.cwd() if repo is None else None
    return folder / "mkdocs.yml" if folder is not None and (folder / "mkdocs.yml").is_file() else None


def _trusts(folder: Path, choice: bool | None) -> bool:
    """The user's choice; without one, the current project's config is used and another repository's is not:
    MkDocs runs what a config names (hooks, plugins from its folder, ``!!python/…`` tags, ``INHERIT``), so
    building a stranger's clone with its own ``mkdocs.yml`` would run the stranger's code."""
    if choice is not None:
        return choice
    folder, here = folder.resolve(), Path.cwd().resolve()
    # Only the current folder or the root of its repository: a folder below it without `.git` of its own
    # (a model downloaded into the project, a vendored copy) is as much a stranger's as a nested clone.
    return folder in (here, _repository_root(here))


def _repository_root(folder: Path) -> Path:
    """The git repository a folder belongs to (a clone or submodule inside a project is its own), else itself."""
    folder = folder.resolve()
    return next((path for path in (folder, *folder.parents) if (path / ".git").exists()), folder)


def _cache_option(use_cache: bool) -> dict[str, Any]:
    """The almanac plugin's options for ``--no-cache`` (none otherwise: the site's own setting stands)."""
    return {} if use_cache else {"cache": False}


def _is_almanac(name: str) -> bool:
    """Whether a plugin name is Almanac's: the plugin, or one of its capabilities (``almanac/releases``…)."""
    return name == "almanac" or name.startswith("almanac/")


def _plugins_with_almanac(config_file: Path, repo: str | None, *, use_cache: bool = True) -> list[Any]:
    """The config's plugin list with ``almanac`` added unless it has it or one of its capabilities
    (``almanac/releases``…), each pointed at ``repo`` when one was given (and its cache off without
    ``use_cache``)."""
    try:
        with config_file.open(encoding="utf-8") as stream:
            raw = yaml.load(stream, Loader=get_yaml_loader()) or {}
    except yaml.YAMLError as error:
        where = yaml_error_place(error, str(config_file))
        raise AlmanacError(f"{where}: not valid YAML ({getattr(error, 'problem', error)})") from error
    plugins = raw.get("plugins", ["search"]) if isinstance(raw, dict) else ["search"]
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    # --repo is relative to where the command runs, the config's own `repo:` to mkdocs.yml: make it absolute.
    target = None if repo is None else repo if repo == "demo" else str(Path(repo).resolve())
    result: list[Any] = []
    found = False
    for entry in plugins:
        name = entry if isinstance(entry, str) else next(iter(entry), "")
        if _is_almanac(name):
            found = True
            options = dict(entry[name] or {}) if isinstance(entry, dict) else {}
            if target is not None:
                options["repo"] = target
            entry = {name: {**options, **_cache_option(use_cache)}}
        result.append(entry)
    if not found:  # without `repo`, the plugin describes the repository that contains mkdocs.yml
        result.append({"almanac": {**({"repo": target} if target is not None else {}), **_cache_option(use_cache)}})
    return result


@contextmanager
def _config_path(
    repo: str | None, config_file: Path | None, trust_repo_config: bool | None = None, use_cache: bool = True
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The config file to load and the overrides to apply; synthesised in a temporary folder if needed."""
    found = find_config(repo, config_file, trust_repo_config=trust_repo_config)
    if found is not None:
        yield found, {"plugins": _plugins_with_almanac(found, repo, use_cache=use_cache)}
        return
    from generator.locations import resolve_repo

    # Without --repo, an ignored ./mkdocs.yml leaves its folder to describe; with no config at all, the demo.
    spec = repo or ("." if _repo_config(None) is not None else "demo")
    target = resolve_repo(spec, Path.cwd()).resolve()
    with tempfile.TemporaryDirectory(prefix="almanac-config-") as folder:
        docs = Path(folder) / "docs"
        docs.mkdir()
        path = Path(folder) / "mkdocs.yml"
        name = "Lumen (Almanac demo)" if spec == "demo" else target.name
        config = default_config(name, target, docs, use_cache=use_cache)
        extensions = config.pop("markdown_extensions")  # holds a function: given to MkDocs directly
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        yield path, {"markdown_extensions": extensions}


class _StderrHandler(logging.Handler):
    """Shows MkDocs' info and warnings one line each, as its own CLI does; errors are kept, not shown,
    so that the CLI can print the cause once instead of MkDocs' generic "Aborted with a BuildError"."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        self.last_error: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.last_error = record.getMessage()
            return
        # The current stderr, even if it was swapped; messages quote names and paths from strangers.
        print(log_safe(self.format(record)), file=sys.stderr)


@contextmanager
def _mkdocs_logging() -> Iterator[_StderrHandler]:
    logger = logging.getLogger("mkdocs")
    handler = _StderrHandler()
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def build_site(*, repo: str | None, config_file: Path | None, site_dir: Path, strict: bool, force: bool = False,
               use_cache: bool = True, trust_repo_config: bool | None = None) -> Path:
    """Build into a temporary folder and swap it in whole; a failure leaves the previous site as it was.

    ``site_dir`` is replaced only under the rules of :func:`generator.atomic.replaced_folder` (a folder
    Almanac marked as its own, or ``force``), never the described repository."""
    described = [Path(repo)] if repo and repo != "demo" else []
    with (
        _mkdocs_logging() as log,
        _config_path(repo, config_file, trust_repo_config, use_cache) as (path, overrides),
        replaced_folder(site_dir, made_by="almanac build", force=force, protected=described) as staging,
    ):
        try:
            config = load_config(config_file=str(path), site_dir=str(staging), strict=strict, **overrides)
            refuse_containing(site_dir.resolve(), _sources_of(config))
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build.build(config)
            finally:
                config.plugins.on_shutdown()
        except (Abort, ConfigurationError, MkDocsException) as error:
            raise AlmanacError(_cause(log, error, path)) from error
        except Exception as error:
            from griffe import LoadingError  # mkdocstrings' reader; imported only when a build failed

            if not isinstance(error, LoadingError):
                raise
            raise AlmanacError(f"{path}: mkdocstrings could not read a Python module ({error}); fix the module, "
                               "or take its ::: directive out of the docs") from error
    return site_dir.resolve()


def _sources_of(config: Any) -> list[Path]:
    """The folders a build reads: its config's, its docs and the repositories its Almanac plugins describe.
    ``mkdocs build`` refuses a site folder holding its docs; Almanac builds into a sibling first, so it
    checks the final folder itself, before the swap (``--force`` would delete them)."""
    from generator.locations import DEMO, resolve_repo

    base = Path(config.config_file_path).resolve().parent
    repos = [resolve_repo(plugin.config.repo, base) for name, plugin in config.plugins.items()
             if _is_almanac(name) and plugin.config.repo != DEMO]
    return [base, Path(config.docs_dir).resolve(), *(repo.resolve() for repo in repos)]


def _cause(log: _StderrHandler, error: Exception, config_file: Path) -> str:
    """The most specific message: the error MkDocs logged (ours start with ``almanac:``) or its own."""
    message = log.last_error or str(error)
    if message.startswith("almanac: "):
        return message.removeprefix("almanac: ")
    return f"{config_file}: {message}"


def serve_site(*, repo: str | None, config_file: Path | None, dev_addr: str | None, use_cache: bool = True,
               trust_repo_config: bool | None = None) -> None:
    """Serve with live reload, choosing the config as :func:`build_site` does."""
    with _mkdocs_logging() as log, _config_path(repo, config_file, trust_repo_config, use_cache) as (path, overrides):
        try:
            mkdocs_serve.serve(config_file=str(path), dev_addr=dev_addr, **overrides)
        except (Abort, ConfigurationError, MkDocsException) as error:
            raise AlmanacError(_cause(log, error, path)) from error
