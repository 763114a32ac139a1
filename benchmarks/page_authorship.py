"""Per-page authorship on a docs site: Almanac against the MkDocs git plugins, side by side in one run.

Run: ``python benchmarks/page_authorship.py [--pages 64] [--commits 3000] [--repeat 3] [--no-plugins]
[--instructions]``. It builds (once, with ``git fast-import``, kept in ``benchmarks/.work``) a
repository whose ``docs/`` holds ``--pages`` Markdown pages edited by 40 people over ``--commits``
commits, some pages renamed, and times ``mkdocs build`` of that docs tree with mkdocs-material:

- plain: no git-aware plugin (the baseline);
- Almanac's per-page authorship alone (``pages: false``), cold (empty cache) and warm (cached): the
  like-for-like comparison with the git plugins;
- the same with the contributor pages (``almanac/contributors``): a page per person more to render;
- Almanac with every generated page (warm);
- ``mkdocs-git-authors-plugin`` and ``mkdocs-git-revision-date-localized-plugin``, installed with pip
  into ``benchmarks/.work/git-plugins-venv`` where the package registry offers them.

``--instructions`` also counts, under valgrind, the instructions of plain, authorship warm and the
contributor pages: a figure the noise of a shared machine does not move.

Target: per-page authorship, and the contributor pages per page built, at most 1.10x the plain build.
It reports and never gates.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from history_walk import data_block, isolate_git_environment, run_git

from generator.sources.git.env import isolated_git_env

WORK = Path(__file__).resolve().parent / ".work"
START = 1_650_000_000
WORDS = ("model", "token", "layer", "attention", "prompt", "weights", "dataset", "eval", "context", "cache")

CONFIGS = {
    "plain": "plugins:\n  - search\n",
    "authorship": "plugins:\n  - search\n  - almanac:\n      pages: false\n      cache_dir: {cache}\n",
    "contributors": "plugins:\n  - search\n  - almanac/contributors:\n      cache_dir: {cache}\n",
    "almanac": "plugins:\n  - search\n  - almanac:\n      cache_dir: {cache}\n",
    "git plugins": "plugins:\n  - search\n  - git-revision-date-localized\n  - git-authors\n",
}


def page_text(rng: random.Random, title: str, lines: int) -> bytes:
    body = "".join(f"{' '.join(rng.choices(WORDS, k=8)).capitalize()}.\n\n" for _ in range(lines))
    return f"# {title}\n\n{body}".encode()


def build_repository(dest: Path, pages: int, commits: int) -> None:
    """One fast-import stream: docs pages created, edited by many hands, a few renamed; code edits between."""
    rng = random.Random(20241128)
    run_git(dest, "init", "-q", "-b", "main")
    people = [(f"Writer {n}", f"{n + 1000}+writer{n}@users.noreply.github.com") for n in range(40)]
    names = [f"docs/{'guides/' if n % 3 == 0 else ''}page-{n:03d}.md" for n in range(pages)]
    parts: list[bytes] = []
    clock = START
    for number in range(commits):
        clock += rng.randint(600, 7200)
        name, email = people[min(int(rng.paretovariate(1.2)) - 1, len(people) - 1)]
        files: list[bytes] = []
        if number == 0:
            files += [b"M 644 inline %s\n" % path.encode() + data_block(page_text(rng, path, 6)) for path in names]
            files.append(b"M 644 inline docs/index.md\n" + data_block(b"# Home\n\nWelcome.\n"))
        elif rng.random() < 0.01:  # a rename
            index = rng.randrange(len(names))
            old, new = names[index], names[index].replace("page-", "renamed-page-")
            if old != new:
                files.append(b"R %s %s\n" % (old.encode(), new.encode()))
                names[index] = new
        elif rng.random() < 0.6:
            for path in rng.sample(names, rng.randint(1, 3)):
                text = page_text(rng, path, rng.randint(4, 12))
                files.append(b"M 644 inline %s\n" % path.encode() + data_block(text))
        else:
            files.append(b"M 644 inline src/code_%d.py\n" % rng.randrange(50) + data_block(b"x = %d\n" % number))
        header = b"commit refs/heads/main\nauthor %s <%s> %d +0000\ncommitter %s <%s> %d +0000\n" % (
            name.encode(), email.encode(), clock, name.encode(), email.encode(), clock)
        parts.append(header + data_block(f"Edit docs ({number})".encode()) + b"".join(files) + b"\n")
        if number and number % 500 == 0:
            parts.append(b"reset refs/tags/v0.%d.0\nfrom refs/heads/main\n\n" % (number // 500))
    parts.append(b"done\n")
    subprocess.run(["git", "fast-import", "--quiet", "--done"], cwd=dest, input=b"".join(parts), check=True,
                   env=isolated_git_env())
    run_git(dest, "checkout", "-q", "-f", "main")


def ensure_repository(pages: int, commits: int) -> Path:
    final = WORK / f"docs-p{pages}-c{commits}-g1"
    if (final / ".git" / "almanac-docs-ready").is_file():
        return final
    shutil.rmtree(final, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=".docs-", dir=WORK))
    try:
        build_repository(scratch, pages, commits)
        (scratch / ".git" / "almanac-docs-ready").write_text("ok")
        scratch.rename(final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return final


def git_plugins_python() -> Path | None:
    """A venv with mkdocs-material and the two git plugins, installed on first use; None where it cannot be."""
    env = WORK / "git-plugins-venv"
    python = env / "bin" / "python"
    if (env / "ready").exists():
        return python
    venv.create(env, with_pip=True)
    packages = ["mkdocs-material", "mkdocs-git-authors-plugin", "mkdocs-git-revision-date-localized-plugin"]
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *packages], capture_output=True,
                            check=False)
    if result.returncode != 0:
        return None
    (env / "ready").write_text("ok")
    return python


def build_command(python: Path, repo: Path, variant: str, cache: Path, site: Path) -> tuple[list[str], dict[str, str]]:
    """The ``mkdocs build`` of one variant, and its environment."""
    config = repo / f"mkdocs-{variant.replace(' ', '-')}.yml"
    config.write_text("site_name: Bench\ndocs_dir: docs\ntheme:\n  name: material\n"
                      + CONFIGS[variant].format(cache=cache))
    # Bytecode is written and reused, as on a user's machine (some sandboxes set PYTHONDONTWRITEBYTECODE,
    # which would charge every run the compiling of every module of the plugin's).
    env = {key: value for key, value in isolated_git_env().items() if key != "PYTHONDONTWRITEBYTECODE"}
    command = [str(python), "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    return command, {**env, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


def timed_build(python: Path, repo: Path, variant: str, cache: Path, site: Path) -> tuple[float, float, int]:
    """Seconds of one ``mkdocs build`` (wall clock, and CPU time of the build and its git processes, which
    other tenants of a shared machine disturb less), and how many pages it wrote."""
    command, env = build_command(python, repo, variant, cache, site)
    started, cpu_before = time.perf_counter(), _children_cpu()
    subprocess.run(command, cwd=repo, check=True, capture_output=True, env=env)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    return seconds, cpu, sum(1 for page in site.rglob("index.html"))


def counted_build(python: Path, repo: Path, variant: str, cache: Path, site: Path) -> int:
    """Instructions one ``mkdocs build`` executes (valgrind's callgrind, the Python process only): the same
    count on every run, whatever else the machine does, where wall-clock times of a shared machine wander
    by 15 %. Git's own processes are not counted; their cost is in the timed runs."""
    command, env = build_command(python, repo, variant, cache, site)
    out = Path(tempfile.mkdtemp()) / "callgrind.out"
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command], cwd=repo,
                            check=True, capture_output=True, text=True, env=env)
    shutil.rmtree(out.parent, ignore_errors=True)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no instruction count: {result.stderr[-500:]}")
    return int(found.group(1))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=64)
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-plugins", action="store_true", help="do not install or time the git plugins")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions under valgrind (about a minute per variant)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (Debian: apt-get install valgrind)")
    isolate_git_environment()
    WORK.mkdir(parents=True, exist_ok=True)
    repo = ensure_repository(args.pages, args.commits)
    ours = Path(sys.executable)
    theirs = None if args.no_plugins else git_plugins_python()
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    pages: dict[str, int] = {}
    variants = [("plain", ours, "plain"), ("authorship cold", ours, "authorship"),
                ("authorship warm", ours, "authorship"), ("+ contributors", ours, "contributors"),
                ("all pages warm", ours, "almanac")] + ([("git plugins", theirs, "git plugins")] if theirs else [])
    with tempfile.TemporaryDirectory() as scratch:
        for _, python, variant in variants:  # bytecode of every module, the compiled templates, the disk cache
            timed_build(python, repo, variant, Path(scratch) / "warm-up", Path(scratch) / "site")
        for round_number in range(args.repeat):  # variants interleaved, so machine noise hits all alike
            for name, python, variant in variants:
                site = Path(scratch) / "site"
                shutil.rmtree(site, ignore_errors=True)
                seconds, used, pages[name] = timed_build(python, repo, variant, Path(scratch) / f"cache-{round_number}",
                                                         site)
                times.setdefault(name, []).append(seconds)
                cpu.setdefault(name, []).append(used)
        counts = {name: counted_build(python, repo, variant, Path(scratch) / f"cache-{args.repeat - 1}",
                                      Path(scratch) / "site")
                  for name, python, variant in variants
                  if args.instructions and name in ("plain", "authorship warm", "+ contributors")}
    print(f"docs tree: {pages['plain']} pages, {args.commits:,} commits ({repo}); medians of {args.repeat} runs")
    plain, plain_cpu = statistics.median(times["plain"]), statistics.median(cpu["plain"])
    print(f"  {'':<16} {'wall':>7}   {'ratio':>11}   {'CPU':>7}   {'ratio':>11}   pages   wall per page")
    for name in times:
        value, used = statistics.median(times[name]), statistics.median(cpu[name])
        per_page = (value / pages[name]) / (plain / pages["plain"])
        target = {"authorship warm": "  target <= 1.10", "+ contributors": "  target <= 1.10 per page"}.get(name, "")
        print(f"  {name:<16} {value:5.2f} s   {value / plain:5.2f}x plain   {used:5.2f} s   "
              f"{used / plain_cpu:5.2f}x plain   {pages[name]:5}   {per_page:5.2f}x plain{target}")
    print("  ('+ contributors' is authorship warm with the contributor pages (almanac/contributors): one page per"
          " person, the index and community health; 'all pages' adds every generated page. Added pages cost"
          " rendering like any page of the site: 'time per page' compares like with like.)")
    if theirs is None:
        print("  git plugins: not timed (not installable here, or --no-plugins)")
    if counts:
        print("instructions executed by the build's Python process (valgrind callgrind, one run each):")
        for name, count in counts.items():
            per_page = (count / pages[name]) / (counts["plain"] / pages["plain"])
            print(f"  {name:<16} {count / 1e9:6.2f} G   {count / counts['plain']:5.3f}x plain   "
                  f"per page {per_page:5.3f}x plain")


if __name__ == "__main__":
    main()
