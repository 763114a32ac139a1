"""``almanac sync``: bring the forge cache up to date, the one step of Almanac that uses the network.

Which forges to ask comes from the options or from the ``origin`` remote (github.com or a GitHub
Enterprise host, huggingface.co). Tokens come from the environment (``GITHUB_TOKEN`` or ``GH_TOKEN``,
``HF_TOKEN``) and go only into request headers. A sync that fails half way writes nothing: the
previous cache stays complete.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from generator.model.errors import Finding
from generator.model.forge import ForgeData
from generator.sources.forges.cache import file_name, forge_dir, read_cache_file, to_json, write_cache

GITHUB_API = "https://api.github.com"
HUB_ENDPOINT = "https://huggingface.co"


@dataclass(frozen=True, slots=True)
class SyncOptions:
    repo: Path
    cache_dir: Path | None = None
    github: str | None = None
    hub: str | None = None
    github_api: str = GITHUB_API
    hub_endpoint: str = HUB_ENDPOINT


def sources_from_remote(url: str) -> tuple[str | None, str | None]:
    """(GitHub ``owner/repo``, Hub ``org/name``) named by a remote URL, when it names one; the URL is read
    by the remote parser the changelog uses too, which knows every remote syntax and checks each part."""
    from generator.sources.forges.links import forge_url

    host, _, path = (forge_url(url) or "").removeprefix("https://").partition("/")
    if host == "github.com":
        return path, None
    if host == "huggingface.co" and path.count("/") == 1 and path.split("/")[0] not in ("datasets", "spaces"):
        return None, path
    return None, None


#: ``owner/repo`` as GitHub and the Hub spell them: one ``/``, no ``..``, nothing a URL would read as a path.
_REPOSITORY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]*[A-Za-z0-9_-]")


def _check_name(name: str | None, option: str) -> None:
    """A repository name goes into request paths: ``../../x`` would ask another endpoint of the API."""
    if name is not None and (not _REPOSITORY_NAME.fullmatch(name) or ".." in name):
        from generator.model.errors import AlmanacError

        raise AlmanacError(f"{name!r}: not a repository name; give {option}")


def sync(options: SyncOptions, report: list[str], findings: list[Finding]) -> list[Path]:
    """Sync every configured source; returns the cache files written (unchanged ones are not rewritten)."""
    github, hub = options.github, options.hub
    if github is None and hub is None:
        from generator.sources.git.repo import GitRunner, remote_url

        github, hub = sources_from_remote(remote_url(GitRunner(options.repo)) or "")
    if github is None and hub is None:
        from generator.model.errors import AlmanacError

        raise AlmanacError("no forge to sync: the origin remote is neither GitHub nor the Hugging Face Hub; "
                           "give --github OWNER/REPO or --hub ORG/NAME")
    _check_name(github, "--github OWNER/REPO")
    _check_name(hub, "--hub ORG/NAME")
    folder = forge_dir(options.repo, options.cache_dir)
    inside = options.repo if options.cache_dir is None else None  # the default place, in the repository
    written = []
    if github:
        from generator.sources.forges.github import GitHubSync
        from generator.sources.forges.http import HttpClient

        token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
        api = options.github_api.rstrip("/")
        graphql = f"{api}/graphql" if api == GITHUB_API else re.sub(r"/v3$", "", api) + "/graphql"
        client = HttpClient(api, token)
        previous = _previous(folder, f"github:{github}", findings)
        updated = GitHubSync(github, client, api, graphql).sync(previous, findings)
        written += _store(folder, previous, updated, report, f"GitHub {github}: {client.requests} requests",
                          inside)
    if hub:
        from generator.sources.forges.hub import sync_hub

        previous = _previous(folder, f"hub:{hub}", findings)
        updated = sync_hub(hub, options.hub_endpoint, os.environ.get("HF_TOKEN"), previous, findings)
        written += _store(folder, previous, updated, report, f"Hugging Face Hub {hub}", inside)
    return written


def _previous(folder: Path, source: str, findings: list[Finding]) -> ForgeData:
    path = folder / file_name(source)
    found = read_cache_file(path, findings) if path.exists() else None
    return found if found is not None and found.source == source else ForgeData(source)


def _store(folder: Path, previous: ForgeData, updated: ForgeData, report: list[str], what: str,
           inside: Path | None) -> list[Path]:
    """Write the source's cache if it changed; in the repository (``inside``) through no link."""
    counts = f"{len(updated.pulls)} pull requests, {len(updated.discussions)} discussions"
    if to_json(updated) == to_json(previous) and (folder / file_name(updated.source)).exists():
        report.append(f"{what}: unchanged ({counts})")
        return []
    updated.synced_at = int(time.time())
    if inside is not None:
        from generator.sources.files.atomic import folder_inside

        folder_inside(folder, inside)
    path = write_cache(folder, updated)
    if inside is not None:  # the default place, beside the commit cache: not for git
        from generator.sources.git.commitcache import keep_out_of_git

        keep_out_of_git(folder.parent)
    report.append(f"{what}: {counts} → {path}")
    return [path]
