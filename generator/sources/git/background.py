"""Running a git process while Python works on something else: the machine has more than one core."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def in_background(work: Callable[[], T]) -> Callable[[], T]:
    """Start ``work`` on a thread now; the returned function waits for its result (or its exception)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="almanac")
    future = executor.submit(work)
    executor.shutdown(wait=False)
    return future.result
