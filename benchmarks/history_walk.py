"""How fast Almanac walks a large history, measured against the floor that git itself sets.

Almanac's walk is one streaming ``git log`` parsed in Python, then identities, releases and model facts
(``build_knowledge``). Nothing it does can be faster than git producing that same stream, so the
baseline is a raw ``git log`` with exactly Almanac's options and revisions, and the interesting numbers
are ratios against it: how much the Python side adds on a cold build, how much of that a warm commit
cache saves after one new commit, and how much memory a cold build needs.

Run ``python benchmarks/history_walk.py [--commits N] [--tags N] [--work DIR] [--quick]``. The synthetic
repository is built once per parameter set with a single ``git fast-import`` and reused by later runs.
The script reports and never gates: it exits 0 whatever the numbers, unless something crashed.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere, without installing the project
    sys.path.insert(0, str(ROOT))

from generator.build import BuildOptions, build_knowledge  # noqa: E402
from generator.model.knowledge import Knowledge  # noqa: E402
from generator.sources.git.env import isolated_git_env  # noqa: E402
from generator.sources.git.repo import _GIT_ENV, GitRunner  # noqa: E402
from generator.sources.git.walk import LOG_OPTIONS  # noqa: E402

#: Bump when the generator changes, so cached repositories built by an older version are not reused.
GENERATOR_VERSION = 3
SEED = 20240611
DEFAULT_COMMITS, DEFAULT_TAGS, DEFAULT_REPEAT = 50_000, 500, 3
QUICK_COMMITS, QUICK_TAGS, QUICK_REPEAT = 5_000, 50, 1
DEFAULT_WORK = ROOT / "benchmarks" / ".work"

#: Targets from the performance brief; the RSS one is stated for a 100 000-commit history.
TARGET_COLD_OVER_BASELINE = 1.5
TARGET_WARM_OVER_COLD = 0.05
TARGET_RSS_MIB = 1024
TARGET_RSS_COMMITS = 100_000

START_EPOCH = 1_577_836_800  # 2020-01-01T00:00:00Z
#: Every generated history spans about four years, whatever its size, so "last 90 days" stays meaningful.
SPAN_SECONDS = 4 * 365 * 86_400
PATH_COUNT = 3_000
MERGE_EVENT_PROBABILITY = 0.021  # a merge event adds 1-3 side commits + 1 merge: about 2% of commits are merges
REBASE_EVENT_PROBABILITY = 0.006  # GitHub's "Rebase and merge": the PR's commits replayed on main, new SHAs
ABANDONED_EVENT_PROBABILITY = 0.004  # a PR never merged: its head stays under refs/pull/N/head only
AUTHOR_COUNT = 300
_CHUNK = 1 << 20


# --------------------------------------------------------------------------------------------------
# The synthetic repository
# --------------------------------------------------------------------------------------------------

_FIRST = (
    "Alice", "Bruno", "Chloé", "Dmitri", "Elif", "Farid", "Greta", "Hana", "Ivan", "Jürgen", "Kaito",
    "Lena", "Mateus", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Tomasz", "Uma", "Vikram",
    "Wen", "Ximena", "Yusuf", "Zoë", "Ángel", "Björn", "Łucja", "Renée", "Sam", "Noah",
)  # fmt: skip
_LAST = (
    "Anderson", "Bianchi", "Çelik", "Dubois", "Eriksson", "Fernández", "García", "Hoffmann", "Ivanova",
    "Jensen", "Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Petrov", "Quinn", "Rossi", "Schäfer",
    "Tanaka", "Ueda", "Vasquez", "Wójcik", "Xu", "Yilmaz", "Zhang", "Novák", "Ødegaard",
)  # fmt: skip
#: Names in their own scripts: identity resolution, NFC and slugs must cope with them at scale too.
_NATIVE_NAMES = (
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "山田太郎", "佐藤花子", "김민준", "이서연",
    "Дмитрий Смирнов", "Ольга Кузнецова", "محمد علي", "Αλέξανδρος Παπαδόπουλος", "Nguyễn Văn An",
)  # fmt: skip
_BOTS = (
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"),
    ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com"),
)
_DOMAINS = ("gmail.com", "example.org", "lab.example.edu", "corp.example.com", "proton.me", "outlook.com")
_ZONES = ("+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0800", "+0900", "-0300", "+1000")

_TYPES = ("feat", "fix", "docs", "chore", "refactor", "test", "perf", "ci", "build", "style")
_SCOPES = ("tokenizer", "attention", "trainer", "eval", "config", "data", "cli", "docs", "export", "quant", "cuda")
_VERBS = (
    "add", "fix", "update", "remove", "refactor", "improve", "support", "handle", "rename", "clean up",
    "document", "speed up", "simplify", "bump",
)  # fmt: skip
_PAST = ("Added", "Fixed", "Updated", "Removed", "Refactored", "Improved", "Renamed")
_OBJECTS = (
    "rotary embeddings", "the tokenizer cache", "fp16 overflow in softmax", "the eval harness",
    "README badges", "gradient checkpointing", "model card metadata", "safetensors export",
    "dataloader workers", "the flash attention path", "config validation", "learning-rate warmup",
    "KV cache eviction", "typos", "the license header", "GGUF conversion", "the chat template",
    "sharded checkpoint loading", "unit tests for the sampler", "throughput logging",
)  # fmt: skip
_NATIVE_SUBJECTS = (
    "修复 tokenizer 的边界问题", "更新模型卡片", "添加中文文档", "ドキュメントを更新", "学習率スケジューラを修正",
    "Исправить загрузку весов", "Mise à jour de la documentation", "Corrige l'export ONNX",
    "Aktualisiere die Konfiguration",
)  # fmt: skip
_TERSE = ("wip", "typo", "fix tests", "lint", "oops", "address review comments", "minor fixes", "formatting")
_GITMOJI = ("✨", "🐛", "📝", "♻️", "⚡️", "✅", "🔧", "⬆️")
_SENTENCES = (
    "The previous implementation recomputed this on every step.",
    "This keeps the behaviour identical for existing checkpoints.",
    "Measured on a single A100: no change in throughput.",
    "See the discussion in the linked issue for the trade-offs.",
    "Tests cover the empty and the single-token case.",
    "Older configs without the field keep their default.",
    "这个改动不影响已有的权重文件。",
    "Le comportement par défaut ne change pas.",
)  # fmt: skip
_WORDS = ("alpha", "beta", "hidden", "heads", "layers", "scale", "eps", "dropout", "vocab", "rope", "window", "lr")

_DIRS = (
    "src/benchlm", "src/benchlm/models", "src/benchlm/layers", "src/benchlm/kernels/cuda",
    "src/benchlm/kernels/triton", "src/benchlm/data", "src/benchlm/utils", "tests/unit", "tests/integration",
    "docs/en/guide", "docs/zh", "configs/train", "configs/eval", "scripts", "tools/convert",
    "training/recipes", "eval/tasks", "tokenizer", "notebooks", ".github/workflows",
)  # fmt: skip
_SUBDIRS = ("", "", "", "core/", "legacy/", "experimental/", "v2/", "internal/impl/")
_STEMS = (
    "attention", "mlp", "rotary", "sampler", "trainer", "loader", "cache", "quant", "export", "metrics",
    "config", "tokenizer", "schedule", "optim", "norm", "embedding", "checkpoint", "logging", "dist", "moe",
)  # fmt: skip
_EXTENSIONS = ("py", "py", "py", "md", "yaml", "json", "txt", "sh", "cu")
_SPECIAL_PATHS = ("docs/zh/快速开始.md", "docs/fr/démarrage rapide.md", "docs/ja/使い方.md")
_BINARY_PATHS = tuple(f"assets/figures/diagram-{i:02d}.png" for i in range(20))


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    email: str
    zone: str
    login: str
    alt_email: str | None = None

    def ident(self, rng: random.Random) -> bytes:
        """``Name <email>``; people with a second address use it now and then, as real people do."""
        email = self.alt_email if self.alt_email and rng.random() < 0.2 else self.email
        return f"{self.name} <{email}>".encode()


_GITHUB = Author("GitHub", "noreply@github.com", "+0000", "github")

#: A PR branch's commit as the generator made it: (mark, message, changes, (author time, author)).
BranchCommit = tuple[int, bytes, list[bytes], tuple[int, bytes]]


@dataclass(slots=True)
class RepoSummary:
    """What was built, stored beside the repository so a reused one can still be described."""

    commits: int = 0
    #: Commits only a ``refs/pull/N/head`` reaches (abandoned PRs, and the originals of rebase-merged
    #: ones): written, but not part of the history Almanac walks.
    pull_request_only: int = 0
    merges: int = 0
    tags: int = 0
    annotated_tags: int = 0
    authors: int = 0
    renames: int = 0
    deletions: int = 0
    build_seconds: float = 0.0

    @property
    def history(self) -> int:
        """Commits reachable from HEAD and the tags: what the walk must find."""
        return self.commits - self.pull_request_only


def isolate_git_environment() -> None:
    """Apply :func:`isolated_git_env` to this process, so Almanac's own git calls (which inherit it) run like ours."""
    for key in [key for key in os.environ if key.startswith("GIT_")]:
        del os.environ[key]
    os.environ.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    os.environ.pop("SOURCE_DATE_EPOCH", None)  # it changes what "now" is for activity figures


def run_git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(
        ["git", *args], cwd=repo, env=isolated_git_env(), input=stdin, capture_output=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout


def _ascii_login(name: str, index: int) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    login = "-".join("".join(ch if ch.isalnum() else " " for ch in folded).split())
    return f"{login}-{index}" if login else f"user-{index}"


def make_authors(rng: random.Random) -> list[Author]:
    """~300 fixed people: mixed scripts, GitHub noreply (new and legacy form), company and personal mail."""
    names: list[str] = list(_NATIVE_NAMES)
    while len(names) < AUTHOR_COUNT - len(_BOTS):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name not in names:
            names.append(name)
    rng.shuffle(names)
    authors: list[Author] = []
    for index, name in enumerate(names):
        login = _ascii_login(name, index)
        kind = rng.random()
        if kind < 0.35:
            email = f"{rng.randint(1_000, 99_999_999)}+{login}@users.noreply.github.com"
        elif kind < 0.45:
            email = f"{login}@users.noreply.github.com"
        else:
            email = f"{login.replace('-', '.')}@{rng.choice(_DOMAINS)}"
        alt = f"{login.replace('-', '_')}@{rng.choice(_DOMAINS)}" if rng.random() < 0.1 else None
        authors.append(Author(name, email, rng.choice(_ZONES), login, alt))
    # Bots sit at ranks where they commit about as often as a regular contributor.
    for offset, (name, email) in enumerate(_BOTS):
        authors.insert(8 + 5 * offset, Author(name, email, "+0000", name))
    return authors


def make_paths(rng: random.Random) -> list[str]:
    """A few thousand files in nested folders, plus a few non-ASCII names and one with a space."""
    paths: set[str] = set(_SPECIAL_PATHS)
    while len(paths) < PATH_COUNT:
        stem = rng.choice(_STEMS)
        suffix = rng.choice(("", "", "_v2", f"_{rng.randint(1, 60)}"))
        paths.add(f"{rng.choice(_DIRS)}/{rng.choice(_SUBDIRS)}{stem}{suffix}.{rng.choice(_EXTENSIONS)}")
    ordered = sorted(paths)
    rng.shuffle(ordered)
    return ordered


def data_block(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


class FastImportStream:
    """Buffers the stream and writes it in large pieces: one write per commit would cost a syscall each."""

    def __init__(self, sink: IO[bytes]) -> None:
        self._sink = sink
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, *parts: bytes) -> None:
        for part in parts:
            self._parts.append(part)
            self._size += len(part)
        if self._size >= 4 * _CHUNK:
            self.flush()

    def flush(self) -> None:
        self._sink.write(b"".join(self._parts))
        self._parts, self._size = [], 0


class HistoryGenerator:
    """Writes a deterministic history into a fast-import stream; every choice comes from one seeded RNG."""

    def __init__(self, stream: FastImportStream, commits: int, tags: int, seed: int = SEED) -> None:
        self.out = stream
        self.rng = random.Random(seed)
        self.target_commits = commits
        self.target_tags = tags
        self.authors = make_authors(self.rng)
        self.cum_weights = self._zipf_weights(len(self.authors))
        self.maintainers = [a for a in self.authors[:6] if not a.name.endswith("[bot]")]
        self.paths = make_paths(self.rng)
        self.hot = self.paths[: len(self.paths) // 10]  # most work happens in a few files
        self.text: dict[str, list[bytes]] = {}  # path -> current lines of existing text files
        self.binary: set[str] = set()
        self.mark = 0
        self.clock = START_EPOCH
        self.mean_gap = max(1, SPAN_SECONDS // max(commits, 1))
        self.main_line: list[tuple[int, int]] = []  # (mark, committer time) of each main commit
        self.summary = RepoSummary(authors=len(self.authors))
        self.tag_thresholds = [(i + 1) * commits // (tags + 1) for i in range(tags)]
        self.version = (0, 0, 1)
        self.pr_number = 100
        self.last_authored: tuple[int, bytes] = (0, b"")

    @staticmethod
    def _zipf_weights(count: int) -> list[float]:
        """Cumulative rank weights: a few maintainers write most commits, a long tail writes a handful."""
        total, cumulative = 0.0, []
        for rank in range(count):
            total += 1.0 / (rank + 1) ** 1.1
            cumulative.append(total)
        return cumulative

    # -- the history ---------------------------------------------------------------------------------

    def run(self) -> RepoSummary:
        self.root_commit()
        while self.summary.history < self.target_commits:
            remaining = self.target_commits - self.summary.history
            roll = self.rng.random()
            if remaining >= 4 and roll < MERGE_EVENT_PROBABILITY:
                self.merge_event(min(self.rng.randint(1, 3), remaining - 1))
            elif remaining >= 7 and roll < MERGE_EVENT_PROBABILITY + REBASE_EVENT_PROBABILITY:
                self.rebase_event(self.rng.randint(1, 3))
            elif remaining >= 4 and roll < MERGE_EVENT_PROBABILITY + REBASE_EVENT_PROBABILITY + \
                    ABANDONED_EVENT_PROBABILITY:
                self.abandoned_event(self.rng.randint(1, 3))
            else:
                self.main_commit()
            self.tag_due()
        self.out.write(b"done\n")
        self.out.flush()
        return self.summary

    def root_commit(self) -> None:
        author = self.authors[0]
        changes = [self._put(path, content) for path, content in self._root_files().items()]
        for path in self.paths[:40]:
            changes.append(self._edit(path))
        self._commit(b"refs/heads/main", author, author, b"Initial commit", [], changes)

    def main_commit(self) -> None:
        author = self.pick_author()
        committer = self.rng.choice(self.maintainers) if self.rng.random() < 0.15 else author
        changes = self._changes(allow_structure=True)
        parents = [self.main_line[-1][0]]
        self._commit(b"refs/heads/main", author, committer, self.message(author, changes), parents, changes)

    def merge_event(self, side_commits: int) -> None:
        """A pull request: 1-3 commits on a branch forked a little behind main, merged back with ``merge``."""
        fork = self.main_line[-1 - self.rng.randint(0, min(2, len(self.main_line) - 1))][0]
        author = self.pick_author()
        branch = f"{self.rng.choice(_TYPES)}/{self.rng.choice(_SCOPES)}-{self.rng.randint(1, 999)}"
        touched: dict[str, None] = {}
        tip = fork
        subject = b""
        for _ in range(side_commits):
            changes = self._changes(allow_structure=False)
            touched.update(dict.fromkeys(self._changed_paths(changes)))
            message = self.message(author, changes)
            subject = subject or message.split(b"\n", 1)[0]
            tip = self._commit(b"refs/heads/bench-side", author, author, message, [tip], changes, main=False)
        self.pr_number += self.rng.randint(1, 4)
        self.out.write(b"reset refs/pull/%d/head\nfrom :%d\n\n" % (self.pr_number, tip))
        merger = self.rng.choice(self.maintainers)
        if self.rng.random() < 0.7:  # merged on GitHub: a maintainer authors it, GitHub commits it
            committer = _GITHUB
            text = f"Merge pull request #{self.pr_number} from {author.login}/{branch}\n\n"
            message = text.encode() + subject
        else:
            committer = merger
            message = f"Merge branch '{branch}'".encode()
        # The merge's tree is main's plus the branch's files as the branch left them.
        changes = [self._put(path, self._content(path)) for path in touched]
        self._commit(b"refs/heads/main", merger, committer, message, [self.main_line[-1][0], tip], changes)
        self.summary.merges += 1

    def _pull_request_branch(self, side_commits: int) -> tuple[Author, list[BranchCommit]]:
        """A PR branch forked from main's tip, its head kept under ``refs/pull/N/head`` as GitHub does."""
        author = self.pick_author()
        tip, made = self.main_line[-1][0], []
        for _ in range(side_commits):
            changes = self._changes(allow_structure=False)
            message = self.message(author, changes)
            tip = self._commit(b"refs/heads/bench-side", author, author, message, [tip], changes, main=False)
            made.append((tip, message, changes, self.last_authored))
            self.summary.pull_request_only += 1
        self.pr_number += self.rng.randint(1, 4)
        self.out.write(b"reset refs/pull/%d/head\nfrom :%d\n\n" % (self.pr_number, tip))
        return author, made

    def rebase_event(self, side_commits: int) -> None:
        """GitHub rebase-merges a PR: each commit replayed on main with its author and author date, GitHub
        as committer, so the PR's head never reaches main (only a patch-id can tell)."""
        author, made = self._pull_request_branch(side_commits)
        for _, message, changes, authored in made:
            parents = [self.main_line[-1][0]]
            self._commit(b"refs/heads/main", author, _GITHUB, message, parents, changes, authored=authored)

    def abandoned_event(self, side_commits: int) -> None:
        self._pull_request_branch(side_commits)

    def tag_due(self) -> None:
        """Tags are spread evenly over the history; several due at once share a commit, as real repos do."""
        while self.summary.tags < self.target_tags and self.summary.history >= self.tag_thresholds[self.summary.tags]:
            self._tag(self.main_line[-1])

    # -- pieces --------------------------------------------------------------------------------------

    def pick_author(self) -> Author:
        return self.rng.choices(self.authors, cum_weights=self.cum_weights)[0]

    def _tick(self) -> int:
        self.clock += self.rng.randint(1, 2 * self.mean_gap)
        return self.clock

    def _commit(
        self,
        ref: bytes,
        author: Author,
        committer: Author,
        message: bytes,
        parents: Sequence[int],
        changes: list[bytes],
        main: bool = True,
        authored: tuple[int, bytes] | None = None,
    ) -> int:
        """Write one commit; ``authored`` (author time, ``Name <email>``) replays another commit's author."""
        when = self._tick()
        # Author dates lag behind (rebases, long reviews) and are not monotonic; committer dates are.
        if authored is None:
            lag = self.rng.randint(0, 3 * 86_400) if self.rng.random() < 0.3 else 0
            authored = (when - lag, author.ident(self.rng))
        self.last_authored = authored
        self.mark += 1
        header = b"commit %s\nmark :%d\nauthor %s %d %s\ncommitter %s %d %s\n" % (
            ref,
            self.mark,
            authored[1],
            authored[0],
            author.zone.encode(),
            committer.ident(self.rng),
            when,
            committer.zone.encode(),
        )
        self.out.write(header, data_block(message))
        if parents:
            self.out.write(b"from :%d\n" % parents[0], *(b"merge :%d\n" % parent for parent in parents[1:]))
        self.out.write(*changes, b"\n")
        self.summary.commits += 1
        if main:
            self.main_line.append((self.mark, when))
        return self.mark

    def _tag(self, target: tuple[int, int]) -> None:
        index = self.summary.tags
        name = self._next_version() if index else "v{}.{}.{}".format(*self.version)
        mark, when = target
        if self.rng.random() < 0.6:
            tagger = self.rng.choice(self.maintainers)
            notes = f"Release {name}\n\n- {self.rng.choice(_VERBS).capitalize()} {self.rng.choice(_OBJECTS)}\n"
            stamp = when + self.rng.randint(0, 7_200)
            ident, zone = tagger.ident(self.rng), tagger.zone.encode()
            header = b"tag %s\nfrom :%d\ntagger %s %d %s\n" % (name.encode(), mark, ident, stamp, zone)
            self.out.write(header, data_block(notes.encode()))  # no blank line: a tag has no optional LF
            self.summary.annotated_tags += 1
        else:
            self.out.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), mark))
        self.summary.tags += 1

    def _next_version(self) -> str:
        """Strictly increasing versions after v0.0.1: mostly patches, some minors, rare majors."""
        major, minor, patch = self.version
        roll = self.rng.random()
        if roll < 0.02:
            self.version = (major + 1, 0, 0)
        elif roll < 0.15:
            self.version = (major, minor + 1, 0)
        else:
            self.version = (major, minor, patch + 1)
        return "v{}.{}.{}".format(*self.version)

    def _root_files(self) -> dict[str, bytes]:
        """README with a model card, config.json, .mailmap and a tiny safetensors: the "model" half of the build."""
        readme = (
            "---\nlicense: apache-2.0\nmodel_name: BenchLM\nlanguage: [en, zh]\n---\n# BenchLM\n\n"
            "A synthetic model repository generated by Almanac's history-walk benchmark.\n"
        )
        config = {"architectures": ["BenchLMForCausalLM"], "model_type": "benchlm", "hidden_size": 2048,
                  "num_hidden_layers": 24, "num_attention_heads": 16, "vocab_size": 32000,
                  "max_position_embeddings": 4096, "torch_dtype": "bfloat16"}
        header = json.dumps({"lm_head.weight": {"dtype": "F16", "shape": [4, 8], "data_offsets": [0, 64]}}).encode()
        weights = len(header).to_bytes(8, "little") + header + bytes(64)
        mailmap = "".join(f"{a.name} <{a.email}> <{a.alt_email}>\n" for a in self.authors if a.alt_email)
        return {
            "README.md": readme.encode(),
            "config.json": json.dumps(config, indent=2).encode() + b"\n",
            ".mailmap": mailmap.encode(),
            "LICENSE": b"Apache License\nVersion 2.0, January 2004\n",
            "model.safetensors": weights,
        }

    def _changes(self, allow_structure: bool) -> list[bytes]:
        """1-3 modified files; now and then a rename or a deletion so ``-M`` and numstat see those too."""
        roll = self.rng.random()
        if allow_structure and roll < 0.004:
            renamed = self._rename()
            if renamed:
                return renamed
        if allow_structure and roll < 0.006:
            deleted = self._delete()
            if deleted:
                return deleted
        count = self.rng.choice((1, 1, 1, 2, 2, 3))
        chosen: dict[str, None] = {}
        while len(chosen) < count:
            if self.rng.random() < 0.01:
                chosen[self.rng.choice(_BINARY_PATHS)] = None
            else:
                pool = self.hot if self.rng.random() < 0.5 else self.paths
                chosen[self.rng.choice(pool)] = None
        return [self._edit(path) for path in chosen]

    def _rename(self) -> list[bytes]:
        slot = self.rng.randrange(len(self.paths))
        old = self.paths[slot]
        if old not in self.text or " " in old or not old.isascii():
            return []
        directory, _, base = old.rpartition("/")
        new = f"{self.rng.choice(_DIRS)}/{base}" if self.rng.random() < 0.5 else f"{directory}/moved_{base}"
        if new in self.text or new in self.paths:
            return []
        self.paths[slot] = new
        if slot < len(self.hot):
            self.hot[slot] = new
        self.text[new] = self.text.pop(old)
        self.summary.renames += 1
        return [b"R %s %s\n" % (old.encode(), new.encode())]

    def _delete(self) -> list[bytes]:
        path = self.rng.choice(self.paths)
        if path not in self.text:
            return []
        del self.text[path]
        self.summary.deletions += 1
        return [b"D %s\n" % path.encode()]

    def _edit(self, path: str) -> bytes:
        """Change a few lines (or create the file) so diffs are small and real, like most commits."""
        if path in _BINARY_PATHS:
            self.binary.add(path)
            return self._put(path, b"\x89PNG\r\n\x1a\n\x00" + self.rng.randbytes(48))
        lines = self.text.get(path)
        if lines is None:
            lines = [self._line() for _ in range(self.rng.randint(3, 12))]
        else:
            action = self.rng.random()
            if action < 0.5 or len(lines) > 40:
                for _ in range(self.rng.randint(1, 2)):
                    lines[self.rng.randrange(len(lines))] = self._line()
                if len(lines) > 40:
                    del lines[self.rng.randrange(len(lines))]
            elif action < 0.85:
                at = self.rng.randrange(len(lines) + 1)
                lines[at:at] = [self._line() for _ in range(self.rng.randint(1, 5))]
            elif len(lines) > 3:
                del lines[self.rng.randrange(len(lines))]
            else:
                lines.append(self._line())
        self.text[path] = lines
        return self._put(path, self._content(path))

    def _line(self) -> bytes:
        return b"%s_%d = %d" % (self.rng.choice(_WORDS).encode(), self.rng.randrange(64), self.rng.randrange(10_000))

    def _content(self, path: str) -> bytes:
        if path in self.binary:
            return b"\x89PNG\r\n\x1a\n\x00" + self.rng.randbytes(48)
        return b"\n".join(self.text[path]) + b"\n"

    @staticmethod
    def _put(path: str, content: bytes) -> bytes:
        return b"M 100644 inline %s\n%s" % (path.encode(), data_block(content))

    @staticmethod
    def _changed_paths(changes: list[bytes]) -> Iterator[str]:
        for change in changes:
            if change.startswith(b"M "):
                yield change.split(b"\n", 1)[0].split(b" ", 3)[3].decode()

    def message(self, author: Author, changes: list[bytes]) -> bytes:
        """Subjects in the styles real repositories mix, with bodies and trailers on a share of them."""
        rng = self.rng
        if author.name.endswith("[bot]"):
            return self._bot_subject(author).encode()
        style = rng.random()
        verb, obj = rng.choice(_VERBS), rng.choice(_OBJECTS)
        if style < 0.28:
            scope = f"({rng.choice(_SCOPES)})" if rng.random() < 0.6 else ""
            subject = f"{rng.choice(_TYPES)}{scope}: {verb} {obj}"
        elif style < 0.50:
            subject = f"{verb.capitalize()} {obj}"
        elif style < 0.58:
            subject = f"[{rng.choice(_SCOPES)}] {verb.capitalize()} {obj}"
        elif style < 0.66:
            first = next(self._changed_paths(changes), "README.md")
            subject = f"Update {first.rsplit('/', 1)[-1]}"
        elif style < 0.74:
            subject = rng.choice(_TERSE)
        elif style < 0.80:
            subject = rng.choice(_NATIVE_SUBJECTS)
        elif style < 0.85:
            subject = f"{rng.choice(_GITMOJI)} {verb.capitalize()} {obj}"
        elif style < 0.90:
            subject = f"{rng.choice(_PAST)} {obj}"
        elif style < 0.98:
            subject = f"{verb.capitalize()} {obj} (#{rng.randint(1, self.pr_number + 50)})"
        else:
            subject = f'Revert "{verb.capitalize()} {obj}"'
        parts = [subject]
        if rng.random() < 0.4:
            parts.append(" ".join(rng.sample(_SENTENCES, rng.randint(1, 3))))
        trailers = self._trailers(author)
        if trailers:
            parts.append("\n".join(trailers))
        return "\n\n".join(parts).encode()

    def _trailers(self, author: Author) -> list[str]:
        rng = self.rng
        trailers: list[str] = []
        if rng.random() < 0.08:
            for _ in range(rng.randint(1, 2)):
                other = self.pick_author()
                if other is not author and not other.name.endswith("[bot]"):
                    key = "Co-authored-by" if rng.random() < 0.9 else "co-authored-by"
                    trailers.append(f"{key}: {other.ident(rng).decode()}")
        if rng.random() < 0.05:
            trailers.append(f"Signed-off-by: {author.name} <{author.email}>")
        return trailers

    def _bot_subject(self, bot: Author) -> str:
        if bot.name.startswith("dependabot"):
            package = self.rng.choice(("torch", "transformers", "numpy", "safetensors", "accelerate"))
            low = self.rng.randint(0, 9)
            return f"Bump {package} from 2.{low}.0 to 2.{low + 1}.0"
        if bot.name.startswith("pre-commit"):
            return "[pre-commit.ci] pre-commit autoupdate"
        return "chore: update lockfile"


def repository_key(commits: int, tags: int) -> str:
    return f"repo-c{commits}-t{tags}-s{SEED}-g{GENERATOR_VERSION}"


def ensure_repository(work: Path, commits: int, tags: int) -> tuple[Path, RepoSummary, bool]:
    """The cached repository for these parameters, built first if missing; returns (path, summary, reused).

    It is built in a scratch folder renamed into place when complete, so an interrupted build is never
    mistaken for a finished one.
    """
    final = work / repository_key(commits, tags)
    summary_file = final / ".git" / "almanac-bench.json"
    if summary_file.is_file():
        return final, RepoSummary(**json.loads(summary_file.read_text())), True
    shutil.rmtree(final, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=work))
    try:
        started = time.perf_counter()
        summary = build_repository(scratch, commits, tags)
        summary.build_seconds = time.perf_counter() - started
        (scratch / ".git" / "almanac-bench.json").write_text(json.dumps(dataclasses.asdict(summary)))
        os.replace(scratch, final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return final, summary, False


def build_repository(dest: Path, commits: int, tags: int) -> RepoSummary:
    """One ``git fast-import`` for the whole history: thousands of ``git commit`` calls would take minutes."""
    run_git(dest, "init", "-q", "-b", "main")
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--done", "--date-format=raw"],
            cwd=dest,
            env=isolated_git_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        assert process.stdin is not None
        try:
            summary = HistoryGenerator(FastImportStream(process.stdin), commits, tags).run()
            process.stdin.close()
        except BrokenPipeError:  # fast-import stopped reading: its own error message says why
            summary = RepoSummary()
        except BaseException:
            process.kill()
            process.wait()
            raise
        if process.wait() != 0:
            errors.seek(0)
            raise RuntimeError(f"git fast-import failed: {errors.read().decode('utf-8', 'replace')[-2000:]}")
    run_git(dest, "update-ref", "-d", "refs/heads/bench-side")
    run_git(dest, "reset", "--hard", "-q")  # a real clone has a work tree; Almanac must not care either way
    return summary


# --------------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Measurement:
    name: str
    seconds: list[float] = field(default_factory=list)
    git_processes: list[int] = field(default_factory=list)
    git_commands: str = ""
    note: str = ""
    #: Anything that makes a number untrustworthy (wrong commit count, git calls Almanac did not count).
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass(slots=True)
class GitCount:
    """Git processes seen two ways: Almanac's own ledger, and every ``Popen`` of a git binary."""

    runners: list[GitRunner] = field(default_factory=list)
    popens: int = 0

    @property
    def calls(self) -> list[tuple[str, ...]]:
        seen: dict[int, list[tuple[str, ...]]] = {}
        for runner in self.runners:  # open_repository's probe and runner share one list
            seen.setdefault(id(runner.calls), runner.calls)
        return [call for calls in seen.values() for call in calls]


@contextmanager
def count_git_processes() -> Iterator[GitCount]:
    """Count what a build starts without changing what it does.

    ``GitRunner.calls`` is what Almanac believes it ran; the ``Popen`` count is what actually started, so
    a git process that bypassed the runner would show up as a mismatch.
    """
    count = GitCount()
    original_init = GitRunner.__init__
    original_popen = subprocess.Popen.__init__

    def init(self: GitRunner, root: Path) -> None:
        original_init(self, root)
        count.runners.append(self)

    def popen(self: subprocess.Popen[Any], args: Any, *rest: Any, **options: Any) -> None:
        program = args[0] if isinstance(args, (list, tuple)) else str(args).split()[0]
        if os.path.basename(str(program)) in ("git", "git.exe"):
            count.popens += 1
        original_popen(self, args, *rest, **options)

    GitRunner.__init__ = init  # type: ignore[method-assign]
    subprocess.Popen.__init__ = popen  # type: ignore[method-assign]
    try:
        yield count
    finally:
        GitRunner.__init__ = original_init  # type: ignore[method-assign]
        subprocess.Popen.__init__ = original_popen  # type: ignore[method-assign]


def describe_commands(calls: list[tuple[str, ...]]) -> str:
    """``rev-parse×2, log, ...``: the git subcommand of each call, skipping ``-c key=value`` options."""
    names: Counter[str] = Counter()
    for call in calls:
        args = iter(call[1:])
        for arg in args:
            if arg == "-c":
                next(args, None)
            elif not arg.startswith("-"):
                names[arg] += 1
                break
    return ", ".join(f"{name}×{n}" if n > 1 else name for name, n in names.items())


def walk_revisions(repo: Path) -> bytes:
    """HEAD and every tag's peeled target, sorted and unique: exactly what Almanac feeds ``log --stdin``."""
    head = run_git(repo, "rev-parse", "--verify", "HEAD^{commit}").decode().strip()
    out = run_git(repo, "for-each-ref", "--format=%(objectname) %(*objectname)", "refs/tags").decode()
    targets = {line.split()[-1] for line in out.splitlines() if line.strip()}
    return ("\n".join(sorted({head, *targets})) + "\n").encode("ascii")


def baseline_pass(repo: Path, revisions: bytes, options: Sequence[str] = LOG_OPTIONS) -> tuple[float, int]:
    """One raw ``git log`` with Almanac's options (by default the full walk's); output drained through a pipe
    like Almanac drains it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        ["git", *options],
        cwd=repo,
        env={**os.environ, **_GIT_ENV},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(revisions)
    process.stdin.close()
    total = 0
    while chunk := process.stdout.read(_CHUNK):
        total += len(chunk)
    if process.wait() != 0:
        raise RuntimeError("baseline git log failed")
    return time.perf_counter() - started, total


@dataclass(slots=True)
class BuildRun:
    seconds: float
    knowledge: Knowledge
    walked: int  # commits git produced in this build (the last on_progress value)
    count: GitCount


def timed_build(repo: Path, cache_dir: Path) -> BuildRun:
    """One ``build_knowledge``, timed, with its git processes counted and the size of its walk recorded."""
    progress = [0]

    def on_progress(count: int) -> None:
        progress[0] = count

    gc.collect()  # garbage of the previous run must not be collected on this run's clock
    with count_git_processes() as count:
        started = time.perf_counter()
        knowledge = build_knowledge(BuildOptions(repo, cache_dir=cache_dir), on_progress)
        seconds = time.perf_counter() - started
    return BuildRun(seconds, knowledge, progress[0], count)


def record(measurement: Measurement, run: BuildRun) -> None:
    calls = run.count.calls
    if len(calls) != run.count.popens or len(calls) != run.knowledge.git_processes:
        measurement.problems.append(f"git count mismatch: calls={len(calls)} popen={run.count.popens} "
                                    f"knowledge={run.knowledge.git_processes}")
    measurement.seconds.append(run.seconds)
    measurement.git_processes.append(len(calls))
    measurement.git_commands = describe_commands(calls)


def measure_baseline_and_cold(
    repo: Path, scratch: Path, repeat: int, expected_commits: int
) -> tuple[Measurement, Measurement, Path]:
    """Alternate baseline and cold passes so a drift in machine load hits both alike.

    Returns the two measurements and the cache folder of the last cold run, which seeds the warm test.
    """
    revisions = walk_revisions(repo)
    baseline, cold = Measurement("baseline git log"), Measurement("cold walk+model")
    cache_dir = scratch
    for index in range(repeat):
        seconds, size = baseline_pass(repo, revisions)
        baseline.seconds.append(seconds)
        baseline.git_processes.append(1)
        baseline.git_commands = "log"
        lines = revisions.count(b"\n")
        baseline.note = f"{size / 2**20:.0f} MiB of log output, {lines} revisions on stdin"
        cache_dir = scratch / f"cold-cache-{index}"
        run = timed_build(repo, cache_dir)
        record(cold, run)
        if run.walked != expected_commits or len(run.knowledge.commits) != expected_commits:
            cold.problems.append(f"walked {run.walked}, kept {len(run.knowledge.commits)}, expected {expected_commits}")
        else:
            knowledge = run.knowledge
            cold.note = (f"{len(knowledge.commits)} commits, {len(knowledge.people)} people, "
                         f"{len(knowledge.releases)} releases")
        del run
    return baseline, cold, cache_dir


def add_commit(clone: Path, number: int) -> None:
    """A real new commit on main (one changed file), one minute after HEAD, written by fast-import."""
    head = run_git(clone, "rev-parse", "HEAD").decode().strip()
    when = int(run_git(clone, "show", "-s", "--format=%ct", head).decode().strip()) + 60
    content = f"warm rebuild {number}\n".encode()
    message = f"Warm rebuild {number}".encode()
    stream = (
        b"commit refs/heads/main\n"
        b"committer Bench Runner <bench@example.invalid> %d +0000\n" % when
        + data_block(message)
        + b"from %s\n" % head.encode()
        + b"M 100644 inline benchmarks/warm.txt\n"
        + data_block(content)
        + b"\ndone\n"
    )
    run_git(clone, "fast-import", "--quiet", "--done", "--date-format=raw", stdin=stream)


def measure_warm(repo: Path, cold_cache: Path, scratch: Path, repeat: int, cold_commits: int) -> Measurement:
    """Rebuild after one new commit, with the cache a previous build left, on a clone of the big repository.

    The clone shares the big repository's objects (``--shared``), so adding commits never touches the
    cached repository; ``--no-checkout`` because Almanac reads objects only, never the work tree.
    """
    clone = scratch / "warm-clone"
    run_git(scratch, "clone", "--quiet", "--shared", "--no-checkout", str(repo), str(clone))
    cache_dir = scratch / "warm-cache"
    shutil.copytree(cold_cache, cache_dir)
    warm = Measurement("warm (+1 commit)")
    for index in range(repeat):
        add_commit(clone, index + 1)
        run = timed_build(clone, cache_dir)
        record(warm, run)
        expected = cold_commits + index + 1
        if run.walked != 1 or len(run.knowledge.commits) != expected:
            warm.problems.append(f"walked {run.walked}, kept {len(run.knowledge.commits)}, expected 1 and {expected}")
        else:
            warm.note = "git walked 1 new commit each time; the rest came from the cache"
        del run
    return warm


#: The cold build, in a fresh interpreter. ``VmHWM`` is this process's own high-water mark (Linux, KiB).
_RSS_CHILD = """
import json, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from generator.build import BuildOptions, build_knowledge

def high_water():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

imports = high_water()
knowledge = build_knowledge(BuildOptions(Path(sys.argv[2]), cache_dir=Path(sys.argv[3])))
print(json.dumps({"imports_kib": imports, "python_kib": high_water(), "commits": len(knowledge.commits)}))
"""

#: A bare interpreter between us and the build, whose ``RUSAGE_CHILDREN`` therefore holds only the build.
_RSS_LAUNCHER = """
import json, resource, subprocess, sys
out = subprocess.run([sys.executable, "-c", *sys.argv[1:]], check=True, capture_output=True, text=True).stdout
result = json.loads(out.strip().splitlines()[-1])
result["children_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps(result))
"""


@dataclass(frozen=True, slots=True)
class PeakMemory:
    imports_mib: float  # the build process after its imports, before the walk
    python_mib: float  # the build process's own high-water mark
    peak_mib: float  # RUSAGE_CHILDREN.ru_maxrss: the largest process of the build, Python or git
    commits: int

    def estimate_at(self, commits: int) -> float:
        """Linear in history size above the start-up footprint: crude, but errs high."""
        if self.commits >= commits:
            return self.peak_mib
        return self.imports_mib + (self.peak_mib - self.imports_mib) * commits / self.commits


def measure_peak_rss(repo: Path, scratch: Path) -> PeakMemory:
    """Peak RSS of a cold walk+model, as ``RUSAGE_CHILDREN.ru_maxrss`` read by a bare launcher process.

    Why the launcher: on Linux a child's ``ru_maxrss`` starts at its parent's RSS at spawn time (the
    exec inherits the parent's high-water mark), so reading ``RUSAGE_CHILDREN`` here, in a process that
    has just run three cold builds, would report this process's memory, not the build's. The build
    process also reports its own ``VmHWM``, which no spawning inflates, as a cross-check.
    """
    cache_dir = scratch / "rss-cache"
    result = subprocess.run(
        [sys.executable, "-c", _RSS_LAUNCHER, _RSS_CHILD, str(ROOT), str(repo), str(cache_dir)],
        capture_output=True,
        check=True,
        text=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return PeakMemory(
        data["imports_kib"] / 1024, data["python_kib"] / 1024, data["children_kib"] / 1024, data["commits"]
    )


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "OVER"


def print_report(measurements: list[Measurement], memory: PeakMemory, repeat: int) -> None:
    print(f"\ntimings (wall seconds, median of {repeat})")
    print(f"  {'measurement':<18} {'median':>8}  {'runs':<26} {'git procs':>9}  commands")
    for m in measurements:
        runs = " ".join(f"{s:.3f}" for s in m.seconds)
        procs = "/".join(str(n) for n in sorted(set(m.git_processes)))
        print(f"  {m.name:<18} {m.median:>8.3f}  {runs:<26} {procs:>9}  {m.git_commands}")
        if m.note:
            print(f"    {m.note}")
        for problem in m.problems:
            print(f"    PROBLEM: {problem}")
    print(f"\npeak RSS of a cold walk+model (RUSAGE_CHILDREN ru_maxrss): {memory.peak_mib:.1f} MiB"
          f"\n    the Python process's own VmHWM {memory.python_mib:.1f} MiB, of which "
          f"{memory.imports_mib:.1f} MiB before the walk (interpreter and imports)")
    baseline, cold, warm = measurements
    cold_ratio = cold.median / baseline.median
    warm_ratio = warm.median / cold.median
    rss = memory.estimate_at(TARGET_RSS_COMMITS)
    rss_label = (f"peak RSS @{TARGET_RSS_COMMITS:,} (est.)" if memory.commits < TARGET_RSS_COMMITS
                 else "peak RSS")
    print("\nratios")
    print(f"  {'cold / baseline':<28} {cold_ratio:>9.2f}    target ≤ {TARGET_COLD_OVER_BASELINE}    "
          f"{verdict(cold_ratio, TARGET_COLD_OVER_BASELINE)}")
    print(f"  {'warm / cold':<28} {warm_ratio:>9.3f}    target ≤ {TARGET_WARM_OVER_COLD}   "
          f"{verdict(warm_ratio, TARGET_WARM_OVER_COLD)}")
    print(f"  {rss_label:<28} {rss:>5.0f} MiB    target ≤ {TARGET_RSS_MIB} MiB "
          f"{verdict(rss, TARGET_RSS_MIB)}")
    if memory.commits < TARGET_RSS_COMMITS:
        print(f"  (measured {memory.peak_mib:.0f} MiB at {memory.commits:,} commits, scaled linearly above "
              f"the {memory.imports_mib:.0f} MiB start-up footprint)")
    constant = len(set(cold.git_processes)) == 1 and len(set(warm.git_processes)) == 1
    print(f"  git processes per build: cold {cold.git_processes[0]}, warm {warm.git_processes[0]} "
          f"({'the same on every run' if constant else 'VARIES between runs'}; "
          "compare with a run of another size: they must not grow with the history)")


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--commits", type=int, help=f"commits in the synthetic history (default {DEFAULT_COMMITS:,})")
    parser.add_argument("--tags", type=int, help=f"version tags spread along it (default {DEFAULT_TAGS})")
    parser.add_argument("--repeat", type=int, help=f"repetitions of each timing (default {DEFAULT_REPEAT})")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where repositories are cached")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {QUICK_COMMITS:,} commits, {QUICK_TAGS} tags, {QUICK_REPEAT} repetition")
    args = parser.parse_args(argv)
    args.commits = args.commits or (QUICK_COMMITS if args.quick else DEFAULT_COMMITS)
    args.tags = args.tags if args.tags is not None else (QUICK_TAGS if args.quick else DEFAULT_TAGS)
    args.repeat = args.repeat or (QUICK_REPEAT if args.quick else DEFAULT_REPEAT)
    if args.commits < 10 or not 0 <= args.tags <= args.commits // 4:
        parser.error("need --commits ≥ 10 and 0 ≤ --tags ≤ commits / 4")
    return args


def timed_step(label: str) -> Callable[[], None]:
    """Print a progress line now and its duration when the returned function is called."""
    print(f"{label} ...", end="", flush=True)
    started = time.perf_counter()
    return lambda: print(f" {time.perf_counter() - started:.1f} s", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    isolate_git_environment()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    print(f"Almanac history-walk benchmark: {args.commits:,} commits, {args.tags} tags, {args.repeat} repetition(s)")
    print(f"git: {run_git(work, 'version').decode().strip()}; python {sys.version.split()[0]}")

    done = timed_step("synthetic repository")
    repo, summary, reused = ensure_repository(work, args.commits, args.tags)
    done()
    how = "reused, built earlier" if reused else "built now"
    print(f"  {repo}\n  {how} in {summary.build_seconds:.1f} s with one git fast-import: {summary.history:,} commits "
          f"(+{summary.pull_request_only} only on PR heads; {summary.merges} merges, {summary.renames} renames, "
          f"{summary.deletions} deletions), "
          f"{summary.tags} tags ({summary.annotated_tags} annotated), {summary.authors} authors")

    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=work))
    try:
        done = timed_step("baseline and cold builds")
        baseline, cold, cold_cache = measure_baseline_and_cold(repo, scratch, args.repeat, summary.history)
        done()
        done = timed_step("warm rebuilds")
        warm = measure_warm(repo, cold_cache, scratch, args.repeat, summary.history)
        done()
        done = timed_step("peak RSS")
        memory = measure_peak_rss(repo, scratch)
        done()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_report([baseline, cold, warm], memory, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
