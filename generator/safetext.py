"""The one door through which text from strangers reaches a page.

Commit subjects, names, tag names and front-matter values are written by anyone who can open a pull
request. Page templates receive them raw and the template environment (see :mod:`generator.pages`)
passes every printed value through :func:`escape_inline`, unless Python marked it safe on purpose.
"""

from __future__ import annotations

from generator.addresses import EMAIL_PLACEHOLDER, redact
from generator.text import clean_text

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

    See :mod:`generator.addresses` for what counts as an address and why finding them takes one pass.
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


#: Every character CommonMark or GitHub's extensions (tables, strikethrough, math) give a meaning to
#: gets a backslash; ``<``, ``>`` and ``&`` become entities, since a backslash does not stop HTML.
_BACKSLASHED = "\\`*_{}[]()#+-.!|~$"
_MARKDOWN_ESCAPES = {ord(char): "\\" + char for char in _BACKSLASHED} | {
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    ord("&"): "&amp;",
}


def escape_markdown(text: str) -> str:
    """Untrusted text for one line of GitHub-rendered Markdown (``CHANGELOG.md``, release bodies): shown
    exactly as written, never interpreted, and still readable in the raw file."""
    return plain_line(text).translate(_MARKDOWN_ESCAPES)
