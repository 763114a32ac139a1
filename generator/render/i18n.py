"""The generated pages' fixed labels in English or Simplified Chinese, through a gettext catalogue.

Templates mark their headings and table headers with ``_("…")``; the catalogue
``generator/locale/<language>/LC_MESSAGES/almanac.po`` translates them. It is read with Babel
and compiled in memory, so the repository holds only the reviewable ``.po`` text (no build step,
no binary file). English is the source language: a missing translation shows the English label.
Values from the repository (names, titles) are never passed through a translation: they stay
escaped by the templates like any other value.

``make translations`` re-extracts the labels from the templates and merges them into the catalogue.
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib import resources
from io import BytesIO

#: Languages with a catalogue, and the names MkDocs and mkdocs-material use for them.
LANGUAGES = {"en": "en", "zh": "zh", "zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "zh_hans": "zh"}


def language_of(setting: object) -> str:
    """The catalogue for a ``language`` setting (``zh``, ``zh_CN``, ``zh-Hans``…); English otherwise."""
    return LANGUAGES.get(str(setting or "en").lower(), "en")


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English needs none)."""
    if language == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    source = resources.files("generator").joinpath(f"locale/{language}/LC_MESSAGES/almanac.po")
    with source.open("rb") as po:
        catalog = read_po(po, locale=language.replace("-", "_"))
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain="almanac")
