"""Invents the routine commits between milestones: features, docs, tests, bot upkeep.

A filler is decided only when its turn comes, from the tree as it is then, so it can never touch a
file that does not exist yet. Everything random goes through the builder's seeded generator.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from posixpath import basename

from . import _files, _pools
from ._edits import (
    Append,
    ChangelogEntry,
    Create,
    Edit,
    InsertAfter,
    NotebookCell,
    Replace,
    ReplaceAll,
    Tree,
    applies,
    split,
)
from ._events import Direct, Event, PullRequest, Step
from ._people import BY_KEY, PEOPLE, Person


@dataclass(frozen=True)
class Change:
    """What a human filler does, before deciding who does it and how it lands."""

    kind: str
    area: str
    en: str
    zh: str
    edits: tuple[Edit, ...]
    body: str = ""
    chinese_only: bool = False
    authors: tuple[str, ...] = ()  # restrict to these people, e.g. the ones running evaluations


_NUMPY_PREFIX = {
    "feat": "ENH",
    "fix": "FIX",
    "docs": "DOC",
    "test": "TST",
    "ci": "CI",
    "perf": "ENH",
    "refactor": "MAINT",
    "chore": "MAINT",
}
_GITMOJI = {
    "feat": "✨",
    "fix": "🐛",
    "docs": "📝",
    "test": "✅",
    "ci": "👷",
    "perf": "⚡️",
    "refactor": "♻️",
    "chore": "🔧",
}
_CO_AUTHOR_SPELLINGS = ("Co-authored-by", "Co-authored-by", "co-authored-by", "Co-Authored-By")
_FOLLOW_UPS = ("Address review comments", "Fix lint", "Apply review feedback", "fix typo", "Update {file}")
_TYPOS = (
    ("README.md", "seperate", "separate"),
    ("CONTRIBUTING.md", "recieve", "receive"),
    ("docs/quickstart.md", "occured", "occurred"),
    ("docs/finetuning.md", "langauge", "language"),
)
_CI_TWEAKS = (
    _pools.Note(
        ".github/workflows/ci.yml",
        "cache pip downloads",
        "          cache: pip\n",
        anchor="          python-version: ${{ matrix.python-version }}\n",
    ),
    _pools.Note(
        ".github/workflows/ci.yml",
        "cancel superseded workflow runs",
        "\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: true\n",
        anchor="  pull_request:\n",
    ),
    _pools.Note(
        ".github/workflows/ci.yml",
        "add a ruff lint job",
        "\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: pipx run ruff check .\n",
    ),
    _pools.Note(
        ".github/workflows/ci.yml",
        "set a timeout for the test job",
        "    timeout-minutes: 30\n",
        anchor="    runs-on: ubuntu-latest\n",
    ),
)
_PACKAGE_REPOS = {
    "numpy": "numpy/numpy",
    "pytest": "pytest-dev/pytest",
    "ruff": "astral-sh/ruff",
    "safetensors": "huggingface/safetensors",
    "torch": "pytorch/pytorch",
    "transformers": "huggingface/transformers",
}
# Upstream release sequences, so that Dependabot only ever proposes versions that exist.
# fmt: off
_RUFF = ("0.2.1", "0.2.2", "0.3.0", "0.3.4", "0.4.0", "0.4.4", "0.5.0", "0.5.5", "0.6.0", "0.6.9", "0.7.0", "0.8.0",
         "0.9.0", "0.11.0", "0.12.0")
_RELEASES: dict[str, tuple[str, ...]] = {
    "numpy": ("1.26.3", "1.26.4", "2.0.0", "2.0.1", "2.1.0", "2.1.3", "2.2.0", "2.2.4", "2.3.0"),
    "pytest": ("8.0.0", "8.0.1", "8.0.2", "8.1.1", "8.2.0", "8.2.2", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.4.0"),
    "ruff": _RUFF,
    "safetensors": ("0.4.2", "0.4.3", "0.4.4", "0.4.5", "0.5.0", "0.5.2", "0.5.3"),
    "torch": ("2.2.0", "2.2.1", "2.2.2", "2.3.0", "2.3.1", "2.4.0", "2.4.1", "2.5.0", "2.5.1", "2.6.0", "2.7.0"),
    "transformers": ("4.37.2", "4.38.2", "4.39.3", "4.40.2", "4.41.2", "4.42.4", "4.43.4", "4.44.2", "4.45.2",
                     "4.46.3", "4.47.1", "4.48.3", "4.49.0", "4.50.3", "4.51.3", "4.52.4", "4.53.2"),
    "astral-sh/ruff-pre-commit": _RUFF[2:],
    "pre-commit/pre-commit-hooks": ("4.5.0", "4.6.0", "5.0.0"),
}
# fmt: on
_ACTION_LIMITS = {"actions/checkout": 4, "actions/setup-python": 5}
# Minimum days between two commits of the same bot, mirroring their schedules.
_BOT_INTERVALS = {"dependabot": 5, "precommit": 21, "nightly": 9}
_RESEARCHERS = ("alex", "lina", "liuyang", "priya", "wei")
_NIGHTLY_BASE = {"mmlu": 46.0, "ceval": 52.5, "gsm8k": 36.0}


def _area(path: str) -> str:
    if path.startswith("lumen/"):
        return basename(path).removesuffix(".py")
    for prefix, area in (("eval/", "eval"), ("tests/", "tests"), (".github/", "ci"), ("examples/", "examples")):
        if path.startswith(prefix):
            return area
    return "docs"


def _day(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, timezone.utc).date()


def _next_release(name: str, version: str) -> str | None:
    releases = _RELEASES[name]
    if version not in releases or version == releases[-1]:
        return None
    return releases[releases.index(version) + 1]


def _update_type(old: str, new: str) -> str:
    old_parts, new_parts = old.split("."), new.split(".")
    if old_parts[0] != new_parts[0]:
        return "major"
    return "minor" if old_parts[1] != new_parts[1] else "patch"


class FillerFactory:
    """Keeps track of which pool entries are used up and who has contributed so far."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[tuple[str, int]] = set()
        self._authored: set[str] = set()
        self._bot_runs: dict[str, int] = {}
        self._checkpoint = 0
        self._scores = dict(_pools.LEADERBOARD_BASE)
        self._builders: dict[str, tuple[int, Callable[[Tree, int], Event | None]]] = {
            "snippet": (14, self._snippet),
            "fix": (5, self._fix),
            "eval_task": (6, self._eval_task),
            "eval_flag": (3, self._eval_flag),
            "faq": (5, self._faq),
            "config_doc": (4, self._config_doc),
            "doc_note": (5, self._doc_note),
            "readme": (5, self._readme),
            "zh": (4, self._zh),
            "norm_case": (4, self._norm_case),
            "typo": (3, self._typo),
            "ci": (3, self._ci),
            "example": (2, self._example),
            "notebook": (2, self._notebook),
            "community": (4, self._community),
            "prompt": (3, self._prompt),
            "leaderboard": (3, self._leaderboard),
            "dependabot": (8, self._dependabot),
            "precommit": (3, self._precommit),
            "nightly": (4, self._nightly),
        }

    def make(self, tree: Tree, epoch: int) -> Event:
        for name in self._weighted_order():
            event = self._builders[name][1](tree, epoch)
            if event is not None:
                return event
        raise RuntimeError("no routine change applies to the current tree")

    def _weighted_order(self) -> Iterator[str]:
        """A lazy weighted shuffle, so unusable kinds fall through to the next likely one.

        Only sums and products of random() are involved, never pow() or log(), whose last bit may
        differ between C libraries and would change the SHAs.
        """
        remaining = list(self._builders)
        while remaining:
            name = self._rng.choices(remaining, weights=[self._builders[n][0] for n in remaining])[0]
            remaining.remove(name)
            yield name

    def _take(self, pool: str, count: int, tree: Tree, build: Callable[[int], Change]) -> Change | None:
        """First unused entry whose edits apply now; entries wait until their files exist."""
        for index in range(count):
            if (pool, index) in self._used:
                continue
            change = build(index)
            if applies(tree, change.edits):
                self._used.add((pool, index))
                return change
        return None

    # Human changes ---------------------------------------------------------------------------

    def _snippet(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            snippet = _pools.SNIPPETS[index]
            edits: list[Edit] = [Append(snippet.path, snippet.code)]
            test_path = f"tests/test_{basename(snippet.path)}"
            if snippet.test and test_path in tree:
                edits.append(Append(test_path, snippet.test))
            edits += self._maybe_changelog(tree, snippet.en)
            return Change(snippet.kind, _area(snippet.path), snippet.en, snippet.zh, tuple(edits), snippet.why)

        return self._human(self._take("snippet", len(_pools.SNIPPETS), tree, build), epoch)

    def _fix(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            fix = _pools.FIXES[index]
            edits = (Replace(fix.path, fix.old, fix.new), *self._maybe_changelog(tree, fix.en))
            kind = "ci" if fix.path.startswith(".github") else "fix"
            return Change(kind, _area(fix.path), fix.en, fix.zh, edits)

        return self._human(self._take("fix", len(_pools.FIXES), tree, build), epoch)

    def _eval_task(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            name, dataset, shots, metric, display = _pools.EVAL_TASKS[index]
            en = f"add {display} task config"
            edits: tuple[Edit, ...] = (
                Create(f"eval/tasks/{name}.yaml", _files.eval_task(name, dataset, shots, metric).encode()),
                Append("eval/README.md", f"- `{name}`: {display} ({shots}-shot)\n"),
                *self._maybe_changelog(tree, en),
            )
            return Change("feat", "eval", en, f"添加 {display} 评测任务", edits)

        return self._human(self._take("eval_task", len(_pools.EVAL_TASKS), tree, build), epoch)

    def _eval_flag(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            flag, spec = _pools.EVAL_FLAGS[index]
            anchor = '    parser.add_argument("--tasks", default="mmlu")\n'
            en = f"add a {flag} option to run_eval.py"
            edit = InsertAfter("eval/run_eval.py", anchor, f'    parser.add_argument("{flag}", {spec})\n')
            return Change("feat", "eval", en, "", (edit, *self._maybe_changelog(tree, en)))

        return self._human(self._take("eval_flag", len(_pools.EVAL_FLAGS), tree, build), epoch)

    def _faq(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            topic, question, answer = _pools.FAQ[index]
            edit = Append("docs/faq.md", f"\n## {question}\n\n{answer}\n")
            return Change("docs", "docs", f"add an FAQ entry about {topic}", "", (edit,))

        return self._human(self._take("faq", len(_pools.FAQ), tree, build), epoch)

    def _config_doc(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            key, text = _pools.CONFIG_FIELDS[index]
            edit = Append("docs/configuration.md", f"\n## `{key}`\n\n{text}\n")
            return Change("docs", "docs", f"document `{key}` in the configuration reference", "", (edit,))

        return self._human(self._take("config_doc", len(_pools.CONFIG_FIELDS), tree, build), epoch)

    def _note_change(self, note: _pools.Note, kind: str = "docs") -> Change:
        edit: Edit = InsertAfter(note.path, note.anchor, note.text) if note.anchor else Append(note.path, note.text)
        return Change(kind, _area(note.path), note.en, note.zh, (edit,), chinese_only=bool(note.zh))

    def _doc_note(self, tree: Tree, epoch: int) -> Event | None:
        notes = _pools.DOC_NOTES
        return self._human(self._take("doc_note", len(notes), tree, lambda i: self._note_change(notes[i])), epoch)

    def _readme(self, tree: Tree, epoch: int) -> Event | None:
        notes = _pools.README_NOTES
        return self._human(self._take("readme", len(notes), tree, lambda i: self._note_change(notes[i])), epoch)

    def _zh(self, tree: Tree, epoch: int) -> Event | None:
        notes = _pools.ZH_NOTES
        return self._human(self._take("zh", len(notes), tree, lambda i: self._note_change(notes[i])), epoch)

    def _ci(self, tree: Tree, epoch: int) -> Event | None:
        return self._human(
            self._take("ci", len(_CI_TWEAKS), tree, lambda i: self._note_change(_CI_TWEAKS[i], "ci")), epoch
        )

    def _norm_case(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            name, source, expected = _pools.NORMALIZATION_CASES[index]
            code = f"\n\ndef test_normalize_{name}():\n    assert normalize({source!r}) == {expected!r}\n"
            label = name.replace("_", " ")
            return Change(
                "test",
                "tokenizer",
                f"add a normalisation test for {label}",
                "",
                (Append("tests/test_tokenizer.py", code),),
            )

        return self._human(self._take("norm_case", len(_pools.NORMALIZATION_CASES), tree, build), epoch)

    def _typo(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            path, typo, fixed = _TYPOS[index]
            return Change("docs", "docs", f"fix typo in {path}", "修正错别字", (Replace(path, typo, fixed),))

        return self._human(self._take("typo", len(_TYPOS), tree, build), epoch)

    def _example(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            path, en, code = _pools.EXAMPLES[index]
            return Change("docs", "examples", en, "", (Create(path, code.encode()), *self._maybe_changelog(tree, en)))

        return self._human(self._take("example", len(_pools.EXAMPLES), tree, build), epoch)

    def _notebook(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            cell_id, kind, source, en = _pools.NOTEBOOK_CELLS[index]
            cell = NotebookCell("notebooks/quickstart.ipynb", _files.notebook_cell(cell_id, kind, source))
            return Change("docs", "notebooks", en, "", (cell,))

        return self._human(self._take("notebook", len(_pools.NOTEBOOK_CELLS), tree, build), epoch)

    def _community(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            name, text = _pools.COMMUNITY_MODELS[index]
            edit = Append("docs/community.md", f"| {name} | {text} |\n")
            return Change("docs", "docs", f"add {name} to the community models", "", (edit,))

        return self._human(self._take("community", len(_pools.COMMUNITY_MODELS), tree, build), epoch)

    def _prompt(self, tree: Tree, epoch: int) -> Event | None:
        def build(index: int) -> Change:
            topic, prompt = _pools.PROMPTS[index]
            edit = Append("docs/prompts.md", f"\n## {topic.capitalize()}\n\n```text\n{prompt}\n```\n")
            article = "an" if topic[0] in "aeiou" else "a"
            return Change("docs", "docs", f"add {article} {topic} prompt to the gallery", "添加提示词示例", (edit,))

        return self._human(self._take("prompt", len(_pools.PROMPTS), tree, build), epoch)

    def _leaderboard(self, tree: Tree, epoch: int) -> Event | None:
        """The one routine change that never runs out: results of ever-later training checkpoints."""
        if "eval/leaderboard.md" not in tree:
            return None
        self._checkpoint += self._rng.randint(10, 40)
        for name in self._scores:
            self._scores[name] += self._rng.uniform(-0.2, 0.6)
        cells = " | ".join(f"{score:.1f}" for score in self._scores.values())
        step = f"step-{self._checkpoint}k"
        edit = Append("eval/leaderboard.md", f"| {step} | {cells} |\n")
        return self._human(
            Change(
                "chore",
                "eval",
                f"add leaderboard results for {step}",
                f"更新排行榜：{step}",
                (edit,),
                authors=_RESEARCHERS,
            ),
            epoch,
        )

    def _maybe_changelog(self, tree: Tree, en: str) -> tuple[Edit, ...]:
        if "CHANGELOG.md" not in tree or self._rng.random() > 0.35:
            return ()
        return (ChangelogEntry(en[0].upper() + en[1:] + "."),)

    def _human(self, change: Change | None, epoch: int) -> Event | None:
        """Pick who makes the change and how it lands; maintainers sometimes push directly."""
        if change is None:
            return None
        day = _day(epoch)
        author = self._author(day, change)
        subject = self._subject(author, change)
        touches_readme = change.edits[0].path in ("README.md", "README_zh.md")
        if author.maintainer and self._rng.random() < 0.18:
            web = touches_readme and self._rng.random() < 0.7
            if web:
                subject = f"Update {basename(change.edits[0].path)}"
            return Direct(author.key, Step(subject, change.edits, change.body, web=web))
        if touches_readme and self._rng.random() < 0.3:
            subject = f"Update {basename(change.edits[0].path)}"
        steps = self._steps(author, subject, change)
        return PullRequest(author.key, subject, steps, trailers=self._co_authors(author, day))

    def _author(self, day: date, change: Change) -> Person:
        """Newcomers get a head start so that every active person appears in the history."""
        candidates = [
            p
            for p in PEOPLE
            if not p.bot
            and p.is_active(day)
            and (p.chinese or not change.chinese_only)
            and (p.key in change.authors or not change.authors)
        ]
        newcomers = [p for p in candidates if p.key not in self._authored]
        if newcomers and self._rng.random() < 0.3:
            person = newcomers[0]
        else:
            person = self._rng.choices(candidates, weights=[p.weight for p in candidates])[0]
        self._authored.add(person.key)
        return person

    def _subject(self, person: Person, change: Change) -> str:
        style = person.style if self._rng.random() < 0.75 else "plain"
        if person.chinese and change.zh and (change.chinese_only or self._rng.random() < 0.3):
            style = "zh"
        en, kind, area = change.en, change.kind, change.area
        capital = en[0].upper() + en[1:]
        if style == "conv":
            scoped = area not in (kind, "docs") and self._rng.random() < 0.6
            return f"{kind}({area}): {en}" if scoped else f"{kind}: {en}"
        if style == "numpy":
            return f"{_NUMPY_PREFIX[kind]}: {en}"
        if style == "bracket":
            return f"[{area.capitalize()}] {capital}"
        if style == "go":
            return f"{area}: {en}"
        if style == "gitmoji":
            return f"{_GITMOJI[kind]} {capital}"
        if style == "zh" and change.zh:
            return change.zh
        return capital

    def _steps(self, author: Person, subject: str, change: Change) -> tuple[Step, ...]:
        """Spread the change over 1-3 branch commits, the later ones being review follow-ups."""
        wanted = self._rng.choices((1, 2, 3), weights=(55, 30, 15))[0]
        edits = list(change.edits)
        while len(edits) < wanted:
            cut = next((i for i, edit in enumerate(edits) if split(edit)), None)
            if cut is None:
                break
            edits[cut : cut + 1] = split(edits[cut]) or ()
        count = min(wanted, len(edits))
        cuts = sorted(self._rng.sample(range(1, len(edits)), count - 1))
        groups = [tuple(edits[a:b]) for a, b in zip([0, *cuts], [*cuts, len(edits)], strict=True)]
        sign_off = (f"Signed-off-by: {author.local}",) if author.signs_off else ()
        steps = [Step(subject, groups[0], change.body, trailers=sign_off)]
        for group in groups[1:]:
            if self._rng.random() < 0.45:
                reviewer = self._reviewer(author)
                steps.append(
                    Step(
                        "Apply suggestions from code review",
                        group,
                        web=True,
                        trailers=(f"Co-authored-by: {reviewer.web}",),
                    )
                )
            else:
                follow_up = self._rng.choice(_FOLLOW_UPS).format(file=basename(group[0].path))
                steps.append(Step(follow_up, group, trailers=sign_off))
        return tuple(steps)

    def _reviewer(self, author: Person) -> Person:
        maintainers = [p for p in PEOPLE if p.maintainer and p.key != author.key]
        return self._rng.choice(maintainers)

    def _co_authors(self, author: Person, day: date) -> tuple[str, ...]:
        """Hand-written trailers, hence the inconsistent spelling seen in real repositories."""
        if self._rng.random() > 0.14:
            return ()
        humans = [p for p in PEOPLE if not p.bot and p.key != author.key and p.is_active(day)]
        partner = self._rng.choice(humans)
        return (f"{self._rng.choice(_CO_AUTHOR_SPELLINGS)}: {partner.web}",)

    # Bots ------------------------------------------------------------------------------------

    def _due(self, bot: str, epoch: int) -> bool:
        return epoch - self._bot_runs.get(bot, 0) >= _BOT_INTERVALS[bot] * 86400

    def _dependabot(self, tree: Tree, epoch: int) -> Event | None:
        if ".github/dependabot.yml" not in tree or not self._due("dependabot", epoch):
            return None
        options = self._pip_bumps(tree) + self._action_bumps(tree)
        if not options:
            return None
        self._bot_runs["dependabot"] = epoch
        name, old, new, edit, body = self._rng.choice(options)
        title = f"Bump {name} from {old} to {new}"
        step = Step(title, (edit,), body, author="dependabot", web=True)
        return PullRequest("dependabot", title, (step,), fresh=True)

    def _pip_bumps(self, tree: Tree) -> list[tuple[str, str, str, Edit, str]]:
        text = tree["requirements-dev.txt"].decode()
        bumps: list[tuple[str, str, str, Edit, str]] = []
        for name, old in re.findall(r"^([\w-]+)==([\d.]+)$", text, re.MULTILINE):
            new = _next_release(name, old)
            if new is None:
                continue
            repo = _PACKAGE_REPOS[name]
            update = _update_type(old, new)
            body = (
                f"Bumps [{name}](https://github.com/{repo}) from {old} to {new}.\n"
                f"- [Release notes](https://github.com/{repo}/releases)\n"
                f"- [Commits](https://github.com/{repo}/compare/v{old}...v{new})\n\n"
                f"---\nupdated-dependencies:\n- dependency-name: {name}\n  dependency-type: direct:development\n"
                f"  update-type: version-update:semver-{update}\n..."
            )
            bumps.append(
                (name, old, new, Replace("requirements-dev.txt", f"{name}=={old}\n", f"{name}=={new}\n"), body)
            )
        return bumps

    def _action_bumps(self, tree: Tree) -> list[tuple[str, str, str, Edit, str]]:
        text = tree[".github/workflows/ci.yml"].decode()
        bumps: list[tuple[str, str, str, Edit, str]] = []
        for action, version in sorted(set(re.findall(r"uses: ([\w/-]+)@v(\d+)", text))):
            if int(version) >= _ACTION_LIMITS.get(action, 0):
                continue
            new = str(int(version) + 1)
            body = (
                f"Bumps [{action}](https://github.com/{action}) from {version} to {new}.\n"
                f"- [Release notes](https://github.com/{action}/releases)\n"
                f"- [Commits](https://github.com/{action}/compare/v{version}...v{new})\n\n"
                f"---\nupdated-dependencies:\n- dependency-name: {action}\n  dependency-type: direct:production\n"
                "  update-type: version-update:semver-major\n..."
            )
            edit = ReplaceAll(".github/workflows/ci.yml", f"uses: {action}@v{version}\n", f"uses: {action}@v{new}\n")
            bumps.append((action, version, new, edit, body))
        return bumps

    def _precommit(self, tree: Tree, epoch: int) -> Event | None:
        if ".pre-commit-config.yaml" not in tree or not self._due("precommit", epoch):
            return None
        text = tree[".pre-commit-config.yaml"].decode()
        updates, edits = [], []
        for repo, old in re.findall(r"repo: https://github.com/([\w.-]+/[\w.-]+)\n    rev: v([\d.]+)", text):
            new = _next_release(repo, old)
            if new is None:
                continue
            updates.append(f"- [github.com/{repo}: v{old} → v{new}](https://github.com/{repo}/compare/v{old}...v{new})")
            edits.append(Replace(".pre-commit-config.yaml", f"rev: v{old}\n", f"rev: v{new}\n"))
        if not edits:
            return None
        self._bot_runs["precommit"] = epoch
        title = "[pre-commit.ci] pre-commit autoupdate"
        step = Step(title, tuple(edits), "updates:\n" + "\n".join(updates), author="precommit")
        return PullRequest("precommit", title, (step,), fresh=True)

    def _nightly(self, tree: Tree, epoch: int) -> Event | None:
        if "eval/results.csv" not in tree or not self._due("nightly", epoch):
            return None
        self._bot_runs["nightly"] = epoch
        day = _day(epoch).isoformat()
        rows = "".join(
            f"{day},{bench},{base + self._rng.uniform(-0.8, 0.8):.1f}\n" for bench, base in _NIGHTLY_BASE.items()
        )
        step = Step("Update nightly eval results [skip ci]", (Append("eval/results.csv", rows),))
        return Direct(BY_KEY["actions"].key, step)
