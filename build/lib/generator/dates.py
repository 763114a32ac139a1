"""Dates as they were where the event happened: never the build machine's time zone, never the clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def local_time(timestamp: int, utc_offset: int) -> datetime:
    """``utc_offset`` in minutes, as git records it beside every date."""
    return datetime.fromtimestamp(timestamp, timezone(timedelta(minutes=utc_offset)))


def format_date(timestamp: int | None, utc_offset: int = 0) -> str:
    """``2025-09-16``; ``unknown`` for a missing date."""
    return "unknown" if timestamp is None else local_time(timestamp, utc_offset).strftime("%Y-%m-%d")


def rfc3339(timestamp: int, utc_offset: int) -> str:
    """``2025-09-16T14:44:12+08:00``, as Atom and JSON Feed want it."""
    return local_time(timestamp, utc_offset).isoformat(timespec="seconds")
