"""Replace an output folder or file only when its new content is complete, and never a user's own."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
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
            f"{target}: refusing to replace a non-empty folder Almanac did not create; choose an empty or new "
            "folder (almanac write --force replaces it)"
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


#: How far into an existing file its generated-file marker is looked for (a model card's marker
#: follows its front matter).
MARKER_WINDOW = 64 * 1024


def write_generated(text: str, output: Path, *, marker: str, force: bool) -> None:
    """Write ``text`` to ``output`` atomically: a temporary file in the same folder, then ``os.replace``.

    An existing file is replaced only if it carries ``marker`` (we wrote it) or ``force`` is set; a
    symbolic link is replaced itself, never written through. An unchanged file is left alone (its
    modification time too).
    """
    if output.is_dir():
        raise AlmanacError(f"{output}: is a folder; give a file name")
    if not output.parent.is_dir():
        raise AlmanacError(f"{output.parent}: no such folder; create it first or choose another --output")
    data = text.encode("utf-8")
    mode: int | None = None
    if output.is_symlink() or output.exists():
        ours = False
        if not output.is_symlink():
            with output.open("rb") as existing:
                ours = marker.encode("utf-8") in existing.read(MARKER_WINDOW)
            if ours and output.read_bytes() == data:
                return
            mode = output.stat().st_mode & 0o7777
        if not ours and not force:
            raise AlmanacError(
                f"{output}: refusing to overwrite a file Almanac did not write (it lacks the generated-file "
                "marker line); use --force to replace it, or choose another --output"
            )
    temporary = _create_sibling(output)
    try:
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, output)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def emit_generated(text: str, output: str, *, marker: str, force: bool) -> str:
    """Print ``text`` for output ``-``, else write it with :func:`write_generated`; return where it went."""
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return "standard output"
    path = Path(output).expanduser()
    write_generated(text, path, marker=marker, force=force)
    return str(path)


def _create_sibling(output: Path) -> Path:
    """A new empty file next to ``output``, created with the user's umask (as the final file would be)."""
    while True:
        candidate = output.with_name(f".{output.name}.{secrets.token_hex(4)}.almanac-new")
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            continue
        return candidate
