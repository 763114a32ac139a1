"""Where Almanac finds the repository to describe and keeps its caches."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

#: The folder inside a repository that holds its caches unless ``$ALMANAC_CACHE_DIR`` moves them.
CACHE_FOLDER = ".almanac"
#: In each clone's folder under ``$ALMANAC_CACHE_DIR/commits``: the clone's path, so that the folders
#: of clones that are gone can be removed.
CLONE_FILE = "repository.txt"


def user_cache_root() -> Path:
    """``$ALMANAC_CACHE_DIR``, else the XDG cache folder: shared by every project of this user."""
    explicit = os.environ.get("ALMANAC_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "almanac"


def commit_cache_dir(root: Path) -> Path:
    """Where the commit cache of the repository at ``root`` lives: ``<root>/.almanac``, or, when
    ``$ALMANAC_CACHE_DIR`` is set, ``$ALMANAC_CACHE_DIR/commits/<folder name>-<hash of its path>`` (one
    per clone, recognisable by name; the repository may then be read-only)."""
    explicit = os.environ.get("ALMANAC_CACHE_DIR")
    if not explicit:
        return root / CACHE_FOLDER
    resolved = root.resolve()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", resolved.name).strip(".-")[:40] or "repository"
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]
    return Path(explicit).expanduser() / "commits" / f"{name}-{digest}"


def claim_commit_cache(folder: Path, root: Path) -> None:
    """Create ``folder`` (private: the cache holds e-mail addresses) for the clone at ``root``, unless it
    exists, and remove the folders of clones whose path no longer exists: a CI runner's or a test
    suite's temporary checkouts would otherwise pile up in a shared ``$ALMANAC_CACHE_DIR``."""
    try:
        folder.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        return
    (folder / CLONE_FILE).write_text(str(root.resolve()), encoding="utf-8")
    for other in folder.parent.iterdir():
        try:
            clone = (other / CLONE_FILE).read_text(encoding="utf-8")
        except OSError:
            continue
        if not Path(clone).exists():
            shutil.rmtree(other, ignore_errors=True)

