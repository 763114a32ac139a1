"""Learning material as plain data: the resources a repository recommends or holds, the papers it
cites, how it asks to be cited.

The analyses that find them live in :mod:`generator.analysis.community`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.text.slugs import slugify


def bibtex_plain(value: str) -> str:
    """A BibTeX value as the words it shows: ``{{GPT-NeoX-20B}: An \\& B}`` is "GPT-NeoX-20B: An & B"."""
    value = re.sub(r"\\([&%$#_{}])", r"\1", value)
    return " ".join(value.replace("{", "").replace("}", "").split())


@dataclass(slots=True)
class Citation:
    title: str
    #: (family name, given names) of each author; an organisation is (its name, "").
    authors: list[tuple[str, str]] = field(default_factory=list)
    year: str = ""
    #: ``software``, ``article``, ``misc``… (CFF's ``type`` or the preferred citation's).
    kind: str = "software"
    venue: str = ""
    doi: str = ""
    url: str = ""
    version: str = ""
    #: An arXiv id, written as ``eprint`` with ``archiveprefix = {arXiv}``.
    eprint: str = ""


@dataclass(frozen=True, slots=True)
class BibEntry:
    key: str
    kind: str
    fields: dict[str, str]
    #: The entry as the README writes it, re-serialised (what a reader copies).
    text: str
    #: ``README.md:360``: the line of the code block that holds it.
    where: str = ""

    @property
    def title(self) -> str:
        """The entry's title as plain words: BibTeX's protecting braces and LaTeX escapes dropped."""
        return bibtex_plain(self.fields.get("title", ""))


@dataclass(slots=True)
class Paper:
    #: ``arxiv:2307.09288`` or ``doi:10.1145/3442188.3445922`` (DOIs compare without case).
    key: str
    title: str = ""
    #: Where the repository cites it: ``path:line``.
    cited_in: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def ident(self) -> str:
        return self.key.split(":", 1)[1]

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.ident}" if self.kind == "arxiv" else f"https://doi.org/{self.ident}"

    @property
    def slug(self) -> str:
        """The page's file name, from the one slug function every page about a thing uses."""
        return slugify(self.key.replace(":", "-"), fallback_prefix="paper")


@dataclass(frozen=True, slots=True)
class Resource:
    title: str
    #: A web address, or a path in the repository.
    link: str
    kind: str
    level: str = ""
    topics: tuple[str, ...] = ()
    language: str = "en"
    #: ``curated`` (from resources.yml) or ``repository``.
    origin: str = "repository"
    description: str = ""


@dataclass(slots=True)
class Resources:
    items: list[Resource] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
