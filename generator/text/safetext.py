"""The one door through which text from strangers reaches a page.

Commit subjects, names, tag names and front-matter values are written by anyone who can open a pull
request. Page templates receive them raw and the template environment (see :mod:`generator.render.pages`)
passes every printed value through :func:`escape_inline`, unless Python marked it safe on purpose.
"""

from __future__ import annotations

import re

from generator.text.addresses import EMAIL_PLACEHOLDER, redact
from generator.text.clean import clean_text

#: Characters that Markdown, its common extensions (attr_list, emoji, snippets, macros), HTML or Jinja
#: give a meaning to. Each becomes a numeric character reference: shown as itself, never interpreted.
_SPECIAL = frozenset("\\`*_{}[]()#|~!^=$%:<>&\"'")
_ENTITY = {ord(char): f"&#{ord(char)};" for char in _SPECIAL}
#: The most characters of one stranger's string a page shows. Python-Markdown's inline processor does
#: work quadratic in the character references of one paragraph: a 100 KB commit subject of ``[`` kept a
#: build busy for minutes. No title, name, subject or tag needs more.
MAX_INLINE_CHARS = 1000

__all__ = ["EMAIL_PLACEHOLDER", "escape_inline", "escape_markdown", "plain_line", "redact_emails", "redact_name"]


def redact_emails(text: str) -> str:
    """Every e-mail address in prose (commit messages, READMEs, discussions) becomes the placeholder.

    See :mod:`generator.text.addresses` for what counts as an address and why finding them takes one pass.
    """
    return redact(text, in_name=False)


def redact_name(name: str) -> str:
    """A person's name with every address in it hidden, ``root@ci-runner-17`` included: in a field meant
    for a name, ``user@host`` is an address even without a dot in the host."""
    return redact(name, in_name=True)


def plain_line(text: str) -> str:
    """Untrusted text as one clean line: invisible characters dropped, then e-mail addresses redacted
    (in that order, so a zero-width space cannot hide an ``@``), whitespace runs folded to one space."""
    return " ".join(redact_emails(clean_text(text)).split())


def escape_inline(text: str) -> str:
    """Make untrusted text safe to put anywhere on a line of Markdown, including headings and tables.

    Newlines become spaces, so the text can never start a block (a list, a heading, raw HTML, a
    snippet include) of its own. Numeric references keep the site's pages safe under any Markdown
    extension; files people read raw use :func:`escape_markdown` instead. Text longer than
    :data:`MAX_INLINE_CHARS` is cut there, with an ellipsis.
    """
    line = plain_line(text)
    if len(line) > MAX_INLINE_CHARS:
        line = line[:MAX_INLINE_CHARS - 1] + "…"
    return line.translate(_ENTITY)


#: Characters that mean something wherever they stand in CommonMark or GitHub's extensions: a backslash
#: escape, a code span, emphasis with ``*``, a link or image (``[``, ``]``), a table cell (``|``),
#: strikethrough (``~``) and math (``$``). Each gets a backslash.
_ALWAYS = frozenset("\\`*[]|~$")
#: What starts a block when it opens a line: a heading, a block quote, a list item, a fence, raw HTML.
_LINE_START = re.compile(r"^(?:[#>+\-=]|\d{1,9}(?=[.)](?:\s|$)))")
#: ``_`` runs that cannot open or close emphasis: between two letters or digits (``inputs_embeds``).
_INTRAWORD_UNDERSCORES = re.compile(r"(?<=[^\W_])_+(?=[^\W_])")
#: GitHub's extended autolinks: ``www.`` and ``scheme://``.
_AUTOLINK = re.compile(r"\bwww(?=\.)|(?<=\w)(?=://)", re.IGNORECASE)
#: An entity or numeric character reference (``&amp;``, ``&#123;``), which ``&`` would start.
_REFERENCE = re.compile(r"&(?=#?[0-9A-Za-z]{1,32};)")
#: A closing ``#`` sequence, which would be dropped from the end of a heading.
_CLOSING_HASHES = re.compile(r"(?:^|(?<=\s))#+$")
#: A CommonMark code span: a run of backticks, text, and a closing run of exactly the same length. Nothing
#: inside one is interpreted (no link, HTML, emphasis or escape), so its text is kept as written; one with a
#: ``|`` is escaped instead, since GitHub splits a table row at a ``|`` even inside a code span.
_CODE_SPAN = re.compile(r"(?<!`)(?P<run>`+)(?!`)(?P<code>[^`|]+?|[^|]*?[^`|])(?<!`)(?P=run)(?!`)")


def escape_markdown(text: str) -> str:
    """Untrusted text for one line of GitHub-rendered Markdown (``CHANGELOG.md``, release bodies): shown
    exactly as written, never interpreted, and still readable in the raw file.

    Only what would change rendering is escaped, so ``inputs_embeds``, ``.github`` and ``5.13`` stay as
    written: ``\\ ` * [ ] | ~ $`` anywhere; ``_`` unless it is inside a word (where CommonMark never
    reads it as emphasis); ``<`` always and ``&`` before a character reference (as entities, since a
    backslash does not stop HTML); at the start of the text whatever starts a block (``#``, ``>``,
    ``-``, ``+``, ``=``, ``1.``) and a trailing ``#`` run (a heading's closing sequence); the ``.`` of
    ``www.`` and the ``:`` of ``scheme://`` (GitHub's autolinks); a ``(`` right after ``]``, so even the
    raw file never reads ``](url)``. ``(``, ``)``, ``!``, ``{``, ``}``, ``>`` and ``.`` elsewhere mean
    nothing once ``[``, ``]`` and ``<`` are escaped. Inline code (```` `max_new_tokens` ````) stays code,
    unescaped: CommonMark reads nothing inside a code span, and an escape there would be shown.
    """
    line = plain_line(text)
    code = {index for match in _CODE_SPAN.finditer(line) for index in range(*match.span())}
    inert = {index for match in _INTRAWORD_UNDERSCORES.finditer(line) for index in range(*match.span())} | code
    marks = {index for index, char in enumerate(line) if index not in code and (
        char in _ALWAYS or (char == "_" and index not in inert) or (char == "(" and index and line[index - 1] == "]"))}
    if (start := _LINE_START.match(line)) is not None:
        marks.add(start.end() if start.group().isdigit() else 0)
    marks.update(match.start() for match in _CLOSING_HASHES.finditer(line))
    for match in _AUTOLINK.finditer(line):
        marks.add(match.end() if match.group() else match.start())
    marks -= code
    out: list[str] = []
    for index, char in enumerate(line):
        if index in code:
            out.append(char)
        elif char == "<":
            out.append("&lt;")
        elif char == ">" and index == 0:
            out.append("&gt;")
        elif char == "&" and _REFERENCE.match(line, index):
            out.append("&amp;")
        else:
            out.append("\\" + char if index in marks else char)
    return "".join(out)
