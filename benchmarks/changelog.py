"""How long the full changelog of a large history takes, against a raw ``git log`` and git-cliff.

Run: ``python benchmarks/changelog.py [--commits 50000] [--tags 500] [--repeat 3] [--no-cliff]``.
It reuses the synthetic repository of ``history_walk.py`` (built once with ``git fast-import`` and
kept in ``benchmarks/.work``) and prints, side by side in one run:

- the raw ``git log`` pass with Almanac's own options (the floor any git-based tool stands on);
- Almanac's full changelog from an empty cache: walk, identities, releases, change recovery,
  classification and the Keep a Changelog text for every release (target: at most 2x the raw pass);
- git-cliff with its default configuration, installed with pip into ``benchmarks/.work/cliff-venv``
  when the package registry offers it, and how many commit subjects its output keeps.

It reports and never gates: the exit code is 0 unless something crashed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from history_walk import baseline_pass, ensure_repository, isolate_git_environment, walk_revisions

from generator.build import BuildOptions, build_repository
from generator.export.changelog import keep_a_changelog

WORK = Path(__file__).resolve().parent / ".work"


def almanac_changelog(repo: Path) -> tuple[float, str, str]:
    """Seconds for a cold changelog of every release, the text, and the coverage line."""
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        built = build_repository(BuildOptions(repo=repo, cache_dir=Path(cache), describe_models=False, files="paths"))
        notes = built.notes
        text = keep_a_changelog(built.knowledge, None, notes.unreleased)
        return time.perf_counter() - started, text, notes.coverage.line()


def cliff_executable() -> Path | None:
    """git-cliff from its own virtual environment, installed on first use; None where it cannot be had."""
    env = WORK / "cliff-venv"
    executable = env / "bin" / "git-cliff"
    if executable.exists():
        return executable
    venv.create(env, with_pip=True)
    result = subprocess.run([str(env / "bin" / "pip"), "install", "--quiet", "git-cliff"], capture_output=True,
                            check=False)
    return executable if result.returncode == 0 and executable.exists() else None


def cliff_run(executable: Path, repo: Path) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as out:
        output = Path(out) / "CHANGELOG.md"
        started = time.perf_counter()
        subprocess.run([str(executable), "--repository", str(repo), "--output", str(output)],
                       check=True, capture_output=True)
        return time.perf_counter() - started, output.read_text(encoding="utf-8", errors="replace")


def entries(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.lstrip().startswith(("- ", "* ")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--tags", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cliff", action="store_true", help="do not install or time git-cliff")
    args = parser.parse_args()
    isolate_git_environment()
    WORK.mkdir(exist_ok=True)
    repo, _, _ = ensure_repository(WORK, args.commits, args.tags)
    revisions = walk_revisions(repo)
    print(f"repository: {args.commits:,} commits, {args.tags:,} tags ({repo})")

    baseline = statistics.median(baseline_pass(repo, revisions)[0] for _ in range(args.repeat))
    runs = [almanac_changelog(repo) for _ in range(args.repeat)]
    almanac = statistics.median(seconds for seconds, _, _ in runs)
    _, text, coverage = runs[-1]
    print(f"  raw git log (same options)     {baseline:8.2f} s")
    print(f"  almanac full changelog         {almanac:8.2f} s   {entries(text):,} entries; {coverage}")
    ratio = almanac / baseline
    print(f"  almanac / raw git log          {ratio:8.2f}     target <= 2.0   {'PASS' if ratio <= 2 else 'OVER'}")
    executable = None if args.no_cliff else cliff_executable()
    if executable is None:
        print("  git-cliff: not timed (not installable here, or --no-cliff)")
        return 0
    cliff_runs = [cliff_run(executable, repo) for _ in range(args.repeat)]
    cliff = statistics.median(seconds for seconds, _ in cliff_runs)
    print(f"  git-cliff (default config)     {cliff:8.2f} s   {entries(cliff_runs[-1][1]):,} entries")
    print(f"  almanac / git-cliff            {almanac / cliff:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
