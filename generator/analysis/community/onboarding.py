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

from generator.analysis.history.changes import ReleaseNotes
from generator.model.errors import Finding
from generator.model.knowledge import Change, Knowledge
from generator.text.safetext import redact_emails

_CONTRIBUTING = ("CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md", "CONTRIBUTING")
_CODEOWNERS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
_TARGET = re.compile(r"^([A-Za-z][\w.-]*)\s*:(?!=)", re.MULTILINE)
_STYLES = {"squash": "squash-merged", "merge": "merged with a merge commit", "rebase": "rebased onto the branch"}
#: What says how pull requests are merged, not how a contributor keeps a branch: "squash and merge",
#: "PRs are squashed", "squashed when merging"; "git rebase upstream/main" or "please squash your
#: commits" ask something of the contributor and say nothing of the merge (a false alarm on real repos).
_PULLS = r"(?:pull requests?|PRs?|patches|changes|contributions)"
_SAID = (
    (re.compile(rf"\bsquash(?:ed)?[- ](?:and[- ])?merg|\b{_PULLS} (?:are|will be|get|is) squash|"
                r"\bsquash(?:ed)? (?:when|on|upon|while) merg", re.IGNORECASE), "squash"),
    (re.compile(rf"\brebase[- ]and[- ]merg|\b{_PULLS} (?:are|will be|get|is) rebased", re.IGNORECASE), "rebase"),
    (re.compile(rf"\b(?:we|maintainers) (?:use|create|make) (?:a )?merge commits?|\b{_PULLS} (?:are|will be|get|is) "
                r"merged with a merge commit", re.IGNORECASE), "merge"),
)


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
    def setup_script(self) -> str:
        return script(self.setup)

    @property
    def tests_script(self) -> str:
        return script(self.tests)

    @property
    def usual_merge(self) -> str | None:
        return self.merge_styles[0][0] if self.merge_styles else None


def script(commands: list[Command]) -> str:
    """The commands as lines to paste, each preceded by the ``cd`` into the folder its source runs it in
    (and back to the root after it)."""
    lines = []
    folder = ""
    for command in commands:
        if command.folder != folder:
            up = "../" * (folder.count("/") + 1) if folder else ""
            lines.append(f"cd {(up + command.folder).rstrip('/')}")
            folder = command.folder
        lines.append(command.command)
    return "\n".join(lines)


def merge_styles(changes: Iterable[Change]) -> list[tuple[str, int]]:
    counts = Counter(change.kind for change in changes if change.pr is not None and change.kind in _STYLES)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True, slots=True)
class Command:
    command: str
    #: Where it comes from: ``README.md:278``, ``.github/workflows/ci.yml:24``, ``Makefile:12``; for a
    #: composed command, the file it was composed from (``pyproject.toml``).
    source: str
    #: The folder to run it in, relative to the root ("" for the root), and the line that says so
    #: (``README.md:277``: ``cd DeepSeek-V3/inference``).
    folder: str = ""
    folder_source: str = ""
    #: True when no file states the command and Almanac composed it from the file named in ``source``.
    composed: bool = False


#: Where a command is stated, most authoritative for a contributor first: the contributing guide, the
#: README, then the Makefile's targets and the CI workflows (what the project really runs).
_DOCS = (*_CONTRIBUTING, "README.md")
_FENCE = re.compile(r"^\s*(?:[-*>]\s*|\d+\.\s+)?(```|~~~)")
_INLINE = re.compile(r"`([^`\n]+)`")
_PROMPT = re.compile(r"^(?:\$|>>>|>|#)\s+")
_PIP = re.compile(r"^(?:python3?\s+-m\s+)?(?:uv\s+)?pip3?\s+install\s+(.*)$")
_TEST = re.compile(r"^(?:[A-Za-z_]\w*=\S*\s+)*(?:(?:python3?\s+-m\s+)?(?:pytest|unittest)\b|make\s+tests?[\w-]*$"
                   r"|make\s+tests?[\w-]*\s|(?:tox|nox)(?:\s|$))")
_CD = re.compile(r"^cd\s+(\S+)$")
_CLONE = re.compile(r"^git\s+clone\s+(?:-\S+\s+)*(\S+?)(?:\s+([\w.-]+))?\s*$")
#: The workflows that run the test suite by their name, read first (``tests.yml`` before ``nightly.yml``).
_CI_NAME = re.compile(r"/(?:tests?|ci|main|python-package|pull_request)\.ya?ml$|^\.gitlab-ci\.yml$")
_RUN_KEY = re.compile(r"^(\s*)(?:-\s+)?run:\s*(.*)$")
_PIP_FLAGS_WITH_VALUE = frozenset(("-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f",
                                   "--find-links"))


def setup_and_test_commands(texts: dict[str, str], paths: set[str], names: Iterable[str] = ()
                            ) -> tuple[list[Command], list[Command]]:
    """How to install and how to run the tests: the commands the repository states (its contributing
    guide, README, Makefile targets, CI workflows, in that order of preference, each with its line),
    else one Almanac composes from the file that supports it (marked composed). Nothing else: a
    repository that states nothing and has nothing to install from gets no command.

    ``names`` are the names the repository is cloned under (a README's ``cd DeepSeek-V3/inference``
    starts in the clone; ``cd flash-attention`` after cloning another project leaves it), used to
    resolve the folder a stated command runs in."""
    folders = {"/".join(path.split("/")[:depth]) for path in paths for depth in range(path.count("/") + 1)}
    clone_names = {name.casefold() for name in names if name}
    makefile = texts.get("Makefile", "")
    targets = {match.group(1): makefile.count("\n", 0, match.start()) + 1 for match in _TARGET.finditer(makefile)}
    setup: list[Command] = []
    tests: list[Command] = []
    for name in _DOCS:
        if name in texts and not (setup and tests):
            found_setup, found_tests = _stated_in_doc(texts[name], name, paths, folders, clone_names, targets)
            setup = setup or found_setup
            tests = tests or found_tests
    if not setup:
        setup = next(([Command(f"make {target}", f"Makefile:{targets[target]}")]
                      for target in ("install", "setup", "dev") if target in targets), [])
    if not tests and "test" in targets:
        tests = [Command("make test", f"Makefile:{targets['test']}")]
    ci_setup: list[Command] = []
    ci_tests: list[Command] = []
    for path, text in sorted(texts.items(), key=lambda item: (_CI_NAME.search(item[0]) is None, item[0])):
        if (path.startswith(".github/workflows/") or path == ".gitlab-ci.yml") and not (ci_setup and ci_tests):
            for number, line in _run_lines(text):
                _take(line, f"{path}:{number}", "", "", paths, targets, ci_setup, ci_tests, ci=True)
    setup, tests = setup or ci_setup, tests or ci_tests
    return (setup or _composed_setup(texts, paths))[:3], (tests or _composed_tests(texts, paths))[:3]


def _stated_in_doc(text: str, name: str, paths: set[str], folders: set[str], clone_names: set[str],
                   targets: dict[str, int]) -> tuple[list[Command], list[Command]]:
    """The install and test commands a Markdown document states in its code blocks (with the folder a
    ``cd`` before them in the same block moves to) and in its inline code spans."""
    setup: list[Command] = []
    tests: list[Command] = []
    clone_names = set(clone_names)  # and the folder a `git clone` of this repository names
    fence: str | None = None
    folder: str | None = ""
    folder_source = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        opening = _FENCE.match(raw)
        if opening:
            fence = None if fence else opening.group(1)
            folder, folder_source = "", ""
            continue
        if fence is None:
            for span in _INLINE.findall(raw):
                if len(span.split()) >= 2:
                    _take(span, f"{name}:{number}", "", "", paths, targets, setup, tests)
            continue
        for segment in _PROMPT.sub("", raw.strip()).split("&&"):
            segment = segment.strip()
            cd = _CD.match(segment.split("#", 1)[0].strip())
            clone = _CLONE.match(segment)
            if clone:  # `git clone <this repository> <folder>`: the folder later `cd`s start from
                cloned = clone.group(1).rstrip("/").rsplit("/", 1)[-1].removesuffix(".git").casefold()
                if cloned in clone_names and clone.group(2):
                    clone_names.add(clone.group(2).casefold())
            elif cd:
                folder = _resolve_cd(folder, cd.group(1), folders, clone_names)
                folder_source = f"{name}:{number}: cd {cd.group(1)}" if folder else ""
            elif folder is not None:
                _take(segment, f"{name}:{number}", folder, folder_source, paths, targets, setup, tests)
    return setup, tests


def _resolve_cd(current: str | None, target: str, folders: set[str], clone_names: set[str]) -> str | None:
    """The tree folder a ``cd`` moves to, or None when it leaves the repository (``cd flash-attention``,
    a clone of another project): nothing stated after it is a command of this repository."""
    parts = [part for part in target.strip("'\"").split("/") if part not in ("", ".")]
    if re.match(r"^(?:\$HOME|\$\{HOME\}|~|/)", target.strip("'\"")):  # from elsewhere: back into the clone?
        starts = [index for index, part in enumerate(parts) if part.casefold() in clone_names]
        if not starts:
            return None
        current, parts = "", parts[starts[-1] + 1:]
    elif current is None:
        return None
    elif parts and parts[0].casefold() in clone_names and current == "":
        parts = parts[1:]  # `cd DeepSeek-V3/inference` right after cloning it
    folder = current
    for part in parts:
        if part == "..":
            if not folder:
                return None
            folder = folder.rpartition("/")[0]
        else:
            folder = f"{folder}/{part}" if folder else part
            if folder not in folders:
                return None
    return folder


def _take(line: str, source: str, folder: str, folder_source: str, paths: set[str],
          targets: dict[str, int], setup: list[Command], tests: list[Command], ci: bool = False) -> None:
    """Keeps ``line`` as an install or a test command when it is one of this repository's."""
    command = _PROMPT.sub("", line.strip())
    bare = command.split(" #", 1)[0].strip()
    if _installs_this_repository(bare, folder, paths, targets):
        if all(known.command != command for known in setup):
            setup.append(Command(command, source, folder, folder_source))
    elif (_TEST.match(bare) and (ci or folder or not bare.startswith("make") or bare.split()[1] in targets)
          and _files_exist(bare, folder, paths) and all(known.command != command for known in tests)):
        tests.append(Command(command, source, folder, folder_source))


def _files_exist(command: str, folder: str, paths: set[str]) -> bool:
    """Whether every ``.py`` file a test command names is in the tree: a contributing guide's
    ``pytest run_sanity_check.py`` for a file since removed is not a command to publish."""
    here = f"{folder}/" if folder else ""
    named = [word.split("::", 1)[0] for word in command.split() if re.fullmatch(r"[\w./-]+\.py(?:::\S+)?", word)]
    return all(_normalise(here + path) in paths for path in named)


def _installs_this_repository(command: str, folder: str, paths: set[str], targets: dict[str, int]) -> bool:
    """``pip install -r <a requirements file of the tree>``, ``pip install -e .`` where a ``setup.py`` or
    ``pyproject.toml`` is, ``poetry install``, ``uv sync``, ``conda env create -f <file>``, ``make install``;
    not ``pip install vllm`` (another project) or ``pip install .`` after ``cd flash-attention``."""
    here = f"{folder}/" if folder else ""
    buildable = f"{here}setup.py" in paths or f"{here}pyproject.toml" in paths
    if re.match(r"^(?:poetry install|uv sync)\b", command):
        return f"{here}pyproject.toml" in paths
    conda = re.match(r"^(?:conda|mamba) env create\s+(?:-f|--file)\s+(\S+)", command)
    if conda:
        return _normalise(here + conda.group(1)) in paths
    if re.fullmatch(r"make install", command):
        return not folder and "install" in targets
    pip = _PIP.match(command)
    if not pip:
        return False
    words = [word.strip("'\"") for word in pip.group(1).split()]
    local = False
    index = 0
    while index < len(words):
        word = words[index]
        if word in ("-r", "--requirement"):
            if index + 1 >= len(words) or _normalise(here + words[index + 1]) not in paths:
                return False
            local, index = True, index + 2
            continue
        if word in _PIP_FLAGS_WITH_VALUE:
            index += 2
            continue
        if word.startswith("-"):
            index += 1
            continue
        if re.fullmatch(r"\.(?:/)?(?:\[[\w,.-]+\])?", word) and buildable:
            local = True
        else:
            return False  # another package (`pip install peft`), or a folder this command cannot install
        index += 1
    return local


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _run_lines(text: str) -> Iterable[tuple[int, str]]:
    """Each command line of a CI file's ``run:`` steps with its line number: the value of a one-line
    ``run: cmd`` and every line of a ``run: |`` block (read as text, so a file YAML rejects still
    yields the lines it has)."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = _RUN_KEY.match(lines[index])
        index += 1
        if not match:
            continue
        value = match.group(2).split(" #", 1)[0].strip()
        if value and value[0] not in "|>":
            yield index, value[1:-1] if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"" else value
            continue
        indent = len(match.group(1))
        while index < len(lines) and (not lines[index].strip() or
                                      len(lines[index]) - len(lines[index].lstrip()) > indent):
            if lines[index].strip():
                yield index + 1, lines[index].strip()
            index += 1


def _composed_setup(texts: dict[str, str], paths: set[str]) -> list[Command]:
    """An install command no file states, composed from the one file that supports it (said so)."""
    if "uv.lock" in paths:
        return [Command("uv sync", "uv.lock", composed=True)]
    if "poetry.lock" in paths and "pyproject.toml" in paths:
        return [Command("poetry install", "poetry.lock", composed=True)]
    if "pyproject.toml" in texts and re.search(r"^\[(?:project|tool\.poetry)\]", texts["pyproject.toml"], re.MULTILINE):
        extras = _extras(texts["pyproject.toml"])
        chosen = next((name for name in ("dev", "test", "tests") if name in extras), None)
        return [Command(f'pip install -e ".[{chosen}]"' if chosen else "pip install -e .", "pyproject.toml",
                        composed=True)]
    if "setup.py" in paths:
        return [Command("pip install -e .", "setup.py", composed=True)]
    if "requirements.txt" in paths:
        return [Command("pip install -r requirements.txt", "requirements.txt", composed=True)]
    named = [path for path in sorted(paths) if re.search(r"(?:^|/)requirements[^/]*\.txt$", path) and
             any(path in texts.get(doc, "") for doc in _DOCS)]  # a requirements file a document names
    return [Command(f"pip install -r {path}", path, composed=True) for path in named[:1]]


def _composed_tests(texts: dict[str, str], paths: set[str]) -> list[Command]:
    """A test command no file states, composed from the test runner's own configuration file."""
    if "tox.ini" in paths:
        return [Command("tox", "tox.ini", composed=True)]
    if "noxfile.py" in paths:
        return [Command("nox", "noxfile.py", composed=True)]
    for name in ("pytest.ini", "conftest.py", "tests/conftest.py"):
        if name in paths:
            return [Command("python -m pytest", name, composed=True)]
    for name, marker in (("pyproject.toml", "[tool.pytest"), ("setup.cfg", "[tool:pytest]")):
        if marker in texts.get(name, ""):
            return [Command("python -m pytest", name, composed=True)]
    return []


def _extras(pyproject: str) -> dict[str, Any]:
    from generator.sources.files.tomlfile import load_toml

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
        first = min(person.commits, key=lambda sha: (knowledge.rows[sha].author_time, sha) if sha in knowledge.rows
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
    names = [clone_url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")] if clone_url else []
    folder = knowledge.state.root.rstrip("/").rsplit("/", 1)[-1]  # the folder it was cloned into, and the
    names += [folder, folder.rsplit("+", 1)[-1]]  # name of an `owner+name` mirror folder
    guide.setup, guide.tests = setup_and_test_commands(texts, set(paths), [*names, knowledge.name])
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
    if re.search(r"conventional commits?", text, re.IGNORECASE) and commit_style and commit_style != "conventional":
        found.append(f"asks for Conventional Commits, but the current commit style is {commit_style!r}")
    return found
