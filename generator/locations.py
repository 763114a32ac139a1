"""Where Almanac finds the repository to describe and keeps its caches."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

#: The ``repo`` value that means "the embedded demo model repository".
DEMO = "demo"
#: The folder inside a repository that holds its caches unless ``$ALMANAC_CACHE_DIR`` moves them.
CACHE_FOLDER = ".almanac"


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


def resolve_repo(spec: str | None, base_dir: Path) -> Path:
    """``demo`` → the demo repository (built once); a relative path is relative to ``base_dir``."""
    if spec == DEMO:
        from generator.demo import ensure_demo_repo

        return ensure_demo_repo(user_cache_root())
    if not spec:
        return base_dir
    path = Path(spec).expanduser()
    return path if path.is_absolute() else base_dir / path
