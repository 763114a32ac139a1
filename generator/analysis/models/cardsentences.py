"""Card sections a model's README states in a sentence, not under a heading of their own.

Model READMEs state their pre-training corpus in the introduction ("We pretrained DeepSeek-V2 on a
diverse and high-quality corpus comprising 8.1 trillion tokens", "经过了 1.4T 中英标识符的预训练"), their
limits in a disclaimer ("无法保证输出内容的准确性") and the uses they forbid in a plea ("勿将开源模型…用于任何
可能给国家和社会带来危害的用途"). A card that reads sections only by their headings said "not stated" for
them, which was false. Only sentences of an unmistakable form count, each quoted with its line;
anything vaguer stays unread rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.analysis.community.papers import blank_fences
from generator.analysis.models.facts import plain_text
from generator.model.provenance import Fact

_NUMBER = r"\d+(?:\.\d+)?"
#: Words that make a count a bound or an estimate: the card keeps them ("up to 3 trillion tokens").
_ABOUT = r"(?:up to|over|more than|nearly|about|approximately|around|roughly|超过|约|近)"
#: "pretrained … on 8.1 trillion tokens", "pre-train DeepSeek-V3 on 14.8 trillion diverse and high-quality
#: tokens", "trained on 2T tokens": a training verb, then within the sentence a count of tokens.
_TOKENS_EN = re.compile(
    rf"\b(?:pre-?train(?:ed|ing)?|trained)\b[^.\n]{{0,80}}?\b({_ABOUT}\s+)?({_NUMBER})\s*(trillion|billion|T|B)\s+"
    r"(?:[\w-]+\s+){0,4}?tokens\b", re.IGNORECASE)
#: "经过了 1.4T 中英标识符的预训练", "在 2.6 万亿 token 上预训练": a count of tokens, then the training.
_TOKENS_ZH = re.compile(
    rf"({_ABOUT}\s*)?({_NUMBER})\s*(T|B|万亿|亿)\s*[\u4e00-\u9fff]{{0,4}}\s*(?:tokens?|标识符|词元)\s*(?:的|上|上的)?\s*(?:进行)?(?:预训练|训练)",
    re.IGNORECASE)
#: Each unit as English words, and the factor that turns the number into them (亿 is 10⁸: 0.1 billion).
_UNITS = {"t": ("trillion", 1), "trillion": ("trillion", 1), "万亿": ("trillion", 1), "b": ("billion", 1),
          "billion": ("billion", 1), "亿": ("billion", 0.1)}
#: "may generate inaccurate …", "cannot guarantee the accuracy", "无法保证输出内容的准确性",
#: "可能会产生 … 有害": a statement that the model's output can be wrong or harmful.
_LIMITS = (
    re.compile(r"\b(?:may|might|can|could)\s+(?:sometimes\s+|still\s+|also\s+)?(?:generate|produce|output|give|"
               r"return)\b[^.\n]{0,60}?\b(?:inaccurate|incorrect|biased|harmful|offensive|false|misleading|"
               r"hallucinat\w*|unsafe|toxic)", re.IGNORECASE),
    re.compile(r"\b(?:cannot|can ?not|can't|does not|do not)\s+guarantee\s+the\s+(?:accuracy|correctness|safety)",
               re.IGNORECASE),
    re.compile(r"无法保证[^。\n]{0,20}?(?:准确|正确|安全)"),
    re.compile(r"可能(?:会)?(?:产生|生成|输出)[^。\n]{0,30}?(?:错误|偏见|有害|不准确|不正确|虚假)"),
)
#: A full stop ends an English sentence only before a space (not in "github.com/THUDM"); a Chinese one always.
#: "is intended for research", "should not be used for", "勿将…用于", "仅供学术研究": a statement of what
#: the model is for or must not be used for.
_USES = (
    re.compile(r"\b(?:is|are)\s+(?:only\s+|primarily\s+|mainly\s+)?intended\s+(?:for|to be used)\b", re.IGNORECASE),
    re.compile(r"\bnot\s+(?:be\s+)?intended\s+(?:for|to)\b", re.IGNORECASE),
    re.compile(r"\b(?:should|must|may)\s+not\s+be\s+used\s+(?:for|to|in)\b", re.IGNORECASE),
    re.compile(r"(?:勿|请勿|不得|禁止)将?[^。\n]{0,40}?用于"),
    re.compile(r"仅(?:供|用于)(?:学术)?研究"),
)
#: A word every match of the patterns above holds: only lines with one are parsed.
_TRAINING_HINT = re.compile(r"train|训练", re.IGNORECASE)
_LIMITS_HINT = re.compile(r"inaccura|incorrect|bias|harmful|offensive|false|misleading|hallucinat|unsafe|toxic|"
                          r"guarantee|准确|正确|安全|错误|偏见|有害|虚假", re.IGNORECASE)
_USES_HINT = re.compile(r"intended|used|用于|研究", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def stated_training_data(text: str, path: str, document: str = "the README") -> list[Fact]:
    """The first sentence that states how many tokens the model was trained on, quoted."""
    for number, line in _prose_lines(text, _TRAINING_HINT):
        match = _TOKENS_EN.search(line) or _TOKENS_ZH.search(line)
        if match:
            about, count, unit = match.groups()
            words, factor = _UNITS[unit.lower()]
            amount = f"{_ABOUT_EN.get((about or '').strip().lower(), (about or '').strip())} {float(count) * factor:g} "
            return [Fact(f"Training data (stated in {document})", f"{amount.strip()} {words} tokens",
                         f"{path}:{number}: “{_quote(line, match)}”")]
    return []


#: The Chinese bounds in English, for a value read beside English labels.
_ABOUT_EN = {"超过": "over", "约": "about", "近": "nearly"}


def stated_limitations(text: str, path: str, document: str = "the README") -> list[Fact]:
    """The first sentence that says the model's output can be wrong or harmful, quoted."""
    return _first_sentence(text, path, _LIMITS, _LIMITS_HINT, f"Limitations (stated in {document})")


def stated_uses(text: str, path: str, document: str = "the README") -> list[Fact]:
    """The first sentence that says what the model is for, or must not be used for, quoted."""
    return _first_sentence(text, path, _USES, _USES_HINT, f"Intended use (stated in {document})")


def _first_sentence(text: str, path: str, patterns: tuple[re.Pattern[str], ...], hint: re.Pattern[str],
                    label: str) -> list[Fact]:
    for number, line in _prose_lines(text, hint):
        match = next((found for pattern in patterns if (found := pattern.search(line))), None)
        if match:
            return [Fact(label, _quote(line, match), f"{path}:{number}")]
    return []


def _prose_lines(text: str, hint: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """Lines outside code blocks, tables and headings, as plain words: where a sentence of prose can be.
    Only lines holding a word the patterns need (``hint``) are made plain: a long README has thousands."""
    for number, line in enumerate(blank_fences(text).splitlines(), start=1):
        if hint.search(line) and not line.lstrip().startswith(("|", "#", "<")):
            yield number, plain_text(line)


def _quote(line: str, match: re.Match[str]) -> str:
    """The sentence holding the match, at most 300 characters."""
    start = max((end.end() for end in _SENTENCE_END.finditer(line, 0, match.start())), default=0)
    end = _SENTENCE_END.search(line, match.end())
    sentence = line[start:end.start() if end else len(line)].strip()
    return sentence if len(sentence) <= 300 else sentence[:297].rsplit(" ", 1)[0] + "…"
