"""A progress bar for long history walks on a terminal, and silence in CI logs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def wanted() -> bool:
    """Only a person at a terminal benefits; CI logs would fill with redraws."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def commit_progress(label: str = "Walking history") -> Iterator[Callable[[int], None]]:
    """Yield a callback taking the number of commits read so far."""
    if not wanted():
        yield lambda count: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # a terminal only: 40 ms

    columns = (SpinnerColumn(), TextColumn("{task.description}: {task.completed:,} commits"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(label, total=None)
        yield lambda count: progress.update(task, completed=count)
