"""Replace an output folder only when its new content is complete, and never a user's own folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import AlmanacError


@contextmanager
def replaced_folder(target: Path, *, is_ours: bool) -> Iterator[Path]:
    """Yield a temporary sibling of ``target`` to fill; swap it in if the block succeeds.

    ``is_ours`` says whether an existing ``target`` may be replaced (a previous build of ours); a
    non-empty folder we did not make is never touched. On failure the temporary folder is removed and
    ``target`` is exactly as it was.
    """
    target = target.resolve()
    if target.exists() and any(target.iterdir()) and not is_ours:
        raise AlmanacError(
            f"{target}: refusing to replace a non-empty folder Almanac did not create; choose an empty or new folder"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.almanac-new")
    retired = target.with_name(f".{target.name}.almanac-old")
    for leftover in (staging, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
