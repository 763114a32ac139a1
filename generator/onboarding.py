"""The onboarding guide: how this repository is really worked on, measured, not recited.

A CONTRIBUTING file says what the maintainers meant once; the history says what happens now. The
guide takes its facts from the history (how pull requests land, the commit style of the current
era, who works where, which files newcomers touched first) and from the files that run the
project (the install and test commands in ``pyproject.toml``, the Makefile and the CI workflows,
``CODEOWNERS``). Where CONTRIBUTING disagrees with the history, the guide says so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.changes import ReleaseNotes
from generator.errors import Finding
from generator.model import Change, Knowledge
from generator.safetext import redact_emails

_CONTRIBUTING = ("CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md", "CONTRIBUTING")
_CODEOWNERS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
_RUN = re.compile(r"^\s*(?:-\s*)?run:\s*[|>]?\s*(.*)$")
_TEST_COMMAND = re.compile(r"\b(pytest|make test|tox|nox|unittest|make check)\b")
_TARGET = re.compile(r"^([A-Za-z][\w.-]*)\s*:(?!=)", re.M)
_STYLES = {"squash": "squash-merged", "merge": "merged with a merge commit", "rebase": "rebased onto the branch"}
#: What says how pull requests are merged, not how a contributor keeps a branch: "squash and merge",
#: "PRs are squashed", "squashed when merging"; "git rebase upstream/main" or "please squash your
#: commits" ask something of the contributor and say nothing of the merge (a false alarm on real repos).
_PULLS = r"(?:pull requests?|PRs?|patches|changes|contributions)"
_SAID = (
    (re.compile(rf"\bsquash(?:ed)?[- ](?:and[- ])?merg|\b{_PULLS} (?:are|will be|get|is) squash|"
                r"\bsquash(?:ed)? (?:when|on|upon|while) merg", re.I), "squash"),
    (re.compile(rf"\brebase[- ]and[- ]merg|\b{_PULLS} (?:are|will be|get|is) rebased", re.I), "rebase"),
    (re.compile(rf"\b(?:we|maintainers) (?:use|create|make) (?:a )?merge commits?|\b{_PULLS} (?:are|will be|get|is) "
                r"merged with a merge commit", re.I), "merge"),
)


@dataclass(frozen=True, slots=True)
class Command:
    command: str
    #: Where it comes from: ``Makefile``, ``.github/workflows/ci.yml:24``, ``pyproject.toml``.
    source: str


@dataclass(slots=True)
class Onboarding:
    default_branch: str | None
    clone_url: str | None
    #: (how PRs land, how many), most common first, over the pull requests the history shows.
    merge_styles: list[tuple[str, int]] = field(default_factory=list)
    commit_style: str = ""
    example_titles: list[str] = field(default_factory=list)
    setup: list[Command] = field(default_factory=list)
    tests: list[Command] = field(default_factory=list)
    #: (area, owners, where the answer comes from): CODEOWNERS, else the history.
    owners: list[tuple[str, list[str], str]] = field(default_factory=list)
    first_files: list[tuple[str, int]] = field(default_factory=list)
    contributing: str | None = None
    #: What CONTRIBUTING says that the history contradicts.
    disagreements: list[str] = field(default_factory=list)

    @property
    def usual_merge(self) -> str | None:
        return self.merge_styles[0][0] if self.merge_styles else None


def merge_styles(changes: Iterable[Change]) -> list[tuple[str, int]]:
    counts = Counter(change.kind for change in changes if change.pr is not None and change.kind in _STYLES)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def setup_and_test_commands(texts: dict[str, str], paths: set[str]) -> tuple[list[Command], list[Command]]:
    """How to install and how to run the tests, from the files that do it (first found first)."""
    setup: list[Command] = []
    tests: list[Command] = []
    makefile = texts.get("Makefile", "")
    targets = set(_TARGET.findall(makefile))
    if "uv.lock" in paths:
        setup.append(Command("uv sync", "uv.lock"))
    elif "poetry.lock" in paths:
        setup.append(Command("poetry install", "poetry.lock"))
    if "pyproject.toml" in texts:
        extras = _extras(texts["pyproject.toml"])
        chosen = next((name for name in ("dev", "test", "tests", "all") if name in extras), None)
        setup.append(Command(f'pip install -e ".[{chosen}]"' if chosen else "pip install -e .", "pyproject.toml"))
    for name in ("requirements.txt", "requirements-dev.txt", "requirements/dev.txt"):
        if name in texts:
            setup.append(Command(f"pip install -r {name}", name))
    for target in ("install", "setup", "dev"):
        if target in targets:
            setup.insert(0, Command(f"make {target}", "Makefile"))
            break
    if "test" in targets:
        tests.append(Command("make test", "Makefile"))
    for path, text in sorted(texts.items()):
        if not path.startswith(".github/workflows/") and path != ".gitlab-ci.yml":
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            match = _RUN.match(line)
            if match and _TEST_COMMAND.search(match.group(1)) and len(tests) < 4:
                command = match.group(1).strip()
                if command and all(command != known.command for known in tests):
                    tests.append(Command(command, f"{path}:{number}"))
    if not tests and ("tests" in {p.split("/", 1)[0] for p in paths} or "pytest" in texts.get("pyproject.toml", "")):
        tests.append(Command("python -m pytest", "a tests/ folder"))
    return setup, tests


def _extras(pyproject: str) -> dict[str, Any]:
    from generator.tomlfile import load_toml

    try:
        data = load_toml(pyproject)
    except ValueError:
        return {}
    extras = data.get("project", {}).get("optional-dependencies", {})
    return extras if isinstance(extras, dict) else {}


def code_owners(texts: dict[str, str], paths: list[str], knowledge: Knowledge, findings: list[Finding]
                ) -> list[tuple[str, list[str], str]]:
    """Owners per top-level folder: from CODEOWNERS when the repository has one, else the history."""
    paths_of: dict[str, list[str]] = {}  # top-level folder → the paths under it, grouped in one pass
    for path in paths:
        if "/" in path:
            paths_of.setdefault(path.split("/", 1)[0], []).append(path)
    source = next((name for name in _CODEOWNERS if name in texts), None)
    if source is not None:
        from codeowners import CodeOwners

        rules = CodeOwners(_usable_rules(texts[source], source, findings))
        found = []
        for area in sorted(paths_of):
            owners = sorted({redact_emails(owner) for path in paths_of[area] for _, owner in rules.of(path)})
            if owners:
                found.append((area, owners, source))
        return found
    by_area: dict[str, Counter[str]] = {}
    for person in knowledge.people.values():
        if person.is_bot or not person.listed:
            continue
        for area, count in person.areas.items():
            by_area.setdefault(area, Counter())[person.name] += count
    return [(area, [name for name, _ in counts.most_common(3)], "history")
            for area, counts in sorted(by_area.items()) if area in paths_of]


def _usable_rules(text: str, source: str, findings: list[Finding]) -> str:
    """CODEOWNERS without the lines the ``codeowners`` library cannot read (it raises on a pattern such
    as ``[``, which failed the whole build with a traceback): each one a finding, the others kept."""
    from codeowners import CodeOwners

    kept = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            CodeOwners(line)
        except ValueError as error:
            findings.append(Finding(f"rule not understood ({str(error)[:80]}); skipped", f"{source}:{number}"))
            continue
        kept.append(line)
    return "\n".join(kept)


def first_files(knowledge: Knowledge, top: int = 10) -> list[tuple[str, int]]:
    """The files people touched in their first commit: where newcomers start."""
    counts: Counter[str] = Counter()
    for person in knowledge.people.values():
        if person.is_bot or not person.commits:
            continue
        first = min(person.commits, key=lambda sha: (knowledge.rows[sha][0], sha) if sha in knowledge.rows
                    else (0, sha))
        commit = knowledge.commits.get(first)
        if commit is not None:
            counts.update({change.path for change in commit.files})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def onboarding(knowledge: Knowledge, notes: ReleaseNotes, texts: dict[str, str], paths: list[str],
               clone_url: str | None, findings: list[Finding]) -> Onboarding:
    recent, styles, commit_style = _how_changes_land(knowledge, notes)
    guide = Onboarding(
        default_branch=knowledge.state.branch, clone_url=clone_url, merge_styles=styles, commit_style=commit_style,
        example_titles=[change.title for change in sorted(recent, key=lambda c: -c.timestamp)
                        if change.pr is not None][:3],
        owners=code_owners(texts, paths, knowledge, findings), first_files=first_files(knowledge),
    )
    guide.setup, guide.tests = setup_and_test_commands(texts, set(paths))
    guide.contributing = contributing_file(texts)
    guide.disagreements = _contributing_findings(guide.contributing, texts, styles, commit_style, findings)
    return guide


def contributing_file(texts: dict[str, str]) -> str | None:
    """The repository's contributing guide among the files read at HEAD, if it has one."""
    return next((name for name in _CONTRIBUTING if name in texts), None)


def check_contributing(knowledge: Knowledge, notes: ReleaseNotes, texts: dict[str, str],
                       findings: list[Finding]) -> None:
    """What the contributing guide says that the history contradicts, as findings (for ``almanac check``,
    which needs nothing else of the onboarding guide)."""
    _, styles, commit_style = _how_changes_land(knowledge, notes)
    _contributing_findings(contributing_file(texts), texts, styles, commit_style, findings)


def _how_changes_land(knowledge: Knowledge, notes: ReleaseNotes) -> tuple[list[Change], list[tuple[str, int]], str]:
    """The last 200 changes, how they were merged, and the commit style of the latest era."""
    changes = [change for release in knowledge.releases for change in release.changes] + notes.unreleased
    recent = sorted(changes, key=lambda change: change.timestamp)[-200:]
    eras = notes.coverage.eras
    return recent, merge_styles(recent), eras[-1].style if eras else ""


def _contributing_findings(name: str | None, texts: dict[str, str], styles: list[tuple[str, int]], commit_style: str,
                           findings: list[Finding]) -> list[str]:
    if name is None:
        return []
    disagreements = contributing_disagreements(texts[name], styles, commit_style)
    findings += [Finding(message, name, "info", "warning") for message in disagreements]
    return disagreements


def contributing_disagreements(text: str, styles: list[tuple[str, int]], commit_style: str) -> list[str]:
    """What CONTRIBUTING asks that the recent history does not do."""
    found = []
    total = sum(count for _, count in styles)
    if total >= 5:
        share = dict(styles)
        usual, usual_count = styles[0]
        for pattern, style in _SAID:
            if pattern.search(text) and share.get(style, 0) < 0.2 * total and style != usual:
                found.append(f"asks for pull requests to be {_STYLES[style]}, but {usual_count} of the last {total} "
                             f"were {_STYLES[usual]}")
                break
    if re.search(r"conventional commits?", text, re.I) and commit_style and commit_style != "conventional":
        found.append(f"asks for Conventional Commits, but the current commit style is {commit_style!r}")
    return found
