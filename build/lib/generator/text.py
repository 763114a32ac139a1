"""Turning the bytes strangers put in commits into clean text.

Git stores names and messages as bytes: usually UTF-8, sometimes Latin-1 without an ``encoding``
header, sometimes with control characters or bidi overrides meant to disguise what a reader sees.
Everything from git passes through here before it reaches the knowledge model.
"""

from __future__ import annotations

import re
import unicodedata

#: C0/C1 controls except tab and newline, plus DEL: they ring bells and move cursors in terminals.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidi embeddings/overrides/isolates and zero-width characters, which can make text read differently
#: from what it is ("Trojan Source"). Zero-width joiner (U+200D) is kept: emoji sequences need it.
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def decode_git_bytes(raw: bytes) -> str:
    """Decode without ever raising: UTF-8 when valid, else Latin-1 (every byte is a character there).

    Commits whose message was re-encoded by git thanks to an ``encoding`` header arrive as UTF-8;
    commits with legacy bytes and no header are almost always Latin-1 or CP-1252, which Latin-1 shows
    with the same letters for the accented characters people use in names.
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


_UNWANTED = re.compile(f"{_CONTROL.pattern}|{_INVISIBLE.pattern}")


def clean_text(text: str) -> str:
    """Drop control, bidi-override and zero-width characters; normalise to NFC so names compare equal.

    Most text needs neither step, and a 100 000-commit history passes every message through here, so
    each step is skipped when a quick check says it would change nothing.
    """
    if _UNWANTED.search(text):
        text = _UNWANTED.sub("", text)
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
