"""Atom and JSON feeds of the releases: well-formed, newest first, dated by the releases, hostile text as text."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from generator.model.knowledge import Change, Release
from generator.render.feeds import JSON_FEED_VERSION, MAX_ITEMS, atom_feed, json_feed
from tests.feedspec import absolute_iri_problem, atom_problems, json_feed_problems
from tests.test_changelog import HOSTILE, at, sample_knowledge

A = "{http://www.w3.org/2005/Atom}"
SITE = "https://lumen.example/docs"
TAGS_NEWEST_FIRST = ["v1.1.0", "v0.1.1", "v1.0.0", "v1.0.0-rc1", "v0.1.0"]


def test_atom_feed_parses_and_lists_the_releases_newest_first() -> None:
    knowledge, _ = sample_knowledge()
    text = atom_feed(knowledge, SITE)
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    feed = ET.fromstring(text)
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}id") == "https://lumen.example/docs/releases/"
    assert feed.findtext(f"{A}title") == "Lumen-1.8B releases"
    assert feed.findtext(f"{A}updated") == "2025-09-16T18:00:00+02:00"  # the newest release, in its own offset
    assert feed.findtext(f"{A}author/{A}name") == "Lumen-1.8B"
    self_link = next(link for link in feed.findall(f"{A}link") if link.get("rel") == "self")
    assert self_link.get("href") == "https://lumen.example/docs/feed.xml"
    entries = feed.findall(f"{A}entry")
    assert [entry.findtext(f"{A}title") for entry in entries] == [
        "v1.1.0", "v0.1.1", "v1.0.0", "v1.0.0-rc1 (pre-release)", "v0.1.0"
    ]
    first = entries[0]
    assert first.findtext(f"{A}id") == "https://lumen.example/docs/releases/v1.1.0/"
    assert first.find(f"{A}link").get("href") == "https://lumen.example/docs/releases/v1.1.0/"  # type: ignore[union-attr]
    assert first.findtext(f"{A}published") == "2025-09-16T18:00:00+02:00"
    v100 = entries[2]
    assert v100.findtext(f"{A}updated") == "2025-09-01T01:30:00+09:00"
    content = v100.find(f"{A}content")
    assert content is not None and content.get("type") == "html"
    assert content.text == (
        "<p>Released 2025-09-01: 2 changes by 3 people.</p><ul><li>Breaking: Drop Python 3.8 support (#12)</li>"
        "<li>Fixed: Fix tokenizer crash on empty input (#14)</li></ul>"
    )


def test_without_a_site_url_links_are_relative_and_ids_are_stable_uuid_urns() -> None:
    knowledge, _ = sample_knowledge()
    feed = ET.fromstring(atom_feed(knowledge, None))
    feed_id = feed.findtext(f"{A}id") or ""
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", feed_id)
    assert not [link for link in feed.findall(f"{A}link") if link.get("rel") == "self"]
    entry = feed.findall(f"{A}entry")[0]
    entry_id = entry.findtext(f"{A}id") or ""
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", entry_id) and entry_id != feed_id
    assert entry_id == ET.fromstring(atom_feed(sample_knowledge()[0], None)).findall(f"{A}entry")[0].findtext(f"{A}id")
    assert entry.find(f"{A}link").get("href") == "releases/v1.1.0/"  # type: ignore[union-attr]
    custom = ET.fromstring(atom_feed(knowledge, None, "/notes"))
    assert custom.findall(f"{A}entry")[0].find(f"{A}link").get("href") == "notes/v1.1.0/"  # type: ignore[union-attr]
    assert json.loads(json_feed(knowledge, None))["items"][0]["id"] == entry_id


def test_with_a_forge_and_no_site_url_ids_and_home_page_are_the_forge_s() -> None:
    knowledge, _ = sample_knowledge()
    knowledge.clone_url = "https://github.com/lumen-ai/lumen.git"
    feed = ET.fromstring(atom_feed(knowledge, None))
    assert feed.findtext(f"{A}id") == "https://github.com/lumen-ai/lumen"
    entry = feed.findall(f"{A}entry")[0]
    assert entry.findtext(f"{A}id") == "https://github.com/lumen-ai/lumen/releases/tag/v1.1.0"
    related = [link.get("href") for link in entry.findall(f"{A}link") if link.get("rel") == "related"]
    assert related == ["https://github.com/lumen-ai/lumen/releases/tag/v1.1.0"]
    data = json.loads(json_feed(knowledge, None))
    assert data["home_page_url"] == "https://github.com/lumen-ai/lumen" and "feed_url" not in data
    assert data["items"][0]["external_url"] == "https://github.com/lumen-ai/lumen/releases/tag/v1.1.0"
    # a site_url wins for ids; the forge stays as the related link
    with_site = ET.fromstring(atom_feed(knowledge, SITE)).findall(f"{A}entry")[0]
    assert with_site.findtext(f"{A}id") == "https://lumen.example/docs/releases/v1.1.0/"


@pytest.mark.parametrize("site", [SITE, None])
@pytest.mark.parametrize("clone_url", [None, "git@gitlab.com:lumen/models/lumen.git", "https://example.org/x.git"])
def test_both_feeds_meet_their_specifications(site: str | None, clone_url: str | None) -> None:
    knowledge, _ = sample_knowledge()
    knowledge.clone_url = clone_url
    assert atom_problems(atom_feed(knowledge, site)) == []
    assert json_feed_problems(json.loads(json_feed(knowledge, site)), site_known=site is not None) == []
    knowledge.releases.clear()
    assert atom_problems(atom_feed(knowledge, site)) == []


def test_the_spec_checks_catch_what_the_old_feeds_did() -> None:
    """The checks themselves: the id Almanac wrote before (no date, no authority) and a relative home page fail."""
    old = (
        "<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>tag:almanac,Lumen-1.8B</id>"
        "<title>t</title><updated>2025-09-16T18:00:00+02:00</updated><author><name>a</name></author>"
        "<entry><id>tag:almanac,Lumen-1.8B:v1</id><title>v1</title><updated>2025-09-16</updated></entry></feed>"
    )
    assert atom_problems(old) == [
        "feed id: 'tag:almanac,Lumen-1.8B' is not a tag URI (RFC 4151: tag:authority,date:specific)",
        "entry 0 id: 'tag:almanac,Lumen-1.8B:v1' is not a tag URI (RFC 4151: tag:authority,date:specific)",
        "entry 0: atom:updated '2025-09-16' is not an RFC 3339 date-time",
        "entry 0: neither atom:content nor an alternate link",
    ]
    assert absolute_iri_problem("tag:example.org,2025:releases/v1") is None
    old_json = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "home_page_url": "releases/",
                "items": [{"id": "1", "url": "releases/v1/"}]}
    assert json_feed_problems(old_json, site_known=True) == [
        "home_page_url 'releases/' is not a full URL",
        "feed_url missing although the site's address is known",
        "item 0: neither content_html nor content_text",
        "item 0: url 'releases/v1/' is not a full URL",
    ]


def test_json_feed_is_json_feed_1_1() -> None:
    knowledge, _ = sample_knowledge()
    feed = json.loads(json_feed(knowledge, SITE + "/"))
    assert feed["version"] == JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Lumen-1.8B releases"
    assert feed["home_page_url"] == "https://lumen.example/docs/releases/"
    assert feed["feed_url"] == "https://lumen.example/docs/feed.json"
    assert [item["title"].split()[0] for item in feed["items"]] == TAGS_NEWEST_FIRST
    item = feed["items"][3]
    assert item == {
        "id": "https://lumen.example/docs/releases/v1.0.0-rc1/",
        "url": "https://lumen.example/docs/releases/v1.0.0-rc1/",
        "title": "v1.0.0-rc1 (pre-release)",
        "content_text": "Released 2025-08-20 as a pre-release: 1 change by 1 person.\n"
        "- Model: config.json: max_position_embeddings 4096 → 8192\n"
        "- Added: Add long-context support (#10)",
        "date_published": "2025-08-20T12:00:00+00:00",
    }
    relative = json.loads(json_feed(knowledge, None))
    assert "feed_url" not in relative and "home_page_url" not in relative  # JSON Feed wants full URLs or none
    assert relative["items"][0]["url"] == "releases/v1.1.0/"


def test_hostile_titles_come_out_as_text() -> None:
    knowledge, _ = sample_knowledge()
    knowledge.name = "Lumen <b>&</b> \x1b[31m"
    knowledge.releases[-1].changes[0].title = HOSTILE + "\n]]></content><x>\ufffe"
    atom = atom_feed(knowledge, SITE)
    assert "<img" not in atom and "<x>" not in atom and "a@b.com" not in atom and "<b>" not in atom
    feed = ET.fromstring(atom)
    assert feed.findtext(f"{A}title") == "Lumen <b>&</b> [31m releases"
    html = feed.findall(f"{A}entry")[0].findtext(f"{A}content") or ""
    # One level of escaping inside the HTML: a feed reader shows the title, it never renders an image.
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; *bold* [link](javascript:alert(1)) @mention (e-mail hidden)" in html
    items = json.loads(json_feed(knowledge, SITE))["items"]
    assert "<img src=x onerror=alert(1)> *bold* [link](javascript:alert(1)) @mention (e-mail hidden) ]]></content>" \
        "<x> (#22)" in items[0]["content_text"]
    assert "a@b.com" not in items[0]["content_text"]


def test_feeds_are_deterministic_and_capped() -> None:
    knowledge, _ = sample_knowledge()
    assert atom_feed(knowledge, SITE).encode() == atom_feed(sample_knowledge()[0], SITE).encode()
    assert json_feed(knowledge, None).encode() == json_feed(sample_knowledge()[0], None).encode()
    start = at("2026-01-01 00:00", 0)
    for number in range(60):
        knowledge.releases.append(Release(
            tag=f"v2.{number}.0", sha=f"{number:040x}", slug=f"v2.{number}.0", timestamp=start + number * 86400,
            utc_offset=0, prerelease=False,
            changes=[Change(sha=f"{number:040x}", title=f"Change {i}", kind="direct", section="Fixed")
                     for i in range(number % 15)],
        ))
    entries = ET.fromstring(atom_feed(knowledge, SITE)).findall(f"{A}entry")
    assert len(entries) == MAX_ITEMS == 50
    assert entries[0].findtext(f"{A}title") == "v2.59.0"
    assert "…and 4 more." in (entries[0].findtext(f"{A}content") or "")  # 14 changes, 10 shown
    assert len(json.loads(json_feed(knowledge, SITE))["items"]) == 50


def test_a_history_without_releases_still_makes_valid_feeds() -> None:
    knowledge, _ = sample_knowledge()
    knowledge.releases.clear()
    feed = ET.fromstring(atom_feed(knowledge, None))
    assert feed.findtext(f"{A}updated") == "2025-09-20T12:00:00+00:00"  # as_of, not the clock
    assert feed.findall(f"{A}entry") == []
    assert json.loads(json_feed(knowledge, None))["items"] == []


def test_a_release_by_a_person_and_a_bot_is_by_one_person() -> None:
    """Bots, agents and machine identities are never people, in feeds as on the pages."""
    knowledge, _ = sample_knowledge()
    release = knowledge.releases[0]
    release.authors = ["alice", "dependabot"]
    assert knowledge.people["dependabot"].is_bot
    items = json.loads(json_feed(knowledge, None))["items"]
    (item,) = [item for item in items if item["title"].startswith(release.tag)]
    assert f"{len(release.changes)} change" in item["content_text"] and " by 1 person." in item["content_text"]
