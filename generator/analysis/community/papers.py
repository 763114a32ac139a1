"""Papers a repository cites: arXiv ids and DOIs found in its README and docs, each with a stable page.

An arXiv id is written many ways (``arXiv:2307.09288``, ``arxiv.org/abs/2307.09288v2``, a PDF link,
the old ``hep-th/9901001`` form) and a DOI appears bare or as a ``doi.org`` link; all are brought to
one form, so a paper cited five times has one page. Code blocks and inline code are skipped: an id
there is an example, not a citation.

A title is published only when the repository states it: from a BibTeX entry of the repository for
the same id (:func:`generator.analysis.community.citations.resolve_titles`), else from the text of a Markdown link to
the paper when that text reads as a title (:func:`reads_as_title`), else the paper is "title not stated".
The id is never shown as a title.
"""

from __future__ import annotations

import re

from generator.model.learning import Paper

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
#: New-style ids (2007 on) and old-style ``archive/YYMMNNN``; a version suffix is dropped.
_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|\barxiv:\s*)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>()\[\]{}]+[^\s\"'<>()\[\]{}.,;:])")
_LINK = re.compile(r"\[([^\]\n]{3,300})\]\(\s*<?([^)\s>]+)>?\s*\)")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def blank_fences(text: str) -> str:
    """The text with its fenced code blocks replaced by spaces, so line numbers still match."""
    return _FENCE.sub(_blank, text)


def _blank_code(text: str) -> str:
    """The text with fenced and inline code replaced by spaces, so line numbers still match."""
    return _INLINE_CODE.sub(_blank, blank_fences(text))


#: bioRxiv and medRxiv (``10.1101/…``) put the version and the page after the DOI in their addresses:
#: ``…/10.1101/2023.01.01.123456v1.full.pdf`` cites ``10.1101/2023.01.01.123456``, which doi.org resolves.
_PREPRINT_PAGE = re.compile(r"^(10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,8})(?:v\d+)?"
                            r"(?:\.(?:full(?:-text)?|abstract|supplementary-material)(?:\.pdf)?)?$", re.IGNORECASE)


def find_papers(text: str, path: str) -> list[Paper]:
    """Every paper the text cites, in order of first citation, each once."""
    found: dict[str, Paper] = {}
    for number, line in enumerate(_blank_code(text).splitlines(), start=1):
        spans = [(m.start(2), m.end(2), m.group(1)) for m in _LINK.finditer(line)]
        for pattern, kind in ((_ARXIV, "arxiv"), (_DOI, "doi")):
            for match in pattern.finditer(line):
                ident = match.group(1)
                if kind == "doi":
                    ident = _PREPRINT_PAGE.sub(r"\1", ident)
                key = f"{kind}:{ident.lower() if kind == 'doi' else ident}"
                if kind == "doi" and ident.lower().startswith("10.48550/arxiv."):  # arXiv's own DOIs
                    key = "arxiv:" + ident.split(".", 2)[2] if ident.count(".") >= 2 else key
                paper = found.setdefault(key, Paper(key))
                title = next((t for start, end, t in spans if start <= match.start() < end), "")
                if not paper.title and reads_as_title(title, ident):
                    paper.title = re.sub(r"(?<=[a-z])\.$", "", " ".join(title.split()))  # a sentence's full stop
                place = f"{path}:{number}"
                if place not in paper.cited_in:
                    paper.cited_in.append(place)
    return list(found.values())


#: Words that name the link or the document, not the paper: "📄 Paper", "in the paper", "report", "here".
_LINK_WORDS = re.compile(r"\b(?:arxiv|doi|paper|papers|pdf|link|here|preprint|report|tech|abs|abstract|blog|post"
                         r"|article|publication|see|click|read|this|our|the|in|associated|original|technical"
                         r"|论文|技术报告|报告|这里|链接)\b|论文|技术报告|报告|这里|链接", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def reads_as_title(text: str, ident: str = "") -> bool:
    """Whether a link's text reads as a paper's title, not as a name for the link or the method.

    The rule, in order: the text must not contain the id; it must start with a capital letter, a
    digit or a non-Latin letter (titles are capitalised; "the Pile", "memory-efficient attention"
    and "in the paper" are phrases of a sentence); it must not be made only of words that name a
    link or a document ("Paper", "report", "here", "the associated paper"); and, with parenthesised
    parts left out, it must either have four words or more ("Pythia: A suite for analyzing…"),
    or be a "Name: subtitle" ("GPT-4: Technical Report"), or be "<Name> Technical Report". So a
    bare acronym or method name ("GPT-Q", "DPO", "MQA", "MiSS (Matrix Shard Sharing)") and a short
    noun phrase ("Multi-Query Attention", "Megatron Sharding Strategy", "KappaTune paper") are not
    titles: the page says "title not stated" rather than publish a name as the paper's title.
    """
    text = " ".join(text.split())
    if not text or (ident and ident.lower() in text.lower()) or re.fullmatch(r"\W*\d{4}\.\d{4,5}\W*", text):
        return False
    first = next((char for char in text if char.isalnum()), "")
    if not first or (first.isascii() and first.isalpha() and not first.isupper()):
        return False
    words = _PARENTHESES.sub(" ", text).split()
    if not words or not _LINK_WORDS.sub(" ", " ".join(words)).strip(" \t-–—:;,.!?'\"📄📃📑🔗"):
        return False
    if re.search(r"\b(?:paper|report|preprint|link|here)\W*$", text, re.IGNORECASE) \
            and not re.search(r"\btechnical report\W*$", text, re.IGNORECASE):
        return False  # "KappaTune paper", "the Chatbot Arena report": a name for the document, not its title
    if len(words) >= 4:
        return True
    head, colon, rest = text.partition(": ")
    if colon and head.strip() and len(rest.split()) >= 1 and rest[:1].isupper():
        return True
    return len(words) >= 2 and bool(re.search(r"\btechnical report$", text, re.IGNORECASE))


def merge_papers(groups: list[list[Paper]]) -> list[Paper]:
    """One paper per key across files, keeping the first title and every place it is cited."""
    merged: dict[str, Paper] = {}
    for group in groups:
        for paper in group:
            known = merged.setdefault(paper.key, Paper(paper.key))
            known.title = known.title or paper.title
            known.cited_in += [place for place in paper.cited_in if place not in known.cited_in]
    return list(merged.values())
