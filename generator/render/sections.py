"""The groups of generated pages, each of which a site can take alone (``almanac/releases``…).

A build renders, and reads the repository for, only the groups a site asks for: a site with only the
contributor pages never compiles the release or licence templates nor matches licence texts.
"""

from __future__ import annotations

import re
from collections.abc import Collection

SECTIONS = ("overview", "modelcard", "releases", "contributors", "licences", "resources", "onboarding",
            "discussions", "reference")

#: Which generated pages belong to which section.
_SECTION_OF = (
    (re.compile(r"^(index|overview)\.md$"), "overview"),
    (re.compile(r"^(card\.md|models/)"), "modelcard"),
    (re.compile(r"^releases/|^feed\.(xml|json)$"), "releases"),
    (re.compile(r"^contributors/"), "contributors"),
    (re.compile(r"^licence\.md$"), "licences"),
    (re.compile(r"^learn/"), "resources"),
    (re.compile(r"^(onboarding|tools)\.md$"), "onboarding"),
    (re.compile(r"^discussions\.md$"), "discussions"),
    (re.compile(r"^reference/"), "reference"),
)

#: The sections whose pages need the models described (card, licence files, REUSE labels, learning
#: material): the rest are built from the history and the forge cache alone.
DESCRIBING = frozenset({"overview", "modelcard", "licences", "resources", "onboarding", "discussions", "reference"})


#: The generated pages a navigation lists, in this order (pages about single people and releases are
#: reached from their index pages; ``overview.md`` is the overview when a site has its own index).
NAV_PAGES = (("Overview", "index.md"), ("Overview", "overview.md"), ("Model card", "card.md"),
             ("Releases", "releases/index.md"), ("Contributors", "contributors/index.md"),
             ("Community health", "contributors/health.md"), ("Discussions", "discussions.md"),
             ("Learn", "learn/index.md"), ("Contributing", "onboarding.md"), ("Tools", "tools.md"),
             ("Licences", "licence.md"))


def navigation(paths: Collection[str]) -> list[dict[str, str | list[str]]]:
    """The navigation of a set of generated pages, as MkDocs' ``nav`` writes it: the index pages in
    :data:`NAV_PAGES` order, then the other models' cards and the API reference as groups. The same
    for a site's ``nav_section`` and for ``almanac write``'s snippet."""
    entries: list[dict[str, str | list[str]]] = [{title: path} for title, path in NAV_PAGES if path in paths]
    for title, folder in (("Other models", "models/"), ("API reference", "reference/")):
        grouped = sorted(path for path in paths if path.startswith(folder))
        if grouped:
            entries.append({title: grouped})
    return entries


def section_of(path: str) -> str | None:
    return next((section for pattern, section in _SECTION_OF if pattern.match(path)), None)


def needs_models(sections: Collection[str]) -> bool:
    return not DESCRIBING.isdisjoint(sections)
