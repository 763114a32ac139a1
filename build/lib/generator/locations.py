"""Where Almanac finds the repository to describe and keeps its caches."""

from __future__ import annotations

import os
from pathlib import Path

#: The ``repo`` value that means "the embedded demo model repository".
DEMO = "demo"


def user_cache_root() -> Path:
    """``$ALMANAC_CACHE_DIR``, else the XDG cache folder: shared by every project of this user."""
    explicit = os.environ.get("ALMANAC_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "almanac"


def resolve_repo(spec: str | None, base_dir: Path) -> Path:
    """``demo`` → the demo repository (built once); a relative path is relative to ``base_dir``."""
    if spec == DEMO:
        from generator.demo import ensure_demo_repo

        return ensure_demo_repo(user_cache_root())
    if not spec:
        return base_dir
    path = Path(spec).expanduser()
    return path if path.is_absolute() else base_dir / path
