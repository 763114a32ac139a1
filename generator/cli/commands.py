"""The ``almanac`` command: build, serve or write a repository's documentation site.

Errors a user can act on print one line and exit 2; failures of the environment exit 3; a traceback
is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli.output import emit_generated
from generator.cli.progress import commit_progress
from generator.demo import DEMO, resolve_repo
from generator.model.errors import EXIT_INTERNAL_ERROR, EXIT_USER_ERROR, AlmanacError, Finding

if TYPE_CHECKING:
    from generator.build import Built

#: The name Almanac is installed under (the command and the import packages keep the name ``almanac``).
DISTRIBUTION = "mkdocs-almanac"

#: Failures of a path the user gave (a --site-dir under a file, an -o in a read-only folder): theirs to fix.
USER_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.ENOENT,
                         errno.EEXIST, errno.ENOTEMPTY, errno.ENAMETOOLONG, errno.ELOOP, errno.EXDEV, errno.EBUSY})


#: Where a command without ``--repo`` looks, in the words of its ``--help``.
DEFAULT_REPO_HELP = "default: the git repository containing the current folder"
#: The commands that make a site: without ``--repo`` and outside any repository they show the demo.
SITE_COMMANDS = frozenset({"build", "serve", "write"})


def add_out_option(command: argparse.ArgumentParser) -> None:
    """One name for "the file to write" on every command: ``-o/--out``; ``--output`` is accepted too."""
    command.add_argument("-o", "--out", "--output", dest="out", default="-",
                         help="file to write, or - for standard output (default)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="almanac",
        description="Turn a model repository's history, people and files into a documentation site.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {installed_version() or 'unknown (not installed)'}")
    commands = parser.add_subparsers(dest="command", required=True)

    def add_source_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--repo",
            help="git repository to describe, or 'demo' (default: the one mkdocs.yml names, else the repository "
                 "containing the current folder, else the demo)",
        )
        command.add_argument(
            "-f", "--config-file", type=Path, help="mkdocs.yml to use (default: the repo's, else ./mkdocs.yml)"
        )
        command.add_argument(  # a mkdocs.yml runs code (hooks, plugins, !!python tags): a stranger's is not used
            "--trust-repo-config", action=argparse.BooleanOptionalAction,
            help="use the mkdocs.yml of the repository --repo names, which can run its code "
                 "(default: only when it is the current project's)",
        )

    build = commands.add_parser("build", help="build the site into a folder, replacing it only when complete")
    add_source_options(build)
    build.add_argument("-d", "--site-dir", type=Path, default=Path("site"), help="output folder (default: site)")
    build.add_argument("-s", "--strict", action="store_true", help="fail on any warning")
    build.add_argument("--force", action="store_true",
                       help="replace SITE_DIR even if Almanac did not create it (its files are deleted, "
                            "names starting with '.' kept; never a folder holding .git)")
    build.add_argument("--no-cache", action="store_true", help="do not read or write the commit cache")

    serve = commands.add_parser("serve", help="preview the site with live reload")
    add_source_options(serve)
    serve.add_argument("-a", "--dev-addr", help="address to serve on (default 127.0.0.1:8000)")
    serve.add_argument("--no-cache", action="store_true", help="do not read or write the commit cache")

    write = commands.add_parser("write", help="write the generated pages as plain Markdown for any site generator")
    write.add_argument("out_dir", type=Path, help="folder to create (or a previous output of this command)")
    write.add_argument("--repo", help=f"git repository to describe, or 'demo' ({DEFAULT_REPO_HELP}, else the demo)")
    write.add_argument("--templates-dir", type=Path, help="folder of templates overriding Almanac's own")
    write.add_argument("--no-cache", action="store_true", help="do not read or write the commit cache")
    write.add_argument("--api-reference", action="store_true",
                       help="add mkdocstrings pages (::: package) for the repository's Python packages")
    write.add_argument("--force", action="store_true",
                       help="replace OUT_DIR even if Almanac did not create it (its files are deleted, "
                            "names starting with '.' kept; never a folder holding .git)")
    write.add_argument("--language", default="en", choices=("en", "zh"),
                       help="language of the pages' headings and table headers (default: en)")

    changelog = commands.add_parser("changelog", help="write CHANGELOG.md (Keep a Changelog) or a GitHub release body")
    changelog.add_argument("--repo", help=f"git repository, or 'demo' ({DEFAULT_REPO_HELP})")
    add_out_option(changelog)
    changelog.add_argument("--release", help="tag whose release body to write (--format github; default: newest)")
    changelog.add_argument("--format", choices=("keepachangelog", "github", "json"), default="keepachangelog",
                           help="a CHANGELOG.md, one GitHub release body, or JSON with each change's evidence")
    changelog.add_argument("--forge-url", help="web address of the project (default: from the 'origin' remote)")
    changelog.add_argument("--highlights-dir", type=Path, help="hand-written highlights, <tag slug>.md per release")
    changelog.add_argument("--strict-keepachangelog", action="store_true",
                           help="only the six Keep a Changelog sections (Documentation, Dependencies and Other "
                                "go under Changed), as strict validators such as kacl-cli require")
    changelog.add_argument("--rules", type=Path, help="YAML file merged over the release-note rules")
    changelog.add_argument("--force", action="store_true", help="replace a changelog Almanac did not write")
    changelog.add_argument("--no-cache", action="store_true", help="do not read or write the commit cache")
    card = commands.add_parser("card", help="write the model card as a Hugging Face README or as JSON")
    card.add_argument("--repo", help=f"git repository, or 'demo' ({DEFAULT_REPO_HELP})")
    add_out_option(card)
    card.add_argument("--format", choices=("huggingface", "json", "cyclonedx"), default="huggingface",
                      help="a Hugging Face README, every fact as JSON, or a CycloneDX 1.6 ML-BOM")
    card.add_argument("--force", action="store_true", help="replace a file Almanac did not write (your README)")
    card.add_argument("--no-cache", action="store_true", help="do not read or write the commit cache")
    sync = commands.add_parser("sync", help="fetch pull requests, reviews and discussions into the offline cache")
    sync.add_argument("--repo", help=f"git repository ({DEFAULT_REPO_HELP})")
    sync.add_argument("--github", metavar="OWNER/REPO", help="GitHub repository (default: from the origin remote)")
    sync.add_argument("--hub", metavar="ORG/NAME", help="Hugging Face model repository (default: from origin)")
    sync.add_argument("--github-api", default="https://api.github.com",
                      help="GitHub API URL (GitHub Enterprise: https://HOST/api/v3)")
    sync.add_argument("--hub-endpoint", default="https://huggingface.co", help="Hugging Face Hub URL")
    sync.add_argument("--cache-dir", type=Path, help="folder of the forge cache (default: REPO/.almanac/forge)")
    notice = commands.add_parser("notice", help="write the NOTICE file the licences ask redistributors to ship")
    notice.add_argument("--repo", help=f"git repository, or 'demo' ({DEFAULT_REPO_HELP})")
    add_out_option(notice)
    notice.add_argument("--force", action="store_true", help="replace a NOTICE Almanac did not write")
    notice.add_argument("--no-cache", action="store_true", help="do not read or write the commit cache")
    check = commands.add_parser("check", help="report what the repository publishes wrongly; exit 1 on errors (CI)")
    check.add_argument("--repo", help=f"git repository, or 'demo' ({DEFAULT_REPO_HELP})")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                       help="the lowest level that makes the command exit 1 (default: error)")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the commit cache")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        args.repo = default_repo(args.command, args.repo, getattr(args, "config_file", None))
        if args.command == "build":
            from site_plugins.sitebuild import build_site

            site = build_site(repo=args.repo, config_file=args.config_file, site_dir=args.site_dir, strict=args.strict,
                              trust_repo_config=args.trust_repo_config, force=args.force,
                              use_cache=not args.no_cache)
            print(f"almanac: site built in {site}", file=sys.stderr)
        elif args.command == "serve":
            from site_plugins.sitebuild import serve_site

            serve_site(repo=args.repo, config_file=args.config_file, dev_addr=args.dev_addr,
                       trust_repo_config=args.trust_repo_config, use_cache=not args.no_cache, debug=args.debug)
        elif args.command == "changelog":
            from generator.export.changelog import changelog_from_repo, changelog_marker

            with commit_progress() as on_progress:
                text = changelog_from_repo(
                    resolve_repo(args.repo, Path.cwd()), fmt=args.format, release=args.release,
                    forge_url_option=args.forge_url,
                    highlights_dir=args.highlights_dir, rules_file=args.rules, use_cache=not args.no_cache,
                    strict=args.strict_keepachangelog, report=report_to_stderr, on_progress=on_progress,
                )
            emit_generated(text, args.out, marker=changelog_marker(args.format), force=args.force)
        elif args.command == "check":
            return run_check(args.repo, args.format, args.fail_on, use_cache=not args.no_cache)
        elif args.command == "sync":
            run_sync(args)
        elif args.command == "notice":
            write_notice(args.repo, args.out, force=args.force, use_cache=not args.no_cache)
        elif args.command == "card":
            write_card(args.repo, args.out, args.format, force=args.force, use_cache=not args.no_cache)
        else:
            out = write_tree(args.repo or DEMO, args.out_dir, args.templates_dir, use_cache=not args.no_cache,
                             language=args.language, force=args.force, api_reference=args.api_reference)
            print(f"almanac: pages written to {out}", file=sys.stderr)
    except AlmanacError as error:
        if args.debug:
            raise
        print(f"almanac: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("almanac: interrupted; previous output left as it was", file=sys.stderr)
        return 130
    except OSError as error:
        if args.debug:
            raise
        where = f"{error.filename}: " if error.filename else ""
        print(f"almanac: error: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_USER_ERROR if error.errno in USER_ERRNOS else EXIT_INTERNAL_ERROR
    return 0


def default_repo(command: str, repo: str | None, config_file: Path | None) -> str | None:
    """What ``--repo`` means when it is not given, the same for every command: the git repository
    containing the current folder. ``None`` keeps a site's own ``mkdocs.yml`` in charge (its plugin's
    ``repo:``, else the repository holding it). Outside any repository a site command shows the demo and
    says so; the others stop, since a changelog, card or NOTICE of the demo written into a user's folder,
    or a check that passes on the demo in a misconfigured CI job, would mislead."""
    if repo is not None:
        return repo
    here = Path.cwd()
    if command in ("build", "serve") and (config_file is not None or (here / "mkdocs.yml").is_file()):
        return None
    root = enclosing_repository(here)
    if root is not None:
        return str(root)
    if command in SITE_COMMANDS:
        report_to_stderr(f"{here} is not in a git repository: showing the demo (--repo PATH for yours, "
                         "--repo demo to say so)")
        return DEMO
    raise AlmanacError(f"{here}: not in a git repository; run almanac inside one, or pass --repo PATH "
                       "(--repo demo for the demo)", exit_code=EXIT_USER_ERROR)


def enclosing_repository(folder: Path) -> Path | None:
    """The top of the git work tree containing ``folder`` (as git finds it: worktrees, ``GIT_DIR``,
    safe.directory), or None outside one (or without git, which the command then reports itself)."""
    import subprocess

    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, check=False)
    except OSError:
        return None
    top = done.stdout.decode("utf-8", "surrogateescape").strip()
    return Path(top) if done.returncode == 0 and top else None


def installed_version() -> str | None:
    """The installed distribution's version (``--version``, CycloneDX ``tools``); none in a bare source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return None


def build_shown(root: Path, *, use_cache: bool, report: Callable[[str], None] = lambda line: None) -> Built:
    """The one build of a command, with the progress display while the history is walked."""
    from generator.build import BuildOptions, build_repository

    with commit_progress() as on_progress:
        return build_repository(BuildOptions(repo=root, use_cache=use_cache), report, on_progress=on_progress)


def run_check(repo: str | None, fmt: str, fail_on: str, *, use_cache: bool) -> int:
    """Print the checks (standard output, for CI logs or a JSON consumer); 1 when one reaches ``fail_on``."""
    from generator.export.check import failed, report, run_checks

    checks = run_checks(build_shown(resolve_repo(repo, Path.cwd()), use_cache=use_cache))
    sys.stdout.write(report(checks, fmt))
    return 1 if failed(checks, fail_on) else 0


def run_sync(args: argparse.Namespace) -> None:
    """``almanac sync``: one line per source on standard error, findings first."""
    from generator.sources.forges.sync import SyncOptions, sync

    repo = resolve_repo(args.repo, Path.cwd())
    lines: list[str] = []
    findings: list[Finding] = []
    sync(SyncOptions(repo, args.cache_dir, args.github, args.hub, args.github_api, args.hub_endpoint), lines,
         findings)
    for finding in findings:
        report_to_stderr(f"{finding.level}: {finding}")
    for line in lines:
        report_to_stderr(line)


def write_notice(repo: str | None, out: str, *, force: bool, use_cache: bool) -> str:
    """The NOTICE of ``repo`` to ``out``; a hand-written NOTICE is replaced only with ``force``."""
    from generator.export.notice import NOTICE_MARKER, notice_text

    knowledge = build_shown(resolve_repo(repo, Path.cwd()), use_cache=use_cache).knowledge
    licence_paths = {file.path for file in knowledge.licences}
    for finding in knowledge.findings:
        if finding.where in licence_paths:
            report_to_stderr(f"{finding.gate or finding.level}: {finding}")
    where = emit_generated(notice_text(knowledge), out, marker=NOTICE_MARKER, force=force)
    report_to_stderr(f"NOTICE written to {where}")
    return where


def write_card(repo: str | None, out: str, fmt: str, *, force: bool, use_cache: bool) -> str:
    """The model card of ``repo`` to ``out``, reporting the checks of its metadata on the way."""
    from generator.export.cardexport import CARD_MARKER, card_json, cyclonedx_bom, huggingface_card

    knowledge = build_shown(resolve_repo(repo, Path.cwd()), use_cache=use_cache, report=report_to_stderr).knowledge
    if fmt == "huggingface":
        text = huggingface_card(knowledge)
    else:
        text = card_json(knowledge) if fmt == "json" else cyclonedx_bom(knowledge, installed_version() or "")
    where = emit_generated(text, out, marker=CARD_MARKER, force=force)
    report_to_stderr(f"model card written to {where}")
    return where


def report_to_stderr(line: str) -> None:
    """One line for the person or CI log watching, made inert first (see :func:`generator.text.clean.log_safe`)."""
    from generator.text.clean import log_safe

    print(log_safe(f"almanac: {line}", one_line=True), file=sys.stderr)


def write_tree(repo: str, out_dir: Path, templates_dir: Path | None, *, use_cache: bool, language: str = "en",
               force: bool = False, api_reference: bool = False) -> Path:
    """Write the pages and a ``nav`` snippet, replacing ``out_dir`` only if a previous write made it
    (see :func:`generator.sources.files.atomic.replaced_folder`)."""
    import json

    import yaml

    from generator.export.savedresults import answered, settled
    from generator.render.pages import render_pages
    from generator.render.sections import navigation
    from generator.sources.files.atomic import replaced_folder

    if templates_dir is not None and not templates_dir.is_dir():
        raise AlmanacError(f"{templates_dir}: no such templates folder", exit_code=EXIT_USER_ERROR)
    root = resolve_repo(repo, Path.cwd())

    def write(report: Callable[[str], None]) -> tuple[str, bool]:
        built = build_shown(root, use_cache=use_cache, report=report)
        report(built.notes.coverage.line())
        pages = render_pages(built, [templates_dir] if templates_dir else [], api_reference=api_reference,
                             language=language, feeds=True)
        for finding in built.guide_findings:
            report(f"{finding.level}: {finding}")
        return json.dumps({"root": built.knowledge.state.root, "pages": pages}, ensure_ascii=False), \
            settled(built.knowledge)

    options = {"templates": str(templates_dir), "api_reference": api_reference, "language": language}
    templates = sorted(path for path in templates_dir.rglob("*") if path.is_file()) if templates_dir else []
    saved = json.loads(answered(root, "write", options, report_to_stderr, write, use_cache=use_cache,
                                files=templates))
    pages: dict[str, str] = saved["pages"]
    with replaced_folder(out_dir, made_by="almanac write", force=force, protected=[Path(saved["root"])]) as staging:
        for path, markdown in pages.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        snippet = yaml.safe_dump({"nav": navigation(set(pages))}, allow_unicode=True, sort_keys=False)
        (staging / "mkdocs.nav.yml").write_text(
            "# Paste into mkdocs.yml (paths relative to this folder as docs_dir).\n" + snippet, encoding="utf-8"
        )
    return out_dir.resolve()


