"""Card sections found by what their headings mean, with what is under them.

A README, a ``MODEL_CARD.md`` or a Hub card names its sections in its headings: "Intended Use",
"Bias, Risks, and Limitations", "4. Evaluation Results", "评测结果", "## 协议". A heading states a card
section only when the whole heading means that section (numbering, emphasis, emoji and a parenthetical
aside removed; parts joined by "and", "&", "," or "、" each naming the same section): "Quickstart",
"Usage" or "Intel XPU (Intel Data Center …)" mean something else, so they state nothing.

A heading with nothing under it (down to the next heading of its level or higher) is not a statement:
the Hub template's "[More Information Needed]", a rule or a lone image count as nothing; a paragraph,
a list, a table or a code block count. Tables under a section are kept (the card renders them, each
cell escaped, with the line they start on); code blocks are pointed at, not copied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.analysis.models.facts import plain_text
from generator.model.models import Heading, Table
from generator.text.clean import heading_text

_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
#: Lines that say nothing: rules, HTML tags alone, comments, the Hub template's placeholder.
_EMPTY_LINE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*</?[a-zA-Z][^>]*>\s*$|^\s*<!--.*-->\s*$"
                         r"|^\s*\[?more information needed\]?\.?\s*$", re.IGNORECASE)
#: "2.", "2.1", "IV.", "Step 3:", "第二章" before the words of a heading.
_NUMBERING = re.compile(r"^(?:(?:step|part|section)\s+)?(?:\d+(?:\.\d+)*[.):、]?|[ivx]+[.)])\s+"
                        r"|^第[一二三四五六七八九十\d]+[章节部分]\s*", re.IGNORECASE)
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")
_PARTS = re.compile(r"\s*(?:,|&|/|\band\b|、|和|与|及)\s*")
_LEAD = re.compile(r"^(?:the|our|model|模型)\s*")
#: What a "… deployment" or "… 部署" heading may qualify: "API", "CPU", "Mac", "多卡", "低成本".
_QUALIFIED_DEPLOYMENT = re.compile(r"^[\w.\- ]{1,20}?\s?(?:deployment|部署)$")

#: Characters of a heading read: no section is named by a longer one, and the regexes stay linear.
MAX_HEADING = 300
MAX_TABLES = 2
MAX_ROWS = 12


def section_headings(text: str, path: str) -> list[Heading]:
    """Every heading of a Markdown file (level 1 too: a ``MODEL_CARD.md`` may use only those), outside
    code blocks, with what is under it; headings with nothing under them are left out."""
    lines = text.splitlines()
    found: list[tuple[int, int, str]] = []  # (line index, level, text)
    fence = ""
    for index, line in enumerate(lines):
        if (opening := _FENCE.match(line)) is not None:
            marks = opening.group(1)
            if not fence:
                fence = marks
            elif marks[0] == fence[0] and len(marks) >= len(fence) and not line.strip()[len(marks):].strip():
                fence = ""
            continue
        if not fence and (match := _HEADING.match(line)):
            found.append((index, len(match.group(1)), _display(heading_text(match.group(2)))))
    headings: list[Heading] = []
    for position, (index, level, title) in enumerate(found):
        end = next((other for other, other_level, _ in found[position + 1:] if other_level <= level), len(lines))
        subheadings = {other for other, _, _ in found[position + 1:] if other < end}
        body = [(number, line) for number, line in enumerate(lines[index + 1:end], start=index + 1)
                if number not in subheadings]
        excerpt, tables, code = _blocks(body, path)
        if excerpt or tables or code:
            headings.append(Heading(title, f"{path}:{index + 1}", excerpt, tuple(tables), code, (index + 1, end)))
    return headings


def _display(heading: str) -> str:
    """A heading as a reader sees it: ``# **Model Details**`` is "Model Details", ``<span …>Safety</span>``
    is "Safety", a link keeps its text."""
    text = re.sub(r"<[^>]{0,200}>", "", heading[:MAX_HEADING])  # longer is no section's name
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return " ".join(text.split()) or heading


def _blocks(body: Sequence[tuple[int, str]], path: str) -> tuple[str, list[Table], str]:
    """The first paragraph (or list), the first tables and the first code block of a section's lines."""
    paragraph: list[str] = []
    excerpt = ""
    tables: list[Table] = []
    code = ""
    position = 0
    while position < len(body):
        number, line = body[position]
        stripped = line.strip()
        if _FENCE.match(line):
            closing = _FENCE.match(line).group(1)[0]  # type: ignore[union-attr]
            end = next((later for later in range(position + 1, len(body))
                        if body[later][1].strip().startswith(closing * 3)), len(body))
            if any(body[inner][1].strip() for inner in range(position + 1, end)):
                code = code or f"{path}:{number + 1}"
            position = end + 1
            excerpt = excerpt or _paragraph(paragraph)
            paragraph = []
            continue
        if "|" in stripped and position + 1 < len(body) and _TABLE_RULE.match(body[position + 1][1]):
            end = position + 2  # GFM: rows go on to a blank line, with or without their leading pipe
            while end < len(body) and "|" in body[end][1] and not _FENCE.match(body[end][1]):
                end += 1
            if len(tables) < MAX_TABLES:
                rows = [_cells(row) for _, row in body[position + 2:end]]
                tables.append(Table(f"{path}:{number + 1}", tuple(_cells(line)), tuple(rows[:MAX_ROWS]),
                                    max(0, len(rows) - MAX_ROWS)))
            excerpt = excerpt or _paragraph(paragraph)
            paragraph = []
            position = end
            continue
        if not stripped or _EMPTY_LINE.match(line):
            excerpt = excerpt or _paragraph(paragraph)
            paragraph = []
        else:
            paragraph.append(line)
        position += 1
    excerpt = excerpt or _paragraph(paragraph)
    return excerpt, tables, code


def _paragraph(lines: list[str]) -> str:
    text = plain_text("\n".join(lines)) if lines else ""
    if text.strip().strip(".").lower() in ("more information needed", "[more information needed]"):
        return ""
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner.removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return tuple(plain_text(cell.strip().replace("\\|", "|")) for cell in re.split(r"(?<!\\)\|", inner))


def heading_means(text: str, terms: frozenset[str]) -> bool:
    """Whether a heading, stripped of numbering, markup, emoji and asides, means a section named by
    ``terms``: every part of it ("Bias, Risks, and Limitations") is one of them."""
    words = normalised(text)
    if not words:
        return False
    if words in terms or _LEAD.sub("", words) in terms:
        return True
    parts = [part for part in _PARTS.split(words) if part]
    return bool(parts) and all(part in terms or _LEAD.sub("", part) in terms for part in parts)


def normalised(text: str) -> str:
    """A heading's words in lower case: no markup, numbering, emoji, parenthetical asides or end colon."""
    words = plain_text(text.replace("*", "").replace("_", " ")) or text
    words = _NUMBERING.sub("", words.strip())
    words = _ASIDE.sub(" ", words)
    words = re.sub(r"[^\w\s,&/、\-']", " ", words)  # emoji, colons, quotes
    words = " ".join(words.lower().split())
    return _NUMBERING.sub("", words).strip(" -")


def names_with_subject(text: str, leads: tuple[str, ...]) -> bool:
    """"Citing 🤗 PEFT", "How to cite Qwen": a section's name followed by what it is about (three words
    at most), as in the heading of a project's citation."""
    words = normalised(text)
    return any(words == lead or (words.startswith(lead + " ") and len(words[len(lead):].split()) <= 3)
               for lead in leads)


def qualified_deployment(text: str) -> bool:
    """"API Deployment", "CPU 部署", "多卡部署": a deployment section for one way of running the model."""
    return bool(_QUALIFIED_DEPLOYMENT.match(normalised(text)))
