"""Where a command's text goes: standard output for ``-``, else a file only Almanac's marker lets it replace."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.sources.files.atomic import write_generated


def emit_generated(text: str, output: str, *, marker: str, force: bool) -> str:
    """Print ``text`` for output ``-``, else write it with :func:`~generator.sources.files.atomic.write_generated`;
    return where it went."""
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return "standard output"
    path = Path(output).expanduser()
    write_generated(text, path, marker=marker, force=force)
    return str(path)
