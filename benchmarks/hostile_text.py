"""How e-mail redaction scales on the inputs that made the old regex quadratic.

The old redaction, ``[\\w.+\\-]+@[\\w\\-]+(?:\\.[\\w\\-]+)+``, restarts at every position of a run of word
characters and reads to its end before failing: ten times the text cost a hundred times the work, so a
100 KB commit subject took minutes. Almanac now finds each ``@`` once and grows the address around it.

For each hostile shape this prints the time to redact 10 KB and 100 KB and their ratio: about 10 means
linear, about 100 quadratic. ``--old`` times the old regex too, on 5 KB and 50 KB (the same ratio of
sizes; at 100 KB it takes minutes per shape). The script reports and never gates: it exits 0.

Run ``python benchmarks/hostile_text.py [--old] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere, without installing the project
    sys.path.insert(0, str(ROOT))

from generator.text.safetext import redact_emails  # noqa: E402

OLD_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)

SHAPES: dict[str, Callable[[int], str]] = {
    '"a" * n': lambda n: "a" * n,
    '"a." * n': lambda n: "a." * (n // 2),
    '"a@" * n': lambda n: "a@" * (n // 2),
    '"@a" * n': lambda n: "@a" * (n // 2),
    '"a@a." * n': lambda n: "a@a." * (n // 4),
    '"a" * n + "@"': lambda n: "a" * (n - 1) + "@",
    '"a@" + "a" * n': lambda n: "a@" + "a" * (n - 2),
    '"a@" + "a." * n': lambda n: "a@" + "a." * (n // 2 - 1),
    '"＠a" * n': lambda n: "＠a" * (n // 2),
}


def seconds(redact: Callable[[str], str], text: str, repeat: int) -> float:
    """The best of ``repeat`` runs: the least disturbed by other work on the machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        redact(text)
        best = min(best, time.perf_counter() - start)
    return best


def row(name: str, redact: Callable[[str], str], shape: Callable[[int], str], small: int, repeat: int) -> str:
    short, long = seconds(redact, shape(small), repeat), seconds(redact, shape(10 * small), repeat)
    ratio = long / short if short > 0 else float("nan")
    return (f"{name:<5} {small // 1000:>3} KB {short * 1000:10.2f} ms   "
            f"{10 * small // 1000:>4} KB {long * 1000:10.2f} ms   ratio {ratio:6.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", action="store_true", help="also time the old regex (5 KB and 50 KB; slow)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement, best kept (default 3)")
    args = parser.parse_args(argv)
    print("ratio of times for 10x the text: ~10 is linear, ~100 quadratic")
    for label, shape in SHAPES.items():
        print(label)
        print("  " + row("now", redact_emails, shape, 10_000, args.repeat))
        if args.old:
            print("  " + row("old", lambda text: OLD_EMAIL.sub("(e-mail hidden)", text), shape, 5_000, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
