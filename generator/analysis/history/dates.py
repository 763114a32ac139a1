"""Dates as they were where the event happened: never the build machine's time zone, never the clock.

A date in a commit or tag is whatever its author's machine (or a hand-written commit object) said:
``9999-12-31``, year 10000 or a ``+9959`` offset are all valid git. Formatting therefore never fails,
and dates outside :func:`believable` are findings, kept out of time series (a month-by-month chart from
2023 to 9999 would be 95 000 rows).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from generator.model.errors import Finding
from generator.model.knowledge import CommitRow

#: How far past the moment of the build a date is still believed: a contributor's clock running ahead.
CLOCK_SKEW = 86_400
#: The span ``datetime`` can show in any time zone (years 1 to 9999, a day kept clear at each end).
_SHOWN_FROM, _SHOWN_UNTIL = -62_135_596_800 + 86_400, 253_402_300_799 - 86_400
#: An offset must stay under a day (datetime's limit); real ones are within ±14 hours.
_MAX_OFFSET = 24 * 60 - 1


def local_time(timestamp: int, utc_offset: int) -> datetime:
    """``utc_offset`` in minutes, as git records it beside every date. Out-of-range values are clamped to
    what ``datetime`` can show, so a hostile date reads as a strange date, not a crash."""
    zone = timezone(timedelta(minutes=utc_offset if abs(utc_offset) <= _MAX_OFFSET else 0))
    try:
        return datetime.fromtimestamp(timestamp, zone)
    except (ValueError, OverflowError, OSError):  # past year 9999 (or before year 1) where the event happened
        return datetime.fromtimestamp(min(max(timestamp, _SHOWN_FROM), _SHOWN_UNTIL), zone)


def format_date(timestamp: int | None, utc_offset: int = 0) -> str:
    """``2025-09-16``; ``unknown`` for a missing date."""
    return "unknown" if timestamp is None else local_time(timestamp, utc_offset).strftime("%Y-%m-%d")


def rfc3339(timestamp: int, utc_offset: int) -> str:
    """``2025-09-16T14:44:12+08:00``, as Atom and JSON Feed want it."""
    return local_time(timestamp, utc_offset).isoformat(timespec="seconds")


def build_time() -> int:
    """The moment of the build, which "last 90 days" and "last 12 months" count back from:
    ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else this machine's clock.

    Not HEAD's date: a repository whose last commit is two years old has had no activity in the last
    90 days, and its pages say so (with the date they count to) instead of counting back from HEAD.
    """
    declared = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(declared) if declared.isdigit() and len(declared) < 16 else int(time.time())


def latest_believable() -> int:
    """The latest date a history can truthfully hold: the moment of the build plus :data:`CLOCK_SKEW`.

    That moment is the later of ``SOURCE_DATE_EPOCH`` and this machine's clock, not HEAD's date, which is
    the repository's own word (a hostile HEAD dated 9999 would vouch for itself). An honest history never
    reaches it, so its pages stay the same bytes whenever they are built.
    """
    declared = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    build = max(int(time.time()), int(declared) if declared.isdigit() and len(declared) < 16 else 0)
    return build + CLOCK_SKEW


def believable(timestamp: int, latest: int) -> bool:
    """Whether a date can be true: after git's epoch (0 is what a missing or broken date reads as) and no
    later than ``latest`` (see :func:`latest_believable`)."""
    return 0 < timestamp <= latest


def unbelievable_dates(rows: Mapping[str, CommitRow], latest: int, named: int = 10) -> list[Finding]:
    """A finding for each commit whose author or committer date (``author_time``, ``committer_time`` of the
    analysis rows) cannot be true; after ``named`` of them, one line with the count, so a hostile history cannot
    flood the log."""
    wrong = sorted((sha, row.author_time if not believable(row.author_time, latest) else row.committer_time)
                   for sha, row in rows.items()
                   if not (believable(row.author_time, latest) and believable(row.committer_time, latest)))
    findings = [Finding(f"{_described(stamp)}, outside 1970-01-01 to {format_date(latest)} (the build time and a "
                        "day); left out of the time series", f"commit {sha[:12]}")
                for sha, stamp in wrong[:named]]
    if len(wrong) > named:
        findings.append(Finding(f"{len(wrong) - named} more commits with dates that cannot be true; left out of "
                                "the time series", "repository"))
    return findings


def _described(timestamp: int) -> str:
    """A wrong date as the finding names it; 0 is how a missing or unreadable date is read."""
    return f"dated {format_date(timestamp)}" if timestamp else "no readable date"


def believable_head_time(rows: Mapping[str, CommitRow], head: str, latest: int) -> int:
    """HEAD's committer date, or the latest believable one in the history when HEAD's cannot be true."""
    stamp = rows[head].committer_time
    if believable(stamp, latest):
        return stamp
    return max((row.committer_time for row in rows.values() if believable(row.committer_time, latest)), default=0)
