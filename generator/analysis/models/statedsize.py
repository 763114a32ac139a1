"""The parameter count a README states in words, in English or Chinese, to check it against the config.

"a 1.8-billion-parameter model", "7B parameters", "拥有 18 亿参数", "参数量 | 62 亿": the first sentence
that states a size is read, with its line, so a card can say "the README says 6.2 B, the config
describes 6.9 B" instead of repeating a number it cannot vouch for.

A size is stated only by a sentence that names it as the model's own:

- one size ("a 20 billion parameter model") is that size;
- a mixture of experts' "236B total parameters, of which 21B are activated" is a total and an active count;
- a list ("comes in two sizes — 8B and 70B parameters", "18亿（1.8B）、70亿（7B）和720亿（72B）") is the
  sizes it names, never one of them as *the* size;
- a range ("ranging from 7B to 70B parameters") names no size: the sizes between its ends are not said;
- a table row is a comparison with other models (a memory table's "T0_3B (3B params)"), except the
  two-cell "参数量 | 62 亿" that describes the model itself; code blocks are not prose.

Whether the README is about a model of the repository's own at all is the caller's question
(see :mod:`generator.analysis.models.repokind`): a library's README names other people's models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12,
          "trillion": 1e12, "万": 1e4, "亿": 1e8, "千亿": 1e11, "万亿": 1e12}
#: Numbers of at most six digits (a float of 5 000 digits is infinite, and no model has 10⁶ billion parameters),
#: not cut out of a longer run of digits.
_NUMBER = r"(?<![\d.])(?P<number>\d{1,6}(?:\.\d{1,6})?)"
_ENGLISH = re.compile(
    _NUMBER + r"(?:\s*-)?\s*(?P<scale>billion|million|trillion|[BMT])\b(?:\s*-)?\s*param(?:eter)?s?", re.IGNORECASE)
_CHINESE = re.compile(_NUMBER + r"\s*(?P<scale>万亿|千亿|亿|万)(?:\s*个)?\s*参数")
#: "参数规模为18亿", "参数量：62 亿".
_CHINESE_AFTER = re.compile(r"参数(?:量|规模|数量)\s*(?:为|是|：|:)?\s*" + _NUMBER + r"\s*(?P<scale>万亿|千亿|亿|万)")
_CHINESE_TABLE = re.compile(r"参数(?:量|规模|数量)?\s*\|\s*" + _NUMBER + r"\s*(?P<scale>万亿|千亿|亿|万|B|M)")
#: Any size in a sentence that states one, whether or not "parameters" follows it (the "8B" of "8B and
#: 70B parameters"); not a model name's ("Qwen-7B", "ChatGLM2-6B"), not a count of tokens.
_ANY_SIZE = re.compile(
    r"(?<![\w.\-])(?P<number>\d{1,6}(?:\.\d{1,6})?)\s*(?P<scale>billion|million|B|M|万亿|千亿|亿)(?![\w])"
    r"(?!\s*(?:tokens?|words|个?\s*token))", re.IGNORECASE)
#: Two sizes joined as the ends of a range.
_RANGE = re.compile(
    r"\d\s*(?:billion|million|B|M|亿)?\s*(?:to|through|-|–|—|~|～|至|到)\s*\d{1,6}(?:\.\d{1,6})?\s*(?:billion|million|B|M|亿)"
    r"|\bfrom\s+\d{1,6}(?:\.\d{1,6})?\s*(?:billion|million|B|M)\b", re.IGNORECASE)
_MIXTURE = re.compile(
    r"(?<![\w.\-])(?P<total>\d{1,6}(?:\.\d{1,6})?)\s*(?P<scale>billion|B)\s+total\s+param(?:eter)?s?\b"
    r"[^.]{0,60}?(?<![\w.\-])(?P<active>\d{1,6}(?:\.\d{1,6})?)\s*(?P<active_scale>billion|B)\b"
    r"(?:\s+(?:are|is))?\s+(?:activated|active)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*_\[(])|(?<=[。！？；])")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True, slots=True)
class StatedSize:
    parameters: int
    #: The words as written, e.g. ``18 亿参数``.
    phrase: str
    where: str
    #: Parameters active per token, when the sentence states a mixture of experts' total and active.
    active: int | None = None


def _count(number: str, scale: str) -> int:
    return round(float(number) * _SCALE[scale.lower() if scale.isascii() else scale])


def stated_sizes(text: str, path: str = "README.md") -> list[StatedSize]:
    """The sizes the first size-stating sentence of the text names: one, or several for a list; a
    range or a table row states none (see the module's docstring)."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.lstrip().startswith("|"):
            match = _CHINESE_TABLE.search(line)
            if match and line.count("|") <= 3 + line.strip().endswith("|"):  # "| 参数量 | 62 亿 |"
                return [StatedSize(_count(match.group("number"), match.group("scale")), match.group(0).strip(),
                                   f"{path}:{number}")]
            continue
        for sentence in _SENTENCE_END.split(line):
            found = _in_sentence(sentence, f"{path}:{number}")
            if found:
                return found
    return []


def _in_sentence(sentence: str, where: str) -> list[StatedSize]:
    mixture = _MIXTURE.search(sentence)
    if mixture:
        return [StatedSize(_count(mixture.group("total"), mixture.group("scale")), mixture.group(0).strip(), where,
                           _count(mixture.group("active"), mixture.group("active_scale")))]
    match = _ENGLISH.search(sentence) or _CHINESE.search(sentence) or _CHINESE_AFTER.search(sentence)
    if not match or _RANGE.search(sentence):
        return []
    named = _count(match.group("number"), match.group("scale"))
    # Other sizes count when they are of the same order (billions with billions): "4M batch" beside
    # "7B parameters" is no second model.
    sizes = dict.fromkeys(size for m in _ANY_SIZE.finditer(sentence)
                          if ((size := _count(m.group("number"), m.group("scale"))) >= 1e8) == (named >= 1e8))
    sizes.setdefault(named)
    if len(sizes) == 1:
        return [StatedSize(next(iter(sizes)), match.group(0).strip(), where)]
    phrase = " ".join(sentence.split())
    phrase = phrase if len(phrase) <= 200 else phrase[:199] + "…"
    return [StatedSize(size, phrase, where) for size in sorted(sizes)]


def stated_parameters(text: str, path: str = "README.md") -> StatedSize | None:
    """The one parameter count the text states, or None (none, or a list of several sizes)."""
    sizes = stated_sizes(text, path)
    return sizes[0] if len(sizes) == 1 else None
