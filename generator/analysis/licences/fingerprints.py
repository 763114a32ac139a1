"""Licence texts reduced to what identifies them: words, per language, and sampled shingle hashes.

A licence file in a repository is rarely the publisher's file byte for byte: it is re-wrapped,
turned into Markdown (``**bold**`` headings, ``[url](url)`` links, ``1\\.`` escapes), given a filled-in
copyright line, or carries a Chinese and an English text one after the other. Matching works on
the words that survive all of that. A *fingerprint* is the set of hashes of every run of
``SHINGLE`` words whose hash falls in a fixed sample (one in ``SAMPLE``): the same sample of the
same runs is taken from the file and from the reference text, so how much of a reference's set a
file contains says how much of the licence is there, whatever the file's layout.

Fingerprints are facts about public texts, computed once by a maintainer (``python -m
generator.analysis.licences.fingerprints FILE``) and shipped as data; the texts themselves are not shipped.
"""

from __future__ import annotations

import re
import sys
import unicodedata
import zlib
from dataclasses import dataclass

SHINGLE = 5
SAMPLE = 4

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
#: Markdown that changes the look, not the words: links keep their text, images, HTML tags,
#: emphasis, heading and quote markers, backslash escapes and table rules go.
_MARKDOWN = (
    # No bracket class admits its own opener: "<a<a<a…" or "[a](" repeated cost quadratic time.
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)"), " "),
    (re.compile(r"\[([^\[\]]*)\]\([^()]*\)"), r"\1"),
    (re.compile(r"<https?://[^<>\s]*>"), " "),
    (re.compile(r"</?[A-Za-z][^<>]*>"), " "),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),
    (re.compile(r"(\*\*|__|~~|`+)"), " "),
)
#: A word: letters and digits, with inner dots or apostrophes ("3.1", "meta.com", "licensor's").
_WORD = re.compile(rf"[{_HAN}]|[^\W_]+(?:['.][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;:])\s+(?=\S)")
_COPYRIGHT_LINE = re.compile(r"^[^\w\n]*(copyright|\(c\)|©)\b.*$", re.IGNORECASE | re.MULTILINE)


def plain(text: str) -> str:
    """The text with Markdown and HTML markup removed and Unicode compatibility forms folded."""
    text = unicodedata.normalize("NFKC", text)
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


def words(text: str, *, drop_copyright: bool = True) -> list[str]:
    """Lower-case words of the plain text; a Han character is a word of its own.

    Copyright lines are dropped: they are the part every repository fills in differently.
    """
    text = plain(text)
    if drop_copyright:
        text = _COPYRIGHT_LINE.sub(" ", text)
    return [word.strip("'") for word in _WORD.findall(text.casefold())]


def phrase(text: str) -> str:
    """A clause in the form it is searched for: its words joined by single spaces."""
    return " ".join(words(text, drop_copyright=False))


def contains(haystack_words: list[str], clause: str) -> bool:
    """Whether the clause occurs as consecutive words (both in :func:`phrase` form)."""
    return f" {clause} " in f" {' '.join(haystack_words)} "


def fingerprint(word_list: list[str]) -> frozenset[int]:
    """The sampled shingle hashes of a word list (crc32: stable across runs and machines)."""
    hashes = set()
    for start in range(max(0, len(word_list) - SHINGLE + 1)):
        value = zlib.crc32(" ".join(word_list[start:start + SHINGLE]).encode("utf-8"))
        if value % SAMPLE == 0:
            hashes.add(value)
    return frozenset(hashes)


@dataclass(frozen=True, slots=True)
class LanguagePart:
    #: ``en`` for Latin-script text (English in practice), ``zh`` for Han.
    language: str
    text: str
    #: The first line of the file (1-based) that belongs to this part: where to point a finding.
    first_line: int


def split_languages(text: str) -> list[LanguagePart]:
    """The text's Chinese lines and its other lines, when both make up a real share of it.

    Bilingual licences (Mulan PSL, the OpenAtom model licence, translated community licences) put
    the two languages in blocks or in alternate lines; each language is matched on its own.
    A single-language text comes back as one part.
    """
    parts: dict[str, list[str]] = {"zh": [], "en": []}
    first: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        # A re-wrapped bilingual paragraph holds both languages on one line: sentence by sentence.
        for sentence in _SENTENCE_END.split(line):
            han = len(_HAN_CHAR.findall(sentence))
            latin = sum(1 for char in sentence if char.isascii() and char.isalpha())
            if not han and not latin:
                continue
            language = "zh" if han * 2 >= latin else "en"  # a Han character carries about two letters' worth
            parts[language].append(sentence)
            first.setdefault(language, number)
    sizes = {language: sum(len(line) for line in lines) for language, lines in parts.items()}
    total = sum(sizes.values()) or 1
    present = [language for language in ("zh", "en") if sizes[language] / total >= 0.15]
    if len(present) < 2:
        main = max(sizes, key=lambda language: sizes[language])
        return [LanguagePart(main, text, 1)]
    return [LanguagePart(language, "\n".join(parts[language]), first[language]) for language in present]


def encode(hashes: frozenset[int]) -> str:
    """Hashes as the data file stores them: sorted, hexadecimal, space-separated."""
    return " ".join(f"{value:x}" for value in sorted(hashes))


def decode(stored: str) -> frozenset[int]:
    return frozenset(int(value, 16) for value in stored.split())


def main(argv: list[str]) -> int:
    """Print the fingerprint of each language of a licence text, in the data file's form."""
    if not argv:
        print("usage: python -m generator.analysis.licences.fingerprints LICENCE-TEXT-FILE", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as file:
        text = file.read()
    print("  fingerprint:")
    for part in split_languages(text):
        print(f"    {part.language}: >-\n      {encode(fingerprint(words(part.text)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
