"""HTML from strangers' Markdown, and pages imported from a repository, cleaned before they are published.

Python-Markdown passes raw HTML through and its extensions add attributes (``{: onclick=…}``) or pull
in files (snippets); MkDocs does not escape page titles in the navigation. So text that reaches a page
as HTML goes through nh3 (an allow-list sanitiser): no scripts, styles, iframes, forms or event
attributes, links only to http(s) (and relative ones), images only relative or from hosts the site
allows. E-mail addresses are redacted last.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from generator.text.safetext import redact_emails

#: Bodies are cut to this many characters of Markdown: a digest, not a mirror.
MAX_BODY = 1500
_ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a", "h3", "h4",
                 "h5", "h6", "del", "hr"}
_TEXT = re.compile(r"(?<=>)[^<]+|^[^<]+")
#: Markup of extensions that read files, run templates or import code, neutralised in repository text with
#: an invisible word joiner. pymdownx.snippets knows a marker ``-{1,}8<-{1,}`` in three forms (a quoted path
#: after it, the marker alone on a line opening a block of paths, and ``[start:name]`` sections), each
#: escapable with ``;``: every form needs the ``8<`` after a dash, so a joiner between ``8`` and ``<``
#: breaks all of them. Jinja (mkdocs-macros) needs ``{{``, ``{%`` or ``{#``; mkdocstrings' ``:::`` directive
#: can ask griffe to import the repository's modules. (Attribute lists are not stopped by a joiner: in
#: rendered Markdown :func:`sanitise_page` drops the attributes they add, and code blocks are set aside
#: before attribute lists run.)
_EXTENSION_SYNTAX = re.compile(r"(?<=-8)<|\{(?=[{%#])|:(?=::)")


def render_untrusted(markdown: str, limit: int = MAX_BODY) -> Markup:
    """A stranger's Markdown as safe HTML: no raw HTML, a short allow-list of tags, https links."""
    import nh3
    from markdown_it import MarkdownIt

    text = markdown if len(markdown) <= limit else markdown[:limit].rsplit(" ", 1)[0] + " …"
    html = MarkdownIt("commonmark", {"html": False}).render(text)
    cleaned = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"https", "http"},
                        link_rel="nofollow noopener noreferrer", strip_comments=True)
    # The page around this HTML is Markdown: brackets left in the text must not become a link there,
    # and a brace must not open a macro (``{{``), nor an attribute list, anywhere, attributes included.
    inert = _TEXT.sub(lambda m: m.group(0).replace("[", "&#91;").replace("]", "&#93;"), cleaned)
    return Markup(redact_emails(inert.replace("{", "&#123;")).strip())


def inert_markdown(markdown: str) -> str:
    """Repository text with the syntax of file-reading and templating extensions broken by an invisible
    word joiner: for Markdown that is rendered (imported pages) and for text shown verbatim in
    a code block (which extensions' preprocessors read before the code block exists)."""
    return _EXTENSION_SYNTAX.sub(_joined, markdown)


#: Unclosed ``[`` cost Python-Markdown's inline pass time quadratic in their number within one run of
#: inline text (4 000 in one paragraph: 2 s; 16 000: 30 s). A run with more than this many shows its
#: brackets as text: no real paragraph, list item or table row holds 200 links.
MAX_BRACKETS = 200
#: Lines that start a run of inline text of their own: list items, headings, quotes.
_UNIT_START = re.compile(r"[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#|>)")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")


def defused_brackets(markdown: str) -> str:
    """Repository Markdown that Python-Markdown renders (imported pages, docstrings) with the ``[`` of any
    run of inline text holding more than :data:`MAX_BRACKETS` of them made text (``&#91;``), so that a
    stranger's page of ``![![![…`` cannot keep a build busy for minutes. Runs are paragraphs, list
    items, headings, quotes and each line holding a ``|`` (a table row); fenced code is left alone."""
    if markdown.count("[") <= MAX_BRACKETS:
        return markdown
    lines = markdown.split("\n")
    runs: list[list[int]] = [[]]
    fence = ""
    for index, line in enumerate(lines):
        if fence:
            if line.lstrip().startswith(fence):
                fence = ""
            continue
        if match := _FENCE.match(line):
            fence = match.group(1)
            runs.append([])
            continue
        if not line.strip() or "|" in line or _UNIT_START.match(line):
            runs.append([])
        if line.strip():
            runs[-1].append(index)
        if "|" in line:
            runs.append([])
    for run in runs:
        if sum(lines[index].count("[") for index in run) > MAX_BRACKETS:
            for index in run:
                lines[index] = lines[index].replace("[", "&#91;")
    return "\n".join(lines)


def _joined(match: re.Match[str]) -> str:
    """A joiner after ``{`` or the first ``:`` of ``:::``, or before ``<`` (the match of ``-8<`` is the ``<``
    alone)."""
    char = match.group(0)
    return "\u2060<" if char == "<" else char + "\u2060"


def escaped_once(title: str) -> str:
    """A page title as HTML text that shows exactly what was written and cannot be markup: entities
    already in it (a title taken from a rendered heading, or escaped when read) are read first, so
    nothing is escaped twice."""
    return str(escape(html.unescape(title)))


def sanitise_page(html: str, image_hosts: frozenset[str] = frozenset()) -> str:
    """A rendered imported page, keeping its structure (headings with their ids, tables, code with its
    highlighting classes, admonitions) and dropping anything that runs or loads from elsewhere."""
    import nh3

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            parts = urlsplit(value)
            if (parts.scheme or value.startswith("//")) and (parts.hostname or "") not in image_hosts:
                return None  # a remote image is a tracker unless the site allows its host
        return value

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = {"id", "class", "title", "lang", "dir"}
    attributes.setdefault("img", set()).update({"alt", "title", "loading"})
    cleaned = nh3.clean(html, tags=set(nh3.ALLOWED_TAGS) | {"details", "summary"}, attributes=attributes,
                        url_schemes={"https", "http", "mailto"}, attribute_filter=keep, strip_comments=True,
                        link_rel="noopener noreferrer")
    return redact_emails(cleaned)
