"""The discussion digest: proposals ranked by votes, answered questions as an FAQ, open questions,
and for each proposal the pull requests that refer to it — the path from an idea to a merged patch.

Bodies come from strangers: they go through :func:`generator.text.safehtml.render_untrusted`, so what
reaches the page is cleaned HTML, nothing the author typed verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.model.forge import DiscussionRecord, PullRequestRecord
from generator.model.knowledge import Knowledge
from generator.text.safehtml import render_untrusted

_REFERENCE = re.compile(r"(?:discussions/|#)(\d{1,9})\b")  # longer is no number a forge gives


@dataclass(frozen=True, slots=True)
class DigestEntry:
    record: DiscussionRecord
    #: ``github:owner/repo``, ``hub:org/name`` or ``files`` (proposals kept in the repository).
    source: str
    body: Markup
    #: The accepted answer, rendered like the body ("" when there is none).
    answer: Markup
    #: Pull requests that refer to it: (number, title, state).
    pulls: tuple[tuple[int, str, str], ...] = ()

    @property
    def score(self) -> int:
        return self.record.upvotes + self.record.reactions


@dataclass(slots=True)
class Digest:
    proposals: list[DigestEntry] = field(default_factory=list)
    answered: list[DigestEntry] = field(default_factory=list)
    unanswered: list[DigestEntry] = field(default_factory=list)
    files: list[DigestEntry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.proposals or self.answered or self.unanswered or self.files)


def references(pulls: Iterable[PullRequestRecord], messages: Iterable[tuple[int, str]]) -> dict[int, set[int]]:
    """Discussion number → the PR numbers whose description (as synced), title or merge commit message
    mentions ``#N`` or ``…/discussions/N``. ``messages`` are (PR number, text) pairs from git."""
    found: dict[int, set[int]] = {}
    for pull in pulls:
        for mentioned in pull.mentions:
            found.setdefault(mentioned, set()).add(pull.number)
    for number, text in [*((pull.number, pull.title) for pull in pulls), *messages]:
        for mentioned in _REFERENCE.findall(text):
            if int(mentioned) != number:
                found.setdefault(int(mentioned), set()).add(number)
    return found


def digest(knowledge: Knowledge) -> Digest:
    result = Digest()
    pulls = {pull.number: pull for cache in knowledge.forge for pull in cache.pulls}
    messages = [(pull.number, _message(knowledge, pull.merge_commit)) for pull in pulls.values() if pull.merge_commit]
    referring = references(pulls.values(), messages)

    def entry(record: DiscussionRecord, source: str) -> DigestEntry:
        linked = tuple((n, pulls[n].title, pulls[n].state) for n in sorted(referring.get(record.number, ()))
                       if n in pulls) if source.startswith("github:") else ()
        return DigestEntry(record, source, render_untrusted(record.body),
                           render_untrusted(record.answer.body) if record.answer else Markup(""), linked)

    for cache in knowledge.forge:
        for record in cache.discussions:
            item = entry(record, cache.source)
            if record.answerable and record.answer is not None:
                result.answered.append(item)
            elif record.answerable and not record.closed:
                result.unanswered.append(item)
            elif not record.answerable:
                result.proposals.append(item)
    result.files = [entry(record, "files") for record in knowledge.proposals]
    result.proposals.sort(key=lambda e: (-e.score, -e.record.created_at, e.record.number))
    result.answered.sort(key=lambda e: (-e.score, e.record.number))
    result.unanswered.sort(key=lambda e: (-e.score, e.record.created_at, e.record.number))
    return result


def _message(knowledge: Knowledge, sha: str | None) -> str:
    commit = knowledge.commits.get(sha) if sha else None
    return f"{commit.subject}\n{commit.body}" if commit is not None else ""
