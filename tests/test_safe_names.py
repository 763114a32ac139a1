"""Slugs and inline escaping: properties that must hold for any name a stranger can choose."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator.text.safetext import escape_inline
from generator.text.slugs import SlugRegistry, slugify

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@given(st.text())
def test_slug_is_a_plain_file_name(name: str) -> None:
    slug = slugify(name)
    assert slug and "/" not in slug and "\\" not in slug and "\0" not in slug
    assert slug not in (".", "..") and not slug.startswith(".")
    assert len(slug) <= 70
    assert slug.split(".")[0] not in WINDOWS_RESERVED
    assert slug == slugify(name)  # stable


@given(st.lists(st.text(max_size=20), max_size=30))
def test_registry_slugs_are_unique_ignoring_case(names: list[str]) -> None:
    registry = SlugRegistry()
    slugs = [registry.claim(name) for name in names]
    assert len({slug.casefold() for slug in slugs}) == len(slugs)


def test_known_names() -> None:
    assert slugify("José García") == "josé-garcía"
    assert slugify(unicodedata.normalize("NFD", "José")) == slugify("José")
    assert slugify("张伟") == "张伟"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("con") == "con-"
    assert slugify("😀").startswith("item-")
    registry = SlugRegistry()
    assert [registry.claim(n) for n in ("Alice", "alice", "ALICE")] == ["alice", "alice-2", "alice-3"]
    long = slugify("x" * 300)
    assert len(long) < 80 and long != slugify("x" * 299)


@given(st.text())
def test_escaped_text_has_no_markup_left(text: str) -> None:
    escaped = escape_inline(text)
    assert "\n" not in escaped
    bare = re.sub(r"&#\d+;", "", escaped)  # numeric references are the escapes themselves
    for char in "<>[]()`*_{}|\\!#&:~":
        assert char not in bare


def test_emails_are_redacted() -> None:
    assert escape_inline("Thanks to jane.doe+x@mail.example.org!") == "Thanks to &#40;e-mail hidden&#41;&#33;"
    assert "@" not in escape_inline("contact a@b.co")


def test_invisible_characters_cannot_hide_an_email() -> None:
    assert "@" not in escape_inline("write to a\u200b@b.com")


def test_multi_line_messages_keep_lists_but_make_no_headings() -> None:
    from generator.render.pages import escape_block

    text = escape_block("Title\n---\n- one\n    - indented <b>\n\nNext paragraph")
    assert text == "Title\n&#45;--\n- one\n- indented &#60;b&#62;\n\nNext paragraph"
