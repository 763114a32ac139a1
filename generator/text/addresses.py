"""Finding e-mail addresses in text from strangers, in one pass, so that none is ever published.

What counts as an address depends on where the text was written:

* **In prose** (commit messages, READMEs, discussions, licence files): ``local@domain`` whose domain
  has at least two labels and ends in a label that starts with two letters, as every top-level domain
  does (``com``, ``中国``, ``xn--p1ai``). So ``jane@bigcorp.example`` and ``163.com`` addresses are hidden,
  while ``@mention``, ``pkg@1.2.3``, ``model@v2`` and ``x@W.T`` (a matrix product) stay as written. A
  file extension that is not a top-level domain (``png``, ``json``, ``safetensors``…) never ends an
  address, so ``logo@2x.png`` stays a file name.
* **In a name** (an author field, ``contributors.yml``, a trailer): ``user@host`` is an address even
  without a dot (``root@ci-runner-17``), since nobody's name contains an ``@`` otherwise; ``@login``
  (nothing before the ``@``) is a handle and stays.

Both rules compare characters as NFKC folds them, so the fullwidth ``＠`` (U+FF20), the small ``﹫``
(U+FE6B), fullwidth letters and the ideographic full stop ``。`` (a label separator in internationalised
domain names) cannot disguise an address; format characters (zero-width spaces, bidi controls, soft
hyphens) and stray control characters inside an address are skipped, and removed with it.

A regular expression such as ``[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+`` takes quadratic time on ``"a" * n``:
every start position runs to the end of the run before failing, so a 100 KB commit subject cost
minutes. Here each ``@`` is found once and the address is grown left and right from it over bounded
character classes; the left growth stops at the previous ``@`` or the end of the previous address and
the right growth at the next ``@``, so every character is looked at no more than twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

EMAIL_PLACEHOLDER = "(e-mail hidden)"
#: The name of a person known only by an address (or by nothing): neutral, and naming no page.
UNNAMED = "(unnamed)"

#: Every character NFKC folds to ``@`` (a test checks this against the whole of Unicode).
AT_SIGNS = "@\ufe6b\uff20"
_AT = re.compile(f"[{AT_SIGNS}]")
#: What the full stops of internationalised domain names fold to (U+3002 is its own NFKC form).
_DOTS = frozenset(".\u3002")

#: Last labels that name files in model repositories and are not top-level domains (checked against
#: IANA's list): ``icon@2x.png`` and ``model@fp16.safetensors`` are files, never mailboxes. Extensions
#: that are also domains (``py``, ``md``, ``pt``, ``sh``, ``zip``) are not here: an address wins.
FILE_EXTENSIONS = frozenset({
    "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp", "ico", "tif", "tiff",
    "json", "jsonl", "yaml", "yml", "toml", "txt", "csv", "tsv", "parquet", "arrow",
    "safetensors", "gguf", "ggml", "onnx", "bin", "ckpt", "pth", "npz", "npy", "pkl", "msgpack",
    "ipynb", "html", "js", "ts", "css", "cfg", "ini", "lock", "log",
})
#: Longer than any file extension: a label's first characters are all a check needs.
_HEAD = 16


@lru_cache(maxsize=4096)
def fold(char: str) -> str:
    """The character as address matching sees it: ``""`` for a format or control character (skipped),
    ``"."`` for any full stop, else its NFKC form when that is one character, else itself if it is a
    letter or digit, else a space. Combining marks count as letters (``"a"``): an address written in
    decomposed form (``jose\\u0301@…``) must not lose its first part to them."""
    if char.isascii():
        return "" if (char < " " and not char.isspace()) or char == "\x7f" else char
    category = unicodedata.category(char)
    if category == "Cf" or (category == "Cc" and not char.isspace()):
        return ""
    if category.startswith("M"):
        return "a"
    folded = unicodedata.normalize("NFKC", char)
    if folded in _DOTS:
        return "."
    if len(folded) == 1:
        return folded
    return char if char.isalnum() else " "


def _in_local_part(char: str) -> bool:
    return char.isalnum() or char in "_.+-"


def _in_label(char: str) -> bool:
    return char.isalnum() or char in "_-"


def _is_letter(char: str) -> bool:
    """What ``[^\\W\\d_]`` matches: a word character that is not a decimal digit or the underscore."""
    return char.isalnum() and not char.isdecimal()


def is_top_level(label: str) -> bool:
    """Every top-level domain starts with two letters; a file extension that is not a domain is none."""
    return (len(label) >= 2 and _is_letter(label[0]) and _is_letter(label[1])
            and not (label.isascii() and label.lower() in FILE_EXTENSIONS))


def _local_start(text: str, at: int, floor: int) -> int:
    """Where the local part before the ``@`` at ``at`` starts, never before ``floor``; ``at`` if none."""
    start, index = at, at - 1
    while index >= floor:
        char = fold(text[index])
        if char and not _in_local_part(char):
            break
        if char:
            start = index
        index -= 1
    return start


def _label(text: str, index: int) -> tuple[int, str, int]:
    """The label starting at ``index``: where its last visible character ends, its first folded
    characters (``""`` when there is no label), and where reading stopped."""
    end, head = index, ""
    while index < len(text):
        char = fold(text[index])
        if char and not _in_label(char):
            break
        if char:
            end = index + 1
            if len(head) < _HEAD:
                head += char
        index += 1
    return end, head, index


def _domain_end(text: str, start: int, *, in_name: bool) -> int:
    """Where the domain after an ``@`` ends (``start`` when there is none). Labels are read while a full
    stop is followed by another; in prose the domain ends with the last label, from the second on, that
    can be a top-level domain, so ``jane@corp.com.`` and ``jane@corp.com.12`` lose only the address."""
    end, labels, index = start, 0, start
    while True:
        label_end, head, index = _label(text, index)
        if not head:
            break
        labels += 1
        if in_name or (labels >= 2 and is_top_level(head)):
            end = label_end
        if index >= len(text) or fold(text[index]) != ".":
            break
        index += 1
    return end


def address_spans(text: str, *, in_name: bool = False) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each address in ``text``, left to right, never overlapping."""
    floor = 0
    for match in _AT.finditer(text):
        at = match.start()
        start = _local_start(text, at, floor)
        end = _domain_end(text, at + 1, in_name=in_name) if start < at else at + 1
        if end > at + 1:
            floor = end
            if not in_name and is_clone_address(text, start, at, end):
                continue
            yield start, end


def is_clone_address(text: str, start: int, at: int, end: int) -> bool:
    """``git@github.com:org/repo.git`` (and ``ssh://git@host/…``) is where to clone from, not a mailbox:
    the user ``git`` followed by ``:`` or ``/`` and a path. Only that user: ``jane@corp.example:x``
    stays hidden, since a mailbox can be followed by a colon in prose."""
    if text[start:at].casefold() != "git" or end + 1 >= len(text) or text[end] not in ":/":
        return False
    return not text[end + 1].isspace()


def redact(text: str, *, in_name: bool = False) -> str:
    """``text`` with each address replaced by :data:`EMAIL_PLACEHOLDER`."""
    if not _AT.search(text):
        return text
    parts, last = [], 0
    for start, end in address_spans(text, in_name=in_name):
        parts += [text[last:start], EMAIL_PLACEHOLDER]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def without_addresses(name: str) -> str:
    """``name`` with each address (``user@host`` included, as in a name) replaced by a space."""
    kept, last = [], 0
    for start, end in address_spans(name, in_name=True):
        kept.append(name[last:start])
        last = end
    kept.append(name[last:])
    return " ".join(kept)


def is_only_addresses(name: str) -> bool:
    """True when no letter or digit is left of ``name`` once its addresses are hidden, as in
    ``jane.doe@bigcorp.example`` or ``<root@ci-runner-17>``: such a name has nothing to show."""
    rest = without_addresses(name)
    return rest != name and not any(char.isalnum() for char in rest)
