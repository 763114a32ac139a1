"""Learning resources: what the maintainers recommend, and what the repository itself teaches.

Curated entries come from a YAML file of the site (``resources.yml``: title, link or repository
path, kind, level, topics, language), checked entry by entry with the entry's line. Discovered
entries come from the repository at HEAD: documentation pages (titled by their first heading),
notebooks (by their first heading cell), example scripts (by their module docstring) and the papers
the README and docs cite. Links from the README and docs to repository files that do not exist are
reported, with the line.
"""

from __future__ import annotations

import ast
import difflib
import re
from typing import Any
from urllib.parse import unquote

import yaml

from generator.analysis.community.papers import blank_fences, find_papers, merge_papers
from generator.model.errors import Finding, yaml_error_place
from generator.model.knowledge import FileEntry
from generator.model.learning import Paper, Resource, Resources
from generator.text.clean import decode_git_bytes, heading_text
from generator.text.untrusted import compose_yaml, load_json, load_yaml

KINDS = ("course", "book", "tutorial", "doc", "paper", "video", "tool", "notebook", "example")
LEVELS = ("beginner", "intermediate", "advanced")
_DOCS = re.compile(r"^(docs?|documentation|tutorials?|guides?)/.+\.(md|markdown)$", re.IGNORECASE)
_NOTEBOOK = re.compile(r"\.ipynb$", re.IGNORECASE)
_EXAMPLE = re.compile(r"^(examples?|scripts|demos?|recipes)/.+\.py$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,3}[^\S\n]+(.+)$", re.MULTILINE)
_LOCAL_LINK = re.compile(r"(?<!!)\[[^\[\]\n]*\]\(\s*<?(?!https?:|mailto:|#|/|[a-z][a-z0-9+.-]*:)([^)\s>#?]+)")


def is_learning_file(path: str) -> bool:
    """Files the discovery reads at HEAD (small text files; notebooks up to the blob limit)."""
    return bool(_DOCS.match(path) or _NOTEBOOK.search(path) or _EXAMPLE.match(path))


def curated_resources(text: str, where: str, findings: list[Finding]) -> list[Resource]:
    """The entries of ``resources.yml``; a bad entry is a finding with its line and is left out."""
    try:
        node = compose_yaml(text)
        data = load_yaml(text)
    except yaml.YAMLError as error:
        findings.append(Finding("not valid YAML; no curated resources", yaml_error_place(error, where)))
        return []
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        findings.append(Finding("must be a list of entries (title, link, kind, level, topics, language)", where))
        return []
    found: list[Resource] = []
    seen: dict[str, int] = {}
    for item, item_node in zip(data, node.value, strict=True):
        line = item_node.start_mark.line + 1
        place = f"{where}:{line}"
        if not isinstance(item, dict) or not item.get("title") or not item.get("link"):
            findings.append(Finding("an entry needs a `title` and a `link`; left out", place))
            continue
        kind = str(item.get("kind") or "doc").lower()
        if kind not in KINDS:
            findings.append(Finding(f"unknown kind {kind!r} (one of {', '.join(KINDS)}); listed under “other”",
                                    place))
            kind = "other"
        link = str(item["link"]).strip()
        if link.lower() in seen:
            findings.append(Finding(f"duplicate of the entry on line {seen[link.lower()]} ({link}); left out", place))
            continue
        seen[link.lower()] = line
        level = str(item.get("level") or "").lower()
        if level and level not in LEVELS:
            findings.append(Finding(f"unknown level {level!r} (one of {', '.join(LEVELS)})", place))
        topics = item.get("topics") or []
        found.append(Resource(
            title=str(item["title"]), link=link, kind=kind, level=level if level in LEVELS else "",
            topics=tuple(str(t) for t in (topics if isinstance(topics, list) else [topics])),
            language=str(item.get("language") or "en"), origin="curated",
            description=str(item.get("description") or ""),
        ))
    return found


def discovered_resources(entries: list[FileEntry], blobs: dict[str, bytes], findings: list[Finding]
                         ) -> Resources:
    """Docs pages, notebooks, example scripts and cited papers, from the repository at HEAD."""
    paths = {entry.path for entry in entries}
    folders = {path[:index] for path in paths for index, char in enumerate(path) if char == "/"}
    found = Resources()
    paper_groups: list[list[Paper]] = []
    for entry in sorted(entries, key=lambda e: e.path):
        path = entry.path
        if path not in blobs:
            continue
        readme = path.rsplit("/", 1)[-1].lower() == "readme.md" and path.count("/") <= 1
        docs_page = _DOCS.match(path) is not None
        if docs_page or readme:
            text = decode_git_bytes(blobs[path])
            paper_groups.append(find_papers(text, path))
            findings += broken_links(text, path, paths, folders)
            if docs_page:
                found.items.append(Resource(_title(text) or path.rsplit("/", 1)[-1], path, "doc"))
        elif _NOTEBOOK.search(path):
            title = _notebook_title(blobs[path], path, findings)
            if title is not None:
                found.items.append(Resource(title or path.rsplit("/", 1)[-1], path, "notebook"))
        elif _EXAMPLE.match(path):
            summary = _docstring(decode_git_bytes(blobs[path]))
            found.items.append(Resource(path.rsplit("/", 1)[-1], path, "example", description=summary))
    found.papers = merge_papers(paper_groups)
    return found


def _title(markdown: str) -> str:
    match = _HEADING.search(blank_fences(markdown))
    return heading_text(match.group(1)) if match else ""


def _notebook_title(data: bytes, path: str, findings: list[Finding]) -> str | None:
    """The notebook's title ("" when it states none); None (and a finding) when it is not a notebook.

    A notebook's title is the heading it opens with: the first line of its first cell, when that cell
    is Markdown (cells of only badges, images or HTML, such as "Open in Colab", are passed over) and
    the heading is not a section name ("Introduction", "Setup"). Else its one level-1 heading, when it
    has exactly one. A heading further down ("## Share adapters on the 🤗 Hub" in cell 7, "## source
    training" after the code) names a section, not the notebook, and is never the title.
    """
    try:
        notebook: Any = load_json(data)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError):
        findings.append(Finding("not a valid notebook (JSON with `cells`); left out of the resources", path,
                                "info", "warning"))
        return None
    texts = [(str(cell.get("cell_type")), _cell_text(cell)) for cell in (cells if isinstance(cells, list) else [])
             if isinstance(cell, dict)]
    opening = next(((kind, text) for kind, text in texts if text.strip() and not _only_badges(kind, text)), None)
    if opening is not None and opening[0] == "markdown":
        first = _NOTEBOOK_HEADING.match(blank_fences(opening[1]).lstrip("\n"))
        if first and len(first.group(1)) <= 3 and (title := _heading_words(first.group(2))) \
                and title.casefold().strip(" :.") not in _SECTION_NAMES:
            return title
    level_one = [match.group(2) for kind, text in texts if kind == "markdown"
                 for match in _NOTEBOOK_HEADING.finditer(blank_fences(text)) if len(match.group(1)) == 1]
    return _heading_words(level_one[0]) if len(level_one) == 1 else ""


_NOTEBOOK_HEADING = re.compile(r"^[ ]{0,3}(#{1,6})[^\S\n]+(.+)$", re.MULTILINE)
#: Headings that name a part of a notebook, not the notebook.
_SECTION_NAMES = frozenset({"introduction", "intro", "overview", "setup", "set up", "installation", "install",
                            "install dependencies", "prerequisites", "requirements", "imports", "contents",
                            "table of contents", "summary", "params", "parameters", "config", "configuration",
                            "简介", "介绍", "安装", "环境配置", "目录"})


def _cell_text(cell: dict[str, Any]) -> str:
    source = cell.get("source")
    return "".join(str(part) for part in source) if isinstance(source, list) else str(source or "")


def _only_badges(kind: str, text: str) -> bool:
    """A Markdown cell with no words outside links, images and HTML tags (an "Open in Colab" badge)."""
    if kind != "markdown":
        return False
    words = re.sub(r"!?\[[^\]]*\]\([^)]*\)|<[^>]*>", " ", text)
    return not re.search(r"\w", words)


def _heading_words(rest: str) -> str:
    """A heading's words: links and code kept as their text, other Markdown dropped."""
    from generator.analysis.models.facts import plain_text

    return plain_text(heading_text(rest))


def _docstring(source: str) -> str:
    """The first line of a script's module docstring ("" when it has none or does not parse)."""
    try:
        doc = ast.get_docstring(ast.parse(source))
    except (SyntaxError, ValueError):
        return ""
    return doc.strip().splitlines()[0] if doc else ""


def broken_links(markdown: str, path: str, paths: set[str], folders: set[str]) -> list[Finding]:
    """Relative links to repository files (``paths``) or folders (``folders``, every folder that holds
    one of them) that do not exist at HEAD, with their lines."""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    text = blank_fences(markdown)
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for target in _LOCAL_LINK.findall(line):
            target = unquote(target)
            resolved = _normalise(f"{folder}/{target}" if folder else target)
            if resolved is None or ("@" in target and "/" not in target):
                continue  # outside the repository, or an address written without mailto: (not a file)
            page = resolved.rstrip("/")
            # Doc builders (MkDocs, Hugging Face's doc-builder, Sphinx) link pages without their suffix.
            extensionless = "." not in page.rsplit("/", 1)[-1]
            if extensionless and any(page + suffix in paths for suffix in _PAGE_SUFFIXES):
                continue
            if resolved not in paths and page not in folders:
                found.append(Finding(_broken(target, resolved, paths), f"{path}:{number}", "info", "warning"))
    return found


def _broken(target: str, resolved: str, paths: set[str]) -> str:
    """What is wrong with a link, and the file it most likely meant, so the maintainer can fix it in one
    go: a link written inside a link's target, or a near miss beside it (``LICENCE`` for ``LICENSE``)."""
    if "](" in target or target.startswith("["):
        return f"has a malformed link target ({target}): a Markdown link written inside a link's address"
    folder = resolved.rpartition("/")[0]
    siblings = {p.rpartition("/")[2]: p for p in paths if p.rpartition("/")[0] == folder}
    near = difflib.get_close_matches(resolved.rpartition("/")[2], sorted(siblings), n=1, cutoff=0.8)
    hint = f" ({siblings[near[0]]} is)" if near else ""
    return f"links to {target}, which is not in the repository{hint}"


#: What a link without a suffix may name in a documentation folder.
_PAGE_SUFFIXES = (".md", ".mdx", ".markdown", ".rst", ".ipynb")


def _normalise(path: str) -> str | None:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None  # points outside the repository: not ours to judge
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)
