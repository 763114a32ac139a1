"""The one door through which text from strangers reaches a page.

Commit subjects, names, tag names and front-matter values are written by anyone who can open a pull
request. Page templates receive them raw and the template environment (see :mod:`generator.pages`)
passes every printed value through :func:`escape_inline`, unless Python marked it safe on purpose.
"""

from __future__ import annotations

import re

from generator.text import clean_text

#: Anything that looks like an e-mail address; addresses are never published (they get harvested).
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)

#: Characters that Markdown, its common extensions (attr_list, emoji, snippets, macros), HTML or Jinja
#: give a meaning to. Each becomes a numeric character reference: shown as itself, never interpreted.
_SPECIAL = frozenset("\\`*_{}[]()#|~!^=$%:<>&\"'")
_ENTITY = {ord(char): f"&#{ord(char)};" for char in _SPECIAL}

EMAIL_PLACEHOLDER = "(e-mail hidden)"


def redact_emails(text: str) -> str:
    return _EMAIL.sub(EMAIL_PLACEHOLDER, text)


def plain_line(text: str) -> str:
    """Untrusted text as one clean line: invisible characters dropped, then e-mail addresses redacted
    (in that order, so a zero-width space cannot hide an ``@``), whitespace runs folded to one space."""
    return " ".join(redact_emails(clean_text(text)).split())


def escape_inline(text: str) -> str:
    """Make untrusted text safe to put anywhere on a line of Markdown, including headings and tables.

    Newlines become spaces, so the text can never start a block (a list, a heading, raw HTML, a
    snippet include) of its own. Numeric references keep the site's pages safe under any Markdown
    extension; files people read raw use :func:`escape_markdown` instead.
    """
    return plain_line(text).translate(_ENTITY)


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
