"""Keeping CPython's cycle collector out of the way while a history is loaded.

A 50 000-commit history is a few million small objects created in one go and kept. CPython's cyclic
garbage collector is triggered by allocations, and each full pass rescans everything still alive, so
it runs again and again over objects that hold no cycles: about a fifth of a cold build. It is paused
for the duration of a build and resumes afterwards; nothing built here forms cycles that would be
left waiting.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with the cycle collector paused; nested uses resume it only at the outermost."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused
