"""Every file of a site built from hostile inputs, checked for anything that could run or leak."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from tests.security.corpus import SENTINELS

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
#: Elements no generated page needs; from input they would embed or run something.
#: In the search index's text: tags that would run or load, event attributes, script links.
MARKUP = re.compile(r"<\s*(script|iframe|svg|style|object|embed)\b|<[^>]*\son\w+\s*="
                    r"|<a\b[^>]*href\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
FORBIDDEN_TAGS = frozenset({"iframe", "object", "embed", "frame", "base"})


class _Audit(HTMLParser):
    """Collects what could run: event attributes, script bodies, dangerous links, forbidden elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}={value[:40]}")
            if name in ("href", "src", "action", "formaction", "xlink:href") and \
                    re.sub(r"[\s\x00-\x1f]", "", value).startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag} {name}={value[:40]}")
        self._script = tag == "script"

    def handle_data(self, data: str) -> None:
        if self._script and re.search(r"pwned", data, re.IGNORECASE):
            self.problems.append(f"script: {data[:60]}")

    def handle_endtag(self, tag: str) -> None:
        self._script = False


def site_files(site: Path) -> list[Path]:
    return [path for path in sorted(site.rglob("*")) if path.is_file() and path.suffix in (".html", ".json", ".xml")]


def test_nothing_from_the_input_can_run(hostile_site: Path) -> None:
    pages = [path for path in site_files(hostile_site) if path.suffix == ".html"]
    assert len(pages) > 20  # overview, releases, people, discussions, learn, licence, card…
    problems = {}
    for page in pages:
        audit = _Audit()
        audit.feed(page.read_text(encoding="utf-8"))
        if audit.problems:
            problems[str(page.relative_to(hostile_site))] = audit.problems
    assert problems == {}


def test_no_secret_no_address_no_outside_file(hostile_site: Path) -> None:
    for path in site_files(hostile_site):
        text = path.read_text(encoding="utf-8", errors="replace")
        for sentinel in SENTINELS:
            assert sentinel not in text, path
        assert "x-access-token" not in text, path
        assert "root:x:0:0" not in text, path  # /etc/passwd through the symlink or a snippet
        assert "extraheader" not in text.lower(), path  # .git/config through a snippet include
        assert not EMAIL.findall(text.replace("noreply@github.com", "")), (path, EMAIL.findall(text)[:3])


def test_search_index_carries_text_not_markup(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for entry in index["docs"]:
        for field in ("title", "text"):
            value = entry.get(field, "")
            # Material shows these as HTML: entities (&lt;svg onload=…) are text, tags would be markup.
            assert not MARKUP.search(value), (entry["location"], value[:120])


def test_people_pages_stay_inside_the_site(hostile_site: Path) -> None:
    people = hostile_site / "contributors"
    for page in people.rglob("index.html"):
        assert page.resolve().is_relative_to(hostile_site.resolve())
    names = [page.name for page in people.iterdir() if page.is_dir()]
    assert all(name and len(name) <= 80 and "/" not in name and ".." not in name for name in names)
    assert len(names) == len({name.casefold() for name in names})  # unique on case-insensitive disks


def test_no_address_in_page_paths_file_names_anchors_or_search_locations(hostile_site: Path) -> None:
    """Every author and co-author here has an ``…@example.com`` address: none may reach a URL, not even
    as a slug (``co1-example.com``), an ``id``, a link's fragment or a search result's location."""
    leaks = re.compile(r"@|example[.\-]com|%40")
    for path in sorted(hostile_site.rglob("*")):
        relative = path.relative_to(hostile_site).as_posix()
        assert not leaks.search(relative), relative
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8", errors="replace")
            anchors = re.findall(r'\bid="([^"]*)"|href="[^"#]*#([^"]*)"', text)
            assert not [a for found in anchors for a in found if leaks.search(a)], path
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [entry["location"] for entry in index["docs"] if leaks.search(entry["location"])]
