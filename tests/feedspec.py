"""Checks of the two feed specifications, written from their texts (no validator package works offline):
Atom 1.0 (RFC 4287) and JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Each returns the problems
found, so a test can assert ``== []`` and see them all.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import Any

A = "{http://www.w3.org/2005/Atom}"
#: RFC 3339 date-time (Atom 3.3: upper-case T and Z, seconds required).
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
#: An absolute IRI starts with a scheme (RFC 3987); the schemes a feed id may sensibly use are checked further.
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):(?P<rest>\S+)$")
#: RFC 4151: tag:authorityName,date:specific, the date YYYY[-MM[-DD]].
_TAG = re.compile(
    r"^tag:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"|[^@\s]+@[A-Za-z0-9.-]+),\d{4}(?:-\d{2}(?:-\d{2})?)?:[^\s#]*(?:#\S*)?$"
)


def absolute_iri_problem(value: str | None) -> str | None:
    """Why ``value`` is not an absolute IRI fit for an id, or None."""
    if not value:
        return "missing"
    match = _SCHEME.match(value)
    if match is None:
        return f"{value!r} is not absolute (no scheme)"
    scheme = match.group("scheme").lower()
    if scheme in ("http", "https") and not re.match(r"^https?://[^/\s]+", value):
        return f"{value!r} has no host"
    if scheme == "tag" and not _TAG.match(value):
        return f"{value!r} is not a tag URI (RFC 4151: tag:authority,date:specific)"
    if scheme == "urn" and value.lower().startswith("urn:uuid:"):
        try:
            uuid.UUID(value[len("urn:uuid:"):])
        except ValueError:
            return f"{value!r} is not a UUID URN"
    return None


def atom_problems(text: str) -> list[str]:
    """What RFC 4287 requires of a feed and its entries, and what this project promises on top
    (unique entry ids, an html content for every entry)."""
    problems: list[str] = []
    feed = ET.fromstring(text)
    if feed.tag != f"{A}feed":
        return [f"root element is {feed.tag}, not atom:feed"]

    def one(parent: ET.Element, name: str, where: str) -> str | None:
        found = parent.findall(f"{A}{name}")
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} atom:{name} elements, exactly one required")
            return None
        return found[0].text or ""

    def dated(parent: ET.Element, name: str, where: str, required: bool) -> None:
        found = parent.findall(f"{A}{name}")
        if required or found:
            value = one(parent, name, where)
            if value is not None and not _DATE_TIME.match(value):
                problems.append(f"{where}: atom:{name} {value!r} is not an RFC 3339 date-time")

    def links(parent: ET.Element, where: str) -> list[ET.Element]:
        found = parent.findall(f"{A}link")
        for link in found:
            if not link.get("href"):
                problems.append(f"{where}: atom:link without href")
        alternates = [(link.get("type"), link.get("hreflang")) for link in found
                      if link.get("rel", "alternate") == "alternate"]
        if len(alternates) != len(set(alternates)):
            problems.append(f"{where}: two alternate links of one type and language")
        return found

    problem = absolute_iri_problem(one(feed, "id", "feed"))
    if problem:
        problems.append(f"feed id: {problem}")
    one(feed, "title", "feed")
    dated(feed, "updated", "feed", True)
    for link in links(feed, "feed"):
        if link.get("rel") == "self" and absolute_iri_problem(link.get("href")):
            problems.append(f"feed: the self link {link.get('href')!r} is not absolute")
    entries = feed.findall(f"{A}entry")
    feed_author = feed.find(f"{A}author/{A}name") is not None
    ids: list[str] = []
    for index, entry in enumerate(entries):
        where = f"entry {index}"
        entry_id = one(entry, "id", where)
        problem = absolute_iri_problem(entry_id)
        if problem:
            problems.append(f"{where} id: {problem}")
        ids.append(entry_id or "")
        one(entry, "title", where)
        dated(entry, "updated", where, True)
        dated(entry, "published", where, False)
        found = links(entry, where)
        content = entry.findall(f"{A}content")
        if not content and not any(link.get("rel", "alternate") == "alternate" for link in found):
            problems.append(f"{where}: neither atom:content nor an alternate link")
        if not feed_author and entry.find(f"{A}author/{A}name") is None:
            problems.append(f"{where}: no author, and the feed has none")
    if len(ids) != len(set(ids)):
        problems.append("two entries share an id")
    return problems


def json_feed_problems(feed: dict[str, Any], *, site_known: bool) -> list[str]:
    """What JSON Feed 1.1 requires (version, title, items with ids and content), full URLs where it asks for
    URLs, and ``feed_url``/``home_page_url`` whenever the site's address is known."""
    problems: list[str] = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append("no title")
    for key in ("home_page_url", "feed_url"):
        if key in feed and absolute_iri_problem(feed[key]) is not None:
            problems.append(f"{key} {feed[key]!r} is not a full URL")
        if site_known and key not in feed:
            problems.append(f"{key} missing although the site's address is known")
    for author in feed.get("authors", []):
        if not isinstance(author, dict) or not {"name", "url", "avatar"} & set(author):
            problems.append(f"author {author!r} has no name, url or avatar")
    items = feed.get("items")
    if not isinstance(items, list):
        return [*problems, "items is not a list"]
    ids = []
    for index, item in enumerate(items):
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"item {index}: id is not a non-empty string")
        ids.append(item.get("id"))
        if not isinstance(item.get("content_html"), str) and not isinstance(item.get("content_text"), str):
            problems.append(f"item {index}: neither content_html nor content_text")
        for key in ("date_published", "date_modified"):
            if key in item and not _DATE_TIME.match(item[key]):
                problems.append(f"item {index}: {key} {item[key]!r} is not RFC 3339")
        if "external_url" in item and absolute_iri_problem(item["external_url"]):
            problems.append(f"item {index}: external_url is not a full URL")
        if site_known and absolute_iri_problem(item.get("url")):
            problems.append(f"item {index}: url {item.get('url')!r} is not a full URL")
    if len(ids) != len(set(ids)):
        problems.append("two items share an id")
    return problems
