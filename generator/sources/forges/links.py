"""Web addresses on a project's forge (GitHub, GitLab, the Hugging Face Hub), built only from checked parts.

A remote URL is the one door: :func:`forge_url` turns it into ``https://<known host>/<segments>`` or
refuses it, each segment matched by a strict pattern, credentials and ports dropped. Every other address
(a pull request, a commit, a compare view, a person's profile) is that base plus a number, a hexadecimal
SHA, a login matched by its forge's pattern or a percent-encoded ref: nothing a stranger typed can end
a Markdown link or add a query. The changelog, the site's pages and the MkDocs header all use these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from generator.model.errors import AlmanacError

#: One segment of a forge path: what GitHub, GitLab and the Hub allow in owner and repository names.
_SEGMENT = re.compile(r"^[A-Za-z0-9_.-]+$")
#: ``[user@]host:path`` (scp-like syntax), but not ``C:/path`` or ``C:\path``.
_SCP = re.compile(r"^(?:[^@/\s]+@)?(?P<host>[A-Za-z0-9.-]+):(?P<path>[^/\\].*)$")
#: A full or abbreviated commit id: nothing else is ever put in a commit address.
_SHA = re.compile(r"^[0-9a-f]{4,64}$")
#: GitHub's login rules (no ``[bot]``: a bot has no profile page worth linking).
GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
#: The Hub's user and organisation names.
_HUB_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,95})$")

_FORGE_HOSTS = {
    "github.com": "github.com",
    "www.github.com": "github.com",
    "ssh.github.com": "github.com",
    "gitlab.com": "gitlab.com",
    "www.gitlab.com": "gitlab.com",
    "altssh.gitlab.com": "gitlab.com",
    "huggingface.co": "huggingface.co",
    "www.huggingface.co": "huggingface.co",
    "hf.co": "huggingface.co",
}
_REMOTE_SCHEMES = frozenset({"https", "http", "ssh", "git", "git+ssh", "ssh+git"})


def forge_url(remote_url: str) -> str | None:
    """The https web address of the project a git remote points at, or None when it is not a known forge.

    Knows GitHub, GitLab and the Hugging Face Hub in every remote syntax (``git@host:path``,
    ``ssh://``, ``https://`` with or without ``.git``); credentials and ports are dropped, so a token
    written into a remote never reaches a page. Local paths and other hosts give None.
    """
    remote = remote_url.strip()
    scp = _SCP.match(remote) if "://" not in remote else None
    if scp is not None:
        host, path = scp.group("host").lower(), scp.group("path")
    else:
        try:
            parts = urlsplit(remote)
            host = (parts.hostname or "").lower()
        except ValueError:
            return None
        if parts.scheme.lower() not in _REMOTE_SCHEMES or parts.query or parts.fragment:
            return None
        path = parts.path
    canonical = _FORGE_HOSTS.get(host)
    if canonical is None:
        return None
    segments = _segments(path)
    if segments is None:
        return None
    counts = {"github.com": (2, 2), "gitlab.com": (2, 20), "huggingface.co": (1, 3)}[canonical]
    if not counts[0] <= len(segments) <= counts[1]:
        return None
    return f"https://{canonical}/{'/'.join(segments)}"


def forge_option(url: str) -> str:
    """Check a ``--forge-url`` value: a remote of a known forge, or any https address (self-hosted forges).

    Credentials, a trailing slash and ``.git`` are dropped. Raises :class:`AlmanacError` otherwise; the
    message does not repeat the value, which may hold a token.
    """
    known = forge_url(url)
    if known is not None:
        return known
    problem = AlmanacError("--forge-url must be the project's https web address, e.g. https://github.com/org/repo")
    try:
        parts = urlsplit(url.strip())
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError as error:
        raise problem from error
    segments = _segments(parts.path)
    if parts.scheme.lower() != "https" or not re.fullmatch(r"[a-z0-9.-]+", host) or parts.query or parts.fragment:
        raise problem
    if segments is None:
        raise problem
    netloc = f"{host}:{port}" if port is not None else host
    return "/".join([f"https://{netloc}", *segments])


def _segments(path: str) -> list[str] | None:
    path = path.strip("/")
    path = path.removesuffix(".git")
    segments = [segment for segment in path.split("/") if segment]
    if any(not _SEGMENT.match(segment) or segment in (".", "..") for segment in segments):
        return None
    return segments


def _ref(name: str) -> str:
    return quote(name, safe="/-._~")


@dataclass(frozen=True, slots=True)
class ForgeLinks:
    """Web addresses on one forge: GitHub's layout unless the host is GitLab's or the Hub's.

    ``base`` is an address :func:`forge_url` or :func:`forge_option` returned; build one with :meth:`of`.
    """

    base: str

    @classmethod
    def of(cls, web: str | None) -> ForgeLinks | None:
        """The links of a checked web address (or a ``.git`` clone address), None without one or for
        anything that is not ``https://host/segments``."""
        if not web:
            return None
        checked = forge_url(web) if web.startswith("https://") else None
        if checked is None:
            try:
                checked = forge_option(web)
            except AlmanacError:
                return None
        return cls(checked.rstrip("/"))

    @property
    def kind(self) -> str:
        host = urlsplit(self.base).hostname or ""
        if host == "huggingface.co":
            return "huggingface"
        if host == "gitlab.com" or host.startswith("gitlab."):
            return "gitlab"
        return "github"

    @property
    def name(self) -> str:
        """``owner/repo`` as the forge shows it (the header's repository label)."""
        return urlsplit(self.base).path.strip("/")

    @property
    def _dash(self) -> str:
        return "/-" if self.kind == "gitlab" else ""

    def pull(self, number: int) -> str:
        number = int(number)
        if self.kind == "huggingface":
            return f"{self.base}/discussions/{number}"
        if self.kind == "gitlab":
            return f"{self.base}/-/merge_requests/{number}"
        return f"{self.base}/pull/{number}"

    def commit(self, sha: str) -> str:
        return f"{self.base}{self._dash}/commit/{quote(sha, safe='')}" if _SHA.match(sha) else ""

    def commits(self, ref: str) -> str:
        return f"{self.base}{self._dash}/commits/{_ref(ref)}"

    def tag(self, tag: str) -> str:
        if self.kind == "huggingface":
            return f"{self.base}/tree/{_ref(tag)}"
        if self.kind == "gitlab":
            return f"{self.base}/-/tags/{_ref(tag)}"
        return f"{self.base}/releases/tag/{_ref(tag)}"

    def compare(self, old: str, new: str) -> str:
        if self.kind == "huggingface":  # the Hub has no compare view: the history up to the new tag
            return self.commits(new)
        return f"{self.base}{self._dash}/compare/{_ref(old)}...{_ref(new)}"

    def edit_uri(self, branch: str | None, folder: str) -> str | None:
        """MkDocs' ``edit_uri`` (relative to ``base``) for a docs folder of the repository on ``branch``."""
        if not branch:
            return None
        where = _ref(f"{branch}/{folder}".rstrip("/") + "/")
        return f"-/edit/{where}" if self.kind == "gitlab" else f"edit/{where}"


def profile_url(login: str | None, forge: str = "github") -> str | None:
    """A person's page on ``github`` or ``huggingface``, for a login that matches that forge's rules."""
    if not login:
        return None
    if forge == "huggingface":
        return f"https://huggingface.co/{login}" if _HUB_LOGIN.match(login) else None
    return f"https://github.com/{login}" if GITHUB_LOGIN.match(login) else None


def source_links(source: str) -> ForgeLinks | None:
    """The links of a forge record's source (``github:owner/repo``, ``hub:org/name``), checked like a remote."""
    kind, _, path = source.partition(":")
    host = {"github": "github.com", "hub": "huggingface.co"}.get(kind)
    web = forge_url(f"https://{host}/{path}") if host and path else None
    return ForgeLinks(web) if web else None


def source_profile(login: str | None, source: str) -> str | None:
    """The profile of a login named by a forge record, on that record's forge."""
    return profile_url(login, "huggingface" if source.startswith("hub:") else "github")
