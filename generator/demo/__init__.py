"""A deterministic demo model repository ("Lumen") for trying Almanac without a real project.

The repository is generated rather than vendored so that it carries a real git history (authors,
mailmap, squash and merge commits, pull request refs, tags, a release branch) while staying small,
and so that the same commit SHAs come out on every machine, which makes it usable as a cache key.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from generator.sources.locations import user_cache_root

__all__ = ["DEMO", "DEMO_VERSION", "build_demo_repo", "ensure_demo_repo", "resolve_repo"]

#: The ``repo`` value that means "the embedded demo model repository".
DEMO = "demo"

DEMO_VERSION = "3"
_SEED = 20240108


def build_demo_repo(dest: Path) -> Path:
    """Create the demo model repository at dest (must not exist or be empty); return dest."""
    # Imported here: every command imports this package to resolve ``--repo demo``, few build the demo.
    from generator.sources.forges.cache import write_cache
    from generator.sources.git.commitcache import keep_out_of_git

    from ._fastimport import FastImport, run_git
    from ._forge import demo_forge
    from ._history import HistoryBuilder
    from ._story import PHASES, START

    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    run_git(dest, "init", "-q", "-b", "main")
    importer = FastImport(dest)
    try:
        builder = HistoryBuilder(importer, _SEED)
        builder.run(START, PHASES)
        forge = demo_forge(builder.pulls, importer.sha, _SEED)
    except BaseException:
        importer.abort()
        raise
    importer.finish()
    run_git(dest, "reset", "--hard", "-q")
    # What `almanac sync` would have fetched from GitHub: the demo site's PR states, reviews and digest.
    write_cache(dest / ".almanac" / "forge", forge)
    keep_out_of_git(dest / ".almanac")
    return dest


def ensure_demo_repo(cache_root: Path) -> Path:
    """Return cache_root / f"demo-{DEMO_VERSION}", building it once.

    The build happens in a private sibling folder that is renamed into place only when complete,
    so an interrupted build never leaves a half repository behind, and of two concurrent builders
    the second simply discards its copy.
    """
    final = Path(cache_root) / f"demo-{DEMO_VERSION}"
    if final.is_dir():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        build_demo_repo(scratch)
        try:
            os.replace(scratch, final)
        except OSError:
            if not final.is_dir():
                raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    return final


def resolve_repo(spec: str | None, base_dir: Path) -> Path:
    """The repository a command or the plugin's ``repo`` option names: ``demo`` is the demo repository
    (built once), a relative path is relative to ``base_dir``, nothing is ``base_dir`` itself. It lives
    here, not in the build, because only the command line and the plugin may build the demo."""
    if spec == DEMO:
        return ensure_demo_repo(user_cache_root())
    if not spec:
        return base_dir
    path = Path(spec).expanduser()
    return path if path.is_absolute() else base_dir / path
