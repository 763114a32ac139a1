"""Issue 21's acceptance table on real repositories: every figure as a ratio to a reference timed in the same run.

Run: ``python benchmarks/real_repos.py REPO [REPO ...] [--repeat 3] [--no-cliff] [--no-site] [--almanac PATH]``.

Why ratios and not seconds: the machine is shared (2 cores, other agents measuring), so absolute times
wander by a factor of two from hour to hour. What survives the noise is the ratio of two things timed
side by side, so the variants are interleaved run by run (round 1 times every measure once, then round 2…)
and each figure is the median of ``--repeat`` rounds. The references are what no git-based tool can beat
or what a user would compare with: the raw ``git log`` pass with Almanac's own options and revisions,
and git-cliff with its default configuration for changelogs.

Every Almanac run is a separate process of the ``almanac`` executable given with ``--almanac`` (default:
the one beside this Python, i.e. the venv's), so old and new code can be timed alike; each gets its own
``ALMANAC_CACHE_DIR`` and its peak resident memory is read with ``os.wait4`` (Linux: the largest process
of its tree, git children included). REPO is never modified: the "after one commit" measures work on a
``--shared`` clone with the same tags, pull-request heads and replace refs.

It reports and never gates: exit 0 whatever the numbers, 1 when an Almanac run failed (its stderr tail is
printed and the other measures go on).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from history_walk import baseline_pass, isolate_git_environment, run_git, walk_revisions

from generator.sources.git.env import isolated_git_env
from generator.sources.git.walk import LOG_OPTIONS, log_options

#: Goals of issue 21's acceptance table.
GOAL_CLIFF_SPEEDUP = 20.0  # git-cliff / changelog cold, at least
GOAL_UNCHANGED_RATIO, GOAL_UNCHANGED_SECONDS = 0.1, 0.5  # unchanged / cold, or absolute seconds
GOAL_SITE_OVER_NUMSTAT = 3.0
GOAL_AFTER_COMMIT_RATIO = 0.1
GOAL_RSS_KIB = 1024 * 1024
DEFAULT_CLIFF_TIMEOUT = 900.0
_TAIL_LINES = 15

#: The changelog's own walk: subjects, bodies, trailers, parents and the paths touched; no line statistics,
#: no rename detection (see generator.sources.git.walk.FileDetail).
PATHS_OPTIONS = log_options("paths")
#: Refs a working clone needs from REPO: what Almanac reads (tags, PR heads) and stand-ins for absent blobs.
COPIED_REFS = ("refs/tags", "refs/pull", "refs/pr", "refs/replace")

LABELS = (
    "git log (paths)",
    "git-cliff",
    "changelog cold",
    "changelog unchanged",
    "git log --numstat",
    "pages cold",
    "site cold",
    "site after one commit",
    "pages after one commit",
)


# --------------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Run:
    seconds: float
    ok: bool = True
    rss_kib: int | None = None
    timed_out: bool = False


@dataclass(slots=True)
class Measure:
    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def good(self) -> list[Run]:
        return [run for run in self.runs if run.ok]

    @property
    def median(self) -> float | None:
        good = self.good
        return statistics.median(run.seconds for run in good) if good else None

    @property
    def timed_out(self) -> bool:
        return any(run.timed_out for run in self.runs)

    @property
    def peak_kib(self) -> int | None:
        values = [run.rss_kib for run in self.good if run.rss_kib is not None]
        return max(values) if values else None


def git_log_pass(repo: Path, options: Sequence[str], revisions: bytes) -> Run:
    """One raw ``git log`` with ``options``, revisions on stdin, output drained through a pipe as Almanac does."""
    try:
        return Run(baseline_pass(repo, revisions, options)[0], True)
    except RuntimeError:
        return Run(0.0, False)


def tail(text: str) -> str:
    """The last lines of a process's stderr, indented under the line that names it."""
    return "\n".join("      | " + line for line in text.splitlines()[-_TAIL_LINES:])


class Runner:
    """Starts the measured processes; remembers whether any Almanac run failed."""

    def __init__(self, almanac: Path, scratch: Path) -> None:
        self.almanac = almanac
        self.scratch = scratch
        self.failures = 0

    def almanac_run(self, label: str, args: Sequence[str], cache: Path) -> Run:
        """Time one Almanac process; its peak RSS from ``wait4`` (the largest process of its tree, on Linux)."""
        env = {**os.environ, "ALMANAC_CACHE_DIR": str(cache)}
        with tempfile.TemporaryFile(dir=self.scratch) as out, (self.scratch / "stderr.txt").open("w+b") as err:
            started = time.perf_counter()
            # The working directory holds no mkdocs.yml, so Almanac's defaults are what is timed.
            process = subprocess.Popen([str(self.almanac), *args], cwd=self.scratch, env=env, stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode == 0:
            return Run(seconds, rss_kib=usage.ru_maxrss)
        self.failures += 1
        print(f"    {label}: almanac exited with {process.returncode}; stderr tail:")
        print(tail((self.scratch / "stderr.txt").read_text(encoding="utf-8", errors="replace")))
        return Run(seconds, ok=False)

    def cliff_run(self, cliff: Path, repo: Path, timeout: float) -> Run:
        output = self.scratch / "cliff-CHANGELOG.md"
        started = time.perf_counter()
        try:
            result = subprocess.run(
                [str(cliff), "--repository", str(repo), "-o", str(output)],
                cwd=self.scratch, capture_output=True, timeout=timeout, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return Run(timeout, ok=False, timed_out=True)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            print("    git-cliff failed; stderr tail:\n" + tail(result.stderr.decode("utf-8", "replace")))
            return Run(seconds, ok=False)
        return Run(seconds)


# --------------------------------------------------------------------------------------------------
# The repository and its private working copies
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Size:
    commits: int
    tags: int
    pull_heads: int
    pull_refs: int  # heads, and the merge refs GitHub also publishes
    people: int

    def line(self) -> str:
        return (f"{self.commits:,} commits on HEAD, {self.tags:,} tags, {self.pull_heads:,} refs/pull heads "
                f"({self.pull_refs:,} refs/pull in all), {self.people:,} people (distinct author emails)")


def repository_size(repo: Path) -> Size:
    refs = run_git(repo, "for-each-ref", "--format=%(refname)", "refs/tags", "refs/pull").decode().splitlines()
    emails = run_git(repo, "log", "--no-use-mailmap", "--format=%aE", "HEAD").decode("utf-8", "replace")
    return Size(
        commits=int(run_git(repo, "rev-list", "--count", "HEAD").decode()),
        tags=sum(1 for ref in refs if ref.startswith("refs/tags/")),
        pull_heads=sum(1 for ref in refs if ref.startswith("refs/pull/") and ref.endswith("/head")),
        pull_refs=sum(1 for ref in refs if ref.startswith("refs/pull/")),
        people=len({email.strip().lower() for email in emails.splitlines() if email.strip()}),
    )


def private_copy(repo: Path, dest: Path) -> Path:
    """A ``--shared`` clone with REPO's tags, PR heads and replace refs, checked out: commits land here, not in REPO.

    Same lines as ``../shared/corpus/clone-mirror``; REPO's own replace refs (a clone made by that
    script stands in for absent blobs with them) are copied, so checkout and ``--numstat`` work alike.
    """
    run_git(dest.parent, "clone", "-q", "--shared", "--no-checkout", str(repo), str(dest))
    refs = run_git(repo, "for-each-ref", "--format=update %(refname) %(objectname)", *COPIED_REFS)
    if refs.strip():
        run_git(dest, "update-ref", "--stdin", stdin=refs)
    try:  # forge links as in REPO, not pointing at the local path
        url = run_git(repo, "remote", "get-url", "origin").decode().strip()
        run_git(dest, "remote", "set-url", "origin", url)
    except RuntimeError:
        run_git(dest, "remote", "remove", "origin")
    run_git(dest, "checkout", "-q", "-f", "HEAD")
    return dest


def add_commit(copy: Path, index: int, touch: str) -> None:
    """One new commit on the copy, with a fixed author, committer and date (an hour after HEAD's)."""
    head_time = int(run_git(copy, "log", "-1", "--format=%ct", "HEAD").decode().strip())
    when = f"@{head_time + 3600} +0000"
    if touch == "readme" and (copy / "README.md").is_file():
        target = copy / "README.md"
        with target.open("a", encoding="utf-8") as handle:
            handle.write(f"\nBenchmark line {index}.\n")
    else:
        target = copy / f"bench_commit_{index}.txt"
        target.write_text(f"benchmark commit {index}\n", encoding="utf-8")
    run_git(copy, "add", "--", target.name)
    identity = {"NAME": "Bench Mark", "EMAIL": "bench@example.com", "DATE": when}
    env = {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in identity.items()}
    # Plumbing, not `git commit`: a mirror's absent blobs (stood in for through refs/replace) are still named
    # by the index, and only write-tree --missing-ok accepts that.
    tree = run_git(copy, "write-tree", "--missing-ok").decode().strip()
    result = subprocess.run(
        ["git", "commit-tree", tree, "-p", "HEAD", "-m", f"Benchmark commit {index}"],
        cwd=copy, env=isolated_git_env(**env), capture_output=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError("git commit on the private copy failed: " + result.stderr.decode(errors="replace"))
    run_git(copy, "update-ref", "HEAD", result.stdout.decode().strip())


# --------------------------------------------------------------------------------------------------
# One repository
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Options:
    repeat: int
    cliff: Path | None
    cliff_timeout: float
    site: bool
    touch: str


def measure_repository(repo: Path, options: Options, runner: Runner) -> dict[str, Measure]:
    measures = {label: Measure(label) for label in LABELS}
    scratch = runner.scratch
    revisions = walk_revisions(repo)
    git_log_pass(repo, PATHS_OPTIONS, revisions)  # untimed: the page cache holds the objects for every variant

    copies: dict[str, Path] = {}
    if options.site:
        for name, verb in (("site", "build"), ("pages", "write")):
            print(f"  preparing the private copy for '{name} after one commit' (one untimed {verb})…", flush=True)
            copy = private_copy(repo, scratch / f"copy-{name}")
            copies[name] = copy
            (scratch / f"cache-{name}").mkdir()
            runner.almanac_run(f"{name} (fill)", warm_args(name, copy, scratch), scratch / f"cache-{name}")

    def record(label: str, result: Run) -> None:
        measures[label].runs.append(result)
        rss = f"  {result.rss_kib / 1024:.0f} MiB" if result.rss_kib else ""
        state = "" if result.ok else (" (timed out)" if result.timed_out else " (FAILED)")
        print(f"    {label:<24} {result.seconds:9.2f} s{rss}{state}", flush=True)

    changelog = ["changelog", "--repo", str(repo), "-o", str(scratch / "CHANGELOG.md"), "--force"]
    for round_index in range(options.repeat):
        print(f"  round {round_index + 1}/{options.repeat}", flush=True)
        record("git log (paths)", git_log_pass(repo, PATHS_OPTIONS, revisions))
        if options.cliff is not None:
            record("git-cliff", runner.cliff_run(options.cliff, repo, options.cliff_timeout))
        cache = fresh(scratch / "cache-changelog")
        record("changelog cold", runner.almanac_run("changelog cold", changelog, cache))
        record("changelog unchanged", runner.almanac_run("changelog unchanged", changelog, cache))
        if not options.site:
            continue
        record("git log --numstat", git_log_pass(repo, LOG_OPTIONS, revisions))
        pages = ["write", str(gone(scratch / "pages-cold")), "--repo", str(repo), "--force"]
        record("pages cold", runner.almanac_run("pages cold", pages, fresh(scratch / "cache-cold")))
        site = ["build", "--repo", str(repo), "--site-dir", str(gone(scratch / "site-cold")), "--force"]
        record("site cold", runner.almanac_run("site cold", site, fresh(scratch / "cache-cold")))
        for name in ("site", "pages"):
            add_commit(copies[name], round_index, options.touch)
            label, cache = f"{name} after one commit", scratch / f"cache-{name}"
            record(label, runner.almanac_run(label, warm_args(name, copies[name], scratch), cache))
    leftovers = ("CHANGELOG.md", "cache-changelog", "cache-cold", "pages-cold", "site-cold", "cache-site",
                 "cache-pages", "site-warm", "pages-warm", "cliff-CHANGELOG.md", *map(str, copies.values()))
    for name in leftovers:
        path = scratch / name
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return measures


def warm_args(name: str, copy: Path, scratch: Path) -> list[str]:
    """The same output folder every time, as a CI runner that keeps its site and cache between pushes."""
    if name == "site":
        return ["build", "--repo", str(copy), "--site-dir", str(scratch / "site-warm"), "--force"]
    return ["write", str(scratch / "pages-warm"), "--repo", str(copy), "--force"]


def gone(path: Path) -> Path:
    """``path`` removed, so the command creates it as a first run would."""
    shutil.rmtree(path, ignore_errors=True)
    return path


def fresh(path: Path) -> Path:
    """``path`` as an empty folder (an empty cache)."""
    gone(path).mkdir(parents=True)
    return path


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    almanac: str  # median seconds (and peak RSS), or why there is none
    reference: str  # what the ratio is taken against, with its median
    ratio: str
    goal: str
    verdict: str  # PASS, OVER, or "" where no goal applies


def seconds(measure: Measure) -> str:
    if measure.median is None:
        return f"over {measure.runs[0].seconds:.0f} s" if measure.timed_out else "failed"
    return duration(measure.median)


def duration(value: float) -> str:
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def faster_than_cliff(almanac: float, cliff: float) -> str:
    if almanac <= cliff:
        return f"{cliff / almanac:.1f}× faster than git-cliff"
    return f"{almanac / cliff:.1f}× SLOWER than git-cliff"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "OVER")


def rows(measures: dict[str, Measure], options: Options) -> list[Row]:
    m = measures
    out: list[Row] = []

    def ratio_row(label: str, reference: str, goal: str = "", test: Callable[[float, float], bool] | None = None,
                  show: Callable[[float, float], str] | None = None) -> None:
        here, there = m[label].median, m[reference].median
        ref_text = f"{reference} {seconds(m[reference])}"
        if here is None or there is None or there == 0:
            out.append(Row(label, seconds(m[label]), ref_text, "n/a", goal, ""))
            return
        text = show(here, there) if show else f"{here / there:.2f}×"
        out.append(Row(label, seconds(m[label]), ref_text, text, goal, verdict(test(here, there) if test else None)))

    out.append(Row("git log (paths)", seconds(m["git log (paths)"]), "(reference)", "", "", ""))
    if options.cliff is not None:
        cliff, cold = m["git-cliff"], m["changelog cold"]
        out.append(Row("git-cliff", seconds(cliff), "(reference, default configuration)", "", "", ""))
        if cliff.median is None and cliff.timed_out and cold.median:
            bound = cliff.runs[0].seconds / cold.median
            out.append(Row("changelog cold", seconds(cold), f"git-cliff {seconds(cliff)}",
                           f"≥ {bound:.1f}× faster than git-cliff", f"≥ {GOAL_CLIFF_SPEEDUP:.0f}×",
                           "PASS" if bound >= GOAL_CLIFF_SPEEDUP else ""))
        else:
            ratio_row("changelog cold", "git-cliff", f"≥ {GOAL_CLIFF_SPEEDUP:.0f}× faster",
                      lambda here, there: there / here >= GOAL_CLIFF_SPEEDUP,
                      faster_than_cliff)
    ratio_row("changelog cold", "git log (paths)")
    ratio_row("changelog unchanged", "changelog cold",
              f"≤ {GOAL_UNCHANGED_RATIO}× or ≤ {GOAL_UNCHANGED_SECONDS} s",
              lambda here, there: here / there <= GOAL_UNCHANGED_RATIO or here <= GOAL_UNCHANGED_SECONDS)
    ratio_row("changelog unchanged", "git log (paths)")
    if options.site:
        out.append(Row("git log --numstat", seconds(m["git log --numstat"]), "(reference)", "", "", ""))
        ratio_row("site cold", "git log --numstat", f"≤ {GOAL_SITE_OVER_NUMSTAT:.0f}×",
                  lambda here, there: here / there <= GOAL_SITE_OVER_NUMSTAT)
        ratio_row("pages cold", "git log --numstat")
        ratio_row("pages cold", "site cold", "", None,
                  lambda here, there: f"{here / there:.2f}× (MkDocs' share {(there - here) / there:.0%})")
        for name in ("site", "pages"):
            ratio_row(f"{name} after one commit", f"{name} cold", f"≤ {GOAL_AFTER_COMMIT_RATIO}×",
                      lambda here, there: here / there <= GOAL_AFTER_COMMIT_RATIO)
    for label in ("changelog cold", "site cold") if options.site else ("changelog cold",):
        peak = m[label].peak_kib
        out.append(Row(f"peak RSS, {label}", "n/a" if peak is None else f"{peak / 1024:.0f} MiB", "", "",
                       "≤ 1 GiB", "" if peak is None else verdict(peak <= GOAL_RSS_KIB)))
    return out


def print_table(repo: Path, size: Size, table: list[Row]) -> None:
    print(f"\n{repo}: {size.line()}")
    for row in table:
        print(f"  {row.label:<24} {row.almanac:>14}   {row.ratio:<34} {row.reference:<36} {row.goal:<20} {row.verdict}")


def markdown(repo: Path, size: Size, table: list[Row], repeat: int) -> str:
    lines = [
        f"**{repo.name}** ({size.line()}; median of {repeat} interleaved run{'s' if repeat > 1 else ''})",
        "",
        "| measure | measured | reference (same run) | ratio | goal | |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {r.label} | {r.almanac} | {r.reference} | {r.ratio} | {r.goal} | {r.verdict} |" for r in table]
    return "\n".join(lines)


def default_almanac() -> Path:
    return Path(sys.executable).parent / "almanac"  # not resolved: the venv's python is a symlink out of it


def find_cliff(given: Path | None) -> Path | None:
    if given is not None:
        return given
    from changelog import cliff_executable  # installs git-cliff with pip on first use

    return cliff_executable()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path, metavar="REPO", help="git working clone (never modified)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds; each figure is their median")
    parser.add_argument("--no-cliff", action="store_true", help="do not time git-cliff")
    parser.add_argument("--no-site", action="store_true", help="skip git log --numstat, pages and site builds")
    parser.add_argument("--almanac", type=Path, default=default_almanac(), help="almanac executable to time")
    parser.add_argument("--cliff", type=Path, help="git-cliff executable (default: pip-installed in benchmarks/.work)")
    parser.add_argument("--cliff-timeout", type=float, default=DEFAULT_CLIFF_TIMEOUT, help="seconds per git-cliff run")
    parser.add_argument("--touch", choices=("file", "readme"), default="file",
                        help="what each new commit changes: a new file (default) or a line appended to README.md")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one, deleted at the end)")
    args = parser.parse_args(argv)
    isolate_git_environment()
    if not args.almanac.exists():
        parser.error(f"no almanac executable at {args.almanac}")
    cliff = None if args.no_cliff else find_cliff(args.cliff)
    if not args.no_cliff and cliff is None:
        print("git-cliff: not timed (not installable here; give one with --cliff)")
    options = Options(args.repeat, cliff, args.cliff_timeout, not args.no_site, args.touch)
    print(f"almanac: {args.almanac}" + (f"; git-cliff: {cliff}" if cliff else ""))

    scratch_root = Path(tempfile.mkdtemp(prefix="almanac-real-", dir=args.work))
    tables: list[str] = []
    try:
        runner = Runner(args.almanac.absolute(), scratch_root)
        for repo in args.repos:
            repo = repo.resolve()
            size = repository_size(repo)
            print(f"\n== {repo}\n  {size.line()}", flush=True)
            measures = measure_repository(repo, options, runner)
            table = rows(measures, options)
            print_table(repo, size, table)
            tables.append(markdown(repo, size, table, args.repeat))
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)
    print("\n" + "\n\n".join(tables))
    return 1 if runner.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
