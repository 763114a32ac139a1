"""The outline of a built page's content: its headings, lists, tables and pictures, one line each.

Golden files of whole HTML pages break on every theme update; the outline keeps what a reader sees as
structure (and what a Markdown mistake breaks: a list line read as a heading, a table read as a
paragraph), so the goldens stay small and change only when a page's shape does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class _Open:
    tag: str
    line: int  # index of the outline line this element wrote, or -1
    items: int = 0
    rows: int = 0


@dataclass
class Outline:
    lines: list[str] = field(default_factory=list)
    #: Headings found inside a list item or a table cell: a Markdown line that became a heading.
    misplaced: list[str] = field(default_factory=list)

    def count(self, prefix: str) -> int:
        return sum(1 for line in self.lines if line.lstrip().startswith(prefix))


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outline = Outline()
        self.stack: list[_Open] = []
        self.inside = 0  # depth inside the article
        self.heading: list[str] | None = None
        self.in_headerlink = False
        self.svg_depth = 0

    def _depth(self) -> str:
        return "  " * sum(1 for element in self.stack if element.tag in ("ul", "ol", "li", "table", "details"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if not self.inside:
            if tag == "article" and "md-content__inner" in (attributes.get("class") or ""):
                self.inside = 1
            return
        if tag in VOID:
            if tag == "img":
                self.outline.lines.append(f"{self._depth()}img alt={attributes.get('alt') or ''!r}")
            return
        self.inside += 1
        if self.svg_depth or tag == "aside":  # a drawing's parts, the theme's page footer: not structure
            self.svg_depth += 1
            self.stack.append(_Open(tag, -1))
            return
        line = -1
        if tag in HEADINGS:
            self.heading = []
            if any(element.tag in ("li", "td", "th") for element in self.stack):
                self.outline.misplaced.append(tag)
        elif tag == "a" and "headerlink" in (attributes.get("class") or ""):
            self.in_headerlink = True
        elif tag in ("ul", "ol", "table", "details"):
            line = len(self.outline.lines)
            self.outline.lines.append(f"{self._depth()}{tag}")
        elif tag == "li":
            for element in reversed(self.stack):
                if element.tag in ("ul", "ol"):
                    element.items += 1
                    break
        elif tag == "tr":
            for element in reversed(self.stack):
                if element.tag == "table":
                    element.rows += 1
                    break
        elif tag == "svg":
            self.svg_depth = 1
            self.outline.lines.append(f"{self._depth()}svg aria-label={attributes.get('aria-label') or ''!r}")
        self.stack.append(_Open(tag, line))

    def handle_endtag(self, tag: str) -> None:
        if not self.inside or tag in VOID:
            return
        self.inside -= 1
        if not self.inside or not self.stack:
            return
        element = self.stack.pop()
        if self.svg_depth:
            self.svg_depth -= 1
            return
        if element.tag in HEADINGS and self.heading is not None:
            text = " ".join("".join(self.heading).split())
            self.outline.lines.append(f"{self._depth()}{element.tag} {text}")
            self.heading = None
        elif element.tag == "a" and self.in_headerlink:
            self.in_headerlink = False
        elif element.tag in ("ul", "ol") and element.line >= 0:
            self.outline.lines[element.line] += f" {element.items}"
        elif element.tag == "table" and element.line >= 0:
            self.outline.lines[element.line] += f" {element.rows} rows"

    def handle_data(self, data: str) -> None:
        if self.heading is not None and not self.in_headerlink:
            self.heading.append(data)


def outline(html: str) -> Outline:
    """The outline of the page's article (mkdocs-material's content area)."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.outline
