"""Turns the story's events into commits, refs and tags, streaming them to git fast-import.

This is where GitHub's behaviour is imitated: squash commits authored by the PR author and committed
by GitHub, ``Merge pull request`` commits, fast-forward merges, ``refs/pull/N/head`` for every PR,
reverts and ``cherry-pick -x`` backports that quote real SHAs.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ._edits import (
    Append,
    Edit,
    EditError,
    InsertAfter,
    Replace,
    Tree,
    applies,
    apply_all,
)
from ._events import (
    Backport,
    Direct,
    Event,
    Filler,
    Phase,
    PullRequest,
    Release,
    Revert,
    Step,
    compose,
    main_slots,
)
from ._fastimport import FastImport, Signature
from ._filler import FillerFactory
from ._people import BY_KEY, GITHUB, Person, utc_offset_minutes

MAIN = "refs/heads/main"
_MAX_PR_AGE = 6  # how many main commits a PR base may lag behind the tip


@dataclass(frozen=True)
class Tip:
    mark: int
    tree: Tree
    epoch: int


@dataclass(frozen=True)
class PullRecord:
    """What the forge would know of a PR: recorded while the history is built, for the demo's forge cache."""

    number: int
    title: str
    author: str
    landing: str
    created: int
    landed: int | None
    mark: int | None


@dataclass(frozen=True)
class Landed:
    """What reverts and backports need to know about a change already on main."""

    mark: int
    subject: str
    message: str
    author: Signature
    edits: tuple[Edit, ...]


def _diff(old: Tree, new: Tree) -> dict[str, bytes | None]:
    changes: dict[str, bytes | None] = {path: None for path in old if path not in new}
    changes.update({path: content for path, content in new.items() if old.get(path) != content})
    return changes


def _local_day(epoch: int, person: Person) -> str:
    offset = timedelta(minutes=utc_offset_minutes(person.zone, epoch))
    return datetime.fromtimestamp(epoch, timezone(offset)).date().isoformat()


def _team_hours(epoch: int) -> float:
    """Most of the team is in Beijing and Europe: busy in the UTC morning, quiet at UTC night."""
    hour = epoch // 3600 % 24
    return 1.0 if hour < 11 else 0.6 if hour < 18 else 0.2


def _waking_hours(epoch: int, zone: str) -> float:
    local_hour = (epoch + 60 * utc_offset_minutes(zone, epoch)) // 3600 % 24
    return 1.0 if local_hour >= 9 else 0.1


def _pep440(tag: str) -> str:
    return tag.removeprefix("v").replace("-rc", "rc")


def _inverse(edit: Edit) -> Edit:
    if not isinstance(edit, (Append, InsertAfter, Replace)):
        raise TypeError(f"cannot revert {edit!r}")
    return edit.inverse()


class HistoryBuilder:
    """Plays the phases in order; one seeded generator drives every choice, so output is reproducible.

    Trees are kept in memory per main commit, which lets a PR branch start from an older commit and
    lets fast-import receive only the files each commit changes.
    """

    def __init__(self, fast_import: FastImport, seed: int) -> None:
        self._git = fast_import
        self._rng = random.Random(seed)
        self._fillers = FillerFactory(self._rng)
        self._main: list[Tip] = []
        self._branches: dict[str, Tip] = {}
        self._versions: dict[str, tuple[str, str]] = {"main": ("0.1.0.dev0", "")}
        self._landed: dict[str, Landed] = {}
        self._numbers: dict[str, int] = {}
        self._next_number = 1
        self._slots: deque[int] = deque()
        #: Every PR as the forge saw it, in the order they were opened.
        self.pulls: list[PullRecord] = []
        self._branch_start = 0

    def run(self, start: datetime, phases: tuple[Phase, ...]) -> None:
        begin = int(start.timestamp())
        for phase in phases:
            end = int(phase.end.timestamp())
            sequence = list(self._interleave(phase))
            on_main = phase.release is not None and phase.release.on_branch is None
            count = sum(main_slots(event) for event in sequence) + on_main
            self._slots = deque(self._timeline(begin, end, count, pin_start=not self._main, pin_end=on_main))
            for event in sequence:
                self._handle(event)
            if phase.release is not None:
                self._release(phase.release, end)
            begin = end

    # Time ------------------------------------------------------------------------------------

    def _interleave(self, phase: Phase) -> Iterator[Event]:
        """Scripted events keep their order; routine fillers fall randomly between them."""
        total = len(phase.events) + phase.fillers
        positions = set(self._rng.sample(range(total), len(phase.events)))
        scripted = iter(phase.events)
        for index in range(total):
            yield next(scripted) if index in positions else Filler()

    def _timeline(self, begin: int, end: int, count: int, pin_start: bool, pin_end: bool) -> list[int]:
        """Distinct sorted epochs, so committer dates strictly increase along main.

        The last hour of a phase stays free so that backports made after the last slot still
        precede a release at the phase's end.
        """
        head = [begin] if pin_start else []
        tail = [end] if pin_end else []
        middle = self._sample(begin + 1, end - 3600, count - len(head) - len(tail), _team_hours)
        return head + middle + tail

    def _spread(self, after: int, before: int, count: int, zone: str) -> list[int]:
        if before - after <= count:
            return [after + 1 + index for index in range(count)]
        return self._sample(after + 1, before, count, lambda epoch: _waking_hours(epoch, zone))

    def _sample(self, low: int, high: int, count: int, likelihood: Callable[[int], float]) -> list[int]:
        """Rejection sampling, so commits cluster in the hours people actually work."""
        chosen: set[int] = set()
        while len(chosen) < count:
            epoch = self._rng.randrange(low, high)
            if self._rng.random() < likelihood(epoch):
                chosen.add(epoch)
        return sorted(chosen)

    # Commits ---------------------------------------------------------------------------------

    def _commit(
        self, ref: str, author: Signature, committer: Signature, message: str, parents: tuple[Tip, ...], tree: Tree
    ) -> int:
        old = parents[0].tree if parents else {}
        marks = tuple(parent.mark for parent in parents)
        return self._git.commit(ref, author, committer, message, marks, _diff(old, tree))

    def _signatures(self, step: Step, default_author: str, epoch: int) -> tuple[Signature, Signature]:
        person = BY_KEY[step.author or default_author]
        if step.web:
            return Signature(person.web, epoch, person.zone), Signature(GITHUB, epoch, person.zone)
        signature = Signature(person.local, epoch, person.zone)
        return signature, signature

    def _number(self, key: str | None) -> int:
        """PRs and issues share GitHub's counter, so PR numbers skip the issues in between."""
        number = self._next_number
        self._next_number += self._rng.choices((1, 2, 3, 4), weights=(50, 25, 15, 10))[0]
        if key:
            self._numbers[key] = number
        return number

    # Events ----------------------------------------------------------------------------------

    def _handle(self, event: Event) -> None:
        if isinstance(event, Filler):
            event = self._fillers.make(self._main[-1].tree, self._slots[0])
        if isinstance(event, Direct):
            self._direct(event)
        elif isinstance(event, PullRequest):
            self._pull_request(event)
        elif isinstance(event, Revert):
            self._revert(event)
        elif isinstance(event, Backport):
            self._backport(event)

    def _direct(self, event: Direct) -> None:
        epoch = self._slots.popleft()
        author, committer = self._signatures(event.step, event.author, epoch)
        if not event.step.web and self._rng.random() < 0.3:
            # Rebased locally before pushing: authored earlier than committed.
            author = Signature(author.identity, epoch - self._rng.randint(60, 6 * 3600), author.zone)
        parents = tuple(self._main[-1:])  # empty only for the root commit
        tree = apply_all(parents[0].tree if parents else {}, event.step.edits)
        mark = self._commit(MAIN, author, committer, event.step.message(), parents, tree)
        self._main.append(Tip(mark, tree, epoch))

    def _pull_request(self, pr: PullRequest) -> None:
        number = self._number(pr.key)
        title = pr.title.format_map(self._numbers)
        ref = f"refs/pull/{number}/head"
        if pr.landing == "rebase":
            start = self._slots[0]
            self._fast_forward(pr, ref)
            self.pulls.append(PullRecord(number, title, pr.author, "rebase", start, self._main[-1].epoch,
                                         self._main[-1].mark))
            return
        edits = tuple(edit for step in pr.steps for edit in step.edits)
        if pr.landing == "open":
            now = self._main[-1].epoch
            self._branch(pr, ref, self._base(edits, pr), now + self._rng.randint(3600, 3 * 86400))
            self.pulls.append(PullRecord(number, title, pr.author, "open", self._branch_start, None, None))
            return
        epoch = self._slots.popleft()
        head = self._branch(pr, ref, self._base(edits, pr), epoch)
        tip = self._main[-1]
        tree = apply_all(tip.tree, edits)
        if pr.landing == "merge":
            self._merge_commit(pr, number, title, head, tree, epoch)
            self.pulls.append(PullRecord(number, title, pr.author, "merge", self._branch_start, epoch,
                                         self._main[-1].mark))
            return
        person = BY_KEY[pr.author]
        author = Signature(person.web, epoch, person.zone)
        subject = f"{title} (#{number})"
        message = compose(subject, self._squash_body(pr), self._squash_trailers(pr))
        mark = self._commit(MAIN, author, Signature(GITHUB, epoch, person.zone), message, (tip,), tree)
        self._main.append(Tip(mark, tree, epoch))
        self.pulls.append(PullRecord(number, title, pr.author, "squash", self._branch_start, epoch, mark))
        if pr.key:
            self._landed[pr.key] = Landed(mark, subject, message, author, edits)

    def _base(self, edits: tuple[Edit, ...], pr: PullRequest) -> Tip:
        """PRs start from an older main commit when their patch allows it, like real branches."""
        oldest = 0 if pr.fresh else self._rng.randint(0, min(_MAX_PR_AGE, len(self._main) - 1))
        for back in range(oldest, -1, -1):
            tip = self._main[-1 - back]
            if applies(tip.tree, edits):
                return tip
        raise EditError(f"{pr.title!r} does not apply to main")

    def _branch(self, pr: PullRequest, ref: str, base: Tip, until: int) -> Tip:
        tip = base
        zone = BY_KEY[pr.author].zone
        epochs = self._spread(base.epoch, until, len(pr.steps), zone)
        self._branch_start = epochs[0] if epochs else base.epoch
        for step, epoch in zip(pr.steps, epochs, strict=True):
            tree = apply_all(tip.tree, step.edits)
            author, committer = self._signatures(step, pr.author, epoch)
            mark = self._commit(ref, author, committer, step.message(), (tip,), tree)
            tip = Tip(mark, tree, epoch)
        return tip

    def _squash_body(self, pr: PullRequest) -> str:
        """GitHub's default squash message lists the branch commits when there are several."""
        if pr.body is not None:
            return pr.body.format_map(self._numbers)
        if len(pr.steps) == 1:
            return pr.steps[0].body
        return "\n\n".join(f"* {step.subject}" + (f"\n\n{step.body}" if step.body else "") for step in pr.steps)

    def _squash_trailers(self, pr: PullRequest) -> tuple[str, ...]:
        trailers = [trailer for step in pr.steps for trailer in step.trailers] + list(pr.trailers)
        return tuple(dict.fromkeys(trailers))

    def _merge_commit(self, pr: PullRequest, number: int, title: str, head: Tip, tree: Tree, epoch: int) -> None:
        """On GitHub the merge commit is authored by whoever pressed the button."""
        merger = BY_KEY[pr.merger]
        owner = pr.head_owner or BY_KEY[pr.author].login
        message = f"Merge pull request #{number} from {owner}/{pr.branch}\n\n{title}\n"
        author = Signature(merger.web, epoch, merger.zone)
        committer = Signature(GITHUB, epoch, merger.zone)
        mark = self._commit(MAIN, author, committer, message, (self._main[-1], head), tree)
        self._main.append(Tip(mark, tree, epoch))

    def _fast_forward(self, pr: PullRequest, ref: str) -> None:
        """Rebased onto the tip and pushed as-is: the PR head ends up on main's first-parent chain."""
        for step in pr.steps:
            epoch = self._slots.popleft()
            tip = self._main[-1]
            tree = apply_all(tip.tree, step.edits)
            author, committer = self._signatures(step, pr.author, epoch)
            mark = self._commit(MAIN, author, committer, step.message(), (tip,), tree)
            self._main.append(Tip(mark, tree, epoch))
        self._git.reset(ref, self._main[-1].mark)

    def _revert(self, event: Revert) -> None:
        target = self._landed[event.target]
        subject = f'Revert "{target.subject}"'
        body = f"This reverts commit {self._git.sha(target.mark)}.\n\n{event.reason}"
        step = Step(subject, tuple(_inverse(edit) for edit in reversed(target.edits)), body)
        if event.as_pr:
            self._pull_request(PullRequest(event.author, subject, (step,), fresh=True))
        else:
            self._direct(Direct(event.author, step))

    def _backport(self, event: Backport) -> None:
        target = self._landed[event.target]
        tip = self._branches[event.branch]
        epoch = max(tip.epoch, self._main[-1].epoch) + self._rng.randint(600, 3600)
        message = f"{target.message.rstrip()}\n\n(cherry picked from commit {self._git.sha(target.mark)})\n"
        picker = BY_KEY[event.picker]
        tree = apply_all(tip.tree, target.edits)
        committer = Signature(picker.local, epoch, picker.zone)
        mark = self._commit(f"refs/heads/{event.branch}", target.author, committer, message, (tip,), tree)
        self._branches[event.branch] = Tip(mark, tree, epoch)

    # Releases --------------------------------------------------------------------------------

    def _release(self, release: Release, epoch: int) -> None:
        line = release.on_branch or "main"
        tip = self._branches[line] if release.on_branch else self._main[-1]
        if release.on_branch is None:
            self._slots.popleft()
        tagger = BY_KEY[release.tagger]
        version, day = _pep440(release.tag), _local_day(epoch, tagger)
        edits = self._release_edits(tip.tree, line, version, day, release.news)
        tree = apply_all(tip.tree, edits)
        signature = Signature(tagger.local, epoch, tagger.zone)
        message = f"{release.subject}\n"
        mark = self._commit(f"refs/heads/{line}", signature, signature, message, (tip,), tree)
        self._versions[line] = (version, day)
        if release.on_branch:
            self._branches[line] = Tip(mark, tree, epoch)
        else:
            self._main.append(Tip(mark, tree, epoch))
        if release.create_branch:
            self._git.reset(f"refs/heads/{release.create_branch}", mark)
            self._branches[release.create_branch] = Tip(mark, tree, epoch)
            self._versions[release.create_branch] = (version, day)
        self._tag(release, mark, Signature(tagger.local, epoch + self._rng.randint(120, 1800), tagger.zone))

    def _release_edits(self, tree: Tree, line: str, version: str, day: str, news: str) -> tuple[Edit, ...]:
        old, old_day = self._versions[line]
        edits: list[Edit] = [
            Replace("pyproject.toml", f'version = "{old}"', f'version = "{version}"'),
            Replace("lumen/__init__.py", f'__version__ = "{old}"', f'__version__ = "{version}"'),
            Replace("CHANGELOG.md", "## [Unreleased]\n\n", f"## [Unreleased]\n\n## [{version}] - {day}\n\n"),
        ]
        if "CITATION.cff" in tree:
            edits.append(
                Replace(
                    "CITATION.cff",
                    f'version: {old}\ndate-released: "{old_day}"',
                    f'version: {version}\ndate-released: "{day}"',
                )
            )
        if news:
            edits.append(InsertAfter("README.md", "## News\n\n", f"- {day}: {news}\n"))
        return tuple(edits)

    def _tag(self, release: Release, mark: int, tagger: Signature) -> None:
        if release.message is None:
            self._git.reset(f"refs/tags/{release.tag}", mark)
        else:
            self._git.tag(release.tag, mark, tagger, release.message)
