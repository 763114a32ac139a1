"""Proposals kept as files in the repository (``rfcs/0007-rope-scaling.md``), read like forge discussions.

Many projects discuss changes in Markdown files under review rather than on a forge: an RFC folder
with front matter (title, status, authors, date, votes). Those files are the record of proposals
as much as a forge's discussions are, and they are there offline, so the digest reads them too.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

from generator.analysis.models.facts import front_matter, title_and_description
from generator.model.errors import Finding
from generator.model.forge import DiscussionRecord
from generator.model.knowledge import FileEntry
from generator.text.clean import decode_git_bytes

_FOLDERS = re.compile(r"^(?:docs/)?(rfcs?|proposals|discussions|design)/[^/]+\.md$", re.IGNORECASE)
_CLOSED = frozenset({"accepted", "rejected", "implemented", "withdrawn", "superseded", "final", "closed", "merged"})


def is_proposal_file(path: str) -> bool:
    return bool(_FOLDERS.match(path)) and not path.rsplit("/", 1)[-1].lower().startswith(("readme", "template",
                                                                                          "0000"))


def read_proposals(entries: list[FileEntry], blobs: dict[str, bytes], findings: list[Finding]
                   ) -> list[DiscussionRecord]:
    """One record per proposal file; a file without front matter still counts, titled by its heading."""
    records: list[DiscussionRecord] = []
    for entry in sorted((e for e in entries if is_proposal_file(e.path) and e.path in blobs), key=lambda e: e.path):
        text = decode_git_bytes(blobs[entry.path])
        meta = front_matter(text, entry.path, findings)
        title, description = title_and_description(text)
        digits = re.match(r"(\d+)", entry.path.rsplit("/", 1)[-1])
        authors = meta.get("authors") or meta.get("author")
        author = authors[0] if isinstance(authors, list) and authors else authors
        status = str(meta.get("status") or "open").strip().lower()
        records.append(DiscussionRecord(
            number=int(digits.group(1)) if digits else len(records) + 1,
            title=str(meta.get("title") or title or entry.path.rsplit("/", 1)[-1]),
            body=description,
            author=str(author) if isinstance(author, (str, int)) else None,
            category=f"Proposal ({status})",
            created_at=_timestamp(meta.get("date") or meta.get("created")),
            updated_at=_timestamp(meta.get("updated") or meta.get("date") or meta.get("created")),
            upvotes=int(meta["votes"]) if isinstance(meta.get("votes"), int) else 0,
            closed=status in _CLOSED,
            url=entry.path,
        ))
    return records


def _timestamp(value: Any) -> int:
    """YAML dates (``2025-03-01``) and datetimes as Unix seconds (UTC); anything else is 0 (unknown)."""
    if isinstance(value, datetime):
        return int((value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp())
    if isinstance(value, date):
        return int(datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp())
    return 0
