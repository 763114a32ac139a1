"""Progress of long history walks: a bar for a person at a terminal, a plain line now and then in a log.

A CI log gains nothing from a redrawn bar (every redraw is a line there), but a build that prints nothing
for 80 s (an 80,000-commit repository) looks hung: there, one plain line every
:data:`PLAIN_INTERVAL` seconds says what is going on, and nothing at all when the walk is quick.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds between two plain progress lines when standard error is no terminal (or in CI).
PLAIN_INTERVAL = 10.0


def wanted() -> bool:
    """Only a person at a terminal benefits from a bar; CI logs would fill with redraws."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def commit_progress(label: str = "Walking history") -> Iterator[Callable[[int], None]]:
    """Yield a callback taking the number of commits read so far."""
    if not wanted():
        with _plain_progress(label) as on_progress:
            yield on_progress
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # a terminal only: 40 ms

    columns = (SpinnerColumn(), TextColumn("{task.description}: {task.completed:,} commits"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(label, total=None)
        yield lambda count: progress.update(task, completed=count)


@contextmanager
def _plain_progress(label: str) -> Iterator[Callable[[int], None]]:
    """Every :data:`PLAIN_INTERVAL` seconds while the block runs, ``almanac: <label>: 45,000 commits read
    (20 s)`` on standard error, from a timer thread: the walk calls back only every 1,000 commits, and the
    analysis after it not at all, yet both are slow on a large history. A closing ``…, done`` line
    only if a line was printed before: a quick build stays silent."""
    read = [0]
    stop = threading.Event()
    started = time.monotonic()
    printed = [False]

    def line(text: str) -> None:
        print(f"almanac: {label}: {read[0]:,} commits read{text} ({time.monotonic() - started:.0f} s)",
              file=sys.stderr, flush=True)
        printed[0] = True

    def beat() -> None:
        while not stop.wait(PLAIN_INTERVAL):
            line("")

    timer = threading.Thread(target=beat, name="almanac-progress", daemon=True)
    timer.start()
    try:
        yield lambda count: read.__setitem__(0, count)
    finally:
        stop.set()
        timer.join()
        if printed[0]:
            line(", done")
