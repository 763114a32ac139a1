"""Feeds of a repository's releases: Atom 1.0 and JSON Feed 1.1, so people can follow new versions.

Both list the newest releases first (at most :data:`MAX_ITEMS`), dated by the releases themselves,
never by the clock: the same history gives the same bytes. Text from strangers is escaped by the
serialisers (ElementTree, ``json``), never by hand, after invisible characters and e-mail addresses
are removed. Write both files at the site root (:data:`ATOM_PATH`, :data:`JSON_PATH`): without a
``site_url`` their links to the site's pages are relative to that folder.

Ids are absolute IRIs, as Atom requires (RFC 4287, 4.2.6): the page addresses with a ``site_url``,
else the releases' addresses on the origin's forge, else ``urn:uuid`` names derived from the root
commit and the tag (RFC 4122, version 5), which stay the same for the same history. With a forge,
each entry also links to the release on the forge (Atom ``related``, JSON Feed ``external_url``).
"""

from __future__ import annotations

import html
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from generator.analysis.history.classify import section_order
from generator.analysis.history.dates import format_date, rfc3339
from generator.model.knowledge import Change, Knowledge, Person, Release
from generator.sources.forges.links import ForgeLinks
from generator.text.safetext import plain_line

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
#: Where the feeds belong, relative to the site root.
ATOM_PATH = "feed.xml"
JSON_PATH = "feed.json"
MAX_ITEMS = 50
#: Changes shown per release; the rest are counted.
MAX_CHANGES = 10

#: Characters XML 1.0 cannot carry at all (``clean_text`` already removed the C0 controls).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _plain(text: str) -> str:
    """One line of untrusted text, safe to hand to a serialiser: no controls, no addresses, no newlines."""
    return _NOT_XML.sub("", plain_line(text))


@dataclass(frozen=True, slots=True)
class _Urls:
    """Addresses of the site's pages: absolute with a ``site_url``, else relative to the site root."""

    site: str
    releases: str

    @classmethod
    def of(cls, site_url: str | None, releases_path: str) -> _Urls:
        site = site_url.strip().rstrip("/") + "/" if site_url and site_url.strip() else ""
        path = releases_path.strip().strip("/")
        return cls(site=site, releases=f"{site}{path}/" if path else site)

    @property
    def absolute(self) -> bool:
        return bool(self.site)

    def release(self, release: Release) -> str:
        return f"{self.releases}{quote(release.slug, safe='-._~')}/"


@dataclass(frozen=True, slots=True)
class _Ids:
    """Ids of the feed and its entries, absolute IRIs whatever is known (see the module's docstring)."""

    urls: _Urls
    forge: ForgeLinks | None
    root: str

    @classmethod
    def of(cls, knowledge: Knowledge, urls: _Urls) -> _Ids:
        roots = sorted(sha for sha, commit in knowledge.commits.items() if not commit.parents)
        return cls(urls, ForgeLinks.of(knowledge.clone_url), roots[0] if roots else _plain(knowledge.name))

    def feed(self) -> str:
        if self.urls.absolute:
            return self.urls.releases
        if self.forge is not None:
            return self.forge.base
        return self._urn("")

    def entry(self, release: Release) -> str:
        if self.urls.absolute:
            return self.urls.release(release)
        if self.forge is not None:
            return self.forge.tag(release.tag)
        return self._urn(release.tag)

    def _urn(self, tag: str) -> str:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"almanac:releases:{self.root}:{tag}").urn


def _newest(knowledge: Knowledge) -> list[Release]:
    return list(reversed(knowledge.releases))[:MAX_ITEMS]


def _title(release: Release) -> str:
    return _plain(release.tag) + (" (pre-release)" if release.prerelease else "")


def _updated(knowledge: Knowledge, releases: Sequence[Release]) -> str:
    if not releases:  # the time the knowledge describes (HEAD or SOURCE_DATE_EPOCH), never the clock
        return rfc3339(knowledge.as_of, 0)
    newest = max(releases, key=lambda release: (release.timestamp, release.tag))
    return rfc3339(newest.timestamp, newest.utc_offset)


def _summary(release: Release, everyone: Mapping[str, Person]) -> tuple[str, list[str], int]:
    """An intro line, at most :data:`MAX_CHANGES` lines (breaking first, then model changes, then by
    section), and how many more there were. Plain text: each feed escapes it its own way. People are
    people: bots, agents and machine identities are not counted."""
    date = format_date(release.timestamp, release.utc_offset)
    count = len(release.changes)
    people = sum(1 for key in release.authors if key in everyone and not everyone[key].is_bot)
    intro = (
        f"Released {date}{' as a pre-release' if release.prerelease else ''}: "
        f"{count} {'change' if count == 1 else 'changes'} by {people} {'person' if people == 1 else 'people'}."
    )
    lines: list[str] = []
    for change in release.changes:
        if change.breaking:
            lines.append(f"Breaking: {_change_line(change)}")
    lines += [f"Model: {_plain(item.path)}: {_plain(item.description)}" for item in release.model_changes]
    order = {name: index for index, name in enumerate(section_order())}
    rest = sorted(
        (change for change in release.changes if not change.breaking),
        key=lambda change: order.get(change.section, len(order)),
    )  # stable: the release's own order within a section
    lines += [f"{_plain(change.section)}: {_change_line(change)}" for change in rest]
    return intro, lines[:MAX_CHANGES], max(0, len(lines) - MAX_CHANGES)


def _change_line(change: Change) -> str:
    component, shown = change.shown()
    text = _plain(f"{component}: {shown}" if component else shown) or "(no title)"
    return f"{text} (#{change.pr})" if change.pr is not None else text


def _content_html(release: Release, everyone: Mapping[str, Person]) -> str:
    intro, lines, more = _summary(release, everyone)
    parts = [f"<p>{html.escape(intro)}</p>"]
    if lines:
        parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>")
    if more:
        parts.append(f"<p>…and {more} more.</p>")
    return "".join(parts)


def _content_text(release: Release, everyone: Mapping[str, Person]) -> str:
    intro, lines, more = _summary(release, everyone)
    text = "\n".join([intro, *(f"- {line}" for line in lines)])
    return text + (f"\n…and {more} more." if more else "")


def atom_feed(knowledge: Knowledge, site_url: str | None, releases_path: str = "releases/") -> str:
    """An Atom 1.0 feed of the releases, newest first; entry links are the release pages."""
    urls = _Urls.of(site_url, releases_path)
    releases = _newest(knowledge)
    name = _plain(knowledge.name) or "Repository"

    def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attributes)
        element.text = text
        return element

    ids = _Ids.of(knowledge, urls)
    feed = ET.Element("feed", {"xmlns": ATOM_NS})  # plain names: attributes need no prefix
    add(feed, "id", ids.feed())
    add(feed, "title", f"{name} releases")
    if _plain(knowledge.description):
        add(feed, "subtitle", _plain(knowledge.description))
    add(feed, "updated", _updated(knowledge, releases))
    add(feed, "link", rel="alternate", type="text/html", href=urls.releases)
    if urls.absolute:
        add(feed, "link", rel="self", type="application/atom+xml", href=f"{urls.site}{ATOM_PATH}")
    author = add(feed, "author")
    add(author, "name", name)
    add(feed, "generator", "Almanac")
    for release in releases:
        entry = add(feed, "entry")
        url = urls.release(release)
        add(entry, "id", ids.entry(release))
        add(entry, "title", _title(release))
        add(entry, "link", rel="alternate", type="text/html", href=url)
        if ids.forge is not None:
            add(entry, "link", rel="related", type="text/html", href=ids.forge.tag(release.tag))
        stamp = rfc3339(release.timestamp, release.utc_offset)
        add(entry, "published", stamp)
        add(entry, "updated", stamp)
        add(entry, "content", _content_html(release, knowledge.people), type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def json_feed(knowledge: Knowledge, site_url: str | None, releases_path: str = "releases/") -> str:
    """A JSON Feed 1.1 of the releases, newest first; the same entries as :func:`atom_feed`."""
    urls = _Urls.of(site_url, releases_path)
    name = _plain(knowledge.name) or "Repository"
    feed: dict[str, Any] = {"version": JSON_FEED_VERSION, "title": f"{name} releases"}
    ids = _Ids.of(knowledge, urls)
    if urls.absolute:  # JSON Feed has no base to resolve a relative address against: full URLs or none
        feed["home_page_url"] = urls.releases
        feed["feed_url"] = f"{urls.site}{JSON_PATH}"
    elif ids.forge is not None:
        feed["home_page_url"] = ids.forge.base
    if _plain(knowledge.description):
        feed["description"] = _plain(knowledge.description)
    feed["authors"] = [{"name": name}]
    items = []
    for release in _newest(knowledge):
        url = urls.release(release)
        item = {
            "id": ids.entry(release),
            "url": url,
            "title": _title(release),
            "content_text": _content_text(release, knowledge.people),
            "date_published": rfc3339(release.timestamp, release.utc_offset),
        }
        if ids.forge is not None:
            item["external_url"] = ids.forge.tag(release.tag)
        items.append(item)
    feed["items"] = items
    text = json.dumps(feed, ensure_ascii=False, indent=2)
    # The same JSON, with <, > and & as \u escapes: a browser or proxy sniffing it as HTML finds no tag.
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") + "\n"
