"""The parameter count a README states in words, in English or Chinese, to check it against the config.

"a 1.8-billion-parameter model", "7B parameters", "拥有 18 亿参数", "参数量 | 62 亿": the first mention
in each README is read, with its line, so a card can say "the README says 6.2 B, the config
describes 6.9 B" instead of repeating a number it cannot vouch for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12,
          "trillion": 1e12, "万": 1e4, "亿": 1e8, "千亿": 1e11, "万亿": 1e12}
#: Numbers of at most six digits (a float of 5 000 digits is infinite, and no model has 10⁶ billion parameters),
#: not cut out of a longer run of digits.
_ENGLISH = re.compile(
    r"(?<![\d.])(?P<number>\d{1,6}(?:\.\d{1,6})?)(?:\s*-)?\s*(?P<scale>billion|million|trillion|[BMT])\b(?:\s*-)?"
    r"\s*param(?:eter)?s?",
    re.IGNORECASE)
_CHINESE = re.compile(r"(?<![\d.])(?P<number>\d{1,6}(?:\.\d{1,6})?)\s*(?P<scale>万亿|千亿|亿|万)(?:\s*个)?\s*参数")
_CHINESE_TABLE = re.compile(
    r"参数(?:量|规模|数量)?\s*\|\s*(?P<number>\d{1,6}(?:\.\d{1,6})?)\s*(?P<scale>万亿|千亿|亿|万|B|M)")


@dataclass(frozen=True, slots=True)
class StatedSize:
    parameters: int
    #: The words as written, e.g. ``18 亿参数``.
    phrase: str
    where: str


def stated_parameters(text: str, path: str = "README.md") -> StatedSize | None:
    """The first parameter count the text states, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in (_ENGLISH, _CHINESE, _CHINESE_TABLE):
            match = pattern.search(line)
            if match:
                scale = _SCALE[match.group("scale").lower() if match.group("scale").isascii()
                               else match.group("scale")]
                return StatedSize(round(float(match.group("number")) * scale), match.group(0).strip(),
                                  f"{path}:{number}")
    return None
