"""Building and serving a site with MkDocs for the ``almanac`` command line.

This is the only place the CLI meets MkDocs; the generator itself never imports it, so Almanac's pages
can move to another site generator (``almanac write``) without MkDocs installed.
"""

from __future__ import annotations

import copy
import logging
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException
from mkdocs.utils.yaml import get_yaml_loader

from generator import AlmanacError, log_safe, refuse_containing, replaced_folder, yaml_error_place

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


#: Makes the overrides of a config load, anew for each load (see :func:`_load`).
Overrides = Callable[[], dict[str, Any]]


@contextmanager
def _config_path(
    repo: str | None, config_file: Path | None, trust_repo_config: bool | None = None, use_cache: bool = True
) -> Iterator[tuple[Path, Overrides]]:
    """The config file to load and what makes the overrides to apply; synthesised in a temporary folder
    if needed. The plugin list is read from the file at each load, so `serve` follows its edits."""
    found = find_config(repo, config_file, trust_repo_config=trust_repo_config)
    if found is not None:
        yield found, lambda: {"plugins": _plugins_with_almanac(found, repo, use_cache=use_cache)}
        return
    from generator import resolve_repo

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
        yield path, lambda: {"markdown_extensions": copy.deepcopy(extensions)}


class _StderrHandler(logging.Handler):
    """Shows MkDocs' info and warnings one line each, as its own CLI does. Errors are kept until the build
    ends: a failed build prints its cause once (see :func:`_cause`) instead of MkDocs' generic "Aborted with
    a BuildError", and :meth:`show_kept` prints those a build logged and survived, so none is ever lost."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        self.kept: list[logging.LogRecord] = []

    @property
    def last_error(self) -> str | None:
        return self.kept[-1].getMessage() if self.kept else None

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.kept.append(record)
            return
        self._print(record)

    def show_kept(self, *, but_last: bool = False) -> None:
        """Print the kept errors (all but the last, which :func:`_cause` reports, after a failure); forget them."""
        for record in self.kept[:-1] if but_last else self.kept:
            self._print(record)
        self.kept = []

    def _print(self, record: logging.LogRecord) -> None:
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

    ``site_dir`` is replaced only under the rules of :func:`generator.sources.files.atomic.replaced_folder` (a folder
    Almanac marked as its own, or ``force``), never the described repository."""
    described = [Path(repo)] if repo and repo != "demo" else []
    with (
        _mkdocs_logging() as log,
        _config_path(repo, config_file, trust_repo_config, use_cache) as (path, overrides),
        replaced_folder(site_dir, made_by="almanac build", force=force, protected=described) as staging,
    ):
        try:
            config = _load(path, overrides, site_dir=str(staging), strict=strict)
            refuse_containing(site_dir.resolve(), _sources_of(config))
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build.build(config)
            finally:
                config.plugins.on_shutdown()
            log.show_kept()
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
    from generator import DEMO, resolve_repo

    base = Path(config.config_file_path).resolve().parent
    repos = [resolve_repo(plugin.config.repo, base) for name, plugin in config.plugins.items()
             if _is_almanac(name) and plugin.config.repo != DEMO]
    return [base, Path(config.docs_dir).resolve(), *(repo.resolve() for repo in repos)]


def _cause(log: _StderrHandler, error: Exception, config_file: Path) -> str:
    """The most specific message: the error MkDocs logged (ours start with ``almanac:``) or its own;
    the errors logged before it are printed first."""
    message = log.last_error or str(error)
    log.show_kept(but_last=True)
    log.kept = []
    if message.startswith("almanac: "):
        return message.removeprefix("almanac: ")
    return f"{config_file}: {message}"


def _load(path: Path, overrides: Overrides, **options: Any) -> Any:
    """The config, loaded with overrides made for this load: MkDocs takes apart the plugin and extension
    entries it validates (``popitem``), so the same objects given twice make the second load fail ("Invalid
    Plugins configuration", or a ``KeyError`` for the extensions), and `serve` loads once per rebuild."""
    return load_config(config_file=str(path), **options, **overrides())


def _mount_url(host: str, port: int, site_url: str | None) -> str:
    """Where the preview is served: the path of the site's ``site_url`` on the preview's address."""
    path = urlsplit(site_url or "/").path.strip("/")
    return f"http://{host}:{port}/{path + '/' if path else ''}"


def serve_site(*, repo: str | None, config_file: Path | None, dev_addr: str | None, use_cache: bool = True,
               trust_repo_config: bool | None = None, debug: bool = False) -> None:
    """Serve with live reload, choosing the config as :func:`build_site` does.

    MkDocs' own ``serve`` would do, but for two things: it loads the config again on every rebuild from
    the same override objects (which the first load consumes, see :func:`_load`), and a failed rebuild
    prints a traceback or nothing, then leaves every request waiting for a build that never completes.
    Here a failed rebuild prints one line with its cause and the previous pages stay served; the next
    edit or commit (the plugin watches ``HEAD`` and the refs) tries again."""
    from mkdocs.livereload import LiveReloadServer

    with (
        _mkdocs_logging() as log,
        _config_path(repo, config_file, trust_repo_config, use_cache) as (path, overrides),
        tempfile.TemporaryDirectory(prefix="almanac-serve-") as site_dir,
    ):
        try:
            config = _load(path, overrides, site_dir=site_dir, dev_addr=dev_addr)
        except (Abort, ConfigurationError, MkDocsException) as error:
            raise AlmanacError(_cause(log, error, path)) from error
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        url = config.site_url = _mount_url(host, port, config.site_url)

        def build(first: Any = None) -> None:
            """The first build fails the command; a rebuild that fails says why and keeps the last pages."""
            logging.getLogger("mkdocs.almanac").info("Building documentation...")
            try:
                current = first or _load(path, overrides, site_dir=site_dir, dev_addr=dev_addr)
                current.site_url = url
                mkdocs_build.build(current, serve_url=url)
                log.show_kept()
            except Exception as error:  # whatever stops a rebuild is shown, and serving goes on
                if first is not None:
                    raise
                if debug:
                    traceback.print_exc()
                if isinstance(error, (Abort, ConfigurationError, MkDocsException)):
                    cause = _cause(log, error, path)
                else:
                    log.show_kept()
                    cause = str(error) if isinstance(error, AlmanacError) else f"{type(error).__name__}: {error}"
                print(log_safe(f"almanac: error: rebuild failed: {cause} (still serving the previous pages; "
                               "fix it and save again)", one_line=True), file=sys.stderr)

        server = LiveReloadServer(builder=build, host=host, port=port, root=site_dir,
                                  mount_path=urlsplit(url).path)
        try:
            try:
                build(config)
            except (Abort, ConfigurationError, MkDocsException) as error:
                raise AlmanacError(_cause(log, error, path)) from error
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=build)
            for item in config.watch:
                server.watch(item)
            try:
                server.serve()
            except KeyboardInterrupt:
                print("almanac: preview stopped", file=sys.stderr)
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
