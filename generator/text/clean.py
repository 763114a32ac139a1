"""Turning the bytes strangers put in commits into clean text.

Git stores names and messages as bytes: usually UTF-8, sometimes Latin-1 without an ``encoding``
header, sometimes with control characters or bidi overrides meant to disguise what a reader sees.
Everything from git passes through here before it reaches the knowledge model.
"""

from __future__ import annotations

import json
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


#: What a terminal or a CI runner could act on: C0 and C1 controls (ESC starts colour and cursor
#: sequences, CR rewrites the line, BEL rings), DEL, format characters (bidi overrides, zero-width
#: characters) and the Unicode line and paragraph separators. Tab and newline are text.
_LOG_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                         "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")
#: A GitHub Actions workflow command (``::add-mask::``, ``::error::``) is a line starting with ``::``
#: after spaces; the legacy ``##[command]`` form, Azure's ``##vso[`` and TeamCity's ``##teamcity[``
#: are found anywhere in a line.
_LEGACY_COMMAND = r"##(\w*)\["
_WORKFLOW_COMMAND = re.compile(rf"^([^\S\n]*):(?=:)|{_LEGACY_COMMAND}", re.MULTILINE)


def _visible(match: re.Match[str]) -> str:
    return match.group(0).encode("unicode_escape").decode("ascii")


def _inert_command(match: re.Match[str]) -> str:
    if match.group(2) is None:
        return f"{match.group(1)}: "  # "::error::" → ": :error::", which no runner reads as a command
    return f"##{match.group(2)} ["


def log_safe(text: str, *, one_line: bool = False) -> str:
    """Text from strangers made safe to print to a terminal or a CI log.

    Control and format characters are shown as escapes (``\\x1b``, ``\\r``, ``\\u202e``) instead of
    acting on the terminal, and workflow commands are broken up so that a name in ``contributors.yml``
    cannot mask a secret, fail a job or fake an annotation. ``one_line`` shows newlines as ``\\n`` too,
    for messages that are one line by contract (a finding): a file name cannot then fake a line of its
    own. Applying it twice changes nothing more.
    """
    if one_line:
        text = text.replace("\n", "\\n")
    return _WORKFLOW_COMMAND.sub(_inert_command, _LOG_UNSAFE.sub(_visible, text))


_JSON_COMMAND = re.compile(_LEGACY_COMMAND)


def json_log_safe(document: str) -> str:
    """JSON text made as inert as :func:`log_safe` makes prose, without changing the data it holds:
    the unsafe characters (which only occur inside strings) become ``\\uXXXX`` escapes, and so does
    the ``[`` of a legacy ``##[command]``. A JSON line never starts with ``::``."""
    document = _LOG_UNSAFE.sub(lambda match: json.dumps(match.group(0))[1:-1], document)
    return _JSON_COMMAND.sub(lambda match: f"##{match.group(1)}\\u005b", document)


def heading_text(rest: str) -> str:
    """The text of an ATX heading from what follows its ``#`` marks and spaces: the closing ``#``
    sequence and spaces removed, as ``(.+?)\\s*#*\\s*$`` did in cubic time on a line of spaces."""
    text = rest.rstrip().rstrip("#").rstrip()
    return text.strip() or rest[:1].strip()
