"""How to cite the model: ``CITATION.cff`` as BibTeX and APA, BibTeX blocks of the README, and papers.

``CITATION.cff`` is checked against what the Citation File Format requires (``cff-version``,
``message``, ``title``, ``authors``, each author with a name), with the line of each problem; a
file that fails still yields what it can. BibTeX is parsed and written with bibtexparser; values
Almanac writes get LaTeX's special characters escaped.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import yaml

from generator.analysis.models.cardmeta import key_lines
from generator.model.errors import Finding
from generator.model.learning import BibEntry, Citation, Paper, bibtex_plain
from generator.text.untrusted import load_yaml

#: The file a repository says how to cite it in (the Citation File Format).
CITATION_FILE = "CITATION.cff"
#: The fence line's spaces exclude newlines: ``\s*`` there let a README of blank lines cost cubic time.
_BIBTEX_BLOCK = re.compile(r"^```[^\S\n]*(?:bibtex|bib|tex|latex)?[^\S\n]*\n(\s*@\w+\s*\{.*?)^```",
                           re.MULTILINE | re.DOTALL | re.IGNORECASE)
_LATEX_SPECIAL = re.compile(r"([&%$#_])")
_NAME_PARTS = re.compile(r"[\s-]+")


def citation_bibtex(citation: Citation, key: str) -> str:
    """The citation as one BibTeX entry under ``key``."""
    from bibtexparser.model import Entry, Field

    entry_type = {"article": "article", "conference-paper": "inproceedings", "book": "book",
                  "software": "software", "report": "techreport"}.get(citation.kind, "misc")
    names = [f"{_latex(family)}, {_latex(given)}" if given else f"{{{_latex(family)}}}"
             for family, given in citation.authors]
    fields = [("title", _latex(citation.title)), ("author", " and ".join(names)),
              ("year", citation.year),
              ("journal" if entry_type == "article" else "howpublished", _latex(citation.venue)),
              ("doi", citation.doi), ("url", citation.url), ("version", citation.version),
              ("eprint", citation.eprint),
              ("archiveprefix", "arXiv" if citation.eprint else "")]
    return _bibtex_text(Entry(entry_type, key, [Field(name, value) for name, value in fields if value]))


def citation_apa(citation: Citation) -> tuple[str, str, str]:
    """APA 7 reference as (authors and year, title, the rest): the title is set in italics, and the
    rest follows it directly (a space first when it starts with the version).

    Authors (Year). *Title* (Version). Venue. DOI or URL.
    """
    names = [_apa_name(family, given) for family, given in citation.authors]
    shown = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1] if names else ""
    lead = f"{shown} ({citation.year or 'n.d.'})." if shown else f"({citation.year or 'n.d.'})."
    head = f"(Version {citation.version})." if citation.version else "."
    rest = [f"{citation.venue}." if citation.venue else "",
            f"https://doi.org/{citation.doi}" if citation.doi else citation.url]
    tail = " ".join(part for part in rest if part)
    return lead, citation.title, head + (f" {tail}" if tail else "")


def _latex(value: str) -> str:
    return _LATEX_SPECIAL.sub(r"\\\1", value)


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _apa_name(family: str, given: str) -> str:
    """"Zhang, W."; a Chinese name is written whole, family name first ("李娜"); an organisation as is."""
    if not given:
        return family
    if _is_cjk(family + given):
        return family + given
    initials = " ".join(part[0] + "." for part in _NAME_PARTS.split(given) if part)
    return f"{family}, {initials}"


def read_cff(text: str, findings: list[Finding]) -> Citation | None:
    """The citation a CITATION.cff asks for (its ``preferred-citation`` if any); what the schema
    requires and is missing goes to ``findings``. A file that is not YAML gives None silently: the
    model card's citation facts already report it."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    lines = key_lines(text, first_line=1)
    for key in ("cff-version", "message", "title", "authors"):
        if key not in data:
            findings.append(Finding(f"fails the Citation File Format schema: `{key}` is required", CITATION_FILE,
                                    "info", "warning"))
    if "authors" in data and not (isinstance(data["authors"], list) and data["authors"]):
        findings.append(Finding("fails the Citation File Format schema: `authors` must be a non-empty list",
                                f"{CITATION_FILE}:{lines.get('authors', 1)}", "info", "warning"))
    preferred = data.get("preferred-citation")
    cited: dict[str, Any] = preferred if isinstance(preferred, dict) else data
    if not cited.get("title"):
        return None
    authors = [_author(person) for person in cited.get("authors") or [] if isinstance(person, dict)]
    for number, person in enumerate(cited.get("authors") or [], start=1):
        if not isinstance(person, dict) or not _author(person)[0]:
            findings.append(Finding(f"fails the Citation File Format schema: author {number} has no name",
                                    f"{CITATION_FILE}:{lines.get('authors', 1)}", "info", "warning"))
    released = str(cited.get("date-released") or data.get("date-released") or "")
    conference = cited.get("conference")
    return Citation(
        title=str(cited["title"]), authors=[a for a in authors if a[0]],
        year=str(cited.get("year") or released[:4]), kind=str(cited.get("type") or "software"),
        venue=str(cited.get("journal") or (conference.get("name") if isinstance(conference, dict) else "") or ""),
        doi=str(cited.get("doi") or ""), url=str(cited.get("url") or cited.get("repository-code") or ""),
        version=str(cited.get("version") or data.get("version") or ""),
    )


def _author(person: dict[str, Any]) -> tuple[str, str]:
    """(family, given) of a CFF person, or (name, "") of an entity."""
    family = " ".join(str(part) for part in (person.get("name-particle"), person.get("family-names")) if part)
    if family:
        return family, str(person.get("given-names") or "")
    return str(person.get("name") or person.get("given-names") or ""), ""


def readme_bibtex(readme: str, path: str, findings: list[Finding]) -> list[BibEntry]:
    """The entries of the README's BibTeX code blocks; a block that does not parse is a finding."""
    from bibtexparser.entrypoint import parse_string

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # failures become findings instead
    entries = []
    for match in _BIBTEX_BLOCK.finditer(readme):
        line = readme.count("\n", 0, match.start()) + 2
        library = parse_string(match.group(1))
        for _ in library.failed_blocks:
            findings.append(Finding("a BibTeX entry does not parse; it is left out", f"{path}:{line}",
                                    "info", "warning"))
        for entry in library.entries:
            fields = {name: str(value.value).strip() for name, value in entry.fields_dict.items()}
            entries.append(BibEntry(entry.key, entry.entry_type, fields, _bibtex_text(entry), f"{path}:{line}"))
    return entries


def _bibtex_text(entry: Any) -> str:
    """One entry as bibtexparser writes it, ending in one newline."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library

    return str(write_string(Library([entry]))).strip() + "\n"


def entry_for(paper: Paper, entries: list[BibEntry]) -> BibEntry | None:
    """The README's BibTeX entry for this paper: the same arXiv id in ``eprint``, ``journal``, ``url``,
    ``note`` or ``doi`` (``10.48550/arXiv.…``), as a whole id (2307.0928 is not 2307.09288, and a
    version suffix is ignored), or the same DOI (DOIs compare without case)."""
    ident = re.escape(paper.ident.lower())
    whole = re.compile(rf"(?<!\d){ident}(?:v\d+)?(?!\d)" if paper.kind == "arxiv" else rf"^{ident}$")
    for entry in entries:
        if paper.kind == "arxiv":
            places = " ".join(entry.fields.get(name, "") for name in ("eprint", "journal", "url", "note", "doi"))
            if whole.search(places.lower()):
                return entry
        elif _doi_of(entry.fields.get("doi", "")) == paper.ident.lower():
            return entry
    return None


def _doi_of(value: str) -> str:
    """A DOI field as the bare DOI in lower case (``https://doi.org/10.1/X`` → ``10.1/x``)."""
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value.strip(), flags=re.IGNORECASE).lower()


def resolve_titles(papers: list[Paper], entries: list[BibEntry], cited: Citation | None = None) -> None:
    """Give each paper the title the repository states for it: its BibTeX entry's (the README's, or
    CITATION.cff's preferred citation for the same DOI or arXiv id) before a link text, which is only
    a reader's label; a paper with neither keeps the link text that reads as a title, or none."""
    for paper in papers:
        own = entry_for(paper, entries)
        if own is not None and own.title:
            paper.title = own.title
        elif cited is not None and cited.title and _cites(cited, paper):
            paper.title = cited.title


def _cites(cited: Citation, paper: Paper) -> bool:
    if paper.kind == "doi":
        return _doi_of(cited.doi) == paper.ident.lower()
    return bool(re.search(rf"(?<!\d){re.escape(paper.ident)}(?:v\d+)?(?!\d)", f"{cited.eprint} {cited.url}"))


def own_citations(entries: list[BibEntry], cited: Citation | None) -> list[BibEntry]:
    """The README's BibTeX entries, the project's own citation as its README asks for it; an entry
    with the same title as CITATION.cff's (shown already, as APA and BibTeX) is left out."""
    shown = {bibtex_plain(cited.title).casefold()} if cited is not None else set()
    return [entry for entry in entries if entry.title.casefold() not in shown]


def paper_bibtex(paper: Paper, entries: list[BibEntry]) -> str:
    """The README's own entry for this paper when it has one, else a ``@misc`` Almanac writes (with no
    title when the repository states none: the id is not a title)."""
    own = entry_for(paper, entries)
    if own is not None:
        return own.text
    key = re.sub(r"[^A-Za-z0-9]+", "", paper.ident)
    citation = Citation(paper.title, kind="misc", url=paper.url,
                        doi=paper.ident if paper.kind == "doi" else "",
                        eprint=paper.ident if paper.kind == "arxiv" else "")
    return citation_bibtex(citation, f"{paper.kind}{key}")
