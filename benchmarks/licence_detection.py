"""Licence detection: exact ids and time, against licenseclassifier alone, on real texts as repos mangle them.

Run: ``python benchmarks/licence_detection.py [--repeat 5]``. The real licence texts of
``tests/data/licences`` are each used four ways (as published, re-wrapped at 64 columns, turned into
Markdown, with a filled-in copyright line) and identified, side by side in one run, by:

- **licenseclassifier**: the SPDX-template matcher alone (the baseline; Almanac uses it for SPDX
  licences), reporting what it identifies;
- **Almanac**: ``generator.analysis.licences.match.identify`` (the SPDX matcher plus the model-licence
  fingerprints and distinguishing clauses).

Each versioned model licence is also given without its distinguishing clauses, where the only right
answer is "unknown". It prints, for each, how many texts got exactly the expected id, how many got a
wrong id (the number that must stay 0), and the median time per text, with Almanac's time as a ratio
of the baseline's.
Never gates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.analysis.licences.match import identify, known_licences  # noqa: E402
from tests.test_licence_detection import EXPECTED, as_markdown, rewrapped, text, with_copyright  # noqa: E402


def samples() -> list[tuple[str, str | None]]:
    """(text, expected id) for every real text in every mangling, and each versioned model licence
    with its distinguishing clauses removed (expected: unknown, not the nearest version)."""
    manglings: list[Callable[[str], str]] = [lambda t: t, rewrapped, as_markdown, with_copyright]
    cases: list[tuple[str, str | None]] = [(mangle(text(key)), expected) for key, expected in sorted(EXPECTED.items())
                                           for mangle in manglings]
    for known in known_licences():
        for key, expected in sorted(EXPECTED.items()):
            original = text(key)
            if expected == known.hub and known.clauses and all(clause in original for clause in known.clauses):
                for clause in known.clauses:
                    original = original.replace(clause, "")
                cases.append((original, None))
    return cases


def by_licenseclassifier(licence: str) -> list[str | None]:
    from licenseclassifier import identify_license

    return [result.id.lower() for result in identify_license(licence)] or [None]


def by_almanac(licence: str) -> list[str | None]:
    return [match.licence for match in identify(licence)]


def measure(name: str, detect: Callable[[str], list[str | None]], cases: list[tuple[str, str | None]], repeat: int
            ) -> tuple[float, int, int]:
    detect(cases[0][0])  # load the matcher once, as a build does
    times, exact, wrong = [], 0, 0
    for licence, expected in cases:
        found = detect(licence)
        exact += found == [expected]
        wrong += any(answer is not None and answer != expected for answer in found)
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            detect(licence)
            runs.append(time.perf_counter() - start)
        times.append(statistics.median(runs))
    per_text = statistics.median(times)
    print(f"{name:<18} exact {exact:>3}/{len(cases)}  wrong id {wrong:>2}  median {per_text * 1000:6.1f} ms/text")
    return per_text, exact, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases = samples()
    print(f"{len(cases)} texts: {len(EXPECTED)} real licences × 4 layouts, and {len(cases) - 4 * len(EXPECTED)} "
          "versions stripped of their distinguishing clauses (expected: unknown)")
    baseline, _, _ = measure("licenseclassifier", by_licenseclassifier, cases, args.repeat)
    almanac, _, _ = measure("Almanac", by_almanac, cases, args.repeat)
    print(f"time Almanac / licenseclassifier: {almanac / baseline:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
